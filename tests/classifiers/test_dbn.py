"""The DBN classifier: CD-1 by hand, the MLP it becomes without pre-training, the gain
from pre-training with few labels, viewer hooks, model files, progress and refusals."""

from __future__ import annotations

import numpy as np
import pytest
from classifier_helpers import load, make_dataset

import workbench.classifiers.dbn as dbn_module
from workbench.classifiers.dbn import (
    DeepBeliefNetwork,
    automatic_epochs,
    automatic_hidden_layers,
    parse_per_layer,
    rbm_init_rng,
)
from workbench.classifiers.mlp import MultilayerPerceptron
from workbench.classifiers.modelfile import load_model
from workbench.core.errors import Cancelled, ParameterError, WorkbenchError
from workbench.core.progress import CancelToken
from workbench.core.registry import Registry
from workbench.data.dataset import Dataset
from workbench.engine import backend


def accuracy(model, data: Dataset) -> float:
    return float(np.mean(model.predict(data) == data.class_values))


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


@pytest.fixture(scope="module")
def digits() -> Dataset:
    return load("digits.arff")


@pytest.fixture(scope="module")
def trained(digits):
    """A small two-RBM DBN on 600 digits, and 300 other digits to test on."""
    order = np.random.default_rng(0).permutation(digits.num_instances)
    train, test = digits.select_rows(order[:600]), digits.select_rows(order[600:900])
    model = DeepBeliefNetwork(hidden_layers=(64, 32), pretrain_epochs=(10,), batch_size=10,
                              finetune_epochs=20, seed=2, device="cpu")
    return model.fit(train), train, test


class KnownDraws:
    """Stands in for the CD sampler: rows in order, uniforms known to the test."""

    def __init__(self, uniforms: list[np.ndarray]) -> None:
        self.uniforms = list(uniforms)

    def permutation(self, n: int) -> np.ndarray:
        return np.arange(n)

    def random(self, shape, dtype=np.float64, out=None):
        values = self.uniforms.pop(0)
        assert values.shape == tuple(shape)
        if out is None:
            return values.astype(dtype)
        out[...] = values
        return out


