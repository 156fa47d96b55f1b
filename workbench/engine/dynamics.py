"""Training dynamics: what each layer's gradients, updates and activations do while it learns.

The tutorials' lessons (the vanishing gradient of deep sigmoid networks, dead ReLU units,
saturated sigmoid units, update steps far too large or too small for the weights) are
all visible in a few numbers per layer, recorded every N optimizer steps and at the last
step of training (so the records end where training did). Recording has
to be cheap enough to leave on while a viewer watches, so:

* nothing happens on the steps in between (no hook is installed, one integer test);
* on a record step the activations are captured by a temporary hook on the forward pass
  (the layer's ``forward`` is shadowed for that one call), every statistic is computed
  on the device with ``xp``, and everything is pulled to the host in one transfer (the
  first record pulls once more, to choose the histograms' bins).

This module holds what was recorded (``TrainingDynamics``) and writes it out;
``workbench.engine.dynamics_recording`` finds a network's layers and does the measuring.

What is recorded for each parametrised layer, in the order the network applies them:

``grad_norm``
    L2 norm of the loss gradient of the layer's weights (before any gradient clipping).
``update_ratio``
    norm of the step the optimizer took / norm of the weights before it (about 1e-3 is
    the classic healthy value; far below means the layer barely learns). Measured on
    the same evenly spaced sample of the weights as their histogram (all of them in a
    layer of up to ``HISTOGRAM_SAMPLE``): copying every weight of a large layer before
    each recorded step would cost more than the steps in between.
``weight_norm``
    L2 norm of the layer's weights before the step.
``act_mean``, ``act_std``
    mean and standard deviation of every value of the layer's output over the batch.
    The output is taken after the layer's activation function when one follows it
    directly in a ``Sequential`` (Dense -> Sigmoid: the sigmoid's output), else the
    layer's own output.
``saturated``
    share of output values in a flat end of a sigmoid (below ``SIGMOID_LOW`` = 0.02 or
    above ``SIGMOID_HIGH`` = 0.98, where its slope is under 0.02) or of a tanh
    (``|tanh| > TANH_LIMIT`` = 0.97, slope under 0.06): such units pass almost no
    gradient back. NaN for other activations.
``dead``
    share of ReLU units whose output is zero for every example of the batch (for a
    convolution a unit is a channel, zero at every position too). NaN for other
    activations.

Under full-batch L-BFGS (``workbench.engine.full_batch``) a step is one L-BFGS iteration
over all rows (``step_unit`` "iteration"; "batch" under mini-batch training), and the
``epochs`` of a record is its iteration number: record k holds the gradient, weights and
activations at the point iteration k started from and the step iteration k took (so
record 1 is the untrained network, as under SGD). Every one of the first 20 iterations
is recorded, then every N-th, and the last: an L-BFGS run often ends after a few dozen
iterations, when its loss settles.
The gradient there is that of the data loss, without the L2 penalty's part (as under
SGD, where the optimizer adds the decay), and the update is the whole accepted step of
the iteration, line search included.

"Weights" are all the layer's parameters except its biases (every parameter whose name
starts with "bias"); a layer with nothing else uses all of them. Histograms of the output
values and of the weights use fixed bins per layer, chosen at the first record so every
record is drawn on the same axis: sigmoid outputs [0, 1], tanh [-1, 1], ReLU
[0, 2 x the first maximum], other outputs the first record's range widened by half of
it on each side; weights +-2 x the first record's largest magnitude. Values outside fall
into the outermost bins, a NaN value (a diverging network) into the first. A histogram
holds the share of values in each bin (they sum to 1), so batches of different sizes
compare; a layer with more than ``HISTOGRAM_SAMPLE`` values is counted on an evenly
spaced sample of them (every k-th value).
"""

from __future__ import annotations

import csv
import math
import os
import stat
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from workbench.core.atomic import atomic_write_all, check_writable
from workbench.core.errors import ParameterError, WorkbenchError

if TYPE_CHECKING:
    from workbench.engine.dynamics_recording import DynamicsRecorder, _Layer
    from workbench.engine.layers.base import Module

