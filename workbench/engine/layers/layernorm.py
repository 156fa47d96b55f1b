"""``LayerNorm``: each sample normalised over its last dimensions, then scaled per feature."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workbench.core.errors import ParameterError
from workbench.engine import functional as F
from workbench.engine import init as initializers
from workbench.engine.layers.base import Module
from workbench.engine.tensor import Parameter, Tensor


class LayerNorm(Module):
    """torch's ``nn.LayerNorm``: normalise over the trailing ``normalized_shape``
    (usually the feature count), then multiply by ``weight`` (starts at 1) and add
    ``bias`` (starts at 0) when ``elementwise_affine``. The same in training and
    prediction, so it holds no running statistics."""

    def __init__(self, normalized_shape: int | Sequence[int], eps: float = 1e-5,
                 elementwise_affine: bool = True, *, device: str = "cpu",
                 dtype: Any = None) -> None:
        super().__init__()
        shape = [normalized_shape] if isinstance(normalized_shape, int) \
            else list(normalized_shape)
        if not shape or any(int(n) < 1 for n in shape):
            raise ParameterError(f"layer norm needs positive sizes, got {normalized_shape}")
        if not eps > 0:
            raise ParameterError(f"layer norm's eps must be positive, not {eps}")
        self.normalized_shape = tuple(int(n) for n in shape)
        self.eps = float(eps)
        self.elementwise_affine = bool(elementwise_affine)
        self.weight: Parameter | None = None
        self.bias: Parameter | None = None
        if self.elementwise_affine:
            self.weight = Parameter(initializers.ones(self.normalized_shape, dtype=dtype,
                                                      device=device))
            self.bias = Parameter(initializers.zeros(self.normalized_shape, dtype=dtype,
                                                     device=device))

    def forward(self, x: Tensor) -> Tensor:
        return F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)

    def config(self) -> dict[str, Any]:
        return {"normalized_shape": list(self.normalized_shape), "eps": self.eps,
                "elementwise_affine": self.elementwise_affine}
