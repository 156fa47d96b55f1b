"""Refusing regular expressions that can backtrack for ever, before any text is matched.

Python's ``re`` has no timeout and holds the GIL while it matches, so a pattern such as
``(a+)+b`` on forty ``a``s and a ``!`` hangs the command line, a flow from a stranger
and, through the GIL, the GUI thread that merely started the work. A pattern a user
types (a token pattern, a name pattern) is therefore parsed and refused when it has
one of the two shapes that make a backtracking matcher take exponential time:

- a repeat inside a repeat whose iterations can share text: ``(a+)+``, ``(\\w+\\s?)*``,
  ``(.*a){20}``. A repeat of a body whose variable part is always followed by a
  character it cannot match (``(\\w+\\s)+``, ``\\w+(-\\w+)*``) is fine, since the text
  then splits into iterations one way only;
- a repeated alternation whose branches can match the same text: ``(a|a)*``,
  ``(a|aa)+``, ``(\\d+|,)+`` (the matcher tries every branch at every iteration).

A third shape takes polynomial time, which is as bad on a long line: repeats in a row
that can share one run of a character, ``.*.*.*=`` or ``\\s*\\s*\\s*x``. The matcher
tries every way of splitting the run between them (n to the power k for k repeats on n
characters), and a search tries that again from every start. So three such repeats in a
row are refused, and two where a search may start anywhere in the run and something
after them can fail (``\\w+\\s*\\w*x``); a piece between them that one of them cannot
match (``\\s*,\\s*``, ``.*foo.*``), ``\\b``, or ``^`` before them keeps them apart.

The check is conservative: it may refuse a pattern that is in fact harmless, and the
message then says how to write it so it is accepted. Repeats inside an atomic group
``(?>...)`` or possessive ones (``a++``, Python 3.11 and later) cannot give text back,
so they count as fixed pieces. The parser is Python's own (``re._parser``, called
``sre_parse`` before 3.11); where neither exists the pattern's text is checked for a
quantified group holding a quantifier instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from workbench.core.errors import ParameterError
from workbench.core.regex_tree import ATOMIC as _ATOMIC
from workbench.core.regex_tree import POSSESSIVE as _POSSESSIVE
from workbench.core.regex_tree import REPEATS as _REPEATS
from workbench.core.regex_tree import SET_FLAGS as _SET_FLAGS
from workbench.core.regex_tree import Alphabet as _Alphabet
from workbench.core.regex_tree import children as _children
from workbench.core.regex_tree import class_source as _class_source
from workbench.core.regex_tree import constants as _c
from workbench.core.regex_tree import items as _items
from workbench.core.regex_tree import min_width as _min_width
from workbench.core.regex_tree import parser as _parser
from workbench.core.regex_tree import scoped as _scoped

# A pattern a person types is short; longer text is refused before it is parsed, so
# that the check itself stays quick whatever a flow file holds.
MAX_PATTERN_CHARS = 1000
_MAX_VARIABLE_PIECES = 64
_FEW_ITERATIONS = 4

_SAFE_FORMS = ("write one repeat ('a+' rather than '(a+)+'), put a character the "
               "repeated part cannot match between repeats ('(\\w+\\s)+', "
               "'\\w+(-\\w+)*'), or make the inner repeat possessive ('(a++)+') or "
               "atomic ('(?>a+)+')")

_RUN_FORMS = ("write one repeat ('\\s*' rather than '\\s*\\s*'), put a character only "
              "one of them can match between them ('\\w+\\s+\\w+'), make one "
              "possessive ('\\s*+') or, where there are two, anchor the pattern ('^...')")


def check_pattern(text: str, name: str, *, match_empty: bool = True) -> re.Pattern[str]:
    """``text`` compiled, or ``ParameterError`` naming parameter ``name`` and saying why:
    not a regular expression, too long, able to backtrack exponentially, or (with
    ``match_empty`` false) able to match the empty text."""
    if len(text) > MAX_PATTERN_CHARS:
        raise ParameterError(f"parameter '{name}': the regular expression is "
                             f"{len(text)} characters long (at most {MAX_PATTERN_CHARS})")
    try:
        compiled = re.compile(text)
    except (re.error, RecursionError, OverflowError) as error:
        raise ParameterError(f"parameter '{name}': '{text}' is not a valid regular "
                             f"expression: {error}") from None
    if _parser is None:  # pragma: no cover - a Python without the private parser
        if re.search(r"\)[*+{?]", text) and re.search(r"[*+}][^)]*\)", text):
            raise ParameterError(f"parameter '{name}': '{text}' repeats a group that "
                                 f"holds a repeat; {_SAFE_FORMS}")
        return compiled
    tree = _parser.parse(text, 0)
    alphabet = _Alphabet(text, tree.state.flags)
    problem = _problem(tree, alphabet)
    if problem:
        raise ParameterError(f"parameter '{name}': '{text}' {problem}, so text that almost "
                             f"matches makes the matcher try exponentially many ways "
                             f"(it would hang); {_SAFE_FORMS}")
    problem = _run_problem(tree, alphabet)
    if problem:
        raise ParameterError(f"parameter '{name}': '{text}' {problem}, so on a long run of "
                             f"that character the matcher tries a number of ways that "
                             f"grows as a power of its length (600 characters take "
                             f"seconds, and it holds the whole program meanwhile); "
                             f"{_RUN_FORMS}")
    if not match_empty and tree.getwidth()[0] == 0:
        raise ParameterError(f"parameter '{name}': '{text}' can match empty text; give "
                             f"a pattern that matches at least one character, such as "
                             f"the default (?u)\\b\\w\\w+\\b")
    return compiled


@dataclass
class _Piece:
    """One item of a repeat's body as the ambiguity check sees it: the characters it
    may consume, whether it always consumes one (a separator), whether its length
    varies (a repeat that can give text back), and whether it is ``\\b``."""

    chars: int
    mandatory: bool
    variable: bool
    boundary: bool = False


class _Checker:
    def __init__(self, alphabet: _Alphabet) -> None:
        self.alphabet = alphabet
        self._masks: dict[tuple[str, int], int] = {}

    # Sets of characters -----------------------------------------------------------
    def _class_mask(self, source: str, flags: int) -> int:
        key = (source, flags)
        if key not in self._masks:
            try:
                self._masks[key] = self.alphabet.mask(re.compile(source, flags & _SET_FLAGS))
            except re.error:  # pragma: no cover - a set we cannot rebuild: anything
                self._masks[key] = self.alphabet.everything
        return self._masks[key]

    def chars(self, items: Iterable[tuple[Any, Any]], flags: int) -> int:
        """Every sample character some item may consume."""
        bits = 0
        for op, av in items:
            bits |= self._item_chars(op, av, flags)
        return bits

    def _item_chars(self, op: Any, av: Any, flags: int) -> int:
        if op is _c.LITERAL:
            return self._class_mask(re.escape(chr(av)), flags)
        if op is _c.NOT_LITERAL:
            return self._class_mask(f"[^{re.escape(chr(av))}]", flags)
        if op is _c.ANY:
            return self._class_mask(".", flags)
        if op is _c.IN:
            return self._class_mask(_class_source(av), flags)
        if op is _c.SUBPATTERN:
            return self.chars(_items(av[-1]), _scoped(flags, av))
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            return 0
        if op is _c.GROUPREF:
            return self.alphabet.everything
        children = _children(op, av)
        if not children:
            return self.alphabet.everything  # an item we do not know: anything
        return self.chars((i for child in children for i in child), flags)

    # The pieces of a repeat's body ------------------------------------------------------
    def pieces(self, items: Iterable[tuple[Any, Any]], flags: int) -> Iterator[_Piece]:
        """The body flattened through plain groups: groups and inline flags only wrap."""
        for op, av in items:
            if op is _c.SUBPATTERN:
                yield from self.pieces(_items(av[-1]), _scoped(flags, av))
                continue
            if op is _c.AT:
                yield _Piece(0, False, False, boundary=av is _c.AT_BOUNDARY)
                continue
            low = _min_width([(op, av)])
            yield _Piece(self._item_chars(op, av, flags), low >= 1,
                         self._gives_back(op, av))

    def _gives_back(self, op: Any, av: Any) -> bool:
        """Whether the item can match texts of different lengths and be made to give
        some back: a non-possessive repeat of varying count, or anything holding one
        (outside an atomic group), or a branch of different widths."""
        if op is _POSSESSIVE or op is _ATOMIC:
            return False
        if op in _REPEATS:
            low, high, body = av
            return low != high or self._holds_variable(_items(body))
        if op is _c.GROUPREF:
            return True
        if op is _c.BRANCH:
            widths = {_min_width(b) for b in av[1]}
            return len(widths) > 1 or any(self._holds_variable(_items(b)) for b in av[1])
        return any(self._holds_variable(child) for child in _children(op, av)
                   if op is not _c.IN)

    def _holds_variable(self, items: list[tuple[Any, Any]]) -> bool:
        return any(self._gives_back(op, av) for op, av in items)

    # The two dangerous shapes -----------------------------------------------------------
    def problem(self, items: list[tuple[Any, Any]], flags: int, in_repeat: bool) -> str:
        for op, av in items:
            if op in _REPEATS and av[1] > 1:
                body = _items(av[2])
                body_flags = flags
                if op is not _POSSESSIVE and self._iterations_overlap(body, body_flags):
                    return ("repeats a part that can itself match text of different "
                            "lengths, and one iteration can end where the next begins")
                # A choice repeated a few times ('(25[0-5]|2[0-4]\d|1?\d?\d\.){3}'
                # in an IP address) tries at most its branches to that power.
                found = self.problem(body, body_flags,
                                     in_repeat or av[1] > _FEW_ITERATIONS)
            elif op is _c.BRANCH and in_repeat and self._branches_overlap(av[1], flags):
                return "repeats a choice between alternatives that can match the same text"
            elif op is _c.GROUPREF_EXISTS and in_repeat:
                return "repeats a conditional group"
            else:
                inner_flags = _scoped(flags, av) if op is _c.SUBPATTERN else flags
                found = next((p for child in _children(op, av) if op is not _c.IN
                              for p in [self.problem(child, inner_flags, in_repeat)] if p),
                             "")
            if found:
                return found
        return ""

    def _iterations_overlap(self, body: list[tuple[Any, Any]], flags: int) -> bool:
        """Whether two pieces that can give text back (the same piece in the next
        iteration included) can meet with nothing between them that keeps their text
        apart: no piece that always consumes a character neither of them can match,
        and no ``\\b`` between two runs of word characters."""
        pieces = list(self.pieces(body, flags))
        variable = [i for i, p in enumerate(pieces) if p.variable]
        if len(variable) > _MAX_VARIABLE_PIECES:
            return True
        n = len(pieces)
        for first in variable:
            for step in range(1, n + 1):   # forward, round into the next iteration
                j = (first + step) % n
                if not pieces[j].variable or not pieces[first].chars & pieces[j].chars:
                    continue   # runs of different characters cannot trade text
                between = [pieces[(first + k) % n] for k in range(1, step)]
                both = pieces[first].chars | pieces[j].chars
                if any(p.mandatory and not p.chars & both for p in between):
                    continue   # a separator neither can match: '(\w+\s)+'
                if (any(p.boundary for p in between) and self.alphabet.only_word_chars(both)
                        and not any(p.chars & both for p in between)):
                    continue   # '\b' cannot stand between two word characters
                return True
        return False

    def _branches_overlap(self, branches: list[Any], flags: int) -> bool:
        seqs = [_items(b) for b in branches]
        for a in range(len(seqs)):
            for b in range(a + 1, len(seqs)):
                if self._may_share_text(seqs[a], seqs[b], flags):
                    return True
        return False

    def _may_share_text(self, a: list[tuple[Any, Any]], b: list[tuple[Any, Any]],
                        flags: int) -> bool:
        """Whether two branches may match the same text or one a start of the other's:
        compared character by character while both begin with a single character;
        a branch that may match nothing overlaps every other."""
        while True:
            if not a or not b or _min_width(a) == 0 or _min_width(b) == 0:
                return True
            if not self._first_chars(a, flags) & self._first_chars(b, flags):
                return False
            if not (_single(a[0]) and _single(b[0])):
                return True
            a, b = a[1:], b[1:]

    def _first_chars(self, items: list[tuple[Any, Any]], flags: int) -> int:
        bits = 0
        for op, av in items:
            if op is _c.SUBPATTERN:
                bits |= self._first_chars(_items(av[-1]), _scoped(flags, av))
            elif op in _REPEATS:
                bits |= self._first_chars(_items(av[2]), flags)
            elif op is _c.BRANCH:
                for branch in av[1]:
                    bits |= self._first_chars(_items(branch), flags)
            else:
                bits |= self._item_chars(op, av, flags)
            if _min_width([(op, av)]) > 0:
                break
        return bits


def _problem(tree: Any, alphabet: _Alphabet) -> str:
    return _Checker(alphabet).problem(_items(tree), tree.state.flags, False)


def _single(item: tuple[Any, Any]) -> bool:
    return item[0] in (_c.LITERAL, _c.NOT_LITERAL, _c.ANY, _c.IN)


# Repeats in a row that share a run of one character ------------------------------------

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
    optional parts holding it (``scope``, outermost first)."""

    chars: int
    passes: int
    required: bool
    variable: bool
    can_fail: bool
    scope: tuple[int, ...]
    ways: int = 1      # how many lengths a bounded repeat can take from a run


