"""Small experiments for the Experimenter tests: fast enough for the default suite."""

from __future__ import annotations

from typing import Any

import pytest

from workbench.evaluation.experiment import ExperimentSpec, spec_from_dict


def small_definition(**changes: Any) -> dict[str, Any]:
    """3 datasets x 3 classifiers x 2 repetitions x 3 folds = 54 runs, about a second."""
    definition: dict[str, Any] = {
        "datasets": ["iris", "weather.numeric", "contact-lenses"],
        "classifiers": ["zeror", {"name": "naive-bayes"},
                        {"name": "knn", "params": {"k": 3}, "label": "IBk-3"}],
        "resampling": {"method": "cross_validation", "folds": 3},
        "repetitions": 2,
        "seed": 1,
        "metrics": ["accuracy", "kappa", "rmse"],
    }
    definition.update(changes)
    return definition


@pytest.fixture
def small_spec() -> ExperimentSpec:
    return spec_from_dict(small_definition())
