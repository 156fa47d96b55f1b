"""Python's cycle collector runs on the GUI thread only, from a timer.

Left to itself, the collector runs in whichever thread happens to allocate when a
generation fills: often a job's worker, which allocates all the time. What it then frees
can be Qt objects (a closed viewer, a dropped window, held in a reference cycle), and Qt
objects must die on the GUI thread. A worker deleting them takes Qt's locks and waits
for the interpreter while the GUI thread, holding the interpreter, waits for those
locks: the whole application hangs (seen in the GUI tests: a load job's worker
collecting widgets of an earlier window, in 1 of 5 runs). So the automatic collector is
off in a GUI process, and once a second the GUI thread collects the oldest generation
that has filled, between two events rather than in the middle of a layout pass.

pyqtgraph's ``GarbageCollector`` does the same, but importing it loads all of pyqtgraph
(300 ms) when the application starts, which the launcher otherwise never needs; the
dozen lines are written here.

A timer does not keep Python's rule that waits for the long-lived objects to grow by a
quarter before a full collection; over the application's 100 000 to 190 000 objects a
full collection was a pause of 80 to 100 ms every two minutes or so of activity (0.3 ms
once frozen). So the application freezes what exists once its first window is up
(``gc.freeze``: modules, classes, the window's widgets, which live as long as the
process), and a full collection looks only at what came after.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000  # between the GUI thread's looks at the generations


class _Collector(QObject):
    """The timer that collects in place of Python's automatic collector."""

    def __init__(self) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.collect_filled)
        gc.disable()
        self.timer.start()

    @staticmethod
    def collect_filled() -> None:
        """Collect the oldest generation whose count passed its threshold (with the
        younger ones), as Python would have at the allocation that filled it."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        if counts[0] <= thresholds[0]:
            return
        oldest = 0
        for generation in (1, 2):
            if counts[generation] > thresholds[generation]:
                oldest = generation
        gc.collect(oldest)


_collector: _Collector | None = None


def collect_on_gui_thread(freeze_start: bool = False) -> None:
    """Turn the automatic collector off and collect from a GUI-thread timer instead
    (call on the GUI thread, with the application made; once is enough). With
    ``freeze_start`` what exists when the event loop first turns is frozen."""
    global _collector
    if _collector is None:
        _collector = _Collector()
        if freeze_start:
            QTimer.singleShot(0, gc.freeze)


def collect_anywhere() -> None:
    """Give the collector back to Python, where no event loop will turn for its timer
    any more: a window command's caller going on (a script, a test), a test module
    leaving the GUI."""
    global _collector
    if _collector is not None:
        _collector.timer.stop()
        _collector = None
    gc.enable()
