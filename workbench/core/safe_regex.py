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
  Branches that only share a start are fine when no text of one can be the end of
  another, ``(a|ab)+``: any text then splits into iterations one way only
  (``regex_codes`` says why), and the matcher does linear work for each start.

A third shape takes polynomial time, which is as bad on a long line: repeats in a row
that can share one run of text, ``.*.*.*=`` or ``\\s*\\s*\\s*x``, or ``.*foo.*x`` on
``foofoofoo...``. The matcher tries every way of splitting the run between them (n to
the power k for k repeats on n characters), and a search tries that again from every
start. So three such repeats in a row are refused, and two where a search may start
anywhere in the run and something after them can fail (``\\w+\\s*\\w*x``); a piece
between them that the run cannot hold (``\\s*,\\s*``, ``[^,]*,[^,]*,x``), ``\\b``
between two letters, or ``^`` before them keeps them apart (``regex_runs``).

The check is conservative: it may refuse a pattern that is in fact harmless, and the
message then says how to write it so it is accepted. Repeats inside an atomic group
``(?>...)`` or possessive ones (``a++``, Python 3.11 and later) cannot give text back,
so they count as fixed pieces. The parser is Python's own (``re._parser``, called
``sre_parse`` before 3.11); where neither exists the pattern's text is checked for a
quantified group holding a quantifier instead.

What this check covers and what it does not: it gives the immediate, explained refusal
for the shapes above. It is not the only guard: a review (B, R1-R5) found accepted
patterns that still backtrack, chains of optional items (``a?a?...aaa``), repeats hidden
in look-arounds (``\\w+(?=\\w*x)``), overlapping alternatives under small fixed counts,
narrow bounded repeats beside a wide one (``\\d*\\d{0,7}\\d{0,7}x``) and classes that
meet only inside a range the sample alphabet skips. Those are left to the runtime bound:
every call site matches through ``bounded_regex``, with the ``regex`` module under a time
limit, where such a pattern ends in a ``ParameterError`` rather than a hang (and
``regex`` finishes the review's R1, R3, R4 and R5 texts in under a millisecond anyway;
R2's look-aheads are the ones that reach the limit).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from workbench.core.errors import ParameterError
from workbench.core.regex_codes import splits_one_way
from workbench.core.regex_runs import run_problem
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
              "one of them can match between them ('\\w+\\s+\\w+'), make the part "
              "between them come with the repeat after it ('\\d+(?:\\.\\d*)?' rather than "
              "'\\d+\\.?\\d*'), let a repeat skip only what cannot be the text after it "
              "('[^,]*,' rather than '.*,'), make one possessive ('\\s*+') or, where "
              "there are two, anchor the pattern ('^...')")


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
    problem = run_problem(tree, alphabet, _Checker(alphabet).item_chars)
    if problem:
        raise ParameterError(f"parameter '{name}': '{text}' {problem}, so on a long run of "
                             f"that text the matcher tries a number of ways that "
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
            bits |= self.item_chars(op, av, flags)
        return bits

    def item_chars(self, op: Any, av: Any, flags: int) -> int:
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
            yield _Piece(self.item_chars(op, av, flags), low >= 1,
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
                if splits_one_way(body, body_flags, self.item_chars):
                    continue   # '(a|ab)+': one split of any text (see regex_codes)
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
                bits |= self.item_chars(op, av, flags)
            if _min_width([(op, av)]) > 0:
                break
        return bits


def _problem(tree: Any, alphabet: _Alphabet) -> str:
    return _Checker(alphabet).problem(_items(tree), tree.state.flags, False)


def _single(item: tuple[Any, Any]) -> bool:
    return item[0] in (_c.LITERAL, _c.NOT_LITERAL, _c.ANY, _c.IN)
