"""The CNN classifier: learning, gradients end to end, viewer hooks, model files."""

from __future__ import annotations

import math

import numpy as np
import pytest
from classifier_helpers import load

from workbench.classifiers.cnn import ConvolutionalNetwork, augment_batch, automatic_epochs
from workbench.classifiers.cnn_spec import LENET
from workbench.classifiers.modelfile import load_model
from workbench.core.errors import Cancelled, ParameterError, WorkbenchError
from workbench.core.progress import CancelToken
from workbench.core.registry import Registry
from workbench.data.dataset import Attribute, Dataset
from workbench.engine import backend
from workbench.engine import functional as F
from workbench.engine.gradcheck import gradcheck

SMALL = "conv(4,3)-pool(2)-dense(8)"


def bars(n: int, seed: int, size: int = 6, scale: float = 255.0) -> Dataset:
    """Images with one horizontal (class h) or vertical (class v) bright bar, plus noise."""
    rng = np.random.default_rng(seed)
    images = rng.uniform(0, 0.15, size=(n, size, size))
    labels = rng.integers(0, 2, size=n)
    where = rng.integers(0, size, size=n)
    for i in range(n):
        if labels[i] == 0:
            images[i, where[i], :] = 1.0
        else:
            images[i, :, where[i]] = 1.0
    names = [f"pixel_{r}_{c}" for r in range(size) for c in range(size)]
    attributes = [Attribute.numeric(name) for name in names]
    attributes.append(Attribute.nominal("class", ["h", "v"]))
    X = np.column_stack([np.round(images.reshape(n, -1) * scale), labels])
    return Dataset("bars", attributes, X, class_index=len(attributes) - 1)


def small(**values) -> ConvolutionalNetwork:
    settings = {"architecture": SMALL, "epochs": 15, "batch_size": 16, "dropout": 0.0,
                "learning_rate": 0.01, "seed": 3, "device": "cpu"}
    settings.update(values)
    return ConvolutionalNetwork(**settings)


def accuracy(model: ConvolutionalNetwork, data: Dataset) -> float:
    return float(np.mean(model.predict(data) == data.class_values))


@pytest.fixture(scope="module")
def trained():
    train = bars(200, seed=1)
    return small().fit(train), bars(100, seed=2)


