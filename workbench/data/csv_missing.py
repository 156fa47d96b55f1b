"""Which CSV fields are missing: the tokens, and quoted look-alikes kept as values.

A module of its own because both directions depend on it: the reader marks a quoted
``"?"`` or ``""`` so pandas keeps it as a value, and the writer quotes a label spelled
like a missing token so it reads back as that label. Keeping the tokens here keeps the
two sides agreeing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

DEFAULT_MISSING = ("?", "")
EMPTY_FIELD = ""


def with_empty_field(markers: Sequence[str]) -> tuple[str, ...]:
    """``markers`` with the empty field among them: an empty CSV field is missing
    whatever else is, as in WEKA's CSVLoader, whose ``-M`` replaces only its ``?``.
    Typing ``NA`` must not turn every empty cell into a label ``''`` and a numeric
    column nominal (a quoted ``""`` stays the empty string, see
    ``protect_quoted_missing``)."""
    return tuple(dict.fromkeys((*markers, EMPTY_FIELD)))

# Marks a quoted field that spells a missing value ("?" or ""), so pandas keeps it as text.
_KEPT = "\x1a"


def protect_quoted_missing(text: str, delimiter: str, quotechar: str,
                            missing: Sequence[str]) -> tuple[str, bool]:
    """The text with every whole quoted field equal to a missing-value token marked.

    Quoting is how a CSV says "this is a value": ``"?"`` is the label ``?`` and ``""`` the
    empty string, as our writer quotes them; only the bare ``?`` and empty field are
    missing. pandas drops the quotes before it compares with its NA tokens, so the
    fields are marked first (a linear scan, skipped when no such field can be there).
    """
    tokens = {t for t in missing if quotechar not in t}
    if quotechar not in text or not any(f"{quotechar}{t}{quotechar}" in text for t in tokens):
        return text, False
    q = re.escape(quotechar)
    # Whole quoted fields (their doubled quotes inside) or runs of anything else, left to
    # right: a "" inside a quoted field is never taken for a field of its own.
    pieces = re.compile(rf"{q}(?:[^{q}]|{q}{q})*{q}|[^{q}]+|{q}")
    ends = {delimiter, "\n", "\r"}
    count = 0

    def mark(match: re.Match[str]) -> str:
        nonlocal count
        piece = match.group(0)
        start, end = match.span()
        whole = ((start == 0 or text[start - 1] in ends)
                 and (end == len(text) or text[end] in ends))
        if (whole and len(piece) >= 2 and piece[0] == quotechar
                and piece[1:-1] in tokens):
            count += 1
            return f"{quotechar}{_KEPT}{piece[1:-1]}{quotechar}"
        return piece

    marked = pieces.sub(mark, text)
    return marked, count > 0


def unprotect(frame: pd.DataFrame) -> None:
    """Drop the marks of ``protect_quoted_missing`` from the text columns."""
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_numeric_dtype(column.dtype):
            continue
        marked = column.map(lambda v: isinstance(v, str) and v.startswith(_KEPT))
        if marked.any():
            frame[name] = column.map(lambda v: v[1:] if isinstance(v, str)
                                     and v.startswith(_KEPT) else v)
