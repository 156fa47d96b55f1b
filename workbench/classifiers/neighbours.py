"""Nearest-neighbour search with WEKA's distance, fast and exact.

WEKA's IBk compares instances with ``EuclideanDistance`` (or Manhattan) on attributes
normalised by their range: numeric values become ``(x - min) / (max - min)`` (0 when the
range is empty), nominal values differ by 0 or 1, and a missing value counts as far as it
can be (both missing: 1; one missing: ``max(v, 1 - v)`` of the other's normalised value;
nominal: 1). Its linear search keeps *every* neighbour tied with the k-th distance.

Speed comes from the textbook trick: squared distances of a tile of queries to all
training rows are ``|q|^2 + |t|^2 - 2 q.t``, one GEMM on the engine's device, then an
argpartition picks a few more candidates than needed. Agreement with WEKA comes from
recomputing the candidates' distances exactly, attribute by attribute in WEKA's order
(so ties are ties bit for bit), and checking that no other row could come closer; rows
where the check fails, data with missing values and the Manhattan metric take the exact
path throughout. Tiles are sized so no ``queries x training`` block exceeds the memory
budget.

WEKA also widens the ranges with each test instance as it is classified
(``LinearNNSearch.addInstanceInfo``); ``update_ranges`` reproduces that, query by query,
so predictions match WEKA's for a test set given in the same order.
"""

from __future__ import annotations

import importlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from workbench.classifiers.neighbour_selection import (
    select_with_ties,
    smallest_candidates,
    stack_blocks,
    worth_checking,
)
from workbench.classifiers.weka_distance import attribute_ranges, difference
from workbench.core.progress import CancelToken, check

__all__ = ["NeighbourSearch", "Neighbours", "attribute_ranges"]

# Work per tile below which the exact path is cheaper than setting up GEMMs.
_EXACT_WORK = 4_000_000
# Extra candidates fetched beyond k, so ties and GEMM rounding rarely need the slow path.
_MARGIN = 8


@dataclass
class Neighbours:
    """Neighbours of each query, padded: ``index`` -1 and ``distance`` inf past the end.

    Distances are WEKA's (Euclidean: the square root of the summed squared differences;
    Manhattan: the summed absolute differences), rows sorted nearest first.
    """

    index: np.ndarray
    distance: np.ndarray

    def count(self) -> np.ndarray:
        return (self.index >= 0).sum(axis=1)


