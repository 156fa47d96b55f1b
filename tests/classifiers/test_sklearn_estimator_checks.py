"""scikit-learn's own estimator checks on every built-in learner as a WorkbenchEstimator.

``parametrize_with_checks`` runs each check of ``sklearn.utils.estimator_checks`` as its
own test. Checks that do not apply to a learner's nature are declared where scikit-learn
looks for them (``expected_failed_checks``, estimator tags) with the reason, so a new
failure anywhere else fails the suite. Networks get few epochs and tiny layers: the checks
test the contract, not accuracy (except ``check_classifiers_train``, which asks for 83 %
on easy blobs, so each network gets just enough training for that).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.exceptions import DataConversionWarning, NotFittedError
from sklearn.utils.estimator_checks import parametrize_with_checks

from workbench.classifiers.capabilities import CapabilityError
from workbench.classifiers.sklearn_adapter import WorkbenchEstimator, expected_failed_checks
from workbench.core.errors import WorkbenchError
from workbench.core.registry import default_registry

# Small settings for the slow learners; the rest run with their defaults (the MLP with
# its default full-batch L-BFGS, which is fast on the checks' few rows).
LEARNERS = {
    "zeror": {},
    "knn": {},
    "naive-bayes": {},
    "naive-bayes-multinomial": {},
    "perceptron": {},
    "voted-perceptron": {},
    "mlp": {},
    "weka-mlp": {"epochs": 20},
    "weka-logistic": {},
    "dbn": {"pretrain_epochs": 2, "finetune_epochs": 5},
    # Geometry left on auto: plain columns become one row of pixels / one value per step.
    "cnn": {"epochs": 5, "batch_size": 8, "architecture": "conv(4,3,1,same)-dense(16)"},
    "rnn": {"epochs": 10, "hidden_size": 8, "batch_size": 8},
    "lda": {},
    "gaussian-nb": {},
    "decision-tree": {},
    "filtered": {},
    "input-mapped": {},
    "random-forest": {"trees": 10},
    "extra-trees": {"trees": 10},
    "gradient-boosting": {"trees": 10},
    "adaboost": {"iterations": 10},
}
# Learners whose checks take seconds each (SVM's calibration folds; logistic regression
# run to convergence with almost no ridge): all their checks run with ``-m slow``.
SLOW_LEARNERS = {
    "svm": {},
    "logistic": {},
    "sklearn": {},
}


def test_every_registered_learner_is_checked():
    """A learner added to the registry fails here until it is put in LEARNERS or
    SLOW_LEARNERS (with small settings)."""
    registered = {info.name for info in default_registry().list("classifier")
                  if info.origin == "built-in"}
    checked = set(LEARNERS) | set(SLOW_LEARNERS)
    assert checked <= registered
    assert registered <= checked, \
        f"not under scikit-learn's checks: {sorted(registered - checked)}"


def _with_checks(learners: dict[str, dict]) -> pytest.MarkDecorator:
    """``parametrize_with_checks`` over ``learners``, each expected failure strict and
    expected only as the check's own AssertionError: a listed check that starts passing
    fails the run (its entry in ``expected_failed_checks`` is then stale), and a crash
    inside it (a TypeError, anything) is a failure, not the failure the reason explains."""
    decorator = parametrize_with_checks(
        [WorkbenchEstimator(name, **params) for name, params in learners.items()],
        expected_failed_checks=expected_failed_checks, xfail_strict=True)
    argnames, cases = decorator.mark.args[:2]

    def narrowed(case):
        marks = getattr(case, "marks", None)
        if not marks:
            return case
        return pytest.param(*case.values, id=case.id, marks=[
            pytest.mark.xfail(reason=mark.kwargs["reason"], strict=True,
                              raises=AssertionError) if mark.name == "xfail" else mark
            for mark in marks])

    return pytest.mark.parametrize(argnames, [narrowed(case) for case in cases],
                                   **decorator.mark.kwargs)


@_with_checks(LEARNERS)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


@pytest.mark.slow
@_with_checks(SLOW_LEARNERS)
def test_sklearn_estimator_checks_of_slow_learners(estimator, check):
    check(estimator)


# The behaviours the checks ask for, spelt out where Workbench chose among allowed ones.
X = np.array([[0.0, 1.0], [0.2, 0.9], [1.0, 0.1], [0.9, 0.0], [0.1, 0.8], [0.8, 0.2]])
Y = np.array(["a", "a", "b", "b", "a", "b"])


def test_predicting_before_fit_raises_scikit_learns_not_fitted_error():
    with pytest.raises(NotFittedError):
        WorkbenchEstimator("knn").predict(X)


def test_nan_in_x_is_a_missing_value_and_infinity_is_refused():
    holed = X.copy()
    holed[0, 1] = np.nan
    model = WorkbenchEstimator("knn").fit(holed, Y)
    assert list(model.predict(holed)) == list(Y)
    infinite = X.copy()
    infinite[2, 0] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        WorkbenchEstimator("knn").fit(infinite, Y)
    with pytest.raises(ValueError, match="infinity"):
        model.predict(infinite)


def test_values_too_large_to_square_end_in_our_error_which_is_a_value_error():
    huge = X.copy()
    huge[1, 0] = 1e200
    with pytest.raises(CapabilityError) as caught:
        WorkbenchEstimator("knn").fit(huge, Y)
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, WorkbenchError)


def test_sparse_x_predicts_as_the_dense_array_does():
    for name in ("knn", "naive-bayes", "perceptron"):
        dense = WorkbenchEstimator(name).fit(X, Y)
        sparse = WorkbenchEstimator(name).fit(sp.csr_matrix(X), Y)
        np.testing.assert_allclose(sparse.predict_proba(sp.csr_matrix(X)),
                                   dense.predict_proba(X), rtol=1e-12)


@pytest.mark.parametrize("y, message", [
    (np.linspace(0, 1, 6) + 0.01, "Unknown label type"),
    (np.array([0, 1, np.nan, 1, 0, 1]), "NaN"),
])
def test_continuous_or_missing_labels_are_refused(y, message):
    with pytest.raises(ValueError, match=message):
        WorkbenchEstimator("zeror").fit(X, y)


def test_bad_shapes_and_weights_are_refused_with_value_errors():
    with pytest.raises(ValueError, match="2D array"):
        WorkbenchEstimator("zeror").fit(X[:, 0], Y)
    with pytest.raises(ValueError, match="requires y"):
        WorkbenchEstimator("zeror").fit(X, None)
    with pytest.raises(ValueError, match="0 sample"):
        WorkbenchEstimator("zeror").fit(X[:0], Y[:0])
    with pytest.raises(ValueError, match=r"[Cc]omplex"):
        WorkbenchEstimator("zeror").fit(X + 1j, Y)
    with pytest.raises(ValueError, match="non-zero"):
        WorkbenchEstimator("zeror").fit(X, Y, sample_weight=np.zeros(6))
    with pytest.raises(ValueError, match="shape"):
        WorkbenchEstimator("zeror").fit(X, Y, sample_weight=np.ones(7))


def test_a_column_of_labels_warns_and_is_read_as_labels():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = WorkbenchEstimator("knn").fit(X, Y[:, None])
    assert any(issubclass(w.category, DataConversionWarning) for w in caught)
    assert list(model.predict(X)) == list(Y)


def test_an_instance_of_weight_zero_is_as_if_absent():
    weights = np.array([1.0, 1.0, 1.0, 0.0, 1.0, 1.0])
    weighted = WorkbenchEstimator("naive-bayes").fit(X, Y, sample_weight=weights)
    without = WorkbenchEstimator("naive-bayes").fit(np.delete(X, 3, axis=0),
                                                   np.delete(Y, 3))
    np.testing.assert_allclose(weighted.predict_proba(X), without.predict_proba(X),
                               rtol=1e-12)


def test_image_and_sequence_learners_read_plain_columns_in_order():
    rng = np.random.default_rng(1)
    images = rng.random((40, 64))
    labels = np.where(images[:, :32].sum(axis=1) > images[:, 32:].sum(axis=1), "up", "down")
    cnn = WorkbenchEstimator("cnn", epochs=1, architecture="conv(2,3,1,same)-dense(4)")
    assert cnn.fit(images, labels).model_.input_geometry == (1, 8, 8)
    assert cnn.fit(images[:, :10], labels).model_.input_geometry == (1, 1, 10)
    rnn = WorkbenchEstimator("rnn", epochs=1, hidden_size=4)
    assert rnn.fit(images, labels).model_.encoder_.steps == 8
    assert rnn.fit(images[:, :10], labels).model_.encoder_.steps == 10
    # A shape the user gives wins, and fitting never changes the estimator's parameters.
    given = WorkbenchEstimator("rnn", epochs=1, hidden_size=4, steps=5)
    assert given.fit(images[:, :10], labels).model_.encoder_.steps == 5
    assert given.get_params() == {"classifier": "rnn", "epochs": 1, "hidden_size": 4,
                                  "steps": 5}


def test_expected_failures_name_only_learners_whose_nature_explains_them():
    reasons = {name: expected_failed_checks(WorkbenchEstimator(name)) for name in LEARNERS}
    reasons.update({name: expected_failed_checks(WorkbenchEstimator(name))
                    for name in SLOW_LEARNERS})
    for name in ("zeror", "naive-bayes", "gaussian-nb", "logistic", "sklearn",
                 "extra-trees"):
        assert reasons[name] == {}, name
    for name in ("knn", "perceptron", "voted-perceptron", "mlp", "weka-mlp", "dbn", "cnn",
                 "rnn", "lda", "filtered", "svm", "decision-tree", "random-forest",
                 "gradient-boosting", "adaboost"):
        assert set(reasons[name]) == {"check_sample_weight_equivalence_on_dense_data",
                                      "check_sample_weight_equivalence_on_sparse_data"}
        assert all(len(reason) > 40 for reason in reasons[name].values())
    assert WorkbenchEstimator("zeror").__sklearn_tags__().classifier_tags.poor_score
    assert not WorkbenchEstimator("knn").__sklearn_tags__().classifier_tags.poor_score
    assert not WorkbenchEstimator("voted-perceptron").__sklearn_tags__(
        ).classifier_tags.multi_class


def test_a_binary_learner_refuses_three_classes_as_scikit_learn_words_it():
    with pytest.raises(ValueError, match="Only binary classification is supported"):
        WorkbenchEstimator("voted-perceptron").fit(np.vstack([X, X]),
                                                   np.repeat(["a", "b", "c"], 4))