class _Runs:
    """Finds repeats in a row that can split one run of a character between them."""

    def __init__(self, checker: _Checker) -> None:
        self.checker = checker
        self.everything = checker.alphabet.everything
        self._newline = checker.alphabet.mask(re.compile("\n"))
        self._next_scope = 0

    def problem(self, items: list[tuple[Any, Any]], flags: int, start: int,
                tail_fails: bool) -> str:
        """The first run found in ``items`` or in any sequence inside them. ``start``:
        the characters a run may hold where a search can begin anywhere before the
        sequence (everything at the top; nothing after ``^``); ``tail_fails``: whether
        what follows the sequence can fail, so that the last repeat gives text back."""
        entries: list[_Entry] = []
        nested: list[tuple[list[tuple[Any, Any]], int, int, bool]] = []
        self._flatten(items, flags, (), entries, nested)
        found = self._run(entries, start, tail_fails)
        for child, child_flags, index, branch in nested:
            if found:
                break
            if branch:   # an alternative sits where the branch does in the sequence
                found = self.problem(child, child_flags, self._start(entries, index, start),
                                     self._tail(entries, index, tail_fails))
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
        chars = self.checker._item_chars(op, av, flags)
        width = _min_width([(op, av)])
        if op is _c.AT:
            passes = self._at_passes(av, flags)
        else:
            passes = chars if width >= 1 else self.everything
        ways = av[1] - av[0] + 1 if op in _REPEATS and av[1] != _c.MAXREPEAT else 1
        return _Entry(chars, passes, width >= 1 or passes != self.everything,
                      self._wide(op, av), width >= 1 or op in _ASSERTIONS, scope, ways)

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
        return end.scope[:len(between.scope)] == between.scope

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
        """A character of the run to name in the message, a readable one if possible."""
        chars = [ch for i, ch in enumerate(self.checker.alphabet.chars) if bits >> i & 1]
        for ch in "a1 =.,-_\t\n":
            if ch in chars:
                return repr(ch)
        readable = [ch for ch in chars if ch.isprintable()]
        return repr((readable or chars)[0])


def _run_problem(tree: Any, alphabet: _Alphabet) -> str:
    runs = _Runs(_Checker(alphabet))
    return runs.problem(_items(tree), tree.state.flags, runs.everything, False)
