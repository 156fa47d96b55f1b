"""Hold a ``Job``'s worker still inside its work, to check what the GUI does meanwhile.

Timing how long Stop or a redraw takes makes a test fail on a busy machine; holding the
worker at a known point instead makes the checks exact: Stop must return while the
worker is still held (it cannot have waited for it), and every progress report must be
made on a worker thread and handled on the GUI thread (a queued signal). The figures
themselves are measured by ``benchmarks/gui_stall.py``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from workbench.gui.workers import Job

# A GUI action that wrongly waits for the worker would wait forever; after this long the
# worker is let go so that the test fails with a message instead of hanging.
_SAFETY_SECONDS = 120.0


class HeldWorker:
    """Patches ``Job`` so that, once armed, the worker stops at its next progress report
    until the test lets it go; also records which threads report progress."""

    def __init__(self, monkeypatch) -> None:
        self.armed = threading.Event()
        self.inside = threading.Event()
        self.release = threading.Event()
        self.reporting_threads: set[int] = set()
        original = Job._report

        def report(job: Job, event) -> None:
            self.reporting_threads.add(threading.get_ident())
            if self.armed.is_set() and not self.release.is_set():
                self.inside.set()
                self.release.wait()
            original(job, event)

        monkeypatch.setattr(Job, "_report", report)

    def hold(self, timeout: float = 60.0) -> None:
        """Arm, and return once the worker is held at its next progress report."""
        self.armed.set()
        assert self.inside.wait(timeout), "the worker never reported progress"

    def returns_while_held(self, action: Callable[[], object]) -> bool:
        """Run ``action`` here (the GUI thread); True if it returned with the worker
        still held, i.e. without waiting for the worker to get anywhere."""
        safety = threading.Timer(_SAFETY_SECONDS, self.release.set)
        safety.start()
        try:
            action()
            return not self.release.is_set()
        finally:
            safety.cancel()

    def let_go(self) -> None:
        self.release.set()
