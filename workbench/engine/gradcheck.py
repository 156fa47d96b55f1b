"""Numerical gradient checking: the one test every differentiable function must pass.

``gradcheck`` compares the gradient that backward computes with float64 central
differences (f(x + eps) - f(x - eps)) / 2 eps, element by element. A random projection
``v`` (seeded) turns any output shape into the scalar sum(f(x) * v), so one backward
checks every output at once and a mistake in one output's gradient cannot hide behind
another's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from workbench.engine.backend import array_module, to_host
from workbench.engine.tensor import Tensor, no_grad


def _projected(out: Tensor, v: Any) -> float:
    return float(to_host((out.data * v).sum()))


def gradcheck(fn: Callable[..., Tensor], inputs: Sequence[Any], eps: float = 1e-6,
              atol: float = 1e-6, rtol: float = 1e-4, seed: int = 0,
              check: Sequence[bool] | None = None) -> None:
    """Raise AssertionError naming the worst mismatch if backward disagrees with
    central differences.

    ``inputs`` are Tensors or arrays; float ones are copied to float64 tensors that
    require a gradient (unless ``check[i]`` is False), others (integer class targets,
    indices) are passed through as constants. ``fn`` must be deterministic: build any
    random generator inside it from a fixed seed. A mismatch counts where
    ``|analytic - numeric| > atol + rtol * |numeric|``.
    """
    tensors: list[Any] = []
    wanted: list[bool] = []
    for i, x in enumerate(inputs):
        data = x.data if isinstance(x, Tensor) else x
        xp = array_module(data)
        data = xp.asarray(data)
        differentiable = data.dtype.kind == "f" and (check is None or bool(check[i]))
        if data.dtype.kind == "f":
            data = data.astype(np.float64)  # always a fresh copy we may perturb
        tensors.append(Tensor(data, requires_grad=differentiable))
        wanted.append(differentiable)

    out = fn(*tensors)
    if not isinstance(out, Tensor):
        raise AssertionError(f"gradcheck: fn returned {type(out).__name__}, not a Tensor")
    if out.dtype != np.float64:
        raise AssertionError(f"gradcheck: fn's output is {out.dtype}; keep it float64")
    xp = array_module(out.data)
    rng = np.random.default_rng(seed)
    v = xp.asarray(rng.uniform(0.5, 1.5, size=out.shape) * rng.choice([-1.0, 1.0],
                                                                      size=out.shape))
    if not out.requires_grad:
        raise AssertionError("gradcheck: the output does not depend on any input "
                             "that requires a gradient")
    out.backward(v)

    worst: tuple[float, str] = (-np.inf, "")
    failures = 0
    for i, t in enumerate(tensors):
        if not wanted[i]:
            continue
        analytic = to_host(t.grad) if t.grad is not None else np.zeros(t.shape)
        if analytic.shape != t.shape:
            raise AssertionError(f"gradcheck: input {i} has shape {t.shape} but its "
                                 f"gradient has shape {analytic.shape}")
        numeric = np.zeros(t.shape)
        flat = t.data.reshape(-1)  # a view: perturbing it perturbs the input
        for j in range(flat.size):
            orig = flat[j].copy()
            flat[j] = orig + eps
            with no_grad():
                plus = _projected(fn(*tensors), v)
            flat[j] = orig - eps
            with no_grad():
                minus = _projected(fn(*tensors), v)
            flat[j] = orig
            numeric.reshape(-1)[j] = (plus - minus) / (2 * eps)
        excess = np.abs(analytic - numeric) - (atol + rtol * np.abs(numeric))
        failures += int((excess > 0).sum())
        if excess.size:
            k = int(np.argmax(excess))
            if excess.reshape(-1)[k] > worst[0]:
                idx = np.unravel_index(k, t.shape) if t.shape else ()
                worst = (float(excess.reshape(-1)[k]),
                         f"input {i} at index {tuple(int(a) for a in idx)}: "
                         f"analytic {analytic.reshape(-1)[k]:.9g}, "
                         f"numeric {numeric.reshape(-1)[k]:.9g}")
    if failures:
        raise AssertionError(f"gradcheck: {failures} gradient entries disagree; worst is "
                             f"{worst[1]} (atol={atol}, rtol={rtol}, eps={eps})")
