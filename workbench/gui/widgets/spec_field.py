"""The field of a parameter that names other components: a FilteredClassifier's filters
and inner classifier, an InputMappedClassifier's classifier.

WEKA's GenericObjectEditor gives such a field a Choose button (the same tree as the
Explorer's own) and opens the chosen scheme's own option sheet on a click. A learner
following a text tutorial does not know our command-line names
(``weka-string-to-word-vector -W 1000 -L``), so here the field gets the Explorer's
Choose menu, with its Search field, and an *Edit...* that opens the inner scheme's own
sheet (one per filter of a chain); the text stays editable for a power user who types
``replace-missing-values | standardize``. What is typed is read as the command line
reads it, while it is typed: a name no component has is refused with the reason under
the field, before *Start* (``check_spec``).
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import ParameterError, WorkbenchError
from workbench.core.params import Param
from workbench.core.registry import Registry, UnknownComponentError
from workbench.filters.spec import component_spec, parse_component, parse_filters
from workbench.gui.widgets.chooser import ComponentChooser
from workbench.gui.widgets.literal import plain_label
from workbench.gui.widgets.placement import place_window

# The list of every known name that ends the registry's "no classifier called" refusal.
_KNOWN = re.compile(r" \(known: [^)]*\)$")
# A chain's filters are edited one under the other: sheets of this many parameters or
# more get two columns so that the dialog stays on a 1280x800 screen.
_TWO_COLUMNS_FROM = 6


def registry_kind(param: Param) -> str:
    """The registry's kind of what ``param`` names (a chain names filters)."""
    return "filter" if param.component == "filters" else "classifier"


def check_spec(param: Param, text: str, registry: Registry) -> list[Any]:
    """The components ``text`` names, as the command line would build them, or a
    ``ParameterError`` saying why not (in the words ``workbench classify`` uses)."""
    try:
        if param.component == "filters":
            return parse_filters(text, registry)
        return [parse_component(text, "classifier", registry)]
    except ParameterError:
        raise
    except UnknownComponentError as error:
        # Under the field the list of every name took four lines and pushed the field
        # itself out of view; the Choose button beside it lists them. One line keeps
        # the field in view (the sheet keeps one line's room for a reason).
        raise ParameterError(_KNOWN.sub("", str(error))) from None
    except WorkbenchError as error:
        raise ParameterError(str(error)) from None


class SpecDialog(QDialog):
    """The option sheets of the components a field names, one under the other; OK
    writes them back as the field's text."""

    def __init__(self, title: str, components: list[Any], kind: str, registry: Registry,
                 parent: QWidget | None = None) -> None:
        from workbench.gui.widgets.param_sheet import ParamSheet  # (it builds fields)

        super().__init__(parent)
        self.setWindowTitle(title)
        self._kind = kind
        self._registry = registry
        self.sheets: list[tuple[Any, ParamSheet]] = []
        body = QWidget()
        column = QVBoxLayout(body)
        for component in components:
            info = registry.get(kind, component.name)
            box = QGroupBox(info.display_name)
            box.setToolTip(info.description)
            inside = QVBoxLayout(box)
            sheet = ParamSheet(info.params, component.get_params(),
                               columns=2 if len(info.params) >= _TWO_COLUMNS_FROM else 1,
                               registry=registry)
            sheet.changed.connect(self._edited)
            inside.addWidget(sheet)
            column.addWidget(box)
            self.sheets.append((info, sheet))
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.problem = plain_label()
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.content_size = body.sizeHint()
        self._edited()

    def _edited(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(all(sheet.is_valid() for _info, sheet in self.sheets))

    def spec_text(self) -> str:
        """The components as the field writes them (``a | b`` for a chain), or a
        ``WorkbenchError`` where one cannot be built with these values."""
        return " | ".join(component_spec(info.create(**sheet.values()))
                          for info, sheet in self.sheets)

    def _accept(self) -> None:
        try:
            self.spec_text()
        except WorkbenchError as error:   # a rule between parameters
            self.problem.setText(str(error))
            self.problem.show()
            return
        self.accept()


class SpecField(QWidget):
    """Text naming components with their options, a Choose button and *Edit...*.

    ``textChanged`` fires on every change (typed, chosen or edited); ``edit`` is the
    line itself, which the sheet reads and draws as refused.
    """

    textChanged = Signal(str)

    def __init__(self, param: Param, text: str, registry: Registry,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.param = param
        self.registry = registry
        self.kind = registry_kind(param)
        self.dialog: SpecDialog | None = None
        self.edit = QLineEdit(text)
        self.chooser = ComponentChooser(registry, self.kind, parent=self, label="Choose")
        self.chooser.setToolTip(f"Choose the {self.kind} from the menu (its Search field "
                                f"finds one by any of its names)"
                                + ("; it replaces the whole chain" if param.component ==
                                   "filters" else ""))
        self.edit_button = QPushButton("Edit...")
        self.edit_button.setToolTip(f"Edit the {self.kind}'s own parameters")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.chooser)
        row.addWidget(self.edit_button)
        self.setFocusProxy(self.edit)
        self.chooser.picked.connect(self.edit.setText)
        self.edit_button.clicked.connect(self.open_editor)
        self.edit.textChanged.connect(self._changed)
        self._changed(text)

    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:
        self.edit.setText(text)

    def components(self) -> list[Any] | None:
        """What the text names, built; None where it is refused (the sheet says why)."""
        try:
            return check_spec(self.param, self.edit.text(), self.registry)
        except ParameterError:
            return None

    def _changed(self, text: str) -> None:
        if not self.edit.hasFocus():   # chosen or edited: show its start, the name
            self.edit.setCursorPosition(0)
        self.edit_button.setEnabled(bool(self.components()))
        self.textChanged.emit(text)

    def open_editor(self) -> SpecDialog | None:
        """Open the sheets of what the text names (window-modal; OK writes them back)."""
        components = self.components()
        if not components:
            return None
        self.dialog = SpecDialog(f"{self.param.display_name}: "
                                 + " | ".join(c.title for c in components),
                                 components, self.kind, self.registry, self.window())
        self.dialog.accepted.connect(lambda d=self.dialog: self.edit.setText(d.spec_text()))
        size = self.dialog.content_size
        place_window(self.dialog, self.window(), max(size.width() + 60, 420),
                     size.height() + 110)
        self.dialog.open()
        return self.dialog
