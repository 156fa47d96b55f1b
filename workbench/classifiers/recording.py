"""When a run records its training dynamics: the learners that can, and how often a
watched run records.

A learner records nothing unless asked (``record_dynamics`` = 0): recording costs time
and memory. A run someone watches (the Explorer's Watch window, a flow node's *Watch
training...*) is asked to, so its Dynamics tab has something to draw. The rule lives
here, below the GUI and the flow, so the Explorer and a flow run decide it alike.
"""

from __future__ import annotations

import math
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class RecordsDynamics(Protocol):
    """A learner that can record its training dynamics (``record_dynamics``) and keeps
    them, once recorded, in ``dynamics_``."""

    record_dynamics: int
    dynamics_: Any

    def set_params(self, **values: Any) -> Any: ...


WATCH_EVERY = 10  # steps between records of a run the Watch window follows, at least
# Records per epoch, at most, of a watched run: a long run on big data (MNIST: 1875 steps
# an epoch) would otherwise pile up records the window re-reads on every redraw.
WATCH_RECORDS_PER_EPOCH = 50


def records_only_when_watched(classifier: Any) -> bool:
    """Whether watching ``classifier``'s run turns its recording on: it can record and
    was not asked to already."""
    return isinstance(classifier, RecordsDynamics) and not classifier.record_dynamics


def record_while_watched(classifier: Any, rows: int | None = None) -> bool:
    """Turn recording on for a run the Watch window will follow, when the learner records
    dynamics and was not asked to already; True if it now records.

    It records every ``WATCH_EVERY`` steps, or less often when an epoch of ``rows``
    training rows has more than ``WATCH_RECORDS_PER_EPOCH`` times that many steps. The
    classifier is the run's own configured copy, so the parameter sheet and later runs
    without the window are left as they were.
    """
    if not records_only_when_watched(classifier):
        return False
    every = WATCH_EVERY
    batch = getattr(classifier, "batch_size", None)
    if rows and isinstance(batch, int) and batch > 0:
        every = max(every, math.ceil(rows / batch / WATCH_RECORDS_PER_EPOCH))
    classifier.set_params(record_dynamics=every)
    return True


def stop_recording(model: Any) -> None:
    """After a run that recorded only because it was watched (``record_while_watched``
    said True): the kept ``model`` goes back to recording nothing, as configured, so
    saved, reloaded or trained again it records no more (time and memory, every step).
    Its recorded ``dynamics_`` stay, for the window that follows it."""
    if isinstance(model, RecordsDynamics):
        model.set_params(record_dynamics=0)
