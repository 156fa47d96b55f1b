"""What the canvas draws: node boxes with port handles and a status badge, links as
curves, and notes. Items hold no flow state of their own: the scene sets their title,
ports and state from the model each time the model says something changed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsPathItem,
    QGraphicsTextItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from workbench.flow import Link, Node, NodeState, Status
from workbench.flow.ports import PORT_TYPES

NODE_WIDTH = 126.0
HEADER = 24.0
PORT_ROW = 18.0
PORT_RADIUS = 5.0
GRID = 20.0

_CATEGORY_COLOURS = {
    "DataSources": "#4e79a7", "DataSinks": "#76b7b2", "Filters": "#59a14f",
    "Classifiers": "#e15759", "Evaluation": "#f28e2b", "Visualization": "#b07aa1",
}
_PORT_COLOURS = {
    "dataSet": "#4e79a7", "trainingSet": "#59a14f", "testSet": "#8cd17d",
    "batchClassifier": "#e15759", "text": "#555555", "thresholdData": "#f28e2b",
    "visualizableError": "#edc948", "image": "#b07aa1", "chart": "#ff9da7",
    "confusionMatrix": "#9c755f", "summary": "#bab0ac",
}


def category_colour(category: str) -> QColor:
    return QColor(_CATEGORY_COLOURS.get(category, "#79706e"))


class PortItem(QGraphicsItem):
    """One port handle on a node's left (inputs) or right (outputs) edge."""

    def __init__(self, parent: NodeItem, name: str, direction: str, port_type: str,
                 help_text: str) -> None:
        super().__init__(parent)
        self.node_item = parent
        self.name = name
        self.direction = direction
        self.port_type = port_type
        self.highlight: str = ""  # "", "ok" or "no"
        self.setAcceptHoverEvents(True)
        what = PORT_TYPES.get(port_type, port_type)
        kind = "input" if direction == "in" else "output"
        self.setToolTip(f"{kind} '{name}' ({port_type}: {what})"
                        + (f"\n{help_text}" if help_text else ""))
        self.setCursor(Qt.CursorShape.CrossCursor)

    @property
    def node_id(self) -> str:
        return self.node_item.node_id

    def boundingRect(self) -> QRectF:
        r = PORT_RADIUS + 3
        return QRectF(-r, -r, 2 * r, 2 * r)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor(_PORT_COLOURS.get(self.port_type, "#777777"))
        pen = QPen(QColor("#333333"), 1)
        radius = PORT_RADIUS
        if self.highlight == "ok":
            pen = QPen(QColor("#1a9641"), 3)
            radius += 2
        elif self.highlight == "no":
            colour = QColor("#cccccc")
        painter.setPen(pen)
        painter.setBrush(QBrush(colour))
        painter.drawEllipse(QPointF(0, 0), radius, radius)

    def set_highlight(self, value: str) -> None:
        if value != self.highlight:
            self.highlight = value
            self.update()


