"""Training dynamics: the recorded numbers against a hand computation, record steps, the
arrays' shapes and NaNs, histograms, snapshots while training, the CSV files, and that
recording changes nothing about training."""

from __future__ import annotations

import csv
import os
import threading

import numpy as np
import pytest

from workbench.core.errors import ParameterError, WorkbenchError
from workbench.engine import backend, optim
from workbench.engine import functional as F
from workbench.engine import layers as L
from workbench.engine.dynamics import (
    METRICS,
    SIGMOID_HIGH,
    SIGMOID_LOW,
    TANH_LIMIT,
    TrainingDynamics,
    histogram_path,
)
from workbench.engine.training import fit_model


def _tiny(activation: type = L.Sigmoid, seed: int = 3) -> L.Sequential:
    rng = np.random.default_rng(seed)
    return L.Sequential(L.Dense(3, 4, rng=rng, dtype=np.float64), activation(),
                        L.Dense(4, 2, rng=rng, dtype=np.float64))


def _data(n: int = 8, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, 3)), rng.integers(0, 2, n)


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def test_one_step_matches_a_hand_computation():
    net = _tiny()
    X, y = _data()
    w1, b1 = net[0].weight.data.copy(), net[0].bias.data.copy()
    w2, b2 = net[2].weight.data.copy(), net[2].bias.data.copy()
    dynamics = TrainingDynamics(every=1, bins=10)
    fit_model(net, F.cross_entropy, X, y, optim.SGD(net.parameters(), lr=0.5), epochs=1,
              batch_size=len(X), shuffle=False, dynamics=dynamics)
    # Forward and backward by hand (softmax cross-entropy averaged over the batch).
    h = 1 / (1 + np.exp(-(X @ w1.T + b1)))
    out = h @ w2.T + b2
    dout = (_softmax(out) - np.eye(2)[y]) / len(X)
    g2 = dout.T @ h
    g1 = ((dout @ w2) * h * (1 - h)).T @ X
    assert dynamics.layer_names == ["1 Dense 3-4 sigmoid", "2 Dense 4-2"]
    assert dynamics.layer_kinds == ["sigmoid", ""]
    assert dynamics.steps.tolist() == [1] and dynamics.epochs.tolist() == [1.0]
    np.testing.assert_allclose(dynamics.grad_norm[0], [np.linalg.norm(g1), np.linalg.norm(g2)])
    np.testing.assert_allclose(dynamics.weight_norm[0], [np.linalg.norm(w1), np.linalg.norm(w2)])
    # Plain SGD moves the weights by lr x gradient: the ratio is lr |g| / |w|.
    np.testing.assert_allclose(dynamics.update_ratio[0],
                               [0.5 * np.linalg.norm(g1) / np.linalg.norm(w1),
                                0.5 * np.linalg.norm(g2) / np.linalg.norm(w2)])
    np.testing.assert_allclose(dynamics.act_mean[0], [h.mean(), out.mean()])
    np.testing.assert_allclose(dynamics.act_std[0], [h.std(), out.std()])
    saturated = ((h < SIGMOID_LOW) | (h > SIGMOID_HIGH)).mean()
    assert dynamics.saturated[0, 0] == pytest.approx(saturated)
    assert np.isnan(dynamics.saturated[0, 1]) and np.isnan(dynamics.dead[0]).all()
    # Sigmoid outputs are binned over [0, 1]; the shares of each histogram sum to 1.
    np.testing.assert_allclose(dynamics.act_edges[0], np.linspace(0, 1, 11))
    np.testing.assert_allclose(dynamics.act_hist[0, 0], np.histogram(h, np.linspace(0, 1, 11))[0]
                               / h.size)
    np.testing.assert_allclose(dynamics.weight_hist.sum(axis=2), 1.0)
    assert dynamics.weight_edges[0, -1] == pytest.approx(2 * np.abs(w1).max())


def test_dead_relu_units_and_saturated_tanh_units_are_counted():
    net = _tiny(L.ReLU)
    with backend.blas_threads():
        net[0].bias.data[:2] = -100.0  # two of four units can never fire
    X, y = _data()
    dynamics = TrainingDynamics(every=1)
    fit_model(net, F.cross_entropy, X, y, optim.SGD(net.parameters(), lr=0.01), epochs=1,
              batch_size=len(X), dynamics=dynamics)
    assert dynamics.dead[0, 0] == pytest.approx(0.5) and np.isnan(dynamics.saturated[0, 0])
    assert dynamics.act_edges[0, 0] == 0.0  # ReLU outputs are binned from zero

    net = _tiny(L.Tanh)
    with backend.blas_threads():
        net[0].weight.data[0] *= 1000.0  # one unit of four always saturates
    before = np.tanh(X @ net[0].weight.data.T + net[0].bias.data)
    dynamics = TrainingDynamics(every=1)
    fit_model(net, F.cross_entropy, X, y, optim.SGD(net.parameters(), lr=0.01), epochs=1,
              batch_size=len(X), dynamics=dynamics)
    assert dynamics.saturated[0, 0] >= 0.25
    assert dynamics.saturated[0, 0] == pytest.approx((np.abs(before) > TANH_LIMIT).mean())


