"""WEKA's range syntax for attributes and values: ``first-3,5,last``.

Positions are 1-based as WEKA users type them. ``first`` and ``last`` name the ends; a
span ``a-b`` may run backwards (``last-first``), which Reorder uses to reverse. Inversion
(WEKA's ``-V``) selects everything the range does not. A range that names a position
outside the data is refused with the offending part quoted, because silently ignoring it
would filter the wrong columns.
"""

from __future__ import annotations

import numpy as np

from workbench.core.errors import ParameterError


def parse_range(text: str, count: int, *, invert: bool = False,
                keep_order: bool = False, what: str = "attribute") -> list[int]:
    """0-based indices named by ``text`` among ``count`` items.

    Without ``keep_order`` the result is sorted and duplicates merge (a selection); with
    it the order written is kept and a repeated index is refused (an ordering). An empty
    text selects nothing (everything when inverted).
    """
    chosen: list[int] = []
    if count == 0:
        return []  # nothing to name: 'first-last' of no attributes is no attributes
    stripped = text.strip()
    if stripped:
        for part in stripped.split(","):
            chosen.extend(_part(part.strip(), count, text, what))
    if keep_order:
        if invert:
            raise ParameterError("an ordering cannot be inverted")
        seen: set[int] = set()
        for index in chosen:
            if index in seen:
                raise ParameterError(f"range '{text}' names {what} {index + 1} twice")
            seen.add(index)
        return chosen
    selected = np.zeros(count, dtype=bool)
    selected[chosen] = True
    if invert:
        selected = ~selected
    return [int(i) for i in np.flatnonzero(selected)]


def _part(part: str, count: int, text: str, what: str) -> list[int]:
    if not part:
        raise ParameterError(f"range '{text}' has an empty part (expected e.g. first-3,5,last)")
    if "-" in part[1:]:
        # The first character may be a minus sign of nothing useful; split on the dash
        # that separates the ends.
        cut = part.index("-", 1)
        low = _position(part[:cut].strip(), count, text, what)
        high = _position(part[cut + 1:].strip(), count, text, what)
        step = 1 if high >= low else -1
        return list(range(low, high + step, step))
    return [_position(part, count, text, what)]


def _position(token: str, count: int, text: str, what: str) -> int:
    lowered = token.lower()
    if lowered == "first":
        index = 0
    elif lowered == "last":
        index = count - 1
    else:
        try:
            index = int(token) - 1
        except ValueError:
            raise ParameterError(
                f"range '{text}': cannot read '{token}' (expected a position from 1, "
                f"'first' or 'last', e.g. first-3,5,last)") from None
        if index < 0:
            raise ParameterError(f"range '{text}': positions start at 1, not '{token}'")
    if not 0 <= index < count:
        raise ParameterError(f"range '{text}': {what} '{token}' does not exist "
                             f"(there {'is' if count == 1 else 'are'} {count})")
    return index


def format_range(indices: list[int]) -> str:
    """1-based indices written back compactly: ``[0, 1, 2, 4]`` -> ``1-3,5``."""
    parts: list[str] = []
    run: list[int] = []
    for index in sorted(set(indices)):
        if run and index == run[-1] + 1:
            run.append(index)
            continue
        if run:
            parts.append(_run_text(run))
        run = [index]
    if run:
        parts.append(_run_text(run))
    return ",".join(parts)


def _run_text(run: list[int]) -> str:
    return str(run[0] + 1) if len(run) == 1 else f"{run[0] + 1}-{run[-1] + 1}"
