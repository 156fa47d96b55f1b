"""Matching a user's regular expression with a time limit: the runtime backstop behind
``safe_regex``.

``safe_regex`` refuses, before any matching, the shapes of pattern known to backtrack
(and says how to rewrite them), but a static check cannot see every shape: a review found
accepted patterns that hang for seconds or for good, a repeat followed by a look-ahead
over the same characters (``\\w+(?=\\w*x)`` on 2 000 letters) among them. Python's
``re`` can be neither timed out nor interrupted, and it holds the GIL, so such a pattern
froze the GUI and hung the command line. The ``regex`` module (re-compatible in its
``V0`` mode) takes a ``timeout`` on every match, raises ``TimeoutError`` when it passes,
and with ``concurrent=True`` releases the GIL while it matches, so the GUI thread keeps
running beside a worker that tokenises. A pattern here is therefore checked by
``safe_regex`` first (the immediate, explained refusal), then matched with ``regex``
under a limit (``seconds_allowed``: 1 s unless ``WORKBENCH_REGEX_SECONDS`` says
otherwise); passing it becomes a ``ParameterError`` that names the parameter, the
pattern and the value it was matching.

What ``regex`` reads differently from ``re`` is refused too, so that a pattern means what
``safe_regex`` checked: ``[:alpha:]`` inside a set (a POSIX class to ``regex``, the
characters ``[:alph]`` to ``re``) and a brace holding ``e``, ``i``, ``d`` or ``s``
(``a{e<=1}``: fuzzy matching to ``regex``, literal text to ``re``). Two differences
remain, and are kept on purpose. ``regex``'s ``\\w`` is Unicode's word character, which
includes combining marks: ``re`` splits the Hindi "हिन्दी" and the Tamil "தமிழ்" inside
the word (it finds "தம" alone) and a decomposed "café" (e + U+0301) into "cafe"; ``regex``
keeps each word whole, which is what a word-count filter is for, but a vocabulary learned
by an earlier version on such text counts differently now. And ``regex`` carries a newer
Unicode database than Python 3.11's ``re``, so ``\\w`` also matches the few letters
assigned since Unicode 14. On text without combining marks (English, the bundled data)
the words are the same as scikit-learn's own ``token_pattern`` finds.
"""

from __future__ import annotations

import functools
import os
import re
import time
from collections.abc import Callable, Sequence
from typing import Any

import regex

from workbench.core.errors import ParameterError, printable
from workbench.core.progress import CancelToken
from workbench.core.progress import check as check_cancel
from workbench.core.safe_regex import check_pattern

ENVIRONMENT = "WORKBENCH_REGEX_SECONDS"
DEFAULT_SECONDS = 1.0

# Syntax that ``re`` accepts as plain characters and ``regex`` reads as something else.
_POSIX_CLASS = re.compile(r"(?<!\\)\[:\^?[A-Za-z]+:\]")
_FUZZY = re.compile(r"(?<!\\)(?<!\\N)\{[^{}]*[deis][^{}]*\}")

_SIMPLER = ("simplify it: write one repeat where two can match the same characters "
            "('\\w+x' rather than '\\w+(?=\\w*x)'), keep repeats out of look-aheads, or "
            "make a repeat possessive ('\\w++')")


def seconds_allowed() -> float:
    """The time one match may take: ``WORKBENCH_REGEX_SECONDS`` when it holds a positive
    number (tests make it small; a corpus of very long documents may need more),
    otherwise 1 s, which a sane pattern needs only for megabytes of text."""
    text = os.environ.get(ENVIRONMENT, "").strip()
    try:
        value = float(text)
    except ValueError:
        return DEFAULT_SECONDS
    return value if 0 < value < float("inf") else DEFAULT_SECONDS


