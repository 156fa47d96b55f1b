"""WEKA's MultilayerPerceptron for all folds of a cross-validation at once, same results.

Trained alone, WEKA's network costs one round of small NumPy calls per instance, and
the calls, not the arithmetic, take the time: a 10-fold cross-validation pays that ten
times. Here the folds' networks are stacked (each layer's weights ``(folds, units,
1 + units below)``) and every step forwards, back-propagates and updates one instance of
every fold in the same calls, so ten folds cost about what one did.

Each fold still gets exactly the numbers it gets alone, bit for bit: its own rows in its
own WEKA order, its own initial weights, and every sum a running sum along that fold's
own axis in WEKA's order (elementwise operations never mix folds). A fold with fewer
rows sits out the last steps of an epoch untouched (momentum's ``change *= momentum``
included); a fold whose validation error stops it leaves the stack with its best
weights; a fold that diverges leaves the stack and restarts alone with half the rate, as
WEKA would restart it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import expit

from workbench.classifiers.weka_mlp import WekaMultilayerPerceptron
from workbench.classifiers.weka_mlp_network import Diverged, OnlineNetwork, TrainingRows
from workbench.core.progress import CancelToken, ProgressCallback, check, report
from workbench.data.dataset import Dataset

# WEKA's SigmoidUnit returns exactly 0 beyond this sum (see weka_mlp_network).
_CLAMP = 45.0
_running_sum = np.add.accumulate


class FoldStack:
    """The networks of several folds as stacked arrays, trained one step per instance
    of every fold. ``weights`` and ``changes`` are per layer, fold first."""

    def __init__(self, weights: list[np.ndarray], numeric: bool, normalize_class: bool,
                 class_range: np.ndarray, class_base: np.ndarray) -> None:
        self.weights = weights
        self.changes = [np.zeros_like(m) for m in weights]
        self.numeric = numeric
        self.normalize_class = normalize_class
        self.class_range = class_range.reshape(-1, 1)  # one per fold
        self.class_base = class_base.reshape(-1, 1)

    def keep(self, positions: np.ndarray) -> None:
        """Only the folds at ``positions`` go on training (the others left the stack)."""
        self.weights = [m[positions] for m in self.weights]
        self.changes = [c[positions] for c in self.changes]
        self.class_range = self.class_range[positions]
        self.class_base = self.class_base[positions]

    def network(self, position: int) -> OnlineNetwork:
        """One fold's network on views of the stack (restoring its weights writes here)."""
        return OnlineNetwork([m[position] for m in self.weights], self.numeric,
                             self.normalize_class, float(self.class_range[position, 0]),
                             float(self.class_base[position, 0]))

    def epoch(self, X: np.ndarray, targets: np.ndarray, steps: np.ndarray,
              rows: np.ndarray, momentum: float, errors: np.ndarray) -> None:
        """One pass of online back-propagation for every fold: ``X`` (folds, rows,
        inputs), ``steps`` each row's learning rate, ``rows`` each fold's number of
        rows (the arrays are padded beyond it); the output errors land in ``errors``."""
        shortest, longest = int(rows.min()), int(rows.max())
        for row in range(shortest):
            errors[:, row] = self._step(self.weights, self.changes, X[:, row],
                                        targets[:, row], steps[:, row], momentum,
                                        self.class_range, self.class_base)
        for row in range(shortest, longest):
            # Only the folds with rows left take this step; the others stay as they are.
            live = np.flatnonzero(rows > row)
            weights = [m[live] for m in self.weights]
            changes = [c[live] for c in self.changes]
            errors[live, row] = self._step(weights, changes, X[live, row],
                                           targets[live, row], steps[live, row], momentum,
                                           self.class_range[live], self.class_base[live])
            for stacked, part in zip(self.weights + self.changes, weights + changes,
                                     strict=True):
                stacked[live] = part

    def _step(self, weights: list[np.ndarray], changes: list[np.ndarray], x: np.ndarray,
              target: np.ndarray, step: np.ndarray, momentum: float,
              class_range: np.ndarray, class_base: np.ndarray) -> np.ndarray:
        """One instance per fold: forward, back-propagate and update, each fold with the
        operations ``OnlineNetwork.epoch`` does for it alone. Returns the output errors."""
        numeric = self.numeric
        last = len(weights) - 1
        ones = np.ones((x.shape[0], 1))
        values = [x]
        units: list[np.ndarray] = []
        for layer, matrix in enumerate(weights):
            # WEKA's running sum per node: threshold first, then each input in order.
            z = _running_sum(matrix * values[layer][:, None, :], axis=2)[:, :, -1]
            if layer == last and numeric:
                units.append(z)
                break
            out = expit(z)
            low = z < -_CLAMP  # per element: a NaN in one fold must not hide another's
            if low.any():
                out[low] = 0.0
            units.append(out)
            if layer < last:
                values.append(np.concatenate((ones, out), axis=1))
        out = units[-1]
        end = self._end_errors(out, target, class_range, class_base)
        delta = end if numeric else end * (out * (1 - out))
        deltas: list[Any] = [None] * len(weights)
        deltas[-1] = delta
        for layer in range(last, 0, -1):
            h = units[layer - 1]
            # WEKA sums the errors of the nodes above in their order: a running sum.
            back = _running_sum(delta[:, :, None] * weights[layer][:, :, 1:], axis=1)
            delta = back[:, -1, :] * (h * (1 - h))
            deltas[layer - 1] = delta
        for layer, matrix in enumerate(weights):
            change = changes[layer]
            change *= momentum
            change += (step[:, None] * deltas[layer])[:, :, None] * values[layer][:, None, :]
            matrix += change
        return end

    def _end_errors(self, out: np.ndarray, target: np.ndarray, class_range: np.ndarray,
                    class_base: np.ndarray) -> np.ndarray:
        """``OnlineNetwork._end_errors`` with each fold's own class range and base."""
        if not self.numeric or not self.normalize_class:
            return target - out
        value = (0.0 + out) * class_range + class_base
        with np.errstate(divide="ignore", invalid="ignore"):
            scaled = (target - value) / class_range
        return np.where(class_range == 0, 0.0, scaled)


