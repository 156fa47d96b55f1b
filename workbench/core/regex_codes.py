"""Whether a repeated part of a regular expression splits a text into iterations one way
only, although its alternatives overlap: ``(a|ab)+``, ``(?:foo|fo)+``.

The exponential shape ``safe_regex`` refuses is a repeat whose iterations can split the
same text in several ways: ``(a|aa)+`` reads ``aaaa`` as a+a+a+a, aa+aa, a+aa+a and so
on, and a matcher that fails at the end tries them all. Alternatives that share a start
are not enough for that. When the body matches only texts of a finite set (a "code")
in which no text can be the start of another, or none can be the end of another, each
text has at most one split into iterations:

- no text the start of another (a prefix code): read from the left, the next iteration
  is always the one alternative that fits;
- no text the end of another (a suffix code, such as a and ab): read from the right,
  the last iteration is always the one that fits, so two different splits of one text
  would differ somewhere and cannot both end at its end.

A backtracking matcher, from one place where a match starts, visits each way of
splitting the text read so far into whole iterations; with at most one such split of
each piece it visits at most one state per character, linear for each start like a
single ``\\w+``. ``(a|ab)+c`` on 2 000 ``a``s takes 0.31 s, as ``(a)+c``, which is
accepted anyway; ``(a|a)+`` and ``(a|aa)+`` stay refused (equal texts, and a text both
the start and the end of another).

The body's texts are compared as sequences of character sets, each set a bit mask over
``regex_tree.Alphabet``'s sample; two sets that share a sample character are taken to
be able to match the same character.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from workbench.core.regex_tree import constants as _c
from workbench.core.regex_tree import items as _items
from workbench.core.regex_tree import scoped as _scoped

ItemChars = Callable[[Any, Any, int], int]
Word = tuple[int, ...]
# A body with more texts than this, longer ones, or a repeat of more than a few
# iterations inside it, is left to the other checks.
_MOST_WORDS = 64
_LONGEST_WORD = 32
_MOST_INNER_COUNT = 4


def splits_one_way(body: Iterable[tuple[Any, Any]], flags: int,
                   item_chars: ItemChars) -> bool:
    """Whether ``body`` (a repeat's items) matches only texts of a finite set that is
    a prefix code or a suffix code, none of them empty, so that any text splits into
    iterations of the repeat in at most one way."""
    words = _words(list(body), flags, item_chars)
    if words is None or not words or any(not w for w in words):
        return False
    return _free(words) or _free([w[::-1] for w in words])


def _free(words: list[Word]) -> bool:
    """Whether no word can match the same text as another, or the start of its text."""
    for a, first in enumerate(words):
        for b, second in enumerate(words):
            if a != b and len(first) <= len(second) and all(
                    x & y for x, y in zip(first, second, strict=False)):
                return False
    return True


def _words(items: list[tuple[Any, Any]], flags: int,
           item_chars: ItemChars) -> list[Word] | None:
    """Every text ``items`` can match, as sequences of character sets; None when the
    set is not finite and small or an item is one this reading does not know
    (anchors, look-arounds, back-references, atomic groups)."""
    result: list[Word] = [()]
    for op, av in items:
        options = _item_words(op, av, flags, item_chars)
        if options is None:
            return None
        result = [w + o for w in result for o in options]
        if len(result) > _MOST_WORDS or any(len(w) > _LONGEST_WORD for w in result):
            return None
    return result


def _item_words(op: Any, av: Any, flags: int, item_chars: ItemChars) -> list[Word] | None:
    if op in (_c.LITERAL, _c.NOT_LITERAL, _c.ANY, _c.IN):
        return [(item_chars(op, av, flags),)]
    if op is _c.SUBPATTERN:
        return _words(_items(av[-1]), _scoped(flags, av), item_chars)
    if op is _c.BRANCH:
        found: list[Word] = []
        for branch in av[1]:
            words = _words(_items(branch), flags, item_chars)
            if words is None:
                return None
            found += words
        return found
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[1] <= _MOST_INNER_COUNT:
        low, high, body = av
        once = _words(_items(body), flags, item_chars)
        if once is None:
            return None
        counted: list[Word] = []
        current: list[Word] = [()]
        for count in range(high + 1):
            if count >= low:
                counted += current
            if count == high:
                break
            current = [w + o for w in current for o in once]
            if len(current) > _MOST_WORDS:
                return None
        return counted
    return None