class BoundedPattern:
    """A user's regular expression, checked by ``safe_regex`` and compiled with ``regex``
    (re-compatible), whose every match stops with a ``ParameterError`` after ``seconds``.

    ``name`` is what the pattern is called in messages (a parameter's name, or the
    Explorer's "Pattern"); ``seconds`` defaults to ``seconds_allowed()``.
    """

    def __init__(self, text: str, name: str, *, match_empty: bool = True,
                 seconds: float | None = None) -> None:
        check(text, name, match_empty=match_empty)
        self.text = text
        self.name = name
        self.seconds = seconds_allowed() if seconds is None else seconds
        self.compiled: Any = regex.compile(text, regex.V0)
        self.groups: int = self.compiled.groups

    def findall(self, value: str, where: str) -> list[Any]:
        """``re.findall``'s result for ``value``; ``where`` says what ``value`` is for
        the message ("one value of attribute 'review'")."""
        try:
            found: list[Any] = self.compiled.findall(value, timeout=self.seconds,
                                                     concurrent=True)
        except TimeoutError:
            raise self.too_slow(where) from None
        return found

    def matching(self, values: Sequence[str], what: str, *, whole: bool = False,
                 cancel: CancelToken | None = None) -> list[bool]:
        """Whether the pattern matches each of ``values`` (the whole value with
        ``whole``, as ``fullmatch``; anywhere in it otherwise, as ``search``), all of
        them within one limit: these are short texts such as attribute names, looked at
        while a person waits. ``what`` names one value in a message ("attribute name");
        ``cancel`` is checked before each value (a worker's match that a newer pattern
        replaced stops there)."""
        match = self.compiled.fullmatch if whole else self.compiled.search
        deadline = time.monotonic() + self.seconds
        result = []
        for value in values:
            check_cancel(cancel)
            try:
                left = max(deadline - time.monotonic(), 1e-6)
                result.append(match(value, timeout=left, concurrent=True) is not None)
            except TimeoutError:
                raise self.too_slow(f"the {what} {_quoted(value)}") from None
        return result

    def tokenizer(self, attribute: str, cancel: CancelToken | None = None
                  ) -> Callable[[str], list[Any]]:
        """A ``CountVectorizer`` tokenizer: the words ``findall`` finds in one document,
        each document under its own limit, and ``cancel`` checked before each one so that
        Stop ends tokenising between documents."""
        where = f"one value of attribute '{printable(attribute)}'"

        def words(document: str) -> list[Any]:
            check_cancel(cancel)
            return self.findall(document, where)
        return words

    def too_slow(self, where: str) -> ParameterError:
        """The error for a match that passed the limit on ``where``."""
        return ParameterError(
            f"parameter '{self.name}': the pattern '{printable(self.text)}' took over "
            f"{self.seconds:g} s on {where}: it backtracks (tries very many ways to match "
            f"the same text); {_SIMPLER}. If the pattern is right and the text just long, "
            f"{ENVIRONMENT} sets the limit in seconds")


def _quoted(value: str, keep: int = 60) -> str:
    """``value`` in quotes for a message, its middle left out when it is long: the value
    that was too slow is often a long one (a 4 000-character attribute name), and quoted
    whole it made the Explorer's message line wider than the screen."""
    if len(value) <= keep:
        return f"'{printable(value)}'"
    head, tail = value[:keep - 15], value[-12:]
    return f"'{printable(head)}...{printable(tail)}' ({len(value)} characters)"


def bounded(text: str, name: str, *, match_empty: bool = True) -> BoundedPattern:
    """The ``BoundedPattern`` for ``text``, made once: its static check and compilation
    cost up to a tenth of a second on a long pattern, and a filter asks for it in every
    fit and transform (each fold, each attribute). Kept per limit, so a changed
    ``WORKBENCH_REGEX_SECONDS`` takes effect."""
    return _bounded(text, name, match_empty, seconds_allowed())


@functools.lru_cache(maxsize=32)
def _bounded(text: str, name: str, match_empty: bool, seconds: float) -> BoundedPattern:
    return BoundedPattern(text, name, match_empty=match_empty, seconds=seconds)


def check(text: str, name: str, *, match_empty: bool = True) -> None:
    """Refuse, with a ``ParameterError`` naming parameter ``name``, a pattern that
    ``safe_regex`` refuses or that ``regex`` would read differently from ``re`` (module
    docstring): what ``Param.regex`` runs when a value is set."""
    check_pattern(text, name, match_empty=match_empty)
    found = _POSIX_CLASS.search(text)
    if found:
        raise ParameterError(
            f"parameter '{name}': '{printable(text)}' holds '{found.group()}', which some "
            f"regular-expression engines read as a class of characters and Python's as "
            f"those characters; write the characters out ('[a-zA-Z]' for '[:alpha:]') "
            f"or escape the brackets ('\\[:')")
    found = _FUZZY.search(text)
    if found:
        raise ParameterError(
            f"parameter '{name}': '{printable(text)}' holds '{found.group()}', which some "
            f"regular-expression engines read as fuzzy matching and Python's as those "
            f"characters; escape the braces ('\\{{' and '\\}}') to mean the characters")
