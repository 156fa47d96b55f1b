"""Data for the plots beside a report: learning curves and overlaid ROC/PR curves.

A learner with a training history (MLP, CNN, DBN, RNN) exposes ``history_`` with per-epoch
``loss``, ``accuracy``, ``val_loss``, ``val_accuracy`` and ``lr`` lists; the viewers want
them as aligned arrays with an epoch axis. A learner whose "loss" is something else
names it in ``loss_name`` (the perceptron's is the training error rate). Comparing
classifiers means drawing one class's threshold curve from several evaluations on one
chart, each labelled by its learner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from workbench.core.errors import WorkbenchError
from workbench.evaluation.curves import ThresholdCurve, threshold_curve
from workbench.evaluation.results import Results

SERIES = ("loss", "accuracy", "val_loss", "val_accuracy", "lr")


@dataclass(frozen=True)
class LearningCurve:
    """Per-epoch series of one training run; ``series`` holds only non-empty ones;
    ``loss_name`` says what the "loss" series measures."""

    epochs: np.ndarray
    series: dict[str, np.ndarray]
    best_epoch: int | None = None
    loss_name: str = "loss"

    def to_dict(self) -> dict[str, Any]:
        return {"epochs": self.epochs.tolist(),
                **{name: values.tolist() for name, values in self.series.items()},
                "best_epoch": self.best_epoch, "loss_name": self.loss_name}


def learning_curve(source: Any) -> LearningCurve | None:
    """The learning curve of a fitted classifier (or of its ``history_``); None when the
    learner keeps no history."""
    history = getattr(source, "history_", source)
    if history is None or not hasattr(history, "loss"):
        return None
    series = {}
    for name in SERIES:
        values = list(getattr(history, name, []) or [])
        if values:
            series[name] = np.asarray(values, dtype=np.float64)
    length = max((len(v) for v in series.values()), default=0)
    return LearningCurve(np.arange(1, length + 1), series,
                         getattr(history, "best_epoch", None), loss_name(source))


def loss_name(source: Any) -> str:
    """What a learner's "loss" curve measures: "loss", or what it says instead in
    ``loss_name`` (the perceptron: "error rate")."""
    name = getattr(source, "loss_name", "loss")
    return name if isinstance(name, str) and name else "loss"


def overlay_curves(results: Sequence[Results], label: str) -> list[ThresholdCurve]:
    """One class's threshold curve from each classifier's results, for a shared chart."""
    curves = []
    for result in results:
        if not result.nominal:
            raise WorkbenchError(f"{result.classifier}: ROC curves need a nominal class")
        names = result.class_names
        if label not in names:
            raise WorkbenchError(f"class '{label}' is not one of {', '.join(names)}")
        c = names.index(label)
        curves.append(threshold_curve(result.actual, result.distribution[:, c],
                                      result.weights, c, label, result.classifier))
    return curves
