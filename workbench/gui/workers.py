"""Long work off the GUI thread, reported back through queued signals.

The pattern is Orange's concurrency helper: one worker thread per job, a small QObject
that lives on the GUI thread and receives progress, partial results, the result or the
error through queued signals, and cancellation through the same ``CancelToken`` the CLI
uses, so stopping raises ``Cancelled`` inside the work at its next safe point and the GUI
never waits on a worker. Progress is forwarded only when something a person can see
changes (the rounded percentage, the message, or the values), so a training loop that
reports every batch cannot flood the event queue.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from workbench.core.errors import Cancelled, WorkbenchError
from workbench.core.progress import CancelToken, ProgressEvent

Work = Callable[[Callable[[ProgressEvent], None], CancelToken], Any]


class Job(QObject):
    """One piece of long work; connect to its signals, then ``start()``.

    ``work(progress, cancel)`` runs on a worker thread and must only touch its own data;
    everything it reports arrives on the thread that created the ``Job`` (the GUI).
    Signals: ``progress(ProgressEvent)``, ``finished(result)``, ``failed(message,
    details)`` (details is the traceback for bugs, empty for user errors),
    ``cancelled()``, and ``done()`` after any of the last three.
    """

    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(str, str)
    cancelled = Signal()
    done = Signal()

    def __init__(self, work: Work, name: str = "job", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self.name = name
        self.token = CancelToken()
        self._thread: threading.Thread | None = None
        self._last_shown: tuple[Any, ...] | None = None

    # Control (GUI thread) ---------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError(f"job '{self.name}' was already started")
        self._thread = threading.Thread(target=self._run, name=f"workbench-{self.name}",
                                        daemon=True)
        self._thread.start()

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

    # Worker thread ----------------------------------------------------------------------
    def _report(self, event: ProgressEvent) -> None:
        self.token.check()
        percent = None if event.fraction is None else round(event.fraction * 100)
        shown = (percent, event.message, tuple(sorted(event.values.items(), key=_first)))
        if shown != self._last_shown:
            self._last_shown = shown
            self.progress.emit(event)

    def _run(self) -> None:
        try:
            result = self._work(self._report, self.token)
        except Cancelled:
            self.cancelled.emit()
        except WorkbenchError as error:
            self.failed.emit(str(error), "")
        except MemoryError:
            self.failed.emit("out of memory: try a smaller dataset, batch size or model", "")
        except Exception as error:  # a bug: show it, never crash the window
            self.failed.emit(f"{type(error).__name__}: {error}", traceback.format_exc())
        else:
            if self.token.cancelled:
                self.cancelled.emit()
            else:
                self.finished.emit(result)
        self.done.emit()


def _first(item: tuple[str, Any]) -> str:
    """Sort report values by name only: values may be models, whose repr is not cheap."""
    return item[0]

