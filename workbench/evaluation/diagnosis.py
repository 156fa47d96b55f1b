"""Warnings about a result that looks like a failed training rather than a weak learner.

A learning rate of 1e6 ends an MLP's training without an error: the network settles on
one class and the report shows 33 % on iris, which a learner reads as "the MLP is bad at
iris". WEKA says nothing either. We say it: a result no better than chance (kappa <= 0
for a nominal class, a relative absolute error of 100 % or more for a numeric one, both
measured against the class prior exactly as ZeroR would score) carries a warning into the
report, the JSON output and the GUI. ZeroR itself is exempt: chance is its job.

The advice names the learning rate only for a learner that has one: NaiveBayes at
chance on weather.nominal (14 rows) was told to "try a smaller learning rate", which it
does not have. For the others the likely reasons are the data's.
"""

from __future__ import annotations

import math
from typing import Any

from workbench.evaluation.metrics import Metrics

EXEMPT = frozenset({"zeror"})


def chance_level_warning(metrics: Metrics, classifier: str,
                         learning_rate: bool = False) -> str | None:
    """A sentence for a result no better than always predicting the training prior;
    ``learning_rate``: whether the learner has one (``has_learning_rate``)."""
    if classifier in EXEMPT or metrics.num_instances <= 0:
        return None
    if metrics.nominal:
        if math.isnan(metrics.kappa) or metrics.kappa > 0:
            return None
        measure = (f"kappa {metrics.kappa:.4f}: its predictions agree with the actual "
                   f"classes no more than chance does")
    else:
        rae = metrics.relative_absolute_error
        if math.isnan(rae) or rae < 100:
            return None
        measure = (f"relative absolute error {rae:.1f} %: no better than predicting the "
                   f"training mean")
    if learning_rate:
        advice = ("If it trains by gradient descent, the training probably failed: try a "
                  "smaller learning rate or more epochs, and look at its loss curve.")
    else:
        advice = ("The attributes may tell it too little about the class, or there may "
                  "be too few instances to learn from: compare other learners and "
                  "settings on the same data.")
    return f"The classifier did no better than ZeroR ({measure}). {advice}"


def has_learning_rate(classifier: Any) -> bool:
    """Whether a classifier (or its class) declares a learning-rate parameter."""
    return any(param.name.endswith("learning_rate")
               for param in getattr(classifier, "params", ()))
