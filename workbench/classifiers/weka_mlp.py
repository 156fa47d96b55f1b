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

The network's nodes (initial weights, forward pass, back-propagation) are in
``weka_mlp_network.py``, the model text in ``weka_mlp_text.py``; this module is the
learner: encoding, training schedule, restarts and model files. A cross-validation
trains all folds' networks together (``fit_folds``, ``weka_mlp_folds.py``): the same
weights bit for bit, about one fold's time for all ten.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from workbench.classifiers.base import Classifier, FoldTrainer
from workbench.classifiers.capabilities import Capabilities
from workbench.classifiers.mlp import hidden_sizes
from workbench.classifiers.modelfile import stored_array
from workbench.classifiers.weka_mlp_network import (
    Diverged,
    OnlineNetwork,
    TrainingRows,
    initial_weights,
)
from workbench.classifiers.weka_mlp_text import describe_network
from workbench.core.errors import WorkbenchError
from workbench.core.params import Param
from workbench.core.progress import CancelToken, ProgressCallback, check, report
from workbench.core.weka.javarandom import JavaRandom
from workbench.data.dataset import Dataset

# WEKA's Utils.SMALL: the learning rate below which restarting gives up.
_SMALLEST_RATE = 1e-6


class NetworkCannotTrain(WorkbenchError):
    """An epoch's error overflowed and restarting with a smaller rate was not allowed."""


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


class WekaMultilayerPerceptron(Classifier, FoldTrainer):
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
    seed = Param.seed(0, "Seed of the shuffling and the initial weights (WEKA's -S)",
                      letter="S")
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
        self._set_zeror(data)
        if not self.default_model_:
            self._fit_from(data, self.learning_rate, progress, cancel)

    def _set_zeror(self, data: Dataset) -> None:
        """ZeroR's answer (kept for outputs that sum to zero) and whether only ZeroR can
        answer (no attribute besides the class)."""
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

    def _fit_from(self, data: Dataset, rate: float, progress: ProgressCallback | None,
                  cancel: CancelToken | None) -> None:
        """Train from ``rate``, halving it after each divergence as WEKA restarts."""
        while True:
            try:
                with np.errstate(over="ignore"):
                    self._train(data, rate, progress, cancel)
                self.rate_used_ = rate
                return
            except Diverged:
                rate = self.halved_rate(rate)

    def halved_rate(self, rate: float) -> float:
        """The rate WEKA restarts with after an epoch's error overflowed, or our error
        where WEKA gives up (``-R``, or a rate already too small)."""
        if not self.reset:
            raise NetworkCannotTrain(
                f"{self.title}: Network cannot train. Try restarting with a smaller "
                f"learning rate.") from None
        if rate <= _SMALLEST_RATE:
            raise NetworkCannotTrain(f"{self.title}: Learning rate got too small "
                                     f"({rate} <= {_SMALLEST_RATE})!") from None
        return rate / 2

    def prepare(self, data: Dataset) -> TrainingRows:
        """The rows in WEKA's shuffled order, encoded and scaled, and the initial weights
        (in ``weights_``), drawn from the same generator after the shuffle."""
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
        return TrainingRows(X, targets, weights, held, self.decay, self.patience,
                            self.epochs, [m.copy() for m in self.weights_])

    def network(self) -> OnlineNetwork:
        """The online network on ``weights_`` (updated in place)."""
        return OnlineNetwork(self.weights_, not self.classes_, self.normalize_class,
                             self.class_range_, self.class_base_)

    def _train(self, data: Dataset, rate: float, progress: ProgressCallback | None,
               cancel: CancelToken | None) -> None:
        rows = self.prepare(data)
        train = self.network()
        self.epochs_trained_ = 0
        errors = np.zeros(rows.errors_shape)
        for epoch in range(1, self.epochs + 1):
            check(cancel)
            train.epoch(rows.X[rows.held:], rows.targets[rows.held:],
                        rows.steps(rate, epoch), self.momentum, errors)
            self.epochs_trained_ = epoch
            error = rows.epoch_error(errors)
            stopped, error = rows.validate(epoch, error, train)
            if stopped:
                report(progress, epoch / self.epochs, f"epoch {epoch}: validation "
                       f"error {error:.6g}, stopped", epoch=epoch, loss=error)
                return
            report(progress, epoch / self.epochs, f"epoch {epoch}: error {error:.6g}",
                   epoch=epoch, loss=error)

    def fit_folds(self, trains: list[Dataset], progress: ProgressCallback | None = None,
                  cancel: CancelToken | None = None) -> list[Classifier]:
        """One fitted clone per training set, all trained together (see
        ``weka_mlp_folds``), each exactly as ``clone().fit(train)`` would train it."""
        from workbench.classifiers.weka_mlp_folds import fit_together

        return list(fit_together(self, trains, progress, cancel))

    # Prediction -------------------------------------------------------------------------
    def _outputs(self, data: Dataset) -> np.ndarray:
        if not self.is_fitted:
            raise WorkbenchError(f"{self.title} has not been trained")
        return self.network().predict(self._inputs(self._encode(data)))

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
        self.zeror_ = stored_array(arrays, "zeror", 1, finite=True).astype(np.float64)
        self.ranges_ = stored_array(arrays, "ranges", 1).astype(np.float64)
        self.bases_ = stored_array(arrays, "bases", 1).astype(np.float64)
        self.class_range_ = float(meta["class_range"])
        self.class_base_ = float(meta["class_base"])
        self.rate_used_ = float(meta["rate_used"])
        self.epochs_trained_ = int(meta["epochs_trained"])
        self.weights_ = [stored_array(arrays, f"layer.{i}", 2, finite=True).astype(np.float64)
                         for i in range(int(meta["layers"]))]
        outputs = len(self.classes_) if self.classes_ else 1
        if self.zeror_.shape != (outputs,):
            raise WorkbenchError(f"array 'zeror' has {self.zeror_.size} values, expected "
                                 f"{outputs}")
        if self.default_model_:
            return
        width = self._encode(header).shape[1]
        below = width
        for matrix in self.weights_:
            if matrix.shape[1] != below + 1:
                raise WorkbenchError("the stored network does not fit the training header")
            below = matrix.shape[0]
        if not self.weights_ or below != outputs or self.ranges_.shape != (width,):
            raise WorkbenchError("the stored network does not fit the training header")
        # (ranges and bases may be -inf and NaN: WEKA's for an all-missing column)
        if self.bases_.shape != (width,):
            raise WorkbenchError(f"array 'bases' has {self.bases_.size} values, expected "
                                 f"{width} (one per input, as 'ranges')")


def register(registry: Any) -> None:
    registry.add(WekaMultilayerPerceptron)
