"""``out = a @ b + beta * out`` where ``out`` lies, for the loops that accumulate products.

NumPy's matmul cannot add into its output: ``out += a @ b`` writes the product to a
temporary and then reads both arrays again. BLAS's gemm has the sum built in (its
``beta``) and SciPy exposes it; nothing else in our dependencies does, so this module
is the thin, checked bridge to it. The saving is modest (an RBM epoch on MNIST-sized
data: ~1 %; the LSTM's per-step gradient sum: no temporary per step) but free.

Use it to accumulate, not as a faster matmul: SciPy links its own OpenBLAS build, and a
plain product through it measured slower in place than NumPy's matmul, though faster
alone (the RBM's visible GEMM: 0.84 against 0.92 ms alone, 2 % slower over an epoch).
"""

from __future__ import annotations

from typing import Any

import numpy as np

_GEMMS: dict[Any, Any] = {}


def add_product(out: Any, a: Any, b: Any, beta: float = 1.0) -> Any:
    """Set ``out`` to ``a @ b + beta * out`` in place and return it (with ``beta`` 0,
    ``out``'s old values are not read: it may be uninitialised).

    ``out`` is (M, N), ``a`` (M, K), ``b`` (K, N). On NumPy, for a C-ordered float32 or
    float64 ``out`` and operands that are C- or Fortran-ordered (plain arrays and their
    transposes), this is one BLAS call writing into ``out``'s memory; anything else
    (CuPy, strict-transfer arrays, strided views) takes the plain two-step form with the
    same result.
    """
    if _blas_ready(out):
        first, trans_first = _fortran_operand(b.T)
        second, trans_second = _fortran_operand(a.T)
        if first is not None and second is not None and a.shape[1] > 0 \
                and first.dtype == out.dtype and second.dtype == out.dtype:
            # out.T is Fortran-ordered (N, M): out.T = b.T @ a.T + beta out.T
            target = out.T
            written = _gemm(out.dtype)(1.0, first, second, beta=beta, c=target,
                                       trans_a=trans_first, trans_b=trans_second,
                                       overwrite_c=1)
            if written is not target:   # f2py hands back ``c`` itself unless it copied
                out[...] = written.T
            return out
    if beta == 0.0:   # (not 0 * out: that keeps whatever NaN an empty array held)
        out[...] = a @ b
        return out
    if beta != 1.0:
        out *= beta
    out += a @ b
    return out


def _blas_ready(out: Any) -> bool:
    # (f2py refuses empty matrices: an empty product takes the plain form)
    return type(out) is np.ndarray and out.ndim == 2 and out.size > 0 \
        and out.flags.c_contiguous and out.dtype in (np.float32, np.float64)


def _fortran_operand(matrix: Any) -> tuple[Any, int]:
    """``(array, trans)`` with ``op(array) == matrix`` and ``array`` Fortran-ordered, as
    SciPy's wrappers take it without a copy; ``(None, 0)`` when neither layout fits."""
    if type(matrix) is not np.ndarray or matrix.ndim != 2:
        return None, 0
    if matrix.flags.f_contiguous:
        return matrix, 0
    if matrix.flags.c_contiguous:
        return matrix.T, 1
    return None, 0


def _gemm(dtype: Any) -> Any:
    """SciPy's BLAS gemm for ``dtype``, imported on first use (SciPy is large, and the
    engine does not need it otherwise)."""
    found = _GEMMS.get(dtype)
    if found is None:
        from scipy.linalg import blas

        found = _GEMMS[dtype] = blas.sgemm if dtype == np.float32 else blas.dgemm
    return found
