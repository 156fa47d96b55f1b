"""``Dense``: the fully connected layer, y = x W' + b with W shaped (out, in)."""

from __future__ import annotations

from typing import Any

from workbench.core.errors import ParameterError
from workbench.engine import functional as F
from workbench.engine import init as initializers
from workbench.engine.layers.base import Module
from workbench.engine.tensor import Parameter, Tensor


class Dense(Module):
    """Fully connected layer with ``in_features`` inputs and ``out_features`` outputs.

    ``init`` names the weight initialiser ("glorot_uniform" suits tanh, "he_uniform"
    ReLU, "sigmoid_uniform" the sigmoid networks of the Theano tutorials); biases start
    at zero. ``rng`` (a seed or a NumPy Generator) makes the initial weights repeatable.
    The weight has PyTorch's shape (out, in), so an RBM's weight drops straight in.
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True,
                 init: str = "glorot_uniform", *, rng: initializers.RngLike = None,
                 device: str = "cpu", dtype: Any = None) -> None:
        super().__init__()
        if int(in_features) < 1 or int(out_features) < 1:
            raise ParameterError(
                f"a dense layer needs positive sizes, got {in_features} -> {out_features}")
        self.in_features = int(in_features)
        self.out_features = int(out_features)
        self.init = init
        make = initializers.get_initializer(init)
        self.weight = Parameter(make((self.out_features, self.in_features), rng,
                                     dtype=dtype, device=device))
        self.bias = (Parameter(initializers.zeros((self.out_features,), dtype=dtype,
                                                  device=device)) if bias else None)

    def forward(self, x: Tensor) -> Tensor:
        return F.linear(x, self.weight, self.bias)

    def config(self) -> dict[str, Any]:
        return {"in_features": self.in_features, "out_features": self.out_features,
                "bias": self.bias is not None, "init": self.init}
