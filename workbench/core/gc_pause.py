"""Python's cycle collector paused while a file is turned into many small objects.

Why: the collector runs every 700 new container objects and, in its older generations,
walks everything alive. Building a million attributes from a model's header or a
million dicts from a JSON file triggered it thousands of times over a growing heap:
of 8 s spent creating one million ``Attribute`` objects, 5.5 s was the collector's
(measured with it off: 2.5 s). Parsed JSON and the objects made from it hold no
reference cycles, so nothing is left for the collector to find; reference counting
still frees everything as usual.

Windows may overlap (two threads reading files): the collector is paused while any is
open and restored, if it was on, when the last one closes.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_open = 0
_was_enabled = False


@contextlib.contextmanager
def cycles_uncollected() -> Iterator[None]:
    """Pause the cycle collector for the block (module docstring)."""
    global _open, _was_enabled
    with _lock:
        if _open == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _open += 1
    try:
        yield
    finally:
        with _lock:
            _open -= 1
            if _open == 0 and _was_enabled:
                gc.enable()
