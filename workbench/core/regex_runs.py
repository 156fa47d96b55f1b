"""Repeats in a row that can split one run of text between them: the polynomial shape
``safe_regex`` refuses.

A backtracking matcher facing ``k`` repeats that can all match one run of ``n``
characters tries every way of splitting the run between them, about ``n`` to the power
``k - 1`` for each place the match starts, and a search starts at every place. So three
such repeats in a row are refused, and two where a search may start anywhere in the run
and something after them can fail (cubic either way: 2 000 characters take seconds).

The run need not be of one character. ``.*foo.*bar.*`` splits a run of ``foobar``
repeated just as ``.*.*.*`` splits a run of ``a``: the literals between the repeats sit
at every period of the run, so they no longer keep the repeats apart. The check
therefore looks at the run whose period is the text between the repeats (and, for two,
the text before the first one, where the search starts): when every repeat can match
each character of that period and the pieces between them fit inside its repetition,
the run is shared. One character (the period of ``.*.*.*``) is the special case every
character is checked for at once, as bits of a mask.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from workbench.core.regex_tree import ATOMIC as _ATOMIC
from workbench.core.regex_tree import POSSESSIVE as _POSSESSIVE
from workbench.core.regex_tree import REPEATS as _REPEATS
from workbench.core.regex_tree import Alphabet
from workbench.core.regex_tree import children as _children
from workbench.core.regex_tree import constants as _c
from workbench.core.regex_tree import items as _items
from workbench.core.regex_tree import min_width as _min_width
from workbench.core.regex_tree import scoped as _scoped

ItemChars = Callable[[Any, Any, int], int]
# A piece of the text between repeats as the period check sees it: ("char", mask) for
# one character, ("gap", mask) for any number of them taken by a repeat, or a
# zero-width assertion ("boundary", "line_start", "line_end", "never") with 0.
Token = tuple[str, int]
_MAX_VARIABLE_PIECES = 64
_MAX_TOKENS = 64

# A repeat whose count can vary by this much or more (or without end) counts as one that
# can split a run; '\d{1,3}' tries at most three ways and is left alone.
_WIDE_RANGE = 8
# Narrower repeats in a row that share a run still multiply their ways of splitting it:
# seven of '\d{0,7}' before an 'x' took over 20 s on 2 000 digits.
_MOST_SPLITS = 10_000
_ASSERTIONS = (_c.AT, _c.ASSERT, _c.ASSERT_NOT, _c.GROUPREF, _c.GROUPREF_EXISTS) if _c else ()


@dataclass
class _Entry:
    """One item of a sequence flattened through groups and optional parts (``x?``):
    the characters it can take from a run of one character (``passes``: a ``\\b`` or
    ``^`` takes none, a literal only itself), whether it must match for the sequence
    to go on (``required``), whether it can split a run with its neighbours
    (``variable``), whether it can fail without consuming (an assertion), and the
    optional parts holding it (``scope``, outermost first); ``tokens``: what it puts
    into the text between two repeats when it takes as little as it can."""

    chars: int
    passes: int
    required: bool
    variable: bool
    can_fail: bool
    scope: tuple[int, ...]
    ways: int = 1      # how many lengths a bounded repeat can take from a run
    tokens: tuple[Token, ...] = ()


class Runs:
    """Finds repeats in a row that can split one run of text between them."""

    def __init__(self, alphabet: Alphabet, item_chars: ItemChars) -> None:
        self.alphabet = alphabet
        self.item_chars = item_chars   # the characters one parsed item may consume
        self.everything = alphabet.everything
        self._newline = alphabet.mask(re.compile("\n"))
        self._word = alphabet.mask(re.compile(r"\w"))
        self._next_scope = 0

    def problem(self, items: list[tuple[Any, Any]], flags: int, start: int,
                tail_fails: bool, prefix: tuple[Token, ...] = ()) -> str:
        """The first run found in ``items`` or in any sequence inside them. ``start``:
        the characters a run may hold where a search can begin anywhere before the
        sequence (everything at the top; nothing after ``^``); ``prefix``: the text
        that must come before the sequence, as tokens (none at the top); ``tail_fails``:
        whether what follows the sequence can fail, so that the last repeat gives text
        back."""
        entries: list[_Entry] = []
        nested: list[tuple[list[tuple[Any, Any]], int, int, bool]] = []
        self._flatten(items, flags, (), entries, nested)
        found = self._run(entries, start, tail_fails) or self._periodic(entries, prefix,
                                                                         tail_fails)
        for child, child_flags, index, branch in nested:
            if found:
                break
            if branch:   # an alternative sits where the branch does in the sequence
                found = self.problem(child, child_flags, self._start(entries, index, start),
                                     self._tail(entries, index, tail_fails),
                                     prefix + self._before(entries, index))
            else:        # inside a repeat or an assertion: assume the worst around it
                found = self.problem(child, child_flags, self.everything, True)
        return found

    def _flatten(self, items: Iterable[tuple[Any, Any]], flags: int, scope: tuple[int, ...],
                 entries: list[_Entry],
                 nested: list[tuple[list[tuple[Any, Any]], int, int, bool]]) -> None:
        for op, av in items:
            if op is _c.SUBPATTERN:
                self._flatten(_items(av[-1]), _scoped(flags, av), scope, entries, nested)
                continue
            if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[1] <= 1:
                if av[1] == 1:   # 'x?' is x on one path and nothing on the other
                    self._next_scope += 1
                    inner = scope if av[0] >= 1 else (*scope, self._next_scope)
                    self._flatten(_items(av[2]), flags, inner, entries, nested)
                continue
            index = len(entries)
            entries.append(self._entry(op, av, flags, scope))
            for child in _children(op, av):
                if op is not _c.IN:
                    nested.append((child, flags, index, op is _c.BRANCH))

    def _entry(self, op: Any, av: Any, flags: int, scope: tuple[int, ...]) -> _Entry:
        if op is _c.GROUPREF:
            # '\1' matches again whatever its group took, of any length the group can
            # take: as wide as a repeat, over any character ('(.+)\1\1x' is cubic).
            return _Entry(self.everything, self.everything, False, True, True, scope)
        chars = self.item_chars(op, av, flags)
        width = _min_width([(op, av)])
        tokens: tuple[Token, ...]
        if op is _c.AT:
            passes = self._at_passes(av, flags)
            tokens = () if passes == self.everything else (_at_token(av, flags),)
        else:
            passes = chars if width >= 1 else self.everything
            positions = self._positions(op, av, flags)
            if positions is None:   # a varying item, at its shortest: its set each time
                positions = [chars] * min(width, _MAX_TOKENS)
            tokens = tuple(("char", bits) for bits in positions)
        ways = av[1] - av[0] + 1 if op in _REPEATS and av[1] != _c.MAXREPEAT else 1
        return _Entry(chars, passes, width >= 1 or passes != self.everything,
                      self._wide(op, av), width >= 1 or op in _ASSERTIONS, scope, ways,
                      tokens)

    def _positions(self, op: Any, av: Any, flags: int) -> list[int] | None:
        """The set of characters at each place of an item of fixed width ('foo',
        '(?:ab|cd)', '\\d{3}'), or None for one of varying width."""
        if op in (_c.LITERAL, _c.NOT_LITERAL, _c.ANY, _c.IN):
            return [self.item_chars(op, av, flags)]
        if op is _c.SUBPATTERN or op is _ATOMIC:
            inner_flags = _scoped(flags, av) if op is _c.SUBPATTERN else flags
            parts = [self._positions(o, a, inner_flags) for o, a in _items(
                av[-1] if op is _c.SUBPATTERN else av)
                if _min_width([(o, a)]) > 0 or o not in _ASSERTIONS]
            if any(part is None for part in parts):
                return None
            joined = [bits for part in parts if part is not None for bits in part]
            return joined if len(joined) <= _MAX_TOKENS else None
        if op is _c.BRANCH:   # alternatives of one width: the union at each place
            options = [self._positions(_c.SUBPATTERN, (None, 0, 0, b), flags)
                       for b in av[1]]
            if any(o is None for o in options) or len({len(o or ()) for o in options}) > 1:
                return None
            return [bits_or(place) for place in zip(*[o or [] for o in options], strict=True)]
        if op in _REPEATS and av[0] == av[1] and av[0] * max(_min_width(av[2]), 1) <= _MAX_TOKENS:
            body = self._positions(_c.SUBPATTERN, (None, 0, 0, av[2]), flags)
            return None if body is None else body * av[0]
        return None

    def _at_passes(self, where: Any, flags: int) -> int:
        """The characters inside whose run an anchor can match: ``\\b`` none (both
        sides of it are alike), ``^`` and ``$`` none, or only newlines in multiline
        mode; ``\\B`` any."""
        if where in (_c.AT_NON_BOUNDARY,):
            return self.everything
        if where in (_c.AT_BEGINNING, _c.AT_END) and flags & re.MULTILINE:
            return self._newline
        return 0

    def _wide(self, op: Any, av: Any) -> bool:
        """Whether the item can take a run of very different lengths and give it back:
        a backtracking repeat of wide range, or anything holding one."""
        if op is _POSSESSIVE or op is _ATOMIC or op is _c.IN:
            return False
        if op in _REPEATS:
            low, high, body = av
            if high == _c.MAXREPEAT or high - low >= _WIDE_RANGE:
                return True
            return any(self._wide(o, a) for o, a in _items(body))
        return any(self._wide(o, a) for child in _children(op, av) for o, a in child)

    # Paths through the flattened sequence --------------------------------------------
    @staticmethod
    def _on_every_path(between: _Entry, end: _Entry) -> bool:
        """Whether an entry lies on every path to or from ``end``: the optional parts
        holding it also hold ``end``."""
        return not between.scope or end.scope[:len(between.scope)] == between.scope

    def _passes(self, entries: list[_Entry], first: int, last: int) -> int:
        """The characters whose run the required entries strictly between ``first``
        and ``last`` can all sit inside (everything when none is in the way)."""
        bits = self.everything
        for between in entries[first + 1:last]:
            if between.required and (self._on_every_path(between, entries[first])
                                     or self._on_every_path(between, entries[last])):
                bits &= between.passes
        return bits

    def _start(self, entries: list[_Entry], index: int, start: int) -> int:
        bits = start
        for before in entries[:index]:
            if before.required and self._on_every_path(before, entries[index]):
                bits &= before.passes
        return bits

    def _tail(self, entries: list[_Entry], index: int, tail_fails: bool) -> bool:
        return tail_fails or any(after.can_fail and self._on_every_path(after, entries[index])
                                 for after in entries[index + 1:])

    def _before(self, entries: list[_Entry], index: int) -> tuple[Token, ...]:
        """The tokens of what must match before ``entries[index]`` on every path."""
        return tuple(t for before in entries[:index]
                     if before.required and self._on_every_path(before, entries[index])
                     for t in before.tokens)

    def _between(self, entries: list[_Entry], first: int, last: int) -> tuple[Token, ...]:
        """The tokens of what must match between two entries (as in ``_passes``)."""
        return tuple(t for between in entries[first + 1:last]
                     if between.required and (self._on_every_path(between, entries[first])
                                              or self._on_every_path(between, entries[last]))
                     for t in between.tokens)

    def _run(self, entries: list[_Entry], start: int, tail_fails: bool) -> str:
        """Three variable entries in a row sharing a run, or two that a search can reach
        from anywhere in the run with something after them that can fail."""
        variable = [i for i, e in enumerate(entries) if e.variable]
        if len(variable) > _MAX_VARIABLE_PIECES:
            return f"has more than {_MAX_VARIABLE_PIECES} repeats in one sequence"
        shared: dict[tuple[int, int], int] = {}
        after: dict[int, list[int]] = {i: [] for i in variable}   # shared[i, j] -> bits
        for a, i in enumerate(variable):
            for j in variable[a + 1:]:
                bits = entries[i].chars & entries[j].chars & self._passes(entries, i, j)
                if bits:
                    shared[i, j] = bits
                    after[i].append(j)
        for (i, j), bits in shared.items():
            for k in after[j]:
                common = bits & shared[j, k]
                if common:
                    return (f"has 3 repeats in a row that can all match a run of "
                            f"{self._sample(common)} with nothing between them that one "
                            f"of them cannot match")
            common = bits & self._start(entries, i, start)
            if common and self._tail(entries, j, tail_fails):
                return (f"has 2 repeats in a row that can both match a run of "
                        f"{self._sample(common)}, may start anywhere in such a run, and "
                        f"are followed by something that can fail")
        return self._bounded_chain(entries)

    def _bounded_chain(self, entries: list[_Entry]) -> str:
        r"""Bounded repeats in a row sharing a run, whose numbers of lengths multiply
        past _MOST_SPLITS ('\d{0,7}' seven times: 8^7 ways to split 49 digits)."""
        bounded = [i for i, e in enumerate(entries) if not e.variable and e.ways > 1]
        for a, first in enumerate(bounded):
            common, ways, count, last = entries[first].chars, entries[first].ways, 1, first
            for j in bounded[a + 1:]:
                bits = common & entries[j].chars & self._passes(entries, last, j)
                if not bits:
                    continue
                common, ways, count, last = bits, ways * entries[j].ways, count + 1, j
                if ways > _MOST_SPLITS:
                    return (f"has {count} bounded repeats in a row that can all match a "
                            f"run of {self._sample(common)} with nothing between them "
                            f"that one of them cannot match ({ways} ways to split it)")
        return ""

    def _sample(self, bits: int) -> str:
        return repr(self._char(bits))

    def _char(self, bits: int) -> str:
        """A character of the run to name in the message, a readable one if possible."""
        chars = [ch for i, ch in enumerate(self.alphabet.chars) if bits >> i & 1]
        for ch in "a1 =.,-_\t\n":
            if ch in chars:
                return ch
        readable = [ch for ch in chars if ch.isprintable()]
        return (readable or chars)[0]

    # Runs of a text of several characters --------------------------------------------
    def _periodic(self, entries: list[_Entry], prefix: tuple[Token, ...],
                  tail_fails: bool) -> str:
        """The rule of ``_run`` for a run of a text of several characters, with the text
        between the repeats (and before the first, for two) as its period: three
        repeats that can each match every character of it, or two that a search reaches
        from every period of the run and that something after them can fail."""
        variable = [i for i, e in enumerate(entries) if e.variable]
        pairs: dict[int, list[tuple[int, tuple[Token, ...]]]] = {i: [] for i in variable}
        for a, i in enumerate(variable):
            for j in variable[a + 1:]:
                common = entries[i].chars & entries[j].chars
                between = self._between(entries, i, j)
                if common and all(kind != "never" and (kind != "char" or bits & common)
                                  for kind, bits in between):
                    pairs[i].append((j, between))
        for i in variable:
            before = self._before(entries, i)
            for j, between in pairs[i]:
                common = entries[i].chars & entries[j].chars
                for k, after in pairs[j]:
                    three = common & entries[k].chars
                    word = self._period((*between, ("gap", three), *after,
                                         ("gap", three)), three)
                    if word:
                        return (f"has 3 repeats in a row that can all match a run of "
                                f"{word!r} repeated, and the text between them fits "
                                f"inside such a run")
                if self._tail(entries, j, tail_fails):
                    word = self._period((*prefix, *before,
                                         ("gap", common), *between, ("gap", common)),
                                        common)
                    if word:
                        return (f"has 2 repeats in a row that can both match a run of "
                                f"{word!r} repeated, may start at every {word!r} of such "
                                f"a run, and are followed by something that can fail")
        return ""

    def _period(self, tokens: tuple[Token, ...], common: int) -> str:
        """A text that ``tokens`` match and whose repetition the repeats (able to match
        the characters in ``common``, and taking any of them at each "gap") can all
        match, with each assertion among the tokens true where the text repeats; ""
        if none. A run of one character is left to ``_run``, which checks all of them
        at once."""
        sets, places, asserts = [], [], []
        for i, (kind, bits) in enumerate(tokens):
            sets.append(bits & common)
            if kind == "char":
                if not sets[i]:
                    return ""
                places.append(i)
            elif kind != "gap":
                asserts.append(i)
        if len(places) < 2 and not asserts:
            return ""
        if not all(self._holds(tokens[i][0], _side(tokens, sets, i, -1),
                               _side(tokens, sets, i, 1)) for i in asserts):
            return ""
        word = "".join(self._char(sets[i]) for i in places)
        if asserts and not any(ch.isalnum() or ch == "_" for ch in word):
            word += self._char(common & self._word)
        if asserts and all(ch.isalnum() or ch == "_" for ch in word):
            word += self._char(common & ~self._word) if common & ~self._word else ""
        return word

    def _holds(self, kind: str, before: int, after: int) -> bool:
        """Whether an assertion can be true between a character of ``before`` and one
        of ``after`` (each set looked at alone: a guess on the side of refusing)."""
        other = self.everything & ~self._word
        if kind == "boundary":
            return bool((before & self._word and after & other)
                        or (before & other and after & self._word))
        if kind == "line_start":
            return bool(before & self._newline)
        if kind == "line_end":
            return bool(after & self._newline)
        return False


def _side(tokens: tuple[Token, ...], sets: list[int], index: int, step: int) -> int:
    """The characters that can stand next to token ``index`` on one side, round the
    period: the nearest character, or any a gap on the way can hold."""
    bits = 0
    for k in range(1, len(tokens) + 1):
        j = (index + step * k) % len(tokens)
        kind = tokens[j][0]
        if kind == "char":
            return bits | sets[j]
        if kind == "gap":
            bits |= sets[j]
    return bits


def _at_token(where: Any, flags: int) -> Token:
    if where is _c.AT_BOUNDARY:
        return ("boundary", 0)
    if flags & re.MULTILINE and where is _c.AT_BEGINNING:
        return ("line_start", 0)
    if flags & re.MULTILINE and where is _c.AT_END:
        return ("line_end", 0)
    return ("never", 0)


def bits_or(values: Iterable[int]) -> int:
    bits = 0
    for value in values:
        bits |= value
    return bits


def run_problem(tree: Any, alphabet: Alphabet, item_chars: ItemChars) -> str:
    """Why ``tree`` can split a run between repeats in a row, or ""."""
    runs = Runs(alphabet, item_chars)
    return runs.problem(_items(tree), tree.state.flags, runs.everything, False)
