"""A model of any width the product takes saves and loads again (text walkthrough, F1:
a bag-of-words NaiveBayes of 2355 attributes saved without a word, then could never be
loaded, "the zip archive declares 2357 members ... at most 1000"). Learners pack what
they learn per attribute into a few arrays, so a model file's member count does not grow
with the width; the writer refuses what the reader would; a crafted archive of many
members is still refused from its end record; files saved before packing still load."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import numpy as np
import pytest
from classifier_helpers import load

from workbench.classifiers import load_model
from workbench.classifiers.modelfile import (
    MAX_MEMBERS,
    ModelFileError,
    is_model_file,
    save_model,
    write_archive,
)
from workbench.classifiers.zeror import ZeroR
from workbench.cli import main
from workbench.data.dataset import Attribute, Dataset
from workbench.data.io import save_dataset
from workbench.filters.spec import parse_component

BEFORE_PACKING = Path(__file__).resolve().parents[1] / "fixtures" / "models-before-packing"
WIDE = 3000   # more attributes than a model file has members (MAX_MEMBERS)


def _wide(width: int = WIDE, numeric_every: int = 2, rows: int = 40) -> Dataset:
    """``width`` attributes, every ``numeric_every``-th numeric and the rest nominal
    (two or three values), and a class of three labels."""
    rng = np.random.default_rng(7)
    attributes, columns = [], []
    for j in range(width):
        if j % numeric_every == 0:
            attributes.append(Attribute.numeric(f"n{j}"))
            columns.append(rng.normal(size=rows).round(2))
        else:
            values = ["a", "b", "c"][:2 + j % 2]
            attributes.append(Attribute.nominal(f"s{j}", values))
            columns.append(rng.integers(0, len(values), rows).astype(np.float64))
    attributes.append(Attribute.nominal("class", ["x", "y", "z"]))
    columns.append(np.arange(rows) % 3 * 1.0)
    return Dataset("wide", attributes, np.column_stack(columns), class_index=width)


def _texts(words: int = WIDE) -> Dataset:
    """Documents of 20 words each, every word in one document: WEKA's StringToWordVector
    keeps them all (ties with the 1000th word are kept), one attribute each."""
    documents = [" ".join(f"w{d * 20 + i}" for i in range(20)) for d in range(words // 20)]
    return Dataset("texts", [Attribute.string("text", documents),
                             Attribute.nominal("class", ["neg", "pos"])],
                   np.column_stack([np.arange(len(documents), dtype=np.float64),
                                    np.arange(len(documents)) % 2 * 1.0]), class_index=1)


def _members(path: Path) -> int:
    with zipfile.ZipFile(path) as archive:
        return len(archive.namelist())


def _round_trip(spec: str, data: Dataset, path: Path) -> int:
    model = parse_component(spec, "classifier").fit(data)
    save_model(model, path)
    again = load_model(path)
    np.testing.assert_array_equal(again.predict_proba(data), model.predict_proba(data))
    return _members(path)


@pytest.mark.parametrize("spec", ["naive-bayes", "naive-bayes -D",
                                  "filtered -F discretize -W naive-bayes",
                                  "filtered -F numeric-to-nominal -W naive-bayes"])
def test_a_wide_model_saves_and_loads_with_as_many_members_as_a_narrow_one(tmp_path, spec):
    narrow = _round_trip(spec, _wide(20), tmp_path / "narrow.model")
    assert _round_trip(spec, _wide(), tmp_path / "wide.model") == narrow < 20


def test_a_wide_kernel_naive_bayes_saves_and_loads(tmp_path):
    # Kernels are ragged (one row per distinct value and class): packed with offsets.
    # Numeric attributes are few here, since each makes loading's probe slow.
    data = _wide(1200, numeric_every=40)
    assert _round_trip("naive-bayes -K", data, tmp_path / "kernel.model") < 20


def test_a_voted_perceptron_of_many_classes_packs_its_perceptrons(tmp_path):
    # One perceptron per class: 400 classes once made 1 200 arrays.
    rng = np.random.default_rng(3)
    labels = [f"c{k}" for k in range(400)]
    many = Dataset("many", [Attribute.numeric("x"), Attribute.numeric("y"),
                            Attribute.nominal("class", labels)],
                   np.column_stack([rng.normal(size=800), rng.normal(size=800),
                                    np.arange(800) % 400 * 1.0]), class_index=2)
    spec = "perceptron --mode voted --epochs 1"
    assert _round_trip(spec, many, tmp_path / "many.model") == _round_trip(
        spec, load("iris.arff"), tmp_path / "iris.model") < 20


def test_a_bag_of_words_model_round_trips_through_save_model(tmp_path):
    spec = "filtered -F weka-string-to-word-vector -W naive-bayes"
    model = parse_component(spec, "classifier").fit(_texts())
    assert model.classifier_ is not None and model.classifier_.header_ is not None
    assert model.classifier_.header_.num_attributes == WIDE + 1
    save_model(model, tmp_path / "words.model")
    again = load_model(tmp_path / "words.model")
    new = _texts().select_rows(slice(0, 30))
    np.testing.assert_array_equal(again.predict_proba(new), model.predict_proba(new))


def _predictions(path: Path) -> list[list[str]]:
    with path.open(newline="") as handle:
        return list(csv.reader(handle))


@pytest.mark.parametrize(("data", "learner"), [
    (_wide, ["naive-bayes"]),
    (_texts, ["filtered", "-F", "weka-string-to-word-vector", "-W", "naive-bayes"])])
def test_the_command_line_saves_a_wide_model_and_classifies_with_it(tmp_path, capsys,
                                                                    data, learner):
    arff, model = tmp_path / "train.arff", tmp_path / "wide.model"
    save_dataset(data(), arff)
    assert main(["classify", "-t", str(arff), "-no-cv", "-d", str(model), "--predictions",
                 str(tmp_path / "trained.csv"), *learner]) == 0
    assert main(["classify", "-l", str(model), "-T", str(arff), "--predictions",
                 str(tmp_path / "loaded.csv")]) == 0, capsys.readouterr().err
    trained, loaded = _predictions(tmp_path / "trained.csv"), _predictions(
        tmp_path / "loaded.csv")
    assert len(loaded) == data().num_instances + 1 and loaded == trained


class _ManyArrays(ZeroR):
    """A learner (a plug-in's, say) that stores one array per attribute."""

    name = "many-arrays"

    def _state(self):
        meta, arrays = super()._state()
        return meta, {**arrays, **{f"column.{j}": np.zeros(1) for j in range(MAX_MEMBERS)}}


def test_the_writer_refuses_a_model_the_reader_would_refuse(tmp_path):
    model = _ManyArrays().fit(load("iris.arff"))
    with pytest.raises(ModelFileError, match=rf"many\.model: this model has "
                       rf"{MAX_MEMBERS + 1} learned arrays, more than a model file may "
                       rf"hold \({MAX_MEMBERS - 1}, beside model\.json\)"):
        model.save(tmp_path / "many.model")
    assert list(tmp_path.iterdir()) == []


def test_the_writer_refuses_array_names_the_reader_would_take_for_a_crafted_directory(
        tmp_path):
    arrays = {f"{'long' * 300}.{j}": np.zeros(1) for j in range(500)}
    with pytest.raises(ModelFileError, match=r"names\.model: this model's array names "
                                             r"take \d+ KiB in the zip directory"):
        write_archive(tmp_path / "names.model", '{"format": "workbench-model"}', arrays)
    assert list(tmp_path.iterdir()) == []


def test_a_crafted_archive_of_many_members_is_refused_before_zipfile_opens_it(
        tmp_path, monkeypatch):
    path = tmp_path / "crafted.model"
    save_model(parse_component("zeror", "classifier").fit(load("iris.arff")), path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_STORED) as archive:
        for j in range(70_000):   # a ZIP64 directory
            archive.writestr(f"arrays/x{j}.npy", b"")

    def never(*args, **kwargs):
        raise AssertionError("zipfile.ZipFile was constructed for a crafted archive")

    monkeypatch.setattr(zipfile, "ZipFile", never)
    with pytest.raises(ModelFileError, match=r"crafted\.model: the zip archive declares "
                                             r"70002 members, more than a model file has"):
        load_model(path)
    assert not is_model_file(path)


@pytest.mark.parametrize(("name", "data", "spec"), [
    ("naive-bayes.model", "labor.arff", "naive-bayes"),
    ("naive-bayes-kernel.model", "labor.arff", "naive-bayes -K"),
    ("naive-bayes-discretize.model", "labor.arff", "naive-bayes -D"),
    ("voted-perceptron.model", "iris.arff", "perceptron --mode voted"),
    ("filtered-numeric-to-nominal.model", "iris.arff",
     "filtered -F numeric-to-nominal -W naive-bayes")])
def test_a_model_saved_before_packing_still_loads_and_predicts_as_it_did(name, data, spec):
    # The files were written by the code before packing (main at 8a4972f): one array
    # per attribute, per problem, per filtered column.
    with zipfile.ZipFile(BEFORE_PACKING / name) as archive:
        assert not {"arrays/nominal.npy", "arrays/support.npy", "arrays/kernel.npy",
                    "arrays/discretizer.cuts_.npy", "arrays/filter0.levels_.npy"
                    } & set(archive.namelist())
    dataset = load(data)
    fresh = parse_component(spec, "classifier").fit(dataset)
    loaded = load_model(BEFORE_PACKING / name)
    np.testing.assert_array_equal(loaded.predict_proba(dataset), fresh.predict_proba(dataset))
    assert loaded.describe() == fresh.describe()