def test_learns_bars_and_keeps_history(trained):
    model, test = trained
    assert accuracy(model, test) >= 0.97
    proba = model.predict_proba(test)
    assert proba.shape == (100, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert model.history_.epochs == 15
    assert model.history_.loss[-1] < model.history_.loss[0] / 3
    assert model.input_geometry == (1, 6, 6)
    # 0-255 pixels are brought to [0, 1] inside the classifier.
    assert model.scale_ == pytest.approx(1 / 255)


def test_same_seed_same_model_different_seed_different():
    train = bars(60, seed=5)
    a = small(epochs=2, dropout=0.3, shift_pixels=1).fit(train)
    b = small(epochs=2, dropout=0.3, shift_pixels=1).fit(train)
    c = small(epochs=2, dropout=0.3, shift_pixels=1, seed=4).fit(train)
    np.testing.assert_array_equal(a.predict_proba(train), b.predict_proba(train))
    assert not np.array_equal(a.predict_proba(train), c.predict_proba(train))


def test_gradient_check_of_the_whole_network():
    """Backward through conv, ReLU, max pool, flatten, dense, tanh, output and softmax
    cross-entropy agrees with central differences, on the classifier's own network."""
    data = bars(6, seed=9)
    with backend.default_dtype_as(np.float64):
        model = small(architecture="conv(2,3)-pool(2)-dense(3)-tanh", epochs=1,
                      dropout=0.0, batch_size=6).fit(data)
    network = model.network_
    layers = [layer for layer in network if layer.parameters()]
    images = model._images(data).astype(np.float64)
    targets = data.class_values.astype(np.int64)
    params = [backend.to_host(p.data).astype(np.float64)
              for layer in layers for p in layer.parameters()]

    def loss(x, *weights):
        for layer, (w, b) in zip(layers, zip(weights[::2], weights[1::2], strict=True),
                                 strict=True):
            layer.weight, layer.bias = w, b  # the tensors gradcheck perturbs
        return F.cross_entropy(network(x), targets)

    gradcheck(loss, [images, *params], atol=1e-6, rtol=1e-4)


def test_feature_maps_follow_the_layers(trained):
    model, test = trained
    maps = model.feature_maps(test, 3)
    names = [name for name, _ in maps]
    assert names == ["input", "conv1", "conv1.relu", "pool1", "dense1", "dense1.relu",
                     "output"]
    shapes = dict(maps)
    assert shapes["conv1"].shape == (4, 4, 4) and shapes["pool1"].shape == (4, 2, 2)
    assert shapes["dense1"].shape == (1, 1, 8) and shapes["output"].shape == (1, 1, 2)
    image = shapes["input"][0]
    np.testing.assert_allclose(image, test.X[3, :36].reshape(6, 6) / 255, rtol=1e-6)
    # conv1 is the cross-correlation of the input with conv_filters(0), plus the bias.
    kernels = model.conv_filters(0)
    bias = model.weight_arrays()["conv1.bias"]
    expected = np.array([[[np.sum(image[r:r + 3, c:c + 3] * kernels[k, 0]) + bias[k]
                           for c in range(4)] for r in range(4)] for k in range(4)])
    np.testing.assert_allclose(shapes["conv1"], expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(shapes["conv1.relu"], np.maximum(expected, 0), atol=1e-5)
    logits = shapes["output"].ravel()
    proba = np.exp(logits - logits.max())
    np.testing.assert_allclose(proba / proba.sum(), model.predict_proba(test)[3], rtol=1e-5)
    with pytest.raises(WorkbenchError, match="outside"):
        model.feature_maps(test, 100)


def test_weight_arrays_and_filters(trained):
    model, _ = trained
    weights = model.weight_arrays()
    assert {k: v.shape for k, v in weights.items()} == {
        "conv1.weight": (4, 1, 3, 3), "conv1.bias": (4,), "dense1.weight": (8, 16),
        "dense1.bias": (8,), "output.weight": (2, 8), "output.bias": (2,)}
    assert model.conv_filters(-1).shape == (4, 1, 3, 3)
    weights["conv1.weight"][...] = 0  # a copy: the model is untouched
    assert np.any(model.conv_filters(0) != 0)
    with pytest.raises(WorkbenchError, match="1 convolution layer"):
        model.conv_filters(1)


def test_describe_names_layers_and_shapes(trained):
    model, _ = trained
    text = model.describe()
    assert "1 x 6 x 6 (from attribute names)" in text
    assert "conv1          -> 4x4x4" in text
    assert "output         -> 2" in text
    assert "trained 15 epochs" in text


def test_save_and_load_predict_the_same(trained, tmp_path):
    model, test = trained
    path = tmp_path / "cnn.model"
    model.save(path)
    registry = Registry()
    registry.add(ConvolutionalNetwork)
    again = load_model(path, registry)
    np.testing.assert_array_equal(again.predict_proba(test), model.predict_proba(test))
    assert again.history_.loss == model.history_.loss
    assert [n for n, _ in again.feature_maps(test, 0)] == [n for n, _ in
                                                           model.feature_maps(test, 0)]


def test_explicit_shape_and_missing_pixels():
    data = bars(80, seed=3)
    renamed = Dataset("bars", [Attribute.numeric(f"a{i}x") for i in range(36)]
                      + [data.attributes[-1]], data.X, class_index=36)
    X = renamed.X.copy()
    X[0, 5] = np.nan
    renamed = Dataset("bars", renamed.attributes, X, class_index=36)
    model = small(image_shape="6,6", epochs=1).fit(renamed)
    assert model.geometry_.source == "explicit"
    assert np.isfinite(model.predict_proba(renamed)).all()
    with pytest.raises(WorkbenchError, match="needs 49 pixel attributes"):
        small(image_shape="7,7").fit(renamed)


def test_refusals():
    with pytest.raises(ParameterError, match="column 12"):
        ConvolutionalNetwork(architecture="conv(20,5)-poo(2)")
    with pytest.raises(ParameterError, match="image shape"):
        ConvolutionalNetwork(image_shape="28")
    with pytest.raises(ParameterError, match="does not fit 6x6"):
        small(architecture="conv(4,7)").fit(bars(10, seed=1))
    data = bars(10, seed=1)
    numeric_class = Dataset("n", (*data.attributes[:-1], Attribute.numeric("y")), data.X,
                            class_index=36)
    with pytest.raises(WorkbenchError, match="numeric class"):
        small().fit(numeric_class)
    with pytest.raises(WorkbenchError, match="has not been trained"):
        small().conv_filters(0)


def test_progress_and_cancellation():
    events = []
    small(epochs=2).fit(bars(40, seed=1), progress=events.append)
    epochs = [e.values["epoch"] for e in events if "loss" in e.values]
    assert epochs == [1, 2]
    token = CancelToken()
    token.cancel()
    model = small()
    with pytest.raises(Cancelled):
        model.fit(bars(40, seed=1), cancel=token)
    assert not model.is_fitted


def test_instance_weights_count():
    data = bars(120, seed=6)
    # Copies of half the images with the wrong label but weight 0 must change nothing.
    wrong = data.X[:60].copy()
    wrong[:, -1] = 1 - wrong[:, -1]
    weights = np.concatenate([np.ones(120), np.zeros(60)])
    noisy = Dataset("bars", data.attributes, np.vstack([data.X, wrong]), weights,
                    class_index=36)
    model = small(epochs=15).fit(noisy)
    assert accuracy(model, bars(100, seed=2)) >= 0.95


class _Fixed:
    """A stand-in generator: every uniform draw is 1.0, so the transform is the maximum."""

    def random(self, n, dtype=None):
        return np.ones(n, dtype=dtype)

    def standard_normal(self, shape, dtype=None):
        return np.random.default_rng(0).standard_normal(shape).astype(dtype)


def test_augmentation_shifts_rotates_and_adds_noise():
    x = np.random.default_rng(0).uniform(size=(2, 3, 5, 5)).astype(np.float32)
    same = augment_batch(x, _Fixed(), 0.0, 0.0, 0.0)
    np.testing.assert_array_equal(same, x)
    moved = augment_batch(x, _Fixed(), 1.0, 0.0, 0.0, background=-1.0)
    np.testing.assert_allclose(moved[:, :, 1:, 1:], x[:, :, :-1, :-1], atol=1e-6)
    np.testing.assert_allclose(moved[:, :, 0, :], -1.0)
    turned = augment_batch(x, _Fixed(), 0.0, math.pi / 2, 0.0)
    np.testing.assert_allclose(turned, np.rot90(x, k=-1, axes=(2, 3)), atol=1e-5)
    noisy = augment_batch(np.zeros((4, 1, 20, 20), np.float32), _Fixed(), 0.0, 0.0, 0.1)
    assert noisy.dtype == np.float32
    assert 0.08 < float(noisy.std()) < 0.12


def test_augmented_training_still_learns():
    model = small(shift_pixels=1, rotate_degrees=10, noise=0.05, epochs=15)
    model.fit(bars(200, seed=1))
    assert accuracy(model, bars(100, seed=2)) >= 0.9


def test_validation_split_stops_early_and_restores_the_best_epoch():
    model = small(validation_fraction=0.25, patience=2, epochs=300, learning_rate=0.05)
    model.fit(bars(80, seed=4))
    history = model.history_
    assert len(history.val_loss) == history.epochs < 300
    assert history.stopped_early
    assert history.best_epoch == int(np.argmin(history.val_loss)) + 1


@pytest.mark.gpu
def test_trains_on_the_gpu_with_augmentation_and_gives_host_arrays():
    cupy = pytest.importorskip("cupy")
    if not cupy.is_available():
        pytest.skip("no GPU")
    model = small(device="gpu", shift_pixels=1, rotate_degrees=10, noise=0.05)
    model.fit(bars(200, seed=1))
    test = bars(100, seed=2)
    assert accuracy(model, test) >= 0.9
    assert all(isinstance(v, np.ndarray) for v in model.weight_arrays().values())
    assert all(isinstance(a, np.ndarray) for _, a in model.feature_maps(test, 0))
    assert isinstance(model.conv_filters(0), np.ndarray)


def test_default_epochs_follow_the_number_of_batches():
    assert automatic_epochs(8000, 64) == 8  # MNIST's slow test keeps LeNet's 8 epochs
    assert automatic_epochs(1186, 64) == 53  # digits, 66 % split
    assert automatic_epochs(10, 64) == 200


def test_defaults_learn_8x8_digits_that_lenet_refused():
    digits = load("digits.arff").select_rows(slice(0, 240))
    train, test = digits.select_rows(slice(0, 160)), digits.select_rows(slice(160, None))
    model = ConvolutionalNetwork(device="cpu").fit(train)
    assert model.input_geometry == (1, 8, 8)
    assert "conv(20,3,1,same)" in model.describe()
    assert float(np.mean(model.predict(test) == test.class_values)) >= 0.85
    with pytest.raises(ParameterError, match="does not fit"):
        ConvolutionalNetwork(architecture=LENET, device="cpu").fit(train)


def test_a_table_whose_attributes_count_to_a_square_is_refused_as_no_image():
    with pytest.raises(WorkbenchError, match="needs images: the 4 numeric attributes"):
        ConvolutionalNetwork(device="cpu").fit(load("iris.arff"))
