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

from itertools import pairwise

import numpy as np
from scipy.special import expit

from workbench.classifiers.weka_mlp import WekaMultilayerPerceptron
from workbench.classifiers.weka_mlp_network import Diverged, OnlineNetwork, TrainingRows
from workbench.core.progress import CancelToken, ProgressCallback, check, report
from workbench.data.dataset import Dataset

# WEKA's SigmoidUnit returns exactly 0 beyond this sum (see weka_mlp_network).
_CLAMP = 45.0
_running_sum = np.add.accumulate
_smallest_known = np.fmin.reduce


class FoldStack:
    """The networks of several folds as stacked arrays, trained one step per instance
    of every fold. All layers' weights live in one array per fold (``flat``), so the
    momentum update is three NumPy calls per step whatever the depth; ``weights`` are
    each layer's views of it, (folds, units, 1 + units below)."""

    def __init__(self, weights: list[np.ndarray], numeric: bool, normalize_class: bool,
                 class_range: np.ndarray, class_base: np.ndarray) -> None:
        self.numeric = numeric
        self.normalize_class = normalize_class
        self.class_range = class_range.reshape(-1, 1)  # one per fold
        self.class_base = class_base.reshape(-1, 1)
        self.shapes = [m.shape[1:] for m in weights]
        folds = weights[0].shape[0]
        self.flat = np.concatenate([m.reshape(folds, -1) for m in weights], axis=1)
        self.changes = np.zeros_like(self.flat)
        self._buffers()

    def _views(self, flat: np.ndarray) -> list[np.ndarray]:
        """Each layer's (folds, units, 1 + units below) view of a flat array."""
        views, start = [], 0
        for units, below in self.shapes:
            views.append(flat[:, start:start + units * below].reshape(-1, units, below))
            start += units * below
        return views

    def _buffers(self) -> None:
        """Views and work arrays for the current folds, reused by every step (the
        arrays are shaped to broadcast as they are, no reshaping per step)."""
        folds = self.flat.shape[0]
        self.weights = self._views(self.flat)
        self._inputs = [m[:, :, 1:] for m in self.weights]
        self._grad = np.zeros_like(self.flat)
        self._grads = self._views(self._grad)
        # Each hidden layer's values with a leading 1, (folds, 1, 1 + units).
        self._hidden = [np.ones((folds, 1, units + 1)) for units, _ in self.shapes[:-1]]
        self._units = [v[:, 0, 1:] for v in self._hidden]
        self._units.append(np.zeros((folds, self.shapes[-1][0])))
        self._products = [np.zeros((folds, *shape)) for shape in self.shapes]
        self._sums = [p[:, :, -1] for p in self._products]
        # All layers' node errors in one array (and their rate-scaled copies), so one
        # call scales them all; views per layer, also as (folds, units).
        total = sum(units for units, _ in self.shapes)
        self._delta_all = np.zeros((folds, total, 1))
        self._scaled_all = np.zeros((folds, total, 1))
        bounds = np.cumsum([0] + [units for units, _ in self.shapes])
        self._deltas = [self._delta_all[:, a:b] for a, b in pairwise(bounds)]
        self._scaled = [self._scaled_all[:, a:b] for a, b in pairwise(bounds)]
        self._delta_values = [d[:, :, 0] for d in self._deltas]
        self._backs = [np.zeros((folds, units, below - 1)) for units, below in self.shapes]
        self._back_sums = [b[:, -1, :] for b in self._backs]
        self._slopes = [np.zeros(u.shape) for u in self._units]

    def keep(self, positions: np.ndarray) -> None:
        """Only the folds at ``positions`` go on training (the others left the stack)."""
        self.flat = self.flat[positions]
        self.changes = self.changes[positions]
        self.class_range = self.class_range[positions]
        self.class_base = self.class_base[positions]
        self._buffers()

    def network(self, position: int) -> OnlineNetwork:
        """One fold's network on views of the stack (restoring its weights writes here)."""
        return OnlineNetwork([m[position] for m in self.weights], self.numeric,
                             self.normalize_class, float(self.class_range[position, 0]),
                             float(self.class_base[position, 0]))

    def epoch(self, X: np.ndarray, targets: np.ndarray, steps: np.ndarray,
              rows: np.ndarray, momentum: float, errors: np.ndarray) -> None:
        """One pass of online back-propagation for every fold: ``X`` (folds, rows, 1,
        inputs), ``targets`` and ``errors`` (folds, rows, outputs), ``steps`` each row's
        learning rate (folds, rows, 1, 1), ``rows`` each fold's number of rows (the
        arrays are padded with zeros beyond it)."""
        shortest, longest = int(rows.min()), int(rows.max())
        for row in range(shortest):
            self._step(X[:, row], targets[:, row], steps[:, row], momentum, errors[:, row])
        for row in range(shortest, longest):
            # The folds without this row step on padding, then get their weights and
            # changes back: as if they had not stepped at all.
            idle = np.flatnonzero(rows <= row)
            weights, changes = self.flat[idle], self.changes[idle]
            self._step(X[:, row], targets[:, row], steps[:, row], momentum, errors[:, row])
            self.flat[idle], self.changes[idle] = weights, changes

    def _forward(self, x: np.ndarray) -> np.ndarray:
        """The output nodes' values of every fold for its instance in ``x`` (folds, 1,
        inputs); the hidden values stay in the work arrays for back-propagation."""
        last = len(self.shapes) - 1
        values = [x, *self._hidden]
        units = self._units
        for layer, matrix in enumerate(self.weights):
            # WEKA's running sum per node: threshold first, then each input in order.
            product = self._products[layer]
            np.multiply(matrix, values[layer], out=product)
            _running_sum(product, axis=2, out=product)
            z = self._sums[layer]
            if layer == last and self.numeric:
                return z
            unit = units[layer]
            expit(z, out=unit)
            # fmin skips NaN: a fold gone NaN must not hide another fold's clamp.
            if _smallest_known(z, axis=None) < -_CLAMP:
                unit[z < -_CLAMP] = 0.0
        return units[-1]

    def held_errors(self, X: np.ndarray, targets: np.ndarray, weights: np.ndarray,
                    rows: np.ndarray) -> list[float]:
        """Each fold's ``OnlineNetwork.error`` over its held-out rows (arrays as in
        ``epoch``, ``weights`` the instances' weights): per row the running sum of the
        squared output errors over the outputs, times the row's weight, then the rows
        added in order, all as WEKA does it."""
        outputs = targets.shape[2]
        longest = int(rows.max())
        terms = np.zeros((X.shape[0], longest))
        end = np.zeros((X.shape[0], outputs))
        for row in range(longest):
            out = self._forward(X[:, row])
            if self.numeric:
                self._end_errors(out, targets[:, row], end)
            else:
                np.subtract(targets[:, row], out, out=end)
            terms[:, row] = _running_sum(end * end, axis=1)[:, -1] / outputs * weights[:, row]
        # Python's total = 0.0; total += term, row by row: a running sum from 0.0.
        return [float(_running_sum(np.concatenate(([0.0], terms[f, :n])))[-1])
                for f, n in enumerate(rows)]

    def _step(self, x: np.ndarray, target: np.ndarray, step: np.ndarray, momentum: float,
              end: np.ndarray) -> None:
        """One instance per fold: forward, back-propagate and update, each fold with the
        operations ``OnlineNetwork.epoch`` does for it alone; the output errors go to
        ``end``."""
        out = self._forward(x)
        numeric = self.numeric
        last = len(self.shapes) - 1
        values = [x, *self._hidden]
        units = self._units
        deltas, delta = self._deltas, self._delta_values[-1]
        if numeric:
            self._end_errors(out, target, end)
            np.copyto(delta, end)
        else:
            np.subtract(target, out, out=end)
            slope = self._slopes[-1]
            np.subtract(1.0, out, out=slope)
            np.multiply(out, slope, out=slope)
            np.multiply(end, slope, out=delta)
        for layer in range(last, 0, -1):
            # WEKA sums the errors of the nodes above in their order: a running sum.
            back = self._backs[layer]
            np.multiply(deltas[layer], self._inputs[layer], out=back)
            _running_sum(back, axis=1, out=back)
            h, slope = units[layer - 1], self._slopes[layer - 1]
            np.subtract(1.0, h, out=slope)
            np.multiply(h, slope, out=slope)
            np.multiply(self._back_sums[layer], slope, out=self._delta_values[layer - 1])
        np.multiply(step, self._delta_all, out=self._scaled_all)
        for layer in range(last + 1):
            np.multiply(self._scaled[layer], values[layer], out=self._grads[layer])
        # WEKA's change = rate * error * input + momentum * previous change.
        changes = self.changes
        changes *= momentum
        changes += self._grad
        self.flat += changes

    def _end_errors(self, out: np.ndarray, target: np.ndarray, end: np.ndarray) -> None:
        """``OnlineNetwork._end_errors`` for a numeric class, with each fold's own class
        range and base, written to ``end``."""
        if not self.normalize_class:
            np.subtract(target, out, out=end)
            return
        value = (0.0 + out) * self.class_range + self.class_base
        with np.errstate(divide="ignore", invalid="ignore"):
            scaled = (target - value) / self.class_range
        np.copyto(end, np.where(self.class_range == 0, 0.0, scaled))


