"""End to end: the engine learns what the classroom examples say it learns."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_digits

from workbench.engine import functional as F
from workbench.engine import layers as L
from workbench.engine import optim
from workbench.engine.backend import to_host
from workbench.engine.training import evaluate, fit_model, predict


def test_small_mlp_learns_xor():
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    y = np.array([0, 1, 1, 0])
    model = L.Sequential(L.Dense(2, 4, init="sigmoid_uniform", rng=0), L.Sigmoid(),
                         L.Dense(4, 2, rng=1))
    fit_model(model, F.cross_entropy, x, y, optim.SGD(model.parameters(), lr=0.5, momentum=0.9),
              epochs=400, batch_size=4, seed=0)
    assert to_host(predict(model, x)).argmax(axis=1).tolist() == [0, 1, 1, 0]


@pytest.fixture(scope="module")
def digits():
    data = load_digits()
    keep = data.target < 4  # a four-class subset keeps the test quick
    x = (data.images[keep] / 16.0).astype(np.float32)[:, None]
    y = data.target[keep]
    order = np.random.default_rng(0).permutation(len(y))
    return x[order], y[order]


def test_small_cnn_tells_digits_apart(digits):
    x, y = digits
    split = 560
    model = L.Sequential(
        L.Conv2D(1, 6, 3, padding=1, init="he_uniform", rng=0), L.ReLU(), L.MaxPool2D(2),
        L.Flatten(), L.Dense(6 * 4 * 4, 4, rng=1))
    history = fit_model(model, F.cross_entropy, x[:split], y[:split],
                        optim.Adam(model.parameters(), lr=0.01), epochs=4, batch_size=32,
                        seed=0)
    assert history.loss[-1] < history.loss[0]
    assert evaluate(model, F.cross_entropy, x[split:], y[split:])["accuracy"] > 0.93


def test_rnn_reads_digit_rows_as_time_steps(digits):
    x, y = digits
    rows = x[:, 0]  # (n, 8 time steps, 8 features)
    split = 560
    model = L.Sequential(L.SimpleRNN(8, 24, rng=0), L.Dense(24, 4, rng=1))
    fit_model(model, F.cross_entropy, rows[:split], y[:split],
              optim.Adam(model.parameters(), lr=0.02), epochs=6, batch_size=32, seed=0)
    assert evaluate(model, F.cross_entropy, rows[split:], y[split:])["accuracy"] > 0.85


def test_embedding_rnn_classifies_token_sequences():
    """Sentence classification in miniature: is word 3 in the sequence?"""
    rng = np.random.default_rng(0)
    codes = rng.integers(0, 5, size=(400, 6))
    labels = (codes == 3).any(axis=1).astype(np.int64)
    model = L.Sequential(L.Embedding(5, 4, rng=0), L.SimpleRNN(4, 12, rng=1),
                         L.Dense(12, 2, rng=2))
    fit_model(model, F.cross_entropy, codes[:300], labels[:300],
              optim.Adam(model.parameters(), lr=0.03), epochs=15, batch_size=20, seed=0)
    assert evaluate(model, F.cross_entropy, codes[300:], labels[300:])["accuracy"] > 0.9
