"""WEKA's distance between instances: attribute ranges and normalised differences.

``EuclideanDistance`` and ``ManhattanDistance`` (both ``NormalizableDistance``) compare
attributes normalised by their range: numeric values become ``(x - min) / (max - min)``
(0 when the range is empty), nominal values differ by 0 or 1, and a missing value counts
as far as it can. Kept apart from the search so the rule that decides agreement with
WEKA can be read, and tested, on one screen.
"""

from __future__ import annotations

import numpy as np


def attribute_ranges(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-column minimum and maximum ignoring missing values (NaN when all missing)."""
    present = ~np.isnan(values)
    lo = np.where(present, values, np.inf).min(axis=0, initial=np.inf)
    hi = np.where(present, values, -np.inf).max(axis=0, initial=-np.inf)
    none = ~present.any(axis=0)
    lo[none] = np.nan
    hi[none] = np.nan
    return lo, hi


def difference(u: np.ndarray, v: np.ndarray, lo: np.ndarray, hi: np.ndarray,
               nominal: bool | np.ndarray, complete: bool = False) -> np.ndarray:
    """WEKA's ``NormalizableDistance.difference``, broadcast over values and attributes.

    ``nominal`` is one flag or one flag per attribute (the last axis); ``complete`` says
    the caller knows no value is missing (the GEMM path), which saves two passes.
    """
    empty = np.isnan(lo) | (hi == lo)
    if not np.any(nominal) and (complete or not (np.isnan(u).any() or np.isnan(v).any())):
        # The common case in few passes: x / inf is exactly WEKA's 0 for an empty range.
        width = np.where(empty, np.inf, hi - lo)
        return (u - lo) / width - (v - lo) / width
    width = np.where(empty, 1.0, hi - lo)
    with np.errstate(invalid="ignore"):
        nu = np.where(empty, 0.0, (u - lo) / width)
        nv = np.where(empty, 0.0, (v - lo) / width)
        diff = nu - nv
    miss_u, miss_v = np.isnan(u), np.isnan(v)
    any_missing = bool(miss_u.any() or miss_v.any())
    if any_missing:
        present = np.where(miss_u, nv, nu)
        one = np.maximum(present, 1.0 - present)
        diff = np.where(miss_u & miss_v, 1.0, np.where(miss_u | miss_v, one, diff))
    if np.any(nominal):
        same = u == v
        if any_missing:
            same &= ~miss_u & ~miss_v
        diff = np.where(nominal, np.where(same, 0.0, 1.0), diff)
    return diff
