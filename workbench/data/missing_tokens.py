"""Columns of numbers that a few placeholder words ("NA", "n/a", "-") made nominal.

A CSV cell that is not a number makes its whole column nominal, as in WEKA, so one
``NA`` turns ``age`` into a 64-value nominal attribute that every learner accepts and
none can use well (WEKA would make it a string, which learners refuse, so its user
notices). Nothing is wrong with the file in the reader's terms, so nothing is refused:
this module finds such columns after the read, for the command line to warn and the
Explorer to offer a read with those words as missing-value markers. What was read is
never changed here: only the user's choice reads the file again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from workbench.data.csv_options import ColumnNumber, ColumnSpan
from workbench.data.dataset import AttributeType, Dataset
from workbench.data.number_format import NumberFormat
from workbench.data.shown import shown

# More distinct words than this and the column is words with some numbers among them,
# not numbers with a placeholder.
MAX_TOKENS = 3


@dataclass(frozen=True)
class NumbersWithTokens:
    """A nominal or string column whose values are all numbers but ``tokens``, which
    fill ``cells`` cells (in order of first appearance, as the labels are)."""

    column: str
    tokens: tuple[str, ...]
    cells: int

    def text(self) -> str:
        """The finding in the user's words: ``age: numbers except 'NA' (30 cells)``."""
        words = ", ".join(f"'{shown(t)}'" for t in self.tokens)
        return (f"{shown(self.column)}: numbers except {words} "
                f"({self.cells} cell{'s' if self.cells != 1 else ''})")


def numbers_with_tokens(dataset: Dataset, forced: Iterable[int | str] = (),
                        number_format: NumberFormat | None = None
                        ) -> list[NumbersWithTokens]:
    """The columns read as nominal or string only because of a few non-numeric words.

    A column counts when at least two of its labels are numbers, at most
    ``MAX_TOKENS`` are not, those fill fewer cells than the numbers do, and each is a
    word one could type as a marker (no digit, which would make it a value with a unit
    such as ``12 kg``; no comma, which the markers are separated by; not blank).
    ``forced``: the columns the user asked to read as nominal or string (names, or
    ``ColumnNumber``s counted from 1), which are as asked and left out.
    ``number_format``: how the file was read to write numbers (``1,5`` is a number
    when read with a decimal comma).
    """
    from workbench.data.frames import label_numbers  # (pandas: CSV files only)

    skipped = column_indices(dataset, forced)
    found: list[NumbersWithTokens] = []
    for j, attribute in enumerate(dataset.attributes):
        if j in skipped or attribute.type not in (AttributeType.NOMINAL,
                                                   AttributeType.STRING):
            continue
        labels = list(attribute.values)
        words = np.flatnonzero(np.isnan(label_numbers(labels, number_format))) \
            if labels else np.empty(0)
        if not 0 < words.size <= MAX_TOKENS or len(labels) - words.size < 2:
            continue
        tokens = tuple(labels[int(k)] for k in words)
        if not all(_typable(token) for token in tokens):
            continue
        codes = dataset.column(j)
        counts = np.bincount(codes[~np.isnan(codes)].astype(np.int64),
                             minlength=len(labels))
        cells = int(counts[words].sum())
        if cells < int(counts.sum()) - cells:
            found.append(NumbersWithTokens(attribute.name, tokens, cells))
    return found


def markers_with(tokens: Iterable[str], markers: Sequence[str] = ()) -> list[str]:
    """The markers to read with so that ``tokens`` are missing too: the tokens, then
    the ones in use (``?`` when none were typed, since typed markers take its place;
    not the empty field, which is missing whatever the markers)."""
    kept = [m for m in markers if m] if markers else ["?"]
    return list(dict.fromkeys([*tokens, *kept]))


def _typable(token: str) -> bool:
    return bool(token.strip()) and token == token.strip() and "," not in token \
        and not any(ch.isdigit() for ch in token)


def column_indices(dataset: Dataset, keys: Iterable[int | str]) -> set[int]:
    """Column indices for names and typed 1-based numbers (others ignored: the reader
    has already refused a key it could not find)."""
    names = [a.name for a in dataset.attributes]
    out: set[int] = set()
    for key in keys:
        if isinstance(key, ColumnSpan) and key not in names:
            out.update(key.indices(len(names)))
        elif isinstance(key, ColumnNumber) and key.text in names:
            out.add(names.index(key.text))
        elif isinstance(key, ColumnNumber):
            out.add(int(key) - 1)
        elif isinstance(key, int):
            out.add(key)
        elif key in names:
            out.add(names.index(key))
    return out


__all__ = ["MAX_TOKENS", "NumbersWithTokens", "column_indices", "markers_with",
           "numbers_with_tokens"]
