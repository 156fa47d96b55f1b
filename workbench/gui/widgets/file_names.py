"""The name a Save dialog writes: its file type's suffix added when the user typed none.

Qt's default suffix and WEKA both do this, and without it a flow saved as ``myflow`` is
missing from the *Open...* dialog's ``*.kflow.json`` filter.
"""

from __future__ import annotations

import os
from pathlib import Path


def with_type_suffix(path: str | os.PathLike[str], suffix: str) -> Path:
    """``path`` ending in ``suffix`` (a two-part one such as ``.kflow.json``): added when
    the name has no ``.json`` ending (``myflow`` → ``myflow.kflow.json``), completed when
    it has the first part only (``myflow.kflow`` → ``myflow.kflow.json``), and left as
    typed when it ends in ``.json`` already."""
    path = Path(path)
    name = path.name
    last = Path(suffix).suffix
    if name.lower().endswith(last):
        return path
    head = suffix.removesuffix(last)
    return path.with_name(name + (last if head and name.lower().endswith(head) else suffix))
