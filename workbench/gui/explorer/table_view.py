"""An editable table of a small dataset, as WEKA's "Edit..." viewer.

Only numeric and nominal cells are editable (a date or string typed by hand needs the
file's own format; those stay read-only). On OK a new ``Dataset`` is built from the cells,
so the edit goes onto the window's undo stack like any filter.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.data.dataset import Dataset
from workbench.gui.widgets.colours import error_style
from workbench.gui.widgets.palette_follow import keep_style
from workbench.gui.widgets.tab_keys import leave_with_ctrl_tab

MAX_CELLS = 200_000


def parse_cell(dataset: Dataset, j: int, text: str, row: int) -> float:
    """The stored value for a typed cell, or a ``WorkbenchError`` naming row and column."""
    attribute = dataset.attributes[j]
    text = text.strip()
    if text in ("?", ""):
        return float("nan")
    if attribute.is_nominal:
        if text not in attribute.values:
            raise WorkbenchError(f"row {row + 1}, attribute '{attribute.name}': '{text}' is "
                                 f"not one of {', '.join(attribute.values)}")
        return float(attribute.values.index(text))
    try:
        return float(text)
    except ValueError:
        raise WorkbenchError(f"row {row + 1}, attribute '{attribute.name}': '{text}' is "
                             f"not a number") from None


class DataEditor(QDialog):
    """Edit cells, press OK: ``accepted_dataset(Dataset)`` carries the edited copy."""

    accepted_dataset = Signal(object)

    def __init__(self, dataset: Dataset, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        cells = dataset.num_instances * dataset.num_attributes
        if cells > MAX_CELLS:
            raise WorkbenchError(f"'{dataset.relation}' has {cells} cells; the table editor "
                                 f"takes at most {MAX_CELLS} (filter it down first)")
        self.dataset = dataset
        self.setWindowTitle(f"Viewer: {dataset.relation}")
        self.table = QTableWidget(dataset.num_instances, dataset.num_attributes)
        self.table.setHorizontalHeaderLabels(
            [f"{a.name}\n{a.type.value}" for a in dataset.attributes])
        # Tab moves to the next cell, committing a typed value, as in a spreadsheet and
        # WEKA's viewer (data entry goes cell by cell); Ctrl+Tab leaves for OK/Cancel.
        leave_with_ctrl_tab(self.table)
        self.table.setToolTip("Tab: next cell; Ctrl+Tab: on to OK and Cancel")
        editable = [a.is_numeric or a.is_nominal for a in dataset.attributes]
        for r in range(dataset.num_instances):
            for j in range(dataset.num_attributes):
                item = QTableWidgetItem(dataset.value_text(r, j))
                if not editable[j]:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, j, item)
        self.error = QLabel()
        keep_style(self.error, error_style)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(800, 500)

    def edited(self) -> Dataset:
        """The dataset with the table's values (raises on a cell that cannot be read)."""
        ds = self.dataset
        X = np.array(ds.dense_values(), dtype=np.float64, copy=True)
        for j, attribute in enumerate(ds.attributes):
            if not (attribute.is_numeric or attribute.is_nominal):
                continue
            for r in range(ds.num_instances):
                item = self.table.item(r, j)
                assert item is not None  # __init__ puts an item in every cell
                X[r, j] = parse_cell(ds, j, item.text(), r)
        return Dataset(ds.relation, ds.attributes, X, ds.weights, ds.class_index)

    def _accept(self) -> None:
        try:
            edited = self.edited()
        except WorkbenchError as error:
            self.error.setText(str(error))
            return
        if not edited.equals(self.dataset):
            self.accepted_dataset.emit(edited)
        self.accept()
