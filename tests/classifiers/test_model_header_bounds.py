"""A model's training header listing more attributes than a model may be trained on is
refused before any attribute is built (walkthrough 13a, D3: 1.5 M attributes in a
3.7 MB file took 48 s and 1 GB before a one-line refusal)."""

from __future__ import annotations

import json
import zipfile

import pytest
from classifier_helpers import load

from workbench.classifiers import load_model, model_header
from workbench.classifiers.modelfile import ModelFileError
from workbench.cli import main
from workbench.core.registry import default_registry
from workbench.data.dataset import Attribute


def _with_header(source, path, attributes):
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    document = json.loads(members["model.json"])
    document["header"]["attributes"] = attributes
    document["header"]["class_index"] = len(attributes) - 1
    members["model.json"] = json.dumps(document).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.fixture
def zeror(tmp_path):
    path = tmp_path / "zeror.model"
    default_registry().create("classifier", "zeror").fit(load("iris.arff")).save(path)
    return path


def test_a_header_over_the_attribute_limit_is_refused_before_building_it(
        zeror, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(model_header, "MAX_HEADER_ATTRIBUTES", 50)
    built = []
    monkeypatch.setattr(model_header, "_attribute_from_json",
                        lambda data: built.append(data) or Attribute(data["name"]))
    wide = [{"name": f"a{i}", "type": "numeric"} for i in range(60)]
    wide.append({"name": "class", "type": "nominal",
                 "values": ["Iris-setosa", "Iris-versicolor", "Iris-virginica"]})
    path = _with_header(zeror, tmp_path / "wide.model", wide)
    with pytest.raises(ModelFileError, match=r"wide\.model: model\.json header\.attributes "
                                             r"lists 61 attributes \(expected at most 50"):
        load_model(path)
    assert built == []
    assert main(["classify", "-l", str(path), "-T", "iris"]) == 2
    assert "lists 61 attributes" in capsys.readouterr().err


def test_an_unknown_attribute_type_is_named(zeror, tmp_path):
    attributes = [{"name": "a", "type": "numerik"},
                  {"name": "class", "type": "nominal",
                   "values": ["Iris-setosa", "Iris-versicolor", "Iris-virginica"]}]
    path = _with_header(zeror, tmp_path / "typo.model", attributes)
    with pytest.raises(ModelFileError, match=r"attribute type 'numerik' is not one of "
                                             r"numeric, nominal"):
        load_model(path)


def test_a_header_at_the_limit_still_loads(zeror, tmp_path, monkeypatch):
    monkeypatch.setattr(model_header, "MAX_HEADER_ATTRIBUTES", 61)
    wide = [{"name": f"a{i}", "type": "numeric"} for i in range(60)]
    wide.append({"name": "class", "type": "nominal",
                 "values": ["Iris-setosa", "Iris-versicolor", "Iris-virginica"]})
    model = load_model(_with_header(zeror, tmp_path / "wide.model", wide))
    assert model.header_.num_attributes == 61


def test_a_model_json_with_more_objects_than_a_model_has_is_refused_unparsed(
        zeror, tmp_path, monkeypatch, capsys):
    """Walkthrough 13a, D3 again: 1.5 M attributes of a few bytes each (a 54 MB
    model.json) took 6.9 s and 520 MB to parse before the count was looked at; each is
    a JSON object, and the objects are counted in the bytes before anything is parsed."""
    path = _with_header(zeror, tmp_path / "wide.model", [{}] * 1_500_000)
    parsed = []

    def parse(*args, **kwargs):
        parsed.append(args)
        raise AssertionError("model.json was parsed")

    monkeypatch.setattr(json, "loads", parse)
    with pytest.raises(ModelFileError, match=r"wide\.model: model\.json holds more than "
                                             r"550,000 JSON objects.* at most 250,000"):
        load_model(path)
    assert parsed == []
    assert main(["classify", "-l", str(path), "-T", "iris"]) == 2
    assert "more than 550,000 JSON objects" in capsys.readouterr().err
    assert parsed == []


def test_a_model_is_never_written_with_more_objects_than_a_model_file_may_hold(
        tmp_path, monkeypatch):
    from workbench.classifiers import modelfile

    model = default_registry().create("classifier", "zeror").fit(load("iris.arff"))
    monkeypatch.setattr(modelfile, "MAX_MODEL_JSON_OBJECTS", 5)   # iris: 5 attributes
    with pytest.raises(ModelFileError, match=r"iris\.model: model\.json would hold more "
                                             r"than 5 JSON objects"):
        model.save(tmp_path / "iris.model")
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr(modelfile, "MAX_MODEL_JSON_OBJECTS", 9)   # the whole document
    model.save(tmp_path / "iris.model")
    assert load_model(tmp_path / "iris.model").header_.num_attributes == 5
