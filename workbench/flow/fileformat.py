"""Flow files: versioned JSON, data only.

A flow file is a JSON object::

    {"format": "workbench-flow", "schema_version": 2, "title": "...",
     "nodes": [{"id": "knn1", "type": "classifier:knn", "title": "IBk",
                "parameters": {"k": 3, ...}, "plugin": "extra_sklearn"}],
     "links": [{"from": {"node": "cv1", "port": "trainingSet"},
                "to": {"node": "knn1", "port": "trainingSet"}}],
     "ui": {"positions": {"knn1": [220, 80]}, "notes": [{"text": "...", "position": [0, 0]}]}}

Node ids are stable (never renumbered on save), parameters are stored exactly as
declared, and everything only the canvas cares about sits under ``ui``. A node whose type
is not installed loads as a placeholder that keeps its parameters and links and says
which plugin it needs (``plugin``); saving writes it back unchanged. A node with no
position, or one beyond ``layout.MAX_COORDINATE`` (a warning names it), is laid out
below the others (``layout.place_unplaced``): layout never stops a flow. Older schema
versions are migrated step by step on load (``MIGRATIONS``). Nothing in a flow file is
ever executed: no pickle, no eval; a node type is only ever looked up by name in the
registry of installed components.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workbench.core.atomic import write_text_atomic
from workbench.core.errors import DataFormatError, WorkbenchError, WorkbenchWarning, printable
from workbench.core.jsonfile import read_json
from workbench.core.registry import Registry
from workbench.flow.graph import MAX_LINKS, MAX_NODES, Flow
from workbench.flow.layout import MAX_COORDINATE, place_unplaced, usable_position

FORMAT = "workbench-flow"
SCHEMA_VERSION = 2
EXTENSION = ".kflow.json"


class FlowFileError(DataFormatError):
    """A flow file cannot be read: not JSON, not a flow, or inconsistent."""


def _migrate_1_to_2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 kept positions inside each node and spelled links flat
    (``source``/``source_port``/``target``/``target_port``); version 2 keeps UI data apart
    and names both ends of a link."""
    positions = {}
    nodes = data.get("nodes", [])
    links = data.get("links", [])
    if not isinstance(nodes, list) or not isinstance(links, list):
        raise FlowFileError("\"nodes\" and \"links\" must be lists")
    for node in nodes:
        if isinstance(node, dict) and "position" in node and isinstance(node.get("id"), str):
            positions[node["id"]] = node.pop("position")
    ui = data.get("ui")
    ui = ui if isinstance(ui, dict) else {}
    stored = ui.get("positions")
    ui["positions"] = {**(stored if isinstance(stored, dict) else {}), **positions}
    data["ui"] = ui
    try:
        data["links"] = [
            {"from": {"node": lk["source"], "port": lk["source_port"]},
             "to": {"node": lk["target"], "port": lk["target_port"]}}
            for lk in links]
    except (KeyError, TypeError):
        raise FlowFileError("a version 1 link needs \"source\", \"source_port\", "
                            "\"target\" and \"target_port\"") from None
    data["schema_version"] = 2
    return data


# schema_version N -> N + 1
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _migrate_1_to_2}


def migrate(data: dict[str, Any], path: str | os.PathLike[str] | None = None
            ) -> dict[str, Any]:
    """Bring a flow dict from its schema version to the current one."""
    version = data.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise FlowFileError(f"schema_version must be a whole number >= 1, got {version!r}",
                            path)
    if version > SCHEMA_VERSION:
        raise FlowFileError(f"the flow was saved by a newer Workbench (schema version "
                            f"{version}; this one reads up to {SCHEMA_VERSION})", path)
    while version < SCHEMA_VERSION:
        try:
            data = MIGRATIONS[version](data)
        except FlowFileError as error:
            raise FlowFileError(error.reason, path) from None
        version = data["schema_version"]
    return data


def flow_to_dict(flow: Flow) -> dict[str, Any]:
    """The flow as a JSON-ready dict in the current schema."""
    nodes = []
    for node in flow.nodes.values():
        entry: dict[str, Any] = {"id": node.id, "type": node.type_name, "title": node.title,
                                 "parameters": node.params}
        if node.plugin:
            entry["plugin"] = node.plugin
        nodes.append(entry)
    links = [{"from": {"node": lk.source, "port": lk.source_port},
              "to": {"node": lk.target, "port": lk.target_port}} for lk in flow.links]
    ui: dict[str, Any] = {"positions": {n.id: list(n.position) for n in flow.nodes.values()}}
    extra = {n.id: n.ui for n in flow.nodes.values() if n.ui}
    if extra:
        ui["nodes"] = extra
    if flow.notes:
        ui["notes"] = flow.notes.to_list()
    return {"format": FORMAT, "schema_version": SCHEMA_VERSION, "title": flow.title,
            "nodes": nodes, "links": links, "ui": ui}