def _begin(model: WekaMultilayerPerceptron, dataset: Dataset) -> Dataset:
    """What ``Classifier.fit`` does before ``_fit``: refuse unsuitable data, drop rows
    with a missing class, remember the header. Returns the rows to learn from."""
    model.capabilities.check(dataset, model.title)
    known = ~np.isnan(dataset.class_values)
    train = dataset if known.all() else dataset.select_rows(known)
    header = dataset.header()
    cls = header.class_attribute
    model.history_ = None
    model.classes_ = tuple(cls.values) if cls is not None and cls.is_nominal else ()
    model.header_ = header
    return train


def _padded(parts: list[np.ndarray]) -> np.ndarray:
    """The folds' arrays stacked, the shorter ones padded with zeros at the end."""
    longest = max(p.shape[0] for p in parts)
    out = np.zeros((len(parts), longest, *parts[0].shape[1:]))
    for i, p in enumerate(parts):
        out[i, :p.shape[0]] = p
    return out


def fit_together(template: WekaMultilayerPerceptron, trains: list[Dataset],
                 progress: ProgressCallback | None, cancel: CancelToken | None
                 ) -> list[WekaMultilayerPerceptron]:
    """One clone of ``template`` per training set, fitted exactly as ``clone().fit``
    fits it, the networks trained together. Progress is the share of epochs done; the
    cancel token is checked every epoch."""
    models = [template.clone() for _ in trains]
    datas = [_begin(m, t) for m, t in zip(models, trains, strict=True)]
    for model, data in zip(models, datas, strict=True):
        model._set_zeror(data)
    if (len(models) < 2 or models[0].default_model_
            or min(d.num_instances for d in datas) < 2):
        return [template.clone().fit(t, None, cancel) for t in trains]
    rate = template.learning_rate
    with np.errstate(over="ignore"):
        rows = [m.prepare(d) for m, d in zip(models, datas, strict=True)]
        restart = _train_stacked(template, models, rows, rate, progress, cancel)
    for i in restart:
        check(cancel)
        models[i]._fit_from(datas[i], models[i].halved_rate(rate), None, cancel)
    return models


def _train_stacked(template: WekaMultilayerPerceptron,
                   models: list[WekaMultilayerPerceptron], rows: list[TrainingRows],
                   rate: float, progress: ProgressCallback | None,
                   cancel: CancelToken | None) -> list[int]:
    """Train the stacked networks; each model gets its weights and epoch count as it
    leaves the stack. Returns the models that diverged (to restart alone)."""
    stack = FoldStack([np.stack(layer) for layer in zip(*(m.weights_ for m in models),
                                                         strict=True)],
                      not models[0].classes_, template.normalize_class,
                      np.array([m.class_range_ for m in models]),
                      np.array([m.class_base_ for m in models]))
    live = list(range(len(models)))  # the models in the stack, in stack order
    X = _padded([r.X[r.held:] for r in rows])
    targets = _padded([r.targets[r.held:] for r in rows])
    counts = np.array([r.X.shape[0] - r.held for r in rows])
    errors = np.zeros(targets.shape)
    restart: list[int] = []
    epochs = template.epochs

    def leave(position: int) -> None:
        model = models[live[position]]
        model.weights_ = [m[position].copy() for m in stack.weights]
        model.rate_used_ = rate

    for epoch in range(1, epochs + 1):
        check(cancel)
        steps = _padded([rows[i].steps(rate, epoch) for i in live])
        stack.epoch(X, targets, steps, counts, template.momentum, errors)
        stay = []
        for position, i in enumerate(live):
            models[i].epochs_trained_ = epoch
            error = rows[i].epoch_error(errors[position, :counts[position]])
            try:
                stopped, _ = rows[i].validate(epoch, error, stack.network(position))
            except Diverged:
                restart.append(i)
                continue
            if stopped or epoch == epochs:
                leave(position)
            else:
                stay.append(position)
        report(progress, epoch / epochs, f"epoch {epoch}: {len(stay)} of {len(models)} "
               f"networks training")
        if len(stay) < len(live):
            keep = np.array(stay, dtype=np.intp)
            stack.keep(keep)
            live = [live[p] for p in stay]
            X, targets, counts, errors = X[keep], targets[keep], counts[keep], errors[keep]
        if not live:
            break
    return restart
