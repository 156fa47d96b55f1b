"""The define-by-run autodiff: a Tensor records how it was made, backward walks it back.

A ``Tensor`` wraps one xp array (NumPy or CuPy). An operation that gets at least one
input needing a gradient, while grad mode is on, records a node on its output: the parent
tensors and a ``backward`` closure written beside the forward in
``workbench/engine/functional/`` (Chainer style: one idea, forward and backward on one
screen). ``Tensor.backward`` orders the recorded graph topologically with an explicit
stack (no recursion, so 10 000-op chains are fine), hands each node the sum of the
gradients flowing into its output, stores gradients on leaves only, and frees every node
it passes, so activations are released as soon as backward is done with them.

Rules for writing an op (see ``make_result``):

- ``backward(gy)`` returns one gradient per parent (or None where the parent does not
  require a gradient; checking ``parent.requires_grad`` there skips needless work);
- it must never modify ``gy`` in place (``gy`` may be shared with another branch) and
  may modify only arrays it allocated itself;
- a gradient may have a broadcast input's shape reduced already or not: ``make_result``
  callers reduce with ``unbroadcast`` where their forward broadcasts.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from workbench.engine import backend

Backward = Callable[[Any], Sequence[Any]]

_FREED = ("freed",)


class _GradMode(threading.local):
    """Grad mode per thread, as in torch: a GUI thread predicting under ``no_grad``
    must not switch off recording in the worker thread that is training."""

    enabled = True


_mode = _GradMode()


def is_grad_enabled() -> bool:
    """Whether operations record a graph now (in this thread)."""
    return _mode.enabled


@contextlib.contextmanager
def _grad_mode(enabled: bool) -> Iterator[None]:
    old = _mode.enabled
    _mode.enabled = enabled
    try:
        yield
    finally:
        _mode.enabled = old


def no_grad() -> contextlib.AbstractContextManager[None]:
    """Record nothing inside the block: prediction and evaluation need no graph."""
    return _grad_mode(False)


def enable_grad() -> contextlib.AbstractContextManager[None]:
    """Record again inside a ``no_grad`` block."""
    return _grad_mode(True)


def _as_array(data: Any, dtype: Any) -> Any:
    """An xp array for the Tensor constructor: arrays keep their dtype unless told."""
    if isinstance(data, np.ndarray):
        out = data if dtype is None else data.astype(dtype, copy=False)
        if backend._strict and type(out) is np.ndarray:
            out = out.view(backend.StrictArray)
        return out
    if hasattr(data, "__cuda_array_interface__"):
        return data if dtype is None else data.astype(dtype, copy=False)
    arr = np.asarray(data)
    if dtype is None:
        dtype = backend.default_dtype() if arr.dtype.kind in "fc" or arr.dtype == object \
            else None
        if arr.dtype.kind in "iub" and arr.ndim == 0:
            dtype = backend.default_dtype()  # a Python number becomes a float scalar
    out = arr.astype(dtype, copy=False) if dtype is not None else arr
    return out.view(backend.StrictArray) if backend._strict else out


class Tensor:
    """An array that can remember the operations that made it.

    ``Tensor(data)`` keeps an array's dtype and device as given (float64 input stays
    float64: that is how float64 is requested), while Python numbers and lists become
    ``backend.default_dtype()`` (float32) floats, except integer lists, which stay
    integers (class indices). ``dtype`` forces a dtype.
    """

    __slots__ = ("__weakref__", "_node", "data", "grad", "requires_grad")
    data: Any  # the NumPy or CuPy array (declared here: __init__ reads another's first)
    # ``ndarray (op) Tensor`` hands over to Tensor's reflected operator, and a NumPy
    # ufunc called on a Tensor raises instead of quietly building an object array.
    __array_ufunc__ = None

    def __init__(self, data: Any, requires_grad: bool = False, dtype: Any = None) -> None:
        if isinstance(data, Tensor):
            data = data.data
        self.data = _as_array(data, dtype)
        self.grad: Any = None
        self.requires_grad = bool(requires_grad)
        self._node: Any = None

    # --- plain properties -----------------------------------------------------------

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def size(self) -> int:
        return self.data.size

    @property
    def device(self) -> str:
        return backend.device_of(self.data)

    @property
    def xp(self) -> Any:
        return backend.array_module(self.data)

    @property
    def is_leaf(self) -> bool:
        return self._node is None

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        flag = ", requires_grad=True" if self.requires_grad else ""
        return f"Tensor({backend.to_host(self.data)!r}{flag})"

    def numpy(self) -> np.ndarray:
        """The values on the host (an explicit, sanctioned transfer)."""
        return backend.to_host(self.data)

    def item(self) -> float:
        """The one value of a size-1 tensor as a Python number (a sanctioned transfer,
        meant for once per epoch, not once per batch)."""
        return backend.to_host(self.data).item()

    def __float__(self) -> float:
        return float(self.data)  # implicit: refused under strict transfers

    def __int__(self) -> int:
        return int(self.data)

    def __bool__(self) -> bool:
        return bool(self.data)

    # --- graph --------------------------------------------------------------------

    def detach(self) -> Tensor:
        """The same values, cut from the graph (shares memory)."""
        return Tensor(self.data)

    def zero_grad(self) -> None:
        self.grad = None

    def requires_grad_(self, flag: bool = True) -> Tensor:
        self.requires_grad = flag
        return self

    def backward(self, grad: Any = None) -> None:
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad`` and free the graph.

        ``grad`` defaults to 1 for a single-value tensor; otherwise it must be given
        with ``self``'s shape (an array or Tensor).
        """
        if self._node is _FREED:
            raise RuntimeError("backward through a graph that was already freed: "
                               "run the forward pass again")
        if not self.requires_grad:
            raise RuntimeError("backward on a tensor that does not require a gradient "
                               "(no input required one, or it was made under no_grad)")
        xp = backend.array_module(self.data)
        if grad is None:
            if self.data.size != 1:
                raise RuntimeError(f"backward needs a gradient for a tensor of shape "
                                   f"{self.shape}; only single values default to 1")
            grad = xp.ones_like(self.data)
        elif isinstance(grad, Tensor):
            grad = grad.data
        else:
            grad = xp.asarray(grad, dtype=self.data.dtype)
        if grad.shape != self.data.shape:
            grad = xp.broadcast_to(grad, self.data.shape)
        _run_backward(self, grad)

    # --- operators (bound to functional ops at the bottom of this module) ------------

    def __add__(self, other: Any) -> Tensor:
        return _arith.add(self, other)

    def __radd__(self, other: Any) -> Tensor:
        return _arith.add(other, self)

    def __sub__(self, other: Any) -> Tensor:
        return _arith.sub(self, other)

    def __rsub__(self, other: Any) -> Tensor:
        return _arith.sub(other, self)

    def __mul__(self, other: Any) -> Tensor:
        return _arith.mul(self, other)

    def __rmul__(self, other: Any) -> Tensor:
        return _arith.mul(other, self)

    def __truediv__(self, other: Any) -> Tensor:
        return _arith.div(self, other)

    def __rtruediv__(self, other: Any) -> Tensor:
        return _arith.div(other, self)

    def __pow__(self, other: Any) -> Tensor:
        return _arith.pow(self, other)

    def __rpow__(self, other: Any) -> Tensor:
        return _arith.pow(other, self)

    def __matmul__(self, other: Any) -> Tensor:
        return _arith.matmul(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return _arith.matmul(other, self)

    def __neg__(self) -> Tensor:
        return _arith.neg(self)

    def __pos__(self) -> Tensor:
        return self

    def __getitem__(self, key: Any) -> Tensor:
        return _array.getitem(self, key)

    # Comparisons give constant boolean arrays: masks, never part of a graph.
    def __lt__(self, other: Any) -> Any:
        return self.data < _raw(other)

    def __le__(self, other: Any) -> Any:
        return self.data <= _raw(other)

    def __gt__(self, other: Any) -> Any:
        return self.data > _raw(other)

    def __ge__(self, other: Any) -> Any:
        return self.data >= _raw(other)

    __hash__ = object.__hash__

    # --- methods ---------------------------------------------------------------------

    @property
    def T(self) -> Tensor:
        return _array.transpose(self)

    def sum(self, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
            keepdims: bool | None = None) -> Tensor:
        return _reduction.sum(self, dim, keepdim, axis=axis, keepdims=keepdims)

    def mean(self, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
             keepdims: bool | None = None) -> Tensor:
        return _reduction.mean(self, dim, keepdim, axis=axis, keepdims=keepdims)

    def max(self, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
            keepdims: bool | None = None) -> Tensor:
        return _reduction.max(self, dim, keepdim, axis=axis, keepdims=keepdims)

    def min(self, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
            keepdims: bool | None = None) -> Tensor:
        return _reduction.min(self, dim, keepdim, axis=axis, keepdims=keepdims)

    def reshape(self, *shape: Any) -> Tensor:
        if len(shape) == 1 and isinstance(shape[0], tuple | list):
            shape = tuple(shape[0])
        return _array.reshape(self, shape)

    def transpose(self, *axes: Any) -> Tensor:
        if len(axes) == 1 and isinstance(axes[0], tuple | list):
            axes = tuple(axes[0])
        return _array.transpose(self, axes or None)

    def flatten(self, start_dim: int = 0) -> Tensor:
        return _array.flatten(self, start_dim)

    def exp(self) -> Tensor:
        return _arith.exp(self)

    def log(self) -> Tensor:
        return _arith.log(self)

    def sqrt(self) -> Tensor:
        return _arith.sqrt(self)

    def abs(self) -> Tensor:
        return _arith.abs(self)

    def clip(self, min: float | None = None, max: float | None = None) -> Tensor:
        return _arith.clip(self, min, max)

    def astype(self, dtype: Any) -> Tensor:
        return _arith.astype(self, dtype)


class Parameter(Tensor):
    """A tensor a layer owns and an optimizer updates: always requires a gradient.

    Optimizers change ``.data`` in place, so views of a parameter's array stay valid.
    """

    __slots__ = ()

    def __init__(self, data: Any, dtype: Any = None) -> None:
        super().__init__(data, requires_grad=True, dtype=dtype)

    def __repr__(self) -> str:
        return f"Parameter(shape={self.shape}, dtype={self.dtype})"


def _raw(x: Any) -> Any:
    return x.data if isinstance(x, Tensor) else x


def as_tensor(x: Any, like: Tensor | None = None) -> Tensor:
    """``x`` itself when a Tensor, else a constant Tensor; numbers and float arrays take
    ``like``'s dtype so that a float64 constant never upcasts a float32 computation."""
    if isinstance(x, Tensor):
        return x
    if like is not None:
        xp = backend.array_module(like.data)
        if isinstance(x, int | float) and like.data.dtype.kind == "f":
            return Tensor(xp.asarray(x, dtype=like.data.dtype))
        arr = x if backend.array_module(x) is xp and hasattr(x, "dtype") else xp.asarray(x)
        if arr.dtype.kind == "f" and like.data.dtype.kind == "f" \
                and arr.dtype != like.data.dtype:
            arr = arr.astype(like.data.dtype)
        return Tensor(arr)
    return Tensor(x)


def make_result(data: Any, parents: tuple[Tensor, ...], backward: Backward) -> Tensor:
    """Wrap an op's output; record (parents, backward) only when a gradient can flow.

    NumPy turns 0-d results into scalars (``np.float32``); they are made 0-d arrays
    again so that every ``.data`` is an array, as it always is with CuPy.
    """
    if isinstance(data, np.generic):
        data = np.asarray(data)
    out = Tensor.__new__(Tensor)
    out.data = data
    out.grad = None
    if _mode.enabled:
        for p in parents:
            if p.requires_grad:
                out.requires_grad = True
                out._node = (parents, backward)
                return out
    out.requires_grad = False
    out._node = None
    return out


def unbroadcast(grad: Any, shape: tuple[int, ...]) -> Any:
    """Sum a gradient over the axes along which an input of ``shape`` was broadcast."""
    if grad.shape == shape:
        return grad
    lead = grad.ndim - len(shape)
    if lead:
        grad = grad.sum(axis=tuple(range(lead)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    return grad


def _topological_order(root: Tensor) -> list[Tensor]:
    """Recorded tensors reachable from ``root``, each before every tensor it was made
    from (reversed post-order of an explicit-stack DFS).

    A tensor is marked when it is expanded, not when it is pushed: marking on push
    would let a tensor reached early by a short path be finished before a longer path
    through it was explored, and it would then run backward before all its gradient
    had arrived. Tensors are their own keys (identity hashing; Tensor defines no
    ``__eq__``), which spares an ``id()`` call per visit on the per-step path.
    """
    order: list[Tensor] = []
    expanded: set[Tensor] = set()
    stack: list[tuple[Tensor, bool]] = [(root, False)]
    push, pop, finish, mark = stack.append, stack.pop, order.append, expanded.add
    while stack:
        t, done = pop()
        if done:
            finish(t)
            continue
        if t in expanded:
            continue
        mark(t)
        push((t, True))
        node = t._node
        if node is None or node is _FREED:
            continue
        for p in node[0]:
            if p._node is not None and p.requires_grad and p not in expanded:
                push((p, False))
    order.reverse()
    return order


def _run_backward(root: Tensor, grad: Any) -> None:
    """Propagate ``grad`` from ``root``; leaves accumulate, interior nodes are freed."""
    grads: dict[Tensor, Any] = {root: grad}
    owned: set[Tensor] = set()  # gradients allocated here, safe to add into in place
    leaves: list[Tensor] = []
    for t in _topological_order(root):
        node = t._node
        g = grads.pop(t, None)
        if node is None:  # root is a leaf
            leaves.append(t)
            grads[t] = g
            continue
        if node is _FREED:
            raise RuntimeError("backward through a graph that was already freed: "
                               "run the forward pass again")
        parents, fn = node
        t._node = _FREED
        if g is None:
            continue
        for p, pg in zip(parents, fn(g), strict=True):
            if pg is None or not p.requires_grad:
                continue
            prev = grads.get(p)
            if prev is None:
                grads[p] = pg
                if p._node is None:
                    leaves.append(p)
            elif p in owned:
                prev += pg
            else:
                total = prev + pg
                if isinstance(total, np.generic):  # 0-d NumPy sums come back as scalars
                    total = np.asarray(total)
                grads[p] = total
                owned.add(p)
    # A leaf keeps its gradient after backward, so it must own it: an op may have
    # handed the same array to two parents (add), passed the caller's ``grad`` through,
    # or returned a read-only broadcast view (sum). Copy only in those cases.
    handed: set[int] = {id(grad)}
    for leaf in leaves:
        g = grads.get(leaf)
        if g is None:
            continue
        data = leaf.data
        if g.shape != data.shape:
            g = unbroadcast(g, data.shape)
        if g.dtype != data.dtype:
            g = g.astype(data.dtype)
        if leaf.grad is not None:
            leaf.grad = leaf.grad + g
            continue
        if isinstance(g, np.generic):
            g = np.asarray(g)
        elif id(g) in handed or g.base is not None or not getattr(g.flags, "writeable", True):
            g = g.copy()
        handed.add(id(g))
        leaf.grad = g


# Operator methods call these modules; bound here, after Tensor exists, because they
# import Tensor themselves (the attribute lookups happen at call time).
from workbench.engine.functional import arithmetic as _arith  # noqa: E402
from workbench.engine.functional import array as _array  # noqa: E402
from workbench.engine.functional import reduction as _reduction  # noqa: E402
