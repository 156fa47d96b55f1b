"""The training loop: history, validation, early stopping, clipping, divergence, progress,
cancellation, seeds, and no hidden per-batch host transfers."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.core.errors import Cancelled, ParameterError
from workbench.core.progress import CancelToken
from workbench.engine import backend, optim
from workbench.engine import functional as F
from workbench.engine import layers as L
from workbench.engine.backend import to_host
from workbench.engine.training import (
    DivergenceError,
    clip_gradients,
    evaluate,
    fit_model,
    predict,
)


def _blobs(n=300, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    centres = np.array([[0.0, 3.0], [3.0, 0.0], [-3.0, -3.0]])
    return (centres[y] + rng.normal(size=(n, 2))).astype(np.float32), y


def _net(seed=0):
    return L.Sequential(L.Dense(2, 16, rng=seed), L.Tanh(), L.Dense(16, 3, rng=seed + 1))


def test_learns_blobs_and_records_history():
    x, y = _blobs()
    model = _net()
    history = fit_model(model, F.cross_entropy, x, y, optim.SGD(model.parameters(), lr=0.1),
                        epochs=8, batch_size=16, validation_fraction=0.2, seed=0)
    assert history.epochs == 8 and len(history.val_loss) == 8
    assert history.loss[-1] < history.loss[0]
    assert history.val_accuracy[-1] > 0.9 and history.accuracy[-1] > 0.9
    assert evaluate(model, F.cross_entropy, x, y)["accuracy"] > 0.9
    assert to_host(predict(model, x, batch_size=64)).shape == (300, 3)


def test_same_seed_same_weights():
    def run():
        x, y = _blobs()
        model = _net()
        fit_model(model, F.cross_entropy, x, y, optim.Adam(model.parameters(), lr=0.01),
                  epochs=2, batch_size=32, seed=3)
        return model.state_dict()

    a, b = run(), run()
    for name in a:
        np.testing.assert_array_equal(a[name], b[name])


@pytest.mark.parametrize("outputs", [3, 1])
def test_large_data_path_gives_the_same_training(monkeypatch, outputs):
    """Small data are put in each epoch's order at once, large data gather each batch;
    both must train the same weights and count the same training accuracy (with a
    softmax and with a single thresholded output)."""
    from workbench.engine import training

    x, y = _blobs(203)
    if outputs == 1:
        y = (y == 0).astype(np.int64)
        loss = lambda out, t: F.binary_cross_entropy_with_logits(  # noqa: E731
            out.reshape(-1), t.astype(np.float32))
    else:
        loss = F.cross_entropy

    def run():
        model = L.Sequential(L.Dense(2, 8, rng=0), L.Tanh(), L.Dense(8, outputs, rng=1))
        history = fit_model(model, loss, x, y, optim.SGD(model.parameters(), lr=0.1,
                                                         momentum=0.5),
                            epochs=3, batch_size=16, seed=5, metrics=("accuracy",))
        return model.state_dict(), history

    small_weights, small = run()
    monkeypatch.setattr(training, "_REORDER_BYTES", 0)
    large_weights, large = run()
    for name in small_weights:
        np.testing.assert_array_equal(small_weights[name], large_weights[name])
    assert small.accuracy == large.accuracy and small.accuracy[-1] > 0.8
    assert small.loss == pytest.approx(large.loss, rel=1e-12)


def test_early_stopping_restores_the_best_weights():
    x, y = _blobs(120)
    xv, yv = _blobs(60, seed=1)
    yv = (yv + 1) % 3  # a validation set that gets worse as training improves
    model = _net()
    snapshots = []
    history = fit_model(model, F.cross_entropy, x, y, optim.SGD(model.parameters(), lr=0.1),
                        epochs=30, batch_size=20, validation=(xv, yv), patience=2, seed=0,
                        progress=lambda e: snapshots.append(model.state_dict())
                        if "val_loss" in e.values else None)
    assert history.stopped_early and history.epochs < 30 and history.restored_best
    best = history.best_epoch
    assert history.val_loss[best - 1] == min(history.val_loss)
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(value, snapshots[best - 1][name])


def test_early_stopping_restores_batch_norm_statistics_with_the_weights():
    x, y = _blobs(120)
    xv, yv = _blobs(60, seed=1)
    yv = (yv + 1) % 3
    model = L.Sequential(L.Dense(2, 16, rng=0), L.BatchNorm(16), L.Tanh(),
                         L.Dense(16, 3, rng=1))
    snapshots = []
    history = fit_model(model, F.cross_entropy, x, y, optim.SGD(model.parameters(), lr=0.1),
                        epochs=30, batch_size=20, validation=(xv, yv), patience=2, seed=0,
                        progress=lambda e: snapshots.append(model.state_dict())
                        if "val_loss" in e.values else None)
    assert history.restored_best and history.best_epoch < history.epochs
    restored = model.state_dict()
    assert any(name.endswith("running_mean") for name in restored)
    for name, value in restored.items():
        np.testing.assert_array_equal(value, snapshots[history.best_epoch - 1][name])


def test_nan_loss_stops_with_the_taught_message():
    x, y = _blobs()
    x[5, 0] = np.nan
    model = _net()
    with pytest.raises(DivergenceError, match="the loss became NaN at epoch 1: the learning "
                                              "rate is probably too large"):
        fit_model(model, F.cross_entropy, x, y, optim.SGD(model.parameters(), lr=0.1),
                  epochs=3, batch_size=50)


def test_progress_reports_epochs_with_values_and_cancel_stops():
    x, y = _blobs()
    model = _net()
    events = []
    fit_model(model, F.cross_entropy, x, y, optim.SGD(model.parameters(), lr=0.1), epochs=3,
              batch_size=50, validation_fraction=0.1, progress=events.append, seed=0)
    epoch_events = [e for e in events if "loss" in e.values]
    assert [e.values["epoch"] for e in epoch_events] == [1, 2, 3]
    assert {"batch", "loss", "val_loss", "val_accuracy"} <= set(epoch_events[-1].values)
    assert epoch_events[-1].fraction == 1.0
    token = CancelToken()

    def cancel_after_first_epoch(event):
        if "loss" in event.values:
            token.cancel()

    with pytest.raises(Cancelled):
        fit_model(model, F.cross_entropy, x, y, optim.SGD(model.parameters(), lr=0.1),
                  epochs=5, batch_size=50, progress=cancel_after_first_epoch, cancel=token)


def test_clip_gradients_bounds_the_joint_norm():
    class P:
        def __init__(self, g):
            self.grad = np.array(g, dtype=np.float32)

    params = [P([3.0, 0.0]), P([0.0, 4.0])]
    shared = params[0].grad
    norm = clip_gradients(params, 1.0)
    assert float(to_host(norm)) == pytest.approx(5.0)
    np.testing.assert_allclose(params[0].grad, [0.6, 0.0], rtol=1e-5)
    np.testing.assert_allclose(params[1].grad, [0.0, 0.8], rtol=1e-5)
    np.testing.assert_array_equal(shared, [3.0, 0.0])  # replaced, never scaled in place
    small = [P([0.1, 0.1])]
    clip_gradients(small, 1.0)
    np.testing.assert_allclose(small[0].grad, [0.1, 0.1])


def test_training_with_clipping_and_schedule_runs_and_decays_lr():
    x, y = _blobs()
    model = _net()
    opt = optim.SGD(model.parameters(), lr=0.2, momentum=0.9)
    history = fit_model(model, F.cross_entropy, x, y, opt, epochs=3, batch_size=30,
                        clip_grad_norm=1.0, schedule=optim.StepDecay(opt, 1, 0.5))
    assert history.lr == [0.2, 0.1, 0.05]


def test_no_per_batch_host_transfer_under_strict_mode():
    """Strict transfers make any hidden float()/item() on device values raise."""
    x, y = _blobs()
    with backend.strict_transfers():
        model = _net()
        history = fit_model(model, F.cross_entropy, x, y,
                            optim.Adam(model.parameters(), lr=0.01), epochs=2, batch_size=25,
                            validation_fraction=0.2, clip_grad_norm=5.0, patience=5,
                            progress=lambda e: None, seed=0)
    assert history.epochs == 2


def test_regression_targets_and_mse():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 3)).astype(np.float32)
    y = (x @ np.array([[1.0], [-2.0], [0.5]])).astype(np.float32)
    model = L.Dense(3, 1, rng=0)
    history = fit_model(model, F.mse_loss, x, y, optim.SGD(model.parameters(), lr=0.1),
                        epochs=20, batch_size=20, seed=0)
    assert history.accuracy == [] and history.loss[-1] < 1e-3


@pytest.mark.parametrize("settings", [
    {"epochs": 0}, {"batch_size": 0}, {"validation_fraction": 1.0}, {"patience": 0},
    {"clip_grad_norm": -1.0}, {"metrics": ["auc"]},
])
def test_bad_settings_are_refused(settings):
    x, y = _blobs(30)
    model = _net()
    with pytest.raises(ParameterError):
        fit_model(model, F.cross_entropy, x, y, optim.SGD(model.parameters(), lr=0.1),
                  **{"epochs": 1, **settings})


def test_mismatched_rows_are_refused():
    x, y = _blobs(30)
    model = _net()
    with pytest.raises(ParameterError, match="30 rows but the targets have 29"):
        fit_model(model, F.cross_entropy, x, y[:-1], optim.SGD(model.parameters(), lr=0.1))


@pytest.mark.gpu
def test_training_runs_on_the_gpu_with_the_same_api():
    cupy = pytest.importorskip("cupy")
    if not cupy.is_available():
        pytest.skip("no GPU")
    x, y = _blobs()
    model = L.Sequential(L.Dense(2, 16, rng=0, device="gpu"), L.Tanh(),
                         L.Dense(16, 3, rng=1, device="gpu"))
    history = fit_model(model, F.cross_entropy, x, y, optim.Adam(model.parameters(), lr=0.01),
                        epochs=5, batch_size=32, validation_fraction=0.2, patience=3,
                        clip_grad_norm=5.0, seed=0)
    assert history.val_accuracy[-1] > 0.9
    assert isinstance(predict(model, x), cupy.ndarray)


def test_each_epochs_report_carries_the_training_accuracy_the_history_keeps():
    """The live learning curve said an MLP "reports only its loss" while the finished
    history had a training-accuracy curve: the epoch's report carries it too."""
    x, y = _blobs()
    model = _net()
    events = []
    history = fit_model(model, F.cross_entropy, x, y,
                        optim.SGD(model.parameters(), lr=0.1), epochs=3, batch_size=50,
                        progress=events.append, seed=0)
    live = [e.values["accuracy"] for e in events if "loss" in e.values]
    assert live == history.accuracy and len(live) == 3
