"""Axes of a scatter plot of attribute values: jitter, readable ranges, telling which
attributes vary.

Shared by the classifier-errors plot and the Explorer's larger scatter plot, so both
spread points alike and neither turns a constant attribute into "(x0.001)" noise.
Everything here is plain NumPy except ``plain_numbers``, which sets up a pyqtgraph axis.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

JITTER_MAX = 50  # the slider's top: half a nominal value's slot either side
NUMERIC_SLOTS = 5  # a numeric axis jitters in fifths of its span, as if it had 5 values
NEARLY_CONSTANT = 0.95  # one value in this share of the instances tells little


def value_slot(values: np.ndarray, nominal: bool) -> float:
    """The room one value has along an axis: 1 between nominal codes; for numbers a fifth
    of their span, or 1 when they are all equal (so jitter still spreads them)."""
    if nominal:
        return 1.0
    finite = values[np.isfinite(values)]
    span = float(finite.max() - finite.min()) if finite.size else 0.0
    return span / NUMERIC_SLOTS if span > 0 else 1.0


def jittered(values: np.ndarray, amount: int, nominal: bool, seed: int = 0) -> np.ndarray:
    """``values`` moved by up to ``amount`` percent of a value's slot either way.

    Seeded, so the same data and amount draw the same picture each time; at
    ``JITTER_MAX`` a nominal value's points fill its slot and never reach the next one.
    Missing values stay missing. Only drawing uses this, never the numbers a user reads.
    """
    values = np.asarray(values, dtype=float)
    if amount <= 0 or not values.size:
        return values
    rng = np.random.default_rng(seed)
    return values + rng.uniform(-1, 1, values.size) * (amount / 100) * value_slot(values, nominal)


def padded_range(values: np.ndarray, nominal_count: int | None = None,
                 drawn: np.ndarray | None = None) -> tuple[float, float]:
    """The (low, high) an axis should show for ``values``, widened to hold ``drawn``,
    the same values as jitter placed them.

    A nominal axis shows each of its ``nominal_count`` values' slot, present or not. A
    numeric one shows every drawn point with 5 % room either side. All-equal values get
    one unit either side (or a tenth of their size, when larger) instead of the hair-thin
    range an automatic one picks around them (which pyqtgraph labels "(x0.001)"); that
    range is set by the value, not the jitter, so jitter spreads the points inside it
    rather than stretching the axis around a blur.
    """
    finite = _finite(values)
    moved = _finite(drawn) if drawn is not None else finite[:0]
    if nominal_count is not None:
        low, high = -0.5, nominal_count - 0.5
        if moved.size:  # jitter may reach a slot's edge: keep those points whole
            low, high = min(low, float(moved.min()) - 0.1), max(high, float(moved.max()) + 0.1)
        return low, high
    if not finite.size:
        return 0.0, 1.0
    low, high = float(finite.min()), float(finite.max())
    if high - low <= 1e-12 * max(abs(low), abs(high), 1.0):
        pad = max(1.0, abs(low) * 0.1)  # wider than the jitter of a constant (half a unit)
        return low - pad, high + pad
    if moved.size:
        low, high = min(low, float(moved.min())), max(high, float(moved.max()))
    pad = 0.05 * (high - low)
    return low - pad, high + pad


def _finite(values: np.ndarray) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    return array[np.isfinite(array)]


def spread(values: np.ndarray) -> int:
    """How much an attribute varies, in three tiers a default choice sorts by: 2 when no
    single value fills ``NEARLY_CONSTANT`` of the instances, 1 when it varies a little
    (MNIST's border pixels: a handful of strokes among thousands of zeros), 0 when it is
    constant or missing everywhere."""
    return int(spreads(np.asarray(values, dtype=float).reshape(-1, 1))[0])


def spreads(block: np.ndarray) -> np.ndarray:
    """``spread`` of every column of ``block`` (instances x attributes) at once.

    One sort of the whole block rather than a ``np.unique`` a column: on MNIST's 784
    pixels the loop was most of the wait before the Visualize tab showed anything.
    """
    # Each column's values in order along a row, missing ones (NaN) last.
    ordered = np.sort(np.asarray(block, dtype=float).T, axis=1)
    count, n = ordered.shape
    known = n - np.isnan(ordered).sum(axis=1)
    if n == 0:
        return np.zeros(count, dtype=int)
    place = np.arange(n)
    new_value = np.ones(ordered.shape, dtype=bool)
    new_value[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    new_value &= place < known[:, None]      # a missing value starts no value
    # Where the run of equal values each place belongs to starts, and so its length.
    starts = np.maximum.accumulate(np.where(new_value, place, 0), axis=1)
    lengths = np.where(place < known[:, None], place - starts + 1, 0)
    most = lengths.max(axis=1)
    distinct = new_value.sum(axis=1)
    return np.where(distinct <= 1, 0, np.where(most >= NEARLY_CONSTANT * known, 1, 2))


def plain_numbers(axis: pg.AxisItem) -> None:
    """Print attribute values as they are: no "(x0.001)" unit scaling of the axis."""
    axis.enableAutoSIPrefix(False)


def nominal_axis_ticks(labels: list[str] | tuple[str, ...], most: int = 25) -> list:
    """pyqtgraph ticks naming nominal codes 0..k-1; beyond ``most`` values, every n-th."""
    step = max(1, -(-len(labels) // most))
    return [[(float(k), labels[k]) for k in range(0, len(labels), step)]]
