"""Say when mini-batch training is stuck at chance, and why, while it runs.

An MLP with ReLU (or tanh) units at WEKA's learning rate 0.3 collapses on MNIST: its
unbounded hidden units drive the sigmoid outputs far below 0 within the first epoch,
where a sigmoid is flat and squared error no longer moves it; training accuracy then
stays at the commonest class's share (11 %), and nothing said so. The user guide's
sigmoid-against-ReLU lesson leads a learner to expect ReLU to do better, so the run must
say what happened and what to change. WEKA's 0.3 stays the default: it is what WEKA's
sigmoid networks train with, and the comparison with WEKA rests on it.

After each epoch, when training accuracy is no better than always answering the
commonest class, a few hundred training rows are run through the network and the two
known causes are looked for: output units saturated (flat for almost every row), and
hidden ReLU-family units silent for every row (dead units). Only a named cause is
reported: a network that merely learns slowly says nothing.
"""

from __future__ import annotations

import numpy as np

from workbench.core.progress import ProgressCallback, ProgressEvent
from workbench.engine import backend
from workbench.engine.layers import Sequential
from workbench.engine.layers.activation import ReLU, Sigmoid
from workbench.engine.tensor import Tensor, no_grad

# Rows run through the network for the check: enough to see every unit's behaviour,
# few enough to cost a fraction of one epoch.
SAMPLE_ROWS = 256
# An output is flat where its sigmoid's slope is below this (|z| above about 6.9).
FLAT_SLOPE = 1e-3
# Outputs count as saturated when this share of (row, output) pairs is flat.
SATURATED_SHARE = 0.99
# Training accuracy within this of the commonest class's share counts as chance.
CHANCE_MARGIN = 0.02
# ReLU units count as dead when this share of them is 0 for every row sampled.
SILENT_SHARE = 0.95


def stuck_cause(network: Sequential, X: np.ndarray) -> str:
    """Why a network answers at chance on rows ``X``, in words, or "" when neither
    saturated sigmoid outputs nor silent ReLU units explain it."""
    layers = list(network)
    if not layers:
        return ""
    was_training = network.training
    network.train(False)
    silent: list[tuple[int, int]] = []  # (silent units, units) per ReLU layer
    flat_share = 0.0
    try:
        with no_grad():
            x = Tensor(backend.to_device(np.asarray(X), backend.device_of(
                next(iter(network.parameters())).data)))
            for index, layer in enumerate(layers):
                if isinstance(layer, Sigmoid) and index == len(layers) - 1:
                    z = backend.to_host(x.data).astype(np.float64)
                    s = 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))
                    flat_share = float(np.mean(s * (1 - s) < FLAT_SLOPE))
                x = layer(x)
                if isinstance(layer, ReLU):  # 0 below 0: a unit can fall silent
                    out = backend.to_host(x.data)
                    silent.append((int(np.sum(np.all(out <= 0, axis=0))), out.shape[1]))
    finally:
        network.train(was_training)
    units = sum(n for _, n in silent)
    dead = sum(count for count, _ in silent)
    saturated = flat_share >= SATURATED_SHARE
    if silent and dead >= SILENT_SHARE * units:
        return (f"{'all' if dead == units else f'{dead} of'} {units} ReLU units were "
                f"silent (0 for every row: a silent unit passes no gradient back, so it "
                f"never recovers)")
    if not saturated:
        return ""  # some silent units alone are common, and explain nothing
    cause = (f"the output units saturated (each output's sigmoid is flat, at 0 or 1, for "
             f"{flat_share:.0%} of the rows, where squared error no longer moves it)")
    return cause + (f"; {dead} of {units} ReLU units were silent" if dead else "")


class StuckWatch:
    """A progress callback in front of ``progress`` that checks each epoch's end.

    Once a cause is found, ``warning`` holds the whole sentence (for the report) and
    every later progress line ends with its short form, so the line a person glances at
    says it until the run ends, not only for the quarter-second of that epoch's report.
    """

    def __init__(self, progress: ProgressCallback | None, network: Sequential,
                 X: np.ndarray, y: np.ndarray, classes: int, learning_rate: float,
                 seed: int = 0) -> None:
        self.progress = progress
        self.network = network
        rows = np.random.default_rng(seed).permutation(X.shape[0])[:SAMPLE_ROWS]
        self.sample = X[np.sort(rows)]
        labels = np.asarray(y, dtype=np.float64)
        labels = labels[np.isfinite(labels)].astype(np.int64)
        counts = np.bincount(labels, minlength=max(classes, 1))
        self.commonest = float(counts.max() / max(counts.sum(), 1))
        self.learning_rate = learning_rate
        self.warning = ""
        self.short = ""

    def __call__(self, event: ProgressEvent) -> None:
        values = event.values
        accuracy = values.get("accuracy")
        if not self.warning and "loss" in values and accuracy is not None:
            self._check(int(values.get("epoch", 0)), float(accuracy))
        if self.progress is None:
            return
        if self.short:
            event = ProgressEvent(event.fraction, f"{event.message} ({self.short})",
                                  dict(event.values))
        self.progress(event)

    def _check(self, epoch: int, accuracy: float) -> None:
        if accuracy > self.commonest + CHANCE_MARGIN:
            return
        cause = stuck_cause(self.network, self.sample)
        if not cause:
            return
        lower = f"{self.learning_rate / 10:g}"
        self.short = f"stuck at chance: lower the learning rate, e.g. {lower}"
        self.warning = (f"Training is stuck at chance: after epoch {epoch} the training "
                        f"accuracy is {accuracy:.1%}, no better than always answering the "
                        f"commonest class ({self.commonest:.1%}), because {cause}. The "
                        f"learning rate {self.learning_rate:g} is too large for these "
                        f"units: lower it, e.g. to {lower}.")

