"""What the canvas draws: node boxes with port handles and a status badge, and links as
curves (notes are in ``note_item.py``). Items hold no flow state of their own: the scene
sets their title, ports and state from the model each time the model says something
changed.
"""

from __future__ import annotations

import math
import re
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsPathItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from workbench.flow import Link, Node, NodeState, Status
from workbench.flow.ports import PORT_TYPES
from workbench.gui.flow_editor import canvas_font
from workbench.gui.flow_editor.route_geometry import ARROW_LENGTH  # links keep clear of it
from workbench.gui.widgets.literal import tooltip_text

NODE_WIDTH = 126.0      # the narrowest a node gets
MAX_NODE_WIDTH = 180.0  # longer titles wrap (the templates space nodes ~200 apart)
TITLE_LINES = 2         # a longer title is elided; its tooltip has it whole
HEADER = 24.0
PORT_ROW = 18.0
PORT_RADIUS = 5.0
GRID = 20.0
# Below this zoom (a node under about a third of its size on screen) titles and port
# names are too small to read: a node is drawn as a plain box and ports not at all.
# Fit to view on a 20 000-node flow is at 3 %, where drawing everything took 7-14 s
# per repaint, the window frozen each time.
SKETCH_BELOW = 0.35


def sketched(painter: QPainter, option: QStyleOptionGraphicsItem) -> bool:
    """Whether an item is drawn at a zoom too small for its text (``SKETCH_BELOW``)."""
    return option.levelOfDetailFromTransform(painter.worldTransform()) < SKETCH_BELOW

# A node's header: its category's colour with its title in white on it. Tableau's hues,
# darkened until white text reads on them at WCAG AA (4.5:1; the lightest, the
# DataSinks teal, gave 2.3:1). The palette's category headings use them as text colours.
_CATEGORY_COLOURS = {
    "DataSources": "#4d78a5", "DataSinks": "#437f7a", "Filters": "#488240",
    "Classifiers": "#db3437", "Evaluation": "#b15e0b", "Visualization": "#a05f8e",
}
_PLUGIN_COLOUR = "#79706e"
HEADER_TEXT = "#ffffff"
# Port colours (Okabe and Ito's palette, which colour-blind readers tell apart) and
# shapes: each kind of data a shape of its own (datasets round, models diamonds, text
# square, results for a viewer triangles), so ports that meet on one node differ by
# more than a hue. With Tableau's colours a trainingSet input and a batchClassifier
# output, side by side on every classifier, were one colour to a deuteranope.
_PORT_STYLES: dict[str, tuple[str, str]] = {
    "dataSet": ("#0072b2", "circle"), "trainingSet": ("#009e73", "circle"),
    "testSet": ("#56b4e9", "circle"), "summary": ("#999999", "circle"),
    "batchClassifier": ("#d55e00", "diamond"), "text": ("#555555", "square"),
    "confusionMatrix": ("#8c6d31", "square"), "thresholdData": ("#e69f00", "triangle"),
    "visualizableError": ("#cc79a7", "triangle"), "image": ("#f0e442", "triangle"),
    "chart": ("#000000", "triangle"),
}
_UNKNOWN_PORT = ("#777777", "circle")


def category_colour(category: str) -> QColor:
    return QColor(_CATEGORY_COLOURS.get(category, _PLUGIN_COLOUR))


def port_style(port_type: str) -> tuple[QColor, str]:
    """A port type's colour and shape ("circle", "diamond", "square", "triangle")."""
    colour, shape = _PORT_STYLES.get(port_type, _UNKNOWN_PORT)
    return QColor(colour), shape


