"""A training that failed (a learning rate of 1e6) used to end with exit 0 and 33 % on
iris without a word; a result no better than chance now carries a warning."""

import json

import numpy as np

from workbench.core.registry import default_registry
from workbench.data.catalog import load_bundled
from workbench.evaluation.evaluate import TestOption, evaluate


def _evaluate(name, **params):
    learner = default_registry().create("classifier", name, **params)
    return evaluate(learner, load_bundled("iris"), TestOption.cross_validation(5, 1))


def test_a_diverged_network_is_flagged_in_the_report_and_the_json():
    result = _evaluate("mlp", learning_rate=1e6, epochs=5)
    assert result.metrics.kappa <= 0
    assert "no better than ZeroR" in result.warnings[0]
    # The full-data model says why its training stuck (``StuckWatch``), after the result.
    assert result.warnings[1:] == (result.model.warning_,)
    assert "stuck at chance" in result.warnings[1]
    report = result.report()
    assert report.index("=== Warnings ===") > report.index("=== Confusion Matrix ===")
    assert json.loads(json.dumps(result.to_json()))["warnings"] == list(result.warnings)


def test_a_working_learner_and_zeror_itself_carry_no_warning():
    assert _evaluate("knn").warnings == ()
    zeror = _evaluate("zeror")
    assert zeror.metrics.kappa == 0 and zeror.warnings == ()
    assert "=== Warnings ===" not in zeror.report()


def test_regression_no_better_than_the_mean_is_flagged():
    data = load_bundled("iris").with_class("petalwidth")
    noise = data.X.copy()
    rng = np.random.default_rng(1)   # attributes with nothing to learn from
    noise[:, :3] = rng.normal(size=(150, 3))
    noise[:, 4] = rng.integers(0, 3, size=150)
    result = evaluate(default_registry().create("classifier", "knn"), data._new(X=noise),
                      TestOption.cross_validation(5, 1))
    assert result.metrics.relative_absolute_error >= 100
    assert "relative absolute error" in result.warnings[0]
    good = evaluate(default_registry().create("classifier", "knn"), data,
                    TestOption.cross_validation(5, 1))
    assert good.warnings == ()
