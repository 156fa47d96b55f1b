"""Python's cycle collector runs on the GUI thread only, from a timer.

Left to itself, the collector runs in whichever thread happens to allocate when a
generation fills: often a job's worker, which allocates all the time. What it then frees
can be Qt objects (a closed viewer, a dropped window, held in a reference cycle), and Qt
objects must die on the GUI thread. A worker deleting them takes Qt's locks and waits
for the interpreter while the GUI thread, holding the interpreter, waits for those
locks: the whole application hangs (seen in the GUI tests: a load job's worker
collecting widgets of an earlier window, in 1 of 5 runs). So the automatic collector is
off in a GUI process and pyqtgraph's ``GarbageCollector`` (written for exactly this)
collects each generation that has filled, once a second, on the GUI thread, between
two events rather than in the middle of a layout pass.
"""

from __future__ import annotations

import gc

from pyqtgraph.util.garbage_collector import GarbageCollector

INTERVAL = 1.0  # seconds between the GUI thread's looks at the generations

_collector: GarbageCollector | None = None


def collect_on_gui_thread() -> None:
    """Turn the automatic collector off and collect from a GUI-thread timer instead
    (call on the GUI thread, with the application made; once is enough)."""
    global _collector
    if _collector is None:
        _collector = GarbageCollector(interval=INTERVAL)


def collect_anywhere() -> None:
    """Give the collector back to Python: for a test session leaving its GUI tests."""
    global _collector
    if _collector is not None:
        _collector.timer.stop()
        _collector = None
    gc.enable()
