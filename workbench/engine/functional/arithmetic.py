"""Elementwise arithmetic and matrix products: the operators of ``Tensor``.

Constants (numbers, arrays) mix freely with tensors and take the tensor's dtype, so a
Python float or a float64 array never silently upcasts a float32 computation.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from workbench.engine.backend import array_module
from workbench.engine.tensor import Tensor, as_tensor, make_result, unbroadcast


def _pair(a: Any, b: Any) -> tuple[Tensor, Tensor]:
    if isinstance(a, Tensor):
        return a, (b if isinstance(b, Tensor) else as_tensor(b, like=a))
    if isinstance(b, Tensor):
        return as_tensor(a, like=b), b
    a = as_tensor(a)
    return a, as_tensor(b, like=a)


def add(a: Any, b: Any) -> Tensor:
    a, b = _pair(a, b)
    sa, sb = a.data.shape, b.data.shape

    def backward(gy: Any) -> tuple[Any, Any]:
        return (unbroadcast(gy, sa) if a.requires_grad else None,
                unbroadcast(gy, sb) if b.requires_grad else None)

    return make_result(a.data + b.data, (a, b), backward)


def sub(a: Any, b: Any) -> Tensor:
    a, b = _pair(a, b)
    sa, sb = a.data.shape, b.data.shape

    def backward(gy: Any) -> tuple[Any, Any]:
        return (unbroadcast(gy, sa) if a.requires_grad else None,
                -unbroadcast(gy, sb) if b.requires_grad else None)

    return make_result(a.data - b.data, (a, b), backward)


def mul(a: Any, b: Any) -> Tensor:
    a, b = _pair(a, b)
    ad, bd = a.data, b.data

    def backward(gy: Any) -> tuple[Any, Any]:
        return (unbroadcast(gy * bd, ad.shape) if a.requires_grad else None,
                unbroadcast(gy * ad, bd.shape) if b.requires_grad else None)

    return make_result(ad * bd, (a, b), backward)


def div(a: Any, b: Any) -> Tensor:
    a, b = _pair(a, b)
    ad, bd = a.data, b.data
    y = ad / bd

    def backward(gy: Any) -> tuple[Any, Any]:
        ga = gy / bd
        gb = None
        if b.requires_grad:
            gb = y / bd  # torch's -gy (a/b)/b: (gy/b)(a/b) would overflow sooner
            gb *= gy
            gb = -unbroadcast(gb, bd.shape)
        return (unbroadcast(ga, ad.shape) if a.requires_grad else None, gb)

    return make_result(y, (a, b), backward)


def pow(a: Any, b: Any) -> Tensor:
    """``a ** b``; with a constant number exponent the backward skips the log term.

    The gradients follow torch where the textbook formulas meet 0 * inf: d/da is 0
    wherever b = 0 (even at a = 0, where b a^(b-1) would be 0 * inf), and d/db is 0
    at a = 0 for b >= 0. For a negative base d/db is taken as 0 (torch: NaN; a^b has
    no real derivative in b there).
    """
    if isinstance(a, Tensor) and isinstance(b, int | float):
        x = a.data
        y = x ** b

        def backward_const(gy: Any) -> tuple[Any]:
            if b == 0:
                return (array_module(gy).zeros_like(gy),)
            if b == 2:
                return (gy * (x * 2.0),)
            if b == 0.5:  # x^-0.5 as 1/sqrt(x), torch's rsqrt: -inf at x = -0, not +inf
                with np.errstate(divide="ignore"):
                    return (gy * (0.5 / array_module(x).sqrt(x)),)
            with np.errstate(divide="ignore"):  # 0 ** negative is inf, as in torch
                return (gy * (b * x ** (b - 1)),)

        return make_result(y, (a,), backward_const)
    a, b = _pair(a, b)
    ad, bd = a.data, b.data
    y = ad ** bd
    xp = array_module(y)

    def backward(gy: Any) -> tuple[Any, Any]:
        ga = gb = None
        if a.requires_grad:
            with np.errstate(divide="ignore", invalid="ignore"):  # 0 ** -1, masked
                ga = gy * xp.where(bd == 0, 0, bd * ad ** (bd - 1))
            ga = unbroadcast(ga, ad.shape)
        if b.requires_grad:
            # log(0) = -inf is what torch multiplies by for b < 0 (giving -inf there);
            # for b >= 0 the term is 0.
            at_zero = ad == 0
            log_a = xp.where(at_zero, -xp.inf, xp.log(xp.where(ad > 0, ad, 1)))
            with np.errstate(invalid="ignore"):  # 0 * -inf, masked
                gb = xp.where(at_zero & (bd >= 0), 0, y * log_a)
            gb = unbroadcast(gy * gb, bd.shape)
        return ga, gb

    return make_result(y, (a, b), backward)


def neg(a: Any) -> Tensor:
    a = as_tensor(a)
    return make_result(-a.data, (a,), lambda gy: (-gy,))


def matmul(a: Any, b: Any) -> Tensor:
    """Matrix product with NumPy's rules: 1-d operands are promoted, batch dims broadcast."""
    a, b = _pair(a, b)
    ad, bd = a.data, b.data
    y = ad @ bd

    def backward(gy: Any) -> tuple[Any, Any]:
        if ad.ndim == 1 and bd.ndim == 1:  # a dot product
            return (gy * bd if a.requires_grad else None, gy * ad if b.requires_grad else None)
        a2 = ad[None, :] if ad.ndim == 1 else ad
        b2 = bd[:, None] if bd.ndim == 1 else bd
        g = gy
        if ad.ndim == 1:
            g = g[..., None, :]
        if bd.ndim == 1:
            g = g[..., None]
        ga = gb = None
        if a.requires_grad:
            ga = g @ b2.swapaxes(-1, -2)
            ga = unbroadcast(ga, a2.shape).reshape(ad.shape)
        if b.requires_grad:
            gb = a2.swapaxes(-1, -2) @ g
            gb = unbroadcast(gb, b2.shape).reshape(bd.shape)
        return ga, gb

    return make_result(y, (a, b), backward)


