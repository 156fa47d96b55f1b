"""Shape and selection: reshape, transpose, flatten, indexing, concat, stack, unbind, split,
pad.

These move values around without changing them, so each backward puts the gradient
back where the value came from. Indexing with integer arrays may pick one element many
times (embedding lookups, sampled minibatches), so its backward is a scatter-add.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from workbench.core.errors import ParameterError
from workbench.engine.backend import array_module
from workbench.engine.functional.dims import resolve_dim
from workbench.engine.tensor import Tensor, as_tensor, make_result, unbroadcast


def reshape(x: Any, shape: Any) -> Tensor:
    x = as_tensor(x)
    if isinstance(shape, int):
        shape = (shape,)
    src = x.data.shape
    return make_result(x.data.reshape(shape), (x,), lambda gy: (gy.reshape(src),))


def flatten(x: Any, start_dim: int = 1) -> Tensor:
    """Collapse the dimensions from ``start_dim`` on (default 1: keep the batch axis)."""
    x = as_tensor(x)
    shape = x.data.shape
    start = start_dim % max(len(shape), 1)
    return reshape(x, (*shape[:start], -1))


def transpose(x: Any, axes: Sequence[int] | None = None) -> Tensor:
    """Permute axes (reverse them when ``axes`` is None, like ``.T``)."""
    x = as_tensor(x)
    xp = array_module(x.data)
    nd = x.data.ndim
    perm = tuple(range(nd))[::-1] if axes is None else tuple(a % nd for a in axes)
    inverse = [0] * nd
    for i, a in enumerate(perm):
        inverse[a] = i
    return make_result(xp.transpose(x.data, perm), (x,),
                       lambda gy: (xp.transpose(gy, inverse),))


def swapaxes(x: Any, a: int, b: int) -> Tensor:
    x = as_tensor(x)
    perm = list(range(x.data.ndim))
    perm[a], perm[b] = perm[b], perm[a]
    return transpose(x, perm)


def expand_dims(x: Any, dim: int | None = None, *, axis: int | None = None) -> Tensor:
    """A new size-1 axis at ``dim`` (alias ``axis``), torch's ``unsqueeze``."""
    axis = resolve_dim(dim, axis)
    if axis is None:
        raise ParameterError("expand_dims needs the position of the new axis (dim)")
    x = as_tensor(x)
    xp = array_module(x.data)
    src = x.data.shape
    return make_result(xp.expand_dims(x.data, axis), (x,), lambda gy: (gy.reshape(src),))


unsqueeze = expand_dims


def squeeze(x: Any, dim: Any = None, *, axis: Any = None) -> Tensor:
    """Drop size-1 axes: ``dim`` (alias ``axis``) or all of them."""
    axis = resolve_dim(dim, axis)
    x = as_tensor(x)
    src = x.data.shape
    return make_result(x.data.squeeze(axis=axis), (x,), lambda gy: (gy.reshape(src),))


def broadcast_to(x: Any, shape: Sequence[int]) -> Tensor:
    x = as_tensor(x)
    xp = array_module(x.data)
    src = x.data.shape
    return make_result(xp.broadcast_to(x.data, tuple(shape)), (x,),
                       lambda gy: (unbroadcast(gy, src).reshape(src),))


def _is_advanced(key: Any) -> bool:
    """Whether a key holds arrays or lists (NumPy's advanced indexing)."""
    parts = key if isinstance(key, tuple) else (key,)
    return any(isinstance(k, list) or hasattr(k, "dtype") for k in parts)


def _unwrap_key(key: Any, xp: Any) -> Any:
    """Tensors in a key become their arrays and lists become xp arrays (for CuPy)."""
    def one(k: Any) -> Any:
        if isinstance(k, Tensor):
            return k.data
        return xp.asarray(k) if isinstance(k, list) else k

    return tuple(one(k) for k in key) if isinstance(key, tuple) else one(key)


def scatter_add(target: Any, key: Any, values: Any) -> None:
    """``target[key] += values`` with repeated indices adding up (in place).

    ``numpy.add.at`` on the CPU, ``cupyx.scatter_add`` on the GPU.
    """
    xp = array_module(target)
    if xp.__name__ == "numpy":
        xp.add.at(target, key, values)
    else:
        import cupyx

        cupyx.scatter_add(target, key, values)


def getitem(x: Any, key: Any) -> Tensor:
    """``x[key]`` for basic (slices, ints, None, ...) and integer/boolean-array keys."""
    x = as_tensor(x)
    xd = x.data
    xp = array_module(xd)
    key = _unwrap_key(key, xp)
    advanced = _is_advanced(key)
    if advanced and getattr(getattr(key, "dtype", None), "kind", "") == "b":
        advanced = False  # one boolean mask picks each element at most once: assign
        view_key = key
    elif not advanced:
        # A trailing Ellipsis makes even an all-integer key select a 0-d view, so the
        # backward assigns array to array (no host scalar on the way, as on the GPU).
        parts = key if isinstance(key, tuple) else (key,)
        view_key = parts if any(k is Ellipsis for k in parts) else (*parts, Ellipsis)

    def backward(gy: Any) -> tuple[Any]:
        gx = xp.zeros(xd.shape, dtype=gy.dtype)
        if advanced:
            scatter_add(gx, key, gy)
        else:
            gx[view_key] = gy
        return (gx,)

    return make_result(xd[key], (x,), backward)


