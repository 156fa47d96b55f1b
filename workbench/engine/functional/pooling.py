"""2-D max and average pooling with stride and padding, NCHW; 1-D pooling over (N, C, L).

Both walk the kh*kw window offsets as strided slices of the (padded) input, so the
work per offset is one vectorised pass over the output. Max pooling's backward finds
which offset won each window by comparing with the saved maxima (where windows tile
the input, stride == size, the forward notes it instead: see ``max_pool2d``); ties go
to the FIRST maximum in row-major window order (offset (0, 0), (0, 1), ...), and each
output gradient is routed to that one input only (torch's CPU kernel makes the same
choice). Padding takes part as -inf for max (never chosen) and as 0 for average, where
the divisor is always kh*kw (torch's ``count_include_pad=True``). The 1-D poolings are
the 2-D ones over a height-1 image, so they share one tested path (and the same tie
rule).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from workbench.core.errors import ParameterError
from workbench.engine.backend import array_module
from workbench.engine.functional.array import reshape
from workbench.engine.functional.convolution import _pad, output_size, pair
from workbench.engine.tensor import Tensor, as_tensor, is_grad_enabled, make_result


def _geometry(xd: Any, kernel_size: Any, stride: Any, padding: Any, what: str
              ) -> tuple[int, int, int, int, int, int, int, int]:
    if xd.ndim != 4:
        raise ParameterError(f"{what} needs a 4-d input (N, C, H, W), got {xd.shape}")
    kh, kw = pair(kernel_size, "kernel_size")
    if kh < 1 or kw < 1:
        raise ParameterError(f"{what}: the window must be at least 1 wide, got "
                             f"{kernel_size}")
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


def _tiled_max_backward(xd: Any, best: Any, larger: list[Any], gy: Any, kh: int,
                        kw: int) -> Any:
    """Max pooling's input gradient where the windows tile the input (stride == size,
    no padding): every input cell lies in at most one window.

    ``larger[k - 1]`` marks the windows whose offset k beat every earlier offset
    strictly (noted in the forward, see ``max_pool2d``), so the input itself is not
    read again: offset k won where it was larger and no later offset was, and offset
    0 where no other offset won; ties stay with the first maximum. The input is seen
    as (N, C, Ho, kh, Wo, kw) (a view; cells past the last whole window are left out
    and get 0), so each offset's cells are one strided slice and its gradient is
    written in place, once, as gy * won: no zero fill, no scatter. The masks are
    reused as scratch (backward runs once).
    """
    xp = array_module(xd)
    n, c, h, w = xd.shape
    ho, wo = best.shape[2:]
    gx = xp.empty_like(xd, dtype=gy.dtype)  # the input's memory layout
    if ho * kh < h:
        gx[:, :, ho * kh:] = 0
    if wo * kw < w:
        gx[:, :, :, wo * kw:] = 0
    g6 = gx[:, :, :ho * kh, :wo * kw].reshape(n, c, ho, kh, wo, kw)
    if gy.strides != best.strides:  # mixed layouts make every pass below a strided one
        gy = _like(best, gy)
    # Windows already won by a later offset; a window holding NaN (its max is NaN)
    # is won by none, as in the general path.
    claimed = xp.isnan(best) if best.dtype.kind == "f" else xp.zeros_like(best, bool)
    for k in range(kh * kw - 1, 0, -1):
        won = larger[k - 1]
        xp.greater(won, claimed, out=won)  # larger here, and no later offset won
        xp.multiply(gy, won, out=g6[:, :, :, k // kw, :, k % kw])
        claimed |= won
    xp.logical_not(claimed, out=claimed)  # offset 0 keeps every window left
    xp.multiply(gy, claimed, out=g6[:, :, :, 0, :, 0])
    return gx


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
    # Windows that tile the input note, per offset, where it beat every earlier one
    # (one byte pass while the input is still in cache), so that the backward need not
    # read the input again. Only when a gradient will be asked for; other geometries
    # find the winners in the backward.
    larger: list[Any] | None = None
    if (sh, sw) == (kh, kw) and not (ph or pw) and x.requires_grad and is_grad_enabled():
        larger = []
    for k in range(1, kh * kw):
        window = _window(xpad, k // kw, k % kw, sh, sw, ho, wo)
        if larger is not None:
            larger.append(xp.greater(window, best, out=xp.empty_like(best, dtype=bool)))
        xp.maximum(best, window, out=best)

    def backward(gy: Any) -> tuple[Any]:
        if larger is not None:
            return (_tiled_max_backward(xd, best, larger, gy, kh, kw),)
        # Which offset won is found here, not in the forward (prediction never needs
        # it). Walking offsets in order, ``left`` holds the gradient of the windows not
        # yet claimed (gy where no earlier offset equalled the max, else 0): an offset
        # that equals the max takes ``left`` and leaves 0 behind. Two passes per
        # offset, no boolean bookkeeping; gy * mask, not where(): several times
        # faster in NumPy.
        overlapping = sh < kh or sw < kw
        # Windows tile the input only when the stride is the window: a stride beyond
        # it leaves cells between windows that no offset writes.
        covered = ((sh, sw) == (kh, kw) and not (ph or pw) and ho * sh == xd.shape[2]
                   and wo * sw == xd.shape[3])
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
        tiled = (sh, sw) == (kh, kw) and not (ph or pw)
        if tiled:  # every cell in at most one window: written once, no zero fill
            gpad = xp.empty_like(xpad, dtype=gy.dtype)
            if ho * kh < xd.shape[2]:
                gpad[:, :, ho * kh:] = 0
            if wo * kw < xd.shape[3]:
                gpad[:, :, :, wo * kw:] = 0
        else:
            gpad = xp.zeros_like(xpad, dtype=gy.dtype)
        if gy.strides != total.strides:  # mixed layouts make every pass a strided one
            gy = _like(total, gy)
        share = gy * scale
        for k in range(kh * kw):
            target = _window(gpad, k // kw, k % kw, sh, sw, ho, wo)
            if tiled:
                xp.add(share, 0.0, out=target)  # 0 + share, as below (-0.0 becomes 0.0)
            else:
                target += share
        if ph or pw:
            gpad = gpad[:, :, ph:ph + xd.shape[2], pw:pw + xd.shape[3]]
        return (gpad,)

    return make_result(total, (x,), backward)


def _pool1d(pool2d: Any, x: Any, kernel_size: int, stride: int | None, padding: int,
            what: str) -> Tensor:
    """``pool2d`` over (N, C, 1, L): a (1, k) window slides along the sequence."""
    x = as_tensor(x)
    if x.ndim != 3:
        raise ParameterError(f"{what} needs a 3-d input (N, C, L), got {x.shape}")
    for name, v in (("kernel_size", kernel_size), ("stride", stride), ("padding", padding)):
        if not (isinstance(v, int | np.integer) or (v is None and name == "stride")):
            raise ParameterError(f"{what}: {name} must be an int, not {v!r}")
    k = int(kernel_size)
    s = k if stride is None else int(stride)
    n, c, length = x.shape
    try:   # the shared path checks the values, in its words under this op's name
        y = pool2d(reshape(x, (n, c, 1, length)), (1, k), (1, s), (0, int(padding)))
    except ParameterError as error:
        raise ParameterError(str(error).replace(pool2d.__name__, what)
                             .replace(f"(1, {k})", str(k))
                             .replace(f"(0, {int(padding)})", str(padding))) from None
    return reshape(y, (n, c, y.shape[3]))


def max_pool1d(x: Any, kernel_size: int, stride: int | None = None,
               padding: int = 0) -> Tensor:
    """Largest value per window along the last axis of (N, C, L), as torch's max_pool1d
    (``stride`` defaults to the window): a text CNN keeps each n-gram detector's
    strongest response; a window as long as the sequence is max-pooling over time.
    Ties go to the first maximum."""
    return _pool1d(max_pool2d, x, kernel_size, stride, padding, "max_pool1d")


def avg_pool1d(x: Any, kernel_size: int, stride: int | None = None,
               padding: int = 0) -> Tensor:
    """Mean per window along the last axis of (N, C, L), as torch's avg_pool1d (padding
    counted as zeros in a kernel_size divisor)."""
    return _pool1d(avg_pool2d, x, kernel_size, stride, padding, "avg_pool1d")
