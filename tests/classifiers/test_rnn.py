"""The RNN classifier: gradients through the sequence path, masking, learning, files."""

import numpy as np
import pytest
from classifier_helpers import load, make_dataset

from workbench.classifiers import load_model
from workbench.classifiers.rnn import RecurrentClassifierNet, RecurrentNetwork
from workbench.core.errors import WorkbenchError
from workbench.core.registry import default_registry
from workbench.data.dataset import Attribute, Dataset
from workbench.engine import backend
from workbench.engine.tensor import Tensor, no_grad

POSITIVE = ["good", "great", "fine", "lovely"]
NEGATIVE = ["bad", "awful", "poor", "dull"]
FILLER = ["the", "film", "was", "a", "plot", "very", "and", "it"]


def reviews(n, seed):
    """Sentences of different lengths whose class is the kind of the one opinion word."""
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for _ in range(n):
        label = int(rng.integers(2))
        words = list(rng.choice(FILLER, size=int(rng.integers(1, 9))))
        words.insert(int(rng.integers(len(words) + 1)),
                     str(rng.choice(POSITIVE if label else NEGATIVE)))
        texts.append(" ".join(words))
        labels.append(label)
    pool = list(dict.fromkeys(texts))
    X = np.column_stack([[pool.index(t) for t in texts], labels]).astype(float)
    return Dataset("reviews", [Attribute.string("sentence", pool),
                               Attribute.nominal("class", ["neg", "pos"])], X, class_index=1)


def bags(n, seed):
    """Bags of 1..6 rows; the class says whether the first row's value was positive."""
    rng = np.random.default_rng(seed)
    items, labels = [], []
    for _ in range(n):
        rows = rng.normal(size=(int(rng.integers(1, 7)), 1))
        items.append(rows)
        labels.append(int(rows[0, 0] > 0))
    X = np.column_stack([np.arange(n), labels]).astype(float)
    return Dataset("bags", [Attribute.relational("series", [Attribute.numeric("v")], items),
                            Attribute.nominal("class", ["neg", "pos"])], X, class_index=1)


def tiny_net(cell, vocabulary=0, bidirectional=True, layers=2):
    with backend.default_dtype_as(np.float64):
        return RecurrentClassifierNet(input_size=0 if vocabulary else 3, classes=2, cell=cell,
                                      hidden_size=3, layers=layers,
                                      bidirectional=bidirectional, vocabulary=vocabulary,
                                      embedding_dim=2, masked=True, seed=0)


def masked_frames(lengths, steps, seed=0):
    rng = np.random.default_rng(seed)
    x = np.zeros((len(lengths), steps, 4))
    for i, length in enumerate(lengths):
        x[i, :length, :3] = rng.normal(size=(length, 3))
        x[i, :length, 3] = 1.0
    return x


@pytest.mark.parametrize("cell", ["lstm", "gru"])
@pytest.mark.parametrize("tokens", [False, True])
def test_gradients_through_the_masked_bidirectional_sequence_path(cell, tokens):
    """Back-propagation through time agrees with central differences (float64) for every
    weight, through embedding, padding, reversal within lengths and the last-step gather."""
    net = tiny_net(cell, vocabulary=6 if tokens else 0)
    x = (np.array([[2, 3, 4, 5], [5, 1, 0, 0], [3, 0, 0, 0]]) if tokens
         else masked_frames([4, 2, 1], 4))
    v = np.random.default_rng(1).normal(size=(3, 2))
    net.train()
    (net(Tensor(x)) * v).sum().backward()
    eps = 1e-6
    pick = np.random.default_rng(2)
    for name, param in net.named_parameters():
        flat = param.data.reshape(-1)
        analytic = param.grad.reshape(-1)
        # A seeded sample of up to 30 entries per weight (most of each, at these sizes)
        # keeps the check quick.
        for j in pick.choice(flat.size, size=min(flat.size, 30), replace=False):
            keep = flat[j]
            with no_grad():
                flat[j] = keep + eps
                plus = float((net(Tensor(x)).data * v).sum())
                flat[j] = keep - eps
                minus = float((net(Tensor(x)).data * v).sum())
            flat[j] = keep
            numeric = (plus - minus) / (2 * eps)
            assert analytic[j] == pytest.approx(numeric, rel=1e-4, abs=1e-7), (name, j)


