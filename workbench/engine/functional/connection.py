"""Layers' linear maps: fully connected (``linear``) and lookup (``embedding``).

``linear`` is one GEMM forward and two in backward, whatever the leading dimensions.
Convolution lives in ``convolution.py``.
"""

from __future__ import annotations

from typing import Any

from workbench.core.errors import InvalidDataError, ParameterError
from workbench.engine.functional.array import scatter_add
from workbench.engine.tensor import Tensor, as_tensor, make_result


def linear(x: Any, weight: Any, bias: Any = None) -> Tensor:
    """y = x W^T + b with ``weight`` shaped (out, in) as in PyTorch; ``x`` is (..., in)."""
    weight = as_tensor(weight)
    x = as_tensor(x, like=weight)  # a raw float64 batch is cast, never upcasts the layer
    xd, wd = x.data, weight.data
    lead = xd.shape[:-1]
    x2 = xd.reshape(-1, xd.shape[-1]) if xd.ndim != 2 else xd
    y = x2 @ wd.T
    if bias is not None:
        bias = as_tensor(bias)
        y += bias.data
    out_shape = (*lead, wd.shape[0])

    def backward(gy: Any) -> tuple[Any, ...]:
        g2 = gy.reshape(-1, gy.shape[-1]) if gy.ndim != 2 else gy
        gx = (g2 @ wd).reshape(xd.shape) if x.requires_grad else None
        gw = g2.T @ x2 if weight.requires_grad else None
        if bias is None:
            return gx, gw
        gb = g2.sum(axis=0) if bias.requires_grad else None
        return gx, gw, gb

    parents = (x, weight) if bias is None else (x, weight, bias)
    return make_result(y.reshape(out_shape) if y.shape != out_shape else y, parents, backward)


def embedding(indices: Any, weight: Any, padding_idx: int | None = None) -> Tensor:
    """Rows of ``weight`` (num, dim) picked by integer ``indices`` of any shape.

    Backward scatter-adds into a zero gradient of ``weight``'s shape, so a word seen
    twice in a batch gets both contributions. The row ``padding_idx`` (negative counts
    from the end, as in torch) gets no gradient: padding never learns a meaning, so
    its vector stays what it was set to (zeros in ``Embedding``).
    """
    idx = indices.data if isinstance(indices, Tensor) else indices
    weight = as_tensor(weight)
    wd = weight.data
    xp = weight.xp
    idx = xp.asarray(idx)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"embedding indices must be integers, not {idx.dtype}")
    if padding_idx is not None:
        rows = wd.shape[0]
        if not -rows <= padding_idx < rows:
            raise ParameterError(f"padding_idx {padding_idx} is outside the {rows} rows of "
                                 f"the embedding")
        padding_idx %= rows
    if idx.size:
        # Checked here: NumPy would read a negative index from the end and the GPU would
        # read past the table, both silently.
        low, high = int(idx.min()), int(idx.max())
        if low < 0 or high >= wd.shape[0]:
            raise InvalidDataError(f"embedding index {low if low < 0 else high} is "
                                   f"outside the table of {wd.shape[0]} rows "
                                   f"(0..{wd.shape[0] - 1})")

    def backward(gy: Any) -> tuple[Any]:
        gw = xp.zeros(wd.shape, dtype=gy.dtype)
        scatter_add(gw, idx.reshape(-1), gy.reshape(-1, wd.shape[1]))
        if padding_idx is not None:
            gw[padding_idx] = 0
        return (gw,)

    return make_result(wd[idx], (weight,), backward)
