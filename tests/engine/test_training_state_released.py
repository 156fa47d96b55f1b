"""Training leaves a model with its weights alone: no gradients, no optimizer slots.

A trained model lives as long as whatever keeps it (an Explorer result list entry, a
flow's output), and what only training needs is as large as the weights again, or
twice as large (Adam's two moments, an RBM's velocity and decay scratch).
"""

from __future__ import annotations

import gc
import threading
import weakref

import numpy as np
import pytest

from workbench.core.errors import Cancelled
from workbench.core.progress import CancelToken
from workbench.engine import functional as F
from workbench.engine import layers as L
from workbench.engine import optim
from workbench.engine.full_batch import fit_full_batch
from workbench.engine.rbm import RBM
from workbench.engine.training import fit_model


def _blobs(n=120, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    centres = np.array([[0.0, 3.0], [3.0, 0.0], [-3.0, -3.0]])
    return (centres[y] + rng.normal(size=(n, 2))).astype(np.float32), y


def _net():
    return L.Sequential(L.Dense(2, 8, rng=0), L.Tanh(), L.Dense(8, 3, rng=1))


def test_mini_batch_training_leaves_no_gradients_nor_optimizer_moments():
    x, y = _blobs()
    model = _net()
    steps = optim.Adam(model.parameters(), lr=0.01)
    fit_model(model, F.cross_entropy, x, y, steps, epochs=2, batch_size=16, seed=0)
    assert all(p.grad is None for p in model.parameters())
    moments = [weakref.ref(a) for state in steps.state for a in state.values()
               if isinstance(a, np.ndarray)]
    assert moments   # Adam kept its moments while it trained
    del steps
    gc.collect()
    assert all(m() is None for m in moments)   # nothing of the model held on to them


def test_full_batch_training_leaves_no_gradients():
    x, y = _blobs()
    model = _net()
    fit_full_batch(model, F.cross_entropy, x, y, max_iterations=5)
    assert all(p.grad is None for p in model.parameters())


def test_a_stopped_full_batch_training_leaves_no_gradients():
    x, y = _blobs()
    model = _net()
    token = CancelToken()

    def stop_after_first(event):
        token.cancel()

    with pytest.raises(Cancelled):
        fit_full_batch(model, F.cross_entropy, x, y, max_iterations=50,
                       progress=stop_after_first, cancel=token)
    assert all(p.grad is None for p in model.parameters())


def test_a_trained_rbm_lets_go_of_its_velocities_and_scratch():
    rng = np.random.default_rng(0)
    data = (rng.random((64, 12)) < 0.3).astype(np.float32)
    rbm = RBM(12, 5, rng=0)
    rbm.fit_epoch(data, batch_size=16, lr=0.05, rng=0, momentum=0.5, weight_decay=1e-3,
                  persistent=True)
    training_only = [weakref.ref(a) for a in (*rbm._velocity.values(), rbm._decay_term,
                                              rbm._chain)]
    weights = rbm.weight.copy()
    rbm.finish_training()
    gc.collect()
    assert all(ref() is None for ref in training_only)
    np.testing.assert_array_equal(rbm.weight, weights)   # the learned weights stay
    # It can still train: its momentum starts from rest.
    rbm.fit_epoch(data, batch_size=16, lr=0.05, rng=0, momentum=0.5)


def test_an_lstm_trained_on_a_thread_leaves_no_buffers_behind_it(monkeypatch):
    """The fused LSTM reuses its large buffers from one batch to the next; once the
    thread that trained has ended (an Explorer run's worker), they are gone with it."""
    from workbench.engine.functional import fused_lstm

    spares: list[weakref.ref] = []
    shelve = fused_lstm._shelve

    def noted(*buffers):
        spares.extend(weakref.ref(b) for b in buffers)
        shelve(*buffers)

    monkeypatch.setattr(fused_lstm, "_shelve", noted)

    def train() -> None:
        rng = np.random.default_rng(0)
        x = rng.normal(size=(16, 6, 3)).astype(np.float32)
        y = rng.integers(0, 2, 16)
        model = L.Sequential(L.LSTM(3, 8, rng=0), L.Dense(8, 2, rng=1))
        fit_model(model, F.cross_entropy, x, y, optim.Adam(model.parameters()),
                  epochs=2, batch_size=8, seed=0)

    worker = threading.Thread(target=train)
    worker.start()
    worker.join()
    gc.collect()
    assert spares   # the thread trained with shelved buffers...
    assert [s for s in spares if s() is not None] == []   # ...which went with it
