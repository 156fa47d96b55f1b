"""The Edit... viewer's cell editors: a nominal cell is chosen from its labels.

Typing a label by hand let a misspelt one through to OK, where it was refused with its
row; WEKA's viewer offers the attribute's labels in a drop-down instead, and so does
this one: a non-editable combo box of the labels and ``?`` (missing), so a value that is
not a label cannot be entered at all. The labels read as the cells show them
(``label_text``): a label written ``'?'`` in the file is the item ``'?'``, apart from
the grey ``?`` that makes the cell missing. Numeric cells keep the line edit. Qt asks the
delegate for an editor only for the cell being edited, so a table of any size builds one
editor at a time.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QFocusEvent, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from workbench.data.dataset import Dataset
from workbench.gui.explorer.data_table_model import MISSING, label_text
from workbench.gui.widgets.colours import hint_colour

Index = QModelIndex | QPersistentModelIndex


class CellEditors(QStyledItemDelegate):
    """Editors for ``dataset``'s cells: a combo box of labels for a nominal attribute,
    Qt's own line edit for the others."""

    def __init__(self, dataset: Dataset, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dataset = dataset

    def labels(self, column: int) -> list[str] | None:
        """What a cell of ``column`` may be set to (its labels, then missing), or None
        when it is typed rather than chosen."""
        attribute = self.dataset.attributes[column]
        if not attribute.is_nominal:
            return None
        return [*(label_text(label) for label in attribute.values), MISSING]

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: Index) -> QWidget:
        labels = self.labels(index.column())
        if labels is None:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.setEditable(False)
        combo.addItems(labels)
        combo.setItemData(len(labels) - 1, QBrush(hint_colour(
            background=QPalette.ColorRole.Base)), Qt.ItemDataRole.ForegroundRole)
        quoted = [label_text(label) for label in self.dataset.attributes[index.column()]
                  .values if label_text(label) != label]
        combo.setToolTip("Choose a label; ? is a missing value" + (
            f" ({', '.join(quoted)}: a label written so in the file)" if quoted else ""))
        # A label picked from the list is the edit, as in WEKA's viewer: it need not
        # wait for the editor to lose focus.
        combo.activated.connect(lambda _row: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if not isinstance(editor, QComboBox):
            super().setEditorData(editor, index)
            return
        shown = str(index.data(Qt.ItemDataRole.EditRole))
        row = editor.findText(shown, Qt.MatchFlag.MatchExactly)
        editor.setCurrentIndex(row if row >= 0 else editor.findText(MISSING))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,
                     index: Index) -> None:
        if not isinstance(editor, QComboBox):
            super().setModelData(editor, model, index)
            return
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        """Leaving the window leaves the cell being typed, as a spreadsheet does: Qt's
        delegate committed it when another window came forward, so a click on the
        Explorer (on its close button, whose question may be answered Cancel) made
        half-typed text an edit nobody confirmed. Tab, Return or a click elsewhere in
        this window still commits it, and OK takes it as typed."""
        if (isinstance(event, QFocusEvent) and event.type() == QEvent.Type.FocusOut
                and event.reason() == Qt.FocusReason.ActiveWindowFocusReason):
            return False
        return super().eventFilter(editor, event)

    @staticmethod
    def typed_text(editor: QWidget) -> str | None:
        """What ``editor`` would put into its cell were it committed now (the label
        chosen, the text typed), without committing it; None for an editor this
        delegate did not make."""
        if isinstance(editor, QComboBox):
            return editor.currentText()
        if isinstance(editor, QLineEdit):
            return editor.text()
        return None
