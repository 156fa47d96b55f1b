"""Learned arrays no training makes (NaN, infinity, the wrong length) are refused when a
model file is opened, naming the array, instead of loading and reporting NaN.

A walkthrough's fuzzing found that ZeroR's distribution, the perceptron's weights and
WEKA MLP's layers and ZeroR answer loaded as NaN, and that ``classify -l`` then printed
"Mean absolute error NaN" with exit status 0: the user was told nothing of a damaged file.
"""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pytest
from classifier_helpers import load

from workbench.classifiers import load_model
from workbench.classifiers.modelfile import ModelFileError
from workbench.cli import main
from workbench.core.registry import default_registry


def _rewrite(path, change):
    """Replace arrays of a model file (name -> new array), keeping everything else."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    for name, array in change.items():
        buffer = io.BytesIO()
        np.save(buffer, array, allow_pickle=False)
        members[f"arrays/{name}.npy"] = buffer.getvalue()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _arrays(path):
    with zipfile.ZipFile(path) as archive:
        return {n[len("arrays/"):-4]: np.load(io.BytesIO(archive.read(n)))
                for n in archive.namelist() if n.startswith("arrays/")}


LEARNERS = {"zeror": {}, "perceptron": {"epochs": 2},
            "weka-mlp": {"epochs": 2, "hidden_layers": "2"}}


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    folder = tmp_path_factory.mktemp("models")
    iris = load("iris.arff")
    paths = {}
    for name, params in LEARNERS.items():
        paths[name] = folder / f"{name}.model"
        default_registry().create("classifier", name, **params).fit(iris).save(paths[name])
    return paths


@pytest.mark.parametrize(("learner", "array", "value"), [
    ("zeror", "distribution", np.nan),
    ("zeror", "distribution", -1.0),
    ("perceptron", "weights", np.nan),
    ("perceptron", "weights", np.inf),
    ("weka-mlp", "layer.0", np.nan),
    ("weka-mlp", "layer.1", -np.inf),
    ("weka-mlp", "zeror", np.nan),
])
def test_a_learned_array_no_training_makes_is_refused_naming_it(
        saved, tmp_path, learner, array, value):
    path = tmp_path / "damaged.model"
    path.write_bytes(saved[learner].read_bytes())
    stored = _arrays(path)[array].astype(np.float64)
    stored.flat[0] = value
    _rewrite(path, {array: stored})
    with pytest.raises(ModelFileError, match=rf"damaged\.model: array '{array}' holds"):
        load_model(path)


def test_weka_mlp_bases_cut_short_are_refused(saved, tmp_path):
    # one element broadcast over every input used to load and predict
    path = tmp_path / "damaged.model"
    path.write_bytes(saved["weka-mlp"].read_bytes())
    _rewrite(path, {"bases": _arrays(path)["bases"][:1]})
    with pytest.raises(ModelFileError, match=r"array 'bases' has 1 values, expected 4"):
        load_model(path)


def test_classify_minus_l_of_a_nan_model_exits_2_not_0(saved, tmp_path, capsys):
    path = tmp_path / "nan.model"
    path.write_bytes(saved["zeror"].read_bytes())
    _rewrite(path, {"distribution": np.full(3, np.nan)})
    assert main(["classify", "-l", str(path), "-T", "iris"]) == 2
    err = capsys.readouterr().err
    assert "array 'distribution' holds" in err and "Traceback" not in err


def test_an_all_missing_column_still_round_trips_in_weka_mlp(tmp_path):
    # WEKA's range of an all-missing column is -inf and its base NaN: they must load
    data = load("iris.arff")
    data.X[:, 0] = np.nan
    model = default_registry().create("classifier", "weka-mlp", epochs=2,
                                      hidden_layers="2").fit(data)
    model.save(tmp_path / "m.model")
    again = load_model(tmp_path / "m.model")
    np.testing.assert_array_equal(again.predict_proba(data), model.predict_proba(data))
