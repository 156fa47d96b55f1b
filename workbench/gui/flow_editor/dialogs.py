"""Node dialogs: the parameter sheet generated from a node type's declaration, and the
viewer windows of viewer nodes.

Viewer nodes produce data (``workbench.flow.nodes.viewers``); here each kind of data gets
its picture: text in a text pane, a ``Chart`` as pyqtgraph curves or points, a confusion
matrix as a table, weight arrays as image mosaics. A viewer window is rebuilt from the
node's latest outputs whenever the flow re-runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.flow import Node
from workbench.flow.nodes.png import weight_mosaic
from workbench.flow.nodes.viewers import Chart, ConfusionMatrixView, WeightImages
from workbench.gui.widgets.param_sheet import ParamSheet

_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
            "#7f7f7f", "#bcbd22", "#17becf")


class NodeDialog(QDialog):
    """Edit a node's title and parameters; ``values()`` and ``title()`` give the result."""

    def __init__(self, node: Node, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{node.title}: parameters")
        self.title_edit = QLineEdit(node.title)
        form = QFormLayout()
        form.addRow("Title", self.title_edit)
        layout = QVBoxLayout(self)
        doc = (node.node_type.__doc__ or "").strip().split("\n\n")[0] if node.node_type \
            else node.missing
        about = QLabel(" ".join(doc.split()))
        about.setWordWrap(True)
        layout.addWidget(about)
        layout.addLayout(form)
        params = node.node_type.params if node.node_type is not None else ()
        self.sheet = ParamSheet(params, node.params)
        layout.addWidget(self.sheet)
        if not params:
            layout.addWidget(QLabel("This node has no parameters."))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.sheet.changed.connect(self._validity)
        self._validity()

    def _validity(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.sheet.is_valid())

    def values(self) -> dict[str, Any]:
        return self.sheet.values()

    def title(self) -> str:
        return self.title_edit.text().strip()


def _text_view(text: str) -> QWidget:
    view = QPlainTextEdit()
    view.setReadOnly(True)
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    font = QFont("Monospace")
    font.setStyleHint(QFont.StyleHint.TypeWriter)
    view.setFont(font)
    view.setPlainText(text)
    view.setObjectName("viewer_text")
    return view


def _chart_view(chart: Chart) -> QWidget:
    plot = pg.PlotWidget(background="w")
    plot.setTitle(chart.title, color="k", size="9pt")
    plot.setLabel("bottom", chart.x_label)
    plot.setLabel("left", chart.y_label)
    plot.addLegend(offset=(-10, -10), labelTextColor="k", brush=pg.mkBrush(255, 255, 255, 220))
    plot.showGrid(x=True, y=True, alpha=0.3)
    for i, series in enumerate(chart.series):
        colour = _COLOURS[i % len(_COLOURS)]
        if chart.kind == "scatter":
            plot.plot(series.x, series.y, pen=None, symbol="o", symbolSize=6,
                      symbolBrush=colour, symbolPen=None, name=series.label)
        else:
            plot.plot(series.x, series.y, pen=pg.mkPen(colour, width=2), name=series.label)
    plot.setObjectName("viewer_chart")
    return plot


def _matrix_view(view: ConfusionMatrixView) -> QWidget:
    k = len(view.labels)
    table = QTableWidget(k, k)
    table.setHorizontalHeaderLabels([f"pred {v}" for v in view.labels])
    table.setVerticalHeaderLabels([f"actual {v}" for v in view.labels])
    for i in range(k):
        for j in range(k):
            value = float(view.matrix[i, j])
            item = QTableWidgetItem(f"{value:g}")
            if i == j:
                item.setBackground(pg.mkColor("#d9f0d3"))
            table.setItem(i, j, item)
    table.resizeColumnsToContents()
    table.setObjectName("viewer_matrix")
    return table


def _weights_view(images: WeightImages) -> QWidget:
    tabs = QTabWidget()
    for name, array in images.arrays.items():
        image_like = array.ndim == 4 or (array.ndim == 2 and array.shape[1] ==
                                         images.num_inputs)
        mosaic = weight_mosaic(array) if image_like else None
        if mosaic is None:
            matrix = np.atleast_2d(array.reshape(array.shape[0], -1) if array.ndim > 1
                                   else array).astype(np.float64)
            mosaic = matrix
        widget = pg.GraphicsLayoutWidget()
        widget.setBackground("w")
        box = widget.addViewBox(lockAspect=True, invertY=True)
        item = pg.ImageItem(np.asarray(mosaic, dtype=np.float64).T)
        item.setColorMap(pg.colormap.get("viridis") if mosaic.dtype != np.uint8
                         else pg.colormap.get("CET-L1"))
        box.addItem(item)
        tabs.addTab(widget, f"{name} {tuple(array.shape)}")
    tabs.setObjectName("viewer_weights")
    return tabs


def _table_view(rows: tuple[Any, ...]) -> QWidget:
    """Per-attribute statistics (or any tuple of dataclass rows) as a table."""
    fields = [k for k in vars(rows[0]) if not k.startswith("_")] if rows else []
    table = QTableWidget(len(rows), len(fields))
    table.setHorizontalHeaderLabels(fields)
    for i, row in enumerate(rows):
        for j, key in enumerate(fields):
            table.setItem(i, j, QTableWidgetItem(str(getattr(row, key))))
    table.setObjectName("viewer_table")
    return table


def viewer_widget(outputs: Mapping[str, Any]) -> QWidget:
    """A widget showing a viewer node's outputs, whatever their kind."""
    parts: list[tuple[str, QWidget]] = []
    for port, value in outputs.items():
        if isinstance(value, str):
            parts.append((port, _text_view(value)))
        elif isinstance(value, Chart):
            parts.append((port, _chart_view(value)))
        elif isinstance(value, ConfusionMatrixView):
            parts.append((port, _matrix_view(value)))
        elif isinstance(value, WeightImages):
            parts.append((port, _weights_view(value)))
        elif isinstance(value, tuple) and value and hasattr(value[0], "__dict__"):
            parts.append((port, _table_view(value)))
        else:
            parts.append((port, _text_view(repr(value))))
    if len(parts) == 1:
        return parts[0][1]
    tabs = QTabWidget()
    for port, widget in parts:
        tabs.addTab(widget, port)
    return tabs


class ViewerWindow(QWidget):
    """A viewer node's window; ``show_outputs`` replaces its content after a re-run."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(720, 520)
        self.layout_ = QVBoxLayout(self)
        self.content: QWidget | None = None
        self.placeholder = QLabel("Run the flow to see this viewer's output.")
        self.layout_.addWidget(self.placeholder)

    def show_outputs(self, outputs: Mapping[str, Any] | None) -> None:
        if self.content is not None:
            self.layout_.removeWidget(self.content)
            self.content.deleteLater()
            self.content = None
        if not outputs:
            self.placeholder.show()
            return
        self.placeholder.hide()
        self.content = viewer_widget(outputs)
        self.layout_.addWidget(self.content)
