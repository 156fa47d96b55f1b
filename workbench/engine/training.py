"""The mini-batch training loop: data on the device once, one host sync per epoch.

``fit_model`` moves the training (and validation) arrays to the model's device once,
draws each epoch's order as a permutation on the device, and indexes mini-batches there.
The epoch's loss and correct-prediction count are accumulated in device scalars and
pulled to the host together once per epoch, never per batch, so a GPU run does not stall
on a ``.get()`` every step (Theano's shared-variable lesson). Per-batch progress reports
carry only the batch index and are throttled to about ten a second.

Divergence is reported, not hidden: a NaN or infinite epoch loss stops training with
"the loss became NaN at epoch N: the learning rate is probably too large".
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from workbench.core.errors import ParameterError, WorkbenchError
from workbench.core.progress import CancelToken, ProgressCallback, check, report
from workbench.engine import backend
from workbench.engine.dynamics import TrainingDynamics
from workbench.engine.layers.base import Module
from workbench.engine.optim import LRSchedule, Optimizer
from workbench.engine.tensor import Tensor, no_grad

LossFunction = Callable[[Tensor, Any], Tensor]
REPORTS_PER_SECOND = 10.0
KNOWN_METRICS = ("accuracy",)
# Training data up to this size are copied into each epoch's order once (then batches
# are slices); larger data gather their batches row by row instead of doubling memory.
_REORDER_BYTES = 64 * 2**20


class DivergenceError(WorkbenchError):
    """Training produced a NaN or infinite loss."""


@dataclass
class History:
    """What happened during training, one entry per epoch run.

    ``val_loss`` / ``val_accuracy`` are empty without validation data; ``accuracy`` is
    the training accuracy when "accuracy" was asked for. ``best_epoch`` (1-based) is the
    epoch whose weights the model holds at the end when early stopping restored them.
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    best_epoch: int | None = None
    stopped_early: bool = False
    restored_best: bool = False

    @property
    def epochs(self) -> int:
        return len(self.loss)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values, for reports and saved runs."""
        return {"loss": self.loss, "accuracy": self.accuracy, "val_loss": self.val_loss,
                "val_accuracy": self.val_accuracy, "lr": self.lr,
                "best_epoch": self.best_epoch, "stopped_early": self.stopped_early,
                "restored_best": self.restored_best}


def fit_model(model: Module, loss_fn: LossFunction, X: Any, y: Any, optimizer: Optimizer,
              epochs: int = 10, batch_size: int = 32, *, shuffle: bool = True,
              validation: tuple[Any, Any] | None = None, validation_fraction: float = 0.0,
              patience: int | None = None, restore_best: bool = True,
              clip_grad_norm: float | None = None, schedule: LRSchedule | None = None,
              progress: ProgressCallback | None = None, cancel: CancelToken | None = None,
              seed: int | None = None, metrics: Sequence[str] | None = None,
              dynamics: TrainingDynamics | None = None) -> History:
    """Train ``model`` by mini-batch gradient descent and return its ``History``.

    ``loss_fn(outputs, targets)`` returns a scalar Tensor (e.g. ``F.cross_entropy``).
    Validation data come from ``validation=(X_val, y_val)`` or, failing that, from the
    last ``validation_fraction`` of a seeded shuffle of the training rows. ``patience``
    stops training when the validation loss (the training loss without validation data)
    has not improved for that many epochs, restoring the best weights unless
    ``restore_best`` is False. ``clip_grad_norm`` rescales all gradients together when
    their joint L2 norm exceeds it. ``schedule.step()`` runs after each epoch. ``metrics``
    defaults to ("accuracy",) for integer class targets and () otherwise. Float inputs
    are cast to the model's dtype; integer inputs (word codes) are kept. The same
    ``seed`` gives the same batches, dropout masks aside (those follow the layers' seeds).
    ``dynamics`` (a ``TrainingDynamics``) records per-layer gradients, updates and
    activations every ``dynamics.every`` steps and the last step of training (the last
    batch of an epoch that ``patience`` may end, too: whether it did is known only once
    the epoch is over); the steps in between cost nothing extra.
    """
    _check_settings(epochs, batch_size, validation_fraction, patience, clip_grad_norm)
    params = model.parameters()
    if not params:
        raise ParameterError("the model has no parameters to train")
    xp = backend.array_module(params[0].data)
    device = backend.device_of(params[0].data)
    dtype = params[0].data.dtype
    X, y = _host_pair(X, y, "training")
    if validation is None and validation_fraction > 0:
        X, y, validation = _split(X, y, validation_fraction, seed)
    metrics = _metrics(metrics, y)
    x_train, y_train = _to_device(X, y, device, dtype)
    if validation is not None:
        xv, yv = _host_pair(*validation, "validation")
        x_val, y_val = _to_device(xv, yv, device, dtype)
    rng = backend.seed_rng(seed, xp)
    n = x_train.shape[0]
    batches = math.ceil(n / batch_size)
    # Rows per batch (the last may be short), to weight the batch losses at epoch end.
    rows_per_batch = xp.full(batches, batch_size, dtype=np.float64)
    rows_per_batch[-1] = n - (batches - 1) * batch_size
    batch_losses = xp.empty(batches, dtype=np.float64)
    # Small data are put in each epoch's order once, and batches are then plain slices
    # (no gather per step); large data gather each batch's rows instead of copying all.
    reorder_whole = shuffle and x_train.nbytes + y_train.nbytes <= _REORDER_BYTES
    # Each row's predicted class in the epoch, by the position its targets have in ``ys``.
    predicted = xp.empty(n, dtype=y_train.dtype) if "accuracy" in metrics else None
    history = History()
    monitor = "val_loss" if validation is not None else "loss"
    best = math.inf
    best_state: list[Any] | None = None
    waited = 0
    last_report = 0.0
    recorder = dynamics.recorder(model, batches) if dynamics is not None else None
    last_step = epochs * batches
    step = 0
    with backend.blas_threads():
        for epoch in range(1, epochs + 1):
            model.train()
            order = _permutation(rng, n, xp) if shuffle else None
            xs, ys = x_train, y_train
            if reorder_whole:
                xs, ys, order = x_train[order], y_train[order], None
            count_correct = "accuracy" in metrics
            # The step that ends training is recorded, so that the records end where
            # training did: the run's last step, or the last of an epoch that patience
            # may end (whether it did is decided only after the epoch).
            closing = last_step if patience is None or waited + 1 < patience \
                else epoch * batches
            for batch in range(batches):
                if cancel is not None:
                    check(cancel)
                start = batch * batch_size
                rows = slice(start, start + batch_size)
                index = order[rows] if order is not None else rows
                xb, yb = xs[index], ys[index]
                step += 1
                noting = recorder if recorder is not None and (
                    recorder.due(step) or step == closing) else None
                outputs = noting.forward(model, xb) if noting else model(Tensor(xb))
                loss = loss_fn(outputs, yb)
                optimizer.zero_grad()
                loss.backward()
                if noting:
                    noting.before_update()
                if clip_grad_norm is not None:
                    clip_gradients(params, clip_grad_norm)
                optimizer.step()
                if noting:
                    noting.record(step, epoch, batch)
                batch_losses[batch:batch + 1] = loss.data  # a copy on the device
                if predicted is not None:  # compared with the targets at the epoch's end
                    predicted[index] = _predicted(outputs.data, xp, predicted.dtype)
                if progress is not None:
                    now = time.monotonic()
                    if now - last_report >= 1.0 / REPORTS_PER_SECOND:
                        last_report = now
                        report(progress, (epoch - 1 + (batch + 1) / batches) / epochs,
                               f"epoch {epoch}/{epochs}, batch {batch + 1}/{batches}",
                               epoch=epoch, batch=batch + 1)
            total_loss = batch_losses @ rows_per_batch
            correct = ((predicted == ys.reshape(n)).sum() if count_correct
                       else xp.zeros((), dtype=np.int64))
            summary = backend.to_host(xp.stack([total_loss, correct.astype(np.float64)]))
            epoch_loss = float(summary[0]) / n
            if not math.isfinite(epoch_loss):
                word = "NaN" if math.isnan(epoch_loss) else "infinite"
                raise DivergenceError(f"the loss became {word} at epoch {epoch}: "
                                      "the learning rate is probably too large")
            history.loss.append(epoch_loss)
            history.lr.append(optimizer.lr)
            if "accuracy" in metrics:
                history.accuracy.append(float(summary[1]) / n)
            values: dict[str, Any] = {"epoch": epoch, "batch": batches, "loss": epoch_loss}
            if history.accuracy:  # live, as the finished history has it
                values["accuracy"] = history.accuracy[-1]
            if validation is not None:
                scores = evaluate(model, loss_fn, x_val, y_val, batch_size=max(batch_size, 256),
                                  metrics=metrics)
                history.val_loss.append(scores["loss"])
                values["val_loss"] = scores["loss"]
                if "accuracy" in metrics:
                    history.val_accuracy.append(scores["accuracy"])
                    values["val_accuracy"] = scores["accuracy"]
            current = values[monitor]
            if current < best:
                best, waited = current, 0
                history.best_epoch = epoch
                if patience is not None and restore_best:
                    # Buffers too: batch normalisation's running statistics belong to
                    # the weights they were gathered with.
                    best_state = [xp.copy(p.data) for p in params]
                    best_state += [xp.copy(a) for _, a in model.named_buffers()]
            else:
                waited += 1
            if schedule is not None:
                schedule.step()
            report(progress, epoch / epochs, _epoch_message(epoch, epochs, values), **values)
            if patience is not None and waited >= patience:
                history.stopped_early = True
                break
    if best_state is not None and history.best_epoch != history.epochs:
        current = [p.data for p in params] + [a for _, a in model.named_buffers()]
        for array, saved in zip(current, best_state, strict=True):
            array[...] = saved
        history.restored_best = True
    model.train(False)  # evaluation mode: dropout off
    # The last batch's gradients are no use to a trained model, and as large as its
    # weights: a model kept after training (a result list entry) would carry them.
    model.zero_grad()
    return history


def evaluate(model: Module, loss_fn: LossFunction, X: Any, y: Any, batch_size: int = 256,
             metrics: Sequence[str] = ("accuracy",)) -> dict[str, float]:
    """Mean loss (and accuracy) over ``X``, in evaluation mode, one host transfer in all."""
    params = model.parameters()
    device = backend.device_of(params[0].data) if params else "cpu"
    dtype = params[0].data.dtype if params else backend.default_dtype()
    xp = backend.get_xp(device)
    X, y = _to_device(X, y, device, dtype)
    n = X.shape[0]
    total = xp.zeros((), dtype=np.float64)
    correct = xp.zeros((), dtype=np.int64)
    was_training = model.training
    model.train(False)  # evaluation mode: dropout off
    try:
        with no_grad(), backend.blas_threads():
            for start in range(0, n, batch_size):
                xb, yb = X[start:start + batch_size], y[start:start + batch_size]
                outputs = model(Tensor(xb))
                total += loss_fn(outputs, yb).data * xb.shape[0]
                if "accuracy" in metrics:
                    correct += _correct(outputs.data, yb, xp)
    finally:
        model.train(was_training)
    summary = backend.to_host(xp.stack([total, correct.astype(np.float64)]))
    scores = {"loss": float(summary[0]) / max(n, 1)}
    if "accuracy" in metrics:
        scores["accuracy"] = float(summary[1]) / max(n, 1)
    return scores


def predict(model: Module, X: Any, batch_size: int = 1024) -> Any:
    """The model's outputs for ``X`` as one device array, computed in evaluation mode."""
    params = model.parameters()
    device = backend.device_of(params[0].data) if params else "cpu"
    dtype = params[0].data.dtype if params else backend.default_dtype()
    xp = backend.get_xp(device)
    X = backend.to_device(X, device)
    if X.dtype.kind in "fb" and X.dtype != dtype:
        X = X.astype(dtype)
    was_training = model.training
    model.train(False)  # evaluation mode: dropout off
    try:
        with no_grad(), backend.blas_threads():
            parts = [model(Tensor(X[start:start + batch_size])).data
                     for start in range(0, X.shape[0], batch_size)]
    finally:
        model.train(was_training)
    return xp.concatenate(parts) if len(parts) != 1 else parts[0]


def clip_gradients(params: Sequence[Any], max_norm: float) -> Any:
    """Scale every gradient by min(1, max_norm / total_norm) without leaving the device.

    Gradients are replaced, not scaled in place, because the autodiff may hand the same
    array to two parameters. Returns the total norm as a device scalar.
    """
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return None
    xp = backend.array_module(grads[0])
    norm = xp.sqrt(sum((g * g).sum() for g in grads))
    scale = xp.minimum(1.0, max_norm / (norm + 1e-6)).astype(grads[0].dtype)
    for p in params:
        if p.grad is not None:
            p.grad = p.grad * scale
    return norm


def _predicted(outputs: Any, xp: Any, dtype: Any) -> Any:
    """Each row's class: the largest output, or a single output above 0.5."""
    if outputs.ndim == 2 and outputs.shape[1] > 1:
        return xp.argmax(outputs, axis=1)
    return (outputs.reshape(outputs.shape[0]) > 0.5).astype(dtype)


def _correct(outputs: Any, targets: Any, xp: Any) -> Any:
    """How many rows are classified right, as a device scalar."""
    predicted = _predicted(outputs, xp, targets.dtype)
    return (predicted == targets.reshape(targets.shape[0])).sum()


def _permutation(rng: Any, n: int, xp: Any) -> Any:
    """A random order of ``n`` rows drawn on the device."""
    if hasattr(rng, "permutation"):
        return rng.permutation(n)
    return xp.argsort(rng.random(n))


def _host_pair(X: Any, y: Any, what: str) -> tuple[Any, Any]:
    X = X if hasattr(X, "shape") else np.asarray(X)
    y = y if hasattr(y, "shape") else np.asarray(y)
    if X.shape[0] != y.shape[0]:
        raise ParameterError(
            f"the {what} inputs have {X.shape[0]} rows but the targets have {y.shape[0]}")
    if X.shape[0] == 0:
        raise ParameterError(f"the {what} data are empty")
    return X, y


def _split(X: Any, y: Any, fraction: float, seed: int | None) -> tuple[Any, Any, tuple]:
    """Hold out the last ``fraction`` of a seeded shuffle (on the host, before the move)."""
    n = X.shape[0]
    held = round(n * fraction)
    if held < 1 or held >= n:
        raise ParameterError(
            f"a validation fraction of {fraction} leaves no rows for training or for "
            f"validation out of {n}")
    X, y = backend.to_host(X), backend.to_host(y)
    order = np.random.default_rng(seed).permutation(n)
    train, val = order[:n - held], order[n - held:]
    return X[train], y[train], (X[val], y[val])


def _to_device(X: Any, y: Any, device: str, dtype: Any) -> tuple[Any, Any]:
    """One transfer each; float inputs take the model's dtype, integer inputs (word codes
    for an ``Embedding``) stay integers, booleans become floats."""
    X = backend.to_device(X, device)
    if X.dtype.kind in "fb" and X.dtype != dtype:
        X = X.astype(dtype)
    y = backend.to_device(y, device)
    if y.dtype.kind == "f" and y.dtype != dtype:
        y = y.astype(dtype)
    return X, y


def _metrics(metrics: Sequence[str] | None, y: Any) -> tuple[str, ...]:
    if metrics is None:
        return ("accuracy",) if np.dtype(y.dtype).kind in "iub" else ()
    unknown = [m for m in metrics if m not in KNOWN_METRICS]
    if unknown:
        raise ParameterError(f"unknown metric(s) {unknown} (known: {', '.join(KNOWN_METRICS)})")
    return tuple(metrics)


def _epoch_message(epoch: int, epochs: int, values: dict[str, Any]) -> str:
    parts = [f"epoch {epoch}/{epochs}", f"loss {values['loss']:.4f}"]
    if "val_loss" in values:
        parts.append(f"val loss {values['val_loss']:.4f}")
    if "val_accuracy" in values:
        parts.append(f"val accuracy {values['val_accuracy']:.2%}")
    return ", ".join(parts)


def _check_settings(epochs: int, batch_size: int, validation_fraction: float,
                    patience: int | None, clip: float | None) -> None:
    if int(epochs) < 1:
        raise ParameterError(f"training needs at least one epoch, got {epochs}")
    if int(batch_size) < 1:
        raise ParameterError(f"the batch size must be at least 1, got {batch_size}")
    if not 0.0 <= validation_fraction < 1.0:
        raise ParameterError(
            f"the validation fraction must be in [0, 1), got {validation_fraction}")
    if patience is not None and int(patience) < 1:
        raise ParameterError(f"patience must be at least 1 epoch, got {patience}")
    if clip is not None and not clip > 0:
        raise ParameterError(f"the gradient-norm limit must be positive, got {clip}")
