"""Weight initialisers: the schemes the tutorials name, each one seeded.

Every initialiser draws on the host with a NumPy ``Generator`` and moves the result to
the device once. Initialisation happens once per parameter, so the transfer costs nothing
that matters, and in exchange one seed gives bit-identical starting weights on the CPU
and on a GPU, which is what makes a run reproducible across machines.

Fan-in and fan-out follow PyTorch's convention: a weight shaped ``(out, in)`` has
``fan_in = in`` and ``fan_out = out``; a convolution kernel ``(out, in, kh, kw)`` has
``fan_in = in*kh*kw`` and ``fan_out = out*kh*kw``.

Under ``placeholders()`` (what loading a model file builds its network under) the
initialisers draw nothing and allocate nothing: each returns a zero-stride array of the
asked shape, and the build is charged for the arrays, numbers and layers it asks for.
A model file's layer description is a stranger's JSON; building it at full size before
comparing it with the stored weights once let a 3 KB file allocate gigabytes. Built
this way, a layer costs nothing until the stored arrays take the placeholders' places,
and a description that asks for more than the file stores is refused while it is
being built.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
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


# Layers (modules, parameter-free ones included) a placeholder build may make: far more
# than any network we train (a deep CNN has a few dozen), far fewer than a crafted list of
# a million activations, each a Python object, would cost.
MAX_PLACEHOLDER_MODULES = 10_000


@dataclass
class _Budget:
    """What a build under ``placeholders()`` may still ask for."""

    arrays: int
    numbers: int
    modules: int
    stored: str = ""  # what the budget stands for, for the refusals

    def __post_init__(self) -> None:
        self.stored = f"{self.arrays} arrays of {self.numbers} numbers in all"

    def charge(self, shape: tuple[int, ...]) -> None:
        if any(size < 0 for size in shape):
            raise ParameterError(f"an array cannot have the shape {shape}")
        count = math.prod(shape)
        self.arrays -= 1
        self.numbers -= count
        if self.arrays < 0:
            raise ParameterError(f"the layer description makes more arrays than the "
                                 f"{self.stored} that are stored")
        if self.numbers < 0:
            raise ParameterError(f"the layer description makes an array of shape {shape} "
                                 f"({count} numbers), more than the {self.stored} that "
                                 f"are stored")


# Per thread (and task): a model loading in one worker never turns another's training
# initialisers into placeholders.
_BUDGET: ContextVar[_Budget | None] = ContextVar("placeholder_budget", default=None)


@contextmanager
def placeholders(arrays: int, numbers: int,
                 modules: int = MAX_PLACEHOLDER_MODULES) -> Iterator[None]:
    """Build layers without drawing or allocating their arrays (see the module notes).

    Inside, every initialiser returns a writeable zero-stride placeholder (constructors
    may still write to it, as LSTM's forget-gate bias does, at no cost) and the build may
    make at most ``arrays`` arrays holding ``numbers`` numbers in all, in at most
    ``modules`` layers; more is refused with a ``ParameterError`` at once. The
    placeholders must be replaced (``Module.adopt_state_dict``) before the layers run.
    """
    token = _BUDGET.set(_Budget(int(arrays), int(numbers), int(modules)))
    try:
        yield
    finally:
        _BUDGET.reset(token)


def charge_module() -> None:
    """Count one more layer against a placeholder build's budget (a no-op outside one)."""
    budget = _BUDGET.get()
    if budget is not None:
        budget.modules -= 1
        if budget.modules < 0:
            raise ParameterError(f"the layer description makes more than "
                                 f"{MAX_PLACEHOLDER_MODULES} layers")


def _placeholder(shape: Shape, dtype: Any) -> np.ndarray | None:
    """A charged zero-stride stand-in for an array of ``shape`` inside ``placeholders()``,
    None outside it (the initialiser then makes the real array)."""
    budget = _BUDGET.get()
    if budget is None:
        return None
    dims = tuple(int(s) for s in shape)
    budget.charge(dims)
    return np.lib.stride_tricks.as_strided(
        np.zeros(1, dtype=dtype or default_dtype()), shape=dims, strides=(0,) * len(dims),
        writeable=True)


def _finish(values: np.ndarray, dtype: Any, device: str) -> Any:
    return to_device(values.astype(dtype or default_dtype(), copy=False), device)


def uniform(shape: Shape, low: float, high: float, rng: RngLike = None, *,
            dtype: Any = None, device: str = "cpu") -> Any:
    """Values drawn uniformly from ``[low, high)``."""
    stand_in = _placeholder(shape, dtype)
    if stand_in is not None:
        return stand_in
    return _finish(as_generator(rng).uniform(low, high, size=tuple(shape)), dtype, device)


def normal(shape: Shape, std: float, rng: RngLike = None, *, mean: float = 0.0,
           dtype: Any = None, device: str = "cpu") -> Any:
    """Values drawn from a normal distribution with the given mean and spread."""
    stand_in = _placeholder(shape, dtype)
    if stand_in is not None:
        return stand_in
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
    return _filled(shape, 0.0, dtype, device)


def ones(shape: Shape, rng: RngLike = None, *, dtype: Any = None,
         device: str = "cpu") -> Any:
    """All ones: batch and layer normalisation's starting scale. ``rng`` is ignored."""
    del rng
    return _filled(shape, 1.0, dtype, device)


def _filled(shape: Shape, value: float, dtype: Any, device: str) -> Any:
    """``value`` everywhere, or the stand-in while a model file's network is rebuilt."""
    stand_in = _placeholder(shape, dtype)
    if stand_in is not None:
        return stand_in
    return to_device(np.full(tuple(shape), value, dtype=dtype or default_dtype()), device)


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
