"""The canvas: a QGraphicsScene that observes a ``Flow`` and draws it.

It owns no flow state. Every change arrives as a model event (node added, link removed,
state changed, ...) and the scene redraws the item concerned; every edit a person makes
(drop a node, drag a link, move, delete) becomes an undo command that calls the model.
Model events from the executor's worker thread are forwarded through a queued signal, so
items are only ever touched on the GUI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPen, QTransform, QUndoStack
from PySide6.QtWidgets import (
    QGraphicsScene,
    QGraphicsSceneContextMenuEvent,
    QGraphicsSceneMouseEvent,
)

from workbench.core.counts import counted
from workbench.flow import Flow, FlowError, FlowEvent, Link
from workbench.gui.flow_editor.commands import (
    AddNode,
    AddNote,
    Connect,
    MoveNodes,
    MoveNotes,
    Nudge,
)
from workbench.gui.flow_editor.items import GRID, LinkItem, NodeItem, PortItem
from workbench.gui.flow_editor.note_item import UNDER_NODES, NoteItem
from workbench.gui.flow_editor.router import Router
from workbench.gui.flow_editor.routing import LinkEnds, Rect

CANVAS_HALF = 20_000.0
# Drawing a node costs about half a millisecond: a big flow's progress is told every so
# many nodes (a quarter of a second or so).
PROGRESS_EVERY = 500


def _rect(rect: QRectF) -> Rect:
    return Rect(rect.left(), rect.top(), rect.right(), rect.bottom())


class FlowScene(QGraphicsScene):
    """Draws ``flow`` and turns gestures into undo commands on ``undo_stack``.

    Signals: ``refused(reason)`` when a connection is refused, ``message(text)`` for the
    status bar, ``node_activated(node_id)`` on double-click, ``node_menu(node_id, screen_pos)``
    on right-click, ``state_changed(node_id, state)``, ``note_activated(note_id)`` on a
    note's double-click, ``contents_changed()`` when a node or link was added, removed,
    renamed or re-linked (what the canvas's screen-reader text counts and names).
    """

    refused = Signal(str)
    message = Signal(str)
    node_activated = Signal(str)
    node_menu = Signal(str, object)
    state_changed = Signal(str, object)
    note_activated = Signal(str)
    contents_changed = Signal()
    _queued = Signal(object)

    def __init__(self, flow: Flow, undo_stack: QUndoStack, parent: Any = None,
                 progress: Callable[[int, int], None] | None = None) -> None:
        """Draw ``flow``; ``progress(nodes drawn, nodes)`` is told every
        ``PROGRESS_EVERY`` nodes, so a window drawing thousands can say how far it is."""
        super().__init__(parent)
        self.flow = flow
        self.undo_stack = undo_stack
        self.snap_to_grid = True
        self.nodes: dict[str, NodeItem] = {}
        self.links: dict[Link, LinkItem] = {}
        self.notes: dict[str, NoteItem] = {}
        self._drag_link: LinkItem | None = None
        self._drag_port: PortItem | None = None
        self._press_positions: dict[str, tuple[float, float]] = {}
        self._gui_thread = threading.get_ident()
        self._routing = False   # routes are computed once the whole flow is drawn
        self._router = Router()   # remembers routes: only the links a change concerns
        self._dragging = False    # nodes follow the mouse: reroute quickly, exactly after
        # A drag moves every selected node, each telling the scene: the links are routed
        # once for all of them, when the event loop is next free.
        self._reroute_timer = QTimer(self)
        self._reroute_timer.setSingleShot(True)
        self._reroute_timer.setInterval(0)
        self._reroute_timer.timeout.connect(lambda: self.reroute(quick=self._dragging))
        self.setBackgroundBrush(QColor("#f4f5f7"))
        # A fixed, generous canvas: were the scene rect the items' bounding box, the view
        # would re-centre it on every added node and placed nodes would jump.
        self.setSceneRect(QRectF(-CANVAS_HALF, -CANVAS_HALF, 2 * CANVAS_HALF,
                                 2 * CANVAS_HALF))
        self._queued.connect(self._apply, Qt.ConnectionType.QueuedConnection)
        for number, node in enumerate(flow, start=1):
            self._add_node_item(node.id)
            if progress is not None and number % PROGRESS_EVERY == 0:
                progress(number, len(flow.nodes))
        for link in flow.links:
            self._add_link_item(link)
        for note in flow.notes:
            self._add_note_item(note.id)
        self._routing = True
        self.reroute()
        self._unsubscribe = flow.subscribe(self._observe)

    def detach(self) -> None:
        """Stop observing the flow (the window is showing another one)."""
        self._unsubscribe()

    # Model -> items ---------------------------------------------------------------------
    def _observe(self, event: FlowEvent) -> None:
        if threading.get_ident() == self._gui_thread:
            self._apply(event)
        else:
            self._queued.emit(event)

    def _apply(self, event: FlowEvent) -> None:
        """Redraw what ``event`` changed; one without the node, link or note its kind is
        about changes nothing."""
        kind, node_id, link, note_id = event.kind, event.node_id, event.link, event.note_id
        if kind == "node_added" and node_id is not None:
            self._add_node_item(node_id)
        elif kind == "node_removed" and node_id is not None:
            item = self.nodes.pop(node_id, None)
            if item is not None:
                self.removeItem(item)
                self.reroute()   # the links that went around it may go straight
        elif kind in ("node_changed", "params_changed") and node_id is not None:
            item = self.nodes.get(node_id)
            node = self.flow.nodes.get(node_id)
            if item is not None and node is not None:
                item.update_from(node)
                if (item.pos().x(), item.pos().y()) != node.position:
                    item.setPos(*node.position)
        elif kind == "link_added" and link is not None:
            self._add_link_item(link)
        elif kind == "link_removed" and link is not None:
            link_item = self.links.pop(link, None)
            if link_item is not None:
                self.removeItem(link_item)
                self.reroute()   # links kept apart from it may take its place
        elif kind == "state_changed" and node_id is not None:
            item = self.nodes.get(node_id)
            if item is not None and event.state is not None:
                item.set_state(event.state)
            self.state_changed.emit(node_id, event.state)
        elif kind == "note_added":
            self._add_note_item(note_id)
        elif kind == "note_removed" and note_id is not None:
            note_item = self.notes.pop(note_id, None)
            if note_item is not None:
                self.removeItem(note_item)
        elif kind == "note_changed" and note_id in self.notes and note_id in self.flow.notes:
            self.notes[note_id].update_from(self.flow.notes[note_id])
        if kind in ("node_added", "node_removed", "node_changed", "link_added",
                    "link_removed"):
            self.contents_changed.emit()

    def _add_node_item(self, node_id: str) -> None:
        node = self.flow.nodes.get(node_id)
        if node is None or node_id in self.nodes:
            return
        item = NodeItem(node)   # drawn in the node's state already
        self.nodes[node_id] = item
        self.addItem(item)
        self._ensure_room(item)

    def _add_link_item(self, link: Link) -> None:
        if link in self.links:
            return
        source, target = self.nodes.get(link.source), self.nodes.get(link.target)
        if source is None or target is None:
            return
        item = LinkItem(link, source.port(link.source_port, "out"),
                        target.port(link.target_port, "in"))
        self.links[link] = item
        self.addItem(item)
        self.reroute()

    def node_moved(self, item: NodeItem) -> None:
        """Keep the links attached, and around the boxes, while a node is dragged or
        changes size: a moved node may now stand in any link's way."""
        self._ensure_room(item)
        if self._routing:
            self._reroute_timer.start()

    def reroute(self, quick: bool = False) -> None:
        """Route the links again around the nodes where they are now (``routing.py``:
        deterministic, so links that nothing concerns keep their place). The router
        searches again only the links a change concerns; ``quick`` (while nodes are
        dragged) only those that must change, the rest once the drag ends."""
        if not self._routing:
            return
        self._reroute_timer.stop()
        boxes: dict[Hashable, Rect] = {node_id: _rect(item.mapRectToScene(item.body_rect()))
                 for node_id, item in self.nodes.items()}
        items, ends = [], []
        for link, link_item in self.links.items():
            if link_item.source is None or link_item.target is None:
                continue
            start, end = link_item.source.scenePos(), link_item.target.scenePos()
            items.append(link_item)
            ends.append(LinkEnds(link.source, link.target, (start.x(), start.y()),
                                 (end.x(), end.y()), (link.source, link.source_port)))
        routes = self._router.route(boxes, ends, quick=quick)
        for link_item, points in zip(items, routes, strict=True):
            if points != link_item.route:   # redrawing a path costs; most stay put
                link_item.set_route(points)

    @property
    def routes_settled(self) -> bool:
        """Whether every link shows its exact route (none kept back by a drag)."""
        return self._router.settled

    def _ensure_room(self, item: NodeItem) -> None:
        """Grow the canvas when a node is dragged past its edge (rare: it is large)."""
        rect = item.sceneBoundingRect()
        if not self.sceneRect().contains(rect):
            self.setSceneRect(self.sceneRect().united(rect.adjusted(-2000, -2000, 2000,
                                                                    2000)))

    def _add_note_item(self, note_id: str | None) -> None:
        if note_id is None or note_id not in self.flow.notes or note_id in self.notes:
            return
        self.notes[note_id] = NoteItem(self.flow.notes[note_id])
        self.addItem(self.notes[note_id])
        # Notes stack in the flow's order, under every node: one put back by undo goes
        # back under the notes that were drawn over it.
        for place, note in enumerate(self.flow.notes):
            if note.id in self.notes:
                self.notes[note.id].set_stack_z(UNDER_NODES
                                                + place / (len(self.flow.notes) + 1))

    # Edits a person makes ---------------------------------------------------------------
    def add_node(self, type_name: str, position: tuple[float, float] = (0.0, 0.0),
                 **params: Any) -> str:
        """Add a node of ``type_name`` at ``position`` (undoable); returns its id."""
        if self.snap_to_grid:
            position = (round(position[0] / GRID) * GRID, round(position[1] / GRID) * GRID)
        command = AddNode(self.flow, type_name, position, params=params or None)
        self.undo_stack.push(command)
        return command.node_id

    def connect_ports(self, source: str, source_port: str, target: str,
                      target_port: str) -> Link | None:
        """Link two ports, or refuse with the model's reason (signal ``refused``)."""
        try:
            self.flow.check_link(source, source_port, target, target_port)
        except FlowError as error:
            self.refused.emit(str(error))
            return None
        command = Connect(self.flow, source, source_port, target, target_port)
        self.undo_stack.push(command)
        self.message.emit(f"Connected {command.text().removeprefix('connect ')}")
        return command.link

    def add_note(self, text: str, position: tuple[float, float]) -> str:
        """Add a note at ``position`` (undoable); returns its id."""
        command = AddNote(self.flow, text, position)
        self.undo_stack.push(command)
        return str(command.note_id)

    def nudge(self, dx: float, dy: float) -> bool:
        """Move the selected nodes and notes by (``dx``, ``dy``), as an arrow key does:
        one undoable step for a burst of presses (``Nudge``). False with nothing
        selected, when the arrow keys scroll the view instead."""
        def step(old: tuple[float, float]) -> tuple[float, float]:
            x, y = old[0] + dx, old[1] + dy
            if self.snap_to_grid:
                x, y = round(x / GRID) * GRID, round(y / GRID) * GRID
            return (x, y)

        nodes = {i.node_id: self.flow.nodes[i.node_id].position
                 for i in self.selected_nodes() if i.node_id in self.flow.nodes}
        notes = {n: self.flow.notes[n].position
                 for n in self.selected_notes() if n in self.flow.notes}
        if not (nodes or notes):
            return False
        self.undo_stack.push(Nudge(self.flow, {n: (p, step(p)) for n, p in nodes.items()},
                                   {n: (p, step(p)) for n, p in notes.items()}))
        return True

    # Dragging a link from a port ----------------------------------------------------------
    def begin_link(self, port: PortItem) -> list[PortItem]:
        """Start dragging from ``port``: highlight the ports it may join; returns them."""
        self._drag_port = port
        allowed = {(p.node_id, p.name, p.direction) for p in
                   self.flow.compatible_ports(port.node_id, port.name, port.direction)}
        ok = []
        for item in self.nodes.values():
            for other in item.ports.values():
                if other is port:
                    continue
                good = (other.node_id, other.name, other.direction) in allowed
                other.set_highlight("ok" if good else "no")
                if good:
                    ok.append(other)
        self._drag_link = LinkItem(None, port if port.direction == "out" else None,
                                   port if port.direction == "in" else None)
        self._drag_link.setPen(QPen(QColor("#1f5fbf"), 2, Qt.PenStyle.DashLine))
        self.addItem(self._drag_link)
        self._drag_link.update_path(port.scenePos())
        self.message.emit(f"{counted(len(ok), 'port')} can take '{port.name}'" if ok else
                          f"no port of this flow can take '{port.name}'")
        return ok

    def drag_link_to(self, point: QPointF) -> str:
        """The loose end follows the pointer; over a port, says whether it may join."""
        if self._drag_link is None or self._drag_port is None:
            return ""
        self._drag_link.update_path(point)
        other = self.port_at(point)
        if other is None or other is self._drag_port:
            return ""
        reason = self._reason(self._drag_port, other)
        if reason:
            self.message.emit(reason)
        return reason

    @property
    def linking(self) -> bool:
        """Whether a link is being dragged from a port."""
        return self._drag_link is not None

    def cancel_link(self) -> None:
        """Escape while dragging a link: drop it and what it said in the status line;
        the mouse button's release then does nothing."""
        if self.linking:
            self._drop_drag_link()
            self.message.emit("Link cancelled")

    def _drop_drag_link(self) -> PortItem | None:
        """Take away the dragged link and the port highlights; returns the start port."""
        start = self._drag_port
        if self._drag_link is not None:
            self.removeItem(self._drag_link)
        self._drag_link, self._drag_port = None, None
        for item in self.nodes.values():
            for port in item.ports.values():
                port.set_highlight("")
        return start

    def end_link(self, other: PortItem | None) -> Link | None:
        """Drop the dragged link on ``other`` (None: nowhere); connects or refuses."""
        start = self._drop_drag_link()
        if start is None or other is None or other is start:
            if start is not None:
                self.message.emit("")   # "2 ports can take ..." is over with the drag
            return None
        reason = self._reason(start, other)
        if reason:
            self.refused.emit(reason)
            return None
        out, into = (start, other) if start.direction == "out" else (other, start)
        return self.connect_ports(out.node_id, out.name, into.node_id, into.name)

    def _reason(self, start: PortItem, other: PortItem) -> str:
        if start.direction == other.direction:
            kind = "inputs" if start.direction == "in" else "outputs"
            return f"cannot connect two {kind}: '{start.name}' and '{other.name}'"
        out, into = (start, other) if start.direction == "out" else (other, start)
        try:
            self.flow.check_link(out.node_id, out.name, into.node_id, into.name)
        except FlowError as error:
            return str(error)
        return ""

    def port_at(self, point: QPointF) -> PortItem | None:
        for item in self.items(point, Qt.ItemSelectionMode.IntersectsItemShape,
                               Qt.SortOrder.DescendingOrder, QTransform()):
            if isinstance(item, PortItem):
                return item
        return None

    # Mouse --------------------------------------------------------------------------------
    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        port = self.port_at(event.scenePos())
        if port is not None and event.button() == Qt.MouseButton.LeftButton:
            self.begin_link(port)
            event.accept()
            return
        super().mousePressEvent(event)
        self._press_positions = {i.node_id: self.flow.nodes[i.node_id].position
                                 for i in self.selected_nodes()
                                 if i.node_id in self.flow.nodes}
        # Only the left button drags; a right-click's release goes to its context menu,
        # and a drag begun by it would never end (every later reroute left quick).
        self._dragging = (event.button() == Qt.MouseButton.LeftButton
                          and bool(self._press_positions))

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._drag_link is not None:
            self.drag_link_to(event.scenePos())
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._drag_link is not None:
            self.end_link(self.port_at(event.scenePos()))
            return
        super().mouseReleaseEvent(event)
        self.end_drag()
        self.commit_moves()

    def end_drag(self) -> None:
        """The nodes stopped following the mouse: give every link its exact route
        (the quick reroutes of the drag kept some as they were)."""
        self._dragging = False
        if self._reroute_timer.isActive() or not self._router.settled:
            self.reroute()

    def commit_moves(self) -> None:
        """Record node and note drags as one undoable move."""
        moves = {}
        for node_id, old in self._press_positions.items():
            item = self.nodes.get(node_id)
            if item is not None:
                new = (item.pos().x(), item.pos().y())
                if new != old:
                    moves[node_id] = (old, new)
        self._press_positions = {}
        if moves:
            self.undo_stack.push(MoveNodes(self.flow, moves))
        note_moves = {}
        for note_id, note_item in self.notes.items():
            new = (note_item.pos().x(), note_item.pos().y())
            if note_id in self.flow.notes and self.flow.notes[note_id].position != new:
                note_moves[note_id] = (self.flow.notes[note_id].position, new)
        if note_moves:
            self.undo_stack.push(MoveNotes(self.flow, note_moves))

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        for item in self.items(event.scenePos()):
            if isinstance(item, NodeItem):
                self.node_activated.emit(item.node_id)
                return
            if isinstance(item, NoteItem):
                self.note_activated.emit(item.note_id)
                return
        super().mouseDoubleClickEvent(event)

    def contextMenuEvent(self, event: QGraphicsSceneContextMenuEvent) -> None:
        for item in self.items(event.scenePos()):
            if isinstance(item, NodeItem):
                if not item.isSelected():
                    self.clearSelection()
                    item.setSelected(True)
                self.node_menu.emit(item.node_id, event.screenPos())
                event.accept()
                return
        super().contextMenuEvent(event)

    # Selection ----------------------------------------------------------------------------
    def selected_nodes(self) -> list[NodeItem]:
        return [i for i in self.selectedItems() if isinstance(i, NodeItem)]

    def selected_links(self) -> list[Link]:
        return [i.link for i in self.selectedItems()
                if isinstance(i, LinkItem) and i.link is not None]

    def selected_notes(self) -> list[str]:
        return [i.note_id for i in self.selectedItems() if isinstance(i, NoteItem)]
