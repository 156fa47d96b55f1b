"""The Classify tab's progress line: a bar and a sentence fed by a run's reports.

A run reports each stage as it starts ("full training set", "fold 3") and the learner
may report within it (an MLP's "epoch 4/50, loss 0.31"). A learner that reports nothing
while it fits (scikit-learn's random forest, gradient boosting) left the line at "full
training set" and 0 % for the whole fit, as if it had hung. Here, once a stage has been
quiet for ``QUIET_S`` seconds without any report of its own, the bar turns busy
(indeterminate) and the line counts the seconds: "full training set: fitting (12 s)".
The first report from inside a stage brings the percentage back, and a stage that
reports is never made busy, however long it waits between reports (an epoch on MNIST).

A run that will clearly take long says so once a tenth of it is done, with the way to a
quicker first look its caller names: a default 10-fold cross-validation of the RNN on
``sentiment`` takes about ten minutes on two cores, and the learner who started it to
see what happens did not know that a percentage split (one model instead of eleven)
answers in a minute. The estimate is the time so far scaled by the share done (the
folds are alike), said only from ``LONG_RUN_S`` on, in whole minutes: "about 9 min left".

The seconds come from a ``clock`` (``time.monotonic``) read on each tick of a timer on the
GUI thread, so nothing waits on the worker; tests pass their own clock and call
``tick``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QProgressBar

IDLE_TEXT = "Ready"   # the line with no run to show (WEKA's status line says "OK")
QUIET_S = 1.0   # seconds a stage may report nothing before the bar turns busy
TICK_MS = 500   # how often the quiet stage's seconds are brought up to date
ESTIMATE_FROM = 0.09   # share of the run done before its time left is estimated
LONG_RUN_S = 180.0     # time left from which the line says it, and the quicker way


class ProgressLine(QObject):
    """Drives ``label`` and ``bar`` from a run's progress reports (``show``)."""

    def __init__(self, label: QLabel, bar: QProgressBar,
                 clock: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.label, self.bar, self.clock = label, bar, clock
        self.stage = ""          # the stage the run is in now ("" outside a run)
        self.stage_started = 0.0
        self.reporting = False   # the stage's learner has reported from inside it
        self.run_started = 0.0
        self.quicker = ""        # a quicker way to a first result, said on a long run
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        # Hidden while idle, its room kept: the line does not move when a run starts.
        policy = bar.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        bar.setSizePolicy(policy)

    @property
    def busy(self) -> bool:
        """True while the bar is indeterminate (a quiet stage)."""
        return self.bar.maximum() == 0

    def start(self, text: str, quicker: str = "") -> None:
        """A run starts: 0 % and ``text`` ("Running RandomForest..."). ``quicker`` is
        said after the time left when the run will be long ("a percentage split is
        quicker for a first try"); without it a long run says only its time left."""
        self.run_started, self.quicker = self.clock(), quicker
        self._determinate()
        self.bar.setValue(0)
        self.bar.show()
        self.label.setText(text)
        self.stage, self.reporting = "", False
        self.timer.start()

    def idle(self, text: str = IDLE_TEXT) -> None:
        """No run to show: the line says ``text`` ("Ready", or why Start refused) and
        the bar is hidden. A refused Start left the last run's "100%" beside its
        reason, and an empty bar before any run read like a text field."""
        self.stop()
        self.bar.reset()
        self.bar.hide()
        self.label.setText(text)

    def show(self, event: Any) -> None:
        """One report of the run: its fraction and message, and whether it starts a
        stage (its message is the stage's name) or comes from inside one."""
        stage = event.values.get("stage", "")
        if not stage:   # between stages ("model built on the full training set")
            self.stage = ""
        elif event.message == stage:
            self.stage, self.stage_started, self.reporting = stage, self.clock(), False
        elif stage == self.stage:
            self.reporting = True
        if self.busy and (self.reporting or not self.stage):
            self._determinate()
        if self.busy:
            self.tick()
        else:
            if event.fraction is not None:
                self.bar.setValue(round(100 * event.fraction))
            self.label.setText(event.message + self._time_left(event.fraction))

    def _time_left(self, fraction: float | None) -> str:
        """" (about 9 min left; ...)" on a run that will take ``LONG_RUN_S`` more or
        longer, once ``ESTIMATE_FROM`` of it is done; "" otherwise."""
        if fraction is None or not ESTIMATE_FROM <= fraction < 1:
            return ""
        left = (self.clock() - self.run_started) * (1 - fraction) / fraction
        if left < LONG_RUN_S:
            return ""
        hint = f"; {self.quicker}" if self.quicker else ""
        return f" (about {round(left / 60)} min left{hint})"

    def tick(self) -> None:
        """Turn the bar busy once the stage has been quiet ``QUIET_S``, and count its
        seconds on the line."""
        if not self.stage or self.reporting:
            return
        elapsed = self.clock() - self.stage_started
        if elapsed < QUIET_S:
            return
        if not self.busy:
            self.bar.setRange(0, 0)
        self.label.setText(f"{self.stage}: fitting ({int(elapsed)} s)")

    def stop(self) -> None:
        """The run ended (finished, stopped or failed): a plain bar again, no ticking;
        the caller sets the bar's value and the line."""
        self.timer.stop()
        self.stage, self.reporting = "", False
        self._determinate()

    def _determinate(self) -> None:
        if self.busy:
            self.bar.setRange(0, 100)
