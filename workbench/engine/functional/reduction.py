"""Reductions: sum, mean, max, min, logsumexp over axes.

Each takes torch's ``dim``/``keepdim`` or NumPy's ``axis``/``keepdims`` (see ``dims``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from workbench.engine.backend import array_module
from workbench.engine.functional.dims import resolve_dim, resolve_keepdim
from workbench.engine.tensor import Tensor, as_tensor, make_result


def _axes(axis: Any, ndim: int) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, int):
        axis = (axis,)
    return tuple(sorted(a % ndim for a in axis)) if ndim else ()


def _expand(g: Any, axes: tuple[int, ...], keepdims: bool) -> Any:
    """Put the reduced axes back as size-1 axes so ``g`` broadcasts over the input."""
    if keepdims or not axes:
        return g
    xp = array_module(g)
    return xp.expand_dims(g, axes)


def sum(x: Any, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
        keepdims: bool | None = None) -> Tensor:
    x = as_tensor(x)
    xp = array_module(x.data)
    shape = x.data.shape
    axes = _axes(resolve_dim(dim, axis), x.data.ndim)
    keep = resolve_keepdim(keepdim, keepdims)

    def backward(gy: Any) -> tuple[Any]:
        return (xp.broadcast_to(_expand(gy, axes, keep), shape),)

    return make_result(x.data.sum(axis=axes, keepdims=keep), (x,), backward)


def mean(x: Any, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
         keepdims: bool | None = None) -> Tensor:
    x = as_tensor(x)
    xp = array_module(x.data)
    shape = x.data.shape
    axes = _axes(resolve_dim(dim, axis), x.data.ndim)
    keep = resolve_keepdim(keepdim, keepdims)
    count = 1
    for a in axes:
        count *= shape[a]

    def backward(gy: Any) -> tuple[Any]:
        # Divided, not multiplied by 1/count: the same rounding as torch's mean.
        return (xp.broadcast_to(_expand(gy / (count or 1), axes, keep), shape),)

    return make_result(x.data.mean(axis=axes, keepdims=keep), (x,), backward)


def _extreme(x: Any, dim: Any, axis: Any, keepdim: bool, keepdims: bool | None,
             largest: bool) -> Tensor:
    x = as_tensor(x)
    xd = x.data
    axes = _axes(resolve_dim(dim, axis), xd.ndim)
    keep = resolve_keepdim(keepdim, keepdims)
    peak = xd.max(axis=axes, keepdims=True) if largest else xd.min(axis=axes, keepdims=True)

    def backward(gy: Any) -> tuple[Any]:
        # Split evenly among the tied extremes, as torch's amax/amin and full max/min
        # do: the gradient of the extreme is symmetric in its tied arguments.
        share = (xd == peak).astype(gy.dtype)
        share /= share.sum(axis=axes, keepdims=True)
        share *= _expand(gy, axes, keep)
        return (share,)

    y = peak if keep else peak.squeeze(axis=axes)
    return make_result(y, (x,), backward)


def max(x: Any, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
        keepdims: bool | None = None) -> Tensor:
    """Largest values (torch's ``amax``); tied maxima share the gradient evenly."""
    return _extreme(x, dim, axis, keepdim, keepdims, True)


def min(x: Any, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
        keepdims: bool | None = None) -> Tensor:
    """Smallest values (torch's ``amin``); tied minima share the gradient evenly."""
    return _extreme(x, dim, axis, keepdim, keepdims, False)


def logsumexp(x: Any, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
              keepdims: bool | None = None) -> Tensor:
    """log(sum(exp(x))) over ``dim`` (default the last), computed without overflow.

    The shift by the maximum skips infinite maxima (shifting by them would give
    inf - inf = NaN): all -inf gives -inf and any +inf gives +inf, as in torch. The
    gradient is exp(x - result), torch's formula, which is softmax(x) where defined.
    """
    x = as_tensor(x)
    xd = x.data
    xp = array_module(xd)
    axes = _axes(resolve_dim(dim, axis, -1), xd.ndim)
    keep = resolve_keepdim(keepdim, keepdims)
    m = xd.max(axis=axes, keepdims=True)
    m = xp.where(xp.isfinite(m), m, 0)  # infinite maxima: no shift
    s = xp.exp(xd - m).sum(axis=axes, keepdims=True)
    with np.errstate(divide="ignore"):  # all -inf: log(0) = -inf is the answer
        y = xp.log(s)
    y += m
    out = y if keep else y.squeeze(axis=axes)

    def backward(gy: Any) -> tuple[Any]:
        g = xd - y
        xp.exp(g, out=g)
        g *= _expand(gy, axes, keep)
        return (g,)

    return make_result(out, (x,), backward)
