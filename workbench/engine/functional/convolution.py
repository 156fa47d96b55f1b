"""2-D convolution as im2col + one GEMM, and its backward as two GEMMs + col2im.

Layout: the column matrix is (C*kh*kw, N*Ho*Wo), built by kh*kw strided slice copies
(one per kernel offset, each moving a whole (C, N, Ho, Wo) block), so the hot loop is
NumPy's or CuPy's own copy, not Python. The forward is then one GEMM,
W (O, C*kh*kw) @ col, and col2im in backward is kh*kw strided slice-adds (never a
per-element ``add.at``). The same code runs on both devices.
"""

from __future__ import annotations

from typing import Any

from workbench.core.errors import ParameterError
from workbench.engine.backend import array_module
from workbench.engine.tensor import Tensor, as_tensor, make_result


def pair(v: int | tuple[int, int], name: str) -> tuple[int, int]:
    """(v, v) for an int, else the pair itself; checked to be non-negative ints."""
    p = (v, v) if isinstance(v, int) else tuple(v)
    if len(p) != 2 or not all(isinstance(a, int) and a >= 0 for a in p):
        raise ParameterError(f"{name} must be an int or a pair of ints >= 0, not {v!r}")
    return p  # type: ignore[return-value]


def output_size(size: int, k: int, stride: int, pad: int, what: str) -> int:
    """Positions a k-wide window takes along an axis; at least one or a clear error."""
    if stride < 1:
        raise ParameterError(f"{what}: stride must be at least 1, not {stride}")
    n = (size + 2 * pad - k) // stride + 1
    if n < 1:
        raise ParameterError(f"{what}: a {k}-wide window does not fit an input of size "
                             f"{size} with padding {pad}")
    return n


def _pad(xd: Any, ph: int, pw: int, value: float = 0.0) -> Any:
    if not (ph or pw):
        return xd
    xp = array_module(xd)
    n, c, h, w = xd.shape
    out = _channel_major_empty(xp, (n, c, h + 2 * ph, w + 2 * pw), xd.dtype)
    out.fill(value)
    out[:, :, ph:ph + h, pw:pw + w] = xd
    return out


def _channel_major_empty(xp: Any, shape: tuple[int, int, int, int], dtype: Any) -> Any:
    """An NCHW array stored channel-major, (C, N, H, W) in memory.

    The convolution GEMM produces its output in this order, and keeping it through
    activations and pooling turns im2col's copies and col2im's adds into runs of whole
    rows between arrays of the same layout, and makes the backward GEMM's reshape of
    the output gradient free.
    """
    n, c, h, w = shape
    return xp.empty((c, n, h, w), dtype=dtype).transpose(1, 0, 2, 3)


def im2col(xd: Any, kh: int, kw: int, sh: int, sw: int, ph: int, pw: int,
           ho: int, wo: int) -> Any:
    """Columns (C, kh, kw, N, Ho, Wo) of a padded NCHW array: one copy per offset."""
    xp = array_module(xd)
    n, c = xd.shape[:2]
    xpad = _pad(xd, ph, pw)
    col = xp.empty((c, kh, kw, n, ho, wo), dtype=xd.dtype)
    for i in range(kh):
        for j in range(kw):
            window = xpad[:, :, i:i + sh * (ho - 1) + 1:sh, j:j + sw * (wo - 1) + 1:sw]
            col[:, i, j] = window.transpose(1, 0, 2, 3)
    return col


def col2im(gcol: Any, shape: tuple[int, ...], kh: int, kw: int, sh: int, sw: int,
           ph: int, pw: int) -> Any:
    """Sum columns (C, kh, kw, N, Ho, Wo) back onto an NCHW array: kh*kw slice-adds."""
    xp = array_module(gcol)
    n, c, h, w = shape
    ho, wo = gcol.shape[4:]
    gpad = _channel_major_empty(xp, (n, c, h + 2 * ph, w + 2 * pw), gcol.dtype)
    gpad.fill(0)
    for i in range(kh):
        for j in range(kw):
            gpad[:, :, i:i + sh * (ho - 1) + 1:sh, j:j + sw * (wo - 1) + 1:sw] += \
                gcol[:, i, j].transpose(1, 0, 2, 3)
    if ph or pw:
        return gpad[:, :, ph:ph + h, pw:pw + w]
    return gpad


def conv2d(x: Any, weight: Any, bias: Any = None, stride: int | tuple[int, int] = 1,
           padding: int | tuple[int, int] = 0) -> Tensor:
    """Cross-correlation of NCHW ``x`` with ``weight`` (O, C, kh, kw), as torch's conv2d."""
    weight = as_tensor(weight)
    x = as_tensor(x, like=weight)  # a raw float64 batch is cast, never upcasts the layer
    xd, wd = x.data, weight.data
    if xd.ndim != 4 or wd.ndim != 4:
        raise ParameterError(f"conv2d needs a 4-d input (N, C, H, W) and weight "
                             f"(O, C, kh, kw), got {xd.shape} and {wd.shape}")
    n, c, h, w = xd.shape
    o, wc, kh, kw = wd.shape
    if wc != c:
        raise ParameterError(f"conv2d: input has {c} channels but the weight expects {wc}")
    sh, sw = pair(stride, "stride")
    ph, pw = pair(padding, "padding")
    ho = output_size(h, kh, sh, ph, "conv2d")
    wo = output_size(w, kw, sw, pw, "conv2d")
    col = im2col(xd, kh, kw, sh, sw, ph, pw, ho, wo).reshape(c * kh * kw, n * ho * wo)
    w2 = wd.reshape(o, c * kh * kw)
    y = w2 @ col  # (O, N*Ho*Wo): the one GEMM
    if bias is not None:
        bias = as_tensor(bias)
        y += bias.data[:, None]
    out = y.reshape(o, n, ho, wo).transpose(1, 0, 2, 3)

    def backward(gy: Any) -> tuple[Any, ...]:
        g2 = gy.transpose(1, 0, 2, 3).reshape(o, n * ho * wo)
        gx = gw = None
        if x.requires_grad:
            gcol = (w2.T @ g2).reshape(c, kh, kw, n, ho, wo)
            gx = col2im(gcol, xd.shape, kh, kw, sh, sw, ph, pw)
        if weight.requires_grad:
            gw = (g2 @ col.T).reshape(wd.shape)
        if bias is None:
            return gx, gw
        return gx, gw, (g2.sum(axis=1) if bias.requires_grad else None)

    parents = (x, weight) if bias is None else (x, weight, bias)
    return make_result(out, parents, backward)
