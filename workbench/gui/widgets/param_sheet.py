"""A property sheet generated from a parameter declaration.

The Explorer's classifier and filter sheets and the flow editor's node dialogs all come
from here, so a new component gets a form the moment it declares its ``params``. Every
editor validates through ``Param.validate``/``Param.parse``, the same code the command
line uses, and shows the refusal inline under the field instead of a dialog, so a person
sees what is wrong while typing.

Every editor is named for screen readers: its label is its buddy (``form_names``), or,
on a sheet without labels, the parameter's name is its accessible name; its description
is the parameter's help and range, as plain text (a choice's tooltip is rich text).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import ParameterError
from workbench.core.params import Param
from workbench.core.registry import Registry, default_registry
from workbench.gui.widgets.colours import error_style, invalid_field_style
from workbench.gui.widgets.form_names import name_form_fields
from workbench.gui.widgets.literal import plain_label
from workbench.gui.widgets.palette_follow import keep_style
from workbench.gui.widgets.spec_field import SpecField, check_spec

_NONE = "(none)"
# An example in a parameter's help: "(e.g. 'relu,tanh')", "(e.g. 1,28,28)".
_EXAMPLE = re.compile(r"\(e\.g\.\s*'?([^')]+?)'?\)")
_NUMBER_CHARS = 12  # a number field widens to show this many characters whole
_ERROR_SPACING = 1  # between a field and its error line


class _Choice(QComboBox):
    """A choice that the mouse wheel changes only once the user has clicked into it: a
    sheet too tall for its room scrolls, and scrolling it past a choice must not
    change the choice (the wheel goes on to the sheet instead)."""

    def __init__(self) -> None:
        super().__init__()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel gives no focus

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class _Field:
    """One parameter's editor plus its inline error label."""

    def __init__(self, param: Param, value: Any, on_change, *, inline: bool = True,
                 registry: Registry | None = None) -> None:
        self.param = param
        self._registry = registry
        self.refused = False   # the editor's value is not allowed (drawn so)
        self.inline = inline   # the reason shows under the editor (else the panel's)
        self.error = plain_label()
        # Both styles are worked out from the palette, and again when it changes.
        keep_style(self.error, error_style)
        self.error.setWordWrap(True)
        self.error.hide()
        self.widget = self._build(value, on_change)
        self.widget.setToolTip(field_tip(param))
        self.widget.setAccessibleDescription(field_description(param))
        self.widget.setObjectName(f"param_{param.name}")
        keep_style(self.widget, self._field_style)

    # Building ---------------------------------------------------------------------------
    def _build(self, value: Any, on_change) -> QWidget:
        p = self.param
        # Numbers and lists are edited as text, as on the command line: a spin box would
        # silently turn "-5" into 5 and ignore "abc"; a text field lets the sheet say why
        # a value is refused, next to the field, in the command line's words.
        if p.kind == "bool":
            box = QCheckBox()
            box.setChecked(bool(value))
            box.toggled.connect(on_change)
            return box
        if p.kind == "choice":
            combo = _Choice()
            if p.nullable:
                combo.addItem(_NONE)
            combo.addItems(list(p.choices))
            for index, choice in enumerate(p.choices, start=combo.count() - len(p.choices)):
                if choice in p.help_per_choice:  # shown as the mouse rests on the item
                    combo.setItemData(index, choice_tip(p, choice),
                                      Qt.ItemDataRole.ToolTipRole)
            combo.setCurrentText(_NONE if value is None else str(value))
            combo.currentIndexChanged.connect(on_change)
            return combo
        if p.component is not None:   # names a classifier or filters: chooser and sheet
            field = SpecField(p, _to_text(p, value), self._components())
            field.textChanged.connect(on_change)
            return field
        edit = QLineEdit(_to_text(p, value))
        edit.setPlaceholderText(placeholder(p))
        edit.textChanged.connect(on_change)
        edit.editingFinished.connect(lambda: _fit_number(edit, p))
        _fit_number(edit, p)
        return edit

    def _components(self) -> Registry:
        if self._registry is None:
            self._registry = default_registry()
        return self._registry

    def show_refusal(self, message: str) -> bool:
        """Show ``message`` under the editor, with the editor drawn as refused; "" takes
        both away. Whether the error line's height in the sheet changed (it came, went, or
        now wraps onto more or fewer lines): only then does the sheet need more or less
        room."""
        before = self._line_height()
        self.refused = bool(message)
        self.error.setText(message)
        self.error.setVisible(self.refused and self.inline)
        # The screen reader reads the reason with the field, where the eye sees it.
        description = field_description(self.param)
        self.widget.setAccessibleDescription(
            f"Refused: {message}\n{description}" if message else description)
        style = self._field_style()
        if self.refused and not self.widget.styleSheet():
            # Drawn with a style sheet's border a field is 3-4 px shorter than with the
            # native frame: the Test options box shrank and Start moved up under the
            # pointer. It keeps the height it has unstyled.
            self.widget.setMinimumHeight(self.widget.sizeHint().height())
        if self.widget.styleSheet() != style:   # a restyle repolishes: not per keystroke
            self.widget.setStyleSheet(style)
        return self._line_height() != before

    def _field_style(self) -> str:
        return invalid_field_style() if self.refused else ""

    def _line_height(self) -> int:
        """The error line's height at its present width (0 while hidden). Its width is
        its column's, the editor's when it has never been laid out."""
        if self.error.isHidden():
            return 0
        width = self.error.width() if self.error.testAttribute(
            Qt.WidgetAttribute.WA_Resized) else self.widget.width()
        return self.error.heightForWidth(max(width, 1))

    # Reading ----------------------------------------------------------------------------
    def read(self) -> Any:
        """The validated value, or raise ``ParameterError`` saying why not."""
        p, w = self.param, self.widget
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QComboBox):
            text = w.currentText()
            return p.validate(None if text == _NONE else text)
        if isinstance(w, SpecField):
            check_spec(p, w.text(), self._components())   # refused as it is typed
            return p.validate(w.text())
        assert isinstance(w, QLineEdit)
        text = w.text()
        if p.escapes:   # "\t" typed is a tab
            return p.parse(text)
        if p.kind == "str":
            if p.nullable and text.strip() == "":
                return None
            return p.validate(text)
        return p.parse(text)

    def write(self, value: Any) -> None:
        w = self.widget
        if isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QComboBox):
            w.setCurrentText(_NONE if value is None else str(value))
        elif isinstance(w, SpecField):
            w.setText(_to_text(self.param, value))
        else:
            assert isinstance(w, QLineEdit)  # _build makes a check box, a choice or this
            w.setText(_to_text(self.param, value))
            _fit_number(w, self.param)


