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
