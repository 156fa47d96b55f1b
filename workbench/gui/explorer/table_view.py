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
        self.setWindowTitle(f"Viewer: {dataset.relation}")
        self.model = DatasetTableModel(dataset)
        self.model.setParent(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegate(CellEditors(dataset, self.table))
        # Tab moves to the next cell, committing a typed value, as in a spreadsheet and
        # WEKA's viewer (data entry goes cell by cell); Ctrl+Tab leaves for OK/Cancel.
        leave_with_ctrl_tab(self.table)
        self.table.setToolTip("Tab: next cell; Ctrl+Tab: on to OK and Cancel")
        self.error = plain_label()
        keep_style(self.error, error_style)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
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
        if not edited.equals(self.dataset):
            self.accepted_dataset.emit(edited)
        self.accept()
        return True

    def _accept(self) -> None:
        self.apply()
