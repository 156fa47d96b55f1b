"""Weight initialisers: the schemes the tutorials name, each one seeded.

Every initialiser draws on the host with a NumPy ``Generator`` and moves the result to
the device once. Initialisation happens once per parameter, so the transfer costs nothing
that matters, and in exchange one seed gives bit-identical starting weights on the CPU
and on a GPU, which is what makes a run reproducible across machines.

Fan-in and fan-out follow PyTorch's convention: a weight shaped ``(out, in)`` has
``fan_in = in`` and ``fan_out = out``; a convolution kernel ``(out, in, kh, kw)`` has
``fan_in = in*kh*kw`` and ``fan_out = out*kh*kw``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from workbench.core.errors import ParameterError
from workbench.engine.backend import default_dtype, to_device

Shape = Sequence[int]
RngLike = np.random.Generator | int | None


def as_generator(rng: RngLike) -> np.random.Generator:
    """Accept a seed or a Generator, so callers can pass whichever they hold."""
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(rng)


def fans(shape: Shape) -> tuple[int, int]:
    """``(fan_in, fan_out)`` of a weight, PyTorch's convention (see the module notes)."""
    shape = tuple(int(s) for s in shape)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = math.prod(shape[2:]) if len(shape) > 2 else 1
    return shape[1] * receptive, shape[0] * receptive


def _finish(values: np.ndarray, dtype: Any, device: str) -> Any:
    return to_device(values.astype(dtype or default_dtype(), copy=False), device)


def uniform(shape: Shape, low: float, high: float, rng: RngLike = None, *,
            dtype: Any = None, device: str = "cpu") -> Any:
    """Values drawn uniformly from ``[low, high)``."""
    return _finish(as_generator(rng).uniform(low, high, size=tuple(shape)), dtype, device)


def normal(shape: Shape, std: float, rng: RngLike = None, *, mean: float = 0.0,
           dtype: Any = None, device: str = "cpu") -> Any:
    """Values drawn from a normal distribution with the given mean and spread."""
    values = as_generator(rng).normal(mean, std, size=tuple(shape))
    return _finish(values, dtype, device)


def sigmoid_uniform(shape: Shape, rng: RngLike = None, *, dtype: Any = None,
                    device: str = "cpu") -> Any:
    """The Theano tutorials' rule for sigmoid units: U(+-4 sqrt(6 / (fan_in + fan_out))).

    Sigmoid is four times flatter than tanh at the origin, so the tanh range of Glorot
    and Bengio is widened four-fold to keep the same signal strength.
    """
    fan_in, fan_out = fans(shape)
    bound = 4.0 * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform(shape, -bound, bound, rng, dtype=dtype, device=device)


def glorot_uniform(shape: Shape, rng: RngLike = None, *, dtype: Any = None,
                   device: str = "cpu") -> Any:
    """Glorot/Xavier uniform, U(+-sqrt(6 / (fan_in + fan_out))): the choice for tanh."""
    fan_in, fan_out = fans(shape)
    bound = math.sqrt(6.0 / (fan_in + fan_out))
    return uniform(shape, -bound, bound, rng, dtype=dtype, device=device)


def glorot_normal(shape: Shape, rng: RngLike = None, *, dtype: Any = None,
                  device: str = "cpu") -> Any:
    """Glorot/Xavier normal, N(0, 2 / (fan_in + fan_out))."""
    fan_in, fan_out = fans(shape)
    return normal(shape, math.sqrt(2.0 / (fan_in + fan_out)), rng, dtype=dtype, device=device)


def he_uniform(shape: Shape, rng: RngLike = None, *, dtype: Any = None,
               device: str = "cpu") -> Any:
    """He/Kaiming uniform, U(+-sqrt(6 / fan_in)): keeps ReLU activations from shrinking."""
    fan_in, _ = fans(shape)
    bound = math.sqrt(6.0 / fan_in)
    return uniform(shape, -bound, bound, rng, dtype=dtype, device=device)


def he_normal(shape: Shape, rng: RngLike = None, *, dtype: Any = None,
              device: str = "cpu") -> Any:
    """He/Kaiming normal, N(0, 2 / fan_in)."""
    fan_in, _ = fans(shape)
    return normal(shape, math.sqrt(2.0 / fan_in), rng, dtype=dtype, device=device)


def lecun_normal(shape: Shape, rng: RngLike = None, *, dtype: Any = None,
                 device: str = "cpu") -> Any:
    """LeCun normal, N(0, 1 / fan_in): what SELU's self-normalisation assumes."""
    fan_in, _ = fans(shape)
    return normal(shape, math.sqrt(1.0 / fan_in), rng, dtype=dtype, device=device)


def small_normal(shape: Shape, rng: RngLike = None, *, std: float = 0.01,
                 dtype: Any = None, device: str = "cpu") -> Any:
    """N(0, std^2) with a small spread (0.01 by default): Hinton's advice for RBM weights."""
    return normal(shape, std, rng, dtype=dtype, device=device)


def zeros(shape: Shape, rng: RngLike = None, *, dtype: Any = None,
          device: str = "cpu") -> Any:
    """All zeros: the usual start for biases. ``rng`` is accepted and ignored."""
    del rng
    return to_device(np.zeros(tuple(shape), dtype=dtype or default_dtype()), device)


Initializer = Callable[..., Any]

INITIALIZERS: dict[str, Initializer] = {
    "sigmoid_uniform": sigmoid_uniform,
    "glorot_uniform": glorot_uniform,
    "glorot_normal": glorot_normal,
    "he_uniform": he_uniform,
    "he_normal": he_normal,
    "lecun_normal": lecun_normal,
    "small_normal": small_normal,
    "zeros": zeros,
}


def get_initializer(name: str) -> Initializer:
    """Look an initialiser up by the name a user types or a saved model stores."""
    try:
        return INITIALIZERS[name]
    except KeyError:
        known = ", ".join(sorted(INITIALIZERS))
        raise ParameterError(f"unknown initialiser {name!r} (expected one of {known})") from None
