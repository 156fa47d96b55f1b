"""Undo commands: each one calls the flow model's methods and nothing else.

The canvas redraws because it observes the model, so undo, redo, paste, scripts and
tests all share one path (STYLE.md, orange-canvas-core). A command remembers just
enough to put the model back: node ids are kept, so redo recreates the very same ids and
links still find their ends.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from typing import Any, TypedDict

from PySide6.QtGui import QUndoCommand

from workbench.core.counts import counted
from workbench.core.names import short_name
from workbench.core.registry import ComponentInfo
from workbench.flow import Flow, Link
from workbench.flow.nodes.catalog import lookup_node_type
from workbench.flow.notes import DEFAULT_WIDTH, Note


class _NodeRecord(TypedDict):
    """What putting a node back takes (``flow.add_node``'s arguments, and its ``ui``); the
    id and title are None in an ``AddNode`` not yet run: the flow chooses them."""

    id: str | None
    type: str
    params: dict[str, Any]
    title: str | None
    position: tuple[float, float]
    plugin: str | None
    ui: dict[str, Any]


def _node_record(flow: Flow, node_id: str) -> _NodeRecord:
    node = flow.node(node_id)
    return {"id": node.id, "type": node.type_name, "params": copy.deepcopy(node.params),
            "title": node.title, "position": node.position, "plugin": node.plugin,
            "ui": copy.deepcopy(node.ui)}


def _restore_node(flow: Flow, record: _NodeRecord, index: int | None = None) -> None:
    node = flow.add_node(record["type"], params=record["params"], node_id=record["id"],
                         title=record["title"], position=record["position"],
                         plugin=record["plugin"], index=index)
    node.ui = copy.deepcopy(record["ui"])


def _title(flow: Flow, node_id: str) -> str:
    node = flow.nodes.get(node_id)
    return node.title if node is not None else node_id


def _shown_name(flow: Flow, node_type: Any, type_name: str) -> str:
    """A new node's title: the chooser's short name of its component ("MLP", "IBk"), its
    long name kept for the tooltip, so the canvas shows titles of a line or two. A
    component whose short name is only its registry key or a Java class path
    ("weka.filters.supervised.attribute.Discretize") keeps its display name."""
    if node_type is None:
        return type_name
    shown = str(getattr(node_type, "display_name", None) or getattr(node_type, "name",
                                                                       type_name))
    info = getattr(node_type, "component", None)
    if isinstance(info, ComponentInfo):
        short = short_name(info, flow.registry)
        if short != info.name and "." not in short and len(short) < len(shown):
            return short
    return shown


def new_node_title(flow: Flow, type_name: str) -> str:
    """The title a node of ``type_name`` added to ``flow`` now gets ("IBk2")."""
    node_type = lookup_node_type(flow.registry, type_name)
    return unique_title(flow, _shown_name(flow, node_type, type_name))


def unique_title(flow: Flow, title: str) -> str:
    """``title``, numbered when a node of the flow has it already, as WEKA's Knowledge
    Flow numbers a second step: "ClassifierPerformanceEvaluator2"; a title of several
    words gets a space, "Discretize (supervised) 2". The log, the undo history, the
    viewer windows and ``--set TITLE.PARAM`` tell nodes apart by their titles."""
    taken = {node.title for node in flow}
    if title not in taken:
        return title
    sep = " " if " " in title else ""
    base = re.sub(r" \d+$" if sep else r"\d+$", "", title) or title
    number = 2
    while f"{base}{sep}{number}" in taken:
        number += 1
    return f"{base}{sep}{number}"


def removal_text(flow: Flow, node_ids: Iterable[str], links: Iterable[Link] = (),
                 notes: int = 0) -> str:
    """The undo entry of a deletion in the user's words: "delete link ArffLoader.dataSet →
    ClassAssigner.dataSet", "delete IBk and its 3 links", "delete ArffLoader, IBk and their
    2 links", "delete 4 nodes, 2 notes"."""
    gone = set(node_ids)
    nodes = [node.title for node in flow if node.id in gone]   # in the flow's order
    own = [lk for lk in links if lk.source not in gone and lk.target not in gone]
    attached = sum(1 for lk in flow.links if lk.source in gone or lk.target in gone)
    parts = []
    if nodes:
        text = ", ".join(nodes) if len(nodes) <= 2 else f"{len(nodes)} nodes"
        if attached:
            their = "its" if len(nodes) == 1 else "their"
            text += f" and {their} {'link' if attached == 1 else counted(attached, 'link')}"
        parts.append(text)
    if len(own) == 1:
        link = own[0]
        parts.append(f"link {_title(flow, link.source)}.{link.source_port} → "
                     f"{_title(flow, link.target)}.{link.target_port}")
    elif own:
        parts.append(counted(len(own), "link"))
    if notes:
        parts.append("note" if notes == 1 else counted(notes, "note"))
    return "delete " + ", ".join(parts)


class AddNode(QUndoCommand):
    """Add one node; the id is chosen on the first redo and reused after."""

    def __init__(self, flow: Flow, type_name: str, position: tuple[float, float],
                 params: dict[str, Any] | None = None, title: str | None = None,
                 node_id: str | None = None, parent: QUndoCommand | None = None) -> None:
        super().__init__(parent)
        self.flow = flow
        self.record: _NodeRecord = {"id": node_id, "type": type_name, "params": params or {},
                                    "title": title, "position": position, "plugin": None,
                                    "ui": {}}
        node_type = lookup_node_type(flow.registry, type_name)
        self.setText(f"add {title or _shown_name(flow, node_type, type_name)}")

    @property
    def node_id(self) -> str:
        """The node's id: chosen by the first redo, which ``QUndoStack.push`` runs."""
        node_id = self.record["id"]
        assert node_id is not None, "AddNode.node_id is known once the command was pushed"
        return node_id

    def redo(self) -> None:
        if self.record["id"] is None:
            node_type = lookup_node_type(self.flow.registry, self.record["type"])
            title = self.record["title"] or _shown_name(self.flow, node_type, self.record["type"])
            node = self.flow.add_node(self.record["type"], params=self.record["params"],
                                      title=unique_title(self.flow, title),
                                      position=self.record["position"])
            self.record = _node_record(self.flow, node.id)
            # The user's words (the chooser's "IBk"), never the registry key
            # "classifier:knn".
            self.setText(f"add {node.title}")
        else:
            _restore_node(self.flow, self.record)

    def undo(self) -> None:
        self.flow.remove_node(self.node_id)


class RemoveNodes(QUndoCommand):
    """Remove nodes and links; undo restores both exactly: same ids, and each node and
    link back at its place in the flow's order, so the saved file does not change."""

    def __init__(self, flow: Flow, node_ids: Iterable[str], links: Iterable[Link] = (),
                 parent: QUndoCommand | None = None) -> None:
        super().__init__(parent)
        self.flow = flow
        self.node_ids = list(dict.fromkeys(node_ids))
        gone, chosen = set(self.node_ids), set(links)
        self.links = [(i, lk) for i, lk in enumerate(flow.links) if lk in chosen or
                      lk.source in gone or lk.target in gone]
        order = {node_id: i for i, node_id in enumerate(flow.nodes)}
        self.records = sorted(((order[n], _node_record(flow, n)) for n in self.node_ids),
                              key=lambda pair: pair[0])
        self.setText(removal_text(flow, self.node_ids, chosen))

    def redo(self) -> None:
        for _, link in self.links:
            if link in self.flow.links:
                self.flow.remove_link(link)
        for node_id in self.node_ids:
            self.flow.remove_node(node_id)

    def undo(self) -> None:
        # Ascending order: each one goes back where it was, among those already back.
        for index, record in self.records:
            _restore_node(self.flow, record, index)
        for index, link in self.links:
            self.flow.connect(link.source, link.source_port, link.target, link.target_port,
                              index=index)


class Connect(QUndoCommand):
    """Link two ports (checked by the model before the command is pushed)."""

    def __init__(self, flow: Flow, source: str, source_port: str, target: str,
                 target_port: str, parent: QUndoCommand | None = None) -> None:
        super().__init__(parent)
        self.flow = flow
        self.link = Link(source, source_port, target, target_port)
        # Titles, as the canvas shows them, not the ids inside the file.
        self.setText(f"connect {_title(flow, source)}.{source_port} to "
                     f"{_title(flow, target)}.{target_port}")

    def redo(self) -> None:
        self.flow.connect(self.link.source, self.link.source_port, self.link.target,
                          self.link.target_port)

    def undo(self) -> None:
        self.flow.remove_link(self.link)


class MoveNodes(QUndoCommand):
    """Move nodes from old to new positions (the canvas already shows the new ones)."""

    def __init__(self, flow: Flow, moves: dict[str, tuple[tuple[float, float],
                                                          tuple[float, float]]],
                 text: str = "move", parent: QUndoCommand | None = None) -> None:
        super().__init__(parent)
        self.flow = flow
        self.moves = moves
        self.setText(f"{text} {counted(len(moves), 'node')}")

    def redo(self) -> None:
        for node_id, (_, new) in self.moves.items():
            self.flow.move_node(node_id, new)

    def undo(self) -> None:
        for node_id, (old, _) in self.moves.items():
            self.flow.move_node(node_id, old)


class SetParams(QUndoCommand):
    """Change a node's parameters and title."""

    def __init__(self, flow: Flow, node_id: str, values: dict[str, Any],
                 title: str | None = None, parent: QUndoCommand | None = None) -> None:
        super().__init__(parent)
        node = flow.node(node_id)
        self.flow = flow
        self.node_id = node_id
        self.old = copy.deepcopy(node.params)
        self.new = values
        self.old_title = node.title
        self.new_title = title if title is not None else node.title
        self.setText(f"edit {node.title}")

    def redo(self) -> None:
        self.flow.set_params(self.node_id, **self.new)
        if self.new_title != self.old_title:
            self.flow.set_title(self.node_id, self.new_title)

    def undo(self) -> None:
        self.flow.set_params(self.node_id, **self.old)
        if self.new_title != self.old_title:
            self.flow.set_title(self.node_id, self.old_title)


class RenameNode(QUndoCommand):
    """Give a node a new title (what the canvas, the log and ``--set TITLE.PARAM`` show)."""

    def __init__(self, flow: Flow, node_id: str, title: str,
                 parent: QUndoCommand | None = None) -> None:
        super().__init__(parent)
        self.flow = flow
        self.node_id = node_id
        self.old = flow.node(node_id).title
        self.new = title
        self.setText(f"rename {self.old} to {title}")

    def redo(self) -> None:
        self.flow.set_title(self.node_id, self.new)

    def undo(self) -> None:
        self.flow.set_title(self.node_id, self.old)


class AddNote(QUndoCommand):
    """Add a note; its id is chosen on the first redo and reused after."""

    def __init__(self, flow: Flow, text: str, position: tuple[float, float],
                 width: float = DEFAULT_WIDTH, parent: QUndoCommand | None = None) -> None:
        super().__init__(parent)
        self.flow = flow
        # Not ``text``: that would hide QUndoCommand.text(), the undo entry's words.
        self.note_text, self.position, self.width = text, position, width
        self.note_id: str | None = None
        self.setText("add note")

    def redo(self) -> None:
        note = self.flow.notes.add(self.note_text, self.position, width=self.width,
                                   note_id=self.note_id)
        self.note_id = note.id

    def undo(self) -> None:
        if self.note_id is not None:
            self.flow.notes.remove(self.note_id)


class RemoveNotes(QUndoCommand):
    """Remove notes; undo puts each back with its id at its place in the drawing order."""

    def __init__(self, flow: Flow, note_ids: Iterable[str],
                 parent: QUndoCommand | None = None) -> None:
        super().__init__(parent)
        self.flow = flow
        ids = list(dict.fromkeys(note_ids))
        self.records: list[tuple[int, Note]] = sorted(
            ((flow.notes.index(n), copy.deepcopy(flow.notes[n])) for n in ids),
            key=lambda pair: pair[0])
        self.setText(removal_text(flow, (), (), len(ids)))

    def redo(self) -> None:
        for _, note in self.records:
            self.flow.notes.remove(note.id)

    def undo(self) -> None:
        for index, note in self.records:
            self.flow.notes.add(note.text, note.position, width=note.width, note_id=note.id,
                                index=index, extra=copy.deepcopy(note.extra))


class EditNote(QUndoCommand):
    """Change a note's text."""

    def __init__(self, flow: Flow, note_id: str, text: str,
                 parent: QUndoCommand | None = None) -> None:
        super().__init__(parent)
        self.flow = flow
        self.note_id = note_id
        self.old, self.new = flow.notes[note_id].text, text
        self.setText("edit note")

    def redo(self) -> None:
        self.flow.notes.change(self.note_id, text=self.new)

    def undo(self) -> None:
        self.flow.notes.change(self.note_id, text=self.old)


class MoveNotes(QUndoCommand):
    """Move notes from old to new positions (the canvas already shows the new ones)."""

    def __init__(self, flow: Flow, moves: dict[str, tuple[tuple[float, float],
                                                          tuple[float, float]]],
                 parent: QUndoCommand | None = None) -> None:
        super().__init__(parent)
        self.flow = flow
        self.moves = moves
        self.setText(f"move {counted(len(moves), 'note')}")

    def redo(self) -> None:
        for note_id, (_, new) in self.moves.items():
            self.flow.notes.change(note_id, position=new)

    def undo(self) -> None:
        for note_id, (old, _) in self.moves.items():
            self.flow.notes.change(note_id, position=old)


Position = tuple[float, float]
# QUndoCommand.id of arrow-key moves: consecutive ones merge (``Nudge.mergeWith``).
NUDGE_ID = 1001


class Nudge(QUndoCommand):
    """Arrow keys moving the selected nodes and notes a step. The presses of one burst,
    the same items moved one press after another, merge into a single step, so Undo
    takes back the whole move as it does a mouse drag's, not one grid step of it."""

    def __init__(self, flow: Flow, nodes: dict[str, tuple[Position, Position]],
                 notes: dict[str, tuple[Position, Position]],
                 parent: QUndoCommand | None = None) -> None:
        super().__init__(parent)
        self.flow = flow
        self.nodes, self.notes = dict(nodes), dict(notes)
        parts = [counted(len(self.nodes), "node")] if self.nodes else []
        parts += [counted(len(self.notes), "note")] if self.notes else []
        self.setText("move " + ", ".join(parts))

    def id(self) -> int:
        return NUDGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (isinstance(other, Nudge) and other.nodes.keys() == self.nodes.keys()
                and other.notes.keys() == self.notes.keys()):
            return False
        for moves, later in ((self.nodes, other.nodes), (self.notes, other.notes)):
            for key, (_, new) in later.items():
                moves[key] = (moves[key][0], new)
        return True

    def redo(self) -> None:
        for node_id, (_, new) in self.nodes.items():
            self.flow.move_node(node_id, new)
        for note_id, (_, new) in self.notes.items():
            self.flow.notes.change(note_id, position=new)

    def undo(self) -> None:
        for node_id, (old, _) in self.nodes.items():
            self.flow.move_node(node_id, old)
        for note_id, (old, _) in self.notes.items():
            self.flow.notes.change(note_id, position=old)
