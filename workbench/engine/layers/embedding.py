"""``Embedding``: a learned vector per word (or any integer code)."""

from __future__ import annotations

from typing import Any

from workbench.core.errors import ParameterError
from workbench.engine import functional as F
from workbench.engine import init as initializers
from workbench.engine.layers.base import Module
from workbench.engine.tensor import Parameter, Tensor


class Embedding(Module):
    """Maps integer codes in ``[0, num_embeddings)`` to rows of a (num, dim) weight.

    Input: an integer array of any shape (usually (batch, time)); output: that shape
    plus ``embedding_dim``. Only the rows that were looked up receive a gradient.
    ``padding_idx`` (as torch's) names the padding code: its row starts at zeros and
    never receives a gradient, so padding stays a zero vector.
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, init: str = "glorot_uniform",
                 *, padding_idx: int | None = None, rng: initializers.RngLike = None,
                 device: str = "cpu", dtype: Any = None) -> None:
        super().__init__()
        if int(num_embeddings) < 1 or int(embedding_dim) < 1:
            raise ParameterError(
                f"an embedding needs positive sizes, got {num_embeddings} x {embedding_dim}")
        self.num_embeddings = int(num_embeddings)
        self.embedding_dim = int(embedding_dim)
        self.init = init
        if padding_idx is not None and not (
                -self.num_embeddings <= int(padding_idx) < self.num_embeddings):
            raise ParameterError(f"padding_idx {padding_idx} is outside the "
                                 f"{self.num_embeddings} rows of the embedding")
        self.padding_idx = None if padding_idx is None \
            else int(padding_idx) % self.num_embeddings
        self.weight = Parameter(initializers.get_initializer(init)(
            (self.num_embeddings, self.embedding_dim), rng, dtype=dtype, device=device))
        if self.padding_idx is not None:
            self.weight.data[self.padding_idx] = 0

    def forward(self, indices: Any) -> Tensor:
        return F.embedding(indices, self.weight, self.padding_idx)

    def config(self) -> dict[str, Any]:
        config: dict[str, Any] = {"num_embeddings": self.num_embeddings,
                                  "embedding_dim": self.embedding_dim, "init": self.init}
        if self.padding_idx is not None:  # absent: model files from before read the same
            config["padding_idx"] = self.padding_idx
        return config
