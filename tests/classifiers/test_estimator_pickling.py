"""A fitted WorkbenchEstimator survives pickle and joblib, as scikit-learn users expect.

Pickling is for in-memory scikit-learn workflows only (joblib's parallel jobs, caching,
``copy.deepcopy``); our model files never use it. IBk's search object and each RBM of a
DBN hold the array module, which cannot be pickled: they store it by name.
"""

from __future__ import annotations

import pickle

import joblib
import numpy as np
import pytest

from workbench.classifiers import neighbours
from workbench.classifiers.neighbours import NeighbourSearch
from workbench.classifiers.sklearn_adapter import WorkbenchEstimator
from workbench.core.registry import default_registry

# Small settings for the slow learners; every other built-in learner runs with defaults.
SETTINGS = {
    "knn": {"k": 3},
    "dbn": {"pretrain_epochs": 2, "finetune_epochs": 3},
    "cnn": {"epochs": 2, "architecture": "conv(2,3,1,same)-dense(8)"},
    "rnn": {"epochs": 2, "hidden_size": 4},
    "random-forest": {"trees": 10},
    "extra-trees": {"trees": 10},
    "gradient-boosting": {"trees": 10},
    "adaboost": {"iterations": 10},
}
LEARNERS = sorted(info.name for info in default_registry().list("classifier")
                  if info.origin == "built-in")


def data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    X = rng.random((60, 16))
    y = np.where(X[:, :8].sum(axis=1) > X[:, 8:].sum(axis=1), "left", "right")
    return X, y


@pytest.mark.parametrize("name", LEARNERS)
def test_pickle_and_joblib_round_trips_predict_identically(name, tmp_path):
    X, y = data()
    model = WorkbenchEstimator(name, **SETTINGS.get(name, {})).fit(X, y)
    expected = model.predict_proba(X)
    restored = pickle.loads(pickle.dumps(model))
    path = tmp_path / "model.joblib"
    joblib.dump(model, path)
    loaded = joblib.load(path)
    for copy in (restored, loaded):
        np.testing.assert_array_equal(copy.predict_proba(X), expected)
        np.testing.assert_array_equal(copy.predict(X), model.predict(X))
        assert copy.get_params() == model.get_params()


def test_the_neighbour_search_pickles_without_its_device_copy_and_searches_alike(
        monkeypatch):
    monkeypatch.setattr(neighbours, "_EXACT_WORK", 0)  # the GEMM path, even on small data
    rng = np.random.default_rng(5)
    train = rng.random((300, 6))
    search = NeighbourSearch(train, np.zeros(6, dtype=bool))
    search.prepare()  # caches the device-side copy of the training rows
    assert search._gemm is not None
    restored = pickle.loads(pickle.dumps(search))
    assert restored.xp is np and restored._gemm is None
    queries = rng.random((40, 6))
    before, after = search.search(queries, 3), restored.search(queries, 3)
    assert restored._gemm is not None  # rebuilt by the search
    np.testing.assert_array_equal(after.index, before.index)
    np.testing.assert_array_equal(after.distance, before.distance)