class NeighbourSearch:
    """Linear nearest-neighbour search over a training matrix, WEKA's semantics.

    ``train`` holds the raw (unnormalised) values of the attributes used, ``nominal``
    marks which columns are nominal codes. ``xp`` is the array module (NumPy or CuPy)
    and ``dtype`` the precision of the GEMM that finds candidates; candidates are always
    confirmed in float64.
    """

    def __init__(self, train: np.ndarray, nominal: np.ndarray, *, metric: str = "euclidean",
                 xp: Any = np, dtype: Any = np.float64, memory_bytes: int = 512 << 20,
                 ranges: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        self.train = np.ascontiguousarray(train, dtype=np.float64)
        self.nominal = np.asarray(nominal, dtype=bool)
        self.metric = metric
        self.xp = xp
        self.dtype = np.dtype(dtype)
        self.memory_bytes = int(memory_bytes)
        self.lo, self.hi = ranges if ranges is not None else attribute_ranges(self.train)
        self.train_missing = bool(np.isnan(self.train).any())
        self._dev_train: Any = None
        self._gemm: dict[str, Any] | None = None

    def __getstate__(self) -> dict[str, Any]:
        """Picklable state (a fitted IBk inside a scikit-learn workflow: joblib, copy):
        the array module by name, and without the device copies, which are rebuilt on
        the next search. Our model files never use this."""
        state = dict(self.__dict__)
        state["xp"] = self.xp.__name__
        state["_dev_train"] = None
        state["_gemm"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state)
        name = state.pop("xp")
        if name not in ("numpy", "cupy"):
            raise ValueError(f"unknown array module {name!r} (expected numpy or cupy)")
        self.__dict__.update(state)
        # The training rows live on the host, so NumPy serves where CuPy is missing.
        cupy = None if name == "numpy" else _cupy_or_none()
        self.xp = np if cupy is None else cupy

    def prepare(self) -> None:
        """Build the device-side copy the GEMM path uses now rather than at first search.

        Training data are fixed once fitted, so this belongs to training time; small
        sets never need it.
        """
        if self.size * max(1, self.train.shape[1]) > _EXACT_WORK and not self.train_missing \
                and self.metric == "euclidean":
            self._prepare_gemm()

    @property
    def size(self) -> int:
        return self.train.shape[0]

    # Public search --------------------------------------------------------------------
    def search(self, queries: np.ndarray, k: int, *, update_ranges: bool = False,
               exclude_self: bool = False, cancel: CancelToken | None = None) -> Neighbours:
        """The k nearest training rows of each query, with every tie at the k-th kept.

        ``exclude_self`` (hold-one-out) makes query i skip training row i. With
        ``update_ranges`` each query first widens the ranges, in order, as WEKA does.
        """
        queries = np.asarray(queries, dtype=np.float64)
        q, n = queries.shape[0], self.size
        k_eff = min(k, n - (1 if exclude_self else 0))
        if q == 0 or k_eff <= 0:
            return Neighbours(np.full((q, 0), -1, dtype=np.int64), np.zeros((q, 0)))
        lo_all, hi_all = self._query_ranges(queries, update_ranges)
        tile = self._tile_rows(n)
        tiles = []
        for start in range(0, q, tile):
            stop = min(q, start + tile)
            tiles.append((queries[start:stop], np.arange(start, stop) if exclude_self else None,
                          lo_all[start:stop] if lo_all.ndim == 2 else lo_all[None, :],
                          hi_all[start:stop] if hi_all.ndim == 2 else hi_all[None, :]))
        if self._pipelined(queries):
            parts = self._search_pipelined(tiles, k_eff, cancel)
        else:
            parts = []
            for part in tiles:
                check(cancel)
                parts.append(self._search_tile(*part[:2], k_eff, *part[2:]))
        index, distance = stack_blocks(parts)
        if self.metric == "euclidean":
            distance = np.sqrt(distance)  # WEKA's postProcessDistances
        return Neighbours(index, distance)

    def _pipelined(self, queries: np.ndarray) -> bool:
        """Whether every tile takes the GEMM path on the CPU, where overlapping pays."""
        work = queries.shape[0] * self.size * max(1, self.train.shape[1])
        return (self.xp is np and self.metric == "euclidean" and not self.train_missing
                and work > 2 * _EXACT_WORK and not np.isnan(queries).any())

    def _search_pipelined(self, tiles: list[tuple[Any, ...]], k: int,
                          cancel: CancelToken | None) -> list[tuple[np.ndarray, np.ndarray]]:
        """GEMM of the next tile in a worker while this one's candidates are checked.

        The product runs in BLAS without the interpreter lock, so checking candidates
        (single-threaded NumPy) uses a core the product would otherwise leave idle at its
        end; the answers are exactly those of one tile after another.
        """
        parts = []
        with ThreadPoolExecutor(max_workers=1) as worker:
            pending = worker.submit(self._gemm_start, *tiles[0])
            for i, (queries, self_rows, lo, hi) in enumerate(tiles):
                check(cancel)
                started = pending.result()
                if i + 1 < len(tiles):
                    pending = worker.submit(self._gemm_start, *tiles[i + 1])
                parts.append(self._gemm_finish(queries, self_rows, k, lo, hi, *started))
        return parts

    # Ranges -------------------------------------------------------------------------
    def _query_ranges(self, queries: np.ndarray, update: bool
                      ) -> tuple[np.ndarray, np.ndarray]:
        """Ranges each query is measured with: the training ones, or widened in order."""
        if not update or queries.shape[0] == 0:
            return self.lo, self.hi
        with np.errstate(invalid="ignore"):
            inside = (np.nanmin(queries, axis=0, initial=np.inf) >= self.lo) & (
                np.nanmax(queries, axis=0, initial=-np.inf) <= self.hi)
        if inside.all():
            return self.lo, self.hi  # nothing widens: one shared range, the fast case
        lo = np.fmin.accumulate(np.vstack([self.lo[None, :], queries]), axis=0)[1:]
        hi = np.fmax.accumulate(np.vstack([self.hi[None, :], queries]), axis=0)[1:]
        if np.array_equal(lo[-1], self.lo, equal_nan=True) and np.array_equal(
                hi[-1], self.hi, equal_nan=True):
            return self.lo, self.hi  # nothing widened: one shared range, the fast case
        return lo, hi

    def _tile_rows(self, n: int) -> int:
        """Queries per tile, so the blocks alive at once fit the memory budget.

        The GEMM path holds about three ``q x n`` blocks in its own precision (the next
        tile's product is computed while this one is checked); the exact
        path about six float64 ones (the running total and one attribute's temporaries).
        """
        if self.metric == "euclidean" and not self.train_missing:
            per_row = max(1, n) * self.dtype.itemsize * 3  # two tiles in flight
        else:
            per_row = max(1, n) * 8 * 6
        return int(max(1, min(65536, self.memory_bytes // per_row)))

    # One tile -----------------------------------------------------------------------
    def _search_tile(self, queries: np.ndarray, self_rows: np.ndarray | None, k: int,
                     lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        q, n = queries.shape[0], self.size
        d = self.train.shape[1]
        exact = (self.metric != "euclidean" or self.train_missing
                 or bool(np.isnan(queries).any()) or q * n * max(d, 1) <= _EXACT_WORK)
        if not exact:
            return self._gemm_tile(queries, self_rows, k, lo, hi)
        # The exact path needs more memory per query: split the tile when it must.
        step = max(1, self.memory_bytes // (max(1, n) * 8 * 6))
        parts = []
        for start in range(0, q, step):
            rows = slice(start, min(q, start + step))
            dist = self._exact_full(queries[rows], lo[rows] if lo.shape[0] > 1 else lo,
                                    hi[rows] if hi.shape[0] > 1 else hi)
            if self_rows is not None:
                dist[np.arange(dist.shape[0]), self_rows[rows]] = np.inf
            parts.append(select_with_ties(dist, np.broadcast_to(np.arange(n), dist.shape), k))
        return stack_blocks(parts)

    def _exact_full(self, queries: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """Exact summed differences of every query to every training row (on the host)."""
        q, n = queries.shape[0], self.size
        total = np.zeros((q, n))
        for j in range(self.train.shape[1]):
            diff = difference(queries[:, j:j + 1], self.train[None, :, j], lo[:, j:j + 1],
                              hi[:, j:j + 1], bool(self.nominal[j]))
            total += np.abs(diff) if self.metric == "manhattan" else diff * diff
        return total

    def _exact_pairs(self, queries: np.ndarray, cand: np.ndarray, lo: np.ndarray,
                     hi: np.ndarray, complete: bool = False) -> np.ndarray:
        """Exact summed squared differences of each query to its candidate rows.

        Summed attribute by attribute in order (a cumulative sum is sequential), so the
        totals equal the exact path's bit for bit and ties stay ties.
        """
        q, m = cand.shape
        d = self.train.shape[1]
        total = np.zeros((q, m))
        step = max(1, (self.memory_bytes // 3) // max(1, m * d * 8))
        for start in range(0, q, step):
            rows = slice(start, min(q, start + step))
            qlo = lo[rows] if lo.shape[0] > 1 else lo
            qhi = hi[rows] if hi.shape[0] > 1 else hi
            diff = difference(queries[rows, None, :], self.train[cand[rows]],
                              qlo[:, None, :], qhi[:, None, :], self.nominal, complete)
            diff *= diff
            total[rows] = np.cumsum(diff, axis=2)[:, :, -1] if d else 0.0
        return total

    def _exact_needed(self, queries: np.ndarray, cand: np.ndarray, needed: np.ndarray,
                      lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """Exact distances where ``needed``, infinity elsewhere (they cannot matter)."""
        rows, cols = np.nonzero(needed)
        exact = np.full(cand.shape, np.inf)
        if lo.shape[0] > 1 or self.nominal.any() or not self.train.shape[1]:
            flat = self._exact_pairs(queries[rows], cand[rows, cols][:, None],
                                     lo[rows] if lo.shape[0] > 1 else lo,
                                     hi[rows] if hi.shape[0] > 1 else hi, complete=True)
            exact[rows, cols] = flat[:, 0]
            return exact
        # One shared range and numbers only (the common large case): the same operations
        # as ``difference``, each query normalised once and the work done in place.
        width = np.where(np.isnan(lo) | (hi == lo), np.inf, hi - lo)
        normal = (queries - lo) / width
        step = max(1, (self.memory_bytes // 2) // (self.train.shape[1] * 8))
        for start in range(0, rows.size, step):
            part = slice(start, start + step)
            values = self.train[cand[rows[part], cols[part]]]
            values -= lo
            values /= width
            np.subtract(normal[rows[part]], values, out=values)
            values *= values
            np.cumsum(values, axis=1, out=values)  # sequential, as the exact path adds
            exact[rows[part], cols[part]] = values[:, -1]
        return exact

    # The GEMM path -------------------------------------------------------------------
    def _prepare_gemm(self) -> dict[str, Any]:
        """Training rows normalised by the training ranges, one-hot nominal, on device.

        Stored as ``[-2 t, |t|^2]`` so one GEMM with ``[x, 1]`` gives ``|t|^2 - 2 x.t``,
        the squared distance less the query's own ``|x|^2``, which ranks the same.
        """
        if self._gemm is None:
            xp = self.xp
            width = np.where(np.isnan(self.lo) | (self.hi == self.lo), np.inf,
                             self.hi - self.lo)
            numeric = ~self.nominal
            # A column with an empty range contributes exactly 0 (WEKA's norm), so it is
            # left out of the product; a query that widens it is handled as a correction.
            live = numeric & np.isfinite(width)
            blocks = [(self.train[:, live] - self.lo[live]) / width[live]]
            for j in np.flatnonzero(self.nominal):
                codes = self.train[:, j].astype(np.int64)
                size = int(codes.max(initial=0)) + 1
                # 1/sqrt(2) per one-hot column makes two different values differ by 1.
                blocks.append(np.eye(size)[codes] * np.sqrt(0.5))
            features = np.hstack(blocks) if len(blocks) > 1 else blocks[0]
            t_sq = np.einsum("ij,ij->i", features, features)
            augmented = np.empty((self.size, features.shape[1] + 1), dtype=self.dtype)
            np.multiply(features, -2.0, out=augmented[:, :-1], casting="unsafe")
            augmented[:, -1] = t_sq
            self._gemm = {"t": xp.asarray(augmented), "t_max": float(t_sq.max(initial=0.0)),
                          "width": width, "numeric": np.flatnonzero(numeric), "live": live,
                          "nominal_sizes": [blk.shape[1] for blk in blocks[1:]]}
        return self._gemm

    def _query_features(self, queries: np.ndarray, prep: dict[str, Any]) -> np.ndarray:
        live = prep["live"]
        blocks = [(queries[:, live] - self.lo[live]) / prep["width"][live]]
        for j, size in zip(np.flatnonzero(self.nominal), prep["nominal_sizes"], strict=True):
            codes = queries[:, j].astype(np.int64)
            onehot = np.zeros((queries.shape[0], size))
            known = codes < size  # a value never seen in training matches nothing
            onehot[np.flatnonzero(known), codes[known]] = np.sqrt(0.5)
            blocks.append(onehot)
        return np.hstack(blocks)

    def _gemm_tile(self, queries: np.ndarray, self_rows: np.ndarray | None, k: int,
                   lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        started = self._gemm_start(queries, self_rows, lo, hi)
        return self._gemm_finish(queries, self_rows, k, lo, hi, *started)

    def _gemm_start(self, queries: np.ndarray, self_rows: np.ndarray | None, lo: np.ndarray,
                    hi: np.ndarray) -> tuple[np.ndarray, np.ndarray, Any]:
        """Query features, their squared norms and the approximate distances (the GEMM)."""
        xp = self.xp
        prep = self._prepare_gemm()
        x = self._query_features(queries, prep)
        x_sq = (x * x).sum(axis=1)
        approx = self._approx_distances(x, queries, prep, lo, hi)
        if self_rows is not None:
            approx[xp.arange(queries.shape[0]), xp.asarray(self_rows)] = xp.inf
        return x, x_sq, approx

    def _gemm_finish(self, queries: np.ndarray, self_rows: np.ndarray | None, k: int,
                     lo: np.ndarray, hi: np.ndarray, x: np.ndarray, x_sq: np.ndarray,
                     approx: Any) -> tuple[np.ndarray, np.ndarray]:
        """Candidates from the approximate distances, confirmed exactly, ties kept."""
        xp = self.xp
        prep = self._prepare_gemm()
        q, n = queries.shape[0], self.size
        # Worst-case rounding of a d-term dot product with rounded inputs is below
        # (d + 4) u sum|x_j t_j| (u = eps / 2); with sum|x t| <= (|x|^2 + |t|^2) / 2 and the
        # |t|^2 column this bounds the error by (d + 4) u (|x|^2 + 2 max|t|^2). Widened
        # columns add two more products of the same size.
        unit = float(np.finfo(self.dtype).eps) / 2 * (3.0 if lo.shape[0] > 1 else 1.0)
        tol = (x.shape[1] + 4) * unit * (x_sq + 2.0 * prep["t_max"])
        pending = np.arange(q)
        m = min(n, k + _MARGIN)
        results: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        while pending.size:
            rows = pending
            sub = approx[xp.asarray(rows)] if rows.size < q else approx
            if m < n:
                cand, cand_approx = smallest_candidates(xp, sub, m)
                cand_approx += x_sq[rows, None]
            else:
                cand = np.broadcast_to(np.arange(n), (rows.size, n))
                cand_approx = np.full((rows.size, n), np.inf)
            qlo = lo[rows] if lo.shape[0] > 1 else lo
            qhi = hi[rows] if hi.shape[0] > 1 else hi
            checked = cand
            if m < n:
                exact = self._exact_needed(queries[rows], cand,
                                           worth_checking(cand_approx, k, tol[rows]), qlo, qhi)
            else:
                exact = self._exact_pairs(queries[rows], cand, qlo, qhi)
            if self_rows is not None:
                exact[checked == self_rows[rows, None]] = np.inf
            kth = np.partition(exact, k - 1, axis=1)[:, k - 1]
            # No row outside the candidates may be as close as the k-th: their approximate
            # distances are at least the largest candidate's, less the rounding error.
            safe = (m >= n) | (cand_approx.max(axis=1) - tol[rows] > kth)
            if safe.any():
                results.append((rows[safe], *select_with_ties(exact[safe], checked[safe], k)))
            pending = rows[~safe]
            m = min(n, m * 8)
        width = max(r[1].shape[1] for r in results)
        index = np.full((q, width), -1, dtype=np.int64)
        distance = np.full((q, width), np.inf)
        for rows, idx, dist in results:
            index[rows, :idx.shape[1]] = idx
            distance[rows, :idx.shape[1]] = dist
        return index, distance

    def _approx_distances(self, x: np.ndarray, queries: np.ndarray, prep: dict[str, Any],
                          lo: np.ndarray, hi: np.ndarray) -> Any:
        """Squared distances less ``|x|^2`` by one GEMM; widened columns rescaled."""
        xp = self.xp
        augmented = np.ones((x.shape[0], x.shape[1] + 1), dtype=self.dtype)
        augmented[:, :-1] = x
        d2 = xp.asarray(augmented) @ prep["t"].T
        if lo.shape[0] > 1:
            numeric = prep["numeric"]
            base_w = prep["width"][numeric]
            w = np.where(np.isnan(lo[:, numeric]) | (hi[:, numeric] == lo[:, numeric]),
                         np.inf, hi[:, numeric] - lo[:, numeric])
            changed = np.flatnonzero((w != base_w[None, :]).any(axis=0))
            if changed.size:
                # Those columns contribute sum_j a^2 (x - t)^2 with a = 1/width: add the
                # difference between the query's scale and the training one.
                cols = numeric[changed]
                a_old = 1.0 / base_w[changed]
                delta = (1.0 / w[:, changed]) ** 2 - a_old[None, :] ** 2
                xc = queries[:, cols] - np.nan_to_num(self.lo[cols])
                tc = self.train[:, cols] - np.nan_to_num(self.lo[cols])
                tc_dev = xp.asarray(tc.astype(self.dtype))
                d2 += xp.asarray((delta * xc * xc).sum(axis=1).astype(self.dtype))[:, None]
                d2 -= 2.0 * (xp.asarray((delta * xc).astype(self.dtype)) @ tc_dev.T)
                d2 += xp.asarray(delta.astype(self.dtype)) @ (tc_dev * tc_dev).T
        return d2


def _cupy_or_none() -> Any:
    """CuPy where it imports and sees a GPU, else None."""
    from workbench.engine.backend import resolve_device

    try:
        return importlib.import_module("cupy") if resolve_device("auto") == "gpu" else None
    except ImportError:
        return None