@pytest.mark.parametrize("cell", ["simple", "lstm", "gru"])
def test_padding_never_changes_the_output(cell):
    net = tiny_net(cell)
    net.eval()
    short, long = masked_frames([3, 1], 3), masked_frames([3, 1], 7)
    with no_grad():
        np.testing.assert_allclose(net(Tensor(short)).data, net(Tensor(long)).data,
                                   rtol=1e-12)
        alone = net(Tensor(short[1:2, :1])).data
    np.testing.assert_allclose(net(Tensor(short)).data[1:2], alone, rtol=1e-12)


def test_simple_cell_hidden_states_are_the_taught_recurrence():
    rng = np.random.default_rng(0)
    X = rng.random((20, 6))
    data = make_dataset(X, (X[:, 0] > 0.5).astype(int), ("no", "yes"))
    model = RecurrentNetwork(cell="simple", hidden_size=4, steps=3, scaling="none",
                             epochs=2).fit(data)
    states, labels = model.hidden_states(data, 5)
    weights = model.weight_arrays()
    U, W, b = weights["rnn1.input_weight"], weights["rnn1.recurrent_weight"], \
        weights["rnn1.bias"]
    s = np.zeros(4)
    for t, x_t in enumerate(X[5].reshape(3, 2)):
        s = np.tanh(U @ x_t + W @ s + b)
        np.testing.assert_allclose(states[t], s, rtol=1e-5, atol=1e-6)
    assert labels == ["step 1", "step 2", "step 3"]
    assert model.input_geometry is None


def test_learns_sentences_of_different_lengths_and_shows_tokens():
    train, test = reviews(300, 0), reviews(100, 1)
    model = RecurrentNetwork(cell="gru", hidden_size=16, embedding_dim=8, epochs=12,
                             learning_rate=0.01, seed=3).fit(train)
    assert np.mean(model.predict(test) == test.class_values) >= 0.9
    states, labels = model.hidden_states(test, 0)
    assert states.shape == (len(labels), 16)
    assert labels == test.attributes[0].values[int(test.X[0, 0])].split()
    assert "embedding.weight" in model.weight_arrays()


def test_learns_from_relational_bags_with_a_bidirectional_lstm():
    train, test = bags(300, 0), bags(100, 1)
    model = RecurrentNetwork(cell="lstm", hidden_size=8, bidirectional=True, epochs=15,
                             learning_rate=0.01, seed=2).fit(train)
    assert np.mean(model.predict(test) == test.class_values) >= 0.9
    states, labels = model.hidden_states(test, 3)
    length = test.attributes[0].bags[3].shape[0]
    assert states.shape == (length, 16)
    assert labels == [f"step {t + 1}" for t in range(length)]


def test_instance_weights_shift_the_model():
    data = reviews(200, 2)
    weights = np.where(data.class_values == 1, 0.01, 1.0)
    settings = dict(cell="gru", hidden_size=8, embedding_dim=4, epochs=3, seed=1)
    plain = RecurrentNetwork(**settings).fit(data).predict_proba(data)[:, 1]
    weighted = RecurrentNetwork(**settings).fit(data.with_weights(weights)
                                                ).predict_proba(data)[:, 1]
    assert weighted.mean() < plain.mean() - 0.1


