"""WEKA's MultilayerPerceptron network itself: initial weights and online learning.

The weights are drawn from ``java.util.Random`` in the order WEKA builds its nodes, and
each instance is forwarded, back-propagated and applied the way WEKA's nodes do it, a
running sum per node in WEKA's order (never NumPy's pairwise or BLAS order), so
the arithmetic is Java's operation for operation. Kept apart from the learner
(``weka_mlp.py``: encoding, training schedule, restarts, model files) because this is
the part checked against WEKA bit for bit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.special import expit

from workbench.core.weka.javarandom import JavaRandom

# WEKA's SigmoidUnit returns exactly 0 or 1 beyond these sums ("to combat overflow").
_CLAMP = 45.0
# Called once per layer and instance: the ufunc methods skip NumPy's Python wrappers.
_smallest = np.minimum.reduce
_running_sum = np.add.accumulate
_outer = np.multiply.outer


def _draw(random: JavaRandom) -> float:
    """One initial weight as WEKA's NeuralNode draws it."""
    return random.next_double() * 0.1 - 0.05


def initial_weights(random: JavaRandom, inputs: int, hidden: list[int],
                    outputs: int) -> list[np.ndarray]:
    """One matrix per layer, (units, 1 + units below) with the thresholds in column 0,
    filled in the order WEKA's network construction draws from ``random``."""
    sizes = [inputs, *hidden, outputs]
    weights = [np.zeros((sizes[i + 1], sizes[i] + 1)) for i in range(len(sizes) - 1)]
    out = weights[-1]
    for k in range(outputs):  # setupOutputs: each output node's threshold
        out[k, 0] = _draw(random)
    for layer, size in enumerate(hidden):  # setupHiddenLayer: nodes, links from below
        matrix = weights[layer]
        for j in range(size):
            matrix[j, 0] = _draw(random)
            if layer > 0:
                for i in range(hidden[layer - 1]):
                    matrix[j, 1 + i] = _draw(random)
    first = weights[0]
    for a in range(inputs):  # the inputs, input by input, to the first layer's nodes
        for j in range(first.shape[0]):
            first[j, 1 + a] = _draw(random)
    if hidden:
        for j in range(hidden[-1]):  # the last hidden layer's nodes to the outputs
            for k in range(outputs):
                out[k, 1 + j] = _draw(random)
    return weights


class Diverged(Exception):
    """An epoch's error was infinite or NaN (WEKA then restarts with half the rate)."""


class OnlineNetwork:
    """The forward pass, back-propagation and update of WEKA's nodes, one instance at a
    time, on weight matrices shared with the learner (updated in place)."""

    def __init__(self, weights: list[np.ndarray], numeric: bool, normalize_class: bool,
                 class_range: float, class_base: float) -> None:
        self.weights = weights
        self.numeric = numeric
        self.normalize_class = normalize_class
        self.class_range = class_range
        self.class_base = class_base
        # The previous update of every weight (WEKA's "change in weights"), for momentum.
        self.changes = [np.zeros_like(m) for m in weights]
        # Each layer's values for the current instance, a leading 1 before hidden units;
        # _units are the views the sigmoid writes into.
        self._values: list[np.ndarray] = [np.ones(0)]
        self._values += [np.ones(m.shape[0] + 1) for m in weights[:-1]]
        self._values.append(np.zeros(weights[-1].shape[0]))
        self._units = [v[1:] for v in self._values[1:-1]] + [self._values[-1]]

    def _forward(self, x: np.ndarray) -> list[np.ndarray]:
        """Each layer's values with a leading 1 (the input for the next thresholds);
        the last entry is the output nodes' values, without it. The arrays are reused
        by the next call (one instance at a time, so no allocation per instance)."""
        values = self._values
        values[0] = x
        last = len(self.weights) - 1
        for layer, matrix in enumerate(self.weights):
            # WEKA's running sum: threshold first, then each input in order.
            z = _running_sum(matrix * values[layer], axis=1)[:, -1]
            if layer == last and self.numeric:
                values[-1] = z
                break
            out = self._units[layer]
            # WEKA's SigmoidUnit, 1 / (1 + e^-z): SciPy's expit computes exactly that
            # with the C library's exp (bit for bit, unlike NumPy's vectorised exp,
            # which differs in the last bit on about 2% of arguments). Above 45 it
            # already rounds to exactly 1; below -45 WEKA returns exactly 0.
            expit(z, out=out)
            if _smallest(z) < -_CLAMP:
                out[z < -_CLAMP] = 0.0
        return values

    def _end_errors(self, out: np.ndarray, target: np.ndarray) -> np.ndarray:
        """WEKA's NeuralEnd error of each output: target - output, on the class's scale
        divided by its half range when the numeric class is normalised."""
        if not self.numeric:
            return target - out
        if not self.normalize_class:
            return target - out
        if self.class_range == 0:
            return np.zeros_like(out)
        value = (0.0 + out) * self.class_range + self.class_base
        return (target - value) / self.class_range

    def epoch(self, X: np.ndarray, targets: np.ndarray, steps: np.ndarray,
              momentum: float, errors: np.ndarray) -> None:
        """One pass of online back-propagation, ``steps`` the learning rate of each row;
        each row's output errors land in ``errors`` (for WEKA's epoch error)."""
        matrices = self.weights
        changes = self.changes
        layers = len(matrices)
        numeric = self.numeric
        forward, end_errors = self._forward, self._end_errors
        inputs = [m[:, 1:] for m in matrices]  # views: the weights from units below
        deltas: list[Any] = [None] * layers
        for row in range(X.shape[0]):
            values = forward(X[row])
            out = values[-1]
            end = end_errors(out, targets[row])
            errors[row] = end
            delta = end if numeric else end * (out * (1 - out))
            deltas[-1] = delta
            for layer in range(layers - 1, 0, -1):
                h = self._units[layer - 1]
                # WEKA sums the errors of the nodes above in their order: a running sum.
                back = _running_sum(delta[:, None] * inputs[layer], axis=0)[-1]
                delta = back * (h * (1 - h))
                deltas[layer - 1] = delta
            step = steps[row]
            for layer in range(layers):
                # WEKA's change = rate * error * input + momentum * previous change.
                change = changes[layer]
                change *= momentum
                change += _outer(step * deltas[layer], values[layer])
                matrices[layer] += change

    def error(self, X: np.ndarray, targets: np.ndarray, weights: np.ndarray) -> float:
        """WEKA's weighted error sum over held-out rows, without learning."""
        outputs = targets.shape[1]
        total = 0.0
        for row in range(X.shape[0]):
            end = self._end_errors(self._forward(X[row])[-1], targets[row])
            total += float(_running_sum(end * end)[-1]) / outputs * weights[row]
        return total

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The output nodes' values (a numeric class back on its own scale)."""
        out = np.empty((X.shape[0], self.weights[-1].shape[0]))
        for row in range(X.shape[0]):
            out[row] = self._forward(X[row])[-1]  # copied: the next row reuses it
        if self.numeric and self.normalize_class:
            out = (0.0 + out) * self.class_range + self.class_base
        return out


