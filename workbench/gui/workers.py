"""Long work off the GUI thread, reported back through queued signals.

The pattern is Orange's concurrency helper: one worker thread per job, a small QObject
that lives on the GUI thread and receives progress, partial results, the result or the
error through queued signals, and cancellation through the same ``CancelToken`` the CLI
uses, so stopping raises ``Cancelled`` inside the work at its next safe point and the GUI
never waits on a worker. That token also gives the GUI thread its turn at the
interpreter, which a worker busy in Python would otherwise keep from it
(``gui_turn.py``). Progress is forwarded only when something a person can see
changes (the rounded percentage, the message, or the values), so a training loop that
reports every batch cannot flood the event queue.

A warning raised by a library while a job works (scikit-learn's "has not converged")
would go to a terminal the GUI user never sees; it is routed to the job that caused it
instead, as ``warned(text)``, once per distinct warning, in the words of
``core/library_warnings.py``, for the window to put in its log. A job nobody listens to
that way (loading a file, a filter) leaves its warnings where they went before, and so
do threads a job's work starts itself (joblib's, a thread pool's).
"""

from __future__ import annotations

import threading
import traceback
import warnings
from collections.abc import Callable
from typing import Any, TextIO

from PySide6.QtCore import SIGNAL, QObject, Signal

from workbench.core.errors import Cancelled, WorkbenchError
from workbench.core.library_warnings import warning_text
from workbench.core.memory_ceiling import memory_for
from workbench.core.progress import CancelToken, ProgressEvent
from workbench.core.stoppable import working_under
from workbench.gui.gui_turn import GivingWayToken, gui_turn

Work = Callable[[Callable[[ProgressEvent], None], CancelToken], Any]


class Job(QObject):
    """One piece of long work; connect to its signals, then ``start()``.

    ``work(progress, cancel)`` runs on a worker thread and must only touch its own data;
    everything it reports arrives on the thread that created the ``Job`` (the GUI).
    Signals: ``progress(ProgressEvent)``, ``finished(result)``, ``failed(message,
    details)`` (details is the traceback for bugs, empty for user errors),
    ``cancelled()``, and ``done()`` after any of the last three; ``warned(text)`` for each
    distinct warning a library raised in the work's thread.
    """

    progress = Signal(object)
    warned = Signal(str)
    finished = Signal(object)
    failed = Signal(str, str)
    cancelled = Signal()
    done = Signal()

    def __init__(self, work: Work, name: str = "job", parent: QObject | None = None,
                 step: str | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self.name = name
        # What the work is in a user's words, for the "not enough memory" refusal.
        self.step = step or name
        # Checked once a batch for Stop, and to let the GUI thread draw (gui_turn.py).
        self.token = GivingWayToken(gui_turn())
        self._thread: threading.Thread | None = None
        self._last_shown: tuple[Any, ...] | None = None
        self._warnings_said: set[str] = set()

    # Control (GUI thread) ---------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError(f"job '{self.name}' was already started")
        _route_warnings()
        self._thread = threading.Thread(target=self._run, name=f"workbench-{self.name}",
                                        daemon=True)
        # Held until the worker has ended, then let go here: the last reference to a
        # job nobody else keeps must not die on the worker, or Qt would delete the
        # object off its thread (the worker's own reference goes when it returns).
        _LIVE.add(self)
        self.done.connect(self._release)
        try:
            self._thread.start()
        except BaseException:
            _LIVE.discard(self)
            raise
        gui_turn().watch(self._thread)

    def stop(self) -> None:
        """Ask the work to stop at its next check; returns at once."""
        self.token.cancel()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the worker ends (tests and shutdown only, never in a slot)."""
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _release(self) -> None:
        """After ``done`` (GUI thread): the worker emitted it last and is returning, so
        the join is a moment's; then the GUI thread holds the last reference."""
        if self._thread is not None:
            self._thread.join()
        _LIVE.discard(self)

    # Worker thread ----------------------------------------------------------------------
    def _report(self, event: ProgressEvent) -> None:
        self.token.check()
        percent = None if event.fraction is None else round(event.fraction * 100)
        shown = (percent, event.message, tuple(sorted(event.values.items(), key=_first)))
        if shown != self._last_shown:
            self._last_shown = shown
            self.progress.emit(event)

    def _warn(self, message: Warning | str, category: type[Warning]) -> bool:
        """Send a warning raised in this job's thread to ``warned``; False when nobody
        listens (or the job is gone with its window), so that it goes where warnings
        went before rather than nowhere."""
        text = warning_text(message, category)
        try:
            if self.receivers(SIGNAL("warned(QString)")) == 0:
                return False
            if text not in self._warnings_said:
                self._warnings_said.add(text)
                self.warned.emit(text)
        except RuntimeError:   # the C++ object was deleted: never raise into the library
            return False
        return True

    def _run(self) -> None:
        _working.job = self
        try:
            # Under the memory ceiling (core/memory_ceiling.py), as a flow node runs: a
            # request past what is free ends as our error, not with the OOM killer
            # taking the window and the user's work.
            with working_under(self.token), memory_for(self.step):
                result = self._work(self._report, self.token)
        except Cancelled:
            self.cancelled.emit()
        except WorkbenchError as error:
            self.failed.emit(str(error), "")
        except MemoryError:   # where no ceiling could be set
            self.failed.emit("out of memory: try a smaller dataset, batch size or model", "")
        except BaseException as error:  # a bug, or a library calling sys.exit():
            # show it, never crash the window
            self.failed.emit(_described(error), traceback.format_exc())
        else:
            if self.token.cancelled:
                self.cancelled.emit()
            else:
                self.finished.emit(result)
        finally:
            # whatever happened above: a window must never wait for a done never sent
            _working.job = None
            self.done.emit()


# Started jobs, until the GUI thread has seen their workers end.
_LIVE: set[Job] = set()
# The job whose work runs in this thread, for the warnings route.
_working = threading.local()
# What showed warnings before the route was put in front of it: where a warning raised
# outside any job's thread still goes.
_shown_before: Callable[..., Any] | None = None


def _route_warnings() -> None:
    """Put the route in front of whatever shows warnings now, unless it is there.

    Checked at every start rather than once: ``warnings.catch_warnings`` (a test, a
    library) puts back the hook it found when it ends, which can take the route away.
    """
    global _shown_before
    if warnings.showwarning is not _show_warning:
        _shown_before = warnings.showwarning
        warnings.showwarning = _show_warning


def _show_warning(message: Warning | str, category: type[Warning], filename: str,
                  lineno: int, file: TextIO | None = None, line: str | None = None) -> None:
    job = getattr(_working, "job", None)
    if job is not None and job._warn(message, category):
        return
    if _shown_before is not None:
        _shown_before(message, category, filename, lineno, file, line)


def _described(error: BaseException) -> str:
    """``Type: message``, even for an exception whose ``str`` itself raises."""
    try:
        return f"{type(error).__name__}: {error}"
    except Exception:
        return type(error).__name__


def _first(item: tuple[str, Any]) -> str:
    """Sort report values by name only: values may be models, whose repr is not cheap."""
    return item[0]

