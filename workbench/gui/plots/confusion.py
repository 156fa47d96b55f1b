"""The confusion matrix as a table of selectable cells, as users click to see instances.

Rows are the actual classes, columns the predicted ones (WEKA's layout, "a b c <--
classified as"). Cells are coloured by their value; the view switches between weighted
counts and proportions of each actual class (row) or each predicted class (column).
Clicking cells, or "Select misclassified", lists the instances behind them with their
predicted class distribution, read from the same ``Results`` the report was made from.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.data.dataset import Dataset, format_value
from workbench.gui.plots.colormaps import sequential_rgb, text_colour_for
from workbench.gui.plots.export import ExportBar
from workbench.gui.plots.sources import as_dataset, as_results, confusion_counts
from workbench.gui.widgets.literal import tooltip_text

MODES = ("Counts", "Proportion of actual class", "Proportion of predicted class")


def _number(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.3f}"


class ConfusionMatrixView(QWidget):
    """Confusion matrix of one evaluation.

    ``source`` is an ``Evaluation`` or a ``Results``; ``dataset`` (optional, taken from
    an ``Evaluation``) adds the attribute values of listed instances.
    """

    def __init__(self, source: Any, dataset: Dataset | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.results = as_results(source)
        self.dataset = as_dataset(source, dataset)
        self.counts = confusion_counts(self.results)
        self.names = self.results.class_names
        self.setWindowTitle(f"Confusion matrix: {self.results.classifier}")

        controls = QHBoxLayout()
        self.mode = QComboBox()
        self.mode.addItems(MODES)
        self.misclassified_button = QPushButton("Select misclassified")
        self.copy_button = QPushButton("Copy as text")
        controls.addWidget(QLabel("Show:"))
        controls.addWidget(self.mode)
        controls.addStretch(1)
        controls.addWidget(self.misclassified_button)
        controls.addWidget(self.copy_button)

        k = len(self.names)
        self.matrix = QTableWidget(k, k)
        self.matrix.setHorizontalHeaderLabels([f"{n}\n(predicted)" for n in self.names])
        self.matrix.setVerticalHeaderLabels([f"{n} (actual)" for n in self.names])
        self.matrix.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.matrix.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # Tab goes on to the instance table and the export bar; the arrows move the cell.
        self.matrix.setTabKeyNavigation(False)
        self.matrix.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.matrix.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

        self.instances = QTableWidget(0, 0)
        self.instances.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.instances.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.instances.setTabKeyNavigation(False)
        self.summary = QLabel("Click cells to list the instances behind them.")

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.summary)
        lower_layout.addWidget(self.instances)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.matrix)
        splitter.addWidget(lower)
        # The matrix keeps the height it needs (``matrix_size``); the instance list takes
        # what is left, so a 10-class matrix is not half hidden behind a scroll bar.
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        self.splitter = splitter
        self.split_done = False  # the first showing sets the split (``showEvent``)
        layout = self.outer = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(splitter, 1)
        layout.addWidget(ExportBar(self, self.table))

        self.mode.currentIndexChanged.connect(self._fill_matrix)
        self.matrix.itemSelectionChanged.connect(self._list_selected)
        self.misclassified_button.clicked.connect(self.select_misclassified)
        self.copy_button.clicked.connect(self.copy_text)
        self._fill_matrix()

    # Size ---------------------------------------------------------------------------
    def matrix_size(self) -> QSize:
        """Room for every cell of the matrix with whole header words, from the class
        count and the font: columns as wide as "(predicted)" or the longest class name,
        rows one line tall plus padding, the row header as wide as "<name> (actual)"."""
        metrics = self.matrix.fontMetrics()
        pad = 2 * metrics.averageCharWidth() + 6
        column = max([metrics.horizontalAdvance(w) for w in ("(predicted)", "0.000", *self.names)]
                     ) + pad
        row_header = max([metrics.horizontalAdvance(f"{n} (actual)") for n in self.names]
                         + [0]) + pad
        row = metrics.height() + 8
        frame = 2 * self.matrix.frameWidth() + 4
        k = len(self.names)
        return QSize(row_header + k * column + frame, (k + 2) * row + frame)

    def sizeHint(self) -> QSize:
        """The whole matrix, the controls above it, about ten rows of the instance
        list and the export bar: a viewer window opens at least this big (within the
        screen), so a 10- or 26-class matrix is read without scrolling."""
        matrix = self.matrix_size()
        line = self.fontMetrics().height()
        controls = 4 * line + 40      # the Show row, the summary line, the export bar
        instances = 11 * (line + 8)   # a header and about ten listed instances
        margins = self.outer.contentsMargins()
        extra = QSize(margins.left() + margins.right(), margins.top() + margins.bottom())
        return QSize(max(matrix.width(), 600), matrix.height() + controls + instances) + extra

    def showEvent(self, event: Any) -> None:
        """On first showing, give the matrix the height it needs (as far as the window
        allows) and the instance list the rest."""
        super().showEvent(event)
        if not self.split_done:
            self.split_done = True
            total = sum(self.splitter.sizes())
            need = min(self.matrix_size().height(), max(total - 120, total // 2))
            self.splitter.setSizes([need, max(total - need, 0)])

    # What is shown ----------------------------------------------------------------------
    def displayed(self) -> np.ndarray:
        """The numbers in the cells for the current mode."""
        mode = self.mode.currentIndex()
        with np.errstate(invalid="ignore", divide="ignore"):
            if mode == 1:
                return self.counts / self.counts.sum(axis=1, keepdims=True)
            if mode == 2:
                return self.counts / self.counts.sum(axis=0, keepdims=True)
        return self.counts

    def _fill_matrix(self) -> None:
        values = self.displayed()
        colours = sequential_rgb(values)
        for r in range(values.shape[0]):
            for c in range(values.shape[1]):
                v = values[r, c]
                item = QTableWidgetItem("?" if np.isnan(v) else _number(float(v)))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                rgb = colours[r, c]
                item.setBackground(QColor(int(rgb[0]), int(rgb[1]), int(rgb[2])))
                item.setForeground(QColor(text_colour_for(rgb)))
                item.setToolTip(tooltip_text(
                    f"actual {self.names[r]}, predicted {self.names[c]}: "
                    f"{_number(float(self.counts[r, c]))} instances"))
                self.matrix.setItem(r, c, item)

    def cell_text(self, row: int, column: int) -> str:
        item = self.matrix.item(row, column)
        return item.text() if item is not None else ""

    # Instances behind cells -------------------------------------------------------------
    def select_cells(self, cells: list[tuple[int, int]]) -> None:
        """Select these (actual, predicted) cells; the instance list follows."""
        self.matrix.blockSignals(True)
        self.matrix.clearSelection()
        for r, c in cells:
            item = self.matrix.item(r, c)
            if item is not None:
                item.setSelected(True)
        self.matrix.blockSignals(False)
        self._list_selected()

    def select_misclassified(self) -> None:
        k = len(self.names)
        self.select_cells([(r, c) for r in range(k) for c in range(k) if r != c])

    def selected_positions(self) -> np.ndarray:
        """Positions (into the pooled ``Results`` arrays) of the selected cells' instances."""
        cells = {(i.row(), i.column()) for i in self.matrix.selectedIndexes()}
        actual, predicted = self.results.actual, self.results.predicted
        ok = ~np.isnan(actual) & ~np.isnan(predicted)
        chosen = np.zeros(len(actual), dtype=bool)
        for r, c in cells:
            chosen |= ok & (actual == r) & (predicted == c)
        return np.flatnonzero(chosen)

    def _list_selected(self) -> None:
        positions = self.selected_positions()
        header, rows = self._instance_rows(positions)
        self.instances.clear()
        self.instances.setColumnCount(len(header))
        self.instances.setRowCount(len(rows))
        self.instances.setHorizontalHeaderLabels(header)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                self.instances.setItem(r, c, QTableWidgetItem(str(value)))
        self.instances.resizeColumnsToContents()
        self.summary.setText(f"{len(rows)} instance(s) in the selected cell(s)")

    def _instance_rows(self, positions: np.ndarray) -> tuple[list[str], list[list[Any]]]:
        res = self.results
        header = ["instance", "fold", "actual", "predicted",
                  *[f"p({n})" for n in self.names]]
        attrs: list[int] = []
        if self.dataset is not None:
            attrs = [i for i in range(self.dataset.num_attributes)
                     if i != self.dataset.class_index][:12]
            header += [self.dataset.attributes[i].name for i in attrs]
        index, fold = res.indices, res.fold_ids
        actual, predicted, dist = res.actual, res.predicted, res.distribution
        rows = []
        values = self.dataset.dense_values() if self.dataset is not None else None
        for p in positions:
            row: list[Any] = [int(index[p]) + 1, int(fold[p]) + 1,
                              self.names[int(actual[p])], self.names[int(predicted[p])],
                              *[f"{v:.3f}" for v in dist[p]]]
            if self.dataset is not None and values is not None:
                row += [format_value(self.dataset.attributes[a], values[index[p], a])
                        for a in attrs]
            rows.append(row)
        return header, rows

    # Text and export --------------------------------------------------------------------
    def text(self) -> str:
        """WEKA's "=== Confusion Matrix ===" layout for the current mode."""
        values = self.displayed()
        cells = [["?" if np.isnan(v) else _number(float(v)) for v in row] for row in values]
        letters = [_letter(i) for i in range(len(self.names))]
        width = max([len(c) for row in cells for c in row] + [len(x) for x in letters]) + 1
        lines = ["".join(x.rjust(width) for x in letters) + "   <-- classified as"]
        for i, row in enumerate(cells):
            lines.append("".join(c.rjust(width) for c in row)
                         + f" | {letters[i]} = {self.names[i]}")
        return "\n".join(lines)

    def copy_text(self) -> None:
        QGuiApplication.clipboard().setText(self.text())

    def table(self) -> tuple[list[str], list[list[Any]]]:
        values = self.displayed()
        header = ["actual", *[f"predicted {n}" for n in self.names]]
        return header, [[n, *values[i].tolist()] for i, n in enumerate(self.names)]


def _letter(i: int) -> str:
    """WEKA's column names: a..z, then aa, ab, ..."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = ""
    i += 1
    while i > 0:
        i, rem = divmod(i - 1, 26)
        out = letters[rem] + out
    return out
