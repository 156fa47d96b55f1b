"""Full-batch training by L-BFGS: small data in a few hundred whole-data steps.

Mini-batch SGD on 150 rows pays the per-step cost of the autodiff 19 000 times (500
epochs in batches of 4) for arithmetic that is almost nothing. L-BFGS (scipy's
``L-BFGS-B``, as scikit-learn's MLP uses for small data) instead evaluates the loss and
its gradient on all rows at once, a few hundred times, and builds curvature from the
gradients it has seen, so it reaches a minimum of the same loss in a fraction of the
time, with no learning rate to choose.

The model's parameters are seen by scipy as one float64 vector on the host: each
evaluation writes the vector into the parameters (one sanctioned host-to-device copy
per parameter) and reads the gradients back (one ``to_host`` each). On the GPU that is
one round trip per evaluation, not per batch, which is what full-batch training is for.

Training dynamics are recorded per iteration (a "step" is one L-BFGS iteration): the
gradient, weights and activations of record k are those of the evaluation at the point
iteration k starts from (captured on that evaluation's own forward pass, no extra one),
and its update is the whole step the iteration took, line search included, measured when
the iteration ends. Recording reads the parameters and gradients and never writes them,
so the weights L-BFGS reaches are the same with it and without.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from workbench.core.errors import ParameterError
from workbench.core.progress import CancelToken, ProgressCallback, check, report
from workbench.engine import backend
from workbench.engine.dynamics import TrainingDynamics
from workbench.engine.dynamics_recording import DynamicsRecorder
from workbench.engine.layers.base import Module
from workbench.engine.tensor import Tensor
from workbench.engine.training import (
    DivergenceError,
    History,
    _correct,
    _host_pair,
    _metrics,
    _to_device,
)

LossFunction = Callable[[Tensor, Any], Tensor]

# Every one of the first iterations is recorded, whatever the interval asked for: an
# L-BFGS run on small data often ends after a few dozen iterations (iris: about 50), and
# every 10th of those would leave too few records to see a trend in.
RECORD_FIRST_ITERATIONS = 20


class _Objective:
    """The loss and its gradient at a flat host vector of all parameters, with the
    training accuracy of the last point evaluated (for the history)."""

    def __init__(self, model: Module, loss_fn: LossFunction, x: Any, y: Any,
                 weight_decay: float, metrics: Sequence[str]) -> None:
        self.model, self.loss_fn, self.x, self.y = model, loss_fn, x, y
        self.params = model.parameters()
        self.weight_decay = weight_decay
        self.metrics = metrics
        self.xp = backend.array_module(self.params[0].data)
        self.device = backend.device_of(self.params[0].data)
        self.sizes = [p.data.size for p in self.params]
        # Weights (matrices and kernels) are penalised, biases are free, as in
        # scikit-learn: a penalty on a bias only shifts where a unit switches on.
        self.penalised = np.concatenate([np.full(p.data.size, p.data.ndim > 1)
                                         for p in self.params])
        self.last_x: np.ndarray | None = None
        self.last_loss = math.nan
        self.last_accuracy = math.nan
        self.evaluations = 0
        # While set, evaluations capture each layer's output for the next record, and
        # ``first_evaluated`` runs after the first evaluation (at the starting point).
        self.capture: DynamicsRecorder | None = None
        self.first_evaluated: Callable[[], None] | None = None

    def vector(self) -> np.ndarray:
        """The parameters as one float64 host vector."""
        return np.concatenate([backend.to_host(p.data).ravel() for p in self.params]
                              ).astype(np.float64)

    def load(self, theta: np.ndarray) -> None:
        """Write ``theta`` into the parameters, in place (views stay valid)."""
        start = 0
        for p, size in zip(self.params, self.sizes, strict=True):
            part = theta[start:start + size].reshape(p.data.shape).astype(p.data.dtype)
            p.data[...] = backend.to_device(part, self.device)
            start += size

    def __call__(self, theta: np.ndarray) -> tuple[float, np.ndarray]:
        self.evaluations += 1
        self.load(theta)
        for p in self.params:
            p.grad = None
        outputs = (self.capture.forward(self.model, self.x) if self.capture is not None
                   else self.model(Tensor(self.x)))
        loss = self.loss_fn(outputs, self.y)
        loss.backward()
        xp = self.xp
        parts = [loss.data.astype(np.float64).reshape(1)]
        if "accuracy" in self.metrics:
            parts.append(_correct(outputs.data, self.y, xp).astype(np.float64).reshape(1))
        parts.extend((p.grad if p.grad is not None else xp.zeros_like(p.data)
                      ).astype(np.float64).ravel() for p in self.params)
        host = backend.to_host(xp.concatenate(parts))  # one transfer per evaluation
        value = float(host[0])
        offset = 1
        if "accuracy" in self.metrics:
            self.last_accuracy = float(host[1]) / self.x.shape[0]
            offset = 2
        grad = np.array(host[offset:], dtype=np.float64)
        if self.weight_decay:
            weights = np.where(self.penalised, theta, 0.0)
            value += 0.5 * self.weight_decay * float(weights @ weights)
            grad += self.weight_decay * weights
        if not math.isfinite(value):
            raise DivergenceError(f"the loss became {'NaN' if math.isnan(value) else 'infinite'}"
                                  f" after {self.evaluations} evaluations of L-BFGS")
        self.last_x, self.last_loss = theta.copy(), value
        if self.evaluations == 1 and self.first_evaluated is not None:
            self.first_evaluated()
        return value, grad


class _IterationRecords:
    """Drives a ``DynamicsRecorder`` over L-BFGS iterations. Record k is taken in two
    halves: when the point iteration k starts from has been accepted (its gradient and
    weights, the activations its evaluation captured), and when iteration k ends (the
    step to the new point). Only evaluations that may become the start of a recorded
    iteration capture activations; the others run the plain model."""

    def __init__(self, recorder: DynamicsRecorder, objective: _Objective,
                 max_iterations: int) -> None:
        self.recorder, self.objective = recorder, objective
        self.last = max_iterations
        self.pending = 0  # the iteration whose record waits for its step, 0 for none
        # The points the last two accepted iterations reached (the objective's own
        # copies, never changed after: kept, not copied), for the last iteration's record.
        self.before_last: np.ndarray | None = None
        self.reached: np.ndarray | None = None
        objective.capture = recorder  # the starting point starts iteration 1
        objective.first_evaluated = lambda: self.accepted(0)

    def accepted(self, done: int) -> None:
        """The parameters hold the point reached after ``done`` iterations (0: the
        start), and their gradients and the captured outputs are of the evaluation
        there."""
        self.before_last, self.reached = self.reached, self.objective.last_x
        if self.pending and self.pending == done:
            self.recorder.record(done, done, 0)  # epoch position = the iteration number
        following = done + 1
        self.pending = 0
        if following <= self.last and self.recorder.due(following):
            self.recorder.before_update()
            self.pending = following
        # The evaluations of the next iteration end at the start of the one after it.
        after = following + 1
        self.objective.capture = (self.recorder if after <= self.last
                                  and self.recorder.due(after) else None)

    def finish(self, done: int, final: np.ndarray) -> None:
        """Record the last iteration (``done``) if its number was not due: L-BFGS stops
        when the loss settles, which no rule of every N-th can foresee, and the records
        must end where training did. One more evaluation, at the point that iteration
        started from, gives its gradient and activations; ``final`` is where it ended."""
        objective = self.objective
        objective.capture = None
        if done < 1 or self.recorder.due(done) or self.before_last is None:
            return
        objective.capture = self.recorder
        try:
            objective(self.before_last)
        finally:
            objective.capture = None
        self.recorder.before_update()
        objective.load(final)
        self.recorder.record(done, done, 0)


def fit_full_batch(model: Module, loss_fn: LossFunction, X: Any, y: Any, *,
                   max_iterations: int = 200, tolerance: float = 1e-6,
                   weight_decay: float = 0.0, progress: ProgressCallback | None = None,
                   cancel: CancelToken | None = None,
                   metrics: Sequence[str] | None = None,
                   dynamics: TrainingDynamics | None = None) -> History:
    """Minimise ``loss_fn(model(X), y)`` over all rows at once by L-BFGS; the model keeps
    the final weights and is left in evaluation mode.

    ``max_iterations`` bounds the L-BFGS iterations (each one or a few evaluations of
    loss and gradient), which is also what keeps a network on a few hundred rows from
    fitting their noise; ``tolerance`` stops earlier when the loss changes by less than
    that fraction per iteration. ``weight_decay`` adds ``wd/2 |W|^2`` to the loss for the
    weights W (not the biases).
    The history has one entry per iteration: the loss (with the penalty) and, for class
    targets, the training accuracy. Cancelling stops between iterations. The model runs
    in training mode, so it should hold no dropout: L-BFGS needs the same loss each
    time it asks for the same weights.
    ``dynamics`` records per-layer gradients, updates and activations of iterations 1,
    1 + N, 1 + 2N, ... (N = ``dynamics.every``), of each of the first
    ``RECORD_FIRST_ITERATIONS`` and of the last, with ``step_unit`` "iteration" and the
    iteration number as the epoch position.
    """
    if int(max_iterations) < 1:
        raise ParameterError(f"L-BFGS needs at least one iteration, got {max_iterations}")
    params = model.parameters()
    if not params:
        raise ParameterError("the model has no parameters to train")
    device = backend.device_of(params[0].data)
    X, y = _host_pair(X, y, "training")
    metrics = _metrics(metrics, y)
    x_dev, y_dev = _to_device(X, y, device, params[0].data.dtype)
    history = History()
    model.train()
    objective = _Objective(model, loss_fn, x_dev, y_dev, float(weight_decay), metrics)
    records = (_IterationRecords(dynamics.recorder(model, 1, step_unit="iteration",
                                                   record_first=RECORD_FIRST_ITERATIONS),
                                 objective, int(max_iterations))
               if dynamics is not None else None)

    def after_iteration(theta: np.ndarray) -> None:
        check(cancel)
        if objective.last_x is None or not np.array_equal(theta, objective.last_x):
            objective(theta)  # scipy's last evaluation was not at the accepted point
        iteration = len(history.loss) + 1
        values: dict[str, Any] = {"epoch": iteration, "loss": objective.last_loss}
        history.loss.append(objective.last_loss)
        if "accuracy" in metrics:
            history.accuracy.append(objective.last_accuracy)
            values["accuracy"] = objective.last_accuracy
        if records is not None:  # before the report, so a live viewer finds the record
            records.accepted(iteration)
        # One report per iteration, as fit_model reports each epoch: the live loss
        # curves draw one point per report.
        report(progress, iteration / max_iterations,
               f"L-BFGS iteration {iteration}/{max_iterations}, loss "
               f"{objective.last_loss:.4f}", **values)

    import scipy.optimize  # here, not at the top: it adds 0.2 s to every program start

    try:
        with backend.blas_threads():
            result = scipy.optimize.minimize(
                objective, objective.vector(), jac=True, method="L-BFGS-B",
                callback=after_iteration,
                options={"maxiter": int(max_iterations), "ftol": float(tolerance),
                         "gtol": 1e-8, "maxcor": 10})
            if records is not None:
                records.finish(len(history.loss), result.x)
            objective.load(result.x)
    finally:
        model.train(False)  # evaluation mode: dropout off
        model.zero_grad()   # the last evaluation's gradients, as large as the weights
    if not history.loss:  # converged before the first iteration ended
        history.loss.append(float(result.fun))
        if "accuracy" in metrics:
            history.accuracy.append(objective.last_accuracy)
    return history