def test_same_seed_same_model_and_files_reload_exactly(tmp_path):
    data = reviews(60, 4)
    settings = dict(cell="lstm", hidden_size=6, embedding_dim=4, epochs=2, layers=2,
                    dropout=0.2, seed=5)
    first = RecurrentNetwork(**settings).fit(data)
    second = RecurrentNetwork(**settings).fit(data)
    proba = first.predict_proba(data)
    np.testing.assert_array_equal(proba, second.predict_proba(data))
    first.save(tmp_path / "rnn.model")
    loaded = load_model(tmp_path / "rnn.model")
    np.testing.assert_allclose(loaded.predict_proba(data), proba, rtol=1e-6)
    assert "lstm" in loaded.describe() and "vocabulary" in loaded.describe()


def test_bags_model_file_round_trip(tmp_path):
    data = bags(40, 7)
    model = RecurrentNetwork(cell="gru", hidden_size=4, epochs=1).fit(data)
    model.save(tmp_path / "bags.model")
    np.testing.assert_allclose(load_model(tmp_path / "bags.model").predict_proba(data),
                               model.predict_proba(data), rtol=1e-6)


def test_refusals_name_the_problem():
    numeric = make_dataset(np.random.default_rng(0).random((6, 4)), np.arange(6.0))
    with pytest.raises(WorkbenchError, match="cannot handle a numeric class"):
        RecurrentNetwork(epochs=1).fit(numeric)
    with pytest.raises(WorkbenchError, match="no string attribute named 'title'"):
        RecurrentNetwork(source="string", attribute="title").fit(reviews(10, 0))
    odd = make_dataset(np.random.default_rng(0).random((6, 5)), [0, 1] * 3, ("a", "b"))
    with pytest.raises(WorkbenchError, match="cannot tell the image shape"):
        RecurrentNetwork(epochs=1).fit(odd)


@pytest.mark.parametrize("dataset", ["vote.arff", "labor.arff", "iris.arff"])
def test_data_without_sequences_is_refused_naming_what_would_do(dataset):
    with pytest.raises(WorkbenchError) as refusal:
        RecurrentNetwork(epochs=1).fit(load(dataset))
    message = str(refusal.value)
    assert "has no sequences to read" in message
    for needed in ("string attribute of text", "relational attribute of bags",
                   "pixel_ROW_COL"):
        assert needed in message
    assert "image data must have numeric pixel attributes" not in message


@pytest.mark.parametrize("make", [reviews, bags])
def test_training_and_prediction_make_no_hidden_host_transfers(make):
    """What would stall a GPU (a device value read on the host per batch) fails here."""
    data = make(40, 0)
    with backend.strict_transfers():
        model = RecurrentNetwork(cell="gru", hidden_size=4, embedding_dim=3, layers=2,
                                 bidirectional=True, dropout=0.1, epochs=2).fit(data)
        proba = model.predict_proba(data)
        states, _ = model.hidden_states(data, 0)
    assert proba.shape == (40, 2) and states.shape[1] == 8


def test_registered_as_rnn_in_the_neural_category():
    info = default_registry().get("classifier", "rnn")
    assert info.factory is RecurrentNetwork
    assert RecurrentNetwork.category == "neural"


def test_the_viewers_check_only_the_rows_they_draw():
    """The Watch window asks for one instance's hidden states at the end of a run, on
    the GUI thread; the header check scanned the whole dataset for infinite values (1.74
    s on MNIST). Only the drawn row is checked now: another row's infinity is no reason
    to refuse, the drawn row's still is."""
    from workbench.classifiers.capabilities import CapabilityError

    rng = np.random.default_rng(0)
    X = rng.random((20, 6))
    y = (X[:, 0] > 0.5).astype(int)
    model = RecurrentNetwork(cell="simple", hidden_size=4, steps=3, scaling="none",
                             epochs=1).fit(make_dataset(X, y, ("no", "yes")))
    spoilt = X.copy()
    spoilt[7, 2] = np.inf
    data = make_dataset(spoilt, y, ("no", "yes"))
    states, _ = model.hidden_states(data, 5)
    np.testing.assert_allclose(states, model.hidden_states(
        make_dataset(X, y, ("no", "yes")), 5)[0])
    with pytest.raises(CapabilityError):
        model.hidden_states(data, 7)