class NodeItem(QGraphicsObject):
    """A node: coloured header with its title, named ports, and a status badge."""

    def __init__(self, node: Node) -> None:
        super().__init__()
        self.node_id = node.id
        self.title = node.title
        self.type_name = node.type_name
        self.category = node.node_type.category if node.node_type else "Plugins"
        self.state: NodeState = node.state
        self.placeholder = node.is_placeholder
        self.ports: dict[tuple[str, str], PortItem] = {}
        rows = max(len(node.inputs), len(node.outputs), 1)
        self.height = HEADER + rows * PORT_ROW + 8
        for i, spec in enumerate(node.inputs):
            port = PortItem(self, spec.name, "in", spec.type, spec.help)
            port.setPos(0, HEADER + (i + 0.5) * PORT_ROW + 4)
            self.ports[("in", spec.name)] = port
        for i, spec in enumerate(node.outputs):
            port = PortItem(self, spec.name, "out", spec.type, spec.help)
            port.setPos(NODE_WIDTH, HEADER + (i + 0.5) * PORT_ROW + 4)
            self.ports[("out", spec.name)] = port
        self.input_names = [p.name for p in node.inputs]
        self.output_names = [p.name for p in node.outputs]
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsMovable
                      | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                      | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.setPos(*node.position)
        self.setZValue(1)
        self.update_from(node)

    def port(self, name: str, direction: str) -> PortItem:
        return self.ports[(direction, name)]

    def update_from(self, node: Node) -> None:
        self.title = node.title
        tip = f"{node.title} ({node.type_name})"
        if node.is_placeholder:
            tip += f"\n{node.missing}"
        self.setToolTip(tip + "\nDouble-click to edit its parameters or open its viewer.")
        self.update()

    def set_state(self, state: NodeState) -> None:
        self.state = state
        message = state.message if state.status in (Status.ERROR, Status.BLOCKED) else ""
        base = f"{self.title} ({self.type_name})"
        self.setToolTip(f"{base}\n{state}" if message or state.status is not Status.IDLE
                        else base)
        self.update()

    # Geometry ---------------------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        # Room below the box for an error message.
        return QRectF(-PORT_RADIUS - 4, -4, NODE_WIDTH + 2 * PORT_RADIUS + 8,
                      self.height + 48)

    def body_rect(self) -> QRectF:
        return QRectF(0, 0, NODE_WIDTH, self.height)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self.body_rect(), 6, 6)
        return path

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionChange:
            scene = self.scene()
            if scene is not None and getattr(scene, "snap_to_grid", False):
                return QPointF(round(value.x() / GRID) * GRID, round(value.y() / GRID) * GRID)
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            scene = self.scene()
            if scene is not None and hasattr(scene, "node_moved"):
                scene.node_moved(self)
        return super().itemChange(change, value)

    # Drawing ----------------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        body = self.body_rect()
        border = QPen(QColor("#1f5fbf"), 2.5) if self.isSelected() else QPen(QColor("#555"), 1)
        if self.placeholder:
            border.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(border)
        painter.setBrush(QColor("#fbfbfb"))
        painter.drawRoundedRect(body, 6, 6)
        header = QPainterPath()
        header.addRoundedRect(QRectF(0, 0, NODE_WIDTH, HEADER), 6, 6)
        painter.fillPath(header, category_colour(self.category))
        painter.setPen(QColor("white"))
        font = QFont(painter.font())
        font.setBold(True)
        font.setPointSizeF(8.5)
        painter.setFont(font)
        title = painter.fontMetrics().elidedText(self.title, Qt.TextElideMode.ElideRight,
                                                 int(NODE_WIDTH - 30))
        painter.drawText(QRectF(6, 0, NODE_WIDTH - 30, HEADER),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, title)
        small = QFont(font)
        small.setBold(False)
        small.setPointSizeF(7.5)
        painter.setFont(small)
        painter.setPen(QColor("#333"))
        metrics = painter.fontMetrics()
        half = int(NODE_WIDTH / 2 - 10)
        for i, name in enumerate(self.input_names):
            # A port alone on its row may use the whole width for its name.
            room = half if i < len(self.output_names) else int(NODE_WIDTH - 20)
            text = metrics.elidedText(name, Qt.TextElideMode.ElideRight, room)
            painter.drawText(QRectF(9, HEADER + i * PORT_ROW + 4, room, PORT_ROW),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
        for i, name in enumerate(self.output_names):
            room = half if i < len(self.input_names) else int(NODE_WIDTH - 20)
            text = metrics.elidedText(name, Qt.TextElideMode.ElideRight, room)
            painter.drawText(QRectF(NODE_WIDTH - 9 - room, HEADER + i * PORT_ROW + 4, room,
                                    PORT_ROW),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, text)
        self._paint_badge(painter, QRectF(NODE_WIDTH - 22, 4, 16, 16))
        if self.state.status in (Status.ERROR, Status.BLOCKED) and self.state.message:
            painter.setPen(QColor("#b00020") if self.state.status is Status.ERROR
                           else QColor("#8a6d00"))
            painter.setFont(small)
            painter.drawText(QRectF(0, self.height + 2, NODE_WIDTH + 40, 44),
                             Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignTop,
                             self.state.message[:160])

    def _paint_badge(self, painter: QPainter, box: QRectF) -> None:
        status = self.state.status
        if status is Status.RUNNING:
            painter.setPen(QPen(QColor("white"), 1.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(box)
            span = int(360 * 16 * (self.state.fraction or 0.05))
            painter.setPen(QPen(QColor("#ffe066"), 3))
            painter.drawArc(box.adjusted(2, 2, -2, -2), 90 * 16, -span)
        elif status is Status.QUEUED:
            painter.setPen(QPen(QColor("white"), 1.5, Qt.PenStyle.DotLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(box)
        elif status is Status.DONE:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#1a9641"))
            painter.drawEllipse(box)
            painter.setPen(QPen(QColor("white"), 2))
            c = box.center()
            painter.drawPolyline([QPointF(c.x() - 4, c.y()), QPointF(c.x() - 1, c.y() + 3),
                                  QPointF(c.x() + 4, c.y() - 3)])
        elif status in (Status.ERROR, Status.BLOCKED, Status.CANCELLED):
            colour = {Status.ERROR: "#d7191c", Status.BLOCKED: "#e6a100",
                      Status.CANCELLED: "#888888"}[status]
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(colour))
            painter.drawEllipse(box)
            painter.setPen(QPen(QColor("white"), 2))
            c = box.center()
            if status is Status.ERROR:
                painter.drawLine(QPointF(c.x() - 3.5, c.y() - 3.5),
                                 QPointF(c.x() + 3.5, c.y() + 3.5))
                painter.drawLine(QPointF(c.x() - 3.5, c.y() + 3.5),
                                 QPointF(c.x() + 3.5, c.y() - 3.5))
            else:
                painter.drawLine(QPointF(c.x() - 4, c.y()), QPointF(c.x() + 4, c.y()))


class LinkItem(QGraphicsPathItem):
    """A link drawn as a cubic curve from an output handle to an input handle."""

    def __init__(self, link: Link | None, source: PortItem | None = None,
                 target: PortItem | None = None) -> None:
        super().__init__()
        self.link = link
        self.source = source
        self.target = target
        self.setZValue(0)
        self.setPen(QPen(QColor("#666666"), 2))
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        if link is not None:
            self.setToolTip(f"{link.source}.{link.source_port} -> "
                            f"{link.target}.{link.target_port}")
        self.update_path()

    def update_path(self, loose_end: QPointF | None = None) -> None:
        start = self.source.scenePos() if self.source is not None else loose_end
        end = self.target.scenePos() if self.target is not None else loose_end
        if start is None or end is None:
            return
        path = QPainterPath(start)
        dx = max(abs(end.x() - start.x()) / 2, 40.0)
        path.cubicTo(QPointF(start.x() + dx, start.y()), QPointF(end.x() - dx, end.y()), end)
        self.setPath(path)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        self.setPen(QPen(QColor("#1f5fbf") if self.isSelected() else QColor("#666666"),
                         3 if self.isSelected() else 2))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        super().paint(painter, option, widget)


class NoteItem(QGraphicsTextItem):
    """A note on the canvas: free text in a pale box, stored under the flow's ``ui``."""

    def __init__(self, index: int, note: dict[str, Any]) -> None:
        super().__init__(str(note.get("text", "")))
        self.index = index
        self.setTextWidth(float(note.get("width", 260)))
        position = note.get("position", (0, 0))
        self.setPos(float(position[0]), float(position[1]))
        self.setDefaultTextColor(QColor("#444"))
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                      | QGraphicsItem.GraphicsItemFlag.ItemIsMovable)
        self.setZValue(-1)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setPen(QPen(QColor("#d9c77a")))
        painter.setBrush(QColor("#fff8d6"))
        painter.drawRect(self.boundingRect())
        super().paint(painter, option, widget)
