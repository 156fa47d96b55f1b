"""Running test options: folds, priors per fold, the full model, progress, cancel, runs."""

from __future__ import annotations

import numpy as np
import pytest
from eval_standins import MajorityStandIn, NearestStandIn, nominal_dataset, numeric_dataset

from workbench.core.errors import Cancelled, WorkbenchError
from workbench.core.progress import CancelToken
from workbench.data.dataset import Attribute, Dataset
from workbench.evaluation import TestOption, evaluate
from workbench.evaluation.resampling import cross_validation_folds


def test_cross_validation_tests_every_instance_once_with_wekas_folds():
    data = nominal_dataset(n=53, missing=3)
    ev = evaluate(NearestStandIn(), data, TestOption.cross_validation(5, seed=3))
    folds = list(cross_validation_folds(data, 5, 3))
    assert [f.indices.tolist() for f in ev.results.folds] == [f.test.tolist() for f in folds]
    assert sorted(ev.results.indices.tolist()) == list(range(53))
    np.testing.assert_array_equal(ev.results.actual, data.class_values[ev.results.indices])
    assert ev.metrics.missing_class == 3 and ev.metrics.num_instances == 50


def test_priors_come_from_each_folds_training_data():
    # The stand-in predicts its training prior, so every fold scores exactly 100 % RAE.
    data = nominal_dataset(n=60, k=3, seed=5)
    ev = evaluate(MajorityStandIn(), data, TestOption.cross_validation(4))
    for fold in ev.results.folds:
        np.testing.assert_allclose(fold.distribution,
                                   np.tile(fold.prior_probabilities, (len(fold.indices), 1)))
    assert ev.metrics.relative_absolute_error == pytest.approx(100.0)
    assert ev.metrics.root_relative_squared_error == pytest.approx(100.0)


def test_the_reported_model_is_trained_on_all_data_and_the_template_stays_unfitted():
    data = nominal_dataset(n=30)
    template = MajorityStandIn(epochs=1)
    ev = evaluate(template, data, TestOption.cross_validation(3))
    assert not template.is_fitted
    assert sorted(ev.model.seen_.tolist()) == list(range(30))
    assert "Classifier model (full training set)" in ev.report()
    lean = evaluate(template, data, TestOption.cross_validation(3), build_model=False)
    assert lean.model is None and "Classifier model" not in lean.report()


def test_progress_covers_folds_and_epochs_and_ends_at_one():
    events = []
    evaluate(MajorityStandIn(epochs=2), nominal_dataset(n=20), TestOption.cross_validation(4),
             progress=events.append)
    fractions = [e.fraction for e in events]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    messages = [e.message for e in events]
    assert any(m.startswith("fold 3/4: epoch 2") for m in messages)
    assert any("full training set" in m for m in messages)


def test_cancel_between_folds_raises_cancelled():
    token = CancelToken()

    def progress(event):
        if "fold 2/" in event.message:
            token.cancel()

    with pytest.raises(Cancelled):
        evaluate(MajorityStandIn(), nominal_dataset(n=20), TestOption.cross_validation(4),
                 progress=progress, cancel=token)


def test_repeated_runs_use_consecutive_seeds():
    data = nominal_dataset(n=25)
    ev = evaluate(NearestStandIn(), data, TestOption.cross_validation(5, seed=7, runs=3))
    assert ev.results.runs == [0, 1, 2] and ev.results.num_predictions == 75
    second = [f for f in ev.results.folds if f.run == 1]
    assert [f.indices.tolist() for f in second] == [
        f.test.tolist() for f in cross_validation_folds(data, 5, 8)]
    assert ev.results.select_runs([2]).num_predictions == 25
    assert ev.results.test_mode == "5-fold cross-validation, 3 runs"


def test_split_training_set_and_test_set_options():
    data = nominal_dataset(n=50)
    split = evaluate(NearestStandIn(), data, TestOption.split(66, seed=1))
    assert split.results.num_predictions == 17
    assert split.results.test_mode == "split 66.0% train, remainder test"
    assert "Time taken to test model on test split" in split.report()
    train = evaluate(NearestStandIn(), data, TestOption.training_set())
    assert train.metrics.pct_correct == 100.0
    assert train.results.test_mode == "evaluate on training data"
    test = nominal_dataset(n=12, seed=9)
    supplied = evaluate(NearestStandIn(), data, TestOption.supplied_test_set(test))
    assert supplied.results.num_predictions == 12
    assert "user supplied test set: 12 instances" in supplied.report()


