"""Picking the nearest neighbours out of blocks of distances, WEKA's ties kept.

The search (``workbench.classifiers.neighbours``) computes distances a tile of queries
at a time; these functions choose from them: candidates from an approximate block
without a full sort, which candidates need an exact distance, the k nearest with every
tie at the k-th (as WEKA's linear search keeps them), and the padded blocks of
consecutive tiles joined into one.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def worth_checking(approx: np.ndarray, k: int, tol: np.ndarray) -> np.ndarray:
    """Which candidates' exact distance could reach the k-th (a mask like ``approx``).

    With every approximation within ``tol`` of the truth, the k-th exact distance is at
    most the k-th approximate one plus ``tol``, so a candidate whose approximation exceeds
    that by more than ``tol`` cannot be among the k nearest nor tied with the k-th.
    """
    kth = np.partition(approx, k - 1, axis=1)[:, k - 1:k]
    return approx <= kth + 2.0 * tol[:, None]


def smallest_candidates(xp: Any, values: Any, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Column indices (sorted) and values of at least the m smallest entries per row.

    Columns are dealt into groups; the m smallest entries lie in the m groups with the
    smallest minima (m entries of those groups are at most the m-th group minimum, which
    bounds everything outside them), so only those groups are searched: one cheap pass
    over the matrix instead of a full argpartition. Every entry left out is at least as
    large as the largest returned.
    """
    q, n = values.shape
    block = 32 if n >= 32 * 4 * m else 1
    groups = n // block
    whole = groups * block
    # Group g holds columns g, g + groups, g + 2 groups, ...: the minimum over the middle
    # axis runs along contiguous rows, several times faster than over short blocks.
    minima = values[:, :whole].reshape(q, block, groups).min(axis=1)
    take = min(m, groups)
    chosen = xp.argpartition(minima, take - 1, axis=1)[:, :take] if take < groups else \
        xp.broadcast_to(xp.arange(groups), (q, groups))
    columns = (chosen[:, :, None] + groups * xp.arange(block)[None, None, :]).reshape(q, -1)
    if whole < n:  # the few columns left over are always searched
        tail = xp.broadcast_to(xp.arange(whole, n), (q, n - whole))
        columns = xp.concatenate([columns, tail], axis=1)
    gathered = xp.take_along_axis(values, columns, axis=1)
    if gathered.shape[1] > m:
        pick = xp.argpartition(gathered, m - 1, axis=1)[:, :m]
        columns = xp.take_along_axis(columns, pick, axis=1)
        gathered = xp.take_along_axis(gathered, pick, axis=1)
    columns = _host(columns).astype(np.int64)
    gathered = _host(gathered).astype(np.float64)
    order = np.argsort(columns, axis=1)  # training order, so ties come out as exact ones
    return np.take_along_axis(columns, order, axis=1), np.take_along_axis(gathered, order,
                                                                          axis=1)


def select_with_ties(dist: np.ndarray, index: np.ndarray, k: int
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Rows' k smallest (plus all tied with the k-th), sorted; distances post-processed."""
    q = dist.shape[0]
    if dist.shape[1] == 0:
        return np.full((q, 0), -1, dtype=np.int64), np.zeros((q, 0))
    kth = np.partition(dist, k - 1, axis=1)[:, k - 1:k]
    keep = (dist <= kth) & np.isfinite(dist)
    width = int(keep.sum(axis=1).max())
    # Sort kept entries nearest first (stable on training order, as a linear scan meets them).
    masked = np.where(keep, dist, np.inf)
    order = np.argsort(masked, axis=1, kind="stable")[:, :width]
    out_d = np.take_along_axis(masked, order, axis=1)
    out_i = np.take_along_axis(np.broadcast_to(index, dist.shape), order, axis=1).astype(np.int64)
    out_i[~np.isfinite(out_d)] = -1
    return out_i, out_d


def stack_blocks(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Padded neighbour blocks of consecutive queries as one padded block."""
    rows = sum(p[0].shape[0] for p in parts)
    width = max(p[0].shape[1] for p in parts)
    index = np.full((rows, width), -1, dtype=np.int64)
    distance = np.full((rows, width), np.inf)
    row = 0
    for idx, dist in parts:
        index[row:row + idx.shape[0], :idx.shape[1]] = idx
        distance[row:row + idx.shape[0], :idx.shape[1]] = dist
        row += idx.shape[0]
    return index, distance


def _host(array: Any) -> np.ndarray:
    get = getattr(array, "get", None)
    return get() if callable(get) else np.asarray(array)