SIGMOID_LOW, SIGMOID_HIGH = 0.02, 0.98
TANH_LIMIT = 0.97
DEFAULT_BINS = 30
# Histograms count an evenly spaced sample of at most about this many values per layer
# and record (a large layer's 200 000 weights would cost more than the training steps
# between two records; the sample shows the same shape).
HISTOGRAM_SAMPLE = 4096
# The per-layer numbers, in the order of the arrays and of the CSV's rows.
METRICS = ("grad_norm", "update_ratio", "weight_norm", "act_mean", "act_std", "saturated",
           "dead")
# Numbers per layer and record before the two histograms: the seven METRICS.
_SCALARS = 7
# Device scalars sent per layer: squared gradient norm, squared step and weight norms of
# the sample, squared weight norm, sum and sum of squares of the output, saturated values
# and live units (counts). After them the recorder appends the two histograms' counts,
# their sample sizes, and the output's values and units (what the counts are shares of).
_SENT = 8


class TrainingDynamics:
    """Per-layer training dynamics, one row per record (every ``every`` optimizer steps,
    and the last step of training).

    Arrays are shaped (records, layers) (histograms (records, layers, bins)) and built on
    each read from what has been recorded so far; while training runs in another thread,
    read through ``snapshot()``, which copies everything under one lock so the arrays of
    the copy agree with each other. ``steps`` counts optimizer steps from 1 (the first
    record is step 1: the untrained network); ``epochs`` places each record in training
    time (2.5 = halfway through the third epoch). ``step_unit`` says what a step is:
    "batch" (one mini-batch of SGD and its relatives) or "iteration" (one full-batch
    L-BFGS iteration, where ``epochs`` holds the iteration number).
    """

    def __init__(self, every: int = 10, bins: int = DEFAULT_BINS) -> None:
        if int(every) < 1:
            raise ParameterError(f"dynamics are recorded every N steps with N >= 1, got {every}")
        if int(bins) < 2:
            raise ParameterError(f"a histogram needs at least 2 bins, got {bins}")
        self.every = int(every)
        self.bins = int(bins)
        self.step_unit = "batch"  # set by the recorder when training starts
        self._lock = threading.Lock()
        self._names: list[str] = []
        self._kinds: list[str] = []
        self._paths: list[str] = []
        self._act_edges = np.zeros((0, self.bins + 1))
        self._weight_edges = np.zeros((0, self.bins + 1))
        self._steps: list[int] = []
        self._epochs: list[float] = []
        self._rows: list[np.ndarray] = []  # each (layers, 7 + 2 bins), host float64
        self._stacked: np.ndarray | None = None

    # Reading ----------------------------------------------------------------------------
    @property
    def layer_names(self) -> list[str]:
        """One name per recorded layer, input side first ("1 Dense 784-64 sigmoid")."""
        return list(self._names)

    @property
    def layer_kinds(self) -> list[str]:
        """The activation after each layer ("sigmoid", "tanh", "relu", ...; "" for none)."""
        return list(self._kinds)

    @property
    def layer_paths(self) -> list[str]:
        """Each layer's dotted path in the network (its parameters' name prefix)."""
        return list(self._paths)

    @property
    def records(self) -> int:
        return len(self._steps)

    def __len__(self) -> int:
        return self.records

    @property
    def steps(self) -> np.ndarray:
        with self._lock:
            return np.array(self._steps, dtype=np.int64)

    @property
    def epochs(self) -> np.ndarray:
        with self._lock:
            return np.array(self._epochs, dtype=np.float64)

    def _table(self) -> np.ndarray:
        """Every record stacked, (records, layers, 7 + 2 bins); cached until the next."""
        with self._lock:
            done = 0 if self._stacked is None else self._stacked.shape[0]
            if 0 < done < len(self._rows):  # finish only the records added since
                fresh = _finish(np.stack(self._rows[done:]), self._kinds, self.bins)
                self._stacked = np.concatenate([self._stacked, fresh])
            elif done != len(self._rows) or self._stacked is None:
                width = _SCALARS + 2 * self.bins
                self._stacked = (_finish(np.stack(self._rows), self._kinds, self.bins)
                                 if self._rows else np.zeros((0, len(self._names), width)))
            return self._stacked

    def metric(self, name: str) -> np.ndarray:
        """One of ``METRICS`` as a (records, layers) array (a copy)."""
        if name not in METRICS:
            raise ParameterError(f"unknown dynamics metric '{name}' (expected one of "
                                 f"{', '.join(METRICS)})")
        return self._table()[:, :, METRICS.index(name)].copy()

    @property
    def grad_norm(self) -> np.ndarray:
        return self.metric("grad_norm")

    @property
    def update_ratio(self) -> np.ndarray:
        return self.metric("update_ratio")

    @property
    def weight_norm(self) -> np.ndarray:
        return self.metric("weight_norm")

    @property
    def act_mean(self) -> np.ndarray:
        return self.metric("act_mean")

    @property
    def act_std(self) -> np.ndarray:
        return self.metric("act_std")

    @property
    def saturated(self) -> np.ndarray:
        return self.metric("saturated")

    @property
    def dead(self) -> np.ndarray:
        return self.metric("dead")

    @property
    def act_hist(self) -> np.ndarray:
        """(records, layers, bins): share of each layer's output values in each bin."""
        return self._table()[:, :, _SCALARS:_SCALARS + self.bins].copy()

    @property
    def weight_hist(self) -> np.ndarray:
        """(records, layers, bins): share of each layer's weights in each bin."""
        return self._table()[:, :, _SCALARS + self.bins:].copy()

    @property
    def act_edges(self) -> np.ndarray:
        """(layers, bins + 1): the activation histograms' bin edges."""
        return self._act_edges.copy()

    @property
    def weight_edges(self) -> np.ndarray:
        """(layers, bins + 1): the weight histograms' bin edges."""
        return self._weight_edges.copy()

    def snapshot(self, since: TrainingDynamics | None = None) -> TrainingDynamics:
        """A consistent copy of everything recorded so far, safe to read from another
        thread while training goes on (later records do not appear in it).

        ``since`` is an earlier snapshot of this same recording (a viewer's previous
        copy): the rows it already finished are reused, so reading the new copy costs
        only the records added since, not the whole run again. Anything else (a copy of
        another run, or of this one before it restarted) is ignored.
        """
        copy = TrainingDynamics(self.every, self.bins)
        with self._lock:
            copy.step_unit = self.step_unit
            copy._names, copy._kinds = list(self._names), list(self._kinds)
            copy._paths = list(self._paths)
            copy._act_edges = self._act_edges.copy()
            copy._weight_edges = self._weight_edges.copy()
            copy._steps, copy._epochs = list(self._steps), list(self._epochs)
            copy._rows = list(self._rows)  # rows are never changed once appended
            copy._stacked = self._stacked  # never changed in place either
        if since is not None and since._stacked is not None:
            done = since._stacked.shape[0]
            own = 0 if copy._stacked is None else copy._stacked.shape[0]
            # The same run: its last finished row is the very array recorded here.
            if own < done <= min(len(copy._rows), len(since._rows)) \
                    and since._rows[done - 1] is copy._rows[done - 1]:
                copy._stacked = since._stacked
        return copy

    def last_epoch_mean(self, name: str) -> np.ndarray:
        """Per layer, the mean of ``name`` over the records of the last (possibly
        partial) epoch: the number the lessons compare between layers."""
        values, epochs = self.metric(name), self.epochs
        if not epochs.size:
            return np.full(len(self._names), np.nan)
        last = math.ceil(float(epochs[-1])) - 1
        chosen = values[epochs > last]
        return chosen.mean(axis=0) if chosen.size else values[-1:].mean(axis=0)

    # Writing ----------------------------------------------------------------------------
    def to_csv(self, path: str | Path, histograms: bool = True) -> list[Path]:
        """Write the records in long format and return the files written.

        ``path`` gets one row per record, layer and metric: ``step, epoch, layer,
        metric, value`` (a metric that does not apply to a layer, such as ``dead`` for a
        sigmoid layer, has no rows). With ``histograms`` a second file beside it,
        ``NAME.histograms.csv`` for ``NAME.csv``, gets one row per record, layer, kind
        ("activation" or "weight") and bin: ``step, epoch, layer, kind, bin, low, high,
        share``.
        """
        data = self.snapshot()
        target = Path(path)
        table, steps, epochs = data._table(), data.steps, data.epochs
        applies = [[_applies(metric, kind) for metric in METRICS] for kind in data._kinds]
        written = [target, histogram_path(target)] if histograms else [target]
        writing = target   # the file a failure inside the block belongs to
        try:
            # Both or neither: histograms beside numbers of another run would mislead.
            with atomic_write_all(written, newline="") as handles:
                out = csv.writer(handles[0])
                out.writerow(["step", "epoch", "layer", "metric", "value"])
                for r in range(table.shape[0]):
                    step, epoch = int(steps[r]), _number(epochs[r])
                    for layer, name in enumerate(data._names):
                        for m, metric in enumerate(METRICS):
                            if applies[layer][m]:
                                out.writerow([step, epoch, name, metric,
                                              _number(table[r, layer, m])])
                if histograms:
                    handles[0].flush()   # a full disk is met here, not in the next file
                    writing = written[1]
                    out = csv.writer(handles[1])
                    out.writerow(HISTOGRAM_HEADER)
                    for kind, start, edges in (("activation", _SCALARS, data._act_edges),
                                               ("weight", _SCALARS + data.bins,
                                                data._weight_edges)):
                        for r in range(table.shape[0]):
                            step, epoch = int(steps[r]), _number(epochs[r])
                            for layer, name in enumerate(data._names):
                                for b in range(data.bins):
                                    out.writerow([step, epoch, name, kind, b,
                                                  _number(edges[layer, b]),
                                                  _number(edges[layer, b + 1]),
                                                  _number(table[r, layer, start + b])])
        except OSError as error:
            failed = error.filename if error.filename in map(str, written) else writing
            others = [str(p) for p in written if str(p) != str(failed)]
            kept = f"; {', '.join(others)} not written either" if others else ""
            raise WorkbenchError(f"{failed}: cannot write the training dynamics "
                                 f"({error.strerror or error}){kept}") from None
        return written

    # Recording (called by the training loop) ------------------------------------------
    def recorder(self, model: Module, batches_per_epoch: int, *, step_unit: str = "batch",
                 record_first: int = 0) -> DynamicsRecorder:
        """The object ``fit_model`` (``fit_full_batch``: ``step_unit`` "iteration") drives
        on record steps for ``model``; steps up to ``record_first`` are all recorded."""
        from workbench.engine.dynamics_recording import DynamicsRecorder

        return DynamicsRecorder(self, model, batches_per_epoch, step_unit=step_unit,
                                record_first=record_first)

    def _start(self, layers: Sequence[_Layer], step_unit: str = "batch") -> None:
        with self._lock:
            self.step_unit = step_unit
            self._names = [layer.name for layer in layers]
            self._kinds = [layer.kind for layer in layers]
            self._paths = [layer.path for layer in layers]
            self._steps, self._epochs, self._rows = [], [], []
            self._stacked = None

    def _set_edges(self, act: np.ndarray, weight: np.ndarray) -> None:
        with self._lock:
            self._act_edges, self._weight_edges = act, weight

    def _append(self, step: int, epoch: float, row: np.ndarray) -> None:
        with self._lock:
            self._steps.append(step)
            self._epochs.append(epoch)
            self._rows.append(row)


