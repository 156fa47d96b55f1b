"""Activation functions and the softmax family.

Each backward reuses the forward's output where the derivative is a function of it
(sigmoid, tanh, softmax), which saves recomputing transcendental functions.
"""

from __future__ import annotations

from typing import Any

from workbench.engine.backend import array_module
from workbench.engine.functional.dims import resolve_dim
from workbench.engine.tensor import Tensor, as_tensor, make_result


def relu(x: Any) -> Tensor:
    """max(x, 0); the gradient at exactly 0 is 0 (as in torch)."""
    x = as_tensor(x)
    xp = array_module(x.data)
    y = xp.maximum(x.data, 0)
    return make_result(y, (x,), lambda gy: (gy * (y > 0),))


def leaky_relu(x: Any, negative_slope: float = 0.01) -> Tensor:
    x = as_tensor(x)
    xd = x.data
    xp = array_module(xd)
    positive = xd > 0
    y = xp.where(positive, xd, xd * negative_slope)

    def backward(gy: Any) -> tuple[Any]:
        slope = positive * (1.0 - negative_slope)  # masks times gy beat where() in NumPy
        slope += negative_slope
        return (gy * slope.astype(gy.dtype, copy=False),)

    return make_result(y, (x,), backward)


def elu(x: Any, alpha: float = 1.0) -> Tensor:
    """x for x > 0, alpha (e^x - 1) otherwise."""
    x = as_tensor(x)
    xd = x.data
    xp = array_module(xd)
    positive = xd > 0
    y = xp.where(positive, xd, xp.expm1(xp.minimum(xd, 0)) * alpha)

    def backward(gy: Any) -> tuple[Any]:
        # alpha e^x below zero (torch's formula), 1 above, built from masks (no where()).
        # Not y + alpha: that is 0 from x = -38 on, where e^x is not. Clamping x at 0
        # keeps e^x <= 1, so the masks never meet an infinity (x = +inf gives slope 1).
        slope = xp.exp(xp.minimum(xd, 0))
        slope *= alpha
        slope *= ~positive
        slope += positive
        return (gy * slope,)

    return make_result(y, (x,), backward)


def sigmoid_data(xd: Any) -> Any:
    """1 / (1 + e^-x) on a raw array, exact in both tails.

    e = e^-|x| never overflows; the result is 1 / (1 + e) for x >= 0 (torch's own
    formula there) and e / (1 + e) for x < 0, which keeps e^x's full relative precision
    down to the smallest subnormal. The textbook (1 + tanh(x/2)) / 2 loses it from
    x = -20 on and is exactly 0 from -38.
    """
    xp = array_module(xd)
    e = xp.abs(xd)
    xp.negative(e, out=e)
    xp.exp(e, out=e)
    y = xp.where(xd >= 0, e.dtype.type(1), e)  # (a typed 1: float32 stays float32)
    e += 1.0
    y /= e
    return y


def sigmoid(x: Any) -> Tensor:
    """1 / (1 + e^-x), exact in both tails (see ``sigmoid_data``)."""
    x = as_tensor(x)
    y = sigmoid_data(x.data)

    def backward(gy: Any) -> tuple[Any]:
        g = 1.0 - y  # torch's y (1 - y), rounding for rounding
        g *= y
        g *= gy
        return (g,)

    return make_result(y, (x,), backward)


def tanh(x: Any) -> Tensor:
    x = as_tensor(x)
    y = array_module(x.data).tanh(x.data)

    def backward(gy: Any) -> tuple[Any]:
        g = y * y
        g -= 1.0
        g *= gy
        return (-g,)

    return make_result(y, (x,), backward)


def softplus(x: Any, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + e^(beta x)) / beta, torch's definition: x itself where beta x > threshold.

    Past the threshold the two differ by less than e^-threshold (2e-9 at 20), which is
    what torch accepts in exchange for a linear, overflow-free tail; matching it keeps
    values and gradients identical to torch's. The derivative is sigmoid(beta x), 1 past
    the threshold.
    """
    x = as_tensor(x)
    xd = x.data
    xp = array_module(xd)
    z = xd * beta if beta != 1 else xd
    linear = z > threshold
    y = xp.log1p(xp.exp(xp.minimum(z, threshold)))
    if beta != 1:
        y /= beta
    y = xp.where(linear, xd, y)

    def backward(gy: Any) -> tuple[Any]:
        s = sigmoid_data(z)
        s *= ~linear
        s += linear
        s *= gy
        return (s,)

    return make_result(y, (x,), backward)


def step(x: Any) -> Tensor:
    """The perceptron's threshold unit: 1 where x > 0, else 0; constant (no gradient)."""
    x = as_tensor(x)
    return Tensor((x.data > 0).astype(x.data.dtype))


def softmax(x: Any, dim: int | None = None, *, axis: int | None = None) -> Tensor:
    """e^x / sum(e^x) along ``dim`` (alias ``axis``; default the last)."""
    dim = resolve_dim(dim, axis, -1)
    x = as_tensor(x)
    xd = x.data
    xp = array_module(xd)
    y = xd - xd.max(axis=dim, keepdims=True)
    xp.exp(y, out=y)
    y /= y.sum(axis=dim, keepdims=True)

    def backward(gy: Any) -> tuple[Any]:
        g = gy * y
        s = g.sum(axis=dim, keepdims=True)
        g -= y * s
        return (g,)

    return make_result(y, (x,), backward)


def log_softmax(x: Any, dim: int | None = None, *, axis: int | None = None) -> Tensor:
    """x - logsumexp(x) along ``dim`` (alias ``axis``; default the last)."""
    dim = resolve_dim(dim, axis, -1)
    x = as_tensor(x)
    y = _log_softmax_data(x.data, dim)
    xp = array_module(y)

    def backward(gy: Any) -> tuple[Any]:
        g = xp.exp(y)
        g *= gy.sum(axis=dim, keepdims=True)
        return (gy - g,)

    return make_result(y, (x,), backward)


def _log_softmax_data(xd: Any, dim: int) -> Any:
    """x - logsumexp(x) on raw arrays (shared with the fused cross-entropy)."""
    xp = array_module(xd)
    y = xd - xd.max(axis=dim, keepdims=True)
    lse = xp.exp(y).sum(axis=dim, keepdims=True)
    y -= xp.log(lse)
    return y
