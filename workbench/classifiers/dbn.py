"""Deep belief network: a stack of RBMs pre-trained without labels, then fine-tuned.

Greedy layer-wise pre-training (Hinton, Osindero and Teh 2006): the first RBM learns the
inputs by contrastive divergence (CD-k or persistent CD), each next RBM learns the hidden
means of the one below. The stack then becomes a sigmoid network, each Dense layer taking
its RBM's weights and hidden biases, a softmax layer is put on top and the whole network
is fine-tuned by back-propagation with the engine's training loop. With zero
pre-training epochs nothing is copied and the network is exactly the workbench's MLP with
sigmoid units and a softmax output, which is what makes the two comparable.

Sizes follow the data unless the user sets them: the hidden layers from the number of
input columns (MNIST's 784 pixels get the classic 500-500; iris's four measurements one
layer of 20 units) and the epochs from the number of mini-batches, so that a small table
gets about as many weight updates as a large one (iris: 5 batches an epoch, so 500
fine-tuning epochs; 8 000 MNIST digits: 250 batches, so 15), a tiny one fewer (about 20
visits per row). With MNIST's fixed 15 epochs, iris got
75 updates and predicted every row alike (33.33 %). These rules live in
``dbn_schedule.py``.

Inputs: Bernoulli visible units want values in [0, 1]. Non-negative image data (pixel
intensities) are divided by one common factor (1/255 for 8-bit pixels, see
``geometry.pixel_scale``); other non-negative data (counts, 0/1 indicators, tables) are
scaled per column from the training range to [0, 1]. Data with negative values get
Gaussian visible units and are standardised per column (``dbn_inputs.py``). Instances
whose class is missing are dropped for fine-tuning, as every classifier does, but still
take part in pre-training: unlabelled data is where a DBN earns its keep.

After training the viewers get host arrays: ``weight_arrays()`` (the fine-tuned network),
``rbm_weights(i)`` (what RBM ``i`` learned without labels), ``reconstruct`` (up through
the RBMs and back down), ``sample`` (Gibbs sampling in the top RBM, then down the stack)
and ``encode`` (the inputs as the DBN sees them, to set beside reconstructions), with
``input_geometry`` to show inputs as images.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Self

import numpy as np

from workbench.classifiers import inspection
from workbench.classifiers import network as nets
from workbench.classifiers.base import Classifier
from workbench.classifiers.capabilities import Capabilities
from workbench.classifiers.dbn_inputs import learn_inputs, scaled_inputs
from workbench.classifiers.dbn_schedule import (
    automatic_epochs,
    automatic_hidden_layers,
    early_stopping,
    finetune_progress,
    layer_settings,
    parse_per_layer,
    phase_costs,
)
from workbench.classifiers.encoding import Encoder
from workbench.classifiers.geometry import ImageGeometry, parse_shape
from workbench.classifiers.modelfile import stored_array
from workbench.classifiers.training_memory import (
    TrainingFootprint,
    check_fits,
    dense_parameters,
)
from workbench.core.errors import WorkbenchError
from workbench.core.params import Param
from workbench.core.progress import CancelToken, ProgressCallback, check, report
from workbench.data.dataset import Dataset
from workbench.engine import backend
from workbench.engine.layers import Dense, Sequential
from workbench.engine.layers.activation import Sigmoid
from workbench.engine.optim import OPTIMIZERS
from workbench.engine.rbm import RBM
from workbench.engine.training import REPORTS_PER_SECOND

# The schedule's automatic sizes are imported from here too.
__all__ = ["VISIBLE", "DeepBeliefNetwork", "automatic_epochs", "automatic_hidden_layers",
           "parse_per_layer", "rbm_init_rng", "register", "sampling_rng"]

VISIBLE = ("auto", "bernoulli", "gaussian")
# Hinton's practical guide: Gaussian visible units need a learning rate one to two
# orders of magnitude below the Bernoulli one, or the reconstructions blow up.
_AUTO_RATE = {"bernoulli": 0.1, "gaussian": 0.005}


def rbm_init_rng(seed: int, layer: int) -> np.random.Generator:
    """The generator of RBM ``layer``'s initial weights (its own stream per layer)."""
    return np.random.default_rng((seed % 2**32, layer + 1))


