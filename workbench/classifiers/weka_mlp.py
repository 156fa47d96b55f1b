"""WEKA's MultilayerPerceptron under its WEKA name, step for step, so its results are WEKA's.

Users who come from WEKA type ``MultilayerPerceptron`` and expect WEKA's numbers. The
modern network (``mlp``: Glorot-style initial weights, L-BFGS on small data, mini-batches,
other activations) learns as well or better but never gives the same numbers, because a
network's result depends on its starting point and on the order of its updates. This
learner repeats what WEKA 3.9.7 does:

- the training rows are shuffled with ``java.util.Random(seed)`` (``Instances.randomize``)
  and the same generator then draws every initial weight, ``nextDouble() * 0.1 - 0.05``,
  in the order WEKA builds its network: each output node's threshold, each hidden node's
  threshold (and its links from the previous hidden layer), the links from the inputs
  (input by input), then the links from the last hidden layer to the outputs;
- nominal attributes become numeric columns as WEKA's NominalToBinary makes them (one 0/1
  column for a two-valued attribute, one column per value otherwise; a missing value
  stays missing), then every column and a numeric class are scaled to [-1, 1] by their
  training range; a missing input feeds 0 to the network;
- sigmoid hidden and output units (a linear output for a numeric class), clamped to 0 and
  1 beyond +-45 as WEKA does; online back-propagation, one instance at a time, with
  WEKA's learning rate, momentum and epochs, the learning rate scaled by the instance's
  weight (and divided by the epoch with ``-D``); a held-out validation share (``-V``)
  stops training when its error has not improved ``-E`` times, keeping the best weights;
- when an epoch's error overflows, WEKA starts again with half the learning rate
  (``-R`` turns that off and fails instead); with no attribute besides the class, or
  when every output is zero, WEKA's ZeroR answers.

Each node sums its threshold and its inputs in WEKA's order (a running sum, never NumPy's
pairwise or BLAS order), so the arithmetic is Java's double arithmetic operation for
operation; only ``exp`` may differ from Java's in the last bit on rare arguments.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy.special import expit

from workbench.classifiers.base import Classifier
from workbench.classifiers.capabilities import Capabilities
from workbench.classifiers.mlp import hidden_sizes
from workbench.classifiers.modelfile import stored_array
from workbench.core.errors import WorkbenchError
from workbench.core.params import Param
from workbench.core.progress import CancelToken, ProgressCallback, check, report
from workbench.core.weka.javarandom import JavaRandom
from workbench.data.dataset import Dataset

# WEKA's Utils.SMALL: the learning rate below which restarting gives up.
_SMALLEST_RATE = 1e-6
# WEKA's SigmoidUnit returns exactly 0 or 1 beyond these sums ("to combat overflow").
_CLAMP = 45.0
# Called once per layer and instance: the ufunc methods skip NumPy's Python wrappers.
_smallest = np.minimum.reduce
_running_sum = np.add.accumulate
_outer = np.multiply.outer


class NetworkCannotTrain(WorkbenchError):
    """An epoch's error overflowed and restarting with a smaller rate was not allowed."""


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


def nominal_to_binary(data: Dataset) -> np.ndarray:
    """The attributes (class left out) as WEKA's NominalToBinary writes them: a two-valued
    nominal attribute keeps its value index in one column, one with more values becomes
    one 0/1 column per value; NaN stays NaN in every column of its attribute."""
    columns = []
    for index, attribute in enumerate(data.attributes):
        if index == data.class_index:
            continue
        values = data.column(index)
        if attribute.is_nominal and attribute.num_values > 2:
            for v in range(attribute.num_values):
                columns.append(np.where(np.isnan(values), np.nan, (values == v) * 1.0))
        else:
            columns.append(values.astype(np.float64))
    if not columns:
        return np.zeros((data.num_instances, 0))
    return np.column_stack(columns)


