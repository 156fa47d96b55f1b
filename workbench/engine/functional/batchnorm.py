"""Batch normalisation: each channel standardised over the batch, then scaled and shifted.

Behaves as torch's ``batch_norm``: in training the batch's own mean and *biased*
variance normalise it, and the running statistics move toward the batch's by
``momentum`` (0.1), the running variance toward the *unbiased* one; in evaluation the
running statistics normalise and nothing changes. ``eps`` (1e-5) is added to the
variance under the square root. The channel axis is 1, so (N, C), (N, C, L) and
(N, C, H, W) inputs all work; statistics are taken over every other axis.

The backward of training mode is the closed form
dx = w / sigma * (dy - mean(dy) - xhat * mean(dy * xhat)), so the graph holds one
node, not the dozen a composition of mean, sub, pow and div would record. The
running statistics are updated in place on their own device: no host transfer.
"""

from __future__ import annotations

from typing import Any

from workbench.core.errors import ParameterError
from workbench.engine.backend import array_module
from workbench.engine.tensor import Tensor, as_tensor, make_result


def _check(xd: Any, stats: tuple[Any, ...]) -> tuple[int, tuple[int, ...], tuple[int, ...]]:
    """Channels, reduced axes and the broadcast shape of a per-channel array."""
    if xd.ndim < 2:
        raise ParameterError(f"batch_norm needs an input (N, C, ...) with a channel axis, "
                             f"got shape {xd.shape}")
    c = xd.shape[1]
    for name, a in stats:
        if a is not None and tuple(a.shape) != (c,):
            raise ParameterError(f"batch_norm: {name} has shape {tuple(a.shape)}, the "
                                 f"input has {c} channels")
    axes = (0, *range(2, xd.ndim))
    shape = (1, c) + (1,) * (xd.ndim - 2)
    return c, axes, shape


def batch_norm(x: Any, running_mean: Any, running_var: Any, weight: Any = None,
               bias: Any = None, training: bool = False, momentum: float = 0.1,
               eps: float = 1e-5) -> Tensor:
    """Normalise ``x`` per channel (axis 1), as ``torch.nn.functional.batch_norm``.

    ``running_mean`` / ``running_var`` are plain arrays (or None: then training mode
    always uses the batch statistics and evaluation mode is refused); in training mode
    they are updated in place. ``weight`` and ``bias`` (C,) scale and shift the result.
    """
    x = as_tensor(x)
    xd = x.data
    xp = array_module(xd)
    raw = [a.data if isinstance(a, Tensor) else a for a in (running_mean, running_var)]
    running_mean, running_var = raw
    c, axes, shape = _check(xd, (("running_mean", running_mean),
                                 ("running_var", running_var),
                                 ("weight", None if weight is None else as_tensor(weight)),
                                 ("bias", None if bias is None else as_tensor(bias))))
    if not eps > 0:
        raise ParameterError(f"batch_norm: eps must be positive, not {eps!r}")
    if not 0.0 <= momentum <= 1.0:  # NaN too: it would spoil the running statistics
        raise ParameterError(f"batch_norm: momentum must be in [0, 1], not {momentum!r}")
    count = xd.size // max(c, 1)
    if training:
        if count < 2:
            raise ParameterError(f"batch_norm in training needs more than one value per "
                                 f"channel, got input shape {xd.shape}")
        mean = xd.mean(axis=axes)
        centred = xd - mean.reshape(shape)
        var = (centred * centred).mean(axis=axes)
        if running_mean is not None:
            running_mean *= 1 - momentum
            running_mean += momentum * mean
        if running_var is not None:
            running_var *= 1 - momentum
            running_var += (momentum * count / (count - 1)) * var
    else:
        if running_mean is None or running_var is None:
            raise ParameterError("batch_norm in evaluation mode needs running statistics")
        mean, var = running_mean.astype(xd.dtype, copy=False), \
            running_var.astype(xd.dtype, copy=False)
        centred = xd - mean.reshape(shape)
    inv = 1 / xp.sqrt(var + eps)  # 1 / sigma, per channel
    xhat = centred
    xhat *= inv.reshape(shape)
    w = b = None
    # Never hand out xhat itself: backward reads it, and a caller changing the result in
    # place (no affine: the result would be xhat) would change the gradient.
    out = xhat if weight is not None or bias is not None else xhat.copy()
    if weight is not None:
        w = as_tensor(weight, like=x)
        out = xhat * w.data.reshape(shape)
    if bias is not None:
        b = as_tensor(bias, like=x)
        out = out + b.data.reshape(shape)

    def backward(gy: Any) -> tuple[Any, ...]:
        scale = inv if w is None else inv * w.data
        gx = gw = gb = None
        need_sums = training and x.requires_grad
        sum_gy = gy.sum(axis=axes) if need_sums or (b is not None and b.requires_grad) \
            else None
        sum_gy_xhat = (gy * xhat).sum(axis=axes) \
            if need_sums or (w is not None and w.requires_grad) else None
        if x.requires_grad:
            if training:
                gx = gy - (sum_gy / count).reshape(shape)
                gx -= xhat * (sum_gy_xhat / count).reshape(shape)
                gx *= scale.reshape(shape)
            else:
                gx = gy * scale.reshape(shape)
        if w is not None and w.requires_grad:
            gw = sum_gy_xhat
        if b is not None and b.requires_grad:
            gb = sum_gy
        grads = [gx]
        if w is not None:
            grads.append(gw)
        if b is not None:
            grads.append(gb)
        return tuple(grads)

    parents = tuple(t for t in (x, w, b) if t is not None)
    return make_result(out, parents, backward)
