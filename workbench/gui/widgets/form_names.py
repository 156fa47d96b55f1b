"""A form's fields named after the labels beside them, for screen readers.

Qt names a field after its label only when the label is the field's *buddy* and both
have the same parent widget. ``QFormLayout.addRow(label, layout)`` (a parameter's editor
with its error line under it, a path with its Browse button beside it) sets no buddy,
and a label put beside a field in a row of its own never has one: Orca read the
parameter sheets as "text, 0.3", "text, 0.2", "check box, not checked", and nobody
could tell the learning rate from the momentum. A combo box is worse off on Linux: Qt
names it by its current value whatever its label says, and a screen reader finds the
label only through the label's buddy relation.

``name_by_label`` gives a field its label as buddy (which also hands it the label's
access key) and, where the buddy does not reach (a combo box on Windows and macOS, a
check box, a spin box, a field in another parent), the label's words as accessible
name; the other parts of a compound field ("Browse..." beside a path) are named after
the field, so a second "Browse..." in the same dialog is not a mystery.
``name_form_fields`` does this for every row of a ``QFormLayout``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLayout,
    QScrollBar,
    QWidget,
)

from workbench.gui.widgets.access_keys import plain_text


def takes_focus(widget: QWidget) -> bool:
    """Whether Tab or a click can land on ``widget`` itself (not on a proxy for it)."""
    return (widget.focusPolicy() != Qt.FocusPolicy.NoFocus
            and widget.focusProxy() is None
            and not isinstance(widget, QScrollBar | QLabel))


def focusable_parts(field: QWidget | QLayout) -> list[QWidget]:
    """The widgets of ``field`` a keyboard user lands on, in layout order: the field
    itself, else the focusable widgets its layout holds (not those inside them: a combo
    box's own list is the combo box's business)."""
    if isinstance(field, QWidget):
        if takes_focus(field):
            return [field]
        inner = field.layout()
        if inner is not None:
            return focusable_parts(inner)
        return [w for w in field.findChildren(QWidget,
                                              options=Qt.FindChildOption.FindDirectChildrenOnly)
                if takes_focus(w)]
    parts: list[QWidget] = []
    for index in range(field.count()):
        item = field.itemAt(index)
        if item is None:
            continue
        widget, layout = item.widget(), item.layout()
        if widget is not None:
            parts += focusable_parts(widget)
        elif layout is not None:
            parts += focusable_parts(layout)
    return parts


def label_words(label: QLabel) -> str:
    """What a screen reader says for ``label``: its text without access-key marks."""
    return plain_text(label.text()).strip()


def name_by_label(label: QLabel, field: QWidget | QLayout) -> None:
    """Name ``field`` (a widget, or a layout of a compound field) after ``label``; a
    name or buddy already given is kept (a window that words a field its own way has
    said so before the form is named)."""
    parts = focusable_parts(field)
    words = label_words(label)
    if not parts or not words:
        return
    first, rest = parts[0], parts[1:]
    if label.buddy() is None:
        label.setBuddy(first)
    # Where Qt reads the name off the buddy (a line edit, a table beside its label) a
    # name of our own would be read as well, after the label: only where it does not.
    needs_name = (isinstance(first, QComboBox | QAbstractSpinBox | QCheckBox)
                  or first.parentWidget() is not label.parentWidget())
    if needs_name and not first.accessibleName():
        first.setAccessibleName(words)
    topic = words.rstrip(":").strip()
    for part in rest:
        if part.accessibleName():
            continue
        own = plain_text(part.text()).strip() if isinstance(part, QAbstractButton) else ""
        part.setAccessibleName(f"{own.rstrip('.…')} for {topic}" if own else topic)


def name_form_fields(form: QFormLayout) -> None:
    """Name the field of every row of ``form`` that has a label (see the module)."""
    for row in range(form.rowCount()):
        label_item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        field_item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
        if label_item is None or field_item is None:
            continue
        label = label_item.widget()
        field = field_item.widget() or field_item.layout()
        if isinstance(label, QLabel) and field is not None:
            name_by_label(label, field)