def test_a_nan_output_lands_in_its_own_histograms_first_bin():
    net = _tiny(L.Tanh)
    with backend.blas_threads():
        net[0].weight.data[0, 0] = np.nan  # unit 0 of layer 1, then all of layer 2: NaN
    X, y = _data()
    dynamics = TrainingDynamics(every=1, bins=10)
    with pytest.raises(WorkbenchError):  # the loss diverges at the epoch's end
        fit_model(net, F.cross_entropy, X, y, optim.SGD(net.parameters(), lr=0.1),
                  epochs=1, batch_size=len(X), dynamics=dynamics)
    hist = dynamics.act_hist[0]
    np.testing.assert_allclose(hist.sum(axis=1), 1.0)  # no layer's NaNs counted elsewhere
    assert hist[0, 0] >= 0.25 and hist[1, 0] == 1.0


def test_outputs_of_ever_new_sizes_are_each_measured_whole():
    net = _tiny(L.Tanh)
    dynamics = TrainingDynamics(every=1)
    recorder = dynamics.recorder(net, 1)
    rng = np.random.default_rng(1)
    means, stds = [], []
    for n in range(1, 14):  # more batch sizes than the recorder keeps sample layouts for
        X = rng.normal(size=(n, 3))
        h = np.tanh(X @ net[0].weight.data.T + net[0].bias.data)
        means.append(h.mean())
        stds.append(h.std())
        F.cross_entropy(recorder.forward(net, X), rng.integers(0, 2, n)).backward()
        recorder.before_update()
        recorder.record(n, 1, 0)
    np.testing.assert_allclose(dynamics.act_mean[:, 0], means)
    np.testing.assert_allclose(dynamics.act_std[:, 0], stds, atol=1e-12)
    np.testing.assert_allclose(dynamics.act_hist.sum(axis=2), 1.0)


def test_records_every_n_steps_with_the_epoch_position():
    net = _tiny()
    X, y = _data(40)
    dynamics = TrainingDynamics(every=3)
    fit_model(net, F.cross_entropy, X, y, optim.SGD(net.parameters(), lr=0.1), epochs=2,
              batch_size=4, dynamics=dynamics, seed=1)
    assert dynamics.steps.tolist() == [1, 4, 7, 10, 13, 16, 19, 20]   # and the last
    np.testing.assert_allclose(dynamics.epochs, [0.1, 0.4, 0.7, 1.0, 1.3, 1.6, 1.9, 2.0])
    for name in METRICS:
        assert dynamics.metric(name).shape == (8, 2)
    assert dynamics.act_hist.shape == (8, 2, dynamics.bins)
    assert dynamics.act_edges.shape == dynamics.weight_edges.shape == (2, dynamics.bins + 1)
    # The last epoch's records are those after epoch 1.0.
    np.testing.assert_allclose(dynamics.last_epoch_mean("grad_norm"),
                               dynamics.grad_norm[4:].mean(axis=0))
    with pytest.raises(ParameterError):
        dynamics.metric("loss")


def test_an_early_stopped_run_records_its_last_step():
    # Whether an epoch ends training is known only after it: the last step of each epoch
    # that patience may end is recorded, so the records end where training did.
    net = _tiny()
    X, y = _data(40)
    dynamics = TrainingDynamics(every=3)
    # Validation rows with every label flipped: the better the net fits, the worse it
    # does there, so patience ends the run long before its 50 epochs.
    history = fit_model(net, F.cross_entropy, X, y, optim.SGD(net.parameters(), lr=0.5),
                        epochs=50, batch_size=4, validation=(X, 1 - y), patience=2,
                        dynamics=dynamics, seed=1)
    assert history.stopped_early and history.epochs < 50
    steps = dynamics.steps.tolist()
    assert steps[-1] == history.epochs * 10            # 10 batches an epoch
    # Besides every third step, only the last steps of epochs: never one in between.
    assert all((s - 1) % 3 == 0 or s % 10 == 0 for s in steps)


def test_recording_changes_nothing_about_training_and_leaves_no_hook():
    X, y = _data(64)
    runs = []
    for dynamics in (None, TrainingDynamics(every=2)):
        net = _tiny()
        fit_model(net, F.cross_entropy, X, y, optim.Adam(net.parameters(), lr=0.01),
                  epochs=3, batch_size=8, seed=5, dynamics=dynamics)
        runs.append([p.data.copy() for p in net.parameters()])
        assert all("forward" not in m.__dict__ for m in net.modules())
    for a, b in zip(*runs, strict=True):
        np.testing.assert_array_equal(a, b)


