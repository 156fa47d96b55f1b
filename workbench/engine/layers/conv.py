"""Convolution and pooling layers on NCHW images, ``Conv1D``, ``MaxPool1D`` and
``AvgPool1D`` on (N, C, L) sequences, and ``Flatten`` to reach the dense top."""

from __future__ import annotations

from typing import Any

from workbench.core.errors import ParameterError
from workbench.engine import functional as F
from workbench.engine import init as initializers
from workbench.engine.layers.base import Module
from workbench.engine.tensor import Parameter, Tensor


def _pair(value: int | tuple[int, int] | list[int], what: str) -> tuple[int, int]:
    pair = (value, value) if isinstance(value, int) else tuple(value)
    if len(pair) != 2 or any(int(v) < 0 for v in pair):
        raise ParameterError(f"the {what} must be a non-negative int or a pair, got {value!r}")
    return int(pair[0]), int(pair[1])


class Conv2D(Module):
    """A bank of ``out_channels`` kernels slid over the image; the weights are shared.

    Weight shape (out_channels, in_channels / groups, kh, kw) as in PyTorch; ``stride``,
    ``padding`` and ``dilation`` (the spacing of the kernel taps) are ints or
    (height, width) pairs; ``groups`` splits the channels into that many independent
    convolutions. ``init`` names the initialiser.
    """

    def __init__(self, in_channels: int, out_channels: int,
                 kernel_size: int | tuple[int, int], stride: int | tuple[int, int] = 1,
                 padding: int | tuple[int, int] = 0, bias: bool = True,
                 init: str = "glorot_uniform", dilation: int | tuple[int, int] = 1,
                 groups: int = 1, *, rng: initializers.RngLike = None,
                 device: str = "cpu", dtype: Any = None) -> None:
        super().__init__()
        if int(in_channels) < 1 or int(out_channels) < 1:
            raise ParameterError(
                f"a convolution needs positive channel counts, got {in_channels} -> "
                f"{out_channels}")
        self.in_channels = int(in_channels)
        self.out_channels = int(out_channels)
        self.kernel_size = _pair(kernel_size, "kernel size")
        if min(self.kernel_size) < 1:
            raise ParameterError(f"the kernel size must be at least 1, got {kernel_size!r}")
        self.stride = _pair(stride, "stride")
        if min(self.stride) < 1:
            raise ParameterError(f"the stride must be at least 1, got {stride!r}")
        self.padding = _pair(padding, "padding")
        self.dilation = _pair(dilation, "dilation")
        if min(self.dilation) < 1:
            raise ParameterError(f"the dilation must be at least 1, got {dilation!r}")
        self.groups = int(groups)
        if self.groups < 1 or self.in_channels % self.groups \
                or self.out_channels % self.groups:
            raise ParameterError(f"groups must divide both channel counts "
                                 f"({in_channels} -> {out_channels}), got {groups!r}")
        self.init = init
        shape = (self.out_channels, self.in_channels // self.groups, *self.kernel_size)
        self.weight = Parameter(initializers.get_initializer(init)(
            shape, rng, dtype=dtype, device=device))
        self.bias = (Parameter(initializers.zeros((self.out_channels,), dtype=dtype,
                                                  device=device)) if bias else None)

    def forward(self, x: Tensor) -> Tensor:
        return F.conv2d(x, self.weight, self.bias, stride=self.stride, padding=self.padding,
                        dilation=self.dilation, groups=self.groups)

    def config(self) -> dict[str, Any]:
        return {"in_channels": self.in_channels, "out_channels": self.out_channels,
                "kernel_size": list(self.kernel_size), "stride": list(self.stride),
                "padding": list(self.padding), "bias": self.bias is not None,
                "init": self.init, "dilation": list(self.dilation), "groups": self.groups}


class Conv1D(Module):
    """Kernels slid along a sequence (N, C, L): over word embeddings (C = embedding
    size, L = words) each of ``out_channels`` kernels is an n-gram detector.

    Weight shape (out_channels, in_channels / groups, kernel_size) as in PyTorch.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int,
                 stride: int = 1, padding: int = 0, bias: bool = True,
                 init: str = "glorot_uniform", dilation: int = 1, groups: int = 1, *,
                 rng: initializers.RngLike = None, device: str = "cpu",
                 dtype: Any = None) -> None:
        super().__init__()
        self.in_channels, self.out_channels = int(in_channels), int(out_channels)
        if self.in_channels < 1 or self.out_channels < 1:
            raise ParameterError(
                f"a convolution needs positive channel counts, got {in_channels} -> "
                f"{out_channels}")
        self.kernel_size, self.stride = int(kernel_size), int(stride)
        self.padding, self.dilation = int(padding), int(dilation)
        self.groups = int(groups)
        if self.kernel_size < 1 or self.stride < 1 or self.dilation < 1 or self.padding < 0:
            raise ParameterError(
                f"conv1d needs kernel size, stride and dilation of at least 1 and padding "
                f"of at least 0, got {kernel_size}, {stride}, {dilation}, {padding}")
        if self.groups < 1 or self.in_channels % self.groups \
                or self.out_channels % self.groups:
            raise ParameterError(f"groups must divide both channel counts "
                                 f"({in_channels} -> {out_channels}), got {groups!r}")
        self.init = init
        shape = (self.out_channels, self.in_channels // self.groups, self.kernel_size)
        self.weight = Parameter(initializers.get_initializer(init)(
            shape, rng, dtype=dtype, device=device))
        self.bias = (Parameter(initializers.zeros((self.out_channels,), dtype=dtype,
                                                  device=device)) if bias else None)

    def forward(self, x: Tensor) -> Tensor:
        return F.conv1d(x, self.weight, self.bias, stride=self.stride, padding=self.padding,
                        dilation=self.dilation, groups=self.groups)

    def config(self) -> dict[str, Any]:
        return {"in_channels": self.in_channels, "out_channels": self.out_channels,
                "kernel_size": self.kernel_size, "stride": self.stride,
                "padding": self.padding, "bias": self.bias is not None, "init": self.init,
                "dilation": self.dilation, "groups": self.groups}


class _Pool2D(Module, register=False):
    def __init__(self, kernel_size: int | tuple[int, int],
                 stride: int | tuple[int, int] | None = None,
                 padding: int | tuple[int, int] = 0) -> None:
        super().__init__()
        self.kernel_size = _pair(kernel_size, "pooling window")
        if min(self.kernel_size) < 1:
            raise ParameterError(f"the pooling window must be at least 1, got {kernel_size!r}")
        self.stride = self.kernel_size if stride is None else _pair(stride, "stride")
        if min(self.stride) < 1:
            raise ParameterError(f"the stride must be at least 1, got {stride!r}")
        self.padding = _pair(padding, "padding")

    def config(self) -> dict[str, Any]:
        return {"kernel_size": list(self.kernel_size), "stride": list(self.stride),
                "padding": list(self.padding)}


class MaxPool2D(_Pool2D):
    """Keeps the largest value of each window: small shifts of a feature do not matter."""

    def forward(self, x: Tensor) -> Tensor:
        return F.max_pool2d(x, self.kernel_size, self.stride, self.padding)


class AvgPool2D(_Pool2D):
    """Averages each window (LeNet's original subsampling)."""

    def forward(self, x: Tensor) -> Tensor:
        return F.avg_pool2d(x, self.kernel_size, self.stride, self.padding)


class _Pool1D(Module, register=False):
    def __init__(self, kernel_size: int, stride: int | None = None, padding: int = 0) -> None:
        super().__init__()
        self.kernel_size = int(kernel_size)
        self.stride = self.kernel_size if stride is None else int(stride)
        self.padding = int(padding)
        if self.kernel_size < 1 or self.stride < 1 or self.padding < 0:
            raise ParameterError(
                f"1-d pooling needs a window and stride of at least 1 and padding of at "
                f"least 0, got {kernel_size}, {stride}, {padding}")
        if self.padding > self.kernel_size // 2:
            raise ParameterError(f"the padding {padding} exceeds half the pooling window "
                                 f"{kernel_size}")

    def config(self) -> dict[str, Any]:
        return {"kernel_size": self.kernel_size, "stride": self.stride,
                "padding": self.padding}


class MaxPool1D(_Pool1D):
    """Keeps the largest value of each window along a sequence (N, C, L): after a
    ``Conv1D`` over word embeddings, each n-gram detector's strongest response;
    ``kernel_size`` = the sequence length pools over all of it (max-over-time)."""

    def forward(self, x: Tensor) -> Tensor:
        return F.max_pool1d(x, self.kernel_size, self.stride, self.padding)


class AvgPool1D(_Pool1D):
    """Averages each window along a sequence (N, C, L)."""

    def forward(self, x: Tensor) -> Tensor:
        return F.avg_pool1d(x, self.kernel_size, self.stride, self.padding)


class Flatten(Module):
    """Joins every axis from ``start_dim`` on: feature maps in, a vector per image out."""

    def __init__(self, start_dim: int = 1) -> None:
        super().__init__()
        self.start_dim = int(start_dim)

    def forward(self, x: Tensor) -> Tensor:
        return F.flatten(x, start_dim=self.start_dim)

    def config(self) -> dict[str, Any]:
        return {"start_dim": self.start_dim}
