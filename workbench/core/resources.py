"""Where the files shipped inside the package live: datasets, flow templates, experiments.

They are package data (``workbench/resources``), found through ``importlib.resources``
rather than paths relative to a source tree, so a wheel installed anywhere has them just
as a checkout does. Our wheel is never zipped, so the traversable is a real folder.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def resource_dir(kind: str) -> Path:
    """The folder of one kind of bundled file: ``datasets``, ``flows`` or ``experiments``."""
    return Path(str(files("workbench.resources") / kind))


def bundled_flow_path(name: str) -> Path | None:
    """The flow template called ``name`` (``cross-validation``), or None if there is none.

    ``workbench run NAME`` uses it when NAME is not a file, as the flow editor's template
    menu lists the same folder.
    """
    path = resource_dir("flows") / f"{name}.kflow.json"
    return path if path.is_file() else None