def flow_from_dict(data: Any, registry: Registry | None = None,
                   path: str | os.PathLike[str] | None = None) -> Flow:
    """Build a flow from a parsed flow file; unknown node types become placeholders."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise FlowFileError(f"not a Workbench flow (expected a JSON object with "
                            f"\"format\": \"{FORMAT}\")", path)
    data = migrate(dict(data), path)
    title = data.get("title", "")
    if not isinstance(title, str):
        raise FlowFileError("\"title\" must be text", path)
    flow = Flow(registry, title=title, path=path)
    ui = _object(data.get("ui"))
    positions = _object(ui.get("positions"))
    node_ui = _object(ui.get("nodes"))
    nodes = data.get("nodes")
    if not isinstance(nodes, list):
        raise FlowFileError("\"nodes\" must be a list", path)
    links = data.get("links", [])
    if links is None:
        links = []
    if not isinstance(links, list):
        raise FlowFileError("\"links\" must be a list", path)
    for what, items, most in (("nodes", nodes, MAX_NODES), ("links", links, MAX_LINKS)):
        if len(items) > most:
            raise FlowFileError(f"the flow has {len(items):,} {what}, more than a flow "
                                f"file may hold", path,
                                expected=f"at most {most:,} {what}")
    unplaced: list[str] = []   # no position, or one off the canvas: laid out below
    far: list[tuple[str, Any]] = []
    for number, entry in enumerate(nodes, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or \
                not isinstance(entry.get("type"), str):
            raise FlowFileError(f"node {number} needs a string \"id\" and \"type\"", path)
        who = f"node '{_shown(entry['id'])}'"
        if entry.get("title") is not None and not isinstance(entry["title"], str):
            raise FlowFileError(f"{who}: \"title\" must be text", path)
        if entry.get("plugin") is not None and not isinstance(entry["plugin"], str):
            raise FlowFileError(f"{who}: \"plugin\" must be text", path)
        params = entry.get("parameters") or {}
        if not isinstance(params, dict):
            raise FlowFileError(f"{who}: \"parameters\" must be an object", path)
        position = positions.get(entry["id"])
        if position is not None and not (isinstance(position, list | tuple)
                                         and len(position) == 2
                                         and all(_number(v) for v in position)):
            raise FlowFileError(f"{who}: its position must be two numbers", path)
        if position is not None and not usable_position(position):
            far.append((entry["id"], position))
        if position is None or not usable_position(position):
            unplaced.append(entry["id"])
            position = (0.0, 0.0)
        try:
            node = flow.add_node(entry["type"], params=params, node_id=entry["id"],
                                 title=entry.get("title"), position=position,
                                 plugin=entry.get("plugin"))
        except WorkbenchError as error:
            raise FlowFileError(f"{who}: {error}", path) from None
        except (TypeError, ValueError, OverflowError) as error:
            raise FlowFileError(f"{who}: {error}", path) from None
        node.ui = _object(node_ui.get(entry["id"]))
    for number, entry in enumerate(links, start=1):
        ends = _link_ends(entry)
        if ends is None:
            raise FlowFileError(f"link {number} needs \"from\" and \"to\", each with "
                                f"a text \"node\" and \"port\"", path)
        try:
            flow.connect(*ends)
        except WorkbenchError as error:
            raise FlowFileError(f"link {number}: {error}", path) from None
    flow.notes.load(ui.get("notes"))
    place_unplaced(flow, unplaced)
    if far:
        _warn_far(far, path)
    return flow


def _warn_far(far: list[tuple[str, Any]], path: str | os.PathLike[str] | None) -> None:
    """Say which nodes had a position beyond ``MAX_COORDINATE`` and were placed anew.

    Why a warning and a new place, not a refusal: a position is layout only (the run
    ignores it), and refusing would leave the user a JSON file to edit by hand, while a
    clamped node would sit a million pixels away, a dot after Fit to view. Placed beside
    the others, the node is seen, and saving the flow stores its new place."""
    node_id, position = far[0]
    shown = ", ".join(_number_text(v) for v in position)
    who = (f"node '{_shown(node_id)}': its position [{shown}] is" if len(far) == 1 else
           f"node '{_shown(node_id)}' and {len(far) - 1} more: their positions (the "
           f"first [{shown}]) are")
    where = f"{printable(str(path))}: " if path is not None else ""
    bound = f"{MAX_COORDINATE:,.0f}"
    warnings.warn(WorkbenchWarning(
        f"{where}{who} off the canvas (expected numbers from -{bound} to {bound}); "
        f"placed below the other nodes instead"), stacklevel=3)


def _number(value: Any) -> bool:
    """A JSON number (``true`` is not one, though Python counts it as 1)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _number_text(value: float) -> str:
    """A number from the file, short: JSON allows integers of any length (printing one
    of 5 000 digits raises in Python, and would fill the screen)."""
    if isinstance(value, int) and value.bit_length() > 64:
        return f"an integer of about {int(value.bit_length() * 0.30103)} digits"
    return f"{value:g}"


def _link_ends(entry: Any) -> tuple[str, str, str, str] | None:
    """The four names of a stored link, or None when it is not shaped like one."""
    if not isinstance(entry, dict):
        return None
    source, target = entry.get("from"), entry.get("to")
    if not isinstance(source, dict) or not isinstance(target, dict):
        return None
    a, b, c, d = (source.get("node"), source.get("port"), target.get("node"),
                  target.get("port"))
    if isinstance(a, str) and isinstance(b, str) and isinstance(c, str) and isinstance(d, str):
        return a, b, c, d
    return None


def _shown(text: str) -> str:
    """A name from the file as it may be shown: control characters escaped, cut short."""
    shown = text.encode("unicode_escape", "backslashreplace").decode("ascii")
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _object(value: Any) -> dict[str, Any]:
    """A JSON object, or an empty one for anything else (UI data is never worth refusing
    a flow over)."""
    return dict(value) if isinstance(value, dict) else {}


def load_flow(path: str | os.PathLike[str], registry: Registry | None = None) -> Flow:
    """Read a flow file; relative data paths in it are resolved against its folder."""
    data = read_json(path, FlowFileError, what="a flow file (JSON)")
    return flow_from_dict(data, registry, Path(path))


def save_flow(flow: Flow, path: str | os.PathLike[str]) -> None:
    """Write the flow as JSON atomically (temporary file, then rename) and remember the
    path on the flow."""
    path = Path(path)
    text = json.dumps(flow_to_dict(flow), indent=2, ensure_ascii=False) + "\n"
    folder = path.parent if str(path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, text)
    flow.path = path
