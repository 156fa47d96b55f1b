"""``java.util.Random``, bit for bit, so that a seed gives WEKA's folds.

WEKA shuffles data with ``new java.util.Random(seed)``: a 48-bit linear congruential
generator whose seed is scrambled with a fixed multiplier, whose ``nextInt(bound)``
rejects a few values to stay uniform, and whose ``nextDouble`` glues 26 and 27 bits
together. Users compare our cross-validation with WEKA's, so "a similar generator" is not
enough: only the same numbers give the same folds. Java's integer overflow is reproduced
with explicit masking.

It lives in ``core.weka`` because learners below the evaluation layer need it too: WEKA's
VotedPerceptron and MultilayerPerceptron shuffle their training data and draw their
initial weights from the same generator.
"""

from __future__ import annotations

import numpy as np

_MULTIPLIER = 0x5DEECE66D
_ADDEND = 0xB
_MASK = (1 << 48) - 1


def _to_int32(value: int) -> int:
    """Java's ``(int)`` cast of a long: keep the low 32 bits, two's complement."""
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value & 0x80000000 else value


class JavaRandom:
    """The generator of ``java.util.Random`` with the methods WEKA's resampling uses."""

    __slots__ = ("_seed",)

    def __init__(self, seed: int) -> None:
        self.set_seed(seed)

    def set_seed(self, seed: int) -> None:
        """Java's ``setSeed``: the seed is scrambled so that small seeds differ at once."""
        self._seed = (int(seed) ^ _MULTIPLIER) & _MASK

    def next_bits(self, bits: int) -> int:
        """Java's protected ``next(bits)``: the top ``bits`` of the advanced state, signed."""
        self._seed = (self._seed * _MULTIPLIER + _ADDEND) & _MASK
        return _to_int32(self._seed >> (48 - bits))

    def next_int(self, bound: int | None = None) -> int:
        """``nextInt()`` (any int) or ``nextInt(bound)`` (uniform in ``[0, bound)``)."""
        if bound is None:
            return self.next_bits(32)
        if bound <= 0:
            raise ValueError(f"bound must be positive, got {bound}")
        if bound & -bound == bound:  # a power of two: take the high bits
            return (bound * self.next_bits(31)) >> 31
        while True:
            bits = self.next_bits(31)
            value = bits % bound
            # Java tests ``bits - val + (bound - 1) < 0`` in 32-bit arithmetic: the sum
            # overflows exactly when bits falls in the incomplete last block.
            if _to_int32(bits - value + (bound - 1)) >= 0:
                return value

    def next_long(self) -> int:
        """``nextLong()``: two 32-bit halves, the low one added as a signed int."""
        value = (self.next_bits(32) << 32) + self.next_bits(32)
        value &= (1 << 64) - 1
        return value - (1 << 64) if value & (1 << 63) else value

    def next_double(self) -> float:
        """``nextDouble()``: 53 random bits scaled into ``[0, 1)``."""
        return ((self.next_bits(26) << 27) + self.next_bits(27)) * (1.0 / (1 << 53))

    def next_boolean(self) -> bool:
        return self.next_bits(1) != 0

    def shuffle_order(self, n: int) -> np.ndarray:
        """The order WEKA's ``Instances.randomize(random)`` leaves ``n`` instances in."""
        order = np.arange(n)
        for j in range(n - 1, 0, -1):
            i = self.next_int(j + 1)
            order[j], order[i] = order[i], order[j]
        return order
