"""Copy, cut and paste of flow nodes, as flow-file JSON on the system clipboard.

A mixin of ``FlowEditor``. The clipboard holds the selected nodes and the links among
them in the flow file's own format, so a selection pasted into another window, another
Workbench, or a text editor and back stays one flow; pasting adds the nodes with fresh
ids as one undo step. The clipboard is anyone's text, so it is read through the guarded
JSON parser and refused, never raised, when it holds no flow.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication, QUndoStack
from PySide6.QtWidgets import QMainWindow

from workbench.core.counts import counted
from workbench.core.errors import WorkbenchError
from workbench.core.jsonfile import parse_json
from workbench.core.registry import Registry
from workbench.flow import FORMAT, Flow, flow_from_dict, flow_to_dict
from workbench.gui.flow_editor.commands import AddNode, AddNote, Connect
from workbench.gui.flow_editor.scene import FlowScene
from workbench.gui.widgets.status import WorkbenchStatusBar

PASTE_OFFSET = 40.0


class FlowClipboard(QMainWindow):
    """Copy, cut and paste (a mixin of ``FlowEditor``: a part of that window, never made
    on its own)."""

    # The window's, set in FlowEditor.__init__ (``scene`` anew for each flow).
    flow: Flow
    registry: Registry
    scene: FlowScene
    undo_stack: QUndoStack
    status: WorkbenchStatusBar

    if TYPE_CHECKING:
        def delete_selection(self) -> None:
            """FlowEditing's: deletes the selected nodes, links and notes."""

        def select(self, node_ids: list[str]) -> None:
            """FlowEditing's: selects just these nodes."""

    def selection_json(self) -> str:
        """The selected nodes, the links among them and the selected notes, as a flow
        file's JSON."""
        chosen = {i.node_id for i in self.scene.selected_nodes()}
        data = flow_to_dict(self.flow)
        data["nodes"] = [n for n in data["nodes"] if n["id"] in chosen]
        data["links"] = [lk for lk in data["links"]
                         if lk["from"]["node"] in chosen and lk["to"]["node"] in chosen]
        data["ui"] = {"positions": {k: v for k, v in data["ui"]["positions"].items()
                                    if k in chosen}}
        notes = self.scene.selected_notes()
        if notes:
            data["ui"]["notes"] = [self.flow.notes[n].to_dict() for n in notes]
        return json.dumps(data, indent=1)

    def copy(self) -> None:
        if self.scene.selected_nodes() or self.scene.selected_notes():
            QGuiApplication.clipboard().setText(self.selection_json())

    def cut(self) -> None:
        self.copy()
        self.delete_selection()

    def paste(self, text: str | None = None) -> list[str]:
        """Add the nodes, links and notes of flow JSON (the clipboard's, by default) with
        fresh ids, shifted so they do not cover the originals; one undo step. Returns the
        new nodes' ids."""
        text = QGuiApplication.clipboard().text() if text is None else text
        try:
            # The clipboard is anyone's text: the guarded parser bounds its depth.
            data = parse_json(text, None, what="clipboard")
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                raise ValueError
            pasted = flow_from_dict(data, self.registry)
        except (ValueError, WorkbenchError) as error:
            self.status.set_activity(f"nothing to paste: the clipboard holds no flow nodes "
                                     f"({error})" if str(error) else
                                     "nothing to paste: the clipboard holds no flow nodes")
            return []
        ids: dict[str, str] = {}
        self.undo_stack.beginMacro(f"paste {counted(len(pasted), 'node')}" + (
            f", {counted(len(pasted.notes), 'note')}" if pasted.notes else ""))
        for node in pasted:
            x, y = node.position
            command = AddNode(self.flow, node.type_name, (x + PASTE_OFFSET, y + PASTE_OFFSET),
                              params=node.params, title=node.title)
            self.undo_stack.push(command)
            ids[node.id] = command.node_id
        for link in pasted.links:
            self.undo_stack.push(Connect(self.flow, ids[link.source], link.source_port,
                                         ids[link.target], link.target_port))
        for note in pasted.notes:
            x, y = note.position
            self.undo_stack.push(AddNote(self.flow, note.text,
                                         (x + PASTE_OFFSET, y + PASTE_OFFSET), note.width))
        self.undo_stack.endMacro()
        self.select(list(ids.values()))
        return list(ids.values())