def permute_steps(x: Any, order: Any) -> Tensor:
    """``y[i, t] = x[i, order[i, t]]`` where each row of ``order`` (batch, time) is a
    permutation of the time steps (a bidirectional layer's reading order).

    Because each step is picked exactly once, the backward puts the gradient back by
    plain assignment, not the scatter-add a general integer index needs.
    """
    x = as_tensor(x)
    xd = x.data
    xp = array_module(xd)
    order = order.data if isinstance(order, Tensor) else order
    rows = xp.arange(xd.shape[0])[:, None]

    def backward(gy: Any) -> tuple[Any]:
        gx = xp.empty_like(gy)  # every position is written: order is a permutation
        gx[rows, order] = gy
        return (gx,)

    return make_result(xd[rows, order], (x,), backward)


def concat(tensors: Sequence[Any], dim: int | None = None, *, axis: int | None = None
           ) -> Tensor:
    """Join tensors along an existing axis ``dim`` (alias ``axis``; ``torch.cat``)."""
    axis = resolve_dim(dim, axis, 0)
    ts = [as_tensor(t) for t in tensors]
    xp = array_module(ts[0].data)
    y = xp.concatenate([t.data for t in ts], axis=axis)
    bounds = []
    pos = 0
    for t in ts:
        bounds.append((pos, pos + t.data.shape[axis]))
        pos += t.data.shape[axis]
    ax = axis % y.ndim

    def backward(gy: Any) -> tuple[Any, ...]:
        lead = (slice(None),) * ax
        return tuple(gy[(*lead, slice(lo, hi))] if t.requires_grad else None
                     for t, (lo, hi) in zip(ts, bounds, strict=True))

    return make_result(y, tuple(ts), backward)


cat = concat


def stack(tensors: Sequence[Any], dim: int | None = None, *, axis: int | None = None
          ) -> Tensor:
    """Join same-shaped tensors along a new axis ``dim`` (alias ``axis``)."""
    axis = resolve_dim(dim, axis, 0)
    ts = [as_tensor(t) for t in tensors]
    xp = array_module(ts[0].data)
    y = xp.stack([t.data for t in ts], axis=axis)
    ax = axis % y.ndim

    def backward(gy: Any) -> tuple[Any, ...]:
        lead = (slice(None),) * ax
        return tuple(gy[(*lead, i)] if t.requires_grad else None for i, t in enumerate(ts))

    return make_result(y, tuple(ts), backward)


def _pieces(x: Tensor, keys: Sequence[tuple[Any, ...]]) -> list[Tensor]:
    """Views ``x[key]`` for each key (disjoint basic keys) whose gradients share one
    buffer.

    Sliced one by one, each piece's backward would allocate a zero gradient of ``x``'s
    full shape and the autodiff would add them up: O(pieces^2) memory traffic for a
    sequence cut into steps. Here the pieces hang off a private node (``hub``) that only
    they consume, so it runs backward after all of them: the first piece to run allocates
    the buffer and hands it to the hub, the others write their slice into the same buffer
    and hand over nothing.
    """
    xd = x.data
    xp = array_module(xd)
    hub = make_result(xd, (x,), lambda gy: (gy,))
    shared: list[Any] = []

    def piece(key: tuple[Any, ...]) -> Tensor:
        def backward(gy: Any) -> tuple[Any]:
            if shared:
                shared[0][key] = gy
                return (None,)
            buffer = xp.zeros(xd.shape, dtype=gy.dtype)
            buffer[key] = gy
            shared.append(buffer)
            return (buffer,)

        return make_result(xd[key], (hub,), backward)

    return [piece(key) for key in keys]


def unbind(x: Any, dim: int | None = None, *, axis: int | None = None) -> list[Tensor]:
    """Every slice along ``dim`` (alias ``axis``, default 0) as its own tensor, that axis
    removed (``torch.unbind``): the time steps of a sequence. All slices' gradients are
    written into one buffer (see ``_pieces``)."""
    axis = resolve_dim(dim, axis, 0)
    x = as_tensor(x)
    ax = axis % x.data.ndim
    lead = (slice(None),) * ax
    # The trailing Ellipsis keeps a 1-d input's pieces 0-d arrays, never host scalars.
    return _pieces(x, [(*lead, i, Ellipsis) for i in range(x.data.shape[ax])])


def split(x: Any, sections: int | Sequence[int], axis: int = 0) -> list[Tensor]:
    """Cut along ``axis`` into equal ``sections`` or at the given indices (numpy's rule);
    the pieces' gradients share one buffer (see ``_pieces``)."""
    x = as_tensor(x)
    n = x.data.shape[axis]
    if isinstance(sections, int):
        size = n // sections
        cuts = [size * i for i in range(1, sections)]
    else:
        cuts = list(sections)
    edges = [0, *cuts, n]
    lead = (slice(None),) * (axis % x.data.ndim)
    return _pieces(x, [(*lead, slice(lo, hi)) for lo, hi in itertools.pairwise(edges)])


def pad(x: Any, pad_width: Sequence[tuple[int, int]], value: float = 0.0) -> Tensor:
    """Constant padding, one (before, after) pair per axis; backward crops."""
    x = as_tensor(x)
    xp = array_module(x.data)
    widths = [tuple(w) for w in pad_width]
    y = xp.pad(x.data, widths, mode="constant", constant_values=value)
    crop = tuple(slice(lo, lo + n) for (lo, _), n in zip(widths, x.data.shape, strict=True))
    return make_result(y, (x,), lambda gy: (gy[crop],))
