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
which plugin it needs (``plugin``); saving writes it back unchanged. Older schema
versions are migrated step by step on load (``MIGRATIONS``). Nothing in a flow file is
ever executed: no pickle, no eval; a node type is only ever looked up by name in the
registry of installed components.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workbench.core.atomic import write_text_atomic
from workbench.core.errors import DataFormatError, WorkbenchError
from workbench.core.registry import Registry
from workbench.flow.graph import Flow

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
    for node in data.get("nodes", []):
        if "position" in node:
            positions[node["id"]] = node.pop("position")
    data.setdefault("ui", {}).setdefault("positions", {}).update(positions)
    data["links"] = [
        {"from": {"node": lk["source"], "port": lk["source_port"]},
         "to": {"node": lk["target"], "port": lk["target_port"]}}
        for lk in data.get("links", [])]
    data["schema_version"] = 2
    return data


# schema_version N -> N + 1
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _migrate_1_to_2}


def migrate(data: dict[str, Any], path: str | os.PathLike[str] | None = None
            ) -> dict[str, Any]:
    """Bring a flow dict from its schema version to the current one."""
    version = data.get("schema_version")
    if not isinstance(version, int) or version < 1:
        raise FlowFileError(f"schema_version must be a whole number >= 1, got {version!r}",
                            path)
    if version > SCHEMA_VERSION:
        raise FlowFileError(f"the flow was saved by a newer Workbench (schema version "
                            f"{version}; this one reads up to {SCHEMA_VERSION})", path)
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
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
        ui["notes"] = flow.notes
    return {"format": FORMAT, "schema_version": SCHEMA_VERSION, "title": flow.title,
            "nodes": nodes, "links": links, "ui": ui}


def flow_from_dict(data: Any, registry: Registry | None = None,
                   path: str | os.PathLike[str] | None = None) -> Flow:
    """Build a flow from a parsed flow file; unknown node types become placeholders."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise FlowFileError(f"not a Workbench flow (expected a JSON object with "
                            f"\"format\": \"{FORMAT}\")", path)
    data = migrate(dict(data), path)
    flow = Flow(registry, title=str(data.get("title", "")), path=path)
    ui = _object(data.get("ui"))
    positions = _object(ui.get("positions"))
    node_ui = _object(ui.get("nodes"))
    nodes = data.get("nodes")
    if not isinstance(nodes, list):
        raise FlowFileError("\"nodes\" must be a list", path)
    for number, entry in enumerate(nodes, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or \
                not isinstance(entry.get("type"), str):
            raise FlowFileError(f"node {number} needs a string \"id\" and \"type\"", path)
        if entry.get("title") is not None and not isinstance(entry["title"], str):
            raise FlowFileError(f"node '{entry['id']}': \"title\" must be text", path)
        params = entry.get("parameters") or {}
        if not isinstance(params, dict):
            raise FlowFileError(f"node '{entry['id']}': \"parameters\" must be an object",
                                path)
        try:
            node = flow.add_node(entry["type"], params=params, node_id=entry["id"],
                                 title=entry.get("title"),
                                 position=positions.get(entry["id"], (0.0, 0.0)),
                                 plugin=entry.get("plugin"))
        except WorkbenchError as error:
            raise FlowFileError(f"node '{entry['id']}': {error}", path) from None
        except (TypeError, ValueError):
            raise FlowFileError(f"node '{entry['id']}': its position must be two numbers",
                                path) from None
        node.ui = _object(node_ui.get(entry["id"]))
    links = data.get("links") or []
    for number, entry in enumerate(links, start=1):
        try:
            source, target = entry["from"], entry["to"]
            flow.connect(source["node"], source["port"], target["node"], target["port"])
        except (KeyError, TypeError):
            raise FlowFileError(f"link {number} needs \"from\" and \"to\", each with "
                                f"\"node\" and \"port\"", path) from None
        except WorkbenchError as error:
            raise FlowFileError(f"link {number}: {error}", path) from None
    notes = ui.get("notes") or []
    flow.notes = [n for n in notes if isinstance(n, dict)] if isinstance(notes, list) else []
    return flow


def _object(value: Any) -> dict[str, Any]:
    """A JSON object, or an empty one for anything else (UI data is never worth refusing
    a flow over)."""
    return dict(value) if isinstance(value, dict) else {}


def load_flow(path: str | os.PathLike[str], registry: Registry | None = None) -> Flow:
    """Read a flow file; relative data paths in it are resolved against its folder."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FlowFileError("no such flow file", path) from None
    except (OSError, UnicodeDecodeError) as error:
        raise FlowFileError(f"cannot read the flow file: {error}", path) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FlowFileError(error.msg, path, error.lineno, error.colno,
                            expected="JSON") from None
    return flow_from_dict(data, registry, path)


def save_flow(flow: Flow, path: str | os.PathLike[str]) -> None:
    """Write the flow as JSON atomically (temporary file, then rename) and remember the
    path on the flow."""
    path = Path(path)
    text = json.dumps(flow_to_dict(flow), indent=2, ensure_ascii=False) + "\n"
    folder = path.parent if str(path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, text)
    flow.path = path