def _ranges(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """WEKA's half range and midpoint of each column over its known values (an all-missing
    column gets WEKA's -inf and NaN, which leave its values missing)."""
    known = ~np.isnan(values)
    lo = np.where(known, values, np.inf).min(axis=0, initial=np.inf)
    hi = np.where(known, values, -np.inf).max(axis=0, initial=-np.inf)
    with np.errstate(invalid="ignore"):
        return (hi - lo) / 2, (hi + lo) / 2


def _scale(values: np.ndarray, ranges: np.ndarray, bases: np.ndarray) -> np.ndarray:
    """WEKA's (value - base) / range, or value - base for a constant column."""
    with np.errstate(invalid="ignore"):
        centred = values - bases
        return np.where(ranges != 0, centred / np.where(ranges != 0, ranges, 1.0), centred)


class WekaMultilayerPerceptron(Classifier):
    """MultilayerPerceptron: WEKA's back-propagation network, WEKA's defaults and results.

    Online updates from WEKA's initial weights on WEKA's encoding of the data, so that
    cross-validation gives WEKA 3.9.7's numbers. ``mlp`` is the modern network.
    """

    name = "weka-mlp"
    display_name = "MultilayerPerceptron"
    category = "functions"
    # WEKA's full name (weka.classifiers.functions.MultilayerPerceptron) resolves too.
    aliases = ("MultilayerPerceptron",)
    capabilities = Capabilities(numeric_class=True)
    # WEKA ignores a rate or momentum outside (0, 1] and [0, 1]; we refuse them.
    learning_rate = Param.number(0.3, "Step size of the weight updates (WEKA's -L)",
                                 low=0, low_open=True, high=1, letter="L")
    momentum = Param.number(0.2, "Share of the previous update added to each update "
                            "(WEKA's -M)", low=0, high=1, letter="M")
    epochs = Param.count(500, "Passes over the training data (WEKA's -N)",
                         letter="N")
    validation_percent = Param.integer(
        0, "Percent of the training data held out to stop "
        "training early (WEKA's -V); 0 trains all epochs", low=0, high=99,
        letter="V")
    seed = Param.integer(0, "Seed of the shuffling and the initial weights (WEKA's -S)",
                         low=0, letter="S")
    patience = Param.count(20, "Times in a row the validation error may fail to "
                           "improve before training stops (WEKA's -E)", letter="E")
    hidden_layers = Param.text(
        "a", "Hidden layer sizes, comma-separated (WEKA's -H); "
        "wildcards a = (attributes + classes) / 2, i = attributes, o = classes, "
        "t = attributes + classes; 0 for none", letter="H")
    nominal_to_binary = Param.boolean(True, "Turn nominal attributes into 0/1 columns; "
                                      "off (WEKA's -B) feeds their value index", flags={"B": False})
    normalize_class = Param.boolean(True, "Scale a numeric class to [-1, 1] while "
                                    "training; off is WEKA's -C", flags={"C": False})
    normalize_attributes = Param.boolean(True, "Scale every input column to [-1, 1]; off "
                                         "is WEKA's -I", flags={"I": False})
    reset = Param.boolean(True, "Start again with half the learning rate when training "
                          "diverges; off (WEKA's -R) fails instead", flags={"R": False})
    decay = Param.boolean(False, "Divide the learning rate by the epoch number (WEKA's "
                          "-D)", letter="D")

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self.weights_: list[np.ndarray] = []
        self.ranges_ = np.zeros(0)
        self.bases_ = np.zeros(0)
        self.class_range_ = 1.0
        self.class_base_ = 0.0
        self.zeror_ = np.zeros(0)  # ZeroR's distribution, or [mean] for a numeric class
        self.default_model_ = False
        self.rate_used_ = self.learning_rate
        self.epochs_trained_ = 0

    # Encoding ---------------------------------------------------------------------------
    def _encode(self, data: Dataset) -> np.ndarray:
        if self.nominal_to_binary:
            values = nominal_to_binary(data)
        else:
            keep = [i for i in range(data.num_attributes) if i != data.class_index]
            values = data.dense_values()[:, keep].astype(np.float64)
        return values

    def _inputs(self, values: np.ndarray) -> np.ndarray:
        """Scaled inputs with a leading 1 for the thresholds; missing values feed 0."""
        if self.normalize_attributes:
            values = _scale(values, self.ranges_, self.bases_)
        out = np.ones((values.shape[0], values.shape[1] + 1))
        out[:, 1:] = np.where(np.isnan(values), 0.0, values)
        return out

    # Learning ---------------------------------------------------------------------------
    def _fit(self, data: Dataset, progress: ProgressCallback | None,
             cancel: CancelToken | None) -> None:
        y = data.class_values
        w = data.weights
        if self.classes_:
            counts = np.ones(len(self.classes_))
            np.add.at(counts, y.astype(np.intp), w)
            self.zeror_ = counts / counts.sum()
        else:
            total = float(w.sum())
            self.zeror_ = np.array([float(np.dot(w, y) / total) if total > 0 else 0.0])
        self.default_model_ = data.num_attributes == 1
        self.weights_ = []
        if self.default_model_:
            return
        rate = self.learning_rate
        while True:
            try:
                with np.errstate(over="ignore"):
                    self._train(data, rate, progress, cancel)
                self.rate_used_ = rate
                return
            except _Diverged:
                if not self.reset:
                    raise NetworkCannotTrain(
                        f"{self.title}: Network cannot train. Try restarting with a smaller "
                        f"learning rate.") from None
                if rate <= _SMALLEST_RATE:
                    raise NetworkCannotTrain(f"{self.title}: Learning rate got too small "
                                             f"({rate} <= {_SMALLEST_RATE})!") from None
                rate /= 2

    def _train(self, data: Dataset, rate: float, progress: ProgressCallback | None,
               cancel: CancelToken | None) -> None:
        random = JavaRandom(self.seed)
        order = random.shuffle_order(data.num_instances)
        values = self._encode(data)[order]
        y = data.class_values[order]
        weights = data.weights[order]
        self.ranges_, self.bases_ = _ranges(values)
        numeric = not self.classes_
        if numeric:
            class_range, class_base = _ranges(y.reshape(-1, 1))
            self.class_range_, self.class_base_ = float(class_range[0]), float(class_base[0])
        X = self._inputs(values)
        outputs = len(self.classes_) if self.classes_ else 1
        sizes = hidden_sizes(self.hidden_layers, values.shape[1], outputs)
        self.weights_ = initial_weights(random, values.shape[1], sizes, outputs)
        rows = data.num_instances
        held = int(self.validation_percent / 100.0 * rows)
        if self.validation_percent > 0 and held == 0:
            held = 1
        if held == rows:
            held -= 1
        targets = np.zeros((rows, outputs))
        if numeric:
            targets[:, 0] = y
        else:
            targets[np.arange(rows), y.astype(np.intp)] = 1.0
        train = _Network(self.weights_, numeric, self.normalize_class, self.class_range_,
                         self.class_base_)
        total_weight = float(weights[held:].sum())
        best, last, drift = math.inf, math.inf, 0
        saved = [m.copy() for m in self.weights_]
        self.epochs_trained_ = 0
        errors = np.zeros((rows - held, outputs))
        for epoch in range(1, self.epochs + 1):
            check(cancel)
            # WEKA's rate * weight, then divided by the epoch (in that order) with -D.
            steps = rate * weights[held:]
            if self.decay:
                steps = steps / epoch
            train.epoch(X[held:], targets[held:], steps, self.momentum, errors)
            error = float(((errors * errors).sum(axis=1) / outputs * weights[held:]).sum()
                          / total_weight)
            self.epochs_trained_ = epoch
            if not math.isfinite(error):
                raise _Diverged
            if held:
                error = train.error(X[:held], targets[:held], weights[:held])
                if error < last:
                    if error < best:
                        best, drift = error, 0
                        saved = [m.copy() for m in self.weights_]
                else:  # NaN counts as no better, as in WEKA
                    drift += 1
                last = error
                if drift > self.patience or epoch + 1 >= self.epochs:
                    for m, s in zip(self.weights_, saved, strict=True):
                        m[...] = s
                    report(progress, epoch / self.epochs, f"epoch {epoch}: validation "
                           f"error {error:.6g}, stopped", epoch=epoch, loss=error)
                    return
                error /= float(weights[:held].sum())
            report(progress, epoch / self.epochs, f"epoch {epoch}: error {error:.6g}",
                   epoch=epoch, loss=error)

    # Prediction -------------------------------------------------------------------------
    def _outputs(self, data: Dataset) -> np.ndarray:
        if not self.is_fitted:
            raise WorkbenchError(f"{self.title} has not been trained")
        net = _Network(self.weights_, not self.classes_, self.normalize_class,
                       self.class_range_, self.class_base_)
        return net.predict(self._inputs(self._encode(data)))

    def _predict_proba(self, data: Dataset) -> np.ndarray:
        if self.default_model_:
            return np.tile(self.zeror_, (data.num_instances, 1))
        out = self._outputs(data)
        total = out.sum(axis=1, keepdims=True)
        # WEKA normalises the outputs; when they sum to zero, ZeroR answers.
        safe = np.where(total > 0, total, 1.0)
        return np.where(total > 0, out / safe, self.zeror_[None, :])

    def _predict_values(self, data: Dataset) -> np.ndarray:
        if self.default_model_:
            return np.full(data.num_instances, self.zeror_[0])
        return self._outputs(data)[:, 0]

    # Description and model files ----------------------------------------------------
    def _describe(self) -> str:
        header = self._require_fitted()
        if self.default_model_:
            return ("MultilayerPerceptron\n\nWarning: No model could be built, hence ZeroR "
                    "model is used.")
        return describe_network(self.weights_, header, self.nominal_to_binary,
                                bool(self.classes_), self.rate_used_, self.learning_rate,
                                self.epochs_trained_)

    def _state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        arrays = {f"layer.{i}": m for i, m in enumerate(self.weights_)}
        arrays.update(ranges=self.ranges_, bases=self.bases_, zeror=self.zeror_)
        return ({"layers": len(self.weights_), "class_range": self.class_range_,
                 "class_base": self.class_base_, "default_model": self.default_model_,
                 "rate_used": self.rate_used_, "epochs_trained": self.epochs_trained_},
                arrays)

    def _set_state(self, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
        header = self._require_fitted()
        self.default_model_ = bool(meta["default_model"])
        self.zeror_ = stored_array(arrays, "zeror", 1).astype(np.float64)
        self.ranges_ = stored_array(arrays, "ranges", 1).astype(np.float64)
        self.bases_ = stored_array(arrays, "bases", 1).astype(np.float64)
        self.class_range_ = float(meta["class_range"])
        self.class_base_ = float(meta["class_base"])
        self.rate_used_ = float(meta["rate_used"])
        self.epochs_trained_ = int(meta["epochs_trained"])
        self.weights_ = [stored_array(arrays, f"layer.{i}", 2).astype(np.float64)
                         for i in range(int(meta["layers"]))]
        if self.default_model_:
            return
        width = self._encode(header).shape[1]
        outputs = len(self.classes_) if self.classes_ else 1
        below = width
        for matrix in self.weights_:
            if matrix.shape[1] != below + 1:
                raise WorkbenchError("the stored network does not fit the training header")
            below = matrix.shape[0]
        if not self.weights_ or below != outputs or self.ranges_.shape != (width,):
            raise WorkbenchError("the stored network does not fit the training header")


class _Diverged(Exception):
    """An epoch's error was infinite or NaN (WEKA then restarts with half the rate)."""


class _Network:
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


def java_double_text(value: float) -> str:
    """A double as Java's ``Double.toString`` writes it (WEKA prints weights so): plain
    between 10^-3 and 10^7, else ``1.2345E88`` / ``5.0E-4``; the shortest digits that
    read back as the same double (Java 17 now and then writes one digit more)."""
    if not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    if 1e-3 <= abs(value) < 1e7:
        return repr(value)  # Python's shortest digits, always with a point here
    mantissa, _, exponent = np.format_float_scientific(value, unique=True,
                                                       trim="0").partition("e")
    return f"{mantissa}E{int(exponent)}"


def describe_network(weights: list[np.ndarray], header: Dataset, binary: bool,
                     nominal: bool, rate_used: float, rate: float, epochs: int) -> str:
    """WEKA's model text: every node's threshold and input weights, node numbers as WEKA
    gives them (outputs first, then the hidden layers in order)."""
    inputs = []
    for index, attribute in enumerate(header.attributes):
        if index == header.class_index:
            continue
        if binary and attribute.is_nominal and attribute.num_values > 2:
            inputs.extend(f"{attribute.name}={v}" for v in attribute.values)
        else:
            inputs.append(attribute.name)
    outputs = weights[-1].shape[0]
    first_id = [0] * len(weights)  # the id of each layer's first node
    next_id = outputs
    for layer in range(len(weights) - 1):
        first_id[layer] = next_id
        next_id += weights[layer].shape[0]
    kind = "Sigmoid" if nominal else "Linear"
    lines = []
    for layer in [len(weights) - 1, *range(len(weights) - 1)]:
        matrix = weights[layer]
        unit = kind if layer == len(weights) - 1 else "Sigmoid"
        for j in range(matrix.shape[0]):
            lines += [f"{unit} Node {first_id[layer] + j}", "    Inputs    Weights",
                      f"    Threshold    {java_double_text(float(matrix[j, 0]))}"]
            for i in range(1, matrix.shape[1]):
                source = (f"Attrib {inputs[i - 1]}" if layer == 0
                          else f"Node {first_id[layer - 1] + i - 1}")
                lines.append(f"    {source}    {java_double_text(float(matrix[j, i]))}")
    cls = header.class_attribute
    assert cls is not None
    for k in range(outputs):
        lines += [f"Class {cls.values[k] if nominal else cls.name}", "    Input",
                  f"    Node {k}"]
    if rate_used != rate:
        lines.append(f"(training diverged: restarted with learning rate {rate_used:g})")
    lines.append(f"trained {epochs} epochs")
    return "\n".join(lines)


def register(registry: Any) -> None:
    registry.add(WekaMultilayerPerceptron)
