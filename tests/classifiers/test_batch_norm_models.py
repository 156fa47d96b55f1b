"""Batch normalisation inside the CNN (architecture ``bn``) and the MLP (``batch_norm``):
it learns, predictions use the running statistics, and model files keep them."""

from __future__ import annotations

import numpy as np
import pytest
from test_cnn import bars

from workbench.classifiers.cnn import ConvolutionalNetwork
from workbench.classifiers.modelfile import load_model
from workbench.core.registry import Registry
from workbench.engine.layers import BatchNorm


@pytest.fixture(scope="module")
def cnn():
    model = ConvolutionalNetwork(architecture="conv(4,3)-bn-pool(2)-dense(8)-bn",
                                 epochs=12, batch_size=16, dropout=0.0,
                                 learning_rate=0.01, seed=3, device="cpu")
    return model.fit(bars(200, seed=1)), bars(100, seed=2)


def test_cnn_with_batch_norm_learns_and_predicts_from_running_statistics(cnn):
    model, test = cnn
    assert np.mean(model.predict(test) == test.class_values) > 0.9
    norms = [layer for layer in model.network_ if isinstance(layer, BatchNorm)]
    assert [n.num_features for n in norms] == [4, 8]
    assert not any(n.training for n in norms)  # trained model predicts in eval mode
    assert np.any(norms[0].running_mean != 0) and np.any(norms[0].running_var != 1)
    # eval mode: a row's prediction does not depend on the rows predicted with it
    whole = model.predict_proba(test)
    alone = model.predict_proba(test.select_rows(slice(0, 1)))
    np.testing.assert_allclose(alone[0], whole[0], rtol=1e-5, atol=1e-6)


def test_cnn_describes_batch_norm_layers_with_their_shapes(cnn):
    text = cnn[0].describe()
    assert "bn1            -> 4x4x4        8 weights" in text
    assert "bn2            -> 8            16 weights" in text


def test_running_statistics_survive_the_model_file(cnn, tmp_path):
    model, test = cnn
    path = tmp_path / "bn.model"
    model.save(path)
    registry = Registry()
    registry.add(ConvolutionalNetwork)
    again = load_model(path, registry)
    saved = [layer for layer in again.network_ if isinstance(layer, BatchNorm)]
    trained = [layer for layer in model.network_ if isinstance(layer, BatchNorm)]
    for a, b in zip(saved, trained, strict=True):
        np.testing.assert_array_equal(a.running_mean, b.running_mean)
        np.testing.assert_array_equal(a.running_var, b.running_var)
    np.testing.assert_array_equal(again.predict_proba(test), model.predict_proba(test))


def test_mlp_batch_norm_learns_iris_by_sgd_and_keeps_its_statistics(tmp_path):
    from classifier_helpers import load

    from workbench.classifiers.mlp import MultilayerPerceptron
    from workbench.core.errors import ParameterError

    iris = load("iris.arff")
    model = MultilayerPerceptron(hidden_layers="8", batch_norm=True, activation="relu",
                                 epochs=60, batch_size=16, learning_rate=0.1, seed=1,
                                 device="cpu")
    assert model.chosen_solver(150) == "sgd"  # batch statistics need mini-batches
    model.fit(iris)
    assert np.mean(model.predict(iris) == iris.class_values) > 0.9
    norms = [layer for layer in model.network_ if isinstance(layer, BatchNorm)]
    assert len(norms) == 1 and norms[0].num_features == 8 and not norms[0].training
    assert len(model.dense_layers()) == 2  # the viewers still see two dense layers
    path = tmp_path / "mlp.model"
    model.save(path)
    registry = Registry()
    registry.add(MultilayerPerceptron)
    again = load_model(path, registry)
    np.testing.assert_array_equal(again.network_[1].running_var, norms[0].running_var)
    np.testing.assert_array_equal(again.predict_proba(iris), model.predict_proba(iris))
    with pytest.raises(ParameterError, match="takes no batch norm"):
        MultilayerPerceptron(solver="lbfgs", batch_norm=True).fit(iris)


@pytest.mark.parametrize(("array", "bad", "message"), [
    ("running_var", -1.0, "negative, infinite or missing variance"),
    ("running_var", float("nan"), "negative, infinite or missing variance"),
    ("running_var", float("inf"), "negative, infinite or missing variance"),
    ("running_mean", float("nan"), "infinite or missing mean"),
    ("running_mean", float("-inf"), "infinite or missing mean")])
def test_a_damaged_running_statistic_is_refused_on_load(cnn, tmp_path, array, bad, message):
    import json

    from workbench.classifiers.modelfile import read_archive, write_archive
    from workbench.core.errors import WorkbenchError

    model, _ = cnn
    path = tmp_path / "bn.model"
    model.save(path)
    document, arrays = read_archive(path)
    name = next(n for n in arrays if n.endswith(f".{array}"))
    arrays[name] = arrays[name].copy()
    arrays[name][0] = bad
    write_archive(path, json.dumps(document), arrays)
    registry = Registry()
    registry.add(ConvolutionalNetwork)
    with pytest.raises(WorkbenchError) as raised:
        load_model(path, registry)
    assert str(path) in str(raised.value) and f"'{name}'" in str(raised.value)
    assert message in str(raised.value)


def test_mlp_batch_norm_trains_when_the_last_batch_has_one_row():
    from classifier_helpers import load

    from workbench.classifiers.mlp import MultilayerPerceptron

    iris = load("iris.arff")
    rows = iris.select_rows(np.r_[0:6, 50:56, 100:105])  # 17 rows: batches of 16 and 1
    model = MultilayerPerceptron(hidden_layers="4", batch_norm=True, epochs=3,
                                 batch_size=16, seed=1, device="cpu").fit(rows)
    assert np.all(np.isfinite(model.predict_proba(rows)))
