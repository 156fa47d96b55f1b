"""Saying on stderr that ``classify -l`` is rebuilding a scikit-learn model, and when it
is done.

A scikit-learn model file holds its training rows, and loading it fits the estimator
again (``classifiers/sklearn_adapter.py``): seconds to minutes, as the file's
parameters ask, before the evaluation's progress bar starts. The Explorer's Load model
says what is being fitted; the command line said nothing, and looked hung. A refit that
is over within ``MOMENT`` says nothing either (most are: a few milliseconds on iris);
a longer one gets one line when that moment has passed and one when it is done, in the
form of the command's other stderr lines. Shown when the progress bar would be (stderr
a terminal, or ``--progress``; never with ``--no-progress``), so logs and pipes stay
clean.
"""

from __future__ import annotations

import threading
import time
from types import TracebackType
from typing import IO

from workbench.core.progress import ProgressEvent

# How long a refit goes unmentioned: a wait under a second needs no word.
MOMENT = 1.0
_REFIT_PREFIX = "rebuilding the model: "


class RefitNotice:
    """A ``load_model`` progress callback that hears the refit start (the event of
    phase "refit") and says so on ``stream`` once it has run ``MOMENT`` seconds; as a
    context manager around the load, it says when the refit is done, or stays quiet
    when the load failed or was stopped (the command's own line says so)."""

    def __init__(self, stream: IO[str], enabled: bool | None = None,
                 moment: float | None = None) -> None:
        self.stream = stream
        self.enabled = stream.isatty() if enabled is None else enabled
        self.moment = MOMENT if moment is None else moment
        self._lock = threading.Lock()   # the timer's thread says the first line
        self._timer: threading.Timer | None = None
        self._words = ""
        self._started: float | None = None
        self._said = False
        self._over = False

    def __call__(self, event: ProgressEvent) -> None:
        if not self.enabled or event.values.get("phase") != "refit" or \
                self._started is not None:
            return
        self._words = event.message.removeprefix(_REFIT_PREFIX)
        self._started = time.monotonic()
        if self.moment <= 0:
            self._say()
            return
        self._timer = threading.Timer(self.moment, self._say)
        self._timer.daemon = True   # never keeps a stopped command alive
        self._timer.start()

    def _say(self) -> None:
        with self._lock:
            if self._over:
                return
            self._said = True
            print(f"workbench: rebuilding the scikit-learn model from its training data "
                  f"(refit on load): {self._words}...", file=self.stream, flush=True)

    def __enter__(self) -> RefitNotice:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        with self._lock:
            self._over = True
        if self._timer is not None:
            self._timer.cancel()
        if self._said and kind is None and self._started is not None:
            took = time.monotonic() - self._started
            print(f"workbench: rebuilt the scikit-learn model in {took:.1f} s",
                  file=self.stream, flush=True)
