"""Multilayer perceptron trained by back-propagation on the engine, with modern defaults.

WEKA's own learner, with WEKA's initial weights and results, is ``MultilayerPerceptron``
(``weka-mlp``, in ``weka_mlp.py``); this one keeps WEKA's option letters but starts from
scaled uniform weights and trains small data by L-BFGS.

WEKA's parameters keep their letters and defaults: learning rate ``-L 0.3``, momentum
``-M 0.2``, ``-N 500`` epochs, hidden layers ``-H a`` (a comma list of sizes or the
wildcards ``a`` = (attributes + classes) / 2, ``i`` = attributes, ``o`` = classes,
``t`` = attributes + classes), ``-V`` validation percent, ``-S`` seed, ``-E`` how many
epochs the validation error may fail to improve, ``-D`` learning-rate decay. As in WEKA,
nominal attributes become 0/1 columns and numeric attributes (and a numeric class) are
scaled to [-1, 1] inside the classifier, sigmoid units are used, and the outputs are
trained on squared error; softmax with cross-entropy, other activations, every optimizer
and regulariser of the engine, mini-batches and the device are there for those who want
them. The per-epoch history is kept in ``history_`` and reported live.

On small data the default solver ("auto") trains the same network on the same loss by
full-batch L-BFGS with a small L2 penalty (as scikit-learn's MLP does) instead of
500 epochs of per-instance steps: the same or better accuracy on WEKA's datasets in a
fraction of the time. Changing any setting only SGD reads (``-L``, ``-M``, ``-N``, the
batch size, the optimizer, ``-D``, ``-V``, dropout) trains by SGD with WEKA's meaning,
and ``solver`` picks either one outright.

Viewers get ``weight_arrays()`` and ``input_geometry`` (when the inputs are an image).

Instance weights scale each instance's share of the loss.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np

from workbench.classifiers import inspection
from workbench.classifiers import network as nets
from workbench.classifiers.activation_help import ACTIVATION_HELP
from workbench.classifiers.base import Classifier, normalise_rows
from workbench.classifiers.capabilities import Capabilities
from workbench.classifiers.encoding import Encoder
from workbench.classifiers.geometry import infer_geometry
from workbench.classifiers.stuck_training import StuckWatch
from workbench.classifiers.training_memory import (
    TrainingFootprint,
    check_fits,
    dense_parameters,
)
from workbench.core.errors import ParameterError, WorkbenchError
from workbench.core.params import Param
from workbench.core.progress import CancelToken, ProgressCallback
from workbench.data.dataset import Dataset
from workbench.engine import backend
from workbench.engine import functional as F
from workbench.engine.full_batch import fit_full_batch
from workbench.engine.init import INITIALIZERS
from workbench.engine.layers import BatchNorm, Dense, Dropout, Sequential
from workbench.engine.layers.activation import (
    ELU,
    GELU,
    SELU,
    LeakyReLU,
    ReLU,
    Sigmoid,
    SiLU,
    Tanh,
)
from workbench.engine.optim import OPTIMIZERS
from workbench.engine.training import History

ACTIVATIONS = {"sigmoid": Sigmoid, "tanh": Tanh, "relu": ReLU, "leaky_relu": LeakyReLU,
               "elu": ELU, "gelu": GELU, "silu": SiLU, "selu": SELU}
# The initialisation each activation is taught with (LEARNING.md; SELU's needs LeCun's).
_INIT = {"sigmoid": "sigmoid_uniform", "tanh": "glorot_uniform", "relu": "he_uniform",
         "leaky_relu": "he_uniform", "elu": "he_uniform", "gelu": "he_uniform",
         "silu": "he_uniform", "selu": "lecun_normal"}
# image_layout (gui/plots/model_arrays.py) never reads fewer square-counted inputs as an
# image; input_geometry keeps to the same rule so the viewers see what they saw before.
_SMALLEST_SQUARE_IMAGE = 49
# Up to this many rows "auto" trains by full-batch L-BFGS (one evaluation is then a few
# GEMMs of at most this many rows); above it mini-batch SGD learns faster per second.
LBFGS_MAX_ROWS = 10_000
# Full-size float64 vectors L-BFGS keeps (scipy's 10 correction pairs, the point, its
# gradient, the search direction and their copies), beyond the network's own arrays.
_LBFGS_VECTORS = 26
# Settings that only mini-batch training reads: changing one makes "auto" choose SGD.
_SGD_SETTINGS = ("learning_rate", "momentum", "epochs", "batch_size", "optimizer", "decay",
                 "validation_percent", "dropout", "l1", "batch_norm")
_LAYERS = re.compile(r"^\s*([0-9aiot]+)(\s*,\s*[0-9aiot]+)*\s*$")


def hidden_sizes(spec: str, attributes: int, classes: int) -> list[int]:
    """WEKA's -H: comma-separated sizes or wildcards; "0" or "" means no hidden layer."""
    if not spec.strip() or spec.strip() == "0":
        return []
    if not _LAYERS.match(spec):
        raise ParameterError(f"hidden layers '{spec}' are not understood (expected sizes "
                             f"or wildcards a, i, o, t separated by commas, e.g. 'a' or "
                             f"'10,5')")
    wild = {"a": (attributes + classes) // 2, "i": attributes, "o": classes,
            "t": attributes + classes}
    sizes = []
    for part in spec.split(","):
        part = part.strip()
        size = wild[part] if part in wild else int(part)
        if size <= 0:
            raise ParameterError(f"hidden layers '{spec}': layer '{part}' has no units")
        sizes.append(size)
    return sizes


