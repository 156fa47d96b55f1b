"""Layer normalisation (Ba, Kiros and Hinton 2016): each sample normalised over its own
last dimensions, then scaled and shifted per feature.

Unlike batch normalisation it needs no batch statistics, so training and prediction
compute the same thing and a batch of one is fine (recurrent and transformer layers use
it for that reason). Forward and backward are one op each: the backward is the textbook
closed form over the normalised axes, not a chain of mean/var/div nodes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workbench.core.errors import ParameterError
from workbench.engine.tensor import Tensor, as_tensor, make_result


def layer_norm(x: Any, normalized_shape: int | Sequence[int], weight: Any = None,
               bias: Any = None, eps: float = 1e-5) -> Tensor:
    """(x - mean) / sqrt(var + eps) * weight + bias over the last
    ``len(normalized_shape)`` dimensions, as ``torch.nn.functional.layer_norm``: the
    variance is the biased one (divided by the count), ``weight`` and ``bias`` have
    ``normalized_shape`` (None: 1 and 0)."""
    shape = (int(normalized_shape),) if isinstance(normalized_shape, int) \
        else tuple(int(n) for n in normalized_shape)
    weight = as_tensor(weight) if weight is not None else None
    x = as_tensor(x, like=weight)
    xd = x.data
    k = len(shape)
    if k == 0 or xd.ndim < k or tuple(xd.shape[xd.ndim - k:]) != shape:
        raise ParameterError(f"layer_norm over {shape} needs input ending in those "
                             f"dimensions, got {tuple(xd.shape)}")
    for name, p in (("weight", weight), ("bias", bias)):
        if p is not None and tuple(as_tensor(p).data.shape) != shape:
            raise ParameterError(f"layer_norm's {name} must have shape {shape}, not "
                                 f"{tuple(as_tensor(p).data.shape)}")
    bias = as_tensor(bias, like=x) if bias is not None else None
    axes = tuple(range(xd.ndim - k, xd.ndim))
    lead = tuple(range(xd.ndim - k))
    centred = xd - xd.mean(axis=axes, keepdims=True)
    var = (centred * centred).mean(axis=axes, keepdims=True)
    rstd = var
    rstd += eps
    rstd **= -0.5
    normed = centred
    normed *= rstd                        # x-hat, kept for backward
    y = normed * weight.data if weight is not None else normed.copy()
    if bias is not None:
        y += bias.data

    def backward(gy: Any) -> tuple[Any, ...]:
        grads: list[Any] = []
        if x.requires_grad:
            g = gy * weight.data if weight is not None else gy
            # dx = rstd (g - mean(g) - x-hat mean(g x-hat)) over the normalised axes
            dx = g - g.mean(axis=axes, keepdims=True)
            dx -= normed * (g * normed).mean(axis=axes, keepdims=True)
            dx *= rstd
            grads.append(dx)
        else:
            grads.append(None)
        if weight is not None:
            grads.append((gy * normed).sum(axis=lead) if weight.requires_grad else None)
        if bias is not None:
            grads.append(gy.sum(axis=lead) if bias.requires_grad else None)
        return tuple(grads)

    parents = tuple(p for p in (x, weight, bias) if p is not None)
    return make_result(y, parents, backward)
