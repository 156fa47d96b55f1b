"""Activation layers: parameter-free wrappers so a ``Sequential`` can name its nonlinearity."""

from __future__ import annotations

from typing import Any

from workbench.core.errors import ParameterError
from workbench.engine import functional as F
from workbench.engine.layers.base import Module
from workbench.engine.tensor import Tensor


class ReLU(Module):
    """max(0, x): the default for deep and convolutional networks."""

    def forward(self, x: Tensor) -> Tensor:
        return F.relu(x)


class LeakyReLU(Module):
    """x for x > 0, ``negative_slope * x`` otherwise: keeps a gradient for negative inputs."""

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__()
        self.negative_slope = float(negative_slope)

    def forward(self, x: Tensor) -> Tensor:
        return F.leaky_relu(x, self.negative_slope)

    def config(self) -> dict[str, Any]:
        return {"negative_slope": self.negative_slope}


class ELU(Module):
    """x for x > 0, ``alpha * (exp(x) - 1)`` otherwise."""

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__()
        self.alpha = float(alpha)

    def forward(self, x: Tensor) -> Tensor:
        return F.elu(x, self.alpha)

    def config(self) -> dict[str, Any]:
        return {"alpha": self.alpha}


class GELU(Module):
    """x Phi(x), the transformers' unit; ``approximate="tanh"`` is its cheaper tanh form
    (torch's ``nn.GELU(approximate=...)``)."""

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ParameterError(f"GELU's approximate must be 'none' or 'tanh', not "
                                 f"{approximate!r}")
        self.approximate = approximate

    def forward(self, x: Tensor) -> Tensor:
        return F.gelu(x, self.approximate)

    def config(self) -> dict[str, Any]:
        return {"approximate": self.approximate}


class SiLU(Module):
    """x sigmoid(x) ("swish"): smooth like GELU, cheaper."""

    def forward(self, x: Tensor) -> Tensor:
        return F.silu(x)


class SELU(Module):
    """Scaled ELU with the constants of self-normalising networks (use LeCun-style
    initial weights and no batch norm)."""

    def forward(self, x: Tensor) -> Tensor:
        return F.selu(x)


class Sigmoid(Module):
    """The logistic unit of the classic back-propagation networks."""

    def forward(self, x: Tensor) -> Tensor:
        return F.sigmoid(x)


class Tanh(Module):
    """tanh: a zero-centred sigmoid, the Theano tutorials' MLP hidden unit."""

    def forward(self, x: Tensor) -> Tensor:
        return F.tanh(x)


class Softmax(Module):
    """Class probabilities along ``dim``; train with ``log_softmax`` + NLL for stability."""

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = int(dim)

    def forward(self, x: Tensor) -> Tensor:
        return F.softmax(x, dim=self.dim)

    def config(self) -> dict[str, Any]:
        return {"dim": self.dim}


class LogSoftmax(Module):
    """Log class probabilities along ``dim``, the input ``nll_loss`` expects."""

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = int(dim)

    def forward(self, x: Tensor) -> Tensor:
        return F.log_softmax(x, dim=self.dim)

    def config(self) -> dict[str, Any]:
        return {"dim": self.dim}
