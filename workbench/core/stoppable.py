"""Stop for work that never looks at our ``CancelToken``: a scikit-learn ``fit``.

Our own learners check their token every batch, so Stop ends them within a batch. A
scikit-learn estimator runs to the end of its ``fit`` (a gradient-boosted forest on
MNIST: minutes), and so does the refit of a scikit-learn model on load, whose length
the file's parameters decide (a stranger's ``max_iter`` of 10^6). WEKA's Stop kills
the thread; Python cannot, but CPython can raise an exception in another thread at its
next bytecode (``PyThreadState_SetAsyncExc``, the C API Python's own test suite uses
for this). Stop therefore raises ``_Stopped`` in the working thread; ``run_stoppable``
turns it into ``Cancelled``. Most estimators return to Python every iteration, tree or
stage, so they end within one; a single long C call (libsvm's) ends when it returns.

Why it is safe enough to use here, and only here:

- only for a call that starts no Python threads (a scikit-learn fit with ``n_jobs`` 1 or
  unset: ``sklearn_adapter`` checks): a thread being started shares its parent's id for
  a moment, and the exception landing in it, or in a pool's lock, hung a forest with
  ``n_jobs=2`` for good in a review's stress test;
- it is armed only while the call runs, in a thread of our own, and fires at most once:
  the exception can only land in that call's frames or in the few bytecodes of
  ``run_stoppable`` around it, which catch it whatever line it lands on (5 000 Stops at
  random moments: none escaped, none came after the call returned);
- what it cannot promise: an exception landing in a ``__del__`` is swallowed (that Stop
  then waits for the fit's end, as before), and one landing inside a library's
  ``__enter__`` skips its ``__exit__``;
- ``_Stopped`` derives from ``BaseException``, as ``KeyboardInterrupt`` does, so a library's
  ``except Exception`` cannot swallow it, and its ``with`` and ``finally`` blocks clean up
  as they do for Ctrl-C (joblib stops its workers);
- whatever the call half-built is thrown away: ``Cancelled`` means no result.

The token of the work a thread runs is also kept per thread (``working_under``), for code
that has no parameter to receive one: a refit happens deep inside ``load_model``.
"""

from __future__ import annotations

import contextlib
import ctypes
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

from workbench.core.errors import Cancelled
from workbench.core.progress import CancelToken

T = TypeVar("T")

_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
_set_async_exc.argtypes = [ctypes.c_ulong, ctypes.py_object]
_set_async_exc.restype = ctypes.c_int

_local = threading.local()


class _Stopped(BaseException):
    """Raised inside a third-party call by Stop; never leaves ``run_stoppable``."""


@contextlib.contextmanager
def working_under(cancel: CancelToken | None) -> Iterator[None]:
    """Make ``cancel`` the token of the work this thread runs, for ``current_token``."""
    before = getattr(_local, "token", None)
    _local.token = cancel
    try:
        yield
    finally:
        _local.token = before


def current_token() -> CancelToken | None:
    """The token of the work this thread runs (``working_under``), or None."""
    token: CancelToken | None = getattr(_local, "token", None)
    return token


class _Trigger:
    """The one-shot link from a token's ``cancel`` to the working thread."""

    def __init__(self) -> None:
        self._thread = threading.get_ident()
        self._lock = threading.Lock()
        self._armed = True

    def fire(self) -> None:
        """Called by ``cancel`` (any thread): raise ``_Stopped`` in the working thread,
        once, and only while the call runs. A thread being started carries its
        parent's id until it runs: if the id names more than one thread, the exception
        is taken back from all of them and Stop waits for the call to end, as it did
        before (``run_stoppable`` is meant for calls that start no threads)."""
        with self._lock:
            if self._armed:
                self._armed = False
                if _set_async_exc(self._thread, ctypes.py_object(_Stopped)) > 1:
                    _set_async_exc(self._thread, ctypes.py_object())

    def disarm(self) -> None:
        """Called by the working thread: no exception will come, and none is pending."""
        with self._lock:
            self._armed = False
            _set_async_exc(self._thread, ctypes.py_object())   # NULL: clears a pending one


def run_stoppable(call: Callable[[], T], cancel: CancelToken | None = None) -> T:
    """``call()``, ended by ``Cancelled`` as soon as ``cancel`` (default: the thread's
    token) is cancelled, even if ``call`` never checks it (module docstring). Without a
    token, or off a thread we started (the main thread: Ctrl-C already stops it), it is
    a plain call."""
    token = cancel if cancel is not None else current_token()
    if token is None or threading.current_thread() is threading.main_thread():
        return call()
    trigger = _Trigger()
    forget: Callable[[], None] | None = None
    try:
        try:
            forget = token.on_cancel(trigger.fire)
            token.check()      # cancelled before the trigger was listening
            return call()
        finally:
            trigger.disarm()   # may itself be interrupted: the handler below disarms again
    except _Stopped:
        trigger.disarm()       # fired at most once, so nothing can land here
        raise Cancelled("cancelled by the user") from None
    finally:
        if forget is not None:
            forget()