def port_shape(shape: str, radius: float) -> QPainterPath:
    """The outline of a port handle of ``shape``, centred on the port."""
    path = QPainterPath()
    r = radius
    if shape == "square":
        path.addRect(QRectF(-r * 0.9, -r * 0.9, r * 1.8, r * 1.8))
    elif shape == "diamond":
        path.moveTo(0, -r * 1.25)
        path.lineTo(r * 1.25, 0)
        path.lineTo(0, r * 1.25)
        path.lineTo(-r * 1.25, 0)
        path.closeSubpath()
    elif shape == "triangle":   # pointing the way data flows
        path.moveTo(r * 1.2, 0)
        path.lineTo(-r, -r * 1.1)
        path.lineTo(-r, r * 1.1)
        path.closeSubpath()
    else:
        path.addEllipse(QPointF(0, 0), r, r)
    return path


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
        r = PORT_RADIUS * 1.25 + 6   # a diamond's corner, highlighted
        return QRectF(-r, -r, 2 * r, 2 * r)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        if sketched(painter, option):
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour, shape = port_style(self.port_type)
        pen = QPen(QColor("#333333"), 1)
        radius = PORT_RADIUS
        if self.highlight == "ok":
            pen = QPen(QColor("#1a9641"), 3)
            radius += 2
        elif self.highlight == "no":
            colour = QColor("#cccccc")
        painter.setPen(pen)
        painter.setBrush(QBrush(colour))
        painter.drawPath(port_shape(shape, radius))

    def set_highlight(self, value: str) -> None:
        if value != self.highlight:
            self.highlight = value
            self.update()


def _fonts() -> tuple[QFont, QFont]:
    """The title font and the port-name font: measured when a node is laid out and
    used when it is painted, so a title is never wider than the room kept for it.
    Their sizes are the reference font's: the view magnifies them to the desktop
    font's (``canvas_font.py``)."""
    return (canvas_font.canvas_font(canvas_font.TITLE_PT, bold=True),
            canvas_font.canvas_font(canvas_font.PORT_PT))


def wrap_title(title: str, metrics: QFontMetricsF, room: float,
               max_lines: int = TITLE_LINES) -> list[str]:
    """Break ``title`` into at most ``max_lines`` lines of ``room`` pixels: at spaces, and
    inside a word too long for a line at its capitals or hyphens ("ClassifierPerformance"
    + "Evaluator", "back-" + "propagation"). Only what still does not fit is elided (the
    tooltip has it whole)."""
    pieces: list[tuple[str, bool]] = []   # (text, starts a new word)
    for word in title.split():
        if metrics.horizontalAdvance(word) <= room:
            pieces.append((word, True))
            continue
        parts = re.split(r"(?<=[a-z)])(?=[A-Z(])|(?<=-)", word)
        pieces += [(part, i == 0) for i, part in enumerate(parts) if part]
    lines: list[str] = []
    current = ""
    for text, new_word in pieces:
        candidate = f"{current}{' ' if new_word and current else ''}{text}"
        if not current or metrics.horizontalAdvance(candidate) <= room:
            current = candidate
        elif len(lines) < max_lines - 1:
            lines.append(current)
            current = text
        else:
            current = candidate   # the last line takes the rest, elided below
    lines.append(current)
    return [metrics.elidedText(line, Qt.TextElideMode.ElideRight, room) for line in lines]


