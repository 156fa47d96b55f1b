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
from workbench.classifiers.zeror import ZeroR
from workbench.core.errors import WorkbenchError
from workbench.core.registry import Registry, default_registry

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


def _members(path):
    with zipfile.ZipFile(path) as archive:
        document = json.loads(archive.read("model.json"))
        arrays = {n[len("arrays/"):-4]: archive.read(n) for n in archive.namelist()
                  if n.startswith("arrays/")}
    return document, arrays


def _npy_header(shape, dtype="<f8"):
    import struct

    header = repr({"descr": dtype, "fortran_order": False, "shape": shape}).encode()
    header += b" " * (63 - (len(header) + 10) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header


@pytest.fixture
def knn_model(tmp_path):
    path = tmp_path / "knn.model"
    default_registry().create("classifier", "knn", k=3).fit(load("iris.arff")).save(path)
    return path


@pytest.mark.parametrize("shape", [(10**12,), (10**6, 10**6), (-1,), (2, 2)])
def test_an_npy_header_claiming_more_than_its_bytes_is_refused_before_allocating(
        tmp_path, knn_model, shape):
    document, arrays = _members(knn_model)
    arrays["train"] = _npy_header(shape) + b"\x00" * 16
    evil = tmp_path / "evil.model"
    _archive(evil, document, arrays)
    with pytest.raises(ModelFileError, match=r"evil\.model: array 'train' declares shape"):
        load_model(evil)


def test_a_zip_bomb_is_refused_before_inflating(tmp_path, knn_model):
    document, arrays = _members(knn_model)
    count = 5_000_000  # 40 MB of zeros deflate to ~40 kB
    arrays["train"] = _npy_header((count,)) + bytes(8 * count)
    evil = tmp_path / "bomb.model"
    with zipfile.ZipFile(evil, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("model.json", json.dumps(document))
        for name, data in arrays.items():
            archive.writestr(f"arrays/{name}.npy", data)
    with pytest.raises(ModelFileError, match="zip bomb"):
        load_model(evil)


def test_many_members_each_below_the_checked_size_are_a_bomb_together(tmp_path, knn_model):
    from workbench.classifiers import modelfile

    document, arrays = _members(knn_model)
    count = modelfile.RATIO_CHECKED_FROM // 8 - 64   # each member just under the check
    for k in range(3):
        arrays[f"junk{k}"] = _npy_header((count,)) + bytes(8 * count)
    evil = tmp_path / "many.model"
    with zipfile.ZipFile(evil, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("model.json", json.dumps(document))
        for name, data in arrays.items():
            archive.writestr(f"arrays/{name}.npy", data)
    with pytest.raises(ModelFileError, match=r"many\.model: the members would inflate"):
        load_model(evil)


def _patch_first_member(path, offset_local, offset_central, fmt, value):
    import struct

    data = bytearray(path.read_bytes())
    struct.pack_into(fmt, data, offset_local, value)
    central = data.find(b"PK\x01\x02")
    struct.pack_into(fmt, data, central + offset_central, value)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage, message", [
    ((8, 10, "<H", 14), "compression method 14"),        # LZMA, as some archivers use
    ((8, 10, "<H", 99), "compression method 99"),        # WinZip AES
    ((6, 8, "<H", 1), "is encrypted"),
    ((14, 16, "<I", 0xDEADBEEF), "damaged.*CRC"),
])
def test_exotic_encrypted_and_damaged_members_are_named(tmp_path, knn_model, damage,
                                                        message):
    _patch_first_member(knn_model, *damage)
    with pytest.raises(ModelFileError, match=rf"knn\.model: .*{message}"):
        load_model(knn_model)


def test_deep_json_huge_numbers_and_wrong_types_in_model_json(tmp_path, knn_model):
    document, arrays = _members(knn_model)
    for name, text in [("deep", '{"format": "workbench-model", "state": ' + "[" * 3000
                        + "]" * 3000 + "}"),
                       ("digits", '{"format": "workbench-model", "k": ' + "9" * 5000 + "}"),
                       ("latin", '{"format": "workbench-model", "x": "\xe9"}')]:
        evil = tmp_path / f"{name}.model"
        with zipfile.ZipFile(evil, "w") as archive:
            archive.writestr("model.json", text.encode("latin-1"))
        with pytest.raises(ModelFileError, match=rf"{name}\.model"):
            load_model(evil)
    for change in ({"state": 5}, {"params": {"k": 10**12}}, {"params": {"k": "x" * 10}},
                   {"state": {"k": [1]}, "classes": ["a"]}, {"header": []}):
        evil = tmp_path / "types.model"
        _archive(evil, {**document, **change}, arrays)
        with pytest.raises(ModelFileError, match=r"types\.model"):
            load_model(evil)


def test_class_codes_out_of_range_are_refused_when_the_file_is_opened(tmp_path, knn_model):
    document, arrays = _members(knn_model)
    y = np.load(io.BytesIO(arrays["y"]))
    y[:] = 7.0  # iris has 3 classes
    buffer = io.BytesIO()
    np.save(buffer, y)
    arrays["y"] = buffer.getvalue()
    evil = tmp_path / "codes.model"
    _archive(evil, document, arrays)
    with pytest.raises(ModelFileError, match=r"codes\.model: "):
        load_model(evil)


def test_a_nul_in_the_path_and_a_fifo_are_refused(tmp_path):
    with pytest.raises(ModelFileError, match="NUL"):
        load_model(str(tmp_path / "a\x00.model"))
    os.mkfifo(tmp_path / "pipe.model")
    with pytest.raises(ModelFileError, match="not a regular file"):
        load_model(tmp_path / "pipe.model")


def test_saving_over_a_folder_says_why_in_words(tmp_path):
    from workbench.classifiers.modelfile import ModelFileError
    from workbench.classifiers.zeror import ZeroR
    from workbench.data.catalog import load_bundled

    model = ZeroR().fit(load_bundled("iris"))
    with pytest.raises(ModelFileError, match="is a folder, not a regular file") as caught:
        model.save(tmp_path)
    assert "None" not in str(caught.value)


def test_a_model_of_mostly_zeros_is_saved_so_that_it_loads(tmp_path):
    # A k-NN over bag-of-words rows deflates hundreds to one, like a zip bomb; the
    # writer stores such a member unpacked rather than write a file the reader refuses.
    from workbench.classifiers import modelfile
    from workbench.data.dataset import Attribute, Dataset

    rows, columns = 2200, 1000                     # 17.6 MB of float64, mostly zeros
    X = np.zeros((rows, columns + 1))
    X[np.arange(rows), np.arange(rows) % columns] = 1.0
    X[:, -1] = np.arange(rows) % 2
    data = Dataset("words", [*(Attribute.numeric(f"w{j}") for j in range(columns)),
                             Attribute.nominal("class", ["a", "b"])], X, class_index=-1)
    path = tmp_path / "words.model"
    model = default_registry().create("classifier", "knn", k=1).fit(data)
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        big = [i for i in archive.infolist() if i.file_size > modelfile.RATIO_CHECKED_FROM]
    assert big and all(i.compress_type == zipfile.ZIP_STORED for i in big)
    assert (load_model(path).predict(data) == model.predict(data)).all()


@pytest.mark.parametrize("members, stored", [(2, False), (3, True)])
def test_small_zero_members_deflate_until_the_archive_is_big_enough_to_be_checked(
        tmp_path, members, stored):
    """Members of 6 MB zeros each: two (12 MB in all) are below the size a reader checks
    ratios from, so they deflate without the writer measuring them; three (18 MB) are
    checked as a whole, so the writer stores them, and both files read back."""
    from workbench.classifiers import modelfile

    arrays = {f"a{i}": np.zeros(6 * 2**20 // 8) for i in range(members)}
    path = tmp_path / "zeros.model"
    modelfile.write_archive(path, json.dumps({"format": modelfile.FORMAT}), arrays)
    with zipfile.ZipFile(path) as archive:
        kinds = {i.compress_type for i in archive.infolist() if i.filename.endswith(".npy")}
    assert kinds == {zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED}
    _, read = modelfile.read_archive(path)
    assert set(read) >= set(arrays)


def _npy(array):
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def test_narrow_arrays_are_counted_at_the_size_a_learner_widens_them_to(
        tmp_path, knn_model, monkeypatch):
    # k-NN widens its stored rows to float64: a bool array of 0.8 MB becomes 6.4 MB. A
    # file whose stored bytes are under the limit but whose loaded arrays are over it is
    # refused before any array is allocated (the probe's 8 MB file asked for 16 GiB).
    from workbench.classifiers import modelfile

    monkeypatch.setattr(modelfile, "MAX_TOTAL_BYTES", 2_000_000)
    monkeypatch.setattr(modelfile, "MAX_ARRAY_BYTES", 2_000_000)
    document, arrays = _members(knn_model)
    rows = 200_000
    arrays.update(train=_npy(np.zeros((rows, 4), dtype=bool)),
                  y=_npy(np.zeros(rows, dtype=np.int8)),
                  weights=_npy(np.ones(rows, dtype=np.int8)))
    evil = tmp_path / "narrow.model"
    _archive(evil, document, arrays)
    with pytest.raises(ModelFileError, match=r"narrow\.model: array 'train' \(shape "
                       r"\(200000, 4\), bool\) would take 6 MiB once loaded"):
        load_model(evil)
    arrays["train"] = _npy(np.zeros((rows // 4, 4), dtype=bool))   # 1.6 MB loaded
    arrays.update(y=_npy(np.zeros(rows // 4, dtype=np.int8)),
                  weights=_npy(np.ones(rows // 4, dtype=np.int8)))
    _archive(evil, document, arrays)
    with pytest.raises(ModelFileError, match=r"narrow\.model: the arrays would take "
                       r"2 MiB once loaded as 8-byte numbers, more than a model may"):
        load_model(evil)


def test_a_model_that_would_not_fit_in_free_memory_is_refused(knn_model, monkeypatch):
    from workbench.classifiers import modelfile

    monkeypatch.setattr(modelfile, "available_memory", lambda: 10_000)
    with pytest.raises(ModelFileError, match=r"knn\.model: loading this model needs "
                       r"about .* but only 9 KiB of memory is free"):
        load_model(knn_model)
    monkeypatch.setattr(modelfile, "available_memory", lambda: None)   # unknown: loads
    assert load_model(knn_model).k_ == 3


def test_a_model_saved_wide_needs_less_room_than_one_stored_narrow(
        tmp_path, knn_model, monkeypatch):
    # Loading widens every array to 8-byte numbers; a model saved as float64 needs room
    # for its arrays and the work beside them (2.5 times), one stored as bytes the
    # copies widening makes too (measured: 4.1 times its loaded size).
    from workbench.classifiers import modelfile

    document, arrays = _members(knn_model)
    rows = 10_000
    paths = {}
    for name, train, small in (("wide", np.float64, np.float64),
                               ("narrow", bool, np.int8)):
        arrays.update(train=_npy(np.zeros((rows, 4), dtype=train)),
                      y=_npy(np.zeros(rows, dtype=small)),
                      weights=_npy(np.ones(rows, dtype=small)))
        paths[name] = tmp_path / f"{name}.model"
        _archive(paths[name], document, arrays)
    loaded = rows * 6 * 8
    monkeypatch.setattr(modelfile, "available_memory", lambda: int(3.2 * loaded))
    assert load_model(paths["wide"]).k_ == 3
    with pytest.raises(ModelFileError, match=r"narrow\.model: loading this model needs"):
        load_model(paths["narrow"])


def test_a_model_too_big_to_read_back_is_not_written(tmp_path, monkeypatch):
    from workbench.classifiers import modelfile

    model = default_registry().create("classifier", "knn").fit(load("iris.arff"))
    monkeypatch.setattr(modelfile, "MAX_TOTAL_BYTES", 1000)
    with pytest.raises(ModelFileError, match=r"big\.model: this model's arrays would take "
                       r"\d+ KiB once loaded, more than a model file may hold"):
        model.save(tmp_path / "big.model")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("change, message", [
    ({"array": ("weights", np.full(150, np.nan))},
     r"array 'weights' holds an infinite or missing \(NaN\) value"),
    ({"array": ("weights", np.full(150, -1.0))}, r"array 'weights' holds a negative"),
    ({"array": ("train", np.zeros((0, 4))), "y": np.zeros(0), "weights": np.zeros(0)},
     r"the model holds no training instances \(array 'train' is empty\)"),
    ({"header.class_index": -1}, r"model\.json header\.class_index is -1 \(expected null "
                                 r"or a whole number in 0\.\.4\)"),
    ({"header.class_index": "4"}, r"model\.json header\.class_index is '4'"),
    ({"header.class_index": True}, r"model\.json header\.class_index is True"),
    ({"state.k": 1e30}, r"model\.json state\.k: .*too large"),
    ({"state.k": 0}, r"model\.json state\.k: .*0 is not allowed"),
    ({"state.k": "3"}, r"model\.json state\.k: '3' is text"),
    ({"state.attributes_used": -7.0}, r"model\.json state\.attributes_used is -7\.0"),
])
def test_damaged_values_in_a_knn_model_are_refused_naming_the_field(
        tmp_path, knn_model, change, message):
    # Each of these used to load: NaN or negative weights gave probabilities that do not
    # sum to 1, class_index -1 or "4" was read as the last attribute, k 1e30 was kept.
    document, arrays = _members(knn_model)
    for key, value in change.items():
        if key == "array":
            arrays[value[0]] = _npy(value[1])
        elif key in ("y", "weights"):
            arrays[key] = _npy(value)
        else:
            part, field = key.split(".")
            document[part][field] = value
    evil = tmp_path / "damaged.model"
    _archive(evil, document, arrays)
    with pytest.raises(ModelFileError, match=rf"damaged\.model: {message}"):
        load_model(evil)


def test_negative_class_counts_in_a_naive_bayes_model_are_refused(tmp_path):
    path = tmp_path / "nb.model"
    default_registry().create("classifier", "naive-bayes").fit(load("iris.arff")).save(path)
    document, arrays = _members(path)
    arrays["prior"] = _npy(np.array([50.0, -1.0, 50.0]))
    _archive(path, document, arrays)
    with pytest.raises(ModelFileError, match=r"nb\.model: array 'prior' holds a negative"):
        load_model(path)


class _Picky(ZeroR):
    """ZeroR that refuses missing values in our words, as a learner may."""

    name = "picky-zeror"

    def _predict_proba(self, data):
        if np.isnan(data.dense_values()[:, :-1]).any():
            raise WorkbenchError("picky: missing values are not taken")
        return super()._predict_proba(data)


def test_a_learner_refusing_missing_values_still_loads(tmp_path):
    # The probe's all-missing row is made up: refusing it is the learner's right.
    registry = Registry()
    registry.add(_Picky)
    path = tmp_path / "picky.model"
    _Picky().fit(load("iris.arff")).save(path)
    assert isinstance(load_model(path, registry), _Picky)


def test_a_filtered_model_whose_inner_header_was_edited_is_refused_when_opened(tmp_path):
    # It used to load and then fail every evaluation with "IBk ... cannot predict 'iris':
    # attribute 5 'class' has different values", naming no file and blaming the data.
    path = tmp_path / "filtered.model"
    default_registry().create("classifier", "filtered").fit(load("iris.arff")).save(path)
    document, arrays = _members(path)
    document["state"]["classifier_header"]["attributes"][-1]["values"] = ["x"]
    _archive(path, document, arrays)
    with pytest.raises(ModelFileError, match=r"filtered\.model: the model loads but refuses "
                                             r"an instance of zeros of its own training "
                                             r"header \(.*'class' has different values"):
        load_model(path)
