"""Damaged network model files (MLP, CNN, RNN, DBN) are refused when opened, naming the
file and the field, before their layer descriptions allocate anything.

Each file is made from a tiny trained model and edited as a hostile file would be: the
layer description asks for layers far larger than the stored weights, padding or a
dilation that sizes work without adding weights, an image shape that no longer fits
the first layer, NaN weights, a sequence length of a billion.
"""

import io
import json
import re
import tracemalloc
import zipfile

import numpy as np
import pytest
from classifier_helpers import load

from workbench.classifiers import load_model
from workbench.classifiers.cnn import ConvolutionalNetwork
from workbench.classifiers.modelfile import ModelFileError
from workbench.core.errors import WorkbenchError
from workbench.core.registry import default_registry
from workbench.data.dataset import Attribute, Dataset

WORDS = ["good", "bad", "the", "film", "was", "plot", "fine", "dull"]


def reviews(n: int = 40) -> Dataset:
    """Short texts of 1..6 words; the class says whether 'good' is among them."""
    rng = np.random.default_rng(0)
    texts = [" ".join(rng.choice(WORDS, size=int(rng.integers(1, 7)))) for _ in range(n)]
    pool = list(dict.fromkeys(texts))
    labels = [int("good" in t.split()) for t in texts]
    X = np.column_stack([[pool.index(t) for t in texts], labels]).astype(float)
    return Dataset("reviews", [Attribute.string("sentence", pool),
                               Attribute.nominal("class", ["no", "yes"])], X, class_index=1)


def bars(n: int = 60, size: int = 6) -> Dataset:
    """Images with one horizontal (class h) or vertical (class v) bar."""
    rng = np.random.default_rng(1)
    images = rng.uniform(0, 0.15, size=(n, size, size))
    labels = rng.integers(0, 2, size=n)
    for i, where in enumerate(rng.integers(0, size, size=n)):
        if labels[i] == 0:
            images[i, where, :] = 1.0
        else:
            images[i, :, where] = 1.0
    attributes = [Attribute.numeric(f"pixel_{r}_{c}") for r in range(size)
                  for c in range(size)]
    attributes.append(Attribute.nominal("class", ["h", "v"]))
    X = np.column_stack([np.round(images.reshape(n, -1) * 255), labels])
    return Dataset("bars", attributes, X, class_index=len(attributes) - 1)


def trained(tmp_path, name: str):
    """A tiny model of learner ``name``, saved; returns its path and training data."""
    registry = default_registry()
    if name == "mlp":
        data = load("iris.arff")
        model = registry.create("classifier", "mlp", hidden_layers="3", epochs=2,
                                device="cpu")
    elif name == "dbn":
        data = load("iris.arff")
        model = registry.create("classifier", "dbn", hidden_layers=[4], finetune_epochs=1,
                                pretrain_epochs=[1], device="cpu")
    elif name == "rnn":
        data = reviews()
        model = registry.create("classifier", "rnn", hidden_size=4, embedding_dim=3,
                                epochs=1, device="cpu")
    else:
        data = bars()
        model = ConvolutionalNetwork(architecture="conv(2,3)-pool(2)-dense(4)", epochs=1,
                                     device="cpu")
    path = tmp_path / f"{name}.model"
    model.fit(data).save(path)
    return path, data


def rewrite(path, change) -> None:
    """Apply ``change(document, arrays)`` to a model file in place, as craft.py does."""
    with zipfile.ZipFile(path) as archive:
        document = json.loads(archive.read("model.json"))
        arrays = {name[len("arrays/"):-len(".npy")]: np.load(io.BytesIO(archive.read(name)))
                  for name in archive.namelist() if name.startswith("arrays/")}
    change(document, arrays)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("model.json", json.dumps(document))
        for name, values in arrays.items():
            buffer = io.BytesIO()
            np.save(buffer, values, allow_pickle=False)
            archive.writestr(f"arrays/{name}.npy", buffer.getvalue())