def _padded(parts: list[np.ndarray], shape: tuple[int, ...] = ()) -> np.ndarray:
    """The folds' arrays stacked, each row reshaped to ``shape`` (else kept), the
    shorter ones padded with zeros at the end."""
    longest = max(p.shape[0] for p in parts)
    out = np.zeros((len(parts), longest, *(shape or parts[0].shape[1:])))
    for i, p in enumerate(parts):
        out[i, :p.shape[0]] = p.reshape(p.shape[0], *out.shape[2:])
    return out


def fit_together(template: WekaMultilayerPerceptron, trains: list[Dataset],
                 progress: ProgressCallback | None, cancel: CancelToken | None
                 ) -> list[WekaMultilayerPerceptron]:
    """One clone of ``template`` per training set, fitted exactly as ``clone().fit``
    fits it, the networks trained together. Progress is the share of epochs done; the
    cancel token is checked every epoch."""
    models = [template.clone() for _ in trains]
    datas = [m.prepare_fit(t) for m, t in zip(models, trains, strict=True)]
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
    X = _padded([r.X[r.held:] for r in rows], (1, rows[0].X.shape[1]))
    targets = _padded([r.targets[r.held:] for r in rows])
    counts = np.array([r.X.shape[0] - r.held for r in rows])
    # The validation rows, when there are any, checked for all folds at once.
    held_X = _padded([r.X[:r.held] for r in rows], (1, rows[0].X.shape[1]))
    held_targets = _padded([r.targets[:r.held] for r in rows], (rows[0].targets.shape[1],))
    held_weights = _padded([r.weights[:r.held] for r in rows])
    held_counts = np.array([r.held for r in rows])
    errors = np.zeros(targets.shape)
    restart: list[int] = []
    epochs = template.epochs

    def leave(position: int) -> None:
        model = models[live[position]]
        model.weights_ = [m[position].copy() for m in stack.weights]
        model.rate_used_ = rate

    for epoch in range(1, epochs + 1):
        check(cancel)
        steps = _padded([rows[i].steps(rate, epoch) for i in live], (1, 1))
        stack.epoch(X, targets, steps, counts, template.momentum, errors)
        stay = []
        held: list[float | None] = [None] * len(live)
        if held_counts.any():
            held = list(stack.held_errors(held_X, held_targets, held_weights, held_counts))
        for position, i in enumerate(live):
            models[i].epochs_trained_ = epoch
            error = rows[i].epoch_error(errors[position, :counts[position]])
            try:
                stopped, _ = rows[i].validate(epoch, error, stack.network(position),
                                              held[position])
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
            held_X, held_targets = held_X[keep], held_targets[keep]
            held_weights, held_counts = held_weights[keep], held_counts[keep]
        if not live:
            break
    return restart
