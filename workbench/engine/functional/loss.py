"""Loss functions: cross-entropy (fused), negative log-likelihood, squared, absolute and
smooth-L1 error, BCE.

``cross_entropy`` is log_softmax and nll in one op: its backward is the stable
``softmax - onehot`` (times the weights), never a division by a tiny probability.
Class axis is 1, as in torch: logits (N, C) or (N, C, d1, ...) with targets (N, d1, ...).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from workbench.core.errors import ParameterError
from workbench.engine import backend
from workbench.engine.backend import array_module
from workbench.engine.functional.activation import _log_softmax_data, sigmoid_data
from workbench.engine.tensor import Tensor, as_tensor, make_result

_REDUCTIONS = ("mean", "sum", "none")
# torch clamps BCE's p (1 - p) at a C float 1e-12, which is 9.99999996e-13 as a double;
# the same constant keeps the gradient at p = 0 or 1 equal to torch's to the last digit.
_BCE_EPSILON = float(np.float32(1e-12))


def _check_reduction(reduction: str) -> None:
    if reduction not in _REDUCTIONS:
        raise ParameterError(f"reduction must be one of {_REDUCTIONS}, not {reduction!r}")


def _targets(target: Any, xp: Any, n_classes: int, ignore_index: int | None = None) -> Any:
    """Integer class indices as an xp array; range-checked on the CPU (``ignore_index``
    is allowed anywhere).

    On the GPU the check would cost a device-to-host sync per batch, so it is skipped
    there (CuPy then raises on its own for indices past the end).
    """
    t = target.data if isinstance(target, Tensor) else target
    t = xp.asarray(t)
    if t.dtype.kind not in "iu":
        raise ParameterError(f"class targets must be integer indices, not {t.dtype}")
    if xp.__name__ == "numpy" and t.size:
        # One reduction per batch finds both ends: as unsigned, a negative code wraps to
        # a huge value (this runs once per step, so it is kept to one pass).
        wide = t.view(np.uint64) if t.dtype.itemsize == 8 else t.astype(np.uint64)
        if int(backend.to_host(wide.max())) >= n_classes:
            outside = (t < 0) | (t >= n_classes)
            if ignore_index is not None:
                outside &= t != ignore_index
            bad = backend.to_host(t)[backend.to_host(outside)]
            if bad.size:
                lo, hi = int(bad.min()), int(bad.max())
                raise ParameterError(f"class target {lo if lo < 0 else hi} is outside "
                                     f"0..{n_classes - 1}")
    return t


def _to_rows(x: Any) -> tuple[Any, tuple[int, ...]]:
    """(N, C, d...) -> (N*d..., C) so every loss works on rows; returns the row shape."""
    if x.ndim == 2:
        return x, x.shape[:1]
    xp = array_module(x)
    moved = xp.moveaxis(x, 1, -1)
    return moved.reshape(-1, x.shape[1]), moved.shape[:-1]


def _from_rows(g: Any, shape: tuple[int, ...]) -> Any:
    """Inverse of ``_to_rows`` for a gradient."""
    if len(shape) == 2:
        return g
    xp = array_module(g)
    return xp.moveaxis(g.reshape(shape), -1, 1)


def _reduce(losses: Any, w_rows: Any, reduction: str, xp: Any) -> tuple[Any, Any]:
    """Reduce per-row losses; returns (value, the mean's denominator or None)."""
    if reduction == "none":
        return losses, None
    if reduction == "sum":
        return losses.sum(), None
    denom = w_rows.sum() if w_rows is not None else losses.dtype.type(losses.size)
    return losses.sum() / denom, denom


def cross_entropy(logits: Any, target: Any, weight: Any = None, reduction: str = "mean",
                  *, ignore_index: int = -100, label_smoothing: float = 0.0) -> Tensor:
    """Softmax cross-entropy of integer ``target`` under ``logits``, one fused op, with
    torch's options.

    ``weight`` (C,) rescales each class; with "mean" the result is divided by the
    summed weights of the targets, as in torch. Rows whose target is ``ignore_index``
    (padding, unlabelled steps) add nothing and do not count in the mean.
    ``label_smoothing`` e mixes the one-hot target with the uniform distribution:
    (1 - e) times the usual loss plus e/C times the summed (weighted) -log p of every
    class, exactly torch's formula.
    """
    _check_reduction(reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ParameterError(f"label_smoothing must be in [0, 1], not {label_smoothing}")
    logits = as_tensor(logits)
    ld = logits.data
    xp = array_module(ld)
    rows, row_shape = _to_rows(ld)
    n, c = rows.shape
    t = _targets(target, xp, c, ignore_index).reshape(-1)
    if t.shape[0] != n:
        raise ParameterError(f"{t.shape[0]} targets for {n} rows of logits")
    logp = _log_softmax_data(rows, -1)
    ar = xp.arange(n)
    kept = t != ignore_index
    t = xp.where(kept, t, 0)  # any class: the row's weight below is 0
    w = as_tensor(weight, like=logits).data if weight is not None else None
    # Each row's share: its class weight (1 without weights), 0 where ignored.
    w_rows = w[t] * kept if w is not None else kept.astype(ld.dtype)
    losses = -logp[ar, t]
    losses *= w_rows
    smoothing = float(label_smoothing)
    if smoothing:
        uniform = -(logp @ w) if w is not None else -logp.sum(axis=1)
        uniform *= kept
        losses *= 1.0 - smoothing
        losses += uniform * (smoothing / c)
    value, denom = _reduce(losses, w_rows, reduction, xp)
    if reduction == "none":
        value = value.reshape(row_shape)

    def backward(gy: Any) -> tuple[Any]:
        g = xp.exp(logp)  # softmax
        scale = gy.reshape(-1) if reduction == "none" else gy
        if denom is not None:
            scale = scale / denom
        if not smoothing:
            g[ar, t] -= 1.0
            g *= (w_rows * scale)[:, None]
        else:
            # (1 - e) w_t (p - onehot) + e/C (p sum(w) - w), per kept row
            total = w.sum() if w is not None else ld.dtype.type(c)
            nll_share = w_rows * (1.0 - smoothing)
            spread = kept.astype(ld.dtype)
            spread *= smoothing / c
            g *= (nll_share + spread * total)[:, None]
            g[ar, t] -= nll_share
            g -= spread[:, None] * (w if w is not None else 1.0)
            g *= scale[:, None] if getattr(scale, "ndim", 0) else scale
        return (_from_rows(g, (*row_shape, c)) if ld.ndim != 2 else g,)

    return make_result(value, (logits,), backward)


def nll_loss(log_probs: Any, target: Any, weight: Any = None, reduction: str = "mean"
             ) -> Tensor:
    """Negative log-likelihood of integer ``target`` under ``log_probs`` (N, C, ...)."""
    _check_reduction(reduction)
    log_probs = as_tensor(log_probs)
    ld = log_probs.data
    xp = array_module(ld)
    rows, row_shape = _to_rows(ld)
    n, c = rows.shape
    t = _targets(target, xp, c).reshape(-1)
    if t.shape[0] != n:
        raise ParameterError(f"{t.shape[0]} targets for {n} rows of log-probabilities")
    ar = xp.arange(n)
    w = as_tensor(weight).data if weight is not None else None
    w_rows = w[t] if w is not None else None
    losses = -rows[ar, t]
    if w_rows is not None:
        losses = losses * w_rows
    value, denom = _reduce(losses, w_rows, reduction, xp)
    if reduction == "none":
        value = value.reshape(row_shape)

    def backward(gy: Any) -> tuple[Any]:
        scale = gy.reshape(-1) if reduction == "none" else xp.broadcast_to(gy, (n,))
        scale = -scale
        if w_rows is not None:
            scale = scale * w_rows
        if denom is not None:
            scale = scale / denom
        g = xp.zeros(rows.shape, dtype=ld.dtype)
        g[ar, t] = scale
        return (_from_rows(g, (*row_shape, c)) if ld.ndim != 2 else g,)

    return make_result(value, (log_probs,), backward)


def mse_loss(input: Any, target: Any, reduction: str = "mean") -> Tensor:
    """Squared error (x - t)^2, averaged over every element by default (torch's rule)."""
    _check_reduction(reduction)
    x = as_tensor(input)
    t = as_tensor(target, like=x)
    diff = x.data - t.data
    sq = diff * diff
    value = sq if reduction == "none" else (sq.sum() if reduction == "sum" else sq.mean())
    scale = 2.0 / diff.size if reduction == "mean" else 2.0

    def backward(gy: Any) -> tuple[Any, Any]:
        g = diff * scale
        g *= gy
        return (g if x.requires_grad else None, -g if t.requires_grad else None)

    return make_result(value, (x, t), backward)


def _elementwise(value: Any, reduction: str) -> tuple[Any, float]:
    """Reduce element losses; returns (value, factor of the incoming gradient)."""
    if reduction == "none":
        return value, 1.0
    if reduction == "sum":
        return value.sum(), 1.0
    return value.mean(), 1.0 / max(value.size, 1)


def l1_loss(input: Any, target: Any, reduction: str = "mean") -> Tensor:
    """Absolute error |x - t|, averaged over every element by default; the gradient is
    sign(x - t), 0 where they are equal (as torch)."""
    _check_reduction(reduction)
    x = as_tensor(input)
    t = as_tensor(target, like=x)
    diff = x.data - t.data
    xp = array_module(diff)
    value, factor = _elementwise(xp.abs(diff), reduction)

    def backward(gy: Any) -> tuple[Any, Any]:
        g = xp.sign(diff)
        g *= gy * factor if factor != 1.0 else gy
        return (g if x.requires_grad else None, -g if t.requires_grad else None)

    return make_result(value, (x, t), backward)


def smooth_l1_loss(input: Any, target: Any, reduction: str = "mean",
                   beta: float = 1.0) -> Tensor:
    """Huber-like error, torch's definition: 0.5 d^2 / beta where |d| < beta, else
    |d| - 0.5 beta (d = x - t); quadratic near the target, linear (robust to outliers)
    far from it. ``beta`` 0 is the L1 loss."""
    _check_reduction(reduction)
    if not beta >= 0:  # written so that NaN fails too
        raise ParameterError(f"smooth_l1_loss needs beta >= 0, not {beta}")
    if beta == 0:
        return l1_loss(input, target, reduction)
    x = as_tensor(input)
    t = as_tensor(target, like=x)
    diff = x.data - t.data
    xp = array_module(diff)
    size = xp.abs(diff)
    near = size < beta
    losses = xp.where(near, diff * diff * (0.5 / beta), size - 0.5 * beta)
    value, factor = _elementwise(losses, reduction)

    def backward(gy: Any) -> tuple[Any, Any]:
        g = xp.where(near, diff * (1.0 / beta), xp.sign(diff))
        g *= gy * factor if factor != 1.0 else gy
        return (g if x.requires_grad else None, -g if t.requires_grad else None)

    return make_result(value, (x, t), backward)


def binary_cross_entropy(input: Any, target: Any, weight: Any = None,
                         reduction: str = "mean") -> Tensor:
    """-(t log p + (1 - t) log(1 - p)) for probabilities ``input``.

    As in torch, each log is clamped at -100 so p = 0 or 1 gives a finite loss; the
    gradient divides by p (1 - p) clamped away from 0 for the same reason.
    """
    _check_reduction(reduction)
    p = as_tensor(input)
    t = as_tensor(target, like=p)
    pd, td = p.data, t.data
    xp = array_module(pd)
    with np.errstate(divide="ignore"):  # log(0) = -inf, clamped just below
        log_p = xp.maximum(xp.log(pd), -100.0)
        log_q = xp.maximum(xp.log1p(-pd), -100.0)
    losses = -(td * log_p + (1.0 - td) * log_q)
    w = as_tensor(weight, like=p).data if weight is not None else None
    if w is not None:
        losses = losses * w
    value = (losses if reduction == "none"
             else losses.sum() if reduction == "sum" else losses.mean())
    n = losses.size

    def backward(gy: Any) -> tuple[Any, Any]:
        denom = xp.maximum(pd * (1.0 - pd), _BCE_EPSILON)
        g = (pd - td) / denom
        if w is not None:
            g = g * w
        g = g * gy if reduction != "mean" else g * (gy / n)
        gt = None
        if t.requires_grad:
            # Unclamped, as torch: d/dt of the true loss (inf at p = 0 or 1).
            with np.errstate(divide="ignore"):
                gt = xp.log1p(-pd) - xp.log(pd)
            gt *= gy if reduction != "mean" else gy / n
            if w is not None:
                gt = gt * w
        return (g if p.requires_grad else None, gt)

    return make_result(value, (p, t), backward)


def binary_cross_entropy_with_logits(input: Any, target: Any,
                                     reduction: str = "mean") -> Tensor:
    """BCE of sigmoid(input), fused: stable for any logit, gradient sigmoid(x) - t."""
    _check_reduction(reduction)
    x = as_tensor(input)
    t = as_tensor(target, like=x)
    xd, td = x.data, t.data
    xp = array_module(xd)
    # (1 - t) x - log sigmoid(x), torch's arrangement: (1 - t) x keeps full precision
    # for targets near 1, where max(x, 0) - t x would cancel.
    losses = (1.0 - td) * xd - xp.minimum(xd, 0) + xp.log1p(xp.exp(-xp.abs(xd)))
    value = (losses if reduction == "none"
             else losses.sum() if reduction == "sum" else losses.mean())
    n = losses.size

    def backward(gy: Any) -> tuple[Any, Any]:
        s = sigmoid_data(xd)
        scale = gy / n if reduction == "mean" else gy
        gx = (s - td) * scale if x.requires_grad else None
        gt = -xd * scale if t.requires_grad else None
        return gx, gt

    return make_result(value, (x, t), backward)
