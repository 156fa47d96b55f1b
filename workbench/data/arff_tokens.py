"""ARFF tokens: one line at a time, with the rules of WEKA's ``StreamTokenizer`` set-up.

WEKA's ``ArffReader`` treats every character up to the space and the comma as
separators, ``%`` as the start of a comment, ``'`` and ``"`` as quotes with Java's
backslash escapes, and ``{``/``}`` as tokens of their own; line ends matter. An ARFF
token never spans lines (a quote ends at the line end in Java too), so tokenizing line
by line loses nothing and lets every error name its line and column.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from workbench.core.errors import DataFormatError

# A separator is any run of characters <= ' ' or commas, as in WEKA's tokenizer.
SEPARATORS = re.compile(r"[\x00-\x20,]+")
# Characters that need the careful tokenizer; a line without them splits on SEPARATORS.
SPECIAL = re.compile(r"['\"\\%{}]")
LINE_BREAK = re.compile(r"\r\n|\r|\n")

_TOKEN = re.compile(r"""
      (?P<sep>[\x00-\x20,]+)
    | (?P<comment>%.*)
    | '(?P<sq>(?:[^'\\]|\\.)*)'
    | "(?P<dq>(?:[^"\\]|\\.)*)"
    | (?P<brace>[{}])
    | (?P<word>[^\x00-\x20,%'"{}]+)
    | (?P<open>['"])
""", re.VERBOSE | re.DOTALL)

_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|[0-3][0-7]{0,2}|[4-7][0-7]?|.)", re.DOTALL)
_SIMPLE_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t",
                   "v": "\v"}

WORD, QUOTED, BRACE = "word", "quoted", "brace"


class Token(NamedTuple):
    """One token: ``kind`` is word, quoted or brace; ``column`` is 1-based."""

    kind: str
    text: str
    column: int

    @property
    def is_missing(self) -> bool:
        """An unquoted ``?``: WEKA's missing value (a quoted '?' is the text '?')."""
        return self.kind == WORD and self.text == "?"


def _unescape_one(m: re.Match[str]) -> str:
    code = m.group(1)
    if code[0] == "u" and len(code) == 5:
        return chr(int(code[1:], 16))
    if code[0].isdigit() and code[0] < "8":
        return chr(int(code, 8))
    return _SIMPLE_ESCAPES.get(code, code)


def unescape(body: str) -> str:
    """The text of a quoted token: Java's escapes resolved, any other ``\\c`` is ``c``."""
    return _ESCAPE.sub(_unescape_one, body) if "\\" in body else body


def tokenize(line: str, line_no: int, path: str | None) -> list[Token]:
    """The tokens of one line, comments dropped; an open quote is an error here."""
    tokens: list[Token] = []
    for m in _TOKEN.finditer(line):
        kind = m.lastgroup
        if kind == "sep":
            continue
        if kind == "comment":
            break
        column = m.start() + 1
        if kind == "word":
            tokens.append(Token(WORD, m.group(), column))
        elif kind == "sq" or kind == "dq":
            tokens.append(Token(QUOTED, unescape(m.group(kind)), column))
        elif kind == "brace":
            tokens.append(Token(BRACE, m.group(), column))
        else:
            quote = m.group()
            raise DataFormatError(f"unterminated quoted value starting with {quote}",
                                  path, line_no, column,
                                  f"a closing {quote} on the same line")
    return tokens


def split_plain(line: str) -> list[str]:
    """Fields of a line known to hold no quotes, braces, comments or backslashes."""
    fields = SEPARATORS.split(line)
    if fields and not fields[0]:
        fields.pop(0)
    if fields and not fields[-1]:
        fields.pop()
    return fields


_NEEDS_QUOTES = re.compile(r"[\x00-\x20,'\"\\%{}\x7f]")
_BACKSLASHED = {"\\": "\\\\", "'": "\\'", '"': '\\"', "\n": "\\n", "\r": "\\r",
                "\t": "\\t", "%": "\\%"}
_TO_ESCAPE = re.compile(r"[\\'\"\n\r\t%\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _escape_one(m: re.Match[str]) -> str:
    c = m.group()
    return _BACKSLASHED.get(c) or f"\\{ord(c):03o}"


def quote(text: str) -> str:
    """``text`` as an ARFF token WEKA reads back as the same string (``Utils.quote``).

    Quotes with single quotes when the text is empty, ``?``, or holds a separator,
    brace, quote, ``%`` or backslash; escapes as WEKA does, and other control
    characters as octal escapes, which Java's tokenizer also understands.
    """
    if text and text != "?" and _NEEDS_QUOTES.search(text) is None:
        return text
    return "'" + _TO_ESCAPE.sub(_escape_one, text) + "'"
