"""WEKA's MultilayerPerceptron trained for all folds together gives each fold's own
numbers exactly: the same weights as training it alone, the same cross-validation."""

from __future__ import annotations

import numpy as np
import pytest
from classifier_helpers import load

from workbench.classifiers.base import FoldTrainer
from workbench.classifiers.weka_mlp import NetworkCannotTrain, WekaMultilayerPerceptron
from workbench.core.progress import Cancelled, CancelToken, ProgressEvent
from workbench.data.dataset import Dataset
from workbench.evaluation import TestOption, evaluate
from workbench.evaluation.resampling import cross_validation_folds

CASES = [
    ("iris.arff", {"epochs": 40}),
    ("weather.nominal.arff", {"epochs": 60}),
    ("labor.arff", {"epochs": 30, "hidden_layers": "4,3"}),
    ("cpu.arff", {"epochs": 30}),
    # Early stopping: the folds stop at different epochs with their own best weights.
    ("iris.arff", {"epochs": 60, "validation_percent": 20, "patience": 3}),
    ("cpu.arff", {"epochs": 40, "validation_percent": 10, "patience": 2, "decay": True}),
    ("iris.arff", {"epochs": 30, "decay": True, "momentum": 0.9}),
]


def fold_trains(data: Dataset, folds: int = 10) -> list[Dataset]:
    return [data.select_rows(f.train) for f in cross_validation_folds(data, folds, 1, 0)]


def assert_same_models(together: list, alone: list) -> None:
    assert len(together) == len(alone)
    for a, b in zip(together, alone, strict=True):
        assert len(a.weights_) == len(b.weights_) > 0
        for x, y in zip(a.weights_, b.weights_, strict=True):
            assert np.array_equal(x, y)
        assert a.epochs_trained_ == b.epochs_trained_
        assert a.rate_used_ == b.rate_used_
        assert np.array_equal(a.ranges_, b.ranges_)
        assert (a.class_range_, a.class_base_) == (b.class_range_, b.class_base_)
        assert a.describe() == b.describe()


# Each fold trained alone, the slow way (WEKA's MLP learns row by row), by its options
# and training sets: the cross-validation test below compares against the same models
# fold-by-fold training gives, so it reuses them when its folds are the same rows.
_ALONE: list[tuple[dict, list[Dataset], list[WekaMultilayerPerceptron]]] = []


def trained_alone(classifier: WekaMultilayerPerceptron, trains: list[Dataset],
                  cancel: CancelToken | None = None) -> list[WekaMultilayerPerceptron]:
    """``classifier.clone().fit(t)`` for each training set, or the models an earlier test
    trained on equal sets (same header, rows, weights) with equal parameters."""
    params = classifier.get_params()
    for known_params, known_trains, models in _ALONE:
        if known_params == params and len(known_trains) == len(trains) and all(
                a.equals(b) for a, b in zip(known_trains, trains, strict=True)):
            return models
    models = [classifier.clone().fit(t, None, cancel) for t in trains]
    _ALONE.append((params, trains, models))
    return models


@pytest.mark.parametrize(("dataset", "options"), CASES)
def test_each_fold_gets_the_weights_it_gets_alone(dataset, options):
    trains = fold_trains(load(dataset))
    together = WekaMultilayerPerceptron(**options).fit_folds(trains)
    alone = trained_alone(WekaMultilayerPerceptron(**options), trains)
    assert_same_models(together, alone)


def test_folds_of_unequal_length_stop_at_different_epochs():
    # iris in 7 folds: training sets of 128 and 129 rows; with a validation share the
    # folds stop at different epochs, so the stack shrinks while others go on.
    trains = fold_trains(load("iris.arff"), 7)
    assert len({t.num_instances for t in trains}) == 2
    options = {"epochs": 80, "validation_percent": 25, "patience": 2, "learning_rate": 0.5}
    together = WekaMultilayerPerceptron(**options).fit_folds(trains)
    alone = [WekaMultilayerPerceptron(**options).fit(t) for t in trains]
    assert_same_models(together, alone)
    assert len({m.epochs_trained_ for m in together}) > 1


