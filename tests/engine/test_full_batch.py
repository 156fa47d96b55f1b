"""Full-batch L-BFGS training: it reaches the known minimum, penalises weights not
biases, records its iterations, stops on cancel, and makes no hidden host transfers."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.core.errors import Cancelled, ParameterError
from workbench.core.progress import CancelToken
from workbench.engine import backend
from workbench.engine import functional as F
from workbench.engine import layers as L
from workbench.engine.full_batch import fit_full_batch
from workbench.engine.training import predict


def _line(n=200, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3))
    y = x @ np.array([[1.0], [-2.0], [0.5]]) + 0.7 + 0.1 * rng.normal(size=(n, 1))
    return x, y


def test_reaches_the_least_squares_solution():
    x, y = _line()
    with backend.default_dtype_as(np.float64):
        model = L.Dense(3, 1, rng=0)
        history = fit_full_batch(model, F.mse_loss, x, y, max_iterations=100,
                                 tolerance=1e-12)
    design = np.column_stack([x, np.ones(len(x))])
    solution = np.linalg.lstsq(design, y, rcond=None)[0].ravel()
    np.testing.assert_allclose(backend.to_host(model.weight.data).ravel(), solution[:3],
                               atol=1e-5)
    np.testing.assert_allclose(backend.to_host(model.bias.data), solution[3:], atol=1e-5)
    assert 1 <= history.epochs <= 100
    assert history.loss[-1] < history.loss[0]
    assert history.accuracy == []  # a numeric target has no accuracy


def test_weight_decay_is_ridge_on_the_weights_and_leaves_the_bias_free():
    x, y = _line()
    decay = 0.5
    with backend.default_dtype_as(np.float64):
        model = L.Dense(3, 1, rng=0)
        fit_full_batch(model, F.mse_loss, x, y, max_iterations=200, tolerance=1e-14,
                       weight_decay=decay)
    # mse_loss is mean((xw + b - y)^2): the minimum of that plus decay/2 |w|^2 solves
    # (2/n Xc'Xc + decay) w = 2/n Xc'yc on centred data, with b = mean(y) - mean(x) w.
    n = len(x)
    xc, yc = x - x.mean(axis=0), y - y.mean(axis=0)
    w = np.linalg.solve(2 / n * xc.T @ xc + decay * np.eye(3), 2 / n * xc.T @ yc).ravel()
    b = y.mean() - x.mean(axis=0) @ w
    np.testing.assert_allclose(backend.to_host(model.weight.data).ravel(), w, atol=1e-5)
    np.testing.assert_allclose(backend.to_host(model.bias.data), [b], atol=1e-5)


def test_classes_are_learned_with_an_accuracy_history_and_eval_mode_after():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 3, 300)
    centres = np.array([[0.0, 3.0], [3.0, 0.0], [-3.0, -3.0]])
    x = (centres[y] + rng.normal(size=(300, 2))).astype(np.float32)
    model = L.Sequential(L.Dense(2, 8, rng=0), L.Sigmoid(), L.Dense(8, 3, rng=1))
    events = []
    history = fit_full_batch(model, F.cross_entropy, x, y, max_iterations=50,
                             progress=events.append)
    assert len(history.accuracy) == history.epochs <= 50
    assert history.accuracy[-1] > 0.95
    assert not model.training
    predicted = backend.to_host(predict(model, x)).argmax(axis=1)
    assert np.mean(predicted == y) == pytest.approx(history.accuracy[-1], abs=0.01)
    assert [e.values["epoch"] for e in events] == list(range(1, history.epochs + 1))


def test_cancel_stops_between_iterations():
    x, y = _line()
    token = CancelToken()
    seen = []

    def progress(event):
        seen.append(event)
        token.cancel()

    with pytest.raises(Cancelled):
        fit_full_batch(L.Dense(3, 1, rng=0), F.mse_loss, x, y, progress=progress,
                       cancel=token)
    assert len(seen) == 1


def test_no_hidden_host_transfer_under_strict_mode():
    x, y = _line()
    with backend.strict_transfers():
        model = L.Sequential(L.Dense(3, 4, rng=0), L.Tanh(), L.Dense(4, 1, rng=1))
        history = fit_full_batch(model, F.mse_loss, x, y, max_iterations=20,
                                 weight_decay=1e-3)
    assert history.epochs >= 1


def test_bad_settings_are_refused():
    x, y = _line(20)
    with pytest.raises(ParameterError, match="at least one iteration"):
        fit_full_batch(L.Dense(3, 1, rng=0), F.mse_loss, x, y, max_iterations=0)
    with pytest.raises(ParameterError, match="20 rows but the targets have 19"):
        fit_full_batch(L.Dense(3, 1, rng=0), F.mse_loss, x, y[:-1])


@pytest.mark.gpu
def test_full_batch_training_runs_on_the_gpu_with_the_same_result():
    cupy = pytest.importorskip("cupy")
    if not cupy.is_available():
        pytest.skip("no GPU")
    x, y = _line()
    with backend.default_dtype_as(np.float64):
        cpu = L.Dense(3, 1, rng=0)
        gpu = L.Dense(3, 1, rng=0, device="gpu")
        fit_full_batch(cpu, F.mse_loss, x, y, max_iterations=100, tolerance=1e-12)
        fit_full_batch(gpu, F.mse_loss, x, y, max_iterations=100, tolerance=1e-12)
    assert isinstance(gpu.weight.data, cupy.ndarray)
    np.testing.assert_allclose(backend.to_host(gpu.weight.data),
                               backend.to_host(cpu.weight.data), atol=1e-5)
