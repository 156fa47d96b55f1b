import io
import json
import os
import pickle
import zipfile

import numpy as np
import pytest
from classifier_helpers import load

from workbench.classifiers import load_model
from workbench.classifiers.modelfile import ModelFileError
from workbench.core.registry import default_registry

FAST = {"zeror": {}, "knn": {"k": 3}, "perceptron": {"epochs": 2},
        "mlp": {"epochs": 5, "batch_size": 16, "device": "cpu"}, "svm": {},
        "decision-tree": {}, "random-forest": {"trees": 10}, "naive-bayes": {},
        "gaussian-nb": {},
        "logistic": {}, "sklearn": {"estimator": "sklearn.neighbors.KNeighborsClassifier",
                                    "options": "{\"n_neighbors\": 4}"}}


@pytest.mark.parametrize("name", sorted(FAST))
def test_saved_models_reload_and_predict_identically(tmp_path, name):
    data = load("diabetes.arff")
    train, test = data.select_rows(slice(0, 600)), data.select_rows(slice(600, None))
    model = default_registry().create("classifier", name, **FAST[name]).fit(train)
    path = tmp_path / "model.model"
    model.save(path)
    again = load_model(path)
    assert type(again) is type(model)
    assert again.get_params() == model.get_params()
    np.testing.assert_array_equal(again.predict_proba(test), model.predict_proba(test))
    assert again.describe() == model.describe()
    assert [p.name for p in tmp_path.iterdir()] == ["model.model"]  # no temporary left


def test_a_numeric_class_model_round_trips(tmp_path):
    data = load("cpu.arff")
    model = default_registry().create("classifier", "knn", k=2).fit(data)
    model.save(tmp_path / "cpu.model")
    np.testing.assert_array_equal(load_model(tmp_path / "cpu.model").predict(data),
                                  model.predict(data))


class Boom:
    def __reduce__(self):
        return (os.system, ("touch pwned",))


def test_a_pickle_disguised_as_a_model_is_refused_without_running(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "evil.model"
    path.write_bytes(pickle.dumps(Boom()))
    with pytest.raises(ModelFileError, match="not a workbench model file"):
        load_model(path)
    assert not (tmp_path / "pwned").exists()


def _archive(path, document, arrays):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("model.json", json.dumps(document))
        for name, data in arrays.items():
            archive.writestr(f"arrays/{name}.npy", data)


def test_an_object_array_inside_a_model_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    iris = load("iris.arff")
    good = tmp_path / "good.model"
    default_registry().create("classifier", "zeror").fit(iris).save(good)
    with zipfile.ZipFile(good) as archive:
        document = json.loads(archive.read("model.json"))
    buffer = io.BytesIO()
    np.save(buffer, np.array([Boom()], dtype=object), allow_pickle=True)
    evil = tmp_path / "evil.model"
    _archive(evil, document, {"distribution": buffer.getvalue()})
    with pytest.raises(ModelFileError, match="array 'distribution' refused"):
        load_model(evil)
    assert not (tmp_path / "pwned").exists()


def test_a_model_naming_an_unknown_component_or_a_module_path_is_refused(tmp_path):
    iris = load("iris.arff")
    good = tmp_path / "good.model"
    default_registry().create("classifier", "zeror").fit(iris).save(good)
    with zipfile.ZipFile(good) as archive:
        document = json.loads(archive.read("model.json"))
    document["component"] = "os.system"
    evil = tmp_path / "evil.model"
    _archive(evil, document, {})
    with pytest.raises(Exception, match=r"no classifier called 'os\.system'"):
        load_model(evil)


def test_a_sklearn_model_file_cannot_name_a_path_outside_sklearn(tmp_path):
    iris = load("iris.arff")
    good = tmp_path / "good.model"
    default_registry().create("classifier", "sklearn").fit(iris).save(good)
    with zipfile.ZipFile(good) as archive:
        document = json.loads(archive.read("model.json"))
        arrays = {n[len("arrays/"):-4]: archive.read(n) for n in archive.namelist()
                  if n.startswith("arrays/")}
    document["params"]["estimator"] = "subprocess.Popen"
    evil = tmp_path / "evil.model"
    _archive(evil, document, arrays)
    with pytest.raises(ModelFileError, match="only the sklearn namespace"):
        load_model(evil)


def test_missing_and_damaged_files_say_which_file(tmp_path):
    with pytest.raises(ModelFileError, match="no such model file"):
        load_model(tmp_path / "absent.model")
    (tmp_path / "text.model").write_text("hello")
    with pytest.raises(ModelFileError, match=r"text\.model: not a workbench model file"):
        load_model(tmp_path / "text.model")


def test_saving_an_unfitted_model_fails_clearly(tmp_path):
    model = default_registry().create("classifier", "knn")
    with pytest.raises(Exception, match="has not been trained"):
        model.save(tmp_path / "x.model")
    assert list(tmp_path.iterdir()) == []
