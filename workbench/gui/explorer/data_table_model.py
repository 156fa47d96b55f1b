"""The Edit... viewer's table model: a dataset's cells read on demand, typed cells kept
aside.

Why a model, not a ``QTableWidget``: one ``QTableWidgetItem`` per cell took 2 s and
100 MB for 240 rows of MNIST (188 400 cells), so the viewer refused anything past
200 000 cells and MNIST's test set (7.85 million) could not be opened at all. A view
asks its model only for the cells it paints, so any size opens at once, as WEKA's
viewer and pandas or Orange tables do. The dataset is never copied here: a typed cell
is kept as its text (``edits``) and checked when the user presses OK (``edited``), so a
value that cannot be read names its row and attribute then, as before.

A cell's text is ARFF's: ``?`` alone is a missing value (drawn in the hint grey, as
WEKA's viewer greys a missing cell), and a nominal label that could be read as one,
such as a survey's ``'?'`` for "don't know", is shown in single quotes as the file
writes it (``label_text``), so the label can be told from a missing value, chosen and
kept on OK.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QPalette

from workbench.core.errors import WorkbenchError
from workbench.data.dataset import Attribute, Dataset
from workbench.gui.widgets.colours import hint_colour
from workbench.gui.widgets.literal import tooltip_text

Index = QModelIndex | QPersistentModelIndex
MISSING = "?"


def label_text(label: str) -> str:
    """A nominal label as a cell shows it and a user types it: as written, except one
    that would read as a missing value (``?``, empty) or as such a label already quoted,
    which gets ARFF's single quotes. No two labels share a text, and none is ``?``."""
    if label in (MISSING, "") or (len(label) >= 2 and label[0] == label[-1] == "'"):
        return f"'{label}'"
    return label


def cell_text(dataset: Dataset, row: int, column: int) -> str:
    """The stored value as the table shows it: ``?`` for missing, a label by ``label_text``."""
    attribute = dataset.attributes[column]
    if attribute.is_nominal:
        value = dataset.X[row, column]
        return MISSING if np.isnan(value) else label_text(attribute.values[int(value)])
    return dataset.value_text(row, column)


def _label_code(attribute: Attribute, text: str) -> int | None:
    for code, label in enumerate(attribute.values):
        if label_text(label) == text:
            return code
    return None


def parse_cell(dataset: Dataset, j: int, text: str, row: int) -> float:
    """The stored value for a typed cell, or a ``WorkbenchError`` naming row and column."""
    attribute = dataset.attributes[j]
    if attribute.is_nominal:
        code = _label_code(attribute, text)   # exactly as shown first: ' a' is a label
        if code is not None:
            return float(code)
    text = text.strip()
    if text in (MISSING, ""):
        return float("nan")
    if attribute.is_nominal:
        code = _label_code(attribute, text)
        if code is None:
            raise WorkbenchError(f"row {row + 1}, attribute '{attribute.name}': '{text}' is "
                                 f"not one of "
                                 f"{', '.join(label_text(v) for v in attribute.values)}")
        return float(code)
    try:
        return float(text)
    except ValueError:
        raise WorkbenchError(f"row {row + 1}, attribute '{attribute.name}': '{text}' is "
                             f"not a number") from None


class DatasetTableModel(QAbstractTableModel):
    """A dataset as a table: rows are instances, columns attributes (headed by name and
    type); numeric and nominal cells are editable, dates and strings read-only (typing
    one by hand would need the file's own format)."""

    def __init__(self, dataset: Dataset) -> None:
        super().__init__()
        self.dataset = dataset
        self.edits: dict[tuple[int, int], str] = {}
        self._editable = [a.is_numeric or a.is_nominal for a in dataset.attributes]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's API)
        return 0 if parent.isValid() else self.dataset.num_instances

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.dataset.num_attributes

    def text(self, row: int, column: int) -> str:
        """What the cell shows: the typed text where edited, else the stored value as a
        person reads it (``?`` for a missing one, ``'?'`` for a label written so)."""
        typed = self.edits.get((row, column))
        return typed if typed is not None else cell_text(self.dataset, row, column)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self.text(index.row(), index.column())
        if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole):
            return self._missing_or_label(index, role)
        return None

    def _missing_or_label(self, index: Index, role: int) -> object:
        """A missing cell in grey, and a word on what a ``?`` means: a label that reads
        like a missing value is told apart from one."""
        text = self.text(index.row(), index.column())
        missing = text.strip() in (MISSING, "")
        if role == Qt.ItemDataRole.ForegroundRole:
            return (QBrush(hint_colour(background=QPalette.ColorRole.Base)) if missing
                    else None)
        if missing:
            return "? is a missing value"
        attribute = self.dataset.attributes[index.column()]
        code = _label_code(attribute, text) if attribute.is_nominal else None
        if code is None or attribute.values[code] == text:
            return None
        return tooltip_text(f"{text} is the label {attribute.values[code]}, not a missing "
                            f"value")

    def setData(self, index: Index, value: object,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (not index.isValid() or role != Qt.ItemDataRole.EditRole
                or not self._editable[index.column()]):
            return False
        key = (index.row(), index.column())
        text = str(value)
        if text == cell_text(self.dataset, *key):
            self.edits.pop(key, None)   # typed back to what it was: no edit left
        else:
            self.edits[key] = text
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole,
                                             Qt.ItemDataRole.EditRole])
        return True

    def would_change(self, row: int, column: int, text: str) -> bool:
        """Whether OK would change the data were ``text`` set into the cell (``row``,
        ``column``): asked about a cell still being typed, which is not set until the
        user commits it."""
        others = set(self.edits) - {(row, column)}
        return bool(others) or text != cell_text(self.dataset, row, column)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and self._editable[index.column()]:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        attribute = self.dataset.attributes[section]
        return f"{attribute.name}\n{attribute.type.value}"

    def edited(self) -> Dataset:
        """The dataset with the typed cells (raises on one that cannot be read, the first
        in row order); untouched cells keep their stored values exactly."""
        ds = self.dataset
        values = {key: parse_cell(ds, key[1], text, key[0])
                  for key, text in sorted(self.edits.items())}
        if not values:
            return ds
        # A sparse file stays sparse (a dense copy of it may not fit).
        X: np.ndarray | sp.lil_matrix = (sp.lil_matrix(ds.X, copy=True) if ds.is_sparse
                                          else np.array(ds.X, dtype=np.float64, copy=True))
        for (r, j), value in values.items():
            X[r, j] = value
        return Dataset(ds.relation, ds.attributes, X, ds.weights, ds.class_index)
