"""Saved models are JSON + .npz, written atomically, and a crafted file cannot run code."""

from __future__ import annotations

import json
import os
import zipfile

import numpy as np
import pytest

from workbench.core.errors import DataFormatError, ParameterError
from workbench.engine import layers as L
from workbench.engine import serialization as S
from workbench.engine.backend import to_host
from workbench.engine.rbm import RBM
from workbench.engine.tensor import Tensor, no_grad


def _model():
    return L.Sequential(
        L.Conv2D(1, 2, 3, padding=1, rng=0), L.ReLU(), L.MaxPool2D(2), L.Flatten(),
        L.Dropout(0.25, seed=1), L.Dense(2 * 2 * 2, 3, rng=1), L.LogSoftmax())


def test_module_round_trip_gives_identical_outputs(tmp_path):
    model = _model().eval()
    path = S.save_model(tmp_path / "net", model, metadata={"classes": ["a", "b", "c"]})
    assert path.name == "net.json" and (tmp_path / "net.npz").exists()
    loaded = S.load_model(tmp_path / "net.json").eval()
    assert repr(loaded) == repr(model)
    x = np.random.default_rng(0).normal(size=(4, 1, 4, 4)).astype(np.float32)
    with no_grad():
        np.testing.assert_array_equal(to_host(loaded(Tensor(x)).data),
                                      to_host(model(Tensor(x)).data))
    assert S.load_state(path).metadata == {"classes": ["a", "b", "c"]}


def test_recurrent_and_embedding_layers_round_trip(tmp_path):
    model = L.Sequential(L.Embedding(10, 4, rng=0), L.GRU(4, 5, return_sequences=True, rng=1),
                         L.LSTM(5, 3, rng=2))
    S.save_model(tmp_path / "rnn.json", model)
    loaded = S.load_model(tmp_path / "rnn.json")
    for (name, a), (other, b) in zip(model.state_dict().items(),
                                     loaded.state_dict().items(), strict=True):
        assert name == other
        np.testing.assert_array_equal(a, b)


def test_rbm_round_trip(tmp_path):
    rbm = RBM(6, 4, visible="gaussian", rng=0)
    S.save_model(tmp_path / "rbm", rbm)
    loaded = S.load_model(tmp_path / "rbm")
    assert isinstance(loaded, RBM) and loaded.visible == "gaussian"
    np.testing.assert_array_equal(to_host(loaded.weight), to_host(rbm.weight))


def test_generic_state_keeps_any_array_name(tmp_path):
    arrays = {"file": np.arange(3), "allow_pickle": np.ones((2, 2), dtype=np.float32)}
    S.save_state(tmp_path / "knn", "knn", {"k": 3}, arrays)
    state = S.load_state(tmp_path / "knn")
    assert state.kind == "knn" and state.config == {"k": 3}
    np.testing.assert_array_equal(state.arrays["file"], np.arange(3))


def test_saving_again_replaces_both_files_and_leaves_no_temporaries(tmp_path):
    S.save_state(tmp_path / "m", "x", {}, {"a": np.zeros(2)})
    S.save_state(tmp_path / "m", "x", {}, {"a": np.ones(3)})
    assert sorted(os.listdir(tmp_path)) == ["m.json", "m.npz"]
    np.testing.assert_array_equal(S.load_state(tmp_path / "m").arrays["a"], np.ones(3))


def test_object_arrays_are_refused_on_save():
    with pytest.raises(ParameterError, match="dtype object"):
        S.save_state("/nonexistent/x", "x", {}, {"a": np.array([{"x": 1}], dtype=object)})


def test_pickled_object_array_in_a_crafted_npz_is_refused(tmp_path):
    S.save_state(tmp_path / "m", "x", {}, {"a": np.zeros(2)})
    evil = np.array([print], dtype=object)  # loading it would need pickle
    with zipfile.ZipFile(tmp_path / "m.npz", "w") as archive, \
            archive.open("a.npy", "w") as member:
        np.lib.format.write_array(member, evil, allow_pickle=True)
    with pytest.raises(DataFormatError, match="other than numbers"):
        S.load_state(tmp_path / "m")


def test_unknown_layer_type_in_the_json_is_refused(tmp_path):
    S.save_model(tmp_path / "m", L.Sequential(L.Dense(2, 2, rng=0)))
    document = json.loads((tmp_path / "m.json").read_text())
    document["config"]["config"]["layers"][0]["type"] = "os.system"
    (tmp_path / "m.json").write_text(json.dumps(document))
    with pytest.raises(DataFormatError, match=r"unknown layer type 'os\.system'"):
        S.load_model(tmp_path / "m")


def test_bad_json_reports_line_and_column(tmp_path):
    (tmp_path / "m.json").write_text('{\n  "format": "workbench-model",\n  oops\n}')
    with pytest.raises(DataFormatError) as info:
        S.load_state(tmp_path / "m.json")
    assert f"{tmp_path / 'm.json'}:3:3:" in str(info.value)


def test_weights_from_another_save_are_detected(tmp_path):
    S.save_model(tmp_path / "a", L.Dense(3, 2, rng=0))
    S.save_model(tmp_path / "b", L.Dense(4, 2, rng=0))
    os.replace(tmp_path / "b.npz", tmp_path / "a.npz")
    with pytest.raises(DataFormatError, match="different saves"):
        S.load_model(tmp_path / "a")


def test_weights_path_cannot_escape_the_folder(tmp_path):
    S.save_model(tmp_path / "a", L.Dense(3, 2, rng=0))
    document = json.loads((tmp_path / "a.json").read_text())
    document["weights"] = "../elsewhere.npz"
    (tmp_path / "a.json").write_text(json.dumps(document))
    with pytest.raises(DataFormatError, match="beside"):
        S.load_model(tmp_path / "a")


def test_missing_files_and_wrong_format_name_the_file(tmp_path):
    with pytest.raises(DataFormatError, match="no such model file"):
        S.load_model(tmp_path / "nothing")
    (tmp_path / "x.json").write_text('{"format": "something else"}')
    with pytest.raises(DataFormatError, match="not a Workbench model"):
        S.load_model(tmp_path / "x")
