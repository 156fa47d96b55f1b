"""A CNN model file's layers, walked over its stored image shape before anything runs.

A stored CNN's weights are checked against its layer description when the network is
rebuilt (``network.restore_network``), but a convolution's or a pooling's padding,
dilation and stride create no weights: they size the work. A 400 KB file whose first
convolution pads by 15 000 pixels loaded and then asked for 134 GiB at its first
prediction; a file whose image shape no longer fits its first layer loaded and then
failed every evaluation with "conv2d: input has 4 channels but the weight expects 1",
naming no file. So the layers are walked over the stored image shape (the training
header's pixels), each layer's input is checked to be what it takes, and the numbers a
layer makes for one image are bounded, so that a damaged file is refused when it is
opened, naming the field of model.json at fault.
"""

from __future__ import annotations

import math

from workbench.core.errors import WorkbenchError
from workbench.engine.layers import (
    ELU,
    GELU,
    SELU,
    AvgPool2D,
    BatchNorm,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    LeakyReLU,
    MaxPool2D,
    ReLU,
    Sequential,
    Sigmoid,
    SiLU,
    Tanh,
)

# Layers that keep their input's shape (what cnn_spec may put between the others).
_ELEMENTWISE = (ReLU, Tanh, Sigmoid, ELU, LeakyReLU, GELU, SiLU, SELU, Dropout)
# The most numbers one layer may make for one image: its output, or a convolution's
# unfolded input (kh * kw * channels per output pixel). 16 M (64 MB in float32) is a
# hundred times what the largest networks we train make (a 64-filter 3x3 convolution
# on a 32x32 colour image unfolds 590 000), and far less than what a crafted padding
# or dilation asks for (billions).
MAX_NUMBERS_PER_IMAGE = 1 << 24


def check_image_layers(network: Sequential, image: tuple[int, int, int],
                       outputs: int) -> None:
    """Refuse, naming the layer of ``state.network``, a stored CNN whose layers do not
    fit one another from an ``image`` (channels, height, width) to ``outputs`` scores:
    channel and feature counts that differ from what a layer takes, padding a window
    cannot use (more than its width less one for a convolution, its half for a
    pooling, as in torch), a window wider than its padded input, a layer no CNN of
    ours holds, or a layer making more than ``MAX_NUMBERS_PER_IMAGE`` numbers for one
    image."""
    shape: tuple[int, ...] = image
    for index, layer in enumerate(network):
        where = f"state.network layer {index} ({type(layer).__name__})"
        work = 0
        if isinstance(layer, Conv2D | MaxPool2D | AvgPool2D):
            shape, work = _window_shape(layer, shape, image, where)
        elif isinstance(layer, BatchNorm):
            if layer.num_features != shape[0]:
                raise WorkbenchError(f"{where} normalises {layer.num_features} channels "
                                     f"but its input has {shape[0]}")
        elif isinstance(layer, Flatten):
            if layer.start_dim != 1:
                raise WorkbenchError(f"{where} flattens from axis {layer.start_dim}; a "
                                     f"CNN flattens each image (axis 1)")
            shape = (math.prod(shape),)
        elif isinstance(layer, Dense):
            if len(shape) != 1 or layer.in_features != shape[0]:
                raise WorkbenchError(f"{where} takes {layer.in_features} inputs but its "
                                     f"input is shaped {shape}")
            shape = (layer.out_features,)
        elif not isinstance(layer, _ELEMENTWISE):
            raise WorkbenchError(f"{where} is not a layer a CNN model holds")
        made = max(math.prod(shape), work)
        if made > MAX_NUMBERS_PER_IMAGE:
            raise WorkbenchError(f"{where} would make {made} numbers for each image (at "
                                 f"most {MAX_NUMBERS_PER_IMAGE}): its padding, dilation "
                                 f"or stride is damaged")
    if shape != (outputs,):
        raise WorkbenchError(f"state.network ends in outputs shaped {shape}, not one per "
                             f"class ({outputs})")


def _window_shape(layer: Conv2D | MaxPool2D | AvgPool2D, shape: tuple[int, ...],
                  image: tuple[int, int, int], where: str
                  ) -> tuple[tuple[int, int, int], int]:
    """The output shape of a convolution or pooling over ``shape`` and the numbers its
    unfolded input holds (0 for a pooling), refusing what it cannot take."""
    if len(shape) != 3:
        raise WorkbenchError(f"{where} needs images, but its input is shaped {shape}")
    channels = shape[0]
    if isinstance(layer, Conv2D):
        if layer.in_channels != channels:
            raise WorkbenchError(
                f"{where} takes {layer.in_channels} channels but its input has "
                f"{channels} (the stored image shape, state.geometry.shape, is "
                f"{list(image)})")
        extents = [d * (k - 1) + 1 for d, k in zip(layer.dilation, layer.kernel_size,
                                                    strict=True)]
        usable = [extent - 1 for extent in extents]
        out_channels = layer.out_channels
        taps = channels // layer.groups * layer.kernel_size[0] * layer.kernel_size[1]
    else:
        extents = list(layer.kernel_size)
        usable = [extent // 2 for extent in extents]
        out_channels, taps = channels, 0
    sizes = []
    for size, extent, pad, most, stride in zip(shape[1:], extents, layer.padding, usable,
                                               layer.stride, strict=True):
        if pad > most:
            raise WorkbenchError(f"{where}: padding {pad} is more than a {extent}-wide "
                                 f"window can use (at most {most})")
        if extent > size + 2 * pad:
            raise WorkbenchError(f"{where}: a {extent}-wide window does not fit its "
                                 f"{size}-wide input with padding {pad}")
        sizes.append((size + 2 * pad - extent) // stride + 1)
    return (out_channels, sizes[0], sizes[1]), sizes[0] * sizes[1] * taps
