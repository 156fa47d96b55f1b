"""Reading a regular expression as Python's own parser sees it: the parsed tree, walked
item by item, and the characters each item can match, as bit masks over a sample
alphabet. ``safe_regex`` decides from these whether a pattern can backtrack without
bound; kept apart because the reading is the same for each of its checks."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Iterator
from typing import Any


def private_parser() -> tuple[Any, Any]:
    """Python's regex parser and its constants: ``re._parser`` from 3.11, ``sre_parse``
    before; (None, None) on a Python that has neither."""
    for parser, constants in (("re._parser", "re._constants"),
                              ("sre_parse", "sre_constants")):
        try:
            return importlib.import_module(parser), importlib.import_module(constants)
        except ImportError:  # pragma: no cover - older or newer Pythons
            continue
    return None, None  # pragma: no cover


parser, constants = private_parser()

# Character sets, as bit masks over a sample alphabet ------------------------------------


class Alphabet:
    """A sample of characters on which two pieces of a pattern are compared: Latin-1,
    letters, digits and spaces of other scripts, and every character the pattern names
    (with its neighbours and case partners). Two pieces that match no common sample
    are taken to be disjoint; each piece's set is a bit mask over the sample."""

    def __init__(self, text: str, flags: int) -> None:
        chars = {chr(i) for i in range(256)}
        chars.update("\u0391\u03b1\u0430\u05d0\u0663\u0e01\u1680\u2003\u2028\u200b"
                     "\u3000\u4e2d\uff11\uff21\u212a\u0131\u017f\U0001f600")
        for ch in text:
            for near in (ch, ch.lower(), ch.upper(), chr(max(ord(ch) - 1, 0)),
                         chr(min(ord(ch) + 1, 0x10FFFF))):
                chars.update(near)
        self.flags = flags
        self._grow_from(items(parser.parse(text, 0)), chars)
        self.chars = sorted(chars)
        self.everything = (1 << len(self.chars)) - 1
        self._word = self.mask(re.compile(r"\w"))

    def _grow_from(self, items: Iterable[tuple[Any, Any]], chars: set[str]) -> None:
        """Add the ends of every range and each literal's neighbours (``\\x{10000}``
        written as an escape is not in the text itself)."""
        for op, av in walk(items):
            if op is constants.RANGE:
                for code in (av[0], av[1], max(av[0] - 1, 0), min(av[1] + 1, 0x10FFFF)):
                    chars.add(chr(code))
            elif op in (constants.LITERAL, constants.NOT_LITERAL):
                chars.add(chr(av))

    def mask(self, pattern: re.Pattern[str]) -> int:
        bits = 0
        for i, ch in enumerate(self.chars):
            if pattern.fullmatch(ch):
                bits |= 1 << i
        return bits

    def only_word_chars(self, bits: int) -> bool:
        return bits & ~self._word == 0


def walk(items: Iterable[tuple[Any, Any]]) -> Iterator[tuple[Any, Any]]:
    """Every (op, argument) pair at any depth."""
    for op, av in items:
        yield op, av
        for child in children(op, av):
            yield from walk(child)


def items(node: Any) -> list[tuple[Any, Any]]:
    return list(node)


def children(op: Any, av: Any) -> list[list[tuple[Any, Any]]]:
    """The sub-sequences directly inside one item."""
    if op is constants.SUBPATTERN:
        return [items(av[-1])]
    if op in REPEATS:
        return [items(av[2])]
    if op is constants.BRANCH:
        return [items(b) for b in av[1]]
    if op in (constants.ASSERT, constants.ASSERT_NOT):
        return [items(av[1])]
    if op is constants.GROUPREF_EXISTS:
        return [items(b) for b in av[1:] if b is not None]
    if op is ATOMIC:
        return [items(av)]
    if op is constants.IN:
        return [list(av)]
    return []


POSSESSIVE = getattr(constants, "POSSESSIVE_REPEAT", None) if constants else None
ATOMIC = getattr(constants, "ATOMIC_GROUP", None) if constants else None
REPEATS = tuple(op for op in ((constants.MAX_REPEAT, constants.MIN_REPEAT, POSSESSIVE)
                              if constants else ())
                if op is not None)
# The flags that change what one character matches (not DEBUG, which prints).
SET_FLAGS = re.IGNORECASE | re.ASCII | re.UNICODE | re.DOTALL
CATEGORIES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D",
               "CATEGORY_SPACE": r"\s", "CATEGORY_NOT_SPACE": r"\S",
               "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W"}


def scoped(flags: int, av: Any) -> int:
    """The flags inside ``(?i:...)``-style groups (a SUBPATTERN's add and del flags)."""
    if len(av) == 4:
        return (flags | av[1]) & ~av[2]
    return flags  # pragma: no cover - a parser without scoped flags


def class_source(items: Iterable[tuple[Any, Any]]) -> str:
    """A ``[...]`` set rebuilt from the parser's items."""
    parts = []
    negate = ""
    for op, av in items:
        if op is constants.NEGATE:
            negate = "^"
        elif op is constants.LITERAL:
            parts.append(re.escape(chr(av)))
        elif op is constants.RANGE:
            parts.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is constants.CATEGORY:
            parts.append(CATEGORIES.get(str(av), r"\s\S"))
        else:
            return r"[\s\S]"
    return f"[{negate}{''.join(parts)}]" if parts else r"[\s\S]"


def min_width(items: Any) -> int:
    """The fewest characters ``items`` can match (0 where the parser cannot tell)."""
    sub = parser.SubPattern(parser.State(), list(items))
    try:
        return int(sub.getwidth()[0])
    except Exception:  # pragma: no cover - a width the parser cannot tell: maybe none
        return 0