def _html(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\n", "<br>"))


class NodeItem(QGraphicsObject):
    """A node: coloured header with its title, named ports, and a status badge.

    Its width follows its title and port names (up to ``MAX_NODE_WIDTH``; a longer title
    wraps onto a second line, and only a title longer still, one a user typed or an old
    flow kept, is elided: the tooltip has it whole), so two nodes of one type are told
    apart by their titles.
    An error is shown by the red badge and, in full, in the tooltip and the log: text
    painted under a node would be covered by the next one.
    """

    def __init__(self, node: Node) -> None:
        super().__init__()
        self.node_id = node.id
        self.title = node.title
        self.type_name = node.type_name
        self.display_name = (node.node_type.display_name or node.node_type.name
                             if node.node_type else node.type_name)
        self.category = node.node_type.category if node.node_type else "Plugins"
        self.state: NodeState = node.state
        self.placeholder = node.is_placeholder
        self.missing = node.missing if node.is_placeholder else ""
        self.ports: dict[tuple[str, str], PortItem] = {}
        self.width = NODE_WIDTH
        self.header = HEADER
        self.stagger = False
        self.title_lines: list[str] = [node.title]
        self.input_names = [p.name for p in node.inputs]
        self.output_names = [p.name for p in node.outputs]
        self.height = HEADER + max(len(node.inputs), len(node.outputs), 1) * PORT_ROW + 8
        for spec in node.inputs:
            self.ports[("in", spec.name)] = PortItem(self, spec.name, "in", spec.type,
                                                     spec.help)
        for spec in node.outputs:
            self.ports[("out", spec.name)] = PortItem(self, spec.name, "out", spec.type,
                                                      spec.help)
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsMovable
                      | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                      | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.setPos(*node.position)
        self.setZValue(1)
        self.update_from(node)

    def port(self, name: str, direction: str) -> PortItem:
        return self.ports[(direction, name)]

    def _layout(self) -> None:
        """Size the box to the title and port names, and place the port handles.

        An input and an output share a row when both names fit side by side; otherwise
        the inputs take the first rows and the outputs the rows below them, so no name
        is cut and the node stays narrow enough for the templates' spacing."""
        title_font, small = _fonts()
        title_metrics, port_metrics = QFontMetricsF(title_font), QFontMetricsF(small)
        ins, outs = self.input_names, self.output_names
        single = max([port_metrics.horizontalAdvance(n) + 24 for n in ins + outs] or [0.0])
        shared = 0.0
        for i in range(min(len(ins), len(outs))):
            shared = max(shared, port_metrics.horizontalAdvance(ins[i])
                         + port_metrics.horizontalAdvance(outs[i]) + 40)
        need = max(single, min(title_metrics.horizontalAdvance(self.title) + 40,
                               MAX_NODE_WIDTH))
        width = min(MAX_NODE_WIDTH, max(NODE_WIDTH, math.ceil(max(need, shared) / 10) * 10))
        self.stagger = shared > width
        if self.stagger:
            width = min(MAX_NODE_WIDTH, max(NODE_WIDTH, math.ceil(need / 10) * 10))
        lines = wrap_title(self.title, title_metrics, width - 34)
        header = max(HEADER, len(lines) * title_metrics.lineSpacing() + 8)
        rows = (len(ins) + len(outs)) if self.stagger else max(len(ins), len(outs))
        self.prepareGeometryChange()
        self.width, self.header, self.title_lines = width, header, lines
        self.height = header + max(rows, 1) * PORT_ROW + 8
        for (direction, name), port in self.ports.items():
            port.setPos(0 if direction == "in" else width,
                        header + (self.port_row(direction, name) + 0.5) * PORT_ROW + 4)

    def port_row(self, direction: str, name: str) -> int:
        """Which row a port's handle and name sit on."""
        if direction == "in":
            return self.input_names.index(name)
        return self.output_names.index(name) + (len(self.input_names) if self.stagger
                                                else 0)

    def update_from(self, node: Node) -> None:
        self.title = node.title
        self._layout()
        self._update_tooltip()
        scene = self.scene()
        if scene is not None and hasattr(scene, "node_moved"):
            scene.node_moved(self)  # the ports moved with the new width
        self.update()

    def set_state(self, state: NodeState) -> None:
        self.state = state
        self._update_tooltip()
        self.update()

    def _describe(self) -> list[str]:
        lines = [self.title]
        if self.title != self.display_name:
            lines.append(self.display_name)
        lines.append(f"type {self.type_name}")
        if self.input_names:
            lines.append("inputs: " + ", ".join(self.input_names))
        if self.output_names:
            lines.append("outputs: " + ", ".join(self.output_names))
        if self.missing:
            lines.append(self.missing)
        return lines

    def state_text(self) -> str:
        """The node's state in words; an error or a block with its whole message."""
        status = self.state.status
        if status in (Status.ERROR, Status.BLOCKED) and self.state.message:
            word = "Error" if status is Status.ERROR else "Blocked"
            return f"{word}: {self.state.message}"
        return "" if status is Status.IDLE else str(self.state)

    def tooltip_text(self) -> str:
        """The node's full title, type, ports and state in plain words."""
        return "\n".join([*self._describe(), self.state_text()]).strip()

    def _update_tooltip(self) -> None:
        # Rich text, so Qt wraps a long error message instead of one endless line.
        lines = self._describe()
        body = "".join(f"<br>{_html(line)}" for line in lines[1:])
        state = self.state_text()
        if state:
            colour = "#b00020" if self.state.status is Status.ERROR else "#444444"
            body += f"<br><span style='color:{colour}'>{_html(state)}</span>"
        self.setToolTip(f"<p style='white-space:pre-wrap'><b>{_html(lines[0])}</b>{body}"
                        "<br><i>Double-click to edit its parameters or open its viewer; "
                        "F2 renames it.</i></p>")

    # Geometry ---------------------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        return QRectF(-PORT_RADIUS - 4, -4, self.width + 2 * PORT_RADIUS + 8,
                      self.height + 8)

    def body_rect(self) -> QRectF:
        return QRectF(0, 0, self.width, self.height)

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
        width = self.width
        body = self.body_rect()
        border = QPen(QColor("#1f5fbf"), 2.5) if self.isSelected() else QPen(QColor("#555"), 1)
        if self.placeholder:
            border.setStyle(Qt.PenStyle.DashLine)
        if self.state.status is Status.ERROR and not self.isSelected():
            border = QPen(QColor("#d7191c"), 2)
        if sketched(painter, option):   # a box in its category's colour, outlined
            border.setCosmetic(True)
            painter.setPen(border)
            painter.setBrush(category_colour(self.category))
            painter.drawRect(body)
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(border)
        painter.setBrush(QColor("#fbfbfb"))
        painter.drawRoundedRect(body, 6, 6)
        header = QPainterPath()
        header.addRoundedRect(QRectF(0, 0, width, self.header), 6, 6)
        painter.fillPath(header, category_colour(self.category))
        title_font, small = _fonts()
        painter.setPen(QColor(HEADER_TEXT))
        painter.setFont(title_font)
        painter.drawText(QRectF(6, 0, width - 34, self.header),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                         "\n".join(self.title_lines))
        painter.setFont(small)
        painter.setPen(QColor("#333"))
        metrics = painter.fontMetrics()
        top = self.header + 4
        for direction, names in (("in", self.input_names), ("out", self.output_names)):
            for name in names:
                row = self.port_row(direction, name)
                # A port alone on its row may use the whole width for its name.
                alone = self.stagger or row >= min(len(self.input_names),
                                                   len(self.output_names))
                if alone:
                    room = int(width - 20)
                else:  # beside the other side's name on this row, which keeps its room
                    other = (self.output_names if direction == "in"
                             else self.input_names)[row]
                    room = int(width - 40 - metrics.horizontalAdvance(other))
                text = metrics.elidedText(name, Qt.TextElideMode.ElideRight, room)
                if direction == "in":
                    box = QRectF(9, top + row * PORT_ROW, room, PORT_ROW)
                    align = Qt.AlignmentFlag.AlignLeft
                else:
                    box = QRectF(width - 9 - room, top + row * PORT_ROW, room, PORT_ROW)
                    align = Qt.AlignmentFlag.AlignRight
                painter.drawText(box, Qt.AlignmentFlag.AlignVCenter | align, text)
        self._paint_badge(painter, QRectF(width - 22, 4, 16, 16))

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
            elif status is Status.BLOCKED:
                # "!": held back by a failure upstream. Not cancelled's dash: the two
                # differed only by amber and grey (walkthrough L1).
                painter.drawLine(QPointF(c.x(), c.y() - 4.5), QPointF(c.x(), c.y() + 1))
                painter.drawPoint(QPointF(c.x(), c.y() + 4))
            else:
                painter.drawLine(QPointF(c.x() - 4, c.y()), QPointF(c.x() + 4, c.y()))


