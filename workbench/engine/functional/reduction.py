"""Reductions: sum, mean, max, min, logsumexp over axes."""

from __future__ import annotations

from typing import Any

from workbench.engine.backend import array_module
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


def sum(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    x = as_tensor(x)
    xp = array_module(x.data)
    shape = x.data.shape
    axes = _axes(axis, x.data.ndim)

    def backward(gy: Any) -> tuple[Any]:
        return (xp.broadcast_to(_expand(gy, axes, keepdims), shape),)

    return make_result(x.data.sum(axis=axes, keepdims=keepdims), (x,), backward)


def mean(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    x = as_tensor(x)
    xp = array_module(x.data)
    shape = x.data.shape
    axes = _axes(axis, x.data.ndim)
    count = 1
    for a in axes:
        count *= shape[a]
    scale = 1.0 / count if count else 1.0  # (``max`` here is this module's own)

    def backward(gy: Any) -> tuple[Any]:
        return (xp.broadcast_to(_expand(gy * scale, axes, keepdims), shape),)

    return make_result(x.data.mean(axis=axes, keepdims=keepdims), (x,), backward)


def _extreme(x: Any, axis: Any, keepdims: bool, largest: bool) -> Tensor:
    x = as_tensor(x)
    xd = x.data
    xp = array_module(xd)
    axes = _axes(axis, xd.ndim)
    y = xd.max(axis=axes, keepdims=keepdims) if largest else xd.min(axis=axes, keepdims=keepdims)

    def backward(gy: Any) -> tuple[Any]:
        # Route to the first extreme element (row-major over the reduced axes), as
        # max-pooling does: ties never split or duplicate the gradient.
        rest = [a for a in range(xd.ndim) if a not in axes]
        moved = xp.transpose(xd, rest + list(axes))
        flat = moved.reshape((*moved.shape[:len(rest)], -1))
        idx = flat.argmax(axis=-1) if largest else flat.argmin(axis=-1)
        g = _expand(gy, axes, keepdims).reshape((*idx.shape, 1))
        onehot = xp.arange(flat.shape[-1]) == idx[..., None]
        gx = (onehot * g).reshape(moved.shape)
        inverse = [0] * xd.ndim
        for i, a in enumerate(rest + list(axes)):
            inverse[a] = i
        return (xp.transpose(gx, inverse),)

    return make_result(y, (x,), backward)


def max(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """Largest values; the gradient goes to the first maximum only (see ``_extreme``)."""
    return _extreme(x, axis, keepdims, True)


def min(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """Smallest values; the gradient goes to the first minimum only."""
    return _extreme(x, axis, keepdims, False)


def logsumexp(x: Any, axis: Any = -1, keepdims: bool = False) -> Tensor:
    """log(sum(exp(x))) computed without overflow; its gradient is softmax(x)."""
    x = as_tensor(x)
    xd = x.data
    xp = array_module(xd)
    axes = _axes(axis, xd.ndim)
    m = xd.max(axis=axes, keepdims=True)
    e = xp.exp(xd - m)
    s = e.sum(axis=axes, keepdims=True)
    y = xp.log(s)
    y += m
    out = y if keepdims else y.squeeze(axis=axes)

    def backward(gy: Any) -> tuple[Any]:
        return (_expand(gy, axes, keepdims) * (e / s),)

    return make_result(out, (x,), backward)
