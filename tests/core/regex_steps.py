"""Counting the work of a backtracking regular-expression search, step by step, without
a clock: a small matcher that backtracks as Python's ``re`` does (alternatives in order,
greedy repeats longest first, lazy ones shortest first, a search from every place) and
counts each item it tries. The count depends only on the pattern and the text, so a test
built on it gives the same answer on an idle machine and on a busy one.

It reads the same parsed tree as ``re`` (``re._parser``) and knows the items the
property test generates: literals, sets, ``.``, groups, alternatives, repeats and the
anchors ``^ $ \\A \\Z \\b \\B``. ``re`` itself is faster (it skips starts that cannot
match, runs single-character repeats in C), so its time grows at most as the count does.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any

from workbench.core.regex_tree import class_source, parser
from workbench.core.regex_tree import constants as C

Next = Callable[[int], bool]


class OverBudget(Exception):
    """The search took more steps than it was allowed."""


class StepCounter:
    """``findall``'s search of one pattern, counting steps up to ``budget``."""

    def __init__(self, pattern: str, budget: int) -> None:
        self.tree = parser.parse(pattern, 0)
        self.flags = self.tree.state.flags
        self.budget = budget
        self.steps = 0
        self.text = ""
        self._sets: dict[tuple[Any, Any], re.Pattern[str]] = {}

    def findall(self, text: str) -> int:
        """The number of steps ``re.findall`` would take, at most; ``OverBudget`` once
        it passes the budget."""
        self.text = text
        old = sys.getrecursionlimit()
        sys.setrecursionlimit(max(old, 50 * len(text) + 1000))
        try:
            ends: list[int] = []

            def found(end: int) -> bool:
                ends.append(end)
                return True

            position = 0
            while position <= len(text):
                if self._seq(list(self.tree), 0, position, self.flags, found):
                    position = max(ends[-1], position + 1)
                else:
                    position += 1
        finally:
            sys.setrecursionlimit(old)
        return self.steps

    def _tick(self) -> None:
        self.steps += 1
        if self.steps > self.budget:
            raise OverBudget(f"more than {self.budget} steps")

    def _seq(self, items: list[tuple[Any, Any]], i: int, pos: int, flags: int,
             then: Next) -> bool:
        self._tick()
        if i == len(items):
            return then(pos)
        op, av = items[i]

        def rest(end: int) -> bool:
            return self._seq(items, i + 1, end, flags, then)

        if op in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN):
            return pos < len(self.text) and self._one(op, av, flags, pos) and rest(pos + 1)
        if op is C.SUBPATTERN:
            inner = (flags | av[1]) & ~av[2]
            return self._seq(list(av[-1]), 0, pos, inner, rest)
        if op is C.BRANCH:
            return any(self._seq(list(b), 0, pos, flags, rest) for b in av[1])
        if op in (C.MAX_REPEAT, C.MIN_REPEAT):
            low, high, body = av
            return self._repeat(list(body), low, high, op is C.MAX_REPEAT, 0, pos, flags,
                                rest)
        if op is C.AT:
            return self._at(av, pos, flags) and rest(pos)
        raise NotImplementedError(f"the step counter does not know {op}")

    def _repeat(self, body: list[tuple[Any, Any]], low: int, high: int, greedy: bool,
                count: int, pos: int, flags: int, then: Next) -> bool:
        self._tick()

        def again(end: int) -> bool:
            if end == pos and count >= low:   # an empty iteration ends the repeat
                return False
            return self._repeat(body, low, high, greedy, count + 1, end, flags, then)

        if count < low:
            return self._seq(body, 0, pos, flags, again)
        if greedy:
            return (count < high and self._seq(body, 0, pos, flags, again)) or then(pos)
        return then(pos) or (count < high and self._seq(body, 0, pos, flags, again))

    def _one(self, op: Any, av: Any, flags: int, pos: int) -> bool:
        key = (op, av if op is not C.IN else tuple(av))
        if key not in self._sets:
            source = re.escape(chr(av)) if op is C.LITERAL else (
                f"[^{re.escape(chr(av))}]" if op is C.NOT_LITERAL else None)
            sub = parser.SubPattern(parser.State(), [(op, av)])
            self._sets[key] = re.compile(source or _source(sub), flags & (
                re.IGNORECASE | re.ASCII | re.DOTALL))
        return self._sets[key].fullmatch(self.text[pos]) is not None

    def _at(self, where: Any, pos: int, flags: int) -> bool:
        text = self.text
        if where is C.AT_BEGINNING_STRING or (where is C.AT_BEGINNING
                                              and not flags & re.MULTILINE):
            return pos == 0
        if where is C.AT_BEGINNING:
            return pos == 0 or text[pos - 1] == "\n"
        if where is C.AT_END_STRING:
            return pos == len(text)
        if where is C.AT_END:
            return (pos == len(text) or (text[pos] == "\n" and (
                flags & re.MULTILINE or pos == len(text) - 1)))
        word = [0 < pos <= len(text) and _is_word(text[pos - 1]),
                pos < len(text) and _is_word(text[pos])]
        if where is C.AT_BOUNDARY:
            return word[0] != word[1]
        if where is C.AT_NON_BOUNDARY:
            return word[0] == word[1]
        raise NotImplementedError(f"the step counter does not know {where}")


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _source(sub: Any) -> str:
    """A one-character item written back as a pattern (sets and ``.``)."""
    op, av = sub[0]
    if op is C.ANY:
        return "."
    return class_source(av)