LINK_CORNER = 8.0
ARROW_HALF_WIDTH = 4.5
# How wide a link is to the mouse: clicking within 4 px of the line picks it.
LINK_HIT_WIDTH = 8.0


def rounded(points: list[QPointF], radius: float) -> QPainterPath:
    """A polyline through ``points`` whose corners are quarter curves of ``radius``."""
    path = QPainterPath(points[0])
    for before, corner, after in zip(points, points[1:], points[2:], strict=False):
        into = corner - before
        out = after - corner
        r_in = min(radius, math.hypot(into.x(), into.y()) / 2)
        r_out = min(radius, math.hypot(out.x(), out.y()) / 2)
        length_in = math.hypot(into.x(), into.y()) or 1.0
        length_out = math.hypot(out.x(), out.y()) or 1.0
        path.lineTo(corner - into * (r_in / length_in))
        path.quadTo(corner, corner + out * (r_out / length_out))
    path.lineTo(points[-1])
    return path


class LinkItem(QGraphicsPathItem):
    """A link: the orthogonal route the scene computed (``routing.py``), with rounded
    corners and an arrow head at the input it ends on. A link being dragged from a port
    has no route yet: it is a curve to the pointer."""

    def __init__(self, link: Link | None, source: PortItem | None = None,
                 target: PortItem | None = None) -> None:
        super().__init__()
        self.link = link
        self.source = source
        self.target = target
        self.route: list[tuple[float, float]] = []
        # ``shape`` and the path it is of (kept: Qt asks for it on every hit test)
        self._shape: tuple[QPainterPath, QPainterPath] | None = None
        self.setZValue(0)
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        if link is not None:
            self.setToolTip(tooltip_text(f"{link.source}.{link.source_port} -> "
                                         f"{link.target}.{link.target_port}"))
        self.update_path()

    def set_route(self, points: list[tuple[float, float]]) -> None:
        """Draw the route through ``points`` (output port to input port); the line
        stops at the input handle's rim, where the arrow head's tip is."""
        self.route = list(points)
        if len(points) < 2:
            return
        corners = [QPointF(x, y) for x, y in points]
        end = corners[-1]
        corners[-1] = QPointF(end.x() - PORT_RADIUS - 1, end.y())
        self.setPath(rounded(corners, LINK_CORNER))

    def update_path(self, loose_end: QPointF | None = None) -> None:
        """The curve of a link still being dragged (one end follows the pointer)."""
        start = self.source.scenePos() if self.source is not None else loose_end
        end = self.target.scenePos() if self.target is not None else loose_end
        if start is None or end is None:
            return
        path = QPainterPath(start)
        dx = max(abs(end.x() - start.x()) / 2, 40.0)
        path.cubicTo(QPointF(start.x() + dx, start.y()), QPointF(end.x() - dx, end.y()), end)
        self.setPath(path)

    def boundingRect(self) -> QRectF:
        # Not QGraphicsPathItem's: it calls ``shape`` while the path is being replaced,
        # which would keep the shape of the old path.
        pad = max(LINK_HIT_WIDTH / 2, ARROW_HALF_WIDTH) + 1
        return self.path().controlPointRect().adjusted(-pad, -pad, pad, pad)

    def arrow_head(self) -> QPainterPath:
        """The arrow head at the input the route ends on (empty while dragged)."""
        head = QPainterPath()
        if len(self.route) >= 2:
            tip = self.path().currentPosition()
            head.moveTo(tip)
            head.lineTo(tip.x() - ARROW_LENGTH, tip.y() - ARROW_HALF_WIDTH)
            head.lineTo(tip.x() - ARROW_LENGTH, tip.y() + ARROW_HALF_WIDTH)
            head.closeSubpath()
        return head

    def shape(self) -> QPainterPath:
        """The line itself, a few pixels wide, and its arrow head. Qt's default is the
        path's filled area: an orthogonal route encloses a large region of empty canvas,
        and a click (or a note) anywhere in it went to the link."""
        path = self.path()
        if self._shape is None or self._shape[0] != path:
            stroker = QPainterPathStroker()
            stroker.setWidth(LINK_HIT_WIDTH)
            stroker.setCapStyle(Qt.PenCapStyle.RoundCap)
            stroker.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            # One stroke round the line and the head's outline, which covers the small
            # head whole.
            line = QPainterPath(path)
            line.addPath(self.arrow_head())
            self._shape = (path, stroker.createStroke(line))
        return self._shape[1]

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        # Drawn here rather than by QGraphicsPathItem, which fills nothing but draws a
        # dashed box round the whole bounding rectangle of a selected link: the
        # selection is the blue, wider line.
        selected = self.isSelected()
        colour = QColor("#1f5fbf") if selected else QColor("#666666")
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(colour, 3 if selected else 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.path())
        painter.fillPath(self.arrow_head(), colour)