def _finish(raw: np.ndarray, kinds: Sequence[str], bins: int) -> np.ndarray:
    """The (records, layers, 7 + 2 bins) table from what the recorder sent: squared norms
    become norms and the update ratio, sums the mean and std, counts shares; a zero
    weight norm gives a NaN ratio, an empty output NaN statistics, and the saturated and
    dead columns are NaN where the activation has none."""
    sent = raw[..., :_SENT]
    counts = raw[..., _SENT:_SENT + 2 * bins]
    sizes = np.repeat(raw[..., _SENT + 2 * bins:_SENT + 2 * bins + 2], bins, axis=-1)
    values, units = raw[..., -2], raw[..., -1]
    table = np.full((*raw.shape[:2], _SCALARS + 2 * bins), np.nan)
    norms = np.sqrt(sent[..., :4])
    table[..., 0], table[..., 2] = norms[..., 0], norms[..., 3]
    np.divide(norms[..., 1], norms[..., 2], out=table[..., 1], where=norms[..., 2] > 0)
    table[..., 3] = sent[..., 4] / values
    table[..., 4] = np.sqrt(np.maximum(sent[..., 5] / values - table[..., 3] ** 2, 0.0))
    saturating = np.array([kind in ("sigmoid", "tanh") for kind in kinds], dtype=bool)
    rectified = np.array([kind == "relu" for kind in kinds], dtype=bool)
    table[:, saturating, 5] = sent[:, saturating, 6] / values[:, saturating]
    # The device counted the units alive.
    table[:, rectified, 6] = 1.0 - sent[:, rectified, 7] / units[:, rectified]
    np.divide(counts, sizes, out=table[..., _SCALARS:], where=sizes > 0)
    return table