class MultilayerPerceptron(Classifier, inspection.DenseNetwork, inspection.InputGeometry,
                           inspection.EncoderInputs):
    """Multilayer perceptron trained by back-propagation, L-BFGS on small data.

    Hidden layers of sigmoid (or tanh, ReLU...) units; WEKA's option letters. WEKA's own
    learner, with WEKA's results, is MultilayerPerceptron (``weka-mlp``).
    """

    name = "mlp"
    display_name = "MLP (multilayer perceptron: L-BFGS or mini-batch back-propagation)"
    category = "neural"   # with the CNN, DBN and RNN, where a learner looks; WEKA's own is weka-mlp
    aliases = ()
    capabilities = Capabilities(numeric_class=True)
    hidden_layers = Param.text("a", "Hidden layer sizes, comma-separated; wildcards "
                               "a = (attributes + classes) / 2, i = attributes, o = classes, "
                               "t = attributes + classes; 0 for none", letter="H")
    learning_rate = Param.number(0.3, "Step size of the weight updates", low=0,
                                 low_open=True, letter="L")
    momentum = Param.number(0.2, "Share of the previous update added to each update "
                            "(sgd)", low=0, high=1, high_open=True, letter="M")
    epochs = Param.integer(500, "Passes over the training data", low=1, letter="N")
    validation_percent = Param.number(0.0, "Percent of the training data held out to "
                                      "stop training early; 0 trains all epochs", low=0, high=100,
                                      high_open=True, letter="V")
    patience = Param.integer(20, "Epochs the validation error may fail to improve before "
                             "training stops (with validation data)", low=1, letter="E")
    seed = Param.seed(0, "Seed of the initial weights, the shuffling and the "
                         "validation split", letter="S")
    decay = Param.boolean(False, "Divide the learning rate by the epoch number",
                          letter="D")
    activation = Param.choice("sigmoid", tuple(ACTIVATIONS),
                              "Activation of the hidden units",
                              help_per_choice=ACTIVATION_HELP)
    layer_activations = Param.text(
        "", "One activation per hidden layer, separated by "
        "commas (e.g. 'relu,tanh'); empty uses 'activation' for every layer",
        group="advanced")
    loss = Param.choice("squared_error", ("squared_error", "cross_entropy"),
                        "squared_error: sigmoid outputs, as WEKA; cross_entropy: softmax "
                        "outputs (nominal class)")
    solver = Param.choice("auto", ("auto", "lbfgs", "sgd"),
                          "How the weights are trained: sgd is WEKA's back-propagation in "
                          "mini-batches (learning rate, momentum, epochs); lbfgs minimises the "
                          "same loss on all rows at once, far faster on small data; auto picks "
                          "lbfgs for up to 10 000 rows while the sgd settings (learning rate, "
                          "momentum, epochs, batch size, optimizer, decay, validation, dropout, "
                          "L1) keep their defaults, and sgd as soon as one differs from its "
                          "default; solver sgd trains as WEKA does even with WEKA's values")
    max_iterations = Param.integer(500, "Most L-BFGS iterations (lbfgs solver); fewer "
                                   "fit the training rows less closely", low=1, group="advanced")
    lbfgs_penalty = Param.number(
        5e-5, "L2 penalty on the weights (not the biases) "
        "while training by L-BFGS, added to weight_decay: a network fitted to "
        "all rows at once otherwise grows weights that fit their noise", low=0,
        group="advanced")
    optimizer = Param.choice("sgd", tuple(OPTIMIZERS),
                             "How gradients become updates (sgd uses the momentum above)")
    batch_size = Param.integer(
        4, "Instances per weight update; WEKA updates after every "
        "instance (1), 4 gives the same accuracy on WEKA's sets in a quarter of "
        "the time", low=1)
    init = Param.choice("auto", ("auto", *sorted(k for k in INITIALIZERS if k != "zeros")),
                        "Initial weights; auto: sigmoid_uniform for sigmoid units, Glorot for "
                        "tanh, He for the ReLU family", group="advanced")
    weight_decay = Param.number(0.0, "L2 penalty on the weights", low=0,
                                group="advanced")
    l1 = Param.number(0.0, "L1 penalty on the weights", low=0, group="advanced")
    dropout = Param.number(0.0, "Share of hidden units dropped while training", low=0,
                           high=1, high_open=True, group="advanced")
    batch_norm = Param.boolean(False, "Batch normalisation of each hidden layer before "
                               "its activation (mini-batch training; predictions use the "
                               "running statistics)", group="advanced")
    scaling = Param.choice("symmetric", ("symmetric", "range", "standard", "none"),
                           "How numeric attributes are scaled: to [-1, 1] as WEKA does, to [0, 1], "
                           "to mean 0 and standard deviation 1, or not at all (WEKA's -I)",
                           flags={"I": "none"}, group="advanced")
    normalize_class = Param.boolean(True, "Scale a numeric class to [-1, 1] while "
                                    "training", group="advanced")
    device = nets.DEVICE
    record_dynamics = nets.RECORD_DYNAMICS

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self.encoder_: Encoder | None = None
        self.network_: Any = None
        self.sizes_: list[int] = []
        self.class_offset_ = 0.0
        self.class_scale_ = 1.0
        self.solver_ = "sgd"
        self.dynamics_: Any = None  # TrainingDynamics while/after recording, else None
        self.warning_ = ""  # why training got stuck at chance (``StuckWatch``), if it did

    # Building ---------------------------------------------------------------------------
    def inert_params(self) -> tuple[str, ...]:
        """Settings the others leave unread: momentum belongs to plain sgd alone (the
        momentum and nesterov optimizers use 0.9; the others none)."""
        return () if self.optimizer == "sgd" else ("momentum",)

    def _outputs(self) -> int:
        return len(self.classes_) if self.classes_ else 1

    def _activations(self) -> list[str]:
        """The activation of each hidden layer, checked against the layer count."""
        if not self.layer_activations.strip():
            return [self.activation] * len(self.sizes_)
        names = [n.strip().lower() for n in self.layer_activations.split(",")]
        unknown = [n for n in names if n not in ACTIVATIONS]
        if unknown:
            raise ParameterError(f"layer_activations: unknown activation '{unknown[0]}' "
                                 f"(expected one of {', '.join(ACTIVATIONS)})")
        if len(names) != len(self.sizes_):
            raise ParameterError(f"layer_activations names {len(names)} activation(s) but "
                                 f"the network has {len(self.sizes_)} hidden layer(s)")
        return names

    def _build(self, inputs: int, device: str) -> Sequential:
        rng = np.random.default_rng(self.seed)
        layers: list[Any] = []
        width = inputs
        for size, activation in zip(self.sizes_, self._activations(), strict=True):
            init = _INIT[activation] if self.init == "auto" else self.init
            layers.append(Dense(width, size, init=init, rng=rng, device=device))
            if self.batch_norm:
                layers.append(BatchNorm(size, device=device))
            layers.append(ACTIVATIONS[activation]())
            if self.dropout > 0:
                layers.append(Dropout(self.dropout, seed=self.seed, device=device))
            width = size
        out_init = ("sigmoid_uniform" if self.loss == "squared_error" else "glorot_uniform"
                    ) if self.init == "auto" else self.init
        layers.append(Dense(width, self._outputs(), init=out_init, rng=rng, device=device))
        if self.classes_ and self.loss == "squared_error":
            layers.append(Sigmoid())
        return Sequential(*layers)

    def _loss(self, weighted: bool) -> Any:
        n_out = self._outputs()
        nominal = bool(self.classes_)
        cross_entropy = self.loss == "cross_entropy" and nominal
        if cross_entropy:
            return nets.softmax_cross_entropy(weighted)
        eye: dict[str, Any] = {}

        def loss(outputs: Any, targets: Any) -> Any:
            xp = backend.array_module(outputs.data)
            w = targets[:, 1] if weighted else None
            t = targets[:, 0] if weighted else targets
            batch = outputs.data.shape[0]
            if nominal:
                if "eye" not in eye:
                    eye["eye"] = xp.eye(n_out, dtype=outputs.data.dtype)
                goal = eye["eye"][t if t.dtype == np.int64 else t.astype(np.int64)]
            else:
                goal = t.reshape(-1, 1).astype(outputs.data.dtype)
            # WEKA's error 1/2 sum (t - o)^2 per instance, averaged over the batch; one
            # fused op without weights, as this runs once per (tiny) SGD step.
            if w is None:
                return F.mse_loss(outputs, goal, reduction="sum") * (0.5 / batch)
            diff = outputs - goal
            return (diff * diff * w.reshape(-1, 1).astype(outputs.data.dtype)).sum() * (
                0.5 / batch)

        return loss

    # Learning ---------------------------------------------------------------------------
    def chosen_solver(self, rows: int) -> str:
        """"lbfgs" or "sgd": the solver asked for, or for "auto" the one that suits
        ``rows`` training rows and the settings.

        WEKA's -L/-M/-N mean SGD, so changing any setting that only SGD reads (or
        dropout, or an L1 penalty, which L-BFGS cannot minimise) trains by SGD exactly
        as WEKA would; left at their defaults, small data get L-BFGS, which reaches
        WEKA's accuracy in a fraction of the steps.
        """
        if self.solver == "lbfgs":
            for name in ("dropout", "validation_percent", "l1", "batch_norm"):
                if getattr(self, name) != self.param(name).default:
                    raise ParameterError(f"the lbfgs solver trains on all rows at once and "
                                         f"takes no {name.replace('_', ' ')}: use solver "
                                         f"sgd (or auto) for it")
            return "lbfgs"
        if self.solver == "sgd" or rows > LBFGS_MAX_ROWS:
            return "sgd"
        changed = any(getattr(self, name) != self.param(name).default
                      for name in _SGD_SETTINGS)
        return "sgd" if changed else "lbfgs"

    def _fit(self, data: Dataset, progress: ProgressCallback | None,
             cancel: CancelToken | None) -> None:
        if self.loss == "cross_entropy" and not self.classes_:
            raise ParameterError("cross_entropy needs a nominal class; use squared_error "
                                 "for a numeric class")
        self.encoder_ = Encoder(self.scaling, "binary").fit(data)
        X = self.encoder_.transform(data, np.float32)
        y = data.class_values.copy()
        self.sizes_ = hidden_sizes(self.hidden_layers, X.shape[1], self._outputs())
        if not self.classes_:
            lo, hi = (float(y.min()), float(y.max())) if y.size else (0.0, 0.0)
            if self.normalize_class and hi > lo:
                self.class_offset_, self.class_scale_ = (hi + lo) / 2, 2.0 / (hi - lo)
            else:
                self.class_offset_, self.class_scale_ = 0.0, 1.0
            y = (y - self.class_offset_) * self.class_scale_
        device = backend.resolve_device(self.device)
        self.solver_ = self.chosen_solver(X.shape[0])
        self._check_memory(X.shape[0], X.shape[1])
        self.network_ = self._build(X.shape[1], device)
        targets, metrics, weighted = nets.training_targets(y, data.weights,
                                                           nominal=bool(self.classes_))
        # Set before training, so a viewer can read it while it grows.
        self.dynamics_ = nets.new_dynamics(self.record_dynamics)
        self.warning_ = ""
        if self.solver_ == "lbfgs":  # a recorded step is one L-BFGS iteration
            self.history_ = fit_full_batch(
                self.network_, self._loss(weighted), X, targets,
                max_iterations=self.max_iterations,
                weight_decay=self.weight_decay + self.lbfgs_penalty,
                progress=progress, cancel=cancel, metrics=metrics, dynamics=self.dynamics_)
            return
        watch = StuckWatch(progress, self.network_, X, y, len(self.classes_),
                           self.learning_rate, self.seed) if self.classes_ else None
        self.history_ = nets.fit_network(
            self.network_, self._loss(weighted), X, targets, metrics,
            optimizer=self.optimizer, learning_rate=self.learning_rate,
            weight_decay=self.weight_decay, momentum=self.momentum, l1=self.l1,
            decay=self.decay, epochs=self.epochs, batch_size=self.batch_size,
            validation_fraction=self.validation_percent / 100.0, patience=self.patience,
            seed=self.seed, progress=progress if watch is None else watch, cancel=cancel,
            dynamics=self.dynamics_)
        self.warning_ = watch.warning if watch is not None else ""

    def _check_memory(self, rows: int, inputs: int) -> None:
        """Refuse, before building it, a network whose training cannot fit in the memory
        free (``training_memory``): L-BFGS runs every row through it at once and keeps
        a float64 history of the weights, SGD one batch."""
        widths = [inputs, *self.sizes_, self._outputs()]
        parameters = dense_parameters(widths)
        lbfgs = self.solver_ == "lbfgs"
        batch = rows if lbfgs else min(rows, self.batch_size)
        activations = batch * sum(widths[1:]) * (2 if self.batch_norm else 1)
        footprint = TrainingFootprint(
            parameters, activations, backend.default_dtype().itemsize,
            extra_bytes=parameters * 8 * _LBFGS_VECTORS if lbfgs else 0)
        layers = ", ".join(map(str, self.sizes_)) or "none"
        check_fits(self.name, footprint, f"a network with hidden layers of {layers} "
                   f"units on {inputs} inputs")

    # Prediction -------------------------------------------------------------------------
    def _raw(self, data: Dataset) -> np.ndarray:
        if self.encoder_ is None or self.network_ is None:
            raise WorkbenchError(f"{self.title} has not been trained")
        return nets.network_outputs(self.network_, self.encoder_.transform(data, np.float32),
                                    self._outputs())

    def _predict_proba(self, data: Dataset) -> np.ndarray:
        out = self._raw(data)
        if self.loss == "cross_entropy":
            out = np.exp(out - out.max(axis=1, keepdims=True))
        # WEKA normalises the sigmoid outputs into a distribution.
        return normalise_rows(np.clip(out, 0.0, None))

    def _predict_values(self, data: Dataset) -> np.ndarray:
        return self._raw(data)[:, 0] / self.class_scale_ + self.class_offset_

    # Viewer hooks -------------------------------------------------------------------
    @property
    def input_geometry(self) -> tuple[int, int, int] | None:
        """(channels, height, width) when the encoded inputs are an image's pixels in image
        order, else None (the viewers then map an image in another order themselves)."""
        header, encoder = self.header_, self.encoder_
        if header is None or encoder is None:
            return None
        try:
            geometry = infer_geometry(header)
        except WorkbenchError:
            return None
        if geometry.source == "square" and geometry.size < _SMALLEST_SQUARE_IMAGE:
            return None
        if np.any(encoder.sizes_ != 1) or encoder.columns_.tolist() != list(geometry.columns):
            return None
        return geometry.shape

    def weight_arrays(self) -> dict[str, np.ndarray]:
        """Every learned array by its position in the network ("0.weight" (out, in),
        "0.bias", ...), as float64 host copies: the names and values the viewers read
        from ``network_`` before this hook; none before training."""
        if self.network_ is None:
            return {}
        return nets.host_arrays(self.network_.named_parameters(), np.float64)

    def dense_layers(self) -> list[inspection.DenseLayer]:
        """The fully connected layers, input side first ("dense layer 1", ...): what the
        hidden-unit tiles and the network diagram draw; none before training."""
        return inspection.dense_layers_of(self.weight_arrays())

    @property
    def step_unit(self) -> str:
        """What one point of the learning curve is: an "iteration" of L-BFGS over all
        rows at once, or an "epoch" of mini-batch SGD (read by the learning-curve view)."""
        return "iteration" if self.solver_ == "lbfgs" else "epoch"

    # Description and model files ----------------------------------------------------
    def _describe(self) -> str:
        assert self.encoder_ is not None
        sizes = [self.encoder_.width, *self.sizes_, self._outputs()]
        lines = [f"MLP {'-'.join(map(str, sizes))} "
                 f"({', '.join(dict.fromkeys(self._activations())) or 'no'} hidden units, "
                 f"{self.loss.replace('_', ' ')})"]
        history = self.history_
        if isinstance(history, History) and history.loss and self.step_unit == "iteration":
            lines.append(f"trained by L-BFGS on all rows at once, {history.epochs} "
                         f"iterations, final loss {history.loss[-1]:.6g}")
        elif isinstance(history, History) and history.loss:
            lines.append(f"trained {history.epochs} epochs, final loss "
                         f"{history.loss[-1]:.6g}"
                         + (f", best validation epoch {history.best_epoch}"
                            if history.val_loss else ""))
        for name, param in self.network_.named_parameters():
            values = backend.to_host(param.data)
            lines.append(f"  {name}: shape {tuple(values.shape)}, mean {values.mean():.4g}, "
                         f"sd {values.std():.4g}")
        return "\n".join(lines)

    def _state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        assert self.encoder_ is not None
        meta, arrays = self.encoder_.state()
        spec, net = nets.network_state(self.network_)
        return ({"encoder": meta, "network": spec, "sizes": self.sizes_,
                 "class_offset": self.class_offset_, "class_scale": self.class_scale_,
                 "solver": self.solver_, "history": nets.history_state(self.history_),
                 **({"warning": self.warning_} if self.warning_ else {})},
                {**arrays, **net})

    def _set_state(self, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
        header = self._require_fitted()
        self.encoder_ = Encoder.from_state(meta["encoder"], arrays, header)
        self.sizes_ = [int(s) for s in meta["sizes"]]
        self.class_offset_ = float(meta["class_offset"])
        self.class_scale_ = float(meta["class_scale"])
        self.solver_ = "lbfgs" if meta.get("solver") == "lbfgs" else "sgd"  # older: sgd
        network = nets.restore_network(meta["network"], arrays,
                                       backend.resolve_device(self.device))
        first = next(iter(network.parameters()), None)
        if first is None or first.data.shape[1] != self.encoder_.width:
            raise WorkbenchError("the stored network does not fit the input encoding")
        self.network_ = network
        self.history_ = nets.history_from_state(meta)
        warning = meta.get("warning", "")
        # Printed in the report under Warnings: the file's own text, so one line of
        # printable characters (no newline to fake report lines, no terminal escapes).
        if not isinstance(warning, str) or len(warning) > MAX_WARNING_CHARS \
                or not warning.isprintable():
            raise WorkbenchError(f"the model's training warning is not one line of at "
                                 f"most {MAX_WARNING_CHARS} printable characters")
        self.warning_ = warning


# The longest training warning a model file may carry (StuckWatch's are under 300).
MAX_WARNING_CHARS = 1000


def register(registry: Any) -> None:
    registry.add(MultilayerPerceptron)
