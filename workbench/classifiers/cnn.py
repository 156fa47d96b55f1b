"""Convolutional network on the engine: LeNet-like by default, any architecture by a line.

The image shape comes from the data (``geometry``), the layers from a readable line
(``cnn_spec``: ``conv(20,5)-pool(2)-conv(50,5)-pool(2)-dense(500)``), and a softmax output
layer trained on cross-entropy is added on top. Unless the user sets them, the
architecture fits the image size (LeNet from 16x16 on, 3x3 'same' convolutions below:
8x8 digits work) and the epochs the number of mini-batches (at least about 1000 updates:
8 epochs for 8 000 MNIST digits, about 40 for 1 600 8x8 digits). Pixels are scaled
inside the classifier (0-255 intensities to [0, 1] by default), so a saved model takes
raw data exactly as the training file held it. Optional augmentation (random shifts,
small rotations, noise) is drawn per mini-batch on the training device, so every epoch
sees new variants at no host cost and the test data are never touched.

After training the viewers get host arrays: ``weight_arrays()``, ``conv_filters(i)`` and
``feature_maps(dataset, row)`` (each layer's output for one instance).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from workbench.classifiers import inspection
from workbench.classifiers import network as nets
from workbench.classifiers.activation_help import ACTIVATION_HELP
from workbench.classifiers.base import Classifier
from workbench.classifiers.capabilities import Capabilities
from workbench.classifiers.cnn_spec import (
    ACTIVATIONS,
    AUTO,
    build_network,
    is_auto,
    parse_spec,
    resolve_architecture,
)
from workbench.classifiers.cnn_stored import check_image_layers
from workbench.classifiers.geometry import (
    ImageGeometry,
    guessed_too_small,
    infer_geometry,
    parse_shape,
    pixel_scale,
)
from workbench.classifiers.modelfile import stored_array
from workbench.classifiers.training_memory import TrainingFootprint, check_fits, product
from workbench.core.errors import WorkbenchError
from workbench.core.params import Param
from workbench.core.progress import CancelToken, ProgressCallback
from workbench.data.dataset import Dataset
from workbench.engine import backend
from workbench.engine import init as initializers
from workbench.engine.layers import (
    AvgPool2D,
    BatchNorm,
    Conv2D,
    Dropout,
    Flatten,
    MaxPool2D,
    Module,
    Sequential,
)
from workbench.engine.optim import OPTIMIZERS
from workbench.engine.tensor import Tensor, no_grad

SCALINGS = ("auto", "unit", "standard", "none")
_SCALE_ROWS = 1024  # rows scaled per block when images are made
# Automatic epochs: about this many updates, never fewer epochs than LeNet's 8 on MNIST.
_UPDATES, _LEAST_EPOCHS, _MOST_EPOCHS = 1000, 8, 200


def automatic_epochs(rows: int, batch_size: int) -> int:
    """Epochs giving about 1000 mini-batch updates (8 at least, 200 at most)."""
    batches = max(1, math.ceil(rows / batch_size))
    return max(_LEAST_EPOCHS, min(_MOST_EPOCHS, math.ceil(_UPDATES / batches)))


class ConvolutionalNetwork(Classifier, inspection.NamedWeights, inspection.ConvFilters,
                           inspection.InputGeometry):
    """Convolutional neural network (LeNet-like, sized to the images) for image data.

    Each non-class attribute is one pixel; the image shape is read from names such as
    pixel_ROW_COL, from a square number of attributes, or given as image_shape.
    """

    name = "cnn"
    display_name = "CNN (convolutional neural network)"
    category = "neural"
    aliases = ("ConvolutionalNetwork", "LeNet")
    capabilities = Capabilities(
        nominal_attributes=False, date_attributes=False, min_instances=2,
        string_hint="for text: rnn with --conv-filters (a 1-D convolution over word "
                    "embeddings), or FilteredClassifier with StringToWordVector")
    architecture = Param.text(
        AUTO, "Hidden layers, e.g. conv(20,5)-pool(2)-dense(500): "
        "conv(filters,kernel[,stride[,padding]]), pool/maxpool/avgpool(size), "
        "dense(units), dropout(p), bn (batch norm), relu/tanh/sigmoid/elu/leaky_relu; the softmax "
        "output layer is added. auto: LeNet (conv(20,5)-pool(2)-conv(50,5)-pool(2)"
        "-dense(500)) for images of 16x16 or more, 3x3 'same' convolutions on "
        "smaller ones")
    activation = Param.choice("relu", (*ACTIVATIONS, "none"),
                              "Activation after each conv and dense layer the architecture leaves "
                              "without one",
                              help_per_choice={**ACTIVATION_HELP,
                                               "none": "no activation: the layers stay "
                                                       "linear, so stacking them adds "
                                                       "nothing a single layer could not do"})
    image_shape = Param.text("auto", "Channels, height, width of the images (e.g. "
                             "1,28,28); auto reads pixel_ROW_COL names or a square count")
    scaling = Param.choice("auto", SCALINGS,
                           "Pixel scaling: auto brings 0-255 (or 0-max) intensities to [0, 1] and "
                           "standardises signed data; unit maps the training range to [0, 1]; "
                           "standard to mean 0, sd 1")
    optimizer = Param.choice("adam", tuple(OPTIMIZERS), "How gradients become updates")
    learning_rate = Param.number(0.001, "Step size of the weight updates", low=0,
                                 low_open=True)
    momentum = Param.number(0.9, "Momentum of plain sgd", low=0, high=1,
                            high_open=True)
    batch_size = Param.integer(64, "Images per weight update", low=1)
    epochs = Param.integer(None, "Passes over the training data; auto: about 1000 "
                           "updates (8 epochs at least, 200 at most)", low=1, nullable=True)
    dropout = Param.number(0.5, "Share of the last hidden layer's units dropped while "
                           "training", low=0, high=1, high_open=True)
    weight_decay = Param.number(0.0, "L2 penalty on the weights", low=0)
    validation_fraction, patience = nets.early_stopping_params()
    shift_pixels = Param.integer(0, "Augmentation: move each training image by up to this "
                                 "many pixels", low=0, group="augmentation")
    rotate_degrees = Param.number(0.0, "Augmentation: turn each training image by up to "
                                  "this many degrees", low=0, high=180, group="augmentation")
    noise = Param.number(0.0, "Augmentation: Gaussian noise (sd, on scaled pixels) "
                         "added to each training image", low=0, group="augmentation")
    seed = Param.seed(1, "Seed of the initial weights, batches, dropout, augmentation "
                         "and validation split")
    device = nets.DEVICE
    record_dynamics = nets.RECORD_DYNAMICS

    def inert_params(self) -> tuple[str, ...]:
        """Settings the others leave unread: momentum belongs to plain sgd alone (the
        momentum and nesterov optimizers use 0.9; the others none)."""
        return () if self.optimizer == "sgd" else ("momentum",)

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        if not is_auto(self.architecture):
            parse_spec(self.architecture)  # refuse a bad architecture when it is set
        parse_shape(self.image_shape)
        self.geometry_: ImageGeometry | None = None
        self.network_: Sequential | None = None
        self.layer_names_: list[str] = []
        self.dynamics_: Any = None  # TrainingDynamics while/after recording, else None
        self.architecture_ = ""
        self.fill_ = np.zeros(0)
        self.offset_ = 0.0
        self.scale_ = 1.0

    # Inputs -------------------------------------------------------------------------
    @property
    def input_geometry(self) -> tuple[int, int, int] | None:
        """(channels, height, width) of the images the model takes, None before training."""
        return None if self.geometry_ is None else self.geometry_.shape

    def _learn_inputs(self, data: Dataset) -> np.ndarray:
        """Learn geometry, missing-pixel fills and scaling; return the training images."""
        self.geometry_ = infer_geometry(data, self.image_shape)
        if guessed_too_small(self.geometry_):
            size = self.geometry_.size
            self.geometry_ = None
            raise WorkbenchError(
                f"{self.title} needs images: the {size} numeric attributes of "
                f"'{data.relation}' are not named pixel_ROW_COL and are too few to be "
                f"taken for a square image; name them pixel_ROW_COL or give image_shape")
        raw = self._pixels(data)
        missing = np.isnan(raw)
        gaps = bool(missing.any())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an all-missing pixel
            fill = (np.nanmean(raw, axis=0) if gaps else raw.mean(axis=0)) if raw.size \
                else np.zeros(raw.shape[1])
        self.fill_ = np.where(np.isnan(fill), 0.0, fill)
        known = raw[~missing] if gaps else raw  # no copy of a full table
        offset, scale = 0.0, 1.0
        mode = self.scaling
        if mode == "auto":
            factor = pixel_scale(known)
            mode = "standard" if factor == 0.0 else "auto"
            scale = factor or 1.0
        if mode == "unit" and known.size:
            low, high = float(known.min()), float(known.max())
            offset, scale = low, (1.0 / (high - low) if high > low else 1.0)
        elif mode == "standard" and known.size:
            sd = float(known.std())
            offset, scale = float(known.mean()), (1.0 / sd if sd > 0 else 1.0)
        self.offset_, self.scale_ = offset, scale
        return self._images(data, raw)

    def _pixels(self, data: Dataset) -> np.ndarray:
        """The (n, C*H*W) pixels, read-only: a view of the table where the pixel columns
        are consecutive and in image order (MNIST's), else a copy in image order."""
        assert self.geometry_ is not None
        columns = self.geometry_.columns
        first = columns[0] if columns else 0
        if not data.is_sparse and columns == tuple(range(first, first + len(columns))):
            return data.X[:, first:first + len(columns)]
        return self.geometry_.flat(data)

    def _images(self, data: Dataset, raw: np.ndarray | None = None) -> np.ndarray:
        """The scaled ``(n, C, H, W)`` float32 images of a dataset with the training header
        (``raw``: its pixels when already read by ``_pixels``, never written to)."""
        assert self.geometry_ is not None
        if raw is None:
            raw = self._pixels(data)
        missing = np.isnan(raw)
        if missing.any():
            raw = np.where(missing, self.fill_, raw)
        out = np.empty(raw.shape, dtype=np.float32)
        # Scaled in float64 as before, a block of rows at a time: the same values without
        # a float64 copy of the whole table.
        for start in range(0, raw.shape[0], _SCALE_ROWS):
            block = raw[start:start + _SCALE_ROWS] - self.offset_
            block *= self.scale_
            out[start:start + _SCALE_ROWS] = block
        return out.reshape(-1, *self.geometry_.shape)

    # Learning -----------------------------------------------------------------------
    def _fit(self, data: Dataset, progress: ProgressCallback | None,
             cancel: CancelToken | None) -> None:
        if not self.classes_:
            raise WorkbenchError(f"{self.title} predicts a nominal class only")
        X = self._learn_inputs(data)
        assert self.geometry_ is not None  # _learn_inputs sets it or raises
        device = backend.resolve_device(self.device)
        self.architecture_ = resolve_architecture(self.architecture, self.geometry_.shape)
        self._check_memory(X.shape[0])
        built = build_network(parse_spec(self.architecture_), self.geometry_.shape,
                              len(self.classes_), activation=self.activation,
                              dropout=self.dropout, rng=np.random.default_rng(self.seed),
                              device=device, spec=self.architecture_)
        self.network_, self.layer_names_ = built.network, built.names
        targets, metrics, weighted = nets.training_targets(data.class_values, data.weights)
        augment = self._augmenter(device)
        self.dynamics_ = nets.new_dynamics(self.record_dynamics)  # readable while it grows
        self.history_ = nets.fit_network(
            self.network_, nets.softmax_cross_entropy(weighted), X, targets, metrics,
            optimizer=self.optimizer, learning_rate=self.learning_rate,
            weight_decay=self.weight_decay, momentum=self.momentum,
            epochs=self.epochs or automatic_epochs(X.shape[0], self.batch_size),
            batch_size=self.batch_size, validation_fraction=self.validation_fraction,
            patience=self.patience, seed=self.seed, progress=progress, cancel=cancel,
            model=None if augment is None else _Training(self.network_, augment),
            dynamics=self.dynamics_)

    def _check_memory(self, rows: int) -> None:
        """Refuse, before building it, a network whose training cannot fit in the memory
        free (``training_memory``). The layers are first built on placeholders (no
        arrays: ``init.placeholders``), which follows the shapes exactly as training
        will; one batch keeps every layer's output, and a convolution unfolds its input
        (channels x kernel area per output pixel) on top."""
        assert self.geometry_ is not None
        unlimited = 1 << 62
        with initializers.placeholders(arrays=unlimited, numbers=unlimited):
            built = build_network(parse_spec(self.architecture_), self.geometry_.shape,
                                  len(self.classes_), activation=self.activation,
                                  dropout=self.dropout, rng=np.random.default_rng(self.seed),
                                  device="cpu", spec=self.architecture_)
        parameters = sum(product(p.data.shape) for p in built.network.parameters())
        per_image = product(self.geometry_.shape) + sum(product(s) for s in built.shapes)
        for layer, shape in zip(built.network, built.shapes, strict=True):
            weight = getattr(layer, "weight", None)
            if weight is not None and len(weight.data.shape) == 4:  # (out, in, kh, kw)
                _, channels, kh, kw = weight.data.shape
                per_image += channels * kh * kw * product(shape[1:])
        footprint = TrainingFootprint(parameters, min(rows, self.batch_size) * per_image,
                                      backend.default_dtype().itemsize)
        check_fits(self.name, footprint, f"the architecture '{self.architecture_}' on "
                   f"{'x'.join(map(str, self.geometry_.shape))} images")

    def _augmenter(self, device: str) -> Callable[[Any], Any] | None:
        if not (self.shift_pixels or self.rotate_degrees or self.noise):
            return None
        xp = backend.get_xp(device)
        rng = backend.seed_rng(self.seed + 7919, xp)
        background = -self.offset_ * self.scale_  # where a raw 0 pixel lands after scaling
        shift, angle, noise = float(self.shift_pixels), math.radians(self.rotate_degrees), \
            float(self.noise)
        return lambda x: augment_batch(x, rng, shift, angle, noise, background)

    # Prediction ---------------------------------------------------------------------
    def _network(self) -> Sequential:
        """The trained network, refusing a model that has not been trained."""
        if self.network_ is None:
            raise WorkbenchError(f"{self.title} has not been trained")
        return self.network_

    def _logits(self, data: Dataset) -> np.ndarray:
        network = self._network()
        return nets.network_outputs(network, self._images(data), len(self.classes_),
                                    batch_size=512)

    def _predict_proba(self, data: Dataset) -> np.ndarray:
        return nets.softmax(self._logits(data))

    # Viewer hooks -------------------------------------------------------------------
    def _layers(self) -> list[tuple[str, Module]]:
        return list(zip(self.layer_names_, nets.trained_network(self), strict=True))

    def weight_arrays(self) -> dict[str, np.ndarray]:
        """Every learned array by layer name ("conv1.weight" (out, in, kh, kw), "dense1.weight"
        (out, in), "output.bias", ...), as host copies."""
        return nets.host_arrays((f"{name}.{pname}", param) for name, layer in self._layers()
                                for pname, param in layer.named_parameters())

    def conv_filters(self, layer: int) -> np.ndarray:
        """The kernels of convolution ``layer`` (0 = conv1, -1 = the last), shape
        (out_channels, in_channels, kh, kw), as a host copy."""
        convs = [module for _, module in self._layers() if isinstance(module, Conv2D)]
        if not -len(convs) <= layer < len(convs):
            raise WorkbenchError(f"the network has {len(convs)} convolution layer(s); "
                                 f"there is no convolution layer {layer}")
        return np.array(backend.to_host(convs[layer].weight.data))

    def feature_maps(self, dataset: Dataset, row: int) -> list[tuple[str, np.ndarray]]:
        """What each layer makes of instance ``row``: ("input", (C, H, W)) then one
        (name, array) per layer; image layers give (C, H, W), dense layers (1, 1, units).
        Flatten and dropout (identities at prediction) are left out."""
        one = dataset.select_rows(nets.instance_rows(dataset, [row]))
        self.check_header(one)  # the row drawn, not the whole dataset (a GUI-thread call)
        layers = self._layers()
        x = backend.to_device(self._images(one), self._network().device)
        maps = [("input", np.array(backend.to_host(x[0]), dtype=np.float64))]
        with no_grad(), backend.blas_threads():
            value = Tensor(x)
            for name, layer in layers:
                value = layer(value)
                if isinstance(layer, Flatten | Dropout):
                    continue
                host = np.array(backend.to_host(value.data[0]), dtype=np.float64)
                maps.append((name, host if host.ndim == 3 else host.reshape(1, 1, -1)))
        return maps

    # Description and model files ----------------------------------------------------
    def _describe(self) -> str:
        assert self.geometry_ is not None
        lines = [f"Convolutional network on {self.geometry_.describe()} images, "
                 f"{len(self.classes_)} classes",
                 f"architecture: {self.architecture_ or self.architecture} (+ softmax "
                 f"output)",
                 f"inputs: (pixel - {self.offset_:.6g}) * {self.scale_:.6g}"]
        shape: tuple[int, ...] = self.geometry_.shape
        total = 0
        for name, layer in self._layers():
            count = sum(int(np.prod(p.data.shape)) for p in layer.parameters())
            total += count
            if isinstance(layer, Conv2D):
                shape = _conv_shape(layer, shape)
            elif isinstance(layer, MaxPool2D | AvgPool2D):
                k, s = layer.kernel_size, layer.stride
                shape = (shape[0], (shape[1] - k[0]) // s[0] + 1, (shape[2] - k[1]) // s[1] + 1)
            elif isinstance(layer, Flatten):
                shape = (int(np.prod(shape)),)
            elif isinstance(layer, BatchNorm):
                pass  # normalises: the shape stays
            elif count:
                shape = (int(layer.parameters()[0].data.shape[0]),)
            text = "x".join(map(str, shape))
            lines.append((f"  {name:<14} -> {text:<12}"
                          + (f" {count} weights" if count else "")).rstrip())
        lines.append(f"{total} weights in all")
        lines += nets.history_lines(self.history_)
        return "\n".join(lines)

    def _state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        assert self.geometry_ is not None and self.network_ is not None
        spec, arrays = nets.network_state(self.network_)
        arrays["fill"] = self.fill_
        return ({"network": spec, "layer_names": self.layer_names_,
                 "architecture": self.architecture_,
                 "geometry": nets.geometry_state(self.geometry_), "offset": self.offset_,
                 "scale": self.scale_, "history": nets.history_state(self.history_)}, arrays)

    def _set_state(self, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
        header = self._require_fitted()
        inputs = [i for i in range(header.num_attributes) if i != header.class_index]
        self.geometry_ = nets.geometry_from_state(meta["geometry"], "the training header",
                                                  lambda columns: sorted(columns) == inputs)
        self.fill_ = stored_array(arrays, "fill", 1).astype(np.float64)
        if self.fill_.shape != (self.geometry_.size,):
            raise WorkbenchError("the stored missing-pixel fills do not fit the image")
        self.offset_, self.scale_ = float(meta["offset"]), float(meta["scale"])
        network = nets.restore_network(meta["network"], arrays,
                                       backend.resolve_device(self.device))
        names = [str(n) for n in meta["layer_names"]]
        if not isinstance(network, Sequential) or len(names) != len(network):
            raise WorkbenchError("the stored network does not match its layer names")
        check_image_layers(network, self.geometry_.shape, len(self.classes_))
        self.network_, self.layer_names_ = network, names
        self.architecture_ = str(meta.get("architecture", ""))
        self.history_ = nets.history_from_state(meta)


class _Training(Module, register=False):
    """The network with augmentation in front, active in training mode only."""

    def __init__(self, network: Module, augment: Callable[[Any], Any]) -> None:
        super().__init__()
        self.network = network
        self._augment = augment

    def forward(self, x: Tensor) -> Tensor:
        if self.training:
            x = Tensor(self._augment(x.data))
        return self.network(x)


def _conv_shape(layer: Conv2D, shape: tuple[int, ...]) -> tuple[int, int, int]:
    (kh, kw), (sh, sw), (ph, pw) = layer.kernel_size, layer.stride, layer.padding
    return (layer.out_channels, (shape[1] + 2 * ph - kh) // sh + 1,
            (shape[2] + 2 * pw - kw) // sw + 1)


def augment_batch(x: Any, rng: Any, shift: float, angle: float, noise: float,
                  background: float = 0.0) -> Any:
    """Random variants of a batch of NCHW images, computed where the batch lives.

    Each image is turned by a uniform angle in [-angle, angle] (radians) about its centre
    and moved by up to ``shift`` pixels each way, resampled bilinearly with ``background``
    outside the original; then Gaussian noise of sd ``noise`` is added.
    """
    xp = backend.array_module(x)
    n, c, h, w = x.shape
    dtype = x.dtype
    out = x
    if shift > 0 or angle > 0:
        turn = (rng.random(n, dtype=dtype) * 2 - 1) * angle
        ty = ((rng.random(n, dtype=dtype) * 2 - 1) * shift)[:, None, None]
        tx = ((rng.random(n, dtype=dtype) * 2 - 1) * shift)[:, None, None]
        cy, cx = (h - 1) / 2.0, (w - 1) / 2.0
        rows = (xp.arange(h, dtype=dtype) - cy)[None, :, None] - ty
        cols = (xp.arange(w, dtype=dtype) - cx)[None, None, :] - tx
        cos, sin = xp.cos(turn)[:, None, None], xp.sin(turn)[:, None, None]
        # Inverse mapping: the source position each output pixel samples from.
        sy = cos * rows - sin * cols + cy
        sx = sin * rows + cos * cols + cx
        y0, x0 = xp.floor(sy), xp.floor(sx)
        fy, fx = sy - y0, sx - x0
        flat = (x - background).reshape(n, c, h * w)
        out = xp.zeros((n, c, h * w), dtype=dtype)
        for dy, dx, share in ((0, 0, (1 - fy) * (1 - fx)), (0, 1, (1 - fy) * fx),
                              (1, 0, fy * (1 - fx)), (1, 1, fy * fx)):
            yi, xi = y0 + dy, x0 + dx
            inside = (yi >= 0) & (yi < h) & (xi >= 0) & (xi < w)
            index = (xp.clip(yi, 0, h - 1) * w + xp.clip(xi, 0, w - 1)).astype(np.int64)
            index = xp.broadcast_to(index.reshape(n, 1, h * w), (n, c, h * w))
            weight = (share * inside).reshape(n, 1, h * w)
            out += xp.take_along_axis(flat, index, axis=2) * weight
        out = (out + background).reshape(n, c, h, w)
    if noise > 0:
        out = out + noise * rng.standard_normal(x.shape, dtype=dtype)
    return out.astype(dtype, copy=False)


def register(registry: Any) -> None:
    registry.add(ConvolutionalNetwork)