# The first line of every histograms file ``to_csv`` writes: how one is told from a
# file of the user's that happens to have the sidecar's name.
HISTOGRAM_HEADER = ("step", "epoch", "layer", "kind", "bin", "low", "high", "share")


def check_csv_targets(path: str | Path, histograms: bool = True) -> None:
    """Refuse, before training, what ``to_csv(path)`` could not write or should not
    replace: either file's folder missing or not writable, or a file already at the
    histograms' name that is not one we wrote.

    The histograms file is part of what ``--dynamics`` asks for, but its name is ours,
    not the user's: a scikit-learn or WEKA user expects an output option to write the
    file it names and never to replace another file without being told. So a file
    there is replaced only when it is a histograms file (an earlier run's, starting
    with ``HISTOGRAM_HEADER``), as the named CSV itself is; anything else is refused.
    """
    check_writable(path)
    if not histograms:
        return
    extra = histogram_path(path)
    check_writable(extra)
    try:
        if not stat.S_ISREG(os.stat(extra).st_mode):   # a link to a FIFO would block
            raise WorkbenchError(f"{extra}: is not a regular file; the training dynamics "
                                 f"write their histograms there, beside {path}")
        with open(extra, encoding="utf-8", errors="replace", newline="") as handle:
            first = handle.readline(256).rstrip("\r\n")
    except FileNotFoundError:
        return
    except OSError as error:
        raise WorkbenchError(f"{extra}: exists and cannot be read ({error.strerror}); "
                             f"the training dynamics write their histograms there, "
                             f"beside {path}") from None
    if tuple(first.split(",")) != HISTOGRAM_HEADER:
        raise WorkbenchError(
            f"{extra} exists and is not a histograms file written by workbench; the "
            f"training dynamics write their histograms there, beside {path}, and would "
            f"replace it: move it, or give --dynamics another name (expected no file "
            f"there, or one from an earlier run)")


def histogram_path(path: str | Path) -> Path:
    """Where ``to_csv(path)`` writes the histograms: ``out.csv`` -> ``out.histograms.csv``."""
    target = Path(path)
    stem = target.name[:-4] if target.name.lower().endswith(".csv") else target.name
    return target.with_name(stem + ".histograms.csv")


def _applies(metric: str, kind: str) -> bool:
    if metric == "saturated":
        return kind in ("sigmoid", "tanh")
    if metric == "dead":
        return kind == "relu"
    return True


def _number(value: Any) -> str:
    value = float(value)
    return "nan" if math.isnan(value) else repr(round(value, 12) if value else 0.0)