def test_the_same_seed_records_the_same_numbers():
    X, y = _data(64)
    recorded = []
    for _ in range(2):
        net = _tiny()
        dynamics = TrainingDynamics(every=2)
        fit_model(net, F.cross_entropy, X, y, optim.SGD(net.parameters(), lr=0.1,
                                                        momentum=0.9),
                  epochs=2, batch_size=8, seed=7, dynamics=dynamics)
        recorded.append(dynamics)
    for name in (*METRICS, "act_hist", "weight_hist", "act_edges"):
        np.testing.assert_array_equal(getattr(recorded[0], name), getattr(recorded[1], name))


def test_recording_makes_no_implicit_host_transfer():
    X, y = _data(32)
    net = _tiny()
    dynamics = TrainingDynamics(every=1)
    with backend.strict_transfers():
        fit_model(net, F.cross_entropy, X, y, optim.SGD(net.parameters(), lr=0.1),
                  epochs=1, batch_size=8, dynamics=dynamics)
    assert dynamics.records == 4


def test_a_snapshot_taken_while_training_is_consistent_and_stays_put():
    X, y = _data(400)
    net = _tiny()
    dynamics = TrainingDynamics(every=1)
    seen = []
    worker = threading.Thread(target=fit_model, args=(
        net, F.cross_entropy, X, y, optim.SGD(net.parameters(), lr=0.1)),
        kwargs={"epochs": 5, "batch_size": 4, "dynamics": dynamics})
    worker.start()
    while worker.is_alive():
        copy = dynamics.snapshot()
        lengths = {copy.steps.size, copy.epochs.size, copy.grad_norm.shape[0],
                   copy.act_hist.shape[0], copy.dead.shape[0]}
        assert len(lengths) == 1
        seen.append(copy)
    worker.join()
    assert dynamics.records == 500
    early = seen[0]
    assert early.records == early.steps.size <= 500  # later records never appear in it


def test_to_csv_writes_long_rows_and_the_histograms_beside_them(tmp_path):
    net = L.Sequential(L.Dense(3, 4, rng=1, dtype=np.float64), L.ReLU(),
                       L.Dense(4, 4, rng=2, dtype=np.float64), L.Sigmoid(),
                       L.Dense(4, 2, rng=3, dtype=np.float64))
    X, y = _data(16)
    dynamics = TrainingDynamics(every=2, bins=5)
    fit_model(net, F.cross_entropy, X, y, optim.SGD(net.parameters(), lr=0.1), epochs=1,
              batch_size=4, dynamics=dynamics)
    written = dynamics.to_csv(tmp_path / "run.csv")
    assert written == [tmp_path / "run.csv", tmp_path / "run.histograms.csv"]
    assert histogram_path(tmp_path / "run.csv") == written[1]
    with written[0].open() as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["step", "epoch", "layer", "metric", "value"]
    by_layer = {}
    for row in rows:
        by_layer.setdefault(row["layer"], set()).add(row["metric"])
    relu, sigmoid, out = dynamics.layer_names
    assert "dead" in by_layer[relu] and "saturated" not in by_layer[relu]
    assert "saturated" in by_layer[sigmoid] and "dead" not in by_layer[sigmoid]
    assert by_layer[out] == {"grad_norm", "update_ratio", "weight_norm", "act_mean", "act_std"}
    assert len(rows) == dynamics.records * (6 + 6 + 5)
    first = next(r for r in rows if r["layer"] == relu and r["metric"] == "grad_norm")
    assert (int(first["step"]), float(first["value"])) == (1, pytest.approx(
        dynamics.grad_norm[0, 0]))
    with written[1].open() as handle:
        bins = list(csv.DictReader(handle))
    assert list(bins[0]) == ["step", "epoch", "layer", "kind", "bin", "low", "high", "share"]
    assert len(bins) == dynamics.records * 3 * 5 * 2
    shares = [float(b["share"]) for b in bins[:5]]
    assert sum(shares) == pytest.approx(1.0)



def test_to_csv_never_writes_through_a_fifo_or_a_link(tmp_path):
    # Opening a FIFO for writing would block forever; a link's target is not the file
    # the user named. The CSVs replace the name atomically or refuse.
    net = L.Sequential(L.Dense(3, 2, rng=1, dtype=np.float64))
    X, y = _data(8)
    dynamics = TrainingDynamics(every=1, bins=3)
    fit_model(net, F.cross_entropy, X, y, optim.SGD(net.parameters(), lr=0.1), epochs=1,
              batch_size=4, dynamics=dynamics)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    (tmp_path / "link.csv").symlink_to(victim)
    dynamics.to_csv(tmp_path / "link.csv")
    assert victim.read_text() == "keep"
    assert not (tmp_path / "link.csv").is_symlink()
    os.mkfifo(tmp_path / "pipe.csv")
    with pytest.raises(WorkbenchError, match="FIFO"):
        dynamics.to_csv(tmp_path / "pipe.csv")


def test_bad_settings_are_refused():
    with pytest.raises(ParameterError):
        TrainingDynamics(every=0)
    with pytest.raises(ParameterError):
        TrainingDynamics(bins=1)