@dataclass
class TrainingRows:
    """One network's training rows in WEKA's shuffled order (the first ``held`` rows are
    the validation share) and its early-stopping record, so that a network trained
    alone and one trained beside other folds' networks follow the same schedule."""

    X: np.ndarray  # inputs with a leading 1
    targets: np.ndarray
    weights: np.ndarray  # the instances' weights
    held: int
    decay: bool
    patience: int
    epochs: int
    saved: list[np.ndarray]  # the best weights so far (the initial ones to start)
    best: float = math.inf
    last: float = math.inf
    drift: int = 0
    total_weight: float = field(init=False)

    def __post_init__(self) -> None:
        self.total_weight = float(self.weights[self.held:].sum())

    @property
    def errors_shape(self) -> tuple[int, int]:
        """One row per training row, one column per output."""
        return (self.X.shape[0] - self.held, self.targets.shape[1])

    def steps(self, rate: float, epoch: int) -> np.ndarray:
        """Each training row's learning rate: WEKA's rate * weight, then divided by the
        epoch (in that order) with -D."""
        steps = rate * self.weights[self.held:]
        return steps / epoch if self.decay else steps

    def epoch_error(self, errors: np.ndarray) -> float:
        """WEKA's weighted mean squared error of an epoch's output errors."""
        outputs = self.targets.shape[1]
        return float(((errors * errors).sum(axis=1) / outputs * self.weights[self.held:])
                     .sum() / self.total_weight)

    def validate(self, epoch: int, error: float, network: OnlineNetwork,
                 held_error: float | None = None) -> tuple[bool, float]:
        """After an epoch: raise ``Diverged`` on a non-finite error; with a validation
        share, keep the best weights and say whether to stop (then ``network``'s
        weights are the best ones again). Returns (stopped, the error to report).
        ``held_error`` is the validation rows' error when already known (computed for
        several folds at once), else ``network`` computes it."""
        if not math.isfinite(error):
            raise Diverged
        held = self.held
        if not held:
            return False, error
        if held_error is None:
            held_error = network.error(self.X[:held], self.targets[:held],
                                       self.weights[:held])
        error = held_error
        if error < self.last:
            if error < self.best:
                self.best, self.drift = error, 0
                self.saved = [m.copy() for m in network.weights]
        else:  # NaN counts as no better, as in WEKA
            self.drift += 1
        self.last = error
        if self.drift > self.patience or epoch + 1 >= self.epochs:
            for m, s in zip(network.weights, self.saved, strict=True):
                m[...] = s
            return True, error
        return False, error / float(self.weights[:held].sum())
