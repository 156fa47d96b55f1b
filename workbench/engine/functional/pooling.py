"""2-D max and average pooling with stride and padding, NCHW.

Both walk the kh*kw window offsets as strided slices of the (padded) input, so the
work per offset is one vectorised pass over the output. Max pooling's backward finds
which offset won each window by comparing with the saved maxima; ties go to the FIRST
maximum in row-major window order (offset (0, 0), (0, 1), ...), and each output
gradient is routed to that one input only (torch's CPU kernel makes the same choice).
Padding takes part as -inf for max (never chosen) and as 0 for average, where the
divisor is always kh*kw
(torch's ``count_include_pad=True``).
"""

from __future__ import annotations

from typing import Any

from workbench.core.errors import ParameterError
from workbench.engine.backend import array_module
from workbench.engine.functional.convolution import _pad, output_size, pair
from workbench.engine.tensor import Tensor, as_tensor, make_result


def _geometry(xd: Any, kernel_size: Any, stride: Any, padding: Any, what: str
              ) -> tuple[int, int, int, int, int, int, int, int]:
    if xd.ndim != 4:
        raise ParameterError(f"{what} needs a 4-d input (N, C, H, W), got {xd.shape}")
    kh, kw = pair(kernel_size, "kernel_size")
    sh, sw = pair(stride if stride is not None else (kh, kw), "stride")
    ph, pw = pair(padding, "padding")
    if ph > kh // 2 or pw > kw // 2:
        raise ParameterError(f"{what}: padding {padding} exceeds half the kernel "
                             f"{kernel_size}")
    ho = output_size(xd.shape[2], kh, sh, ph, what)
    wo = output_size(xd.shape[3], kw, sw, pw, what)
    return kh, kw, sh, sw, ph, pw, ho, wo


def _window(a: Any, i: int, j: int, sh: int, sw: int, ho: int, wo: int) -> Any:
    return a[:, :, i:i + sh * (ho - 1) + 1:sh, j:j + sw * (wo - 1) + 1:sw]


def _like(layout: Any, a: Any) -> Any:
    """A copy of ``a`` stored in the memory order of ``layout`` (same shape)."""
    out = array_module(a).empty_like(layout, dtype=a.dtype)
    out[...] = a
    return out


def max_pool2d(x: Any, kernel_size: int | tuple[int, int],
               stride: int | tuple[int, int] | None = None,
               padding: int | tuple[int, int] = 0) -> Tensor:
    """Largest value per window; gradient to the first maximum (see module docstring)."""
    x = as_tensor(x)
    xd = x.data
    xp = array_module(xd)
    kh, kw, sh, sw, ph, pw, ho, wo = _geometry(xd, kernel_size, stride, padding,
                                               "max_pool2d")
    xpad = _pad(xd, ph, pw, float("-inf"))
    best = _window(xpad, 0, 0, sh, sw, ho, wo).copy(order="K")
    for k in range(1, kh * kw):
        xp.maximum(best, _window(xpad, k // kw, k % kw, sh, sw, ho, wo), out=best)

    def backward(gy: Any) -> tuple[Any]:
        # Which offset won is found here, not in the forward (prediction never needs
        # it). Walking offsets in order, ``left`` holds the gradient of the windows not
        # yet claimed (gy where no earlier offset equalled the max, else 0): an offset
        # that equals the max takes ``left`` and leaves 0 behind. Two passes per
        # offset, no boolean bookkeeping; gy * mask, not where(): several times
        # faster in NumPy.
        overlapping = sh < kh or sw < kw
        covered = not (ph or pw) and ho * sh == xd.shape[2] and wo * sw == xd.shape[3]
        if overlapping or not covered:
            gpad = xp.zeros_like(xpad, dtype=gy.dtype)
        else:  # disjoint windows tiling the input: every cell is written exactly once
            gpad = xp.empty_like(xpad, dtype=gy.dtype)
        # All arrays in the input's layout (image-minor after a convolution): mixed
        # layouts make every elementwise pass below a slow strided one.
        left = gy if gy.strides == best.strides else _like(best, gy)
        last = kh * kw - 1
        for k in range(kh * kw):
            hit = _window(xpad, k // kw, k % kw, sh, sw, ho, wo) == best
            target = _window(gpad, k // kw, k % kw, sh, sw, ho, wo)
            if overlapping:
                taken = left * hit
                target += taken
            else:
                taken = xp.multiply(left, hit, out=target)
            if left is gy and k < last:
                left = left - taken  # never write into gy (it may be shared)
            elif k < last:
                left -= taken
        if ph or pw:
            gpad = gpad[:, :, ph:ph + xd.shape[2], pw:pw + xd.shape[3]]
        return (gpad,)

    return make_result(best, (x,), backward)


def avg_pool2d(x: Any, kernel_size: int | tuple[int, int],
               stride: int | tuple[int, int] | None = None,
               padding: int | tuple[int, int] = 0) -> Tensor:
    """Mean per window, padding counted as zeros in a kh*kw divisor."""
    x = as_tensor(x)
    xd = x.data
    xp = array_module(xd)
    kh, kw, sh, sw, ph, pw, ho, wo = _geometry(xd, kernel_size, stride, padding,
                                               "avg_pool2d")
    xpad = _pad(xd, ph, pw, 0.0)
    total = _window(xpad, 0, 0, sh, sw, ho, wo).copy(order="K")
    for k in range(1, kh * kw):
        total += _window(xpad, k // kw, k % kw, sh, sw, ho, wo)
    scale = 1.0 / (kh * kw)
    total *= scale

    def backward(gy: Any) -> tuple[Any]:
        gpad = xp.zeros_like(xpad, dtype=gy.dtype)
        share = gy * scale
        for k in range(kh * kw):
            target = _window(gpad, k // kw, k % kw, sh, sw, ho, wo)
            target += share
        if ph or pw:
            gpad = gpad[:, :, ph:ph + xd.shape[2], pw:pw + xd.shape[3]]
        return (gpad,)

    return make_result(total, (x,), backward)