def test_a_diverging_fold_restarts_alone_with_half_the_rate():
    # As in test_weka_mlp: at rate 1 the epoch error of cpu overflows; WEKA restarts.
    options = dict(normalize_class=False, hidden_layers="0", learning_rate=1.0,
                   momentum=1.0, epochs=5)
    trains = fold_trains(load("cpu.arff"))
    together = WekaMultilayerPerceptron(**options).fit_folds(trains)
    alone = [WekaMultilayerPerceptron(**options).fit(t) for t in trains]
    assert_same_models(together, alone)
    assert all(m.rate_used_ == 0.5 for m in together)
    with pytest.raises(NetworkCannotTrain):
        WekaMultilayerPerceptron(**options, reset=False).fit_folds(trains)


def fold_by_fold(self, trains, progress=None, cancel=None):
    """The protocol met the slow way: each fold trained alone (see ``trained_alone``)."""
    return trained_alone(self, trains, cancel)


@pytest.mark.parametrize(("dataset", "options"),
                         [CASES[0], CASES[2], CASES[3], CASES[5], CASES[6]])
def test_cross_validation_gives_the_results_of_fold_by_fold_training(
        dataset, options, monkeypatch):
    data = load(dataset)
    option = TestOption.cross_validation(10, 1)
    classifier = WekaMultilayerPerceptron(**options)
    assert isinstance(classifier, FoldTrainer)
    fast = evaluate(classifier, data, option, build_model=False)
    monkeypatch.setattr(WekaMultilayerPerceptron, "fit_folds", fold_by_fold)
    slow = evaluate(classifier, data, option, build_model=False)
    for name in ("indices", "actual", "predicted", "weights", "fold_ids"):
        assert np.array_equal(getattr(fast.results, name), getattr(slow.results, name),
                              equal_nan=True), name
    if data.class_attribute.is_nominal:
        assert np.array_equal(fast.results.distribution, slow.results.distribution)
    assert fast.report(with_model=False) == slow.report(with_model=False)


def test_progress_rises_to_the_end_over_the_epochs():
    events: list[ProgressEvent] = []
    evaluate(WekaMultilayerPerceptron(epochs=10), load("iris.arff"),
             TestOption.cross_validation(5, 1), progress=events.append)
    fractions = [e.fraction for e in events if e.fraction is not None]
    assert fractions == sorted(fractions)
    assert fractions[-1] == pytest.approx(1.0)
    assert any("epoch 5" in e.message for e in events)


def test_cancel_stops_the_folds_between_epochs():
    token = CancelToken()
    epochs: list[str] = []

    def cancel_at_epoch_3(event: ProgressEvent) -> None:
        epochs.append(event.message)
        if "epoch 3:" in event.message:
            token.cancel()

    with pytest.raises(Cancelled):
        WekaMultilayerPerceptron(epochs=500).fit_folds(fold_trains(load("iris.arff")),
                                                       cancel_at_epoch_3, token)
    assert not any("epoch 4:" in m for m in epochs)


def test_repeated_cross_validation_trains_every_run_s_folds_together(monkeypatch):
    data = load("iris.arff")
    option = TestOption.cross_validation(5, 3, runs=2)
    classifier = WekaMultilayerPerceptron(epochs=15)
    fast = evaluate(classifier, data, option)
    monkeypatch.setattr(WekaMultilayerPerceptron, "fit_folds", fold_by_fold)
    slow = evaluate(classifier, data, option)
    assert np.array_equal(fast.results.run_ids, slow.results.run_ids)
    assert np.array_equal(fast.results.distribution, slow.results.distribution)
    assert fast.model is not None and slow.model is not None
    assert fast.model.describe() == slow.model.describe()
