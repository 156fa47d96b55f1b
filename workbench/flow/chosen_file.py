"""How a flow writes down a file a person picked for a node: by Browse..., or by
dropping it from a file manager onto the canvas, onto a node or into the field.

One rule for every way of picking, so the flow file does not depend on how the file was
picked: a bundled dataset is stored by its name (``iris``), as the templates store it,
because its place inside the installation moves with every reinstall and differs on every
machine the flow is shared to; a file inside the flow's folder is stored relative to it,
so the flow still works when its folder moves; any other file keeps its full path.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from workbench.core.errors import WorkbenchError
from workbench.data.catalog import bundled_name_of
from workbench.flow.graph import Node
from workbench.flow.nodes.base import NodeContext
from workbench.flow.nodes.sources import DataLoader


def bundled_name_for(node: Node, chosen: Path, base_dir: Path | None) -> str | None:
    """The bundled dataset's name (``iris``) when ``node`` is a loader and ``chosen`` is
    that dataset's file. None for any other file or node, and when the name would read
    another file (a file of that name beside the flow comes first), or when this loader
    does not read the bundled file's format (a CSVLoader given ``iris.arff``)."""
    node_type = node.node_type
    name = bundled_name_of(chosen)
    if name is None or node_type is None or not issubclass(node_type, DataLoader):
        return None
    context = NodeContext(node.id, node.title, base_dir)
    try:
        found = node_type(file=name).locate(context)
    except WorkbenchError:
        return None
    return name if found.resolve() == chosen.resolve() else None


def stored_file_name(node: Node, chosen: str | Path, base_dir: Path | None) -> str:
    """What ``node``'s file parameter stores for the picked file ``chosen``:
    its bundled name, else its path relative to the flow's folder ``base_dir`` (None for
    a flow never saved) when it lies inside, else its full path as picked."""
    path = Path(chosen)
    bundled = bundled_name_for(node, path, base_dir)
    if bundled is not None:
        return bundled
    if base_dir is not None:
        with contextlib.suppress(ValueError):  # outside the flow's folder: as picked
            return str(path.resolve().relative_to(base_dir.resolve()))
    return str(path)
