"""A scikit-learn model file whose refit needs more memory than is free is refused in
our words, not ended by the OOM killer (sklearn_refit.py, core/memory_ceiling.py).

The budget is set small (200 MB) and the crafted refits ask for gigabytes in one
allocation, which the kernel refuses at once: fast, and independent of how much memory
the machine has.
"""

import json
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from classifier_helpers import load

from workbench.classifiers import load_model
from workbench.classifiers.modelfile import ModelFileError
from workbench.core import memory_ceiling
from workbench.core.registry import default_registry

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the ceiling is Linux-only")

MB = 2**20


@pytest.fixture(autouse=True)
def _work_unbounded(monkeypatch):
    """These files ask for more work than a model file may (``sklearn_refit.refit_work``
    refuses them first): here the user trusts them, and the memory ceiling, which still
    holds for such a user, is what is tested."""
    monkeypatch.setenv("WORKBENCH_REFIT_LIMIT", "none")


def data_limit() -> tuple[int, int]:
    import resource

    return resource.getrlimit(resource.RLIMIT_DATA)


def retouched(good: Path, evil: Path, **params: object) -> Path:
    """``good`` with some parameters changed, as a stranger could write it."""
    with zipfile.ZipFile(good) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    document = json.loads(members["model.json"])
    document["params"].update(params)
    members["model.json"] = json.dumps(document).encode()
    with zipfile.ZipFile(evil, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return evil


@pytest.fixture
def huge_network(tmp_path: Path) -> Path:
    """An MLP saved with one small hidden layer, its file then asking for two of 20 000
    units: 3 GB for one weight matrix, ~22 GB for the whole refit."""
    good = tmp_path / "mlp.model"
    default_registry().create(
        "classifier", "sklearn", estimator="sklearn.neural_network.MLPClassifier",
        options='{"hidden_layer_sizes": [3], "max_iter": 5}').fit(load("iris.arff")).save(good)
    return retouched(good, tmp_path / "evil.model",
                     options='{"hidden_layer_sizes": [20000, 20000], "max_iter": 5}')


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_a_refit_needing_more_than_the_budget_is_refused_in_our_words(huge_network,
                                                                       monkeypatch):
    monkeypatch.setattr(memory_ceiling, "BUDGET", 200 * MB)
    before = data_limit()
    with pytest.raises(ModelFileError) as caught:
        load_model(huge_network)
    assert data_limit() == before
    message = str(caught.value)
    assert message.startswith(f"{huge_network}: rebuilding this scikit-learn model needs "
                              f"more memory than is free (it was allowed the 200 MiB free)")
    assert "MLPClassifier(hidden_layer_sizes=[20000, 20000], max_iter=5" in message
    assert "150 stored instances x 4 columns" in message
    assert "\n" not in message
    # Nothing of the failed refit hangs on to the error: no MemoryError (whose traceback
    # holds the half-built estimator) anywhere in its chain.
    link: BaseException | None = caught.value
    while link is not None:
        assert not isinstance(link, MemoryError)
        link = link.__context__


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_the_command_line_says_it_in_one_line_with_status_2(huge_network, monkeypatch,
                                                            capsys):
    from workbench.cli import main

    monkeypatch.setattr(memory_ceiling, "BUDGET", 200 * MB)
    before = data_limit()
    assert main(["classify", "-l", str(huge_network), "-T", "iris"]) == 2
    assert data_limit() == before
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"workbench: error: {huge_network}: rebuilding this scikit-learn "
                          f"model needs more memory than is free")


@pytest.mark.parametrize("name, params", [("random-forest", {"trees": 20}), ("svm", {}),
                                          ("logistic", {})])
def test_a_genuine_model_loads_and_predicts_as_saved_under_the_default_budget(
        tmp_path, name, params):
    iris = load("iris.arff")
    model = default_registry().create("classifier", name, **params).fit(iris)
    path = tmp_path / f"{name}.model"
    model.save(path)
    before = data_limit()
    loaded = load_model(path)
    assert data_limit() == before
    np.testing.assert_array_equal(loaded.predict_proba(iris), model.predict_proba(iris))


