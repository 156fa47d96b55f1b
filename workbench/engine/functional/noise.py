"""Dropout: zero a random share ``p`` of the units while training, scale the rest.

Inverted dropout (the survivors are scaled by 1/(1-p) during training), so prediction
needs no change at all. The mask is drawn on the device from the generator passed in,
so a seeded generator gives the same masks run after run.
"""

from __future__ import annotations

from typing import Any

from workbench.core.errors import ParameterError
from workbench.engine.backend import array_module, seed_rng
from workbench.engine.tensor import Tensor, as_tensor, make_result


def dropout(x: Any, p: float = 0.5, training: bool = True, rng: Any = None) -> Tensor:
    """``x`` with each element zeroed with probability ``p`` (identity when not training).

    ``rng`` is a generator from ``backend.seed_rng`` on ``x``'s device, or an int seed
    (a fresh generator each call: fine for tests, wrong inside a training loop, where
    every batch would get the same mask).
    """
    if not 0.0 <= p < 1.0:
        raise ParameterError(f"dropout probability must be in [0, 1), not {p}")
    x = as_tensor(x)
    if not training or p == 0.0:
        return x
    xd = x.data
    xp = array_module(xd)
    if rng is None or isinstance(rng, int):
        rng = seed_rng(rng, xp)
    dtype = xd.dtype if xd.dtype.kind == "f" else None
    keep = rng.random(xd.shape, dtype=dtype) >= p
    mask = keep.astype(xd.dtype)
    mask *= 1.0 / (1.0 - p)
    return make_result(xd * mask, (x,), lambda gy: (gy * mask,))