def refused_within(path, limit_bytes: int) -> str:
    """The refusal of ``path`` and check that reaching it allocated under the limit."""
    tracemalloc.start()
    try:
        with pytest.raises(ModelFileError) as raised:
            load_model(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < limit_bytes, f"loading allocated {peak} bytes before refusing"
    return str(raised.value)


def _mlp_dense(document, arrays):
    first = document["state"]["network"]["config"]["layers"][0]["config"]
    first["in_features"] = first["out_features"] = 3000


def _rnn_hidden(document, arrays):
    document["state"]["network"]["config"]["hidden_size"] = 1000


def _rnn_layers(document, arrays):
    document["state"]["network"]["config"]["layers"] = 100_000


def _dbn_rbm(document, arrays):
    document["state"]["rbms"][0].update(n_visible=2000, n_hidden=2000)


@pytest.mark.parametrize("learner, change, message", [
    ("mlp", _mlp_dense, r"the stored network \(state\.network\) is damaged: the layer "
                        r"description makes an array of shape \(3000, 3000\)"),
    ("rnn", _rnn_hidden, r"state\.network\) is damaged: the layer description makes an "
                         r"array of shape \(4000, 3\)"),
    ("rnn", _rnn_layers, r"state\.network\) is damaged: the layer description makes an "
                         r"array of shape \(16, 4\) \(64 numbers\), more than the 6 arrays "
                         r"of 168 numbers in all that are stored"),
    ("dbn", _dbn_rbm, r"state\.rbms\[0\] says 2000 visible and 2000 hidden units, but its "
                      r"array 'rbm0\.weight' has shape \(4, 4\)"),
])
def test_layers_larger_than_the_stored_weights_are_refused_before_they_are_built(
        tmp_path, learner, change, message):
    # Each used to build and randomly initialise its layers at the described size (tens
    # of MB here, 4.7 to 7.8 GB in the probe's files) before comparing with the arrays.
    path, _ = trained(tmp_path, learner)
    rewrite(path, change)
    text = refused_within(path, 8_000_000)
    assert text.startswith(f"{path}: ")
    assert re.search(message, text), text


def test_nan_weights_in_a_network_model_are_refused_when_opened(tmp_path):
    # It used to load and predict one class for everything (33 % on iris).
    path, _ = trained(tmp_path, "mlp")

    def poison(document, arrays):
        arrays["net.0.weight"][0, 0] = np.nan

    rewrite(path, poison)
    with pytest.raises(ModelFileError, match=r"mlp\.model: array 'net\.0\.weight' holds an "
                                             r"infinite or missing \(NaN\) value"):
        load_model(path)


def test_a_network_holding_nan_weights_is_not_saved(tmp_path):
    path, _ = trained(tmp_path, "mlp")
    model = load_model(path)
    model.network_.parameters()[0].data[0, 0] = np.inf
    with pytest.raises(WorkbenchError, match=r"the network's 'net\.0\.weight' holds an "
                                             r"infinite or NaN value"):
        model.save(tmp_path / "again.model")


def _conv(document):
    return document["state"]["network"]["config"]["layers"][0]["config"]


@pytest.mark.parametrize("change, message", [
    (lambda d: _conv(d).update(padding=[100, 100]),
     r"state\.network layer 0 \(Conv2D\): padding 100 is more than a 3-wide window can "
     r"use \(at most 2\)"),
    (lambda d: _conv(d).update(dilation=[1_000_000, 1_000_000]),
     r"state\.network layer 0 \(Conv2D\): a 2000001-wide window does not fit its 6-wide "
     r"input"),
    (lambda d: d["state"]["geometry"].update(shape=[4, 3, 3]),
     r"state\.network layer 0 \(Conv2D\) takes 1 channels but its input has 4 \(the stored "
     r"image shape, state\.geometry\.shape, is \[4, 3, 3\]\)"),
])
def test_cnn_layers_that_do_not_fit_the_stored_image_are_refused_when_opened(
        tmp_path, change, message):
    # These used to load: the padding then made every prediction pay for a 206x206 image
    # (15 000 in the probe asked for 134 GiB), and the others failed every evaluation
    # with a conv2d error naming no file.
    path, _ = trained(tmp_path, "cnn")
    rewrite(path, lambda document, arrays: change(document))
    with pytest.raises(ModelFileError, match=rf"cnn\.model: {message}"):
        load_model(path)


def test_an_undamaged_cnn_model_still_loads_and_predicts_the_same(tmp_path):
    path, data = trained(tmp_path, "cnn")
    model = ConvolutionalNetwork(architecture="conv(2,3,1,same)-pool(2)-bn-dense(4)",
                                 epochs=1, device="cpu").fit(data)
    model.save(path)
    np.testing.assert_array_equal(load_model(path).predict_proba(data),
                                  model.predict_proba(data))


def test_a_text_rnn_model_s_sequence_length_is_checked_and_never_sizes_the_padding(
        tmp_path):
    path, data = trained(tmp_path, "rnn")
    expected = load_model(path).predict_proba(data)

    def billion(document, arrays):
        document["state"]["encoder"]["steps"] = 10 ** 9

    rewrite(path, billion)
    with pytest.raises(ModelFileError, match=r"rnn\.model: state\.encoder\.steps is "
                                             r"1000000000: the longest text seen in "
                                             r"training is between 1 and max_length"):
        load_model(path)

    def long(document, arrays):
        document["state"]["encoder"].update(steps=200_000, max_length=200_000)

    rewrite(path, long)
    model = load_model(path)
    # The padding follows the texts given (at most 6 words), not the file's 200 000
    # (4.9 GB for the 3000 sentences of the probe).
    assert model.encoder_.transform(data).values.shape == (data.num_instances, 6)
    np.testing.assert_allclose(model.predict_proba(data), expected, rtol=1e-6)
