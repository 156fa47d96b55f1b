"""``Dropout``: zeroes a random share of activations while training, nothing at evaluation."""

from __future__ import annotations

from typing import Any

from workbench.core.errors import ParameterError
from workbench.engine import functional as F
from workbench.engine.backend import get_xp, seed_rng
from workbench.engine.layers.base import Module
from workbench.engine.tensor import Tensor


class Dropout(Module):
    """Drops each value with probability ``p`` in training mode (inverted dropout: the
    survivors are scaled by 1/(1-p), so evaluation needs no rescaling).

    The masks are drawn on the device from a generator seeded by ``seed``, so a seeded
    run drops the same units every time.
    """

    def __init__(self, p: float = 0.5, *, seed: int | None = None, device: str = "cpu") -> None:
        super().__init__()
        if not 0.0 <= float(p) < 1.0:
            raise ParameterError(f"the dropout probability must be in [0, 1), got {p}")
        self.p = float(p)
        self.seed = seed
        self._rng = seed_rng(seed, get_xp(device))

    def forward(self, x: Tensor) -> Tensor:
        if not self.training or self.p == 0.0:
            return x
        return F.dropout(x, self.p, self.training, self._rng)

    def config(self) -> dict[str, Any]:
        return {"p": self.p, "seed": self.seed}
