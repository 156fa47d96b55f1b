"""An editable view of a dataset of any size, as WEKA's "Edit..." viewer.

Only numeric and nominal cells are editable (a date or string typed by hand needs the
file's own format; those stay read-only); a nominal cell is chosen from its labels
(``cell_editors``). The cells are read from the dataset as they
are painted (``data_table_model``), so MNIST's 10 000 x 785 opens as fast as iris. On
OK a new ``Dataset`` is built from the typed cells, so the edit goes onto the window's
undo stack like any filter.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.data.dataset import Dataset
from workbench.gui.explorer.cell_editors import CellEditors
from workbench.gui.explorer.data_table_model import DatasetTableModel, parse_cell
from workbench.gui.explorer.stale_edits import StaleAnswer, ask_replace, stale_notice
from workbench.gui.widgets.colours import error_style
from workbench.gui.widgets.literal import plain_label
from workbench.gui.widgets.palette_follow import keep_style
from workbench.gui.widgets.placement import place_window, screen_room
from workbench.gui.widgets.tab_keys import leave_with_ctrl_tab

__all__ = ["DataEditor", "parse_cell"]

# The smallest first size (what every dataset got before) and the share of the screen a
# wide dataset may take: a 1920x1080 screen shows twice the columns a fixed 800x500 did.
SMALLEST = (800, 500)
SCREEN_SHARE = 0.85


class DataEditor(QDialog):
    """Edit cells, press OK: ``accepted_dataset(Dataset)`` carries the edited copy."""

    accepted_dataset = Signal(object)

    def __init__(self, dataset: Dataset, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dataset = dataset
        # The Explorer's changes since this window read ``dataset`` ("applied
        # Normalize"), while it keeps edits made on it (stale_edits.py).
        self.changes: list[str] = []
        self.setWindowTitle(f"Viewer: {dataset.relation}")
        self.model = DatasetTableModel(dataset)
        self.model.setParent(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.cells = CellEditors(dataset, self.table)
        self.table.setItemDelegate(self.cells)
        # Tab moves to the next cell, committing a typed value, as in a spreadsheet and
        # WEKA's viewer (data entry goes cell by cell); Ctrl+Tab leaves for OK/Cancel.
        leave_with_ctrl_tab(self.table)
        self.table.setToolTip("Tab: next cell; Ctrl+Tab: on to OK and Cancel")
        self.error = plain_label()
        keep_style(self.error, error_style)
        self.stale = plain_label()
        self.stale.setWordWrap(True)
        keep_style(self.stale, error_style)
        self.stale.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.stale)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._size_for_screen(parent)

    def _size_for_screen(self, anchor: QWidget | None) -> None:
        """Open as large as the table needs, up to ``SCREEN_SHARE`` of the screen, never
        below ``SMALLEST``: a wide dataset gets a wide window on a large screen."""
        room = screen_room(anchor)
        if room is None:
            self.resize(*SMALLEST)
            return
        table = self.table
        # Summing the columns' widths reads each header once; past the screen's width
        # the sum no longer matters, so stop there (785 columns for MNIST).
        width = table.verticalHeader().sizeHint().width() + 4 * table.frameWidth() + 40
        for j in range(self.model.columnCount()):
            width += table.columnWidth(j)
            if width > room.width():
                break
        height = table.horizontalHeader().sizeHint().height() + 120 + sum(
            table.rowHeight(r) for r in range(min(self.model.rowCount(), 60)))
        width = min(width, int(room.width() * SCREEN_SHARE))
        height = min(height, int(room.height() * SCREEN_SHARE))
        place_window(self, anchor, max(width, SMALLEST[0]), max(height, SMALLEST[1]))

    def edited(self) -> Dataset:
        """The dataset with the table's values (raises on a cell that cannot be read)."""
        return self.model.edited()

    def has_changes(self) -> bool:
        """Whether OK would change something: a cell typed to another value, counting
        the one still being typed. That cell is read, not committed: the question asked
        next may be answered Cancel, and Cancel leaves the user typing where they were
        (committed, the typing had become an edit nobody confirmed)."""
        typing = self._typing()
        if typing is None:
            return bool(self.model.edits)
        index, editor = typing
        text = CellEditors.typed_text(editor)
        return text is None or self.model.would_change(index.row(), index.column(), text)

    def _typing(self) -> tuple[QModelIndex, QWidget] | None:
        """The cell being typed and its editor, or None when no cell is being edited."""
        typing = self.focusWidget()
        if (self.table.state() == QAbstractItemView.State.EditingState
                and typing is not None and self.table.isAncestorOf(typing)):
            return self.table.currentIndex(), typing
        return None

    def apply(self) -> bool:
        """What OK does; False, with the reason under the table, where a typed cell
        cannot be read (the window stays open). A cell still being typed is taken as
        typed, as a click on OK would take it."""
        typing = self._typing()
        if typing is not None:
            self.table.commitData(typing[1])
        try:
            edited = self.edited()
        except WorkbenchError as error:
            self.error.setText(str(error))
            return False
        if edited.equals(self.dataset):
            self.accept()
            return True
        if self.changes:
            answer = self.ask_replace()
            if answer is StaleAnswer.CANCEL:
                return False
            if answer is StaleAnswer.KEEP:
                self.reject()
                return True
        # Closed first: the Explorer tells its open Edit... windows of the new data,
        # and this one has nothing left to hear.
        self.accept()
        self.accepted_dataset.emit(edited)
        return True

    def ask_replace(self) -> StaleAnswer:
        """Replace, Keep the current data or Cancel, for edits made on data the
        Explorer has changed since (the tests answer here)."""
        return ask_replace(self, self.changes)

    def data_changed(self, dataset: Dataset | None, change: str) -> None:
        """The Explorer's data is now ``dataset``, by ``change`` ("applied Normalize").
        With nothing typed, this window shows it (None: closes); with edits, it keeps
        them and says so under the table, and OK will ask before they replace it. Data
        undone back to what this window read is this window's own again."""
        if dataset is self.dataset:
            self.changes.clear()
        elif not self.has_changes():
            if dataset is None:
                self.reject()
                return
            self.show_dataset(dataset)
            self.changes.clear()
        else:
            self.changes.append(change or "replaced")
        self.stale.setText(stale_notice(self.changes) if self.changes else "")
        self.stale.setVisible(bool(self.changes))

    def show_dataset(self, dataset: Dataset) -> None:
        """Show ``dataset`` in place of the data read so far (no edits are kept), at
        the same place in the table."""
        table = self.table
        scrolled = table.horizontalScrollBar().value(), table.verticalScrollBar().value()
        current = table.currentIndex()
        old = self.model, self.cells, table.selectionModel()
        self.dataset = dataset
        self.setWindowTitle(f"Viewer: {dataset.relation}")
        self.model = DatasetTableModel(dataset)
        self.model.setParent(self)
        self.cells = CellEditors(dataset, table)
        table.setModel(self.model)
        table.setItemDelegate(self.cells)
        for replaced in old:
            replaced.deleteLater()
        if current.isValid():
            table.setCurrentIndex(self.model.index(
                min(current.row(), self.model.rowCount() - 1),
                min(current.column(), self.model.columnCount() - 1)))
        table.horizontalScrollBar().setValue(scrolled[0])
        table.verticalScrollBar().setValue(scrolled[1])
        self.error.setText("")

    def _accept(self) -> None:
        self.apply()