def test_cd1_update_matches_a_hand_computation(monkeypatch):
    v0 = np.array([[1, 0, 1, 1, 0], [0, 1, 1, 0, 0], [1, 1, 0, 0, 1], [0, 0, 1, 1, 1]],
                  dtype=np.float64)
    data = make_dataset(v0, [0, 1, 0, 1], labels=("a", "b"))
    uniforms = np.random.default_rng(5).random((4, 3))
    monkeypatch.setattr(dbn_module, "sampling_rng", lambda seed, xp: KnownDraws([uniforms]))
    lr = 0.5
    model = DeepBeliefNetwork(hidden_layers=(3,), pretrain_epochs=(1,), cd_k=1,
                              pretrain_learning_rate=str(lr), momentum=0.0,
                              weight_decay=0.0, batch_size=4, finetune_epochs=1, seed=11,
                              device="cpu").fit(data)
    # By hand: the RBM's initial weights are N(0, 0.01) from its seeded stream; biases 0.
    W = rbm_init_rng(11, 0).normal(0.0, 0.01, size=(3, 5)).astype(np.float32).astype(float)
    b, c = np.zeros(5), np.zeros(3)
    h0 = sigmoid(v0 @ W.T + c)                  # P(h | data)
    h_sample = (uniforms < h0).astype(float)    # one Bernoulli draw per hidden unit
    v1 = sigmoid(h_sample @ W + b)              # reconstruction: visible means
    h1 = sigmoid(v1 @ W.T + c)                  # P(h | reconstruction)
    n = v0.shape[0]
    W_new = W + lr * (h0.T @ v0 - h1.T @ v1) / n
    b_new = b + lr * (v0 - v1).mean(axis=0)
    c_new = c + lr * (h0 - h1).mean(axis=0)
    rbm = model.rbms_[0]
    np.testing.assert_allclose(model.rbm_weights(0), W_new, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(backend.to_host(rbm.visible_bias), b_new, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(backend.to_host(rbm.hidden_bias), c_new, rtol=1e-4, atol=1e-6)
    error = np.mean((v1 - v0) ** 2)
    assert model.pretrain_errors_ == [[pytest.approx(error, rel=1e-4)]]


def test_without_pretraining_it_is_an_mlp_with_sigmoid_units():
    rng = np.random.default_rng(4)
    X = rng.random((90, 6))
    y = (X[:, 0] + X[:, 1] > X[:, 2] + 0.5).astype(float) + (X[:, 3] > 0.7)
    data = make_dataset(X, y, labels=("p", "q", "r"))
    shared = {"optimizer": "adam", "batch_size": 8, "seed": 3, "device": "cpu"}
    dbn = DeepBeliefNetwork(hidden_layers=(7, 5), pretrain_epochs=(0,), finetune_epochs=6,
                            finetune_learning_rate=0.01, **shared).fit(data)
    mlp = MultilayerPerceptron(hidden_layers="7,5", activation="sigmoid",
                               loss="cross_entropy", scaling="range", epochs=6,
                               learning_rate=0.01, **shared).fit(data)
    np.testing.assert_allclose(dbn.predict_proba(data), mlp.predict_proba(data), rtol=1e-5,
                               atol=1e-7)
    assert dbn.history_.loss == pytest.approx(mlp.history_.loss, rel=1e-6)
    mlp_weights = dict(mlp.network_.named_parameters())
    np.testing.assert_allclose(dbn.weight_arrays()["dense1.weight"],
                               backend.to_host(mlp_weights["0.weight"].data), rtol=1e-5, atol=1e-7)


def test_pretrained_rbm_weights_seed_the_network():
    rng = np.random.default_rng(8)
    X = (rng.random((60, 9)) < 0.4).astype(float)
    data = make_dataset(X, X[:, 0], labels=("off", "on"))
    model = DeepBeliefNetwork(hidden_layers=(6, 4), pretrain_epochs=(3,),
                              finetune_epochs=1, optimizer="sgd",
                              finetune_learning_rate=1e-9, finetune_momentum=0.0,
                              device="cpu").fit(data)
    weights = model.weight_arrays()
    for layer, name in ((0, "dense1"), (1, "dense2")):
        np.testing.assert_allclose(weights[f"{name}.weight"], model.rbm_weights(layer),
                                   atol=1e-6)
        np.testing.assert_allclose(weights[f"{name}.bias"],
                                   backend.to_host(model.rbms_[layer].hidden_bias),
                                   atol=1e-6)
    assert weights["output.weight"].shape == (2, 4)


def test_pretraining_helps_with_few_labels_and_unlabelled_digits(digits):
    """5 labelled digits per class plus ~1250 unlabelled ones and a short fine-tuning:
    the RBMs' features from the unlabelled digits are what lifts the accuracy."""
    order = np.random.default_rng(0).permutation(digits.num_instances)
    pool, test = order[:1297], digits.select_rows(order[1297:])
    y = digits.class_values[pool]
    labelled = np.concatenate([pool[y == c][:5] for c in range(10)])
    unlabelled = np.setdiff1d(pool, labelled)
    values = digits.dense_values().copy()
    values[unlabelled, digits.class_index] = np.nan
    data = Dataset(digits.relation, digits.attributes,
                   values[np.concatenate([labelled, unlabelled])],
                   class_index=digits.class_index)
    for seed in (1, 2):
        settings = {"hidden_layers": (100, 100), "finetune_epochs": 10, "seed": seed,
                    "device": "cpu"}
        plain = DeepBeliefNetwork(pretrain_epochs=(0,), **settings).fit(data)
        pretrained = DeepBeliefNetwork(pretrain_epochs=(20,), **settings).fit(data)
        assert pretrained.history_.epochs == plain.history_.epochs == 10
        assert accuracy(pretrained, test) >= accuracy(plain, test) + 0.1


def test_learns_digits_and_records_both_phases(trained):
    model, _, test = trained
    assert accuracy(model, test) >= 0.94
    assert len(model.pretrain_errors_) == 2
    for errors in model.pretrain_errors_:
        assert len(errors) == 10 and errors[-1] < errors[0]
    assert model.history_.epochs == 20 and model.history_.loss[-1] < model.history_.loss[0]
    text = model.describe()
    assert "64-64-32-10" in text and "RBM 2: 64 -> 32" in text
    assert "Bernoulli visible units, inputs x 0.0625" in text


def test_viewer_hooks(trained):
    model, train, test = trained
    assert model.input_geometry == (1, 8, 8)
    assert model.rbm_weights(0).shape == (64, 64)
    assert model.rbm_weights(-1).shape == (32, 64)
    with pytest.raises(WorkbenchError, match="no RBM 2"):
        model.rbm_weights(2)
    weights = model.weight_arrays()
    assert weights["dense1.weight"].shape == (64, 64)
    assert weights["output.weight"].shape == (10, 32)
    rows = [0, 5, 9]
    originals = model.encode(test, rows)
    assert originals.shape == (3, 64) and originals.min() >= 0 and originals.max() <= 1
    np.testing.assert_allclose(originals, test.dense_values()[rows, :64] / 16, atol=1e-6)
    again = model.reconstruct(test, rows)
    assert again.shape == (3, 64)
    # Through two RBMs and back, a digit is still nearer itself than the average digit is.
    average = model.encode(train, range(train.num_instances)).mean(axis=0)
    assert np.mean((again - originals) ** 2) < np.mean((average - originals) ** 2)
    samples = model.sample(4, steps=20, seed=3)
    assert samples.shape == (4, 64) and samples.min() >= 0 and samples.max() <= 1
    np.testing.assert_array_equal(samples, model.sample(4, steps=20, seed=3))
    with pytest.raises(WorkbenchError, match="outside"):
        model.reconstruct(test, [test.num_instances])


def test_tables_are_scaled_per_column_for_bernoulli_units():
    rng = np.random.default_rng(3)
    X = rng.random((50, 3)) * [1000.0, 1.0, 7.0]
    data = make_dataset(X, X[:, 1] > 0.5, labels=("lo", "hi"))
    model = DeepBeliefNetwork(hidden_layers=(5,), pretrain_epochs=(1,), finetune_epochs=1,
                              device="cpu").fit(data)
    inputs = model.encode(data, range(50))
    np.testing.assert_allclose(inputs.min(axis=0), 0.0, atol=1e-6)
    np.testing.assert_allclose(inputs.max(axis=0), 1.0, atol=1e-6)
    assert model.input_geometry is None
    assert "Bernoulli visible units, inputs scaled to [0, 1] per column" in model.describe()


def test_unlabelled_instances_pretrain_but_do_not_fine_tune(digits):
    values = digits.dense_values()[:300].copy()
    values[100:, digits.class_index] = np.nan
    data = Dataset("digits", digits.attributes, values, class_index=digits.class_index)
    settings = {"hidden_layers": (16,), "pretrain_epochs": (2,), "finetune_epochs": 1,
                "device": "cpu"}
    both = DeepBeliefNetwork(**settings).fit(data)
    labelled_only = DeepBeliefNetwork(use_unlabelled=False, **settings).fit(data)
    alone = DeepBeliefNetwork(**settings).fit(data.select_rows(np.arange(100)))
    np.testing.assert_array_equal(labelled_only.rbm_weights(0), alone.rbm_weights(0))
    assert not np.allclose(both.rbm_weights(0), alone.rbm_weights(0))
    assert both.history_.epochs == 1


def test_instance_weights_count():
    rng = np.random.default_rng(6)
    X = rng.random((120, 4))
    y = (X[:, 0] > 0.5).astype(float)
    # Copies with the wrong label but weight 0 must change nothing.
    values = np.vstack([np.column_stack([X, y]), np.column_stack([X[:60], 1 - y[:60]])])
    weights = np.concatenate([np.ones(120), np.zeros(60)])
    clean = make_dataset(X, y, labels=("a", "b"))
    noisy = Dataset("toy", clean.attributes, values, weights, class_index=4)
    settings = {"hidden_layers": (8,), "pretrain_epochs": (0,), "finetune_epochs": 40,
                "device": "cpu"}
    model = DeepBeliefNetwork(**settings).fit(noisy)
    assert accuracy(model, clean) >= 0.9


def test_same_seed_same_model(digits):
    data = digits.select_rows(np.arange(200))
    settings = {"hidden_layers": (20,), "pretrain_epochs": (2,), "finetune_epochs": 2,
                "device": "cpu"}
    a = DeepBeliefNetwork(seed=4, **settings).fit(data)
    b = DeepBeliefNetwork(seed=4, **settings).fit(data)
    c = DeepBeliefNetwork(seed=5, **settings).fit(data)
    np.testing.assert_array_equal(a.predict_proba(data), b.predict_proba(data))
    np.testing.assert_array_equal(a.rbm_weights(0), b.rbm_weights(0))
    assert not np.array_equal(a.rbm_weights(0), c.rbm_weights(0))


def test_save_and_load_predict_and_sample_the_same(trained, tmp_path):
    model, _, test = trained
    path = tmp_path / "dbn.model"
    model.save(path)
    registry = Registry()
    dbn_module.register(registry)
    again = load_model(path, registry)
    np.testing.assert_array_equal(again.predict_proba(test), model.predict_proba(test))
    np.testing.assert_array_equal(again.rbm_weights(1), model.rbm_weights(1))
    np.testing.assert_array_equal(again.sample(2, steps=5, seed=1),
                                  model.sample(2, steps=5, seed=1))
    np.testing.assert_array_equal(again.reconstruct(test, [1]), model.reconstruct(test, [1]))
    assert again.input_geometry == (1, 8, 8)
    assert again.pretrain_errors_ == model.pretrain_errors_
    assert again.history_.loss == model.history_.loss
    assert again.describe() == model.describe()


def test_gaussian_visible_units_for_signed_data():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(200, 4)) * [1, 5, 0.2, 3] + [0, -10, 1, 4]
    y = (X[:, 0] + X[:, 2] * 5 > 1).astype(float)
    data = make_dataset(X, y, labels=("no", "yes"))
    model = DeepBeliefNetwork(hidden_layers=(16,), pretrain_epochs=(5,), finetune_epochs=30,
                              device="cpu").fit(data)
    assert model.rbms_[0].visible == "gaussian" and model.input_geometry is None
    assert "Gaussian visible units" in model.describe()
    assert accuracy(model, data) >= 0.9
    assert model.reconstruct(data, [0, 1]).shape == (2, 4)
    assert np.isfinite(model.sample(3, steps=10)).all()


def test_progress_reports_each_phase_and_cancellation():
    rng = np.random.default_rng(1)
    X = rng.random((40, 5))
    data = make_dataset(X, X[:, 0] > 0.5, labels=("a", "b"))
    events = []
    DeepBeliefNetwork(hidden_layers=(4, 3), pretrain_epochs=(2, 1), finetune_epochs=2,
                      device="cpu").fit(data, progress=events.append)
    messages = [e.message for e in events if "batch" not in e.message]
    assert messages[0].startswith("layer 1 pre-training, epoch 1: reconstruction error ")
    assert [m.split(":")[0] for m in messages[:3]] == [
        "layer 1 pre-training, epoch 1", "layer 1 pre-training, epoch 2",
        "layer 2 pre-training, epoch 1"]
    assert messages[3].startswith("fine-tuning, epoch 1/2, loss")
    fractions = [e.fraction for e in events]
    assert fractions == sorted(fractions) and fractions[-1] == pytest.approx(1.0)
    assert {e.values["phase"] for e in events} == {"pretrain", "finetune"}
    token = CancelToken()
    token.cancel()
    model = DeepBeliefNetwork(hidden_layers=(4,), device="cpu")
    with pytest.raises(Cancelled):
        model.fit(data, cancel=token)
    assert not model.is_fitted


def test_refusals():
    with pytest.raises(ParameterError, match="3 values for 2 RBM"):
        DeepBeliefNetwork(hidden_layers=(5, 5), pretrain_epochs=(1, 2, 3))
    with pytest.raises(ParameterError, match=r"'0\.1,x' is not understood"):
        DeepBeliefNetwork(pretrain_learning_rate="0.1,x")
    with pytest.raises(ParameterError, match="at least one RBM"):
        DeepBeliefNetwork(hidden_layers=(4, 0))
    with pytest.raises(ParameterError, match="image shape"):
        DeepBeliefNetwork(image_shape="28")
    assert parse_per_layer("0.1, 0.02", 2, "rate") == [0.1, 0.02]
    assert parse_per_layer("auto", 3, "rate") is None
    data = make_dataset(np.random.default_rng(0).random((10, 3)), np.arange(10.0))
    with pytest.raises(WorkbenchError, match="numeric class"):
        DeepBeliefNetwork(device="cpu").fit(data)
    with pytest.raises(WorkbenchError, match="has not been trained"):
        DeepBeliefNetwork().rbm_weights(0)


def test_registered_as_dbn_in_the_neural_category():
    registry = Registry()
    dbn_module.register(registry)
    info = registry.get("classifier", "dbn")
    assert info.factory is DeepBeliefNetwork
    assert DeepBeliefNetwork.category == "neural"
    assert isinstance(registry.create("classifier", "dbn", hidden_layers=(3,)),
                      DeepBeliefNetwork)


def test_automatic_sizes_keep_mnist_settings_and_follow_small_tables():
    # MNIST's slow test (8 000 digits, batch 32) keeps 784-500-500, 8 and 15 epochs.
    assert automatic_hidden_layers(784) == (500, 500)
    assert automatic_epochs(8000, 32, 1000, 8) == 8
    assert automatic_epochs(8000, 32, 3000, 15) == 15
    assert automatic_hidden_layers(4) == (20,)
    assert automatic_hidden_layers(64) == (256, 256)
    assert automatic_epochs(135, 32, 3000, 15, 20) == 500  # iris in 10-fold CV
    assert automatic_epochs(13, 32, 3000, 15, 20) == 260  # weather: 20 visits a row
    model = DeepBeliefNetwork()
    assert model._early_stopping(8000, 15) == (0.0, 3)
    assert model._early_stopping(135, 500) == (0.2, 50)
    assert DeepBeliefNetwork(finetune_epochs=20)._early_stopping(135, 20) == (0.0, 3)


def test_defaults_learn_iris_instead_of_predicting_every_row_alike():
    # With MNIST's fixed sizes (500-500, 15 epochs) iris got 75 updates: 33.33 % in CV.
    iris = load("iris.arff")
    model = DeepBeliefNetwork(device="cpu").fit(iris)
    assert [rbm.n_hidden for rbm in model.rbms_] == [20]
    assert len(set(model.predict(iris).tolist())) == 3
    assert accuracy(model, iris) >= 0.9


def test_pre_training_reports_its_batches_and_stops_within_an_epoch():
    """An RBM epoch of 500 units on MNIST takes tens of seconds, and it showed as
    "fitting" without a bar: each epoch now reports its batches as the other networks
    do (the first and the last always, others at most ten a second), and Stop ends it
    at the next batch."""
    rng = np.random.default_rng(1)
    X = rng.random((40, 5))
    data = make_dataset(X, X[:, 0] > 0.5, labels=("a", "b"))
    events = []
    DeepBeliefNetwork(hidden_layers=(4,), pretrain_epochs=2, finetune_epochs=1,
                      batch_size=4, device="cpu").fit(data, progress=events.append)
    messages = [e.message for e in events]
    end = messages.index(next(m for m in messages if m.startswith(
        "layer 1 pre-training, epoch 1:")))
    assert messages[0] == "layer 1 pre-training, epoch 1/2, batch 1/10"
    assert messages[end - 1] == "layer 1 pre-training, epoch 1/2, batch 10/10"
    assert "layer 1 pre-training, epoch 2/2, batch 10/10" in messages
    batch_events = [e for e in events if "batch" in e.values and e.values["phase"] ==
                    "pretrain"]
    assert all(e.values["layer"] == 1 for e in batch_events)
    assert 0 < batch_events[0].fraction < events[end].fraction
    token = CancelToken()
    seen = []

    def stop_at_first_batch(event):
        seen.append(event.message)
        token.cancel()

    with pytest.raises(Cancelled):
        DeepBeliefNetwork(hidden_layers=(4,), pretrain_epochs=2, batch_size=4,
                          device="cpu").fit(data, progress=stop_at_first_batch, cancel=token)
    assert seen == ["layer 1 pre-training, epoch 1/2, batch 1/10"]
