"""``BatchNorm``: batch normalisation for dense (N, C) and image (N, C, H, W) inputs."""

from __future__ import annotations

from typing import Any

import numpy as np

from workbench.core.errors import ParameterError
from workbench.engine import functional as F
from workbench.engine import init as initializers
from workbench.engine.backend import default_dtype
from workbench.engine.layers.base import Module
from workbench.engine.tensor import Parameter, Tensor


class BatchNorm(Module):
    """Standardises each of ``num_features`` channels (axis 1), then scales and shifts.

    While training, each batch is normalised by its own statistics and the running mean
    and variance follow them (``momentum`` 0.1); in evaluation mode (``train(False)``, and
    every trained classifier's predictions) the running statistics are used, so a
    prediction does not depend on the other rows of its batch. The running statistics
    are buffers: saved and loaded with the weights, never changed by an optimizer. One
    class serves torch's BatchNorm1d and BatchNorm2d: the channel axis is always 1.
    Unlike torch, a training batch of a single row before a dense layer is accepted (see
    ``forward``).
    """

    running_mean: Any  # buffers (see Module.register_buffer)
    running_var: Any

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1,
                 affine: bool = True, *, device: str = "cpu", dtype: Any = None) -> None:
        super().__init__()
        if int(num_features) < 1:
            raise ParameterError(f"batch normalisation needs at least one feature, got "
                                 f"{num_features}")
        if not float(eps) > 0:
            raise ParameterError(f"batch normalisation's eps must be positive, got {eps}")
        if not 0 <= float(momentum) <= 1:
            raise ParameterError(f"batch normalisation's momentum must lie in [0, 1], "
                                 f"got {momentum}")
        self.num_features = int(num_features)
        self.eps = float(eps)
        self.momentum = float(momentum)
        dtype = np.dtype(dtype or default_dtype())
        shape = (self.num_features,)
        # Through the initialisers, so a model file's network is built on placeholders.
        self.weight = Parameter(initializers.ones(shape, dtype=dtype, device=device)) \
            if affine else None
        self.bias = Parameter(initializers.zeros(shape, dtype=dtype, device=device)) \
            if affine else None
        self.register_buffer("running_mean",
                             initializers.zeros(shape, dtype=dtype, device=device))
        self.register_buffer("running_var",
                             initializers.ones(shape, dtype=dtype, device=device))

    def forward(self, x: Tensor) -> Tensor:
        # A training batch with one value per channel (the last, one-row batch of an
        # epoch before a dense layer) has no variance: torch refuses it, which would end
        # a user's training on the last batch. It is normalised with the running
        # statistics instead, and leaves them as they are.
        shape = x.shape
        alone = shape[0] * int(np.prod(shape[2:], dtype=np.int64)) < 2 if len(shape) >= 2 \
            else False
        return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                            training=self.training and not alone, momentum=self.momentum,
                            eps=self.eps)

    def config(self) -> dict[str, Any]:
        return {"num_features": self.num_features, "eps": self.eps,
                "momentum": self.momentum, "affine": self.weight is not None}
