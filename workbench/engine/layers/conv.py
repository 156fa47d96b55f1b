"""Convolution and pooling layers on NCHW images, and ``Flatten`` to reach the dense top."""

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

    Weight shape (out_channels, in_channels, kh, kw) as in PyTorch; ``stride`` and
    ``padding`` are ints or (height, width) pairs. ``init`` names the initialiser.
    """

    def __init__(self, in_channels: int, out_channels: int,
                 kernel_size: int | tuple[int, int], stride: int | tuple[int, int] = 1,
                 padding: int | tuple[int, int] = 0, bias: bool = True,
                 init: str = "glorot_uniform", *, rng: initializers.RngLike = None,
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
        self.init = init
        shape = (self.out_channels, self.in_channels, *self.kernel_size)
        self.weight = Parameter(initializers.get_initializer(init)(
            shape, rng, dtype=dtype, device=device))
        self.bias = (Parameter(initializers.zeros((self.out_channels,), dtype=dtype,
                                                  device=device)) if bias else None)

    def forward(self, x: Tensor) -> Tensor:
        return F.conv2d(x, self.weight, self.bias, stride=self.stride, padding=self.padding)

    def config(self) -> dict[str, Any]:
        return {"in_channels": self.in_channels, "out_channels": self.out_channels,
                "kernel_size": list(self.kernel_size), "stride": list(self.stride),
                "padding": list(self.padding), "bias": self.bias is not None,
                "init": self.init}


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


class Flatten(Module):
    """Joins every axis from ``start_dim`` on: feature maps in, a vector per image out."""

    def __init__(self, start_dim: int = 1) -> None:
        super().__init__()
        self.start_dim = int(start_dim)

    def forward(self, x: Tensor) -> Tensor:
        return F.flatten(x, start_dim=self.start_dim)

    def config(self) -> dict[str, Any]:
        return {"start_dim": self.start_dim}