def test_libsvm_cache_is_bounded_on_a_refit_and_the_model_is_the_same(tmp_path,
                                                                       monkeypatch):
    """libsvm does not check its cache's allocations (it would crash at the ceiling, not
    raise): a refit caps ``cache_size``, which only trades speed."""
    iris = load("iris.arff")
    model = default_registry().create(
        "classifier", "sklearn", estimator="sklearn.svm.SVC",
        options='{"cache_size": 1e12}').fit(iris)
    path = tmp_path / "svc.model"
    model.save(path)
    monkeypatch.setattr(memory_ceiling, "BUDGET", 200 * MB)
    loaded = load_model(path)
    assert loaded.estimator_.cache_size == 50.0   # a quarter of the budget, in MB
    np.testing.assert_array_equal(loaded.predict_proba(iris), model.predict_proba(iris))
    # The user's own training keeps what they asked for.
    assert model.estimator_.cache_size == 1e12


def test_the_refit_keeps_joblib_in_threads_so_no_process_escapes_the_ceiling(
        tmp_path, monkeypatch):
    from joblib.parallel import get_active_backend

    from workbench.classifiers.sklearn_adapter import SklearnClassifier

    iris = load("iris.arff")
    path = tmp_path / "lr.model"
    default_registry().create("classifier", "sklearn", options='{"max_iter": 500}'
                              ).fit(iris).save(path)
    backends: list[str] = []
    fit = SklearnClassifier._fit_arrays

    def recording(self, X, y, w, estimator=None, cancel=None):
        backends.append(type(get_active_backend()[0]).__name__)
        fit(self, X, y, w, estimator, cancel)

    monkeypatch.setattr(SklearnClassifier, "_fit_arrays", recording)
    load_model(path)
    assert backends == ["ThreadingBackend"]
    backends.clear()
    SklearnClassifier(options='{"max_iter": 500}').fit(iris)   # training: the user's own
    assert backends != ["ThreadingBackend"]


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_training_is_not_capped(monkeypatch):
    """Only loading runs under the ceiling: a user's own model may use what it needs
    (here ~200 MB of weights and moments against a 20 MB budget)."""
    monkeypatch.setattr(memory_ceiling, "BUDGET", 20 * MB)
    before = data_limit()
    default_registry().create(
        "classifier", "sklearn", estimator="sklearn.neural_network.MLPClassifier",
        options='{"hidden_layer_sizes": [2000, 2000], "max_iter": 2}').fit(load("iris.arff"))
    assert data_limit() == before


@pytest.mark.parametrize("name, params, fitter, library", [
    ("sklearn", {"estimator": "sklearn.svm.LinearSVC"}, "sklearn.svm.LinearSVC", "liblinear"),
    ("sklearn", {"estimator": "sklearn.linear_model.LogisticRegression",
                 "options": '{"solver": "liblinear"}'},
     "sklearn.linear_model.LogisticRegression", "liblinear"),
    ("svm", {}, "sklearn.svm.SVC", "libsvm"),   # inside CalibratedClassifierCV
])
def test_a_refit_in_c_code_that_would_crash_at_the_ceiling_is_refused_before_it_runs(
        tmp_path, monkeypatch, name, params, fitter, library):
    """libsvm and liblinear do not check their allocations: at the ceiling they would
    crash (SIGSEGV), not raise. A refit whose copies of the rows would not fit under the
    budget is refused before they start."""
    import importlib

    from classifier_helpers import make_dataset

    rng = np.random.default_rng(0)
    X = rng.random((4000, 100))   # 3.2 MB of rows: liblinear would copy ~2.4 times that
    data = make_dataset(X, (X[:, 0] > 0.5).astype(int), labels=("a", "b"))
    path = tmp_path / "rows.model"
    default_registry().create("classifier", name, **params).fit(data).save(path)
    module, _, cls = fitter.rpartition(".")

    def crash(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"{library} ran at the ceiling")

    monkeypatch.setattr(getattr(importlib.import_module(module), cls), "fit", crash)
    monkeypatch.setattr(memory_ceiling, "BUDGET", 5 * MB)
    before = data_limit()
    with pytest.raises(ModelFileError, match=rf"needs more memory than is free .* \({library}, "
                                             rf"which cannot report running out of memory"):
        load_model(path)
    assert data_limit() == before
