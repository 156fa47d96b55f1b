"""A scikit-learn model's refit on load is bounded by its estimated work, refused before
it starts past the limit, and said while it runs (walkthrough 13a, D1: a 627 KB random
forest file of 10 000 trees on 20 000 stored rows kept ``classify -l`` busy > 120 s)."""

from __future__ import annotations

import io
import json
import zipfile

import numpy as np
import pytest
from classifier_helpers import load

from workbench.classifiers import load_model
from workbench.classifiers.modelfile import ModelFileError
from workbench.classifiers.sklearn_adapter import CURATED
from workbench.classifiers.sklearn_refit import (
    MAX_REFIT_WORK,
    REFIT_LIMIT_VARIABLE,
    refit_work,
)
from workbench.cli import main
from workbench.core.registry import default_registry


@pytest.fixture
def forest(tmp_path):
    path = tmp_path / "forest.model"
    default_registry().create("classifier", "random-forest", trees=10).fit(
        load("iris.arff")).save(path)
    return path


def _hang(source, path, trees, rows):
    """The walkthrough's file: many trees on many stored rows of noise (no training)."""
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    document = json.loads(members["model.json"])
    document["params"].update(trees=trees, min_samples_leaf=1, max_depth=None)
    members["model.json"] = json.dumps(document).encode()
    rng = np.random.default_rng(0)
    for name, array in {"train.X": rng.normal(size=(rows, 4)),
                        "train.y": rng.integers(0, 3, rows).astype(float),
                        "train.weights": np.ones(rows)}.items():
        buffer = io.BytesIO()
        np.save(buffer, array)
        members[f"arrays/{name}.npy"] = buffer.getvalue()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _never_fitted(monkeypatch):
    from sklearn.ensemble import RandomForestClassifier

    def fit(self, *args, **kwargs):
        raise AssertionError("the refit started")
    monkeypatch.setattr(RandomForestClassifier, "fit", fit)


def test_the_walkthroughs_file_is_refused_before_its_refit_starts(forest, tmp_path,
                                                                  monkeypatch, capsys):
    path = _hang(forest, tmp_path / "hang.model", trees=10_000, rows=20_000)
    _never_fitted(monkeypatch)
    with pytest.raises(ModelFileError, match=r"hang\.model: rebuilding this scikit-learn "
                                             r"model means fitting 10,000 trees on 20,000 "
                                             r"rows x 4 columns.*WORKBENCH_REFIT_LIMIT=none"):
        load_model(path)
    assert main(["classify", "-l", str(path), "-T", "iris"]) == 2
    err = capsys.readouterr().err
    assert "beyond the 1e+11-operation limit" in err and "Traceback" not in err


def test_the_limit_is_the_users_to_set_or_lift(tmp_path, monkeypatch):
    path = tmp_path / "forest.model"
    default_registry().create("classifier", "random-forest", trees=20).fit(
        load("iris.arff")).save(path)
    monkeypatch.setenv(REFIT_LIMIT_VARIABLE, "1e6")
    with pytest.raises(ModelFileError, match=r"fitting 20 trees on 150 rows x 4 columns, "
                                             r"about .* beyond the 1e\+06-operation limit"):
        load_model(path)
    monkeypatch.setenv(REFIT_LIMIT_VARIABLE, "none")
    assert load_model(path).trees == 20
    monkeypatch.setenv(REFIT_LIMIT_VARIABLE, "lots")
    with pytest.raises(ModelFileError, match=r"WORKBENCH_REFIT_LIMIT='lots': expected a "
                                             r"positive number"):
        load_model(path)


def test_the_refit_says_what_it_fits(forest):
    events = []
    load_model(forest, progress=events.append)
    assert [e.message for e in events] == [
        "rebuilding the model: fitting 10 trees on 150 rows x 4 columns"]


@pytest.mark.parametrize("learner", [cls.name for cls in CURATED])
def test_the_curated_learners_on_a_bundled_dataset_are_well_within_the_limit(learner):
    data = load("digits.arff")   # the widest bundled: 1 797 rows x 64 columns
    model = default_registry().create("classifier", learner)
    model.classes_ = tuple(data.class_attribute.values)
    rows, columns = data.num_instances, data.num_attributes - 1
    model._prepare(np.zeros((rows, columns)), data.class_values)
    assert refit_work(model.make_estimator(), rows, columns).operations < MAX_REFIT_WORK / 10
