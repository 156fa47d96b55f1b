"""Which recording the Dynamics viewer shows, and why a model shows none.

Kept apart from the plots: the Watch window decides whether it offers a Dynamics tab
before any plot exists, and these answers need no pyqtgraph. When a run records at all
is decided below the GUI (``workbench.classifiers.recording``), where a flow run reads
it too.
"""

from __future__ import annotations

from typing import Any

from workbench.classifiers.recording import (
    WATCH_EVERY,
    WATCH_RECORDS_PER_EPOCH,
    RecordsDynamics,
    record_while_watched,
)
from workbench.engine.dynamics import TrainingDynamics

# Kept here too: the plots and the tests knew them by this module first.
__all__ = ["WATCH_EVERY", "WATCH_RECORDS_PER_EPOCH", "RecordsDynamics", "dynamics_of",
           "dynamics_page_fits", "has_dynamics", "record_while_watched", "why_no_dynamics"]


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