def sampling_rng(seed: int, xp: Any) -> Any:
    """The device generator that drives CD sampling and the mini-batch order in
    pre-training; a module function so a test can put known draws in its place."""
    return backend.seed_rng((seed + 7919) % 2**32, xp)


def _automatic_early_stopping(params: tuple[Param[Any], Param[Any]],
                              ) -> tuple[Param[Any], Param[Any]]:
    """The shared early-stopping parameters with "auto" (None) as their defaults."""
    share, patience = params
    return (dataclasses.replace(share, default=None, nullable=True, help=share.help + (
                "; auto: 0.2 from 100 to 2000 labelled instances with automatic epochs, "
                "else 0")),
            dataclasses.replace(patience, default=None, nullable=True, help=patience.help + (
                "; auto: a tenth of the fine-tuning epochs, at least 3")))


class DeepBeliefNetwork(Classifier, inspection.NamedWeights, inspection.RbmUnits,
                        inspection.RbmReconstructions, inspection.RbmSamples,
                        inspection.InputGeometry, inspection.EncoderInputs):
    """Deep belief network: RBMs pre-trained layer by layer, then fine-tuned by
    back-propagation with a softmax layer on top.

    Non-negative inputs are scaled to [0, 1] for Bernoulli visible units; signed inputs
    are standardised for Gaussian ones. Instances without a class still pre-train.
    """

    name = "dbn"
    display_name = "DBN (deep belief network)"
    category = "neural"
    aliases = ("DeepBeliefNetwork", "DBN")
    capabilities = Capabilities(min_instances=2)
    hidden_layers = Param.integers(
        None, "Units of each RBM (hidden layer), "
        "comma-separated, bottom first; auto: 500,500 for 256 inputs or more, else "
        "about four units per input (20 to 500), two layers from 64 inputs on",
        nullable=True)
    pretrain_epochs = Param.integers(
        None, "Pre-training epochs, one value for every "
        "RBM or one per RBM; 0 skips pre-training (the network is then an MLP with "
        "sigmoid units); auto: about 1000 updates (10 per instance on tiny data), 8 to "
        "500 epochs", nullable=True)
    pretrain_learning_rate = Param.text(
        "auto", "CD learning rate, one value or one "
        "per RBM; auto: 0.1 for Bernoulli visible units, 0.005 for Gaussian")
    cd_k = Param.integer(1, "Gibbs steps per contrastive-divergence update (CD-k); "
                         "1 is usually enough", low=1)
    persistent = Param.boolean(False, "Persistent CD: keep the Gibbs chains from one "
                               "mini-batch to the next instead of restarting them at the data")
    momentum = Param.number(0.5, "Momentum of the pre-training updates", low=0, high=1,
                            high_open=True)
    weight_decay = Param.number(0.0002, "L2 penalty on the RBM weights in "
                                "pre-training", low=0)
    visible = Param.choice("auto", VISIBLE, "Visible units of the first RBM: auto "
                           "uses Bernoulli units for non-negative data (scaled to [0, 1]: images "
                           "by one common factor, other data per column) and Gaussian units "
                           "(standardised data) otherwise")
    use_unlabelled = Param.boolean(True, "Pre-train on instances whose class is "
                                   "missing too (fine-tuning needs labels)")
    batch_size = Param.integer(32, "Instances per weight update, in pre-training and "
                               "fine-tuning", low=1)
    finetune_epochs = Param.integer(
        None, "Back-propagation epochs over the whole network; "
        "auto: about 3000 updates (20 per instance on tiny data), 15 to 500 "
        "epochs (iris: 500, MNIST: 15)", low=1, nullable=True)
    optimizer = Param.choice("momentum", tuple(OPTIMIZERS),
                             "How fine-tuning gradients become updates")
    finetune_learning_rate = Param.number(0.1, "Step size of fine-tuning", low=0,
                                          low_open=True)
    finetune_momentum = Param.number(0.9, "Momentum of fine-tuning with sgd", low=0,
                                     high=1, high_open=True)
    finetune_weight_decay = Param.number(0.0, "L2 penalty on the weights in "
                                         "fine-tuning", low=0)
    validation_fraction, patience = _automatic_early_stopping(
        nets.early_stopping_params("the labelled data", "fine-tuning"))
    seed = Param.seed(1, "Seed of the initial weights, the Gibbs sampling, the batches "
                         "and the validation split")
    image_shape = Param.text(
        "auto", "Channels, height, width of image inputs (e.g. "
        "1,28,28), for showing hidden units as images; auto reads pixel_ROW_COL "
        "names or a square count", group="advanced")
    device = nets.DEVICE
    record_dynamics = nets.RECORD_DYNAMICS

    def inert_params(self) -> tuple[str, ...]:
        """Settings the others leave unread: fine-tuning's momentum belongs to plain sgd
        (the default "momentum" optimizer uses 0.9 of its own)."""
        return () if self.optimizer == "sgd" else ("finetune_momentum",)

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self._layer_settings(None, 0, 0)  # refuse bad per-layer lists when they are set
        parse_shape(self.image_shape)
        self.encoder_: Encoder | None = None
        self.visible_: str = "bernoulli"
        self.factor_ = 1.0
        self.order_: np.ndarray | None = None
        self.dynamics_: Any = None  # fine-tuning's TrainingDynamics when recorded
        self.geometry_: ImageGeometry | None = None
        self.rbms_: list[RBM] = []
        self.network_: Sequential | None = None
        self.pretrain_errors_: list[list[float]] = []
        self.top_start_ = np.zeros(0)
        self._unlabelled: Dataset | None = None

    # Settings -----------------------------------------------------------------------
    def _layer_settings(self, inputs: int | None, pool: int, labelled: int
                        ) -> tuple[list[int], list[int], list[float] | None, int]:
        """Sizes, pre-training epochs and rates per RBM, and fine-tuning epochs
        (``dbn_schedule.layer_settings``)."""
        return layer_settings(self.hidden_layers, self.pretrain_epochs,
                              self.pretrain_learning_rate, self.finetune_epochs,
                              self.batch_size, inputs, pool, labelled)

    def _early_stopping(self, labelled: int, finetune: int) -> tuple[float, int]:
        """The share held out and the patience (``dbn_schedule.early_stopping``)."""
        return early_stopping(self.validation_fraction, self.patience, self.finetune_epochs,
                              labelled, finetune)

    # Inputs -------------------------------------------------------------------------
    @property
    def input_geometry(self) -> tuple[int, int, int] | None:
        """(channels, height, width) when the inputs are an image, else None."""
        return None if self.geometry_ is None else self.geometry_.shape

    def _learn_inputs(self, data: Dataset) -> None:
        """Choose the visible units and learn the scaling (and image order) of the inputs."""
        (self.geometry_, self.visible_, self.factor_, self.encoder_,
         self.order_) = learn_inputs(data, self.image_shape, self.visible)

    def _inputs(self, data: Dataset) -> np.ndarray:
        """The float32 matrix the first RBM sees (scaled, in image order when an image)."""
        if self.encoder_ is None:
            raise WorkbenchError(f"{self.title} has not been trained yet: call fit() first")
        return scaled_inputs(data, self.encoder_, self.order_, self.factor_, self.visible_)

    # Learning -----------------------------------------------------------------------
    def fit(self, dataset: Dataset, progress: ProgressCallback | None = None,
            cancel: CancelToken | None = None) -> Self:
        """Learn as every classifier does; unlabelled instances are kept for pre-training."""
        unlabelled = None
        if self.use_unlabelled and dataset.class_index is not None:
            missing = np.isnan(dataset.class_values)
            if missing.any():
                unlabelled = dataset.select_rows(np.flatnonzero(missing))
        self._unlabelled = unlabelled
        try:
            return super().fit(dataset, progress, cancel)
        finally:
            self._unlabelled = None

    def _fit(self, data: Dataset, progress: ProgressCallback | None,
             cancel: CancelToken | None) -> None:
        if not self.classes_:
            raise WorkbenchError(f"{self.title} predicts a nominal class only")
        pool = data if self._unlabelled is None else _stack(data, self._unlabelled)
        self._learn_inputs(pool)
        X = self._inputs(data)
        sizes, epochs, rates, finetune = self._layer_settings(
            X.shape[1], pool.num_instances, data.num_instances)
        device = backend.resolve_device(self.device)
        self._check_memory(X.shape[1], sizes, pool.num_instances)
        costs = phase_costs(X.shape[1], sizes, epochs, finetune,
                             len(self.classes_), pool.num_instances, data.num_instances)
        self._pretrain(self._inputs(pool), sizes, epochs, rates, device, costs, progress,
                       cancel)
        self.network_ = self._build(X.shape[1], sizes, epochs, device)
        targets, metrics, weighted = nets.training_targets(data.class_values, data.weights)
        held_out, patience = self._early_stopping(data.num_instances, finetune)
        self.dynamics_ = nets.new_dynamics(self.record_dynamics)  # readable while it grows
        self.history_ = nets.fit_network(
            self.network_, nets.softmax_cross_entropy(weighted), X, targets, metrics,
            optimizer=self.optimizer, learning_rate=self.finetune_learning_rate,
            weight_decay=self.finetune_weight_decay, momentum=self.finetune_momentum,
            epochs=finetune, batch_size=self.batch_size,
            validation_fraction=held_out, patience=patience,
            seed=self.seed, progress=finetune_progress(progress, sum(costs[:-1])),
            cancel=cancel, dynamics=self.dynamics_)

    def _check_memory(self, inputs: int, sizes: list[int], pool: int) -> None:
        """Refuse, before pre-training its first layer, a network whose training cannot
        fit in the memory free (``training_memory``): the fine-tuned network, and
        besides it the RBMs kept after pre-training (weights, gradients, momentum) and
        the hidden means of every pool row that one layer hands the next."""
        widths = [inputs, *sizes, len(self.classes_)]
        parameters = dense_parameters(widths)
        itemsize = backend.default_dtype().itemsize
        rbms = dense_parameters([inputs, *sizes]) + sum([inputs, *sizes][:-1])
        handed_on = pool * max([inputs, *sizes]) * 2
        footprint = TrainingFootprint(
            parameters, min(pool, self.batch_size) * sum(widths[1:]), itemsize,
            extra_bytes=(3 * rbms + handed_on) * itemsize)
        check_fits(self.name, footprint, f"hidden layers of "
                   f"{', '.join(map(str, sizes))} units on {inputs} inputs")

    def _pretrain(self, X: np.ndarray, sizes: list[int], epochs: list[int],
                  rates: list[float] | None, device: str, costs: list[float],
                  progress: ProgressCallback | None, cancel: CancelToken | None) -> None:
        """Greedy layer-wise CD training; each RBM learns the hidden means of the last."""
        xp = backend.get_xp(device)
        rng = sampling_rng(self.seed, xp)
        data = backend.to_device(X, device)
        self.rbms_, self.pretrain_errors_ = [], []
        done = 0.0
        width = X.shape[1]
        with backend.blas_threads():
            for i, size in enumerate(sizes):
                visible = self.visible_ if i == 0 else "bernoulli"
                rbm = RBM(width, size, visible, rng=rbm_init_rng(self.seed, i), device=device)
                rate = rates[i] if rates is not None else _AUTO_RATE[visible]
                errors: list[float] = []
                self.rbms_.append(rbm)  # visible to live viewers while it learns
                for epoch in range(1, epochs[i] + 1):
                    check(cancel)
                    on_batch = _batch_reporter(progress, i + 1, epoch, epochs[i], done,
                                               costs[i] / max(epochs[i], 1))
                    error = rbm.fit_epoch(data, batch_size=self.batch_size, lr=rate,
                                          k=self.cd_k, persistent=self.persistent, rng=rng,
                                          momentum=self.momentum,
                                          weight_decay=self.weight_decay, cancel=cancel,
                                          on_batch=on_batch)
                    if not math.isfinite(error):
                        raise WorkbenchError(
                            f"pre-training of layer {i + 1} diverged at epoch {epoch} "
                            f"(reconstruction error {error}): the pre-training learning "
                            f"rate {rate:g} is probably too large")
                    errors.append(error)
                    done += costs[i] / max(epochs[i], 1)
                    report(progress, done, f"layer {i + 1} pre-training, epoch {epoch}: "
                           f"reconstruction error {error:.4f}", phase="pretrain",
                           layer=i + 1, epoch=epoch, reconstruction_error=error)
                rbm.finish_training()   # its velocities and chain: training's alone
                self.pretrain_errors_.append(errors)
                if i + 1 < len(sizes):
                    data = rbm.transform(data)
                else:
                    self.top_start_ = backend.to_host(data.mean(axis=0)).astype(np.float64)
                width = size

    def _build(self, inputs: int, sizes: list[int], epochs: list[int],
               device: str) -> Sequential:
        """The sigmoid network, drawn exactly as the MLP draws it, then given the RBMs'
        weights and hidden biases wherever an RBM was pre-trained."""
        rng = np.random.default_rng(self.seed)
        layers: list[Any] = []
        width = inputs
        for i, size in enumerate(sizes):
            dense = Dense(width, size, init="sigmoid_uniform", rng=rng, device=device)
            if epochs[i] > 0:
                rbm = self.rbms_[i]
                dense.weight.data[...] = rbm.weight
                assert dense.bias is not None
                dense.bias.data[...] = rbm.hidden_bias
            layers += [dense, Sigmoid()]
            width = size
        layers.append(Dense(width, len(self.classes_), init="glorot_uniform", rng=rng,
                            device=device))
        return Sequential(*layers)

    # Prediction ---------------------------------------------------------------------
    def _predict_proba(self, data: Dataset) -> np.ndarray:
        if self.network_ is None:
            raise WorkbenchError(f"{self.title} has not been trained")
        return nets.softmax(nets.network_outputs(self.network_, self._inputs(data),
                                                 len(self.classes_)))

    # Viewer hooks -------------------------------------------------------------------
    def _require_rbms(self) -> list[RBM]:
        self._require_fitted()
        if not self.rbms_ or self.network_ is None:
            raise WorkbenchError(f"{self.title} has not been trained yet: call fit() first")
        return self.rbms_

    def weight_arrays(self) -> dict[str, np.ndarray]:
        """The fine-tuned network's arrays by layer: "dense1.weight" (out, in), ...,
        "output.weight" (classes, units), as host copies."""
        self._require_rbms()
        assert self.network_ is not None
        dense = [layer for layer in self.network_ if isinstance(layer, Dense)]
        names = [f"dense{i + 1}" for i in range(len(dense) - 1)] + ["output"]
        return nets.host_arrays((f"{name}.{part}", param)
                                for name, layer in zip(names, dense, strict=True)
                                for part, param in (("weight", layer.weight), ("bias", layer.bias))
                                if param is not None)

    def rbm_weights(self, layer: int) -> np.ndarray:
        """What RBM ``layer`` (0 = the bottom one, -1 = the top) learned without labels,
        shape (n_hidden, n_visible); for layer 0 each row is a pattern over the inputs."""
        self._require_fitted()
        rbms = self.rbms_  # during pre-training: the RBMs learned so far and the current one
        if not rbms:
            raise WorkbenchError(f"{self.title} has not started pre-training yet")
        if not -len(rbms) <= layer < len(rbms):
            raise WorkbenchError(f"the DBN has {len(rbms)} RBM(s); there is no RBM {layer}")
        return np.array(backend.to_host(rbms[layer].weight), dtype=np.float64)

    def encode(self, dataset: Dataset, rows: Sequence[int]) -> np.ndarray:
        """The inputs of instances ``rows`` as the first RBM sees them, (len(rows),
        n_inputs): the originals to set beside ``reconstruct``."""
        self._require_rbms()
        chosen = dataset.select_rows(nets.instance_rows(dataset, rows))
        self.check_header(chosen)  # the rows drawn, not the whole dataset (GUI thread)
        return self._inputs(chosen).astype(np.float64)

    def reconstruct(self, dataset: Dataset, rows: Sequence[int]) -> np.ndarray:
        """Instances ``rows`` passed up through every RBM (hidden means) and back down
        (visible means), shape (len(rows), n_inputs), in the space of ``encode``."""
        rbms = self._require_rbms()
        v = backend.to_device(self.encode(dataset, rows).astype(np.float32),
                              rbms[0].device)
        with backend.blas_threads():
            for rbm in rbms:
                v = rbm.hidden_probabilities(v)
            for rbm in reversed(rbms):
                v = rbm.visible_means(v)
        return np.array(backend.to_host(v), dtype=np.float64)

    def sample(self, n: int, steps: int = 200, seed: int | None = 1) -> np.ndarray:
        """``n`` inputs generated by the DBN, shape (n, n_inputs), in the space of
        ``encode``: Gibbs chains run ``steps`` sweeps in the top RBM, started from its
        average training input, and the result is carried down the stack by visible
        means."""
        rbms = self._require_rbms()
        if int(n) < 1:
            raise WorkbenchError(f"cannot draw {n} samples: ask for at least one")
        if int(steps) < 1:
            raise WorkbenchError(f"Gibbs sampling needs at least one step, got {steps}")
        top = rbms[-1]
        xp = top.xp
        rng = backend.seed_rng(None if seed is None else seed % 2**32, xp)
        mean = backend.to_device(self.top_start_.astype(top.dtype), top.device)
        shape = (int(n), top.n_visible)
        if top.visible == "bernoulli":
            start = (rng.random(shape, dtype=top.dtype) < mean).astype(top.dtype)
        else:
            start = rng.standard_normal(shape, dtype=top.dtype) + mean
        with backend.blas_threads():
            v = top.gibbs(start, int(steps), rng)
            for rbm in reversed(rbms[:-1]):
                v = rbm.visible_means(v)
        return np.array(backend.to_host(v), dtype=np.float64)

    # Description and model files ----------------------------------------------------
    def _describe(self) -> str:
        rbms = self._require_rbms()
        assert self.encoder_ is not None
        sizes = [rbms[0].n_visible, *(r.n_hidden for r in rbms), len(self.classes_)]
        scaled = {"none": f"x {self.factor_:.6g}", "range": "scaled to [0, 1] per column",
                  "standard": "standardised per column"}[self.encoder_.scaling]
        units = f"{self.visible_.capitalize()} visible units, inputs {scaled}"
        lines = [f"Deep belief network {'-'.join(map(str, sizes))} (sigmoid units, "
                 f"softmax output), {len(self.classes_)} classes", units]
        if self.geometry_ is not None:
            lines.append(f"inputs read as {self.geometry_.describe()} images")
        cd = f"{'PCD' if self.persistent else 'CD'}-{self.cd_k}"
        for i, errors in enumerate(self.pretrain_errors_):
            text = (f"final reconstruction error {errors[-1]:.5f}" if errors
                    else "not pre-trained")
            lines.append(f"  RBM {i + 1}: {rbms[i].n_visible} -> {rbms[i].n_hidden} "
                         f"({rbms[i].visible} visible), {len(errors)} {cd} epochs, {text}")
        lines += nets.history_lines(self.history_, "fine-tuned", f" ({self.optimizer})")
        return "\n".join(lines)

    def _state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        rbms = self._require_rbms()
        assert self.encoder_ is not None and self.network_ is not None
        meta, arrays = self.encoder_.state()
        spec, net = nets.network_state(self.network_)
        arrays = {**arrays, **net}
        for i, rbm in enumerate(rbms):
            for name, values in rbm.state_dict().items():
                if not np.all(np.isfinite(values)):  # _stored_rbm would refuse the file
                    raise WorkbenchError(f"RBM {i + 1}'s {name} holds an infinite or NaN "
                                         f"value (pre-training went wrong); the model "
                                         f"cannot be saved")
                arrays[f"rbm{i}.{name}"] = values
        arrays["top_start"] = self.top_start_
        if self.order_ is not None:
            arrays["order"] = self.order_
        geometry = None if self.geometry_ is None else nets.geometry_state(self.geometry_)
        return ({"encoder": meta, "visible": self.visible_, "factor": self.factor_,
                 "geometry": geometry, "rbms": [r.config() for r in rbms],
                 "network": spec, "history": nets.history_state(self.history_),
                 "pretrain_errors": self.pretrain_errors_}, arrays)

    def _set_state(self, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
        header = self._require_fitted()
        encoder = Encoder.from_state(meta["encoder"], arrays, header)
        visible = str(meta["visible"])
        if visible not in ("bernoulli", "gaussian"):
            raise WorkbenchError(f"unknown visible unit type '{visible}'")
        order = stored_array(arrays, "order", 1).astype(np.int64) if "order" in arrays \
            else None
        if order is not None and sorted(order.tolist()) != list(range(encoder.width)):
            raise WorkbenchError("the stored input order does not fit the input encoding")
        geometry = meta.get("geometry")
        self.geometry_ = None
        if isinstance(geometry, dict):
            self.geometry_ = nets.geometry_from_state(
                geometry, "the inputs", lambda columns: len(columns) == encoder.width)
        device = backend.resolve_device(self.device)
        rbms = []
        with nets.stored_network_errors("state.rbms"):
            for i, config in enumerate(meta["rbms"]):
                state = _stored_rbm(arrays, i, config)
                rbm = RBM(int(config["n_visible"]), int(config["n_hidden"]),
                          str(config["visible"]), device=device)
                rbm.load_state_dict(state)
                rbms.append(rbm)
        network = nets.restore_network(meta["network"], arrays, device)
        if not rbms or rbms[0].n_visible != encoder.width or not isinstance(
                network, Sequential):
            raise WorkbenchError("the stored RBMs do not fit the input encoding")
        for i in range(1, len(rbms)):
            if rbms[i].n_visible != rbms[i - 1].n_hidden:
                raise WorkbenchError(f"state.rbms[{i}] has {rbms[i].n_visible} visible units "
                                     f"but the RBM below it {rbms[i - 1].n_hidden} hidden")
        top_start = stored_array(arrays, "top_start", 1).astype(np.float64)
        if top_start.shape != (rbms[-1].n_visible,):
            raise WorkbenchError("the stored sampling start does not fit the top RBM")
        self.encoder_, self.visible_, self.factor_ = encoder, visible, float(meta["factor"])
        self.order_, self.rbms_, self.network_ = order, rbms, network
        self.top_start_ = top_start
        self.pretrain_errors_ = [[float(e) for e in errors]
                                 for errors in meta.get("pretrain_errors", [])]
        self.history_ = nets.history_from_state(meta)


def _stored_rbm(arrays: Mapping[str, np.ndarray], index: int,
                config: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """RBM ``index``'s stored arrays, refused unless they are finite and shaped as its
    ``state.rbms`` entry says, before the RBM is built: the entry's sizes come from a
    stranger's JSON, and an RBM built at them allocates (and draws) n_visible x
    n_hidden numbers that the model file's memory check never counted."""
    state = {name: stored_array(arrays, f"rbm{index}.{name}", finite=True)
             for name in ("weight", "visible_bias", "hidden_bias")}
    visible, hidden = int(config["n_visible"]), int(config["n_hidden"])
    expected = {"weight": (hidden, visible), "visible_bias": (visible,),
                "hidden_bias": (hidden,)}
    for name, shape in expected.items():
        if tuple(state[name].shape) != shape:
            raise WorkbenchError(
                f"state.rbms[{index}] says {visible} visible and {hidden} hidden units, "
                f"but its array 'rbm{index}.{name}' has shape {tuple(state[name].shape)} "
                f"(expected {shape})")
    return state


def _batch_reporter(progress: ProgressCallback | None, layer: int, epoch: int,
                    epochs: int, done: float, share: float
                    ) -> Callable[[int, int], None] | None:
    """Per-batch progress of one RBM epoch ("layer 1 pre-training, epoch 1/8, batch
    12/313"), at most ``REPORTS_PER_SECOND`` a second, as the other networks report
    their batches: one epoch of 500 units on MNIST takes tens of seconds, which showed
    as "fitting" and no bar. ``done`` is the fraction done before the epoch, ``share``
    the epoch's part of the whole."""
    if progress is None:
        return None
    last = [0.0]

    def on_batch(batch: int, batches: int) -> None:
        now = time.monotonic()
        if now - last[0] < 1.0 / REPORTS_PER_SECOND and batch < batches:
            return
        last[0] = now
        report(progress, done + share * batch / batches,
               f"layer {layer} pre-training, epoch {epoch}/{epochs}, batch "
               f"{batch}/{batches}", phase="pretrain", layer=layer, epoch=epoch,
               batch=batch)

    return on_batch


def _stack(labelled: Dataset, unlabelled: Dataset) -> Dataset:
    """Labelled and unlabelled rows together, for the unsupervised phase only."""
    values = np.vstack([labelled.dense_values(), unlabelled.dense_values()])
    return Dataset(labelled.relation, labelled.attributes, values,
                   class_index=labelled.class_index)


def register(registry: Any) -> None:
    registry.add(DeepBeliefNetwork)