def test_incompatible_test_set_is_refused():
    data = nominal_dataset(n=20, k=3)
    other = nominal_dataset(n=20, k=2)
    with pytest.raises(WorkbenchError, match="not compatible"):
        evaluate(NearestStandIn(), data, TestOption.supplied_test_set(other))


def test_numeric_class_cross_validation_report():
    ev = evaluate(NearestStandIn(), numeric_dataset(), TestOption.cross_validation(5))
    text = ev.report()
    assert "=== Cross-validation ===" in text and "Correlation coefficient" in text
    assert "Confusion Matrix" not in text
    assert ev.metrics.correlation > 0.9
    assert ev.to_json()["correlation_coefficient"] == pytest.approx(ev.metrics.correlation)


class Peeker(MajorityStandIn):
    name = "peeker"

    def _predict_proba(self, data):
        assert np.isnan(data.class_values).all(), "the test class must be hidden"
        return super()._predict_proba(data)


def test_test_instances_reach_the_classifier_without_their_class():
    evaluate(Peeker(), nominal_dataset(n=20), TestOption.cross_validation(2))


def test_no_class_or_bad_options_are_refused():
    data = nominal_dataset(n=10)
    with pytest.raises(WorkbenchError, match="no class"):
        evaluate(NearestStandIn(), data.with_class(None), TestOption.cross_validation(2))
    with pytest.raises(WorkbenchError, match="10 instances, fewer than the 11 folds"):
        evaluate(NearestStandIn(), data, TestOption.cross_validation(11))
    with pytest.raises(WorkbenchError, match="runs"):
        evaluate(NearestStandIn(), data, TestOption.cross_validation(2, runs=0))


def test_weighted_instances_give_a_fractional_confusion_matrix():
    data = nominal_dataset(n=20, k=2)
    data = Dataset(data.relation, data.attributes, data.X, np.full(20, 0.25),
                   data.class_index)
    ev = evaluate(NearestStandIn(), data, TestOption.cross_validation(2))
    assert ev.metrics.num_instances == 5.0
    assert "<-- classified as" in ev.report()
    header = Dataset("h", [Attribute.numeric("x")], np.zeros((0, 1)))
    assert header.class_attribute is None


class Historian(MajorityStandIn):
    name = "historian"

    def _fit(self, data, progress, cancel):
        super()._fit(data, progress, cancel)
        self.history_ = type("History", (), {"loss": [0.9, 0.5, 0.4], "accuracy": [0.5, 0.7,
                                                                                  0.8],
                                             "val_loss": [], "best_epoch": 3})()


def test_learning_curve_and_overlays():
    from workbench.evaluation import learning_curve, overlay_curves

    data = nominal_dataset(n=30)
    ev = evaluate(Historian(), data, TestOption.cross_validation(3))
    curve = learning_curve(ev.model)
    assert curve.epochs.tolist() == [1, 2, 3] and set(curve.series) == {"loss", "accuracy"}
    assert ev.to_json()["learning_curve"]["best_epoch"] == 3
    assert learning_curve(MajorityStandIn().fit(data)) is None
    other = evaluate(NearestStandIn(), data, TestOption.cross_validation(3))
    curves = overlay_curves([ev.results, other.results], "c1")
    assert [c.classifier for c in curves] == ["historian", "nearest-standin"]
    with pytest.raises(WorkbenchError, match="not one of"):
        overlay_curves([ev.results], "zz")


def test_too_few_instances_survives_a_trip_between_processes():
    """Raised in an Experimenter worker, the refusal is pickled back: without its own
    ``__reduce__`` it could not be rebuilt (its ``__init__`` takes three values)."""
    import pickle

    from workbench.evaluation.test_options import TooFewInstancesError

    error = TooFewInstancesError("xor.arff", 4, 10)
    again = pickle.loads(pickle.dumps(error))
    assert isinstance(again, TooFewInstancesError) and str(again) == str(error)
    assert str(again.way_out("use -x 4")) == str(error.way_out("use -x 4"))
