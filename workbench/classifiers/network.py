"""What the classifiers built on an engine network (MLP, CNN, RNN, DBN) have in common.

Each of them trains one engine ``Module`` with ``fit_model``, predicts through it, saves
it as a layer description plus ``net.*`` arrays and shows its weights to the viewers.
These steps must behave alike in all four (the same seed gives the same network, a
model file written by one release is read by the next, the viewers find the same
names), so they live here once, with only what really differs left to each learner:
its network, its inputs and its loss.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from workbench.classifiers.geometry import ImageGeometry
from workbench.classifiers.modelfile import stored_array
from workbench.core.errors import ParameterError, WorkbenchError
from workbench.core.params import Param
from workbench.core.progress import CancelToken, ProgressCallback
from workbench.data.dataset import Dataset
from workbench.engine import backend
from workbench.engine import functional as F
from workbench.engine import init as initializers
from workbench.engine.dynamics import TrainingDynamics
from workbench.engine.layers import Module, build_module, module_spec
from workbench.engine.optim import InverseTimeDecay, make_optimizer
from workbench.engine.training import History, fit_model
from workbench.engine.training import predict as engine_predict

# Parameters -------------------------------------------------------------------------------
# Where training runs: one declaration (a frozen Param) for every network learner. The
# initial weights are drawn on the host, so the device changes the speed and the
# rounding, not the model: a runtime setting (the Scheme line names it only when set).
DEVICE = Param.choice("auto", ("auto", "cpu", "gpu"), "Where training runs",
                      group="advanced", name="device", runtime=True)
# Training dynamics for the Dynamics viewer and --dynamics: one declaration for all.
RECORD_DYNAMICS = Param.integer(0, "Record each layer's gradient norm, "
                                "update-to-weight ratio, activation statistics and histograms "
                                "every this many training steps (a step is a mini-batch, or "
                                "an L-BFGS iteration: each of the first 20 is recorded; "
                                "the last step of training always is; shown by the "
                                "Dynamics viewer); 0 records nothing", low=0,
                                group="advanced", name="record_dynamics", runtime=True)


def new_dynamics(every: int) -> TrainingDynamics | None:
    """The object a learner hangs on ``dynamics_`` before training (so a viewer can read
    it while it grows), or None when ``record_dynamics`` is 0."""
    return TrainingDynamics(every) if int(every) > 0 else None


def early_stopping_params(data: str = "the training data",
                          phase: str | None = None) -> tuple[Param[float], Param[int]]:
    """``validation_fraction`` and ``patience``, worded for the ``data`` a share is held
    out of and the ``phase`` it stops ("training" when None), so every network learner
    offers early stopping with the same names, defaults and limits."""
    return (
        Param.number(0.0, f"Share of {data} held out to stop "
                     f"{phase + ' ' if phase else ''}early; 0 trains all epochs", low=0,
                     high=1, high_open=True, name="validation_fraction"),
        Param.integer(3, "Epochs the validation loss may fail to improve before "
                      f"{phase or 'training'} stops (with validation data)", low=1,
                      name="patience"),
    )


# Training ---------------------------------------------------------------------------------
def training_targets(y: np.ndarray, weights: np.ndarray, nominal: bool = True,
                     ) -> tuple[np.ndarray, tuple[str, ...], bool]:
    """The targets ``fit_model`` gets, the metrics it reports, and whether the data are
    weighted.

    Without instance weights a nominal class is int64 codes (so accuracy is reported)
    and a numeric one float32 values; with weights each row is ``(class, weight)`` in
    float32, for a loss that scales each row's share (accuracy would ignore the weights,
    so none is reported).
    """
    if not np.all(weights == 1.0):
        return np.column_stack([y, weights]).astype(np.float32), (), True
    if nominal:
        return y.astype(np.int64), ("accuracy",), False
    return y.astype(np.float32), (), False


def softmax_cross_entropy(weighted: bool) -> Callable[[Any, Any], Any]:
    """Softmax cross-entropy; with instance weights, each row's share scaled by its weight."""
    def loss(outputs: Any, targets: Any) -> Any:
        if not weighted:
            return F.cross_entropy(outputs, targets)
        per_row = F.cross_entropy(outputs, targets[:, 0].astype(np.int64), reduction="none")
        return (per_row * targets[:, 1]).sum() / float(outputs.data.shape[0])
    return loss


