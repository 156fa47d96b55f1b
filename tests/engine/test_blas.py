"""``add_product``: ``out = a @ b + beta * out`` in place, whatever the operands' layout."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from workbench.engine import blas
from workbench.engine.blas import add_product


def _operand(rng: np.random.Generator, shape: tuple[int, int], layout: str,
             dtype: type) -> np.ndarray:
    """A (rows, cols) matrix stored C-ordered, Fortran-ordered (a transpose) or as a
    strided view that neither BLAS layout fits."""
    if layout == "C":
        return rng.standard_normal(shape).astype(dtype)
    if layout == "F":
        return np.ascontiguousarray(rng.standard_normal(shape[::-1]).astype(dtype)).T
    return rng.standard_normal((shape[0], 2 * shape[1])).astype(dtype)[:, ::2]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("layouts", list(itertools.product("CFS", repeat=2)))
@pytest.mark.parametrize("beta", [1.0, 0.5, 0.0])
def test_product_added_into_out_where_it_lies(dtype: type, layouts: tuple[str, str],
                                              beta: float,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = blas._gemm

    def counted(dtype: type) -> object:
        calls.append(1)
        return real(dtype)

    monkeypatch.setattr(blas, "_gemm", counted)
    rng = np.random.default_rng(7)
    a = _operand(rng, (5, 3), layouts[0], dtype)
    b = _operand(rng, (3, 4), layouts[1], dtype)
    out = rng.standard_normal((5, 4)).astype(dtype)
    expected = a.astype(np.float64) @ b.astype(np.float64) + beta * out.astype(np.float64)
    memory = out.ctypes.data

    result = add_product(out, a, b, beta=beta)

    assert result is out and out.ctypes.data == memory
    assert len(calls) == ("S" not in layouts)   # one BLAS call when both layouts fit
    tolerance = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(out, expected, rtol=tolerance, atol=tolerance)


@pytest.mark.parametrize("blas_path", [True, False])
def test_beta_zero_ignores_what_out_held(blas_path: bool) -> None:
    """With beta 0, ``out`` may be uninitialised memory: a NaN there must not survive
    (0 * NaN is NaN, so the plain path must not scale by beta)."""
    a = np.ones((2, 3))
    b = np.ones((3, 2))
    out = np.full((2, 2), np.nan) if blas_path else np.full((2, 4), np.nan)[:, ::2]

    add_product(out, a, b, beta=0.0)

    np.testing.assert_array_equal(out, np.full((2, 2), 3.0))


def test_mixed_dtypes_fall_back_to_the_exact_sum() -> None:
    out = np.zeros((2, 2), dtype=np.float32)
    a = np.full((2, 3), 0.1, dtype=np.float64)
    b = np.ones((3, 2), dtype=np.float64)

    add_product(out, a, b)

    np.testing.assert_allclose(out, np.full((2, 2), 0.3), rtol=1e-6)


@pytest.mark.parametrize(("m", "k", "n"), [(0, 3, 2), (3, 2, 0), (3, 0, 2)])
def test_empty_matrices_give_the_empty_sum(m: int, k: int, n: int) -> None:
    out = np.full((m, n), 2.0)

    add_product(out, np.ones((m, k)), np.ones((k, n)), beta=0.5)

    np.testing.assert_array_equal(out, np.full((m, n), 1.0))
