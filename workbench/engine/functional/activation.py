"""Activation functions and the softmax family.

Each backward reuses the forward's output where the derivative is a function of it
(sigmoid, tanh, softmax), which saves recomputing transcendental functions.
"""

from __future__ import annotations

from typing import Any

from workbench.engine.backend import array_module
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
        slope = y + alpha  # y + alpha below zero, 1 above, built from masks (no where())
        slope *= ~positive
        slope += positive
        return (gy * slope,)

    return make_result(y, (x,), backward)


def sigmoid(x: Any) -> Tensor:
    """1 / (1 + e^-x), computed as (1 + tanh(x/2)) / 2: no overflow for any x."""
    x = as_tensor(x)
    xp = array_module(x.data)
    y = xp.tanh(x.data * 0.5)
    y *= 0.5
    y += 0.5

    def backward(gy: Any) -> tuple[Any]:
        g = 1.0 - y
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


def softplus(x: Any) -> Tensor:
    """log(1 + e^x), stable for large |x|; its derivative is sigmoid(x)."""
    x = as_tensor(x)
    xd = x.data
    xp = array_module(xd)
    y = xp.logaddexp(xd, 0)

    def backward(gy: Any) -> tuple[Any]:
        s = xp.tanh(xd * 0.5)
        s *= 0.5
        s += 0.5
        return (gy * s,)

    return make_result(y, (x,), backward)


def step(x: Any) -> Tensor:
    """The perceptron's threshold unit: 1 where x > 0, else 0; constant (no gradient)."""
    x = as_tensor(x)
    return Tensor((x.data > 0).astype(x.data.dtype))


def softmax(x: Any, dim: int = -1) -> Tensor:
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


def log_softmax(x: Any, dim: int = -1) -> Tensor:
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
