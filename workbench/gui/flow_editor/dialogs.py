"""Node dialogs: the parameter sheet generated from a node type's declaration, and the
viewer windows of viewer nodes.

Viewer nodes produce data (``workbench.flow.nodes.viewers``). The model and evaluation
viewers host the shared viewers of ``workbench.gui.plots``, the ones the Explorer's result
list opens, on the objects the node's output carries: ROC / precision-recall curves of
every evaluation feeding a ModelPerformanceChart, the confusion matrix of an evaluation,
the learning curves and the learned weights of the trained classifier. Text is shown in a
text pane, attribute summaries as a table, a DataVisualizer's points as a scatter plot. A
viewer window is rebuilt from the node's latest outputs whenever the flow re-runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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

from workbench.core.errors import WorkbenchError
from workbench.flow import Node
from workbench.flow.nodes import viewers as nodes
from workbench.gui.plots import (
    ConfusionMatrixView,
    LearningCurveView,
    ThresholdCurveView,
    WeightsView,
)
from workbench.gui.plots.colormaps import series_colour
from workbench.gui.widgets.param_sheet import ParamSheet


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


def _chart_view(chart: nodes.Chart) -> QWidget:
    """A DataVisualizer's points (or any plain ``Chart``), one colour per series."""
    plot = pg.PlotWidget(background="w")
    plot.setTitle(chart.title, color="k", size="9pt")
    plot.setLabel("bottom", chart.x_label)
    plot.setLabel("left", chart.y_label)
    plot.addLegend(offset=(-10, -10), labelTextColor="k", brush=pg.mkBrush(255, 255, 255, 220))
    plot.showGrid(x=True, y=True, alpha=0.3)
    for i, series in enumerate(chart.series):
        colour = series_colour(i)
        if chart.kind == "scatter":
            plot.plot(series.x, series.y, pen=None, symbol="o", symbolSize=6,
                      symbolBrush=colour, symbolPen=None, name=series.label)
        else:
            plot.plot(series.x, series.y, pen=pg.mkPen(colour, width=2), name=series.label)
    plot.setObjectName("viewer_chart")
    return plot


def _shared_view(value: Any) -> QWidget | None:
    """The ``workbench.gui.plots`` viewer for a viewer node's output, or None when the
    output is not one of theirs (or does not carry the objects they are built from)."""
    if isinstance(value, nodes.ThresholdChart) and value.evaluations:
        return ThresholdCurveView(list(value.evaluations), value.curve,
                                  value.class_label or None)
    if isinstance(value, nodes.LearningChart) and value.classifier is not None:
        return LearningCurveView(value.classifier)
    if isinstance(value, nodes.ConfusionMatrixView) and value.evaluation is not None:
        return ConfusionMatrixView(value.evaluation)
    if isinstance(value, nodes.WeightImages) and value.model is not None:
        return WeightsView(value.model, value.dataset)
    return None


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
        try:
            shared = _shared_view(value)
        except WorkbenchError as error:  # e.g. curves of evaluations with other classes
            shared = _text_view(f"Cannot show {port}: {error}")
        if shared is not None:
            shared.setObjectName(f"viewer_{port}")
            parts.append((port, shared))
        elif isinstance(value, str):
            parts.append((port, _text_view(value)))
        elif isinstance(value, nodes.Chart):
            parts.append((port, _chart_view(value)))
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
