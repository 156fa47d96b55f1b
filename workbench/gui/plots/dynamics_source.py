"""Which recording the Dynamics viewer shows, and when a run records one.

Kept apart from the plots: the Explorer decides whether a run records (and the Watch
window whether it offers a Dynamics tab) before any plot exists, and these answers need
no pyqtgraph.
"""

from __future__ import annotations

import math
from typing import Any, Protocol, runtime_checkable

from workbench.engine.dynamics import TrainingDynamics


@runtime_checkable
class RecordsDynamics(Protocol):
    """A learner that can record its training dynamics (``record_dynamics``) and keeps
    them, once recorded, in ``dynamics_``."""

    record_dynamics: int
    dynamics_: Any

    def set_params(self, **values: Any) -> Any: ...


def dynamics_of(source: Any) -> TrainingDynamics | None:
    """The recorded dynamics of a model (``dynamics_``), an ``Evaluation``'s model, or a
    ``TrainingDynamics`` itself; None when nothing was recorded."""
    if isinstance(source, TrainingDynamics):
        return source
    model = getattr(source, "model", source) if not hasattr(source, "dynamics_") else source
    found = getattr(model, "dynamics_", None)
    return found if isinstance(found, TrainingDynamics) else None


def has_dynamics(source: Any) -> bool:
    """True when ``source`` (a model, an evaluation) carries at least one record."""
    found = dynamics_of(source)
    return found is not None and found.records > 0


WATCH_EVERY = 10  # steps between records of a run the Watch window follows, at least
# Records per epoch, at most, of a watched run: a long run on big data (MNIST: 1875 steps
# an epoch) would otherwise pile up records the window re-reads on every redraw.
WATCH_RECORDS_PER_EPOCH = 50


def record_while_watched(classifier: Any, rows: int | None = None) -> bool:
    """Turn recording on for a run the Watch window will follow, when the learner records
    dynamics and was not asked to already; True if it now records.

    It records every ``WATCH_EVERY`` steps, or less often when an epoch of ``rows``
    training rows has more than ``WATCH_RECORDS_PER_EPOCH`` times that many steps. The
    classifier is the run's own configured copy, so the parameter sheet and later runs
    without the window are left as they were.
    """
    if not isinstance(classifier, RecordsDynamics) or classifier.record_dynamics:
        return False
    every = WATCH_EVERY
    batch = getattr(classifier, "batch_size", None)
    if rows and isinstance(batch, int) and batch > 0:
        every = max(every, math.ceil(rows / batch / WATCH_RECORDS_PER_EPOCH))
    classifier.set_params(record_dynamics=every)
    return True


def dynamics_page_fits(model: Any) -> bool:
    """Whether the weights window offers a Dynamics tab for ``model``: when it recorded
    (or records) dynamics, or while a learner able to record trains (``history_`` is set
    only when training ends), so the tab can say how to record them; a finished model
    without dynamics gets no empty tab."""
    if not isinstance(model, RecordsDynamics):
        return False
    return model.dynamics_ is not None or getattr(model, "history_", None) is None


def why_no_dynamics(model: Any) -> str:
    """A sentence telling the user why a model shows no dynamics, and how to get them."""
    if model is None:
        return "Waiting for the classifier to start training."
    if not isinstance(model, RecordsDynamics):
        return (f"{type(model).__name__} does not record training dynamics (the network "
                f"learners mlp, cnn, rnn and dbn do).")
    if not model.record_dynamics:
        return ("This run does not record its training dynamics. Runs started while the "
                "Watch window is open record them (every 10 steps); elsewhere set "
                "record_dynamics in the classifier's advanced parameters.")
    return "No training step has been recorded yet."