def _fit_number(edit: QLineEdit, param: Param) -> None:
    """Never narrower than its number: a four-column sheet squeezed its fields to 45 px,
    and "0.0002" showed as ".0002", a different number. A number field is at least as
    wide as its value (at least four digits' worth), up to ``_NUMBER_CHARS``
    characters; a longer list of numbers may scroll in its field. Refitted when an edit
    is finished, so a longer number typed in shows whole too."""
    if param.kind not in ("int", "float", "ints"):
        return
    metrics = edit.fontMetrics()
    text = edit.text()[:_NUMBER_CHARS] or param.null_word
    widest = max(metrics.horizontalAdvance(text), metrics.horizontalAdvance("0000"))
    frame = edit.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth)
    # The frame on both sides, QLineEdit's 2-px text margin on both, and the cursor.
    edit.setMinimumWidth(widest + 2 * frame + 4 + 2)


def field_tip(param: Param) -> str:
    """An editor's tooltip: the parameter's help, then what it may be. A choice whose
    values have help of their own lists them a line each (rich text, so Qt wraps the long
    lines instead of stretching the tip across the screen)."""
    tip = param.help or param.display_name
    if not param.help_per_choice:
        return f"{tip}\n({param.describe_range()})"
    lines = "<br>".join(choice_tip(param, c, paragraph=False) for c in param.choices
                        if c in param.help_per_choice)
    return f"<p>{html.escape(tip)}</p><p>{lines}</p>"


def field_description(param: Param) -> str:
    """An editor's accessible description: its tooltip's words as plain text, which a
    screen reader reads after the name (a choice's values with their help, a line
    each)."""
    lines = [param.help or param.display_name]
    if param.help_per_choice:
        lines += [f"{c}: {param.help_per_choice[c]}" for c in param.choices
                  if c in param.help_per_choice]
    else:
        lines.append(f"({param.describe_range()})")
    return "\n".join(lines)


def choice_tip(param: Param, choice: str, *, paragraph: bool = True) -> str:
    """One choice's line, its name in bold: a drop-down item's tooltip."""
    line = f"<b>{html.escape(choice)}</b>: {html.escape(param.help_per_choice[choice])}"
    return f"<p>{line}</p>" if paragraph else line


def placeholder(param: Param) -> str:
    """What an empty text field shows: the example its help gives ("e.g. relu,tanh"),
    else the allowed range ("a number in [0, 100)"); a free text field with no example
    shows nothing (the word "text" tells the user nothing)."""
    example = _EXAMPLE.search(param.help or "")
    if example:
        return f"e.g. {example.group(1).strip()}"
    return "" if param.kind == "str" else param.describe_range()


def _to_text(param: Param, value: Any) -> str:
    if value is None:
        return "" if param.kind == "str" else param.null_word
    return param.text_of(value)