def exp(x: Any) -> Tensor:
    x = as_tensor(x)
    y = array_module(x.data).exp(x.data)
    return make_result(y, (x,), lambda gy: (gy * y,))


def log(x: Any) -> Tensor:
    x = as_tensor(x)
    xd = x.data
    return make_result(array_module(xd).log(xd), (x,), lambda gy: (gy / xd,))


def sqrt(x: Any) -> Tensor:
    x = as_tensor(x)
    y = array_module(x.data).sqrt(x.data)

    def backward(gy: Any) -> tuple[Any]:
        g = gy / y
        g *= 0.5
        return (g,)

    return make_result(y, (x,), backward)


def square(x: Any) -> Tensor:
    x = as_tensor(x)
    xd = x.data
    return make_result(xd * xd, (x,), lambda gy: (gy * (xd * 2.0),))


def abs(x: Any) -> Tensor:
    """|x|; the gradient at exactly 0 is 0 (the subgradient torch picks too)."""
    x = as_tensor(x)
    xp = array_module(x.data)
    xd = x.data
    return make_result(xp.abs(xd), (x,), lambda gy: (gy * xp.sign(xd),))


def clip(x: Any, min: float | None = None, max: float | None = None) -> Tensor:
    """Limit values to [min, max]; the gradient passes where min <= x <= max."""
    x = as_tensor(x)
    xp = array_module(x.data)
    xd = x.data
    y = xp.clip(xd, min, max)

    def backward(gy: Any) -> tuple[Any]:
        inside = xp.ones(xd.shape, dtype=bool)
        if min is not None:
            inside &= xd >= min
        if max is not None:
            inside &= xd <= max
        return (gy * inside,)

    return make_result(y, (x,), backward)


def _extreme_pair(a: Any, b: Any, largest: bool) -> Tensor:
    a, b = _pair(a, b)
    xp = array_module(a.data)
    ad, bd = a.data, b.data
    y = xp.maximum(ad, bd) if largest else xp.minimum(ad, bd)

    def backward(gy: Any) -> tuple[Any, Any]:
        # Where a = b each argument gets half, as in torch (the symmetric subgradient).
        share_a = (ad == bd) * gy.dtype.type(0.5)  # (typed: float32 stays float32)
        share_a += (ad > bd) if largest else (ad < bd)
        ga = gb = None
        if a.requires_grad:
            ga = unbroadcast(gy * share_a, ad.shape)
        if b.requires_grad:
            share_b = 1.0 - share_a
            share_b *= gy
            gb = unbroadcast(share_b, bd.shape)
        return ga, gb

    return make_result(y, (a, b), backward)


def maximum(a: Any, b: Any) -> Tensor:
    """Elementwise max; where both are equal the gradient is split evenly."""
    return _extreme_pair(a, b, True)


def minimum(a: Any, b: Any) -> Tensor:
    """Elementwise min; where both are equal the gradient is split evenly."""
    return _extreme_pair(a, b, False)


def where(condition: Any, a: Any, b: Any) -> Tensor:
    """``a`` where ``condition`` holds, else ``b``; the condition is a constant mask."""
    cond = condition.data if isinstance(condition, Tensor) else condition
    a, b = _pair(a, b)
    xp = array_module(a.data)

    def backward(gy: Any) -> tuple[Any, Any]:
        ga = gb = None
        if a.requires_grad:
            ga = unbroadcast(xp.where(cond, gy, 0), a.data.shape)
        if b.requires_grad:
            gb = unbroadcast(xp.where(cond, 0, gy), b.data.shape)
        return ga, gb

    return make_result(xp.where(cond, a.data, b.data), (a, b), backward)


def astype(x: Any, dtype: Any) -> Tensor:
    """A cast; the gradient is cast back to the input's dtype."""
    x = as_tensor(x)
    src = x.data.dtype
    if src == dtype:
        return x
    return make_result(x.data.astype(dtype), (x,), lambda gy: (gy.astype(src),))
