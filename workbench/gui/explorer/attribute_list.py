"""The Preprocess tab's list of attributes: number, tick box and name of each.

A model of our own rather than a ``QTableWidget``: filling a table widget is four calls
into Qt a row (an item for the number, its tick box, an item for the name), and on
MNIST's 785 attributes that refill, after every load, filter, Remove and Undo, was a
stall the user felt. Here a new dataset is one model reset, and Qt asks for the text of
the rows on screen only. The ticks live in one array, so All, None, Invert and Pattern
are one change, not one signal a row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

Index = QModelIndex | QPersistentModelIndex
HEADINGS = ("No.", "Name")
# Made once: Qt asks for these for every row it paints, and PySide's enum arithmetic
# costs tens of microseconds a time.
NAME_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
NUMBER_FLAGS = NAME_FLAGS | Qt.ItemFlag.ItemIsUserCheckable
DISPLAY, CHECK_STATE = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.CheckStateRole
CHECKED, UNCHECKED = Qt.CheckState.Checked, Qt.CheckState.Unchecked


class AttributeListModel(QAbstractTableModel):
    """Rows of (number, name), the number column ticked or not."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names: list[str] = []
        self.ticks = np.zeros(0, dtype=bool)

    def set_names(self, names: Sequence[str]) -> None:
        """A new dataset's attributes, none ticked: one reset, whatever their number."""
        self.beginResetModel()
        self.names = list(names)
        self.ticks = np.zeros(len(self.names), dtype=bool)
        self.endResetModel()

    def checked(self) -> list[int]:
        return [int(j) for j in np.flatnonzero(self.ticks)]

    def set_ticks(self, ticks: Sequence[bool] | np.ndarray) -> None:
        """Tick exactly the rows that are true in ``ticks`` (one per attribute)."""
        ticks = np.asarray(ticks, dtype=bool)
        if ticks.shape != self.ticks.shape:
            raise ValueError(f"expected {len(self.ticks)} ticks, got {ticks.shape}")
        if np.array_equal(ticks, self.ticks):
            return
        self.ticks = ticks.copy()
        last = len(self.names) - 1
        self.dataChanged.emit(self.index(0, 0), self.index(last, 0), [CHECK_STATE])

    # Qt's model interface ----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's default)
        return 0 if parent.isValid() else len(self.names)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADINGS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == DISPLAY:
            return str(row + 1) if column == 0 else self.names[row]
        if role == CHECK_STATE and column == 0:
            return CHECKED if self.ticks[row] else UNCHECKED
        return None

    def setData(self, index: Index, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != 0 \
                or role != CHECK_STATE:
            return False
        # A click or Space sends the new state as an int or as a CheckState.
        state = value if isinstance(value, Qt.CheckState) else Qt.CheckState(int(value))
        self.ticks[index.row()] = state == CHECKED
        self.dataChanged.emit(index, index, [CHECK_STATE])
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return NUMBER_FLAGS if index.column() == 0 else NAME_FLAGS

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(HEADINGS):
            return HEADINGS[section]
        return super().headerData(section, orientation, role)


class AttributeTable(QTableView):
    """The list's view: whole rows selected, one at a time, read only; ``row_changed``
    says which attribute the user moved to."""

    row_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.attributes = AttributeListModel(self)
        self.setModel(self.attributes)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)  # Tab leaves it; the arrows move the row
        self.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.row_changed.emit(current.row()))

    def set_names(self, names: Sequence[str]) -> None:
        """Show ``names``, none ticked, and fit the number column to its widest number."""
        self.attributes.set_names(names)
        self.fit_number_column()

    def fit_number_column(self) -> None:
        """What ``resizeColumnToContents(0)`` gives, asked of one row instead of every
        row: the last number has the most digits (digits are all one width), and the
        grid line takes a pixel, as Qt counts it."""
        header = self.horizontalHeader().sectionSizeHint(0)
        count = self.attributes.rowCount()
        cell = self.sizeHintForIndex(self.attributes.index(count - 1, 0)).width() \
            + (1 if self.showGrid() else 0) if count else 0
        self.setColumnWidth(0, max(header, cell))

    # The table widget's conveniences, which the tab and its tests speak in.
    def rowCount(self) -> int:
        return self.attributes.rowCount()

    def currentRow(self) -> int:
        return self.currentIndex().row()

    def setCurrentCell(self, row: int, column: int) -> None:
        self.setCurrentIndex(self.attributes.index(row, column))


def typed_names(attributes: Sequence[Any]) -> list[str]:
    """Attributes as the class boxes name them, their type first: "(Num) petallength"."""
    return [f"({a.type.value[:3].capitalize()}) {a.name}" for a in attributes]