def _form_columns(columns: int, count: int) -> tuple[QHBoxLayout, list[QFormLayout]]:
    """Forms side by side; fields go round-robin so the rows line up across columns."""
    forms = [QFormLayout() for _ in range(max(1, min(columns, count)))]
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    for form in forms:
        row.addLayout(form, 1)
    return row, forms


def _share_label_width(column_labels: dict[int, list[QLabel]]) -> None:
    """Give the labels of one column, in every section, the width of the widest: each
    section is a form of its own, and a form sizes its label column to its own labels,
    so the advanced rows' fields started 6 px left of the basic rows' ("Layer
    activations" is narrower than "Validation percent") and the column looked ragged."""
    for labels in column_labels.values():
        width = max(label.sizeHint().width() for label in labels)
        for label in labels:
            label.setMinimumWidth(width)


def _without_prefix(message: str, param: Param) -> str:
    """The refusal as shown under its own field: the field says which parameter it is."""
    prefix = f"parameter '{param.name}': "
    return message[len(prefix):] if message.startswith(prefix) else message


class ParamSheet(QWidget):
    """A form with one editor per declared parameter.

    ``values()`` returns the current valid values by name (invalid fields keep their last
    valid value, so a caller never builds a component from a half-typed number);
    ``errors()`` names the fields that are currently refused; ``changed`` fires after
    every edit, ``error_lines_changed`` only when an error line's height changed,
    ``refusal_shown`` each time a value is refused.
    Parameters of a declared group sit in a folded section each ("Input options"), those
    of group "advanced" in the last ("Advanced parameters"); a section opens unfolded
    when one of its values is not the default, and unfolds when one of its fields is
    refused, so a value that matters is never folded away. With ``labels`` False the
    editors stand alone, for a panel that names them itself (the Explorer's Test options
    put WEKA's radio buttons beside their fields); with ``inline_reasons`` False a
    refused field is drawn so but its reason is not shown under it, for a panel that
    says it elsewhere (``error_line`` still holds the words).
    """

    changed = Signal()
    # An error line came, went or changed its number of lines: the sheet's height
    # changed (``sizeHint`` already says the new one). A window that sizes its room to
    # the sheet re-fits on this, not on every keystroke of ``changed``.
    error_lines_changed = Signal()
    # A parameter's value was refused and its error line is showing (its name): a
    # window that keeps the sheet's room as it is scrolls that line into view.
    refusal_shown = Signal(str)

    def __init__(self, params: Sequence[Param], values: Mapping[str, Any] | None = None,
                 parent: QWidget | None = None, columns: int = 1,
                 labels: bool = True, inline_reasons: bool = True,
                 registry: Registry | None = None) -> None:
        super().__init__(parent)
        given = dict(values or {})
        self._params = tuple(params)
        self._fields: dict[str, _Field] = {}
        self._last: dict[str, Any] = {}
        self._errors: dict[str, str] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        # Several columns side by side where the sheet is wide and short (the Explorer's
        # Classify tab), so a 13-parameter MLP shows whole without scrolling. A declared
        # group ("input" options of the RNN, the CNN's "augmentation") is a folded
        # section of its own, and "advanced" the last: the common parameters come first
        # and a long sheet (the RNN's 29) fits a 1280x800 screen.
        groups = [g for g in dict.fromkeys(p.group for p in self._params)
                  if g and g != "advanced"]
        groups += ["advanced"] if any(p.group == "advanced" for p in self._params) else []
        in_groups = sum(1 for p in self._params if p.group in groups)
        main_row, main_forms = _form_columns(columns, len(self._params) - in_groups)
        outer.addLayout(main_row)
        # One line of check boxes that unfold the sections (folded, a section takes no
        # line of its own; an empty group-box frame would take three).
        toggles = QHBoxLayout()
        toggles.setContentsMargins(0, 0, 0, 0)
        section_forms: dict[str, list[QFormLayout]] = {"": main_forms}
        inners: list[QWidget] = []
        self.section_toggles: dict[str, QCheckBox] = {}
        self.sections: dict[str, QWidget] = {}   # what each toggle unfolds
        for group in groups:
            row, forms = _form_columns(
                columns, sum(1 for p in self._params if p.group == group))
            section_forms[group] = forms
            toggle = QCheckBox("Advanced parameters" if group == "advanced"
                               else f"{group.capitalize()} options")
            inner = QWidget()
            inner.setLayout(row)
            inner.setVisible(False)
            toggle.toggled.connect(inner.setVisible)
            toggles.addWidget(toggle)
            inners.append(inner)
            self.section_toggles[group] = toggle
            self.sections[group] = inner
        toggles.addStretch(1)
        advanced_box = QWidget()
        box_layout = QVBoxLayout(advanced_box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.addLayout(toggles)
        for inner in inners:
            box_layout.addWidget(inner)
        self._advanced_box = advanced_box
        # Kept by that name (the windows re-fit their sheet when it toggles); a sheet
        # without advanced parameters has one that shows nothing.
        self.advanced_toggle = self.section_toggles.get("advanced") or QCheckBox(
            "Advanced parameters", advanced_box)
        if "advanced" not in self.section_toggles:
            self.advanced_toggle.hide()
        placed: dict[str, int] = {}
        column_labels: dict[int, list[QLabel]] = {}  # by column, across the sections
        for param in self._params:
            value = given.get(param.name, param.default)
            try:
                value = param.validate(value)
            except ParameterError:
                value = param.default
            field = _Field(param, value, lambda *_a, n=param.name: self._edited(n),
                           inline=inline_reasons, registry=registry)
            self._fields[param.name] = field
            self._last[param.name] = value
            where = param.group if param.group in section_forms else ""
            forms = section_forms[where]
            index = placed.get(where, 0) % len(forms)
            form = forms[index]
            placed[where] = placed.get(where, 0) + 1
            label = QLabel(param.display_name)
            label.setToolTip(field.widget.toolTip())
            column = QVBoxLayout()
            column.setSpacing(_ERROR_SPACING)
            column.addWidget(field.widget)
            column.addWidget(field.error)
            if labels:
                form.addRow(label, column)
                column_labels.setdefault(index, []).append(label)
            else:   # the panel names it too, where its words differ (Test options)
                field.widget.setAccessibleName(param.display_name)
                form.addRow(column)
        for forms in section_forms.values():
            for form in forms:
                name_form_fields(form)
        _share_label_width(column_labels)
        for group in groups:   # a value set there shows: folded, nobody would know of it
            if any(self._last[p.name] != p.default for p in self._params
                   if p.group == group):
                self.section_toggles[group].setChecked(True)
        if groups:
            outer.addWidget(advanced_box)
        else:
            advanced_box.hide()
        if not self._params:
            outer.addWidget(QLabel("(no parameters)"))
        outer.addStretch(1)

    def _edited(self, name: str) -> None:
        field = self._fields[name]
        try:
            self._last[name] = field.read()
        except ParameterError as error:
            self._errors[name] = str(error)
            reshaped = field.show_refusal(_without_prefix(str(error), field.param))
            self.unfold(field.param.group)   # a refusal where nobody can see it helps no one
        else:
            self._errors.pop(name, None)
            reshaped = field.show_refusal("")
        self.changed.emit()
        if reshaped:
            self._relayout()
            self.error_lines_changed.emit()
        if field.refused:
            self.refusal_shown.emit(name)

    def _relayout(self) -> None:
        """Bring the size hints up to date now. A hidden error line leaves the layouts'
        cached hints as they were until Qt's next layout pass, so a window re-fitting on
        ``error_lines_changed`` read the old, taller height and kept it: the Normalize
        sheet stayed 39 px taller once its refused 'abc' had been corrected."""
        layout = self.layout()
        if layout is not None:   # (made in __init__: always there)
            layout.invalidate()
            layout.activate()

    def unfold(self, group: str | None) -> None:
        """Show the section of ``group`` (none for the parameters always shown)."""
        toggle = self.section_toggles.get(group or "")
        if toggle is not None:
            toggle.setChecked(True)

    # Public API ------------------------------------------------------------------------
    @property
    def params(self) -> tuple[Param, ...]:
        return self._params

    def values(self) -> dict[str, Any]:
        """Current valid values by parameter name."""
        return dict(self._last)

    def errors(self) -> dict[str, str]:
        """Messages for fields whose current text is refused, by parameter name."""
        return dict(self._errors)

    def is_valid(self) -> bool:
        return not self.errors()

    def set_values(self, values: Mapping[str, Any]) -> None:
        """Show new values (e.g. a loaded model's parameters); unknown names are ignored."""
        for name, value in values.items():
            if name in self._fields:
                self._fields[name].write(value)

    def editor(self, name: str) -> QWidget:
        """The editor widget of one parameter (tests and focus handling)."""
        return self._fields[name].widget

    def error_line(self, name: str) -> QLabel:
        """The line under a parameter's editor that says why its value is refused
        (hidden while the value is allowed)."""
        return self._fields[name].error

    def error_line_room(self) -> int:
        """The height one line of refusal takes under its field. A window that must not
        move what lies below the sheet when a value is refused (a button under the
        pointer) keeps this much room under the rows: a one-line reason then shows with
        no row pushed out of view. None for a sheet with nothing typed (check boxes and
        choices are never refused): ZeroR's "(no parameters)" keeps no empty line."""
        if not any(isinstance(f.widget, QLineEdit | SpecField)
                   for f in self._fields.values()):
            return 0
        return self.fontMetrics().height() + _ERROR_SPACING

    def reset(self) -> None:
        """Back to the declared defaults."""
        self.set_values({p.name: p.default for p in self._params})
