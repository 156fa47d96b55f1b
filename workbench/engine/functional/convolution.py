"""2-D convolution as im2col + GEMM, and its backward as two GEMMs + col2im.

Layout: the column matrix is (C*kh*kw, Ho*Wo*N), so the forward is W (O, C*kh*kw) @ col,
and the output comes out image-minor, (C, H, W, N) in memory (see
``image_minor_empty``). With the images as the fastest axis, im2col's copy and each of
col2im's slice-adds move runs of Wo*N contiguous values: NumPy pays one inner-loop call
per run, and with the (C, N, H, W) layout used before, LeNet's second layer (Wo = 10)
spent most of its im2col and col2im time in those calls (2-3x slower). im2col is one
copy of a strided view of the padded input (every kernel offset at once), col2im a
slice-add per offset (never a per-element ``add.at``), so the same code runs on both
devices.

On NumPy the column matrix is built and consumed in blocks of output rows that stay in
the core's cache (``_Columns``): the forward and the weight gradient each rebuild it,
which costs less than writing it to memory once and reading it back twice.

On NumPy, thin GEMMs over many columns are done in column slices small enough for
OpenBLAS's small-matrix kernels (m*n*k <= 1e6): for LeNet's first layer,
6 x 25 @ 25 x 100 352, that is 2.5x faster than one call (3 ns a column instead of
6 to 14). Where slicing did not pay in measurements it is not done; CuPy gets one
call.

The column blocks (and the backward's matrices) are borrowed from a small per-thread
store of spare NumPy arrays and handed back when done with: one buffer per layer shape
instead of multi-megabyte allocations every step, which the C library may hand back to
the system and fault in again. CuPy keeps its own memory pool, so it is not used there.

``groups`` splits the channels into independent convolutions (a batched GEMM over one
stored column matrix); ``dilation`` spaces the kernel taps; ``conv1d`` is conv2d over a
height-1 image.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

import numpy as np

from workbench.core.errors import ParameterError
from workbench.engine.backend import array_module
from workbench.engine.functional.array import reshape
from workbench.engine.tensor import Tensor, as_tensor, make_result

# OpenBLAS hands GEMMs with m*n*k up to this to its small-matrix kernels.
_SMALL_GEMM = 1_000_000
# NumPy convolutions build their column matrix in blocks of about this many bytes (half
# a core's 1 MB L2 cache here: rows=1 for both LeNet layers), of at least this many
# columns (a GEMM over fewer is mostly call overhead). See ``_Columns``.
_BLOCK_BYTES = 512 * 2**10
_BLOCK_COLUMNS = 256


def pair(v: int | tuple[int, int], name: str) -> tuple[int, int]:
    """(v, v) for an int, else the pair itself; checked to be non-negative ints."""
    p = (v, v) if isinstance(v, int) else tuple(v)
    if len(p) != 2 or not all(isinstance(a, int) and a >= 0 for a in p):
        raise ParameterError(f"{name} must be an int or a pair of ints >= 0, not {v!r}")
    return p


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
    """``xd`` with ``value`` rows and columns around each image, stored image-minor."""
    if not (ph or pw):
        return xd
    xp = array_module(xd)
    n, c, h, w = xd.shape
    out = image_minor_empty(xp, (n, c, h + 2 * ph, w + 2 * pw), xd.dtype)
    out.fill(value)
    out[:, :, ph:ph + h, pw:pw + w] = xd
    return _like_input(out, xd)


def image_minor_empty(xp: Any, shape: tuple[int, ...], dtype: Any) -> Any:
    """An NCHW array stored (C, H, W, N) in memory: the images are the fastest axis.

    The convolution GEMM produces its output in this order, and keeping it through
    activations, batch norm and pooling makes every kernel-offset copy of im2col, every
    slice-add of col2im and every pooling window a run of whole rows of Wo * N (or N)
    contiguous values, and the backward GEMM's reshape of the output gradient free.
    (cuda-convnet's CHWN layout.)
    """
    n, c, h, w = shape
    return xp.empty((c, h, w, n), dtype=dtype).transpose(3, 0, 1, 2)


def _image_minor(xd: Any) -> Any:
    """``xd`` (N, C, H, W) seen as (C, H, W, N): a view when stored so, else a copy."""
    xt = xd.transpose(1, 2, 3, 0)
    if xt.flags.c_contiguous:
        return xt
    out = image_minor_empty(array_module(xd), xd.shape, xd.dtype)
    out[...] = xd
    return out.transpose(1, 2, 3, 0)


class _Spares(threading.local):
    """At most one spare array per (shape, dtype), for the last ``_SPARE_KINDS`` kinds
    and ``_SPARE_BYTES`` in all: a thread that trained keeps a few buffers, not every
    shape it ever saw (prediction batches of other sizes come and go)."""

    def __init__(self) -> None:
        self.arrays: OrderedDict[tuple[Any, ...], Any] = OrderedDict()


_spares = _Spares()
_SPARE_KINDS = 8
_SPARE_BYTES = 64 * 2**20


def _borrow(xp: Any, shape: tuple[int, ...], dtype: Any) -> Any:
    """An uninitialised array: a spare when one of this kind is kept, else a new one."""
    if xp is np:
        spare = _spares.arrays.pop((shape, np.dtype(dtype).str), None)
        if spare is not None:
            return spare
    return xp.empty(shape, dtype=dtype)


def _give_back(a: Any) -> None:
    """Keep ``a`` (no longer used by its borrower) for the next ``_borrow`` of its kind."""
    if type(a) is not np.ndarray or not a.flags.c_contiguous or a.base is not None:
        return  # a view, or a StrictArray: never pooled
    spares = _spares.arrays
    spares[(a.shape, a.dtype.str)] = a
    spares.move_to_end((a.shape, a.dtype.str))
    while len(spares) > _SPARE_KINDS or sum(v.nbytes for v in spares.values()) > _SPARE_BYTES:
        spares.popitem(last=False)


def _windows(xt: Any, kh: int, kw: int, sh: int, sw: int, dh: int, dw: int,
             first: int, rows: int, wo: int) -> Any:
    """Output rows ``first`` .. ``first + rows - 1``'s columns (C, kh, kw, rows, Wo, N),
    as one read-only strided view of the padded image-minor input ``xt`` (C, Hp, Wp, N):
    copying it is im2col in one call (on CuPy, one kernel instead of one per offset)."""
    c, _, _, n = xt.shape
    s = xt.strides
    return array_module(xt).lib.stride_tricks.as_strided(
        xt[:, first * sh:], (c, kh, kw, rows, wo, n),
        (s[0], s[1] * dh, s[2] * dw, s[1] * sh, s[2] * sw, s[3]))


def im2col(xd: Any, kh: int, kw: int, sh: int, sw: int, ph: int, pw: int,
           ho: int, wo: int, dh: int = 1, dw: int = 1) -> Any:
    """Columns (C, kh, kw, Ho, Wo, N) of a padded NCHW array, in one strided copy."""
    xp = array_module(xd)
    n, c = xd.shape[:2]
    xt = _image_minor(_pad(xd, ph, pw))  # (C, Hp, Wp, N)
    col = _borrow(xp, (c, kh, kw, ho, wo, n), xd.dtype)
    col[...] = _windows(xt, kh, kw, sh, sw, dh, dw, 0, ho, wo)
    return col


def col2im(gcol: Any, shape: tuple[int, ...], kh: int, kw: int, sh: int, sw: int,
           ph: int, pw: int, dh: int = 1, dw: int = 1) -> Any:
    """Sum columns (C, kh, kw, Ho, Wo, N) back onto an NCHW array (im2col's adjoint),
    one slice-add per kernel offset into an image-minor array."""
    xp = array_module(gcol)
    n, c, h, w = shape
    ho, wo = gcol.shape[3:5]
    gpad = image_minor_empty(xp, (n, c, h + 2 * ph, w + 2 * pw), gcol.dtype)
    gt = gpad.transpose(1, 2, 3, 0)  # (C, Hp, Wp, N), contiguous
    gt.fill(0)
    for i in range(kh):
        for j in range(kw):
            gt[:, i * dh:i * dh + sh * (ho - 1) + 1:sh,
               j * dw:j * dw + sw * (wo - 1) + 1:sw] += gcol[:, i, j]
    if ph or pw:
        return gpad[:, :, ph:ph + h, pw:pw + w]
    return gpad


def _row_chunk(k: int, wo: int, n: int, itemsize: int) -> int:
    """Output columns per block where one output row's K x Wo*N columns exceed twice
    ``_BLOCK_BYTES`` (a long conv1d sequence, a large prediction batch): the row is cut
    into runs of about ``_BLOCK_BYTES``, of at least ``_BLOCK_COLUMNS`` columns; else
    the whole row (``wo``: LeNet's second layer's 770 KB rows stay whole)."""
    if k * wo * n * itemsize <= 2 * _BLOCK_BYTES:
        return wo
    return min(wo, max(_BLOCK_BYTES // (k * n * itemsize), -(-_BLOCK_COLUMNS // n), 1))


def _pointwise(kh: int, kw: int, sh: int, sw: int, ph: int, pw: int) -> bool:
    """A 1x1 kernel at stride 1 without padding: im2col and col2im are the identity."""
    return kh == kw == sh == sw == 1 and not (ph or pw)


def _input_gradient(wt: Any, g2: Any, shape: tuple[int, ...], kh: int, kw: int, sh: int,
                    sw: int, ph: int, pw: int, dh: int, dw: int, ho: int, wo: int) -> Any:
    """col2im(wt @ g2): the input gradient, one output row's columns at a time on NumPy.

    Each row's (K, Wo*N) block of wt @ g2 (or a run of its columns, see ``_row_chunk``)
    stays in cache and is added at once, kw slice-adds per block: for one output row
    the kh kernel rows land on kh different input rows, so each kernel column's adds
    are one strided view (no overlap). Rows and runs go last to first, so every input
    cell receives its terms in col2im's order, kernel row by row, column by column:
    the same sums in the same order (bit for bit where the BLAS computes a column the
    same in a narrower GEMM, as OpenBLAS does here). Where a row is too short to be
    worth a GEMM of its own, or off NumPy, it is the stored-matrix path."""
    xp = array_module(g2)
    n, c, h, w = shape
    k, row_cols = wt.shape[0], wo * n
    if _pointwise(kh, kw, sh, sw, ph, pw):  # wt @ g2 is the gradient, image-minor
        return _sliced_matmul(wt, g2).reshape(c, h, w, n).transpose(3, 0, 1, 2)
    if xp is not np or row_cols < _BLOCK_COLUMNS or k * g2.shape[1] * g2.itemsize \
            <= _BLOCK_BYTES:
        gcol = _sliced_matmul(wt, g2, borrowed=True)
        gx = col2im(gcol.reshape(c, kh, kw, ho, wo, n), shape, kh, kw, sh, sw, ph, pw,
                    dh, dw)
        _give_back(gcol)
        return gx
    gpad = image_minor_empty(xp, (n, c, h + 2 * ph, w + 2 * pw), g2.dtype)
    gt = gpad.transpose(1, 2, 3, 0)  # (C, Hp, Wp, N), contiguous
    gt.fill(0)
    chunk = _row_chunk(k, wo, n, g2.itemsize)  # output columns per block
    buf = _borrow(xp, (k, chunk * n), g2.dtype)
    st = gt.strides
    # targets[:, r, :, j]: where output row r's kernel column j lands (one strided view
    # made once: as_strided costs microseconds, a basic slice of it far less)
    targets = xp.lib.stride_tricks.as_strided(
        gt, (c, ho, kh, kw, wo, n),
        (st[0], st[1] * sh, st[1] * dh, st[2] * dw, st[2] * sw, st[3]))
    for r in range(ho - 1, -1, -1):
        row = targets[:, r]
        for w0 in range((wo - 1) // chunk * chunk, -1, -chunk):  # last chunk first
            width = min(chunk, wo - w0)
            block = buf if width == chunk else buf[:, :width * n]
            first = r * row_cols + w0 * n
            _matmul_into(wt, g2[:, first:first + width * n], block, k <= 32)
            block = block.reshape(c, kh, kw, width, n)
            for j in range(kw):
                row[:, :, j, w0:w0 + width] += block[:, :, j]
    _give_back(buf)
    if ph or pw:
        return gpad[:, :, ph:ph + h, pw:pw + w]
    return gpad


def _slice_columns(m: int, k: int, columns: int, thin: bool) -> int:
    """Columns per slice for a NumPy GEMM with (m, k) fixed and ``columns`` long, or 0
    for one call (see the module docstring): slices stay within OpenBLAS's small-matrix
    limit, and are used only where that measured faster (LeNet's and the CNN
    classifier's layers): slices of at least 1024 columns, or of 256 for a thin ``m``."""
    step = (_SMALL_GEMM - 1) // max(1, m * k)
    if columns <= step or not (step >= 1024 or (thin and step >= 256)):
        return 0
    return step


def _sliced_matmul(a: Any, b: Any, borrowed: bool = False) -> Any:
    """a @ b for a 2-D ``b`` with many columns, in small-GEMM column slices on NumPy;
    ``borrowed``: the result comes from the spares (the caller hands it back)."""
    xp = array_module(b)
    cols = b.shape[1]
    step = _slice_columns(a.shape[0], a.shape[1], cols, a.shape[0] <= 32) \
        if xp is np else 0
    if not (step or borrowed):
        return a @ b
    shape, dtype = (a.shape[0], cols), xp.result_type(a, b)
    out = _borrow(xp, shape, dtype) if borrowed else xp.empty(shape, dtype=dtype)
    if not step:
        return xp.matmul(a, b, out=out)
    for s in range(0, cols, step):
        xp.matmul(a, b[:, s:s + step], out=out[:, s:s + step])
    return out


def _matmul_into(a: Any, b: Any, out: Any, thin: bool) -> None:
    """out[...] = a @ b, in small-GEMM column slices on NumPy (see the module)."""
    xp = array_module(b)
    cols = b.shape[1]
    step = (_slice_columns(a.shape[0], a.shape[1], cols, thin) if xp is np else 0) or cols
    for s in range(0, cols, step):
        xp.matmul(a, b[:, s:s + step], out=out[:, s:s + step])


class _Columns:
    """im2col's (K [+ 1], Ho*Wo*N) matrix of one convolution, used block by block.

    On NumPy the matrix is never stored whole: the forward GEMM and the weight
    gradient's GEMM each rebuild it in blocks of whole output rows, about
    ``_BLOCK_BYTES`` each, into one reused buffer, and consume each block while it is
    still in the core's cache. Stored whole, LeNet's layers' columns are 8-10 MB each,
    written once and read twice from main memory; in blocks the GEMMs read them from
    cache, and copying from the (25x smaller) input twice is cheaper than that (an
    epoch of engine_lenet 15 % faster, of the CNN classifier 7 %). Each output column
    is the same dot product as with one stored matrix (bit for bit with OpenBLAS here);
    the weight gradient sums the same products in another order (float rounding only).
    CuPy gets one block, kept from the forward to the backward: a GPU wants one big
    GEMM.
    """

    def __init__(self, xd: Any, geometry: tuple[int, ...], dh: int, dw: int, ho: int,
                 wo: int, ones: bool) -> None:
        self.xp = xp = array_module(xd)
        kh, kw, sh, sw, ph, pw = geometry
        n, c = xd.shape[:2]
        self.xt = _image_minor(_pad(xd, ph, pw))  # (C, Hp, Wp, N)
        self.window = (kh, kw, sh, sw, dh, dw)
        self.k, self.ones, self.ho, self.wo, self.n = c * kh * kw, ones, ho, wo, n
        self.p = ho * wo * n
        row_bytes = (self.k + ones) * wo * n * xd.dtype.itemsize
        rows, self.chunk = ho, wo  # output rows per block, or columns of one row
        if xp is np:
            rows = max(_BLOCK_BYTES // row_bytes, -(-_BLOCK_COLUMNS // (wo * n)), 1)
            self.chunk = _row_chunk(self.k + ones, wo, n, xd.dtype.itemsize)
        self.kept: Any = None  # the whole matrix, when it is one block
        if _pointwise(kh, kw, sh, sw, ph, pw):
            # A 1x1 kernel: the image-minor input already is the (C, H*W*N) matrix
            # (conv2d adds the bias after the GEMM here: no row of ones)
            self.kept, rows, self.chunk = self.xt.reshape(self.k, self.p), ho, wo
        self.rows = min(rows, ho) if self.chunk == wo else 1
        self.width = self.rows * self.chunk * n  # columns per block

    def _spans(self) -> Any:
        """(first row, rows, first column, columns) of each block, in output positions."""
        if self.chunk == self.wo:
            for first in range(0, self.ho, self.rows):
                yield first, min(self.rows, self.ho - first), 0, self.wo
            return
        for r in range(self.ho):
            for w0 in range(0, self.wo, self.chunk):
                yield r, 1, w0, min(self.chunk, self.wo - w0)

    def _blocks(self) -> Any:
        """(first column, filled block) per block of output rows (or of one row's
        columns), built in one borrowed buffer."""
        if self.kept is not None:
            yield 0, self.kept
            return
        k, n = self.k, self.n
        buf = _borrow(self.xp, (k + self.ones, self.width), self.xt.dtype)
        if self.ones:
            buf[k] = 1
        windows = _windows(self.xt, *self.window, 0, self.ho, self.wo)
        c, kh, kw = windows.shape[:3]
        full = buf[:k].reshape(c, kh, kw, self.rows, self.chunk, n)
        for r0, rows, w0, cols in self._spans():
            part = windows[:, :, :, r0:r0 + rows, w0:w0 + cols]
            if rows == self.rows and cols == self.chunk:
                full[...] = part
                yield (r0 * self.wo + w0) * n, buf
            else:  # the last, shorter block
                block = buf[:, :rows * cols * n]
                block[:k].reshape(part.shape)[...] = part
                yield (r0 * self.wo + w0) * n, block
        if self.rows >= self.ho and self.xp is not np:
            self.kept = buf  # one block off NumPy: kept for the backward
        else:
            _give_back(buf)

    def _step(self, m: int, k: int, thin: bool) -> int:
        """Columns per GEMM slice within a block (see ``_slice_columns``); 0: whole."""
        if self.xp is not np:
            return 0
        return _slice_columns(m, k, self.width, thin)

    def matmul(self, a: Any) -> Any:
        """a @ columns: the convolution's (O, Ho*Wo*N) output."""
        xp = self.xp
        out = xp.empty((a.shape[0], self.p), dtype=xp.result_type(a, self.xt))
        for first, block in self._blocks():
            _matmul_into(a, block, out[:, first:first + block.shape[1]], a.shape[0] <= 32)
        return out

    def gram(self, g: Any) -> Any:
        """g @ columns.T, (O, K [+ 1]): the weight (and bias) gradient, block by block.

        Computed as columns @ g.T, transposed at the end: with both operands row-major,
        OpenBLAS is about 1.5x faster this way round for LeNet's shapes."""
        total: Any = None
        step = self._step(self.k + self.ones, g.shape[0], False)
        for first, block in self._blocks():
            cols = block.shape[1]
            gb = g[:, first:first + cols]
            if not step or cols <= step:
                part = block @ gb.T
            else:
                part = block[:, :step] @ gb[:, :step].T
                for s in range(step, cols, step):
                    part += block[:, s:s + step] @ gb[:, s:s + step].T
            if total is None:
                total = part
            else:
                total += part
        return total.T

    def release(self) -> None:
        """Hand a kept matrix back: no backward will need it."""
        if self.kept is not None:
            _give_back(self.kept)
            self.kept = None


def _with_bias_column(w2: Any, b: Any) -> Any:
    """[w2 | b]: the (O, K) weights with the bias as a last column, in w2's dtype."""
    out = array_module(w2).empty((w2.shape[0], w2.shape[1] + 1), dtype=w2.dtype)
    out[:, :-1] = w2
    out[:, -1] = b
    return out


def _like_input(a: Any, xd: Any) -> Any:
    """``a`` as the input's array type: the buffers made here are plain arrays, and
    under strict transfers a result computed from a ``StrictArray`` must stay one."""
    if type(a) is not type(xd) and isinstance(a, np.ndarray) and isinstance(xd, np.ndarray):
        return a.view(type(xd))
    return a


def conv2d(x: Any, weight: Any, bias: Any = None, stride: int | tuple[int, int] = 1,
           padding: int | tuple[int, int] = 0, dilation: int | tuple[int, int] = 1,
           groups: int = 1) -> Tensor:
    """Cross-correlation of NCHW ``x`` with ``weight`` (O, C/groups, kh, kw), as torch's
    conv2d: ``dilation`` spaces the taps, ``groups`` splits the channels into that many
    independent convolutions (``groups == C == O`` is a depthwise convolution)."""
    weight = as_tensor(weight)
    x = as_tensor(x, like=weight)  # a raw float64 batch is cast, never upcasts the layer
    xd, wd = x.data, weight.data
    if xd.ndim != 4 or wd.ndim != 4:
        raise ParameterError(f"conv2d needs a 4-d input (N, C, H, W) and weight "
                             f"(O, C, kh, kw), got {xd.shape} and {wd.shape}")
    n, c, h, w = xd.shape
    o, wc, kh, kw = wd.shape
    if not isinstance(groups, int) or groups < 1 or c % groups or o % groups:
        raise ParameterError(f"conv2d: groups must be a positive int dividing both the "
                             f"{c} input and {o} output channels, not {groups!r}")
    if wc * groups != c:
        raise ParameterError(f"conv2d: input has {c} channels but the weight expects "
                             f"{wc * groups}" + (f" ({wc} per group x {groups} groups)"
                                                 if groups > 1 else ""))
    sh, sw = pair(stride, "stride")
    ph, pw = pair(padding, "padding")
    dh, dw = pair(dilation, "dilation")
    if dh < 1 or dw < 1:
        raise ParameterError(f"conv2d: dilation must be at least 1, not {dilation!r}")
    ho = output_size(h, dh * (kh - 1) + 1, sh, ph, "conv2d")
    wo = output_size(w, dw * (kw - 1) + 1, sw, pw, "conv2d")
    geometry = (kh, kw, sh, sw, ph, pw)
    k = wc * kh * kw  # the GEMM's inner size per group
    p = n * ho * wo
    if bias is not None:
        bias = as_tensor(bias)
    # The bias rides in the GEMM (see im2col), except where the columns are the input
    # itself (a 1x1 kernel: no room for the row of ones)
    fused = groups == 1 and bias is not None and not _pointwise(*geometry)
    if groups == 1:
        columns = _Columns(xd, geometry, dh, dw, ho, wo, ones=fused)
        w2 = _with_bias_column(wd.reshape(o, k), bias.data) if fused else wd.reshape(o, k)
        y = columns.matmul(w2)  # (O, N*Ho*Wo), the bias included when fused
        if bias is not None and not fused:
            y += bias.data[:, None]
    else:
        # borrowed: handed back when backward is done
        store = im2col(xd, *geometry, ho, wo, dh, dw)
        col = store.reshape(groups, k, p)
        w2 = wd.reshape(groups, o // groups, k)
        y = (w2 @ col).reshape(o, p)  # one GEMM per group, batched
        if bias is not None:
            y += bias.data[:, None]
    out = _like_input(y.reshape(o, ho, wo, n).transpose(3, 0, 1, 2), xd)  # image-minor

    def backward(gy: Any) -> tuple[Any, ...]:
        g2 = gy.transpose(1, 2, 3, 0).reshape(o, p)  # free when gy is image-minor
        gx = gw = gb = None
        if groups == 1:
            if x.requires_grad:
                gx = _input_gradient(w2[:, :k].T, g2, xd.shape, *geometry, dh, dw, ho, wo)
            want_bias = fused and bias.requires_grad
            if weight.requires_grad or want_bias:
                both = columns.gram(g2)  # (O, K) or, fused, (O, K + 1)
                gw = both[:, :k].reshape(wd.shape) if weight.requires_grad else None
                gb = both[:, k].copy() if want_bias else None
            columns.release()
        else:
            g3 = g2.reshape(groups, o // groups, p)
            if x.requires_grad:
                gcol = (w2.transpose(0, 2, 1) @ g3).reshape(c, kh, kw, ho, wo, n)
                gx = col2im(gcol, xd.shape, *geometry, dh, dw)
            if weight.requires_grad:
                gw = (g3 @ col.transpose(0, 2, 1)).reshape(wd.shape)
            _give_back(store)  # backward runs once: the columns are free again
        if not fused and bias is not None and bias.requires_grad:
            gb = g2.sum(axis=1)
        gx, gw, gb = (None if a is None else _like_input(a, xd) for a in (gx, gw, gb))
        return (gx, gw) if bias is None else (gx, gw, gb)

    parents = (x, weight) if bias is None else (x, weight, bias)
    result = make_result(out, parents, backward)
    if result._node is None:  # nothing recorded (prediction): no backward will need col
        if groups == 1:
            columns.release()
        else:
            _give_back(store)
    return result


def conv1d(x: Any, weight: Any, bias: Any = None, stride: int = 1, padding: int = 0,
           dilation: int = 1, groups: int = 1) -> Tensor:
    """Cross-correlation of (N, C, L) ``x`` with ``weight`` (O, C/groups, k), as torch's
    conv1d: a text CNN slides it along the words of (N, embedding, length) input.

    Done as conv2d over a height-1 image, so both share one tested path."""
    weight = as_tensor(weight)
    x = as_tensor(x, like=weight)
    if x.ndim != 3 or weight.ndim != 3:
        raise ParameterError(f"conv1d needs a 3-d input (N, C, L) and weight (O, C, k), "
                             f"got {x.shape} and {weight.shape}")
    for name, v in (("stride", stride), ("padding", padding), ("dilation", dilation)):
        if not isinstance(v, int | np.integer):
            raise ParameterError(f"conv1d: {name} must be an int, not {v!r}")
    for name, v, least in (("stride", stride, 1), ("padding", padding, 0),
                           ("dilation", dilation, 1)):
        if not v >= least:
            raise ParameterError(f"conv1d: {name} must be at least {least}, not {v!r}")
    n, c, length = x.shape
    o, wc, k = weight.shape
    try:
        y = conv2d(reshape(x, (n, c, 1, length)), reshape(weight, (o, wc, 1, k)), bias,
                   stride=(1, int(stride)), padding=(0, int(padding)),
                   dilation=(1, int(dilation)), groups=groups)
    except ParameterError as error:  # the shared path's words, under this op's name
        raise ParameterError(str(error).replace("conv2d", "conv1d")) from None
    return reshape(y, (n, o, y.shape[3]))
