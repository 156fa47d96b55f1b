"""Training dynamics under full-batch L-BFGS: record k holds the gradient, weights and
activations at the point iteration k started from and the step the iteration took
(checked against runs stopped after k - 1 and k iterations), every one of the first 20
iterations is recorded, and recording leaves the weights L-BFGS reaches unchanged."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.engine import backend
from workbench.engine import functional as F
from workbench.engine import layers as L
from workbench.engine.dynamics import SIGMOID_HIGH, SIGMOID_LOW, TrainingDynamics
from workbench.engine.full_batch import RECORD_FIRST_ITERATIONS, fit_full_batch


def _net(seed: int = 3) -> L.Sequential:
    rng = np.random.default_rng(seed)
    return L.Sequential(L.Dense(3, 5, rng=rng, dtype=np.float64), L.Sigmoid(),
                        L.Dense(5, 2, rng=rng, dtype=np.float64))


def _data(n: int = 60, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    return X, (X[:, 0] + 0.5 * rng.normal(size=n) > 0).astype(np.int64)


def _weights_after(iterations: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """W1, b1, W2, b2 of the network after ``iterations`` L-BFGS iterations (0: as built)."""
    net = _net()
    if iterations:
        X, y = _data()
        fit_full_batch(net, F.cross_entropy, X, y, max_iterations=iterations,
                       tolerance=0.0)
    return tuple(backend.to_host(p.data).copy() for p in net.parameters())  # type: ignore[return-value]


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("k", [1, 2, 7])
def test_record_k_is_the_start_of_iteration_k_and_its_step(k):
    X, y = _data()
    net = _net()
    dynamics = TrainingDynamics(every=1, bins=10)
    fit_full_batch(net, F.cross_entropy, X, y, max_iterations=12, tolerance=0.0,
                   dynamics=dynamics)
    assert dynamics.step_unit == "iteration"
    assert dynamics.layer_names == ["1 Dense 3-5 sigmoid", "2 Dense 5-2"]
    r = list(dynamics.steps).index(k)
    assert dynamics.epochs[r] == float(k)  # the epoch axis is the iteration number
    # The same start, stopped after k - 1 and after k iterations: L-BFGS is deterministic.
    w1, b1, w2, b2 = _weights_after(k - 1)
    n1, _, n2, _ = _weights_after(k)
    h = 1 / (1 + np.exp(-(X @ w1.T + b1)))
    out = h @ w2.T + b2
    dout = (_softmax(out) - np.eye(2)[y]) / len(X)
    g2 = dout.T @ h
    g1 = ((dout @ w2) * h * (1 - h)).T @ X
    np.testing.assert_allclose(dynamics.grad_norm[r], [np.linalg.norm(g1), np.linalg.norm(g2)],
                               rtol=1e-9)
    np.testing.assert_allclose(dynamics.weight_norm[r], [np.linalg.norm(w1), np.linalg.norm(w2)],
                               rtol=1e-12)
    np.testing.assert_allclose(dynamics.update_ratio[r],
                               [np.linalg.norm(n1 - w1) / np.linalg.norm(w1),
                                np.linalg.norm(n2 - w2) / np.linalg.norm(w2)], rtol=1e-9)
    assert np.all(dynamics.update_ratio[r] > 0)
    # Activations of the evaluation at that point, not of a later line-search point.
    np.testing.assert_allclose(dynamics.act_mean[r], [h.mean(), out.mean()], rtol=1e-9)
    np.testing.assert_allclose(dynamics.act_std[r], [h.std(), out.std()], rtol=1e-9)
    saturated = ((h < SIGMOID_LOW) | (h > SIGMOID_HIGH)).mean()
    assert dynamics.saturated[r, 0] == pytest.approx(saturated)
    np.testing.assert_allclose(dynamics.act_hist[r, 0],
                               np.histogram(h, np.linspace(0, 1, 11))[0] / h.size)


def test_the_first_twenty_iterations_then_every_nth_are_recorded():
    X, y = _data(200)
    dynamics = TrainingDynamics(every=10)
    history = fit_full_batch(_net(), F.cross_entropy, X, y, max_iterations=45,
                             tolerance=0.0, dynamics=dynamics)
    assert history.epochs == 45  # ran every iteration, so each due record was taken
    expected = [*range(1, RECORD_FIRST_ITERATIONS + 1), 21, 31, 41, 45]   # and the last
    assert dynamics.steps.tolist() == expected
    np.testing.assert_array_equal(dynamics.epochs, np.array(expected, dtype=float))
    assert np.isfinite(dynamics.grad_norm).all() and np.isfinite(dynamics.act_mean).all()
    assert np.all(dynamics.update_ratio > 0)
    np.testing.assert_allclose(dynamics.act_hist.sum(axis=2), 1.0)
    np.testing.assert_allclose(dynamics.weight_hist.sum(axis=2), 1.0)
    # The last "epoch" of an L-BFGS run is its last recorded iteration.
    np.testing.assert_allclose(dynamics.last_epoch_mean("grad_norm"), dynamics.grad_norm[-1])


def test_recording_leaves_the_weights_bit_identical_and_no_hook():
    X, y = _data(120)
    runs = []
    for dynamics in (None, TrainingDynamics(every=1), TrainingDynamics(every=3)):
        net = _net()
        history = fit_full_batch(net, F.cross_entropy, X, y, max_iterations=60,
                                 weight_decay=1e-3, dynamics=dynamics)
        runs.append(([backend.to_host(p.data).copy() for p in net.parameters()],
                     history.loss))
        assert all("forward" not in m.__dict__ for m in net.modules())
    for weights, loss in runs[1:]:
        assert loss == runs[0][1]
        for a, b in zip(weights, runs[0][0], strict=True):
            np.testing.assert_array_equal(a, b)


def test_recording_makes_no_implicit_host_transfer():
    X, y = _data()
    dynamics = TrainingDynamics(every=2)
    with backend.strict_transfers():
        history = fit_full_batch(_net(), F.cross_entropy, X, y, max_iterations=8,
                                 tolerance=0.0, dynamics=dynamics)
    assert history.epochs == 8 and dynamics.records == 8


def test_a_snapshot_keeps_the_step_unit():
    X, y = _data()
    dynamics = TrainingDynamics(every=1)
    assert dynamics.step_unit == "batch"
    fit_full_batch(_net(), F.cross_entropy, X, y, max_iterations=3, tolerance=0.0,
                   dynamics=dynamics)
    copy = dynamics.snapshot()
    assert copy.step_unit == "iteration" and copy.records == 3


@pytest.mark.parametrize("iterations", [25, 27])
def test_the_last_iteration_is_recorded_as_if_it_were_due(iterations):
    # The last iteration (25, 27: not an every-10th one) is recorded after L-BFGS has
    # stopped, from one more evaluation at the point it started from: the same numbers
    # a run recording every iteration takes on the way, and the same trained weights.
    X, y = _data()
    every_one, every_ten = TrainingDynamics(every=1, bins=10), TrainingDynamics(every=10,
                                                                                bins=10)
    nets = [_net(), _net()]
    for net, dynamics in zip(nets, (every_one, every_ten), strict=True):
        history = fit_full_batch(net, F.cross_entropy, X, y, max_iterations=iterations,
                                 tolerance=0.0, dynamics=dynamics)
        assert history.epochs == iterations
    assert every_ten.steps.tolist()[-2:] == [21, iterations]
    for name in ("grad_norm", "update_ratio", "weight_norm", "act_mean", "act_std",
                 "saturated"):
        np.testing.assert_allclose(every_ten.metric(name)[-1], every_one.metric(name)[-1],
                                   rtol=1e-9, err_msg=name)
    np.testing.assert_allclose(every_ten.act_hist[-1].sum(axis=1), 1.0)
    for a, b in zip(nets[0].parameters(), nets[1].parameters(), strict=True):
        np.testing.assert_array_equal(backend.to_host(a.data), backend.to_host(b.data))
