"""Activation functions and the softmax family.

Each backward reuses the forward's output where the derivative is a function of it
(sigmoid, tanh, softmax), which saves recomputing transcendental functions.
"""

from __future__ import annotations

from typing import Any

from workbench.core.errors import ParameterError
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
    # The numerator: 1 for x >= 0, e below (e <= 1, so a maximum with the 0/1 mask; a
    # ufunc, unlike where(), keeps a StrictArray strict, and float32 float32).
    y = xp.maximum(e, xd >= 0)
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


def _erfc(xd: Any) -> Any:
    """erfc on the array's own device: SciPy's on the CPU, CuPy's on the GPU (NumPy has
    none). Imported here, not at the top: SciPy adds a fifth of a second to start-up."""
    if array_module(xd).__name__ == "numpy":
        from scipy.special import erfc
    else:
        from cupyx.scipy.special import erfc
    return erfc(xd)


_SQRT_HALF = 0.7071067811865476          # 1 / sqrt(2)
_INV_SQRT_2PI = 0.3989422804014327       # 1 / sqrt(2 pi)
_SQRT_2_OVER_PI = 0.7978845608028654     # sqrt(2 / pi)
_GELU_CUBIC = 0.044715


def gelu(x: Any, approximate: str = "none") -> Tensor:
    """x Phi(x), Phi the standard normal CDF (Hendrycks and Gimpel): the transformers'
    unit. ``approximate="tanh"`` is their cheaper 0.5 x (1 + tanh(sqrt(2/pi)
    (x + 0.044715 x^3))), as torch's ``approximate`` argument; both keep x's dtype."""
    if approximate not in ("none", "tanh"):
        raise ParameterError(f"gelu's approximate must be 'none' or 'tanh', not "
                             f"{approximate!r}")
    x = as_tensor(x)
    xd = x.data
    xp = array_module(xd)
    if approximate == "tanh":
        inner = xd * xd
        inner *= _GELU_CUBIC
        inner += 1.0
        inner *= xd
        inner *= _SQRT_2_OVER_PI                  # sqrt(2/pi) (x + 0.044715 x^3)
        t = xp.tanh(inner)
        y = t + 1.0
        y *= xd
        y *= 0.5

        def backward_tanh(gy: Any) -> tuple[Any]:
            # 0.5 (1 + t) + 0.5 x (1 - t^2) sqrt(2/pi) (1 + 3 * 0.044715 x^2)
            slope = xd * xd
            slope *= 3 * _GELU_CUBIC
            slope += 1.0
            slope *= 1.0 - t * t
            slope *= xd * (0.5 * _SQRT_2_OVER_PI)
            slope += 0.5 * (1.0 + t)
            slope *= gy
            return (slope,)

        return make_result(y, (x,), backward_tanh)
    # Phi(x) = erfc(-x / sqrt 2) / 2, not (1 + erf(x / sqrt 2)) / 2: the sum cancels in
    # the negative tail (a float32 GELU(-3.5) would keep three digits).
    cdf = _erfc(xd * -_SQRT_HALF)
    cdf *= 0.5
    y = xd * cdf

    def backward(gy: Any) -> tuple[Any]:
        # Phi(x) + x phi(x)
        slope = xp.exp(xd * xd * -0.5)
        slope *= xd * _INV_SQRT_2PI
        slope += cdf
        slope *= gy
        return (slope,)

    return make_result(y, (x,), backward)


def silu(x: Any) -> Tensor:
    """x sigmoid(x) ("swish"); its gradient is sigmoid(x) (1 + x (1 - sigmoid(x)))."""
    x = as_tensor(x)
    xd = x.data
    s = sigmoid_data(xd)
    y = xd * s

    def backward(gy: Any) -> tuple[Any]:
        slope = xd * (1.0 - s)
        slope += 1.0
        slope *= s
        slope *= gy
        return (slope,)

    return make_result(y, (x,), backward)


# SELU's constants (Klambauer et al. 2017), as torch writes them.
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(x: Any) -> Tensor:
    """scale * elu(x, alpha) with the constants that keep activations at mean 0, variance
    1 through a deep stack (self-normalising networks)."""
    x = as_tensor(x)
    xd = x.data
    xp = array_module(xd)
    positive = xd > 0
    # max(x, 0) + alpha (e^min(x, 0) - 1): one of the two terms is exactly 0, and ufuncs
    # (unlike where()) keep a StrictArray strict.
    y = xp.expm1(xp.minimum(xd, 0))
    y *= _SELU_ALPHA
    y += xp.maximum(xd, 0)
    y *= _SELU_SCALE

    def backward(gy: Any) -> tuple[Any]:
        # As elu's: scale alpha e^x below zero, scale above, from masks.
        slope = xp.exp(xp.minimum(xd, 0))
        slope *= _SELU_ALPHA * _SELU_SCALE
        slope *= ~positive
        slope += positive * xd.dtype.type(_SELU_SCALE)
        slope *= gy
        return (slope,)

    return make_result(y, (x,), backward)
