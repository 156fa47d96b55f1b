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

# Every token but a quoted one. Quoted values are found by ``_closing_quote`` instead: a
# regex alternative such as '(?:[^'\\]|\\.)*' keeps backtracking state for every
# character it repeats over (~180 bytes each in CPython's engine), so one 50 MB quoted
# value took gigabytes; the scanner costs nothing beyond the value's own text.
_TOKEN = re.compile(r"""
      (?P<sep>[\x00-\x20,]+)
    | (?P<comment>%.*)
    | (?P<brace>[{}])
    | (?P<word>[^\x00-\x20,%'"{}]+)
    | (?P<open>['"])
""", re.VERBOSE | re.DOTALL)
_QUOTE_OR_BACKSLASH = {"'": re.compile(r"['\\]"), '"': re.compile(r'["\\]')}

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
    """The text of a quoted token: Java's escapes resolved, any other ``\\c`` is ``c``.

    ``\\uXXXX`` escapes are UTF-16 code units, as in Java: a surrogate pair becomes the
    one character it encodes; a lone surrogate raises ``UnicodeError`` (it is no
    character, and would load only to crash whatever prints or saves it).
    """
    if "\\" not in body:
        return body
    text = _ESCAPE.sub(_unescape_one, body)
    if _SURROGATE.search(text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    return text


_SURROGATE = re.compile("[\ud800-\udfff]")


def _closing_quote(line: str, start: int, quote: str) -> int:
    """Index of the quote that closes a value whose text starts at ``start``, or -1."""
    finder = _QUOTE_OR_BACKSLASH[quote]
    position = start
    while True:
        m = finder.search(line, position)
        if m is None:
            return -1
        if m.group() == quote:
            return m.start()
        position = m.start() + 2   # a backslash escapes the next character, whatever it is


def tokenize(line: str, line_no: int, path: str | None) -> list[Token]:
    """The tokens of one line, comments dropped; an open quote is an error here."""
    tokens: list[Token] = []
    position, end = 0, len(line)
    while position < end:
        m = _TOKEN.match(line, position)
        assert m is not None   # every character starts one of the alternatives
        kind = m.lastgroup
        column = position + 1
        position = m.end()
        if kind == "sep":
            continue
        if kind == "comment":
            break
        if kind == "word":
            tokens.append(Token(WORD, m.group(), column))
        elif kind == "brace":
            tokens.append(Token(BRACE, m.group(), column))
        else:
            quote = m.group()
            close = _closing_quote(line, position, quote)
            if close < 0:
                raise DataFormatError(f"unterminated quoted value starting with {quote}",
                                      path, line_no, column,
                                      f"a closing {quote} on the same line")
            try:
                text = unescape(line[position:close])
            except UnicodeError:
                raise DataFormatError("a \\u escape in this quoted value is half of a "
                                      "UTF-16 surrogate pair, which is no character",
                                      path, line_no, column,
                                      "a complete character such as \\u00e9 or a "
                                      "surrogate pair") from None
            tokens.append(Token(QUOTED, text, column))
            position = close + 1
    return tokens


def split_lines(text: str) -> list[str]:
    """``text`` split at CRLF, CR and LF (``LINE_BREAK``); by ``str.split`` when it holds
    no CR, four times faster on a 12 MB data section."""
    return LINE_BREAK.split(text) if "\r" in text else text.split("\n")


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
