"""The GUI thread's turn at the interpreter while jobs work.

A job's worker and the GUI thread share one interpreter lock. A worker training a small
network on small data (a tiny MLP on iris, batches of 8) hardly ever leaves Python, and
the GUI thread gives the lock up at nearly every Qt and NumPy call it makes, then waits
for the worker to be made to hand it back: ``sys.getswitchinterval()``, 5 ms, each
time. A redraw of the Dynamics plots makes thousands of such calls, so 40 ms of drawing
took over three seconds, and the window froze for as long (measured: ``benchmarks/
gui_stall.py``'s iris runs). A lower switch interval only shortens each wait.

So the GUI thread keeps a heartbeat while jobs run, a 10 ms timer, and the workers look
at it where they already look for Stop: a job's ``CancelToken`` is a ``GivingWayToken``,
whose ``check()`` (once a batch) sees when the heartbeat is late, meaning the GUI thread
has work waiting for the lock, and steps aside until its next beat. The GUI then does
its work without a wait at every call, and the worker goes on a beat later. The cost
falls on the worker only while the GUI thread is busy: a worker spending its time in
BLAS, which runs without the lock, loses its turns then too (a 100-100-100 MLP on the
digits with the Dynamics tab shown waited 3 to 10 times in a 4 s run).

A worker waits at most ``LONGEST_WAIT`` and, if the GUI thread is blocked rather than
busy (a test's ``job.wait()``, shutdown), not again until the GUI beats once more: a
blocked window cannot stall the work.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from workbench.core.progress import CancelToken

BEAT_MS = 10
# A beat this much overdue means the GUI thread is waiting for the interpreter (or
# working): two beats and a little, so an ordinary late timer does not stop the work.
LATE = 0.025
LONGEST_WAIT = 0.1
# How often threads hand the interpreter over in a GUI process: a GUI thread asking for
# it waits this long at most, rather than Python's default 5 ms.
SWITCH_INTERVAL = 0.001


class GuiTurn(QObject):
    """The heartbeat of the GUI thread while jobs run, and the workers' way to wait
    for it. One per application (``gui_turn()``); made and beaten on the GUI thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._gui_thread = threading.get_ident()
        self._last_beat = time.monotonic()
        self._beaten = threading.Event()
        self._beaten.set()
        self._gave_up_at: float | None = None  # the beat a worker stopped waiting after
        self._workers: set[threading.Thread] = set()
        self._timer = QTimer(self)
        self._timer.setInterval(BEAT_MS)
        self._timer.timeout.connect(self.beat)
        self.waits = 0  # how often a worker stepped aside (for tests and benchmarks)

    @property
    def beating(self) -> bool:
        return self._timer.isActive()

    def watch(self, worker: threading.Thread) -> None:
        """Beat until ``worker`` (a job's thread, started) has ended (GUI thread)."""
        self._workers.add(worker)
        if not self._timer.isActive():
            self.beat()
            self._timer.start()

    def beat(self) -> None:
        """The GUI thread is turning its event loop: workers may go on."""
        self._last_beat = time.monotonic()
        self._gave_up_at = None
        self._beaten.set()
        self._workers = {worker for worker in self._workers if worker.is_alive()}
        if not self._workers:
            self._timer.stop()

    def wake(self) -> None:
        """Let waiting workers go on at once (Stop: the work should end, not wait)."""
        self._beaten.set()

    def give_way(self, stopped: Callable[[], bool] | None = None) -> None:
        """Called by a worker between two pieces of its work: when the GUI thread is
        behind, wait (without the lock) for its next beat, at most ``LONGEST_WAIT``;
        never when ``stopped()`` says the work is to end."""
        if threading.get_ident() == self._gui_thread or not self._watching():
            return
        last = self._last_beat
        if time.monotonic() - last <= LATE or self._gave_up_at == last:
            return
        self._beaten.clear()
        # it beat, or Stop woke the waiters, before the clear: nothing to wait for
        if self._last_beat != last or (stopped is not None and stopped()):
            self._beaten.set()
            return
        self.waits += 1
        if not self._beaten.wait(LONGEST_WAIT):
            self._gave_up_at = last  # blocked, not busy: wait again after a beat

    def _watching(self) -> bool:
        """Whether jobs are being watched, read from a worker (no Qt call off the GUI
        thread: a set's truth is one read under the interpreter lock)."""
        return bool(self._workers)


class GivingWayToken(CancelToken):
    """A job's cancel token: checking it for Stop also gives the GUI thread its turn."""

    def __init__(self, turn: GuiTurn) -> None:
        super().__init__()
        self._turn = turn

    def cancel(self) -> None:
        super().cancel()
        self._turn.wake()

    def check(self) -> None:
        super().check()
        self._turn.give_way(lambda: self.cancelled)
        super().check()  # stopped while it waited: end now, not after another batch


_turn: GuiTurn | None = None


def gui_turn() -> GuiTurn:
    """The application's ``GuiTurn``, made on first use (on the GUI thread, where jobs
    are started), which also sets the process's switch interval to ``SWITCH_INTERVAL``."""
    global _turn
    if _turn is None:
        _turn = GuiTurn()
        if sys.getswitchinterval() > SWITCH_INTERVAL:
            sys.setswitchinterval(SWITCH_INTERVAL)
    return _turn
