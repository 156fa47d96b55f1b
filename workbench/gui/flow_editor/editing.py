"""The flow editor's edits: what a person does to the flow with the mouse and keyboard.

A mixin of ``FlowEditor``. Each method turns a gesture (drop a node or a file, connect,
delete, align, rename, edit parameters, add or edit a note) into undo commands from
``commands.py``, so every edit is one undoable step and the canvas redraws from the
model's events. It uses the window's ``flow``, ``registry``, ``scene``, ``view``,
``undo_stack``, ``status``, ``is_template``, ``open_file`` and ``_refused``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, QSizeF
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog, QInputDialog, QMainWindow, QMenu

from workbench.core.counts import counted
from workbench.core.errors import WorkbenchError
from workbench.core.registry import Registry
from workbench.flow import Flow, Link
from workbench.flow.chosen_file import stored_file_name
from workbench.flow.notes import DEFAULT_WIDTH, capped_text
from workbench.gui.flow_editor import connect_menu, keyboard
from workbench.gui.flow_editor.commands import (
    EditNote,
    MoveNodes,
    RemoveNodes,
    RemoveNotes,
    RenameNode,
    SetParams,
    new_node_title,
    removal_text,
)
from workbench.gui.flow_editor.dialogs import NodeDialog, is_file_param
from workbench.gui.flow_editor.free_space import below_everything, free_spot
from workbench.gui.flow_editor.items import GRID, HEADER, NODE_WIDTH, NodeItem
from workbench.gui.flow_editor.note_item import note_size
from workbench.gui.flow_editor.scene import FlowScene
from workbench.gui.flow_editor.view import FlowView
from workbench.gui.widgets.status import WorkbenchStatusBar

# Free canvas kept round a node added from the keyboard: its ports and a link's bend fit.
NODE_GAP = 2 * GRID


class FlowEditing(QMainWindow):
    """The editor's undoable edits (a mixin of ``FlowEditor``: a part of that window,
    never made on its own)."""

    # The window's, set in FlowEditor.__init__ (``scene`` anew for each flow).
    flow: Flow
    registry: Registry
    scene: FlowScene
    view: FlowView
    undo_stack: QUndoStack
    status: WorkbenchStatusBar
    is_template: bool

    if TYPE_CHECKING:
        def open_file(self, path: str | Path, *, ask: bool = False, template: bool = False
                      ) -> bool:
            """FlowDocument's: opens a flow file."""

        def _refused(self, reason: str) -> None:
            """The window's: says why an edit was refused."""

    def add_node(self, type_name: str, position: tuple[float, float] | None = None,
                 **params: Any) -> str:
        """Add a node (undoable) and return its id; without ``position``, right of the
        rightmost node."""
        if position is None:
            xs = [n.position[0] for n in self.flow]
            position = (max(xs) + 200.0 if xs else 0.0, 0.0)
        try:
            return self.scene.add_node(type_name, position, **params)
        except WorkbenchError as error:
            self._refused(str(error))
            raise

    def drop_node(self, type_name: str, point: Any) -> str:
        """A component dropped from the palette: its header lands under the pointer
        (``point``, in scene coordinates), and nothing else on the canvas moves."""
        return self.add_node(type_name, (point.x() - NODE_WIDTH / 2, point.y() - HEADER / 2))

    def drop_files(self, paths: list[str], point: Any) -> list[str]:
        """Files dropped from a file manager: on a node with a file parameter, the first
        becomes its file; elsewhere each data file gets a loader of its kind under the
        pointer (a flow file is opened). Each is stored as Browse... stores it
        (``chosen_file.stored_file_name``: a bundled dataset by its name, so the flow
        runs on another machine). Returns the ids of the nodes changed or added."""
        for item in self.scene.items(point):
            if isinstance(item, NodeItem):
                node = self.flow.node(item.node_id)
                names = [p.name for p in (node.node_type.params if node.node_type else ())
                         if is_file_param(p)]
                if not names:
                    break
                stored = stored_file_name(node, paths[0], self.flow_folder())
                values = {**node.params, names[0]: stored}
                self.undo_stack.push(SetParams(self.flow, node.id, values))
                self.status.set_activity(f"{node.title}: {names[0]} = {stored}")
                return [node.id]
        if len(paths) == 1 and paths[0].lower().endswith((".kflow.json", ".json")):
            self.open_file(paths[0], ask=True)
            return []
        added: list[str] = []
        self.undo_stack.beginMacro(f"drop {counted(len(paths), 'file')}")
        loaders = self.loader_nodes()
        for offset, path in enumerate(paths):
            loader = _claiming(loaders, path)
            if loader is None:
                known = " ".join(e for exts in loaders.values() for e in exts)
                self._refused(f"{Path(path).name}: not a data file a loader reads ({known})")
                continue
            at = QPointF(point.x(), point.y() + offset * 4 * GRID)
            added.append(self.drop_node(loader, at))
            stored = stored_file_name(self.flow.node(added[-1]), path, self.flow_folder())
            self.undo_stack.push(SetParams(self.flow, added[-1], {"file": stored}))
        self.undo_stack.endMacro()
        return added

    def loader_nodes(self) -> dict[str, tuple[str, ...]]:
        """The palette's loader node types and the extensions each reads: WEKA's
        ArffLoader and CSVLoader, and any a plugin registers."""
        sources = {info.name: tuple(getattr(info.factory, "extensions", ()))
                   for info in self.registry.list("flow") if info.category == "DataSources"}
        return {name: extensions for name, extensions in sources.items() if extensions}

    def add_from_palette(self, type_name: str) -> str:
        """Enter or a double-click in the palette: the node goes on free canvas right of
        the one selected node (the next step of the flow), else nearest the middle of
        the view, never on another node; it is then selected, so the next one added
        lines up after it. Stepping aside only while the very spot was taken piled the
        nodes up, each hiding the last one's ports (walkthrough 13c, K3)."""
        size = self._new_node_size(type_name)
        seen = self.view.mapToScene(self.view.viewport().rect()).boundingRect()
        inside = seen.adjusted(GRID, GRID, -GRID, -GRID)
        beside = keyboard.one_selected(self.scene)
        if beside is not None:
            body = beside.mapRectToScene(beside.body_rect())
            centre = QPointF(body.right() + NODE_GAP + size.width() / 2,
                             body.top() + size.height() / 2)
            # Beside it even where the view ends there: the view follows the node.
            inside = inside.united(QRectF(centre.x() - 2 * size.width(),
                                          centre.y() - 2 * size.height(),
                                          4 * size.width(), 4 * size.height()))
        else:
            centre = seen.center()
        spot = free_spot(self.scene, size, centre, inside, gap=NODE_GAP)
        if spot is None:
            spot = below_everything(self.scene, gap=NODE_GAP)
        node_id = self.add_node(type_name, (spot.x(), spot.y()))
        self.view.ensureVisible(QRectF(spot, size), int(GRID), int(GRID))
        self.select([node_id])
        return node_id

    def _new_node_size(self, type_name: str) -> QSizeF:
        """The box a node of ``type_name`` added now takes: a node sizes itself to its
        title and ports, so one is drawn, off the canvas, for a flow of its own."""
        scratch = Flow(self.registry)
        node = scratch.add_node(type_name, title=new_node_title(self.flow, type_name))
        return NodeItem(node).body_rect().size()

    def connect_ports(self, source: str, source_port: str, target: str, target_port: str
                      ) -> bool:
        """Connect two ports as a drag between their handles would: True when linked;
        otherwise the reason is in the status bar (``last_refusal``)."""
        port = self.scene.nodes[source].port(source_port, "out")
        self.scene.begin_link(port)
        other = self.scene.nodes[target].port(target_port, "in")
        self.scene.drag_link_to(other.scenePos())
        return self.scene.end_link(other) is not None

    def connect_link(self, link: Link) -> bool:
        """A link chosen from a menu (``connect_menu.py``): made as a drag would make it."""
        return self.connect_ports(link.source, link.source_port, link.target,
                                  link.target_port)

    def disconnect_link(self, link: Link) -> bool:
        """Delete one link, as selecting it and pressing Delete does (undoable)."""
        if link not in self.flow.links:
            return False
        self.undo_stack.push(RemoveNodes(self.flow, [], [link]))
        return True

    def connect_selected(self) -> bool:
        """Edit > Connect node (Ctrl+L): the links the one selected node could make, in a
        menu at the node; the keyboard's way to link ports a mouse drags between."""
        item = keyboard.one_selected(self.scene)
        if item is None:
            self.status.set_activity(keyboard.why_not_one(self.scene, "connect it"))
            return False
        menu = connect_menu.connect_menu(self.flow, item.node_id, self.connect_link, self)
        if menu.isEmpty():
            menu.deleteLater()
            self.status.set_activity(f"No port in this flow can be linked to {item.title} "
                                     "now: add the node it should link to first")
            return False
        self.view.popup_at(item, menu)
        return True

    def disconnect_selected(self) -> bool:
        """Edit > Disconnect node (Ctrl+Shift+L): the one selected node's links, in a
        menu at the node; the chosen one is deleted."""
        item = keyboard.one_selected(self.scene)
        if item is None:
            self.status.set_activity(keyboard.why_not_one(self.scene, "disconnect it"))
            return False
        links = connect_menu.links_of(self.flow, item.node_id)
        if not links:
            self.status.set_activity(f"{item.title} has no links")
            return False
        menu = QMenu(self)
        connect_menu.fill(menu, self.flow, item.node_id, links, self.disconnect_link)
        self.view.popup_at(item, menu)
        return True


    def select(self, node_ids: list[str]) -> None:
        self.scene.clearSelection()
        for node_id in node_ids:
            self.scene.nodes[node_id].setSelected(True)

    def select_all(self) -> None:
        for item in self.scene.items():
            item.setSelected(True)

    def delete_selection(self) -> None:
        nodes = [i.node_id for i in self.scene.selected_nodes()]
        links = self.scene.selected_links()
        notes = self.scene.selected_notes()
        if not (nodes or links or notes):
            return
        self.undo_stack.beginMacro(removal_text(self.flow, nodes, links, len(notes)))
        if nodes or links:
            self.undo_stack.push(RemoveNodes(self.flow, nodes, links))
        if notes:
            self.undo_stack.push(RemoveNotes(self.flow, notes))
        self.undo_stack.endMacro()

    def align(self, edge: str) -> None:
        """Line the selected nodes up on the leftmost x (``left``) or topmost y (``top``)."""
        items = self.scene.selected_nodes()
        if len(items) < 2:
            return
        positions = {i.node_id: self.flow.nodes[i.node_id].position for i in items}
        if edge == "left":
            x = min(p[0] for p in positions.values())
            moves = {n: (p, (x, p[1])) for n, p in positions.items() if p[0] != x}
        else:
            y = min(p[1] for p in positions.values())
            moves = {n: (p, (p[0], y)) for n, p in positions.items() if p[1] != y}
        if moves:
            self.undo_stack.push(MoveNodes(self.flow, moves, f"align {edge}"))

    def ask_note_text(self, title: str, current: str = "") -> str | None:
        """Ask for a note's text (tests replace this); None when cancelled."""
        text, ok = QInputDialog.getMultiLineText(self, title, "Note:", current)
        return text if ok else None

    def add_note_dialog(self) -> str | None:
        """Ask for a text and put it as a note on free canvas nearest the middle of the
        view (the middle itself often holds a node, which hid the note); when the view
        has no room, under the flow, scrolled into view. Returns its id."""
        text = self.ask_note_text("Add note")
        if text is None or not text.strip():
            return None
        text = capped_text(text).strip()
        size = note_size(text, DEFAULT_WIDTH)
        seen = self.view.mapToScene(self.view.viewport().rect()).boundingRect()
        inside = seen.adjusted(GRID, GRID, -GRID, -GRID)   # ensureVisible's margins
        spot = free_spot(self.scene, size, seen.center(), inside)
        if spot is None:
            spot = below_everything(self.scene)
        note_id = self.scene.add_note(text, (spot.x(), spot.y()))
        self.view.ensureVisible(QRectF(spot, size), int(GRID), int(GRID))
        return note_id

    def edit_note(self, note_id: str, text: str | None = None) -> bool:
        """Change a note's text (asked for when not given) as one undoable step; an
        emptied note is deleted, as a person clearing it means."""
        note = self.flow.notes[note_id]
        if text is None:
            text = self.ask_note_text("Edit note", note.text)
            if text is None:
                return False
        text = capped_text(text.strip())  # as the model would keep it: no empty undo step
        if text == note.text:
            return False
        if not text:
            self.undo_stack.push(RemoveNotes(self.flow, [note_id]))
        else:
            self.undo_stack.push(EditNote(self.flow, note_id, text))
        return True


    def ask_title(self, current: str) -> str | None:
        """Ask for a node's new title (tests replace this); None when cancelled."""
        text, ok = QInputDialog.getText(self, "Rename node", "Title:", text=current)
        return text if ok else None

    def rename_node(self, node_id: str, title: str | None = None) -> bool:
        """Give a node a new title (asked for when not given), as one undoable step;
        titles tell two nodes of one type apart on the canvas and in the log."""
        node = self.flow.node(node_id)
        if title is None:
            title = self.ask_title(node.title)
            if title is None:
                return False
        title = title.strip()
        if not title or title == node.title:
            return False
        self.undo_stack.push(RenameNode(self.flow, node_id, title))
        self.status.set_activity(f"Renamed to {title}")
        return True

    def rename_selected(self) -> bool:
        """F2: rename the one selected node; with none or several, say so instead of
        renaming whichever Qt lists first."""
        item = keyboard.one_selected(self.scene)
        if item is None:
            self.status.set_activity(keyboard.why_not_one(self.scene, "rename it"))
            return False
        return self.rename_node(item.node_id)

    def edit_selected(self) -> bool:
        """Ctrl+E: the one selected node's parameters; with none or several, say so
        (after Ctrl+A it opened an arbitrary node's)."""
        item = keyboard.one_selected(self.scene)
        if item is None:
            self.status.set_activity(keyboard.why_not_one(self.scene, "edit its parameters"))
            return False
        return self.edit_parameters(item.node_id)

    def flow_folder(self) -> Path | None:
        """The folder a picked file is stored relative to: the saved flow's (None for a
        flow never saved, and for a bundled template, which is saved elsewhere)."""
        return self.flow.path.parent if self.flow.path and not self.is_template else None

    def parameter_dialog(self, node_id: str) -> NodeDialog:
        return NodeDialog(self.flow.node(node_id), self, base_dir=self.flow_folder())

    def edit_parameters(self, node_id: str, dialog: NodeDialog | None = None) -> bool:
        """Show the node's parameter sheet; OK applies it as one undoable edit."""
        dialog = dialog or self.parameter_dialog(node_id)
        if dialog.result() != QDialog.DialogCode.Accepted and dialog.exec() != \
                QDialog.DialogCode.Accepted:
            return False
        node = self.flow.node(node_id)
        values, title = dialog.values(), dialog.title() or node.title
        if values == node.params and title == node.title:
            return False
        try:
            self.undo_stack.push(SetParams(self.flow, node_id, values, title))
        except WorkbenchError as error:
            self._refused(str(error))
            return False
        return True


def _claiming(loaders: dict[str, tuple[str, ...]], path: str) -> str | None:
    """The loader node whose extension fits ``path`` best (the longest: ``.arff.gz``)."""
    name = Path(path).name.lower()
    fits = [(len(e), loader) for loader, exts in loaders.items() for e in exts
            if name.endswith(e.lower())]
    return max(fits)[1] if fits else None