def fit_network(network: Module, loss: Callable[[Any, Any], Any], X: Any,
                targets: np.ndarray, metrics: Sequence[str], *, optimizer: str,
                learning_rate: float, weight_decay: float, momentum: float | None = None,
                l1: float | None = None, decay: bool = False, epochs: int,
                batch_size: int, validation_fraction: float, patience: int, seed: int,
                progress: ProgressCallback | None, cancel: CancelToken | None,
                model: Module | None = None, clip_grad_norm: float | None = None,
                dynamics: TrainingDynamics | None = None) -> History:
    """Train ``network`` (through ``model``, a wrapper such as augmentation, when given)
    and return its history; the network is left in evaluation mode even when training
    fails or is cancelled.

    The optimizer is built by name on the network's parameters; ``momentum`` applies to
    plain sgd only (the other optimizers have their own), ``decay`` divides the learning
    rate by the epoch number. ``patience`` stops early only when a
    ``validation_fraction`` of the rows is held out (a seeded split). ``dynamics``
    records the training dynamics into that object as training goes.
    """
    settings: dict[str, Any] = {"lr": learning_rate, "weight_decay": weight_decay}
    if l1 is not None:
        settings["l1"] = l1
    if optimizer == "sgd" and momentum is not None:
        settings["momentum"] = momentum
    steps = make_optimizer(optimizer, network.parameters(), **settings)
    try:
        return fit_model(
            network if model is None else model, loss, X, targets, steps, epochs=epochs,
            batch_size=batch_size, validation_fraction=validation_fraction,
            patience=patience if validation_fraction > 0 else None,
            clip_grad_norm=clip_grad_norm,
            schedule=InverseTimeDecay(steps, 1.0) if decay else None,
            progress=progress, cancel=cancel, seed=seed, metrics=metrics,
            dynamics=dynamics)
    finally:
        network.train(False)  # evaluation mode: dropout off
        # Failed or stopped too: the model kept holds its weights, not their gradients
        # (the optimizer's moments go with ``steps``, which nothing keeps).
        network.zero_grad()


# Prediction -------------------------------------------------------------------------------
def network_outputs(network: Module, X: np.ndarray, width: int,
                    **options: Any) -> np.ndarray:
    """The network's outputs for ``X`` as a host float64 ``(n, width)`` matrix; no rows
    give an empty matrix without running the network."""
    if X.shape[0] == 0:
        return np.zeros((0, width))
    return backend.to_host(engine_predict(network, X, **options)).astype(np.float64)


def softmax(logits: np.ndarray) -> np.ndarray:
    """Class probabilities from the scores of a softmax output layer, row by row."""
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


# Viewer hooks -----------------------------------------------------------------------------
def trained_network(model: Any) -> Any:
    """``model.network_``, refusing a model that has not been trained."""
    if model.network_ is None:
        raise WorkbenchError(f"{model.title} has not been trained yet: call fit() first")
    return model.network_


def host_arrays(parameters: Iterable[tuple[str, Any]],
                dtype: Any = None) -> dict[str, np.ndarray]:
    """Named parameters as host copies (what ``weight_arrays()`` hands the viewers, who
    must not hold device memory or see later training steps)."""
    return {name: np.array(backend.to_host(param.data), dtype=dtype)
            for name, param in parameters}


def instance_rows(dataset: Dataset, rows: Sequence[int]) -> np.ndarray:
    """``rows`` as an index array, refusing any outside the dataset by number."""
    index = np.asarray(list(rows), dtype=np.int64).reshape(-1)
    bad = index[(index < 0) | (index >= dataset.num_instances)]
    if bad.size:
        raise WorkbenchError(f"instance {int(bad[0])} is outside 0.."
                             f"{dataset.num_instances - 1} of '{dataset.relation}'")
    return index


# Description ------------------------------------------------------------------------------
def history_lines(history: Any, verb: str = "trained", note: str = "") -> list[str]:
    """The description's line on training: epochs, loss, training accuracy and the best
    validation epoch, where the history has them (none without a history).

    After early stopping the model holds the best validation epoch's weights, not the
    last epoch's: the line says so and gives that epoch's figures first, the last
    epoch's labelled as such. It read "trained 5 epochs, final loss 0.0507, training
    accuracy 98.48%, best validation epoch 2", figures of weights no longer there."""
    if not (isinstance(history, History) and history.loss):
        return []
    line = f"{verb} {history.epochs} epochs{note}"
    kept = history.best_epoch if history.restored_best else None
    if kept is not None and 1 <= kept < history.epochs:
        # (No "stopped early": the history says so also when patience ran out on the
        # last epoch asked for, and the epochs trained are said anyway.)
        return [f"{line}; the model keeps epoch {kept}'s weights, the best on "
                f"the validation data: {_epoch_figures(history, kept)}; last epoch "
                f"({history.epochs}): {_epoch_figures(history, history.epochs)}"]
    line += f", final loss {history.loss[-1]:.4f}"
    if history.accuracy:
        line += f", training accuracy {history.accuracy[-1]:.2%}"
    if history.val_loss:
        line += f", best validation epoch {history.best_epoch}"
        if history.best_epoch is not None and history.best_epoch < history.epochs:
            line += " (the weights are the last epoch's)"
    return [line]


