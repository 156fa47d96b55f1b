"""Progress reports and cancellation for long work, with no Qt in sight.

Training, evaluation and flow runs take a ``progress`` callback and a ``CancelToken``.
The GUI passes a callback that emits a queued signal and a token its Stop button sets;
the CLI passes a callback that prints, or nothing. Work calls ``token.check()`` at safe
points (every batch, every fold), which raises ``Cancelled`` so that cleanup runs through
the normal exception path.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from workbench.core.errors import Cancelled


@dataclass(frozen=True)
class ProgressEvent:
    """One report from long work.

    ``fraction`` is the share of the whole job done (0..1) or None when unknown;
    ``message`` is a short line a person reads ("epoch 3/10"); ``values`` carries numbers a
    viewer may draw (loss, accuracy, epoch, phase).
    """

    fraction: float | None = None
    message: str = ""
    values: dict[str, Any] = field(default_factory=dict)


ProgressCallback = Callable[[ProgressEvent], None]


class CancelToken:
    """A flag one thread sets and another checks; cheap enough to check every batch."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._listeners: list[Callable[[], None]] = []

    def cancel(self) -> None:
        with self._lock:
            self._event.set()
            listeners = list(self._listeners)
        for listener in listeners:
            listener()

    def on_cancel(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call ``listener`` (on the cancelling thread) when ``cancel`` is called, for
        work that cannot check the token itself (``core/stoppable.py``); returns the
        function that stops listening. Not called for a cancel that came before."""
        with self._lock:
            self._listeners.append(listener)

        def forget() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)
        return forget

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise ``Cancelled`` if cancellation was requested."""
        if self._event.is_set():
            raise Cancelled("cancelled by the user")


def report(progress: ProgressCallback | None, fraction: float | None = None,
           message: str = "", **values: Any) -> None:
    """Send one event if anybody listens; lets workers call it unconditionally."""
    if progress is not None:
        progress(ProgressEvent(fraction, message, dict(values)))


def check(cancel: CancelToken | None) -> None:
    """``cancel.check()`` that tolerates ``None``, the common case in scripts."""
    if cancel is not None:
        cancel.check()


_thread = threading.local()


@contextlib.contextmanager
def reporting_to(progress: ProgressCallback | None) -> Iterator[None]:
    """Make ``progress`` the channel of the work this thread runs, for code that has no
    parameter to receive one (a scikit-learn model's refit deep inside ``load_model``)."""
    before = getattr(_thread, "progress", None)
    _thread.progress = progress
    try:
        yield
    finally:
        _thread.progress = before


def current_progress() -> ProgressCallback | None:
    """The channel ``reporting_to`` set for this thread, or None."""
    progress: ProgressCallback | None = getattr(_thread, "progress", None)
    return progress