def _epoch_figures(history: History, epoch: int) -> str:
    """Loss and accuracies of one epoch (1-based), those the history recorded."""
    figures = [("loss", history.loss, "{:.4f}"),
               ("training accuracy", history.accuracy, "{:.2%}"),
               ("validation loss", history.val_loss, "{:.4f}"),
               ("validation accuracy", history.val_accuracy, "{:.2%}")]
    return ", ".join(f"{name} {form.format(values[epoch - 1])}"
                     for name, values, form in figures if len(values) >= epoch)


# Model files ------------------------------------------------------------------------------
def network_state(network: Module) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The network's layer description (for the JSON) and its arrays, named ``net.*``.

    A network holding an infinite or NaN weight is refused: ``restore_network`` would
    refuse the file (every model we write is one we read)."""
    arrays = {"net." + k: v for k, v in network.state_dict().items()}
    for name, values in arrays.items():
        if values.dtype.kind in "fc" and not np.all(np.isfinite(values)):
            raise WorkbenchError(f"the network's '{name}' holds an infinite or NaN value "
                                 f"(training went wrong); the model cannot be saved")
    return module_spec(network), arrays


@contextmanager
def stored_network_errors(field: str = "state.network") -> Iterator[None]:
    """Turn the engine's complaint about a stored layer or array into the model file's,
    naming the ``field`` of model.json that describes the layers."""
    try:
        yield
    except ParameterError as error:
        raise WorkbenchError(f"the stored network ({field}) is damaged: {error}") from None


def restore_network(spec: Any, arrays: Mapping[str, np.ndarray], device: str) -> Any:
    """The network ``network_state`` saved, rebuilt on ``device`` in evaluation mode.

    The layer description is a stranger's JSON and only the stored arrays were charged
    against the model file's memory limits, so nothing is allocated at the size the
    description says: the layers are built on placeholders (``init.placeholders``: no
    random draws, no memory), a description asking for more arrays or numbers than the
    file stores is refused while it is built, and only when every parameter's name and
    shape equals a stored array's do the stored arrays become the weights. The stored
    weights and batch-norm statistics must be finite: training stops when its loss
    stops being finite, so no trained network holds a NaN or an infinity.
    """
    stored = {name[len("net."):]: stored_array(arrays, name, finite=True)
              for name in arrays if name.startswith("net.")}
    with stored_network_errors():
        with initializers.placeholders(arrays=len(stored),
                                       numbers=sum(int(a.size) for a in stored.values())):
            network = build_module(spec, device=device)
        network.adopt_state_dict(stored, device)
    network.train(False)  # evaluation mode: dropout off
    return network


def history_state(history: Any) -> dict[str, Any] | None:
    return history.to_dict() if isinstance(history, History) else None


def history_from_state(meta: Mapping[str, Any]) -> History | None:
    history = meta.get("history")
    return History(**history) if isinstance(history, dict) else None


def geometry_state(geometry: ImageGeometry) -> dict[str, Any]:
    return {"shape": list(geometry.shape), "columns": list(geometry.columns),
            "source": geometry.source}


def geometry_from_state(stored: Mapping[str, Any], where: str,
                        fits: Callable[[tuple[int, ...]], bool]) -> ImageGeometry:
    """The image geometry ``geometry_state`` saved; refused (naming ``where`` it should
    fit) unless it has one column per pixel and ``fits(columns)``."""
    channels, height, width = (int(v) for v in stored["shape"])
    columns = tuple(int(c) for c in stored["columns"])
    if len(columns) != channels * height * width or not fits(columns):
        raise WorkbenchError(f"the stored image geometry does not fit {where}")
    return ImageGeometry(channels, height, width, columns,
                         str(stored.get("source", "explicit")))
