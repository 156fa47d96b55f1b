"""The ARFF header: ``@relation``, the ``@attribute`` declarations and ``@data``.

Works on the raw bytes line by line, so that the reader knows the exact byte where the
data section starts and can hand that section to a C parser without decoding or copying
the header twice. Each header line is decoded as UTF-8 on its own, so a bad byte is
reported with its line and column.

Wide files (bag-of-words text, gene expression) declare 10 000 to 250 000 attributes,
nearly all ``@attribute name numeric``; tokenizing each such line cost ~9 us, 2.3 s for
250 000. So a run of such plain lines (an unquoted ASCII name, a numeric type, nothing
else) is recognised by one regular expression in C and its names taken in one call;
every other line, and any run that declares a name twice, goes through the tokenizer,
which alone reports errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from workbench.core.errors import DataFormatError
from workbench.data.arff_tokens import BRACE, WORD, Token, tokenize
from workbench.data.dataset import Attribute, AttributeType
from workbench.data.dates import DEFAULT_DATE_FORMAT, DateError, date_format
from workbench.data.shown import shown
from workbench.data.text_encoding import TextEncodingError, guess_encoding

_NUMERIC_TYPES = {"numeric", "real", "integer"}
# Relational attributes inside relational attributes: WEKA's multi-instance files use
# one level; each level costs the reader (and every consumer) a few stack frames, so a
# header nested hundreds deep is refused instead of overflowing the stack.
MAX_NESTING = 16

# One plain numeric declaration (what the tokenizer would read as the words @attribute,
# a name and numeric/real/integer) alone on a line, or a blank line, ended by LF or CRLF.
# The name is printable ASCII that needs no quotes and holds no backslash (those go to
# the tokenizer).
_PLAIN_NUMERIC = (rb"[ \t]*(?:@attribute[ \t]+([^\x00-\x20,%'\"{}\\\x7f-\xff]+)[ \t]+"
                  rb"(?:numeric|real|integer)[ \t]*)?\r?\n")
_PLAIN_NUMERIC_RUN = re.compile(rb"(?:" + _PLAIN_NUMERIC.replace(b"([", b"(?:[") + rb")+",
                                re.IGNORECASE)   # no group to capture: 20 % faster
_PLAIN_NUMERIC_NAME = re.compile(_PLAIN_NUMERIC, re.IGNORECASE)


@dataclass(frozen=True)
class Header:
    """What the header declares and where the data section begins."""

    relation: str
    attributes: tuple[Attribute, ...]
    data_offset: int   # byte offset of the first byte after the @data line
    data_line: int     # 1-based number of the first line after the @data line


def decode_line(raw: bytes | bytearray, line_no: int, path: str | None) -> str:
    """One line as text; a byte that is not UTF-8 is an error naming its column."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        column = len(raw[:exc.start].decode("utf-8", errors="replace")) + 1
        raise TextEncodingError(f"byte 0x{raw[exc.start]:02x} is not valid UTF-8 text",
                                path, line_no, column, "utf-8",
                                guess_encoding(raw)) from None


def _byte_lines(data: bytes | bytearray, start: int,
                ) -> Iterator[tuple[bytes | bytearray, int]]:
    """(line without its end, offset after its end) from ``start``; CR, LF or CRLF."""
    n = len(data)
    pos = start
    lf = -1
    while pos < n:
        # The next LF is looked up again only once it is passed: in a file of CR-only
        # line ends every lookup would otherwise scan to the end (quadratic time).
        if 0 <= lf < pos or (lf == -1 and pos == start):
            lf = data.find(b"\n", pos)
        cr = data.find(b"\r", pos, lf if lf >= 0 else n)
        if cr >= 0:
            end, nxt = cr, cr + (2 if data[cr + 1:cr + 2] == b"\n" else 1)
        elif lf >= 0:
            end, nxt = lf, lf + 1
        else:
            end, nxt = n, n
        yield data[pos:end], nxt
        pos = nxt


class _HeaderLines:
    """Non-empty header lines as tokens, with their numbers, for the parser below."""

    def __init__(self, data: bytes | bytearray, path: str | None) -> None:
        self.path = path
        self.line_no = 0
        self.offset = 3 if data.startswith(b"\xef\xbb\xbf") else 0
        self._data = data
        self._lines = _byte_lines(data, self.offset)
        self.plain_runs = True   # False once a run had to go through the tokenizer

    def plain_numeric_run(self, names: set[str]) -> list[str]:
        """Names of the plain numeric declarations (and blank lines) that come next,
        consumed; [] if none.

        A run that repeats a name (within itself or from ``names``) is left to the
        tokenizer, and so is the rest of the header, so that the error names its line.
        """
        if not self.plain_runs:
            return []
        run = _PLAIN_NUMERIC_RUN.match(self._data, self.offset)
        if run is None:
            return []
        text = run.group()
        found = [name.decode("ascii") for name in _PLAIN_NUMERIC_NAME.findall(text) if name]
        fresh = set(found)
        if len(fresh) != len(found) or not fresh.isdisjoint(names):
            self.plain_runs = False
            return []
        self.line_no += text.count(b"\n")   # the pattern ends every line with one LF
        self.offset = run.end()
        self._lines = _byte_lines(self._data, self.offset)
        return found

    def next(self) -> list[Token] | None:
        """Tokens of the next line that has any; None at the end of the file."""
        for raw, nxt in self._lines:
            self.line_no += 1
            self.offset = nxt
            tokens = tokenize(decode_line(raw, self.line_no, self.path), self.line_no,
                              self.path)
            if tokens:
                return tokens
        return None

    def error(self, message: str, token: Token | None = None, expected: str | None = None,
              column: int | None = None) -> DataFormatError:
        if token is not None:
            column = token.column
        return DataFormatError(message, self.path, max(self.line_no, 1), column, expected)


def _keyword(token: Token) -> str | None:
    """The lower-case keyword a token spells, or None (WEKA ignores case)."""
    if token.kind == WORD and token.text.startswith("@"):
        return token.text.lower()
    return None


def _name(lines: _HeaderLines, tokens: list[Token], what: str) -> str:
    if len(tokens) < 2:
        raise lines.error(f"{tokens[0].text} without a {what}", None, f"a {what}",
                          tokens[0].column + len(tokens[0].text))
    token = tokens[1]
    if token.kind == BRACE:
        raise lines.error(f"'{shown(token.text)}' where a {what} should be", token,
                          f"a {what} (quote it if it contains braces)")
    return token.text


def _end_of_line(lines: _HeaderLines, tokens: list[Token], used: int) -> None:
    if len(tokens) > used:
        extra = tokens[used]
        raise lines.error(f"unexpected '{shown(extra.text)}' at the end of the declaration", extra,
                          "end of line (quote names and values that contain spaces)")


def _nominal_values(lines: _HeaderLines, tokens: list[Token], name: str) -> tuple[str, ...]:
    values: list[str] = []
    seen: set[str] = set()
    for i in range(3, len(tokens)):
        token = tokens[i]
        if token.kind == BRACE:
            if token.text == "{":
                raise lines.error(f"'{{' inside the values of nominal attribute '{shown(name)}'",
                                  token, "a value or '}'")
            _end_of_line(lines, tokens, i + 1)
            return tuple(values)
        if token.text in seen:
            raise lines.error(f"nominal attribute '{shown(name)}' declares the value "
                              f"'{shown(token.text)}' twice", token, "distinct values")
        seen.add(token.text)
        values.append(token.text)
    last = tokens[-1]
    raise lines.error(f"the values of nominal attribute '{shown(name)}' are not closed", None,
                      "'}' at the end of the list", last.column + len(last.text))


def _attribute(lines: _HeaderLines, tokens: list[Token], depth: int) -> Attribute:
    name = _name(lines, tokens, "attribute name")
    if len(tokens) < 3:
        raise lines.error(f"attribute '{shown(name)}' has no type", None,
                          "numeric, real, integer, string, date, relational or {values}",
                          tokens[1].column + len(tokens[1].text))
    kind = tokens[2]
    if kind.kind == BRACE and kind.text == "{":
        return Attribute.nominal(name, _nominal_values(lines, tokens, name))
    word = kind.text.lower() if kind.kind == WORD else ""
    if word in _NUMERIC_TYPES:
        _end_of_line(lines, tokens, 3)
        return Attribute.numeric(name)
    if word == "string":
        _end_of_line(lines, tokens, 3)
        return Attribute.string(name)
    if word == "date":
        pattern = DEFAULT_DATE_FORMAT
        if len(tokens) > 3:
            if tokens[3].kind == BRACE:
                raise lines.error("a brace where a date format should be", tokens[3],
                                  "a Java date format such as \"yyyy-MM-dd\"")
            pattern = tokens[3].text
            try:
                date_format(pattern)
            except DateError as exc:
                raise lines.error(str(exc), tokens[3], "a Java SimpleDateFormat pattern"
                                  ) from None
        _end_of_line(lines, tokens, 4)
        return Attribute.date(name, pattern)
    if word == "relational":
        _end_of_line(lines, tokens, 3)
        if depth + 1 > MAX_NESTING:
            raise lines.error(f"relational attribute '{shown(name)}' is nested more than "
                              f"{MAX_NESTING} deep", tokens[2],
                              f"at most {MAX_NESTING} levels of relational attributes")
        nested = _declarations(lines, depth + 1, name)
        return Attribute.relational(name, nested)
    raise lines.error(f"unknown type '{shown(kind.text)}' for attribute '{shown(name)}'", kind,
                      "numeric, real, integer, string, date, relational or {values}")


def _declarations(lines: _HeaderLines, depth: int, bag: str | None) -> list[Attribute]:
    """Attributes up to ``@data`` (top level) or ``@end bag`` (inside a relational)."""
    attributes: list[Attribute] = []
    names: set[str] = set()
    closing = "@data" if bag is None else f"@end {bag}"
    while True:
        plain = lines.plain_numeric_run(names)
        if plain:
            names.update(plain)
            numeric = AttributeType.NUMERIC
            attributes.extend([Attribute(name, numeric) for name in plain])
            continue
        tokens = lines.next()
        if tokens is None:
            raise lines.error("the file ends inside the header", None, closing)
        keyword = _keyword(tokens[0])
        if keyword == "@attribute":
            attribute = _attribute(lines, tokens, depth)
            if attribute.name in names:
                raise lines.error(f"attribute name '{shown(attribute.name)}' is declared twice",
                                  tokens[1], "unique attribute names")
            names.add(attribute.name)
            attributes.append(attribute)
        elif keyword == "@end" and bag is not None:
            end_name = _name(lines, tokens, "relational attribute name")
            if end_name.lower() != bag.lower():   # WEKA compares ignoring case
                raise lines.error(f"@end '{shown(end_name)}' closes relational attribute "
                                  f"'{shown(bag)}'",
                                  tokens[1], f"@end {bag}")
            _end_of_line(lines, tokens, 2)
            return attributes
        elif keyword == "@data" and bag is None:
            _end_of_line(lines, tokens, 1)
            if not attributes:
                raise lines.error("@data before any @attribute", tokens[0],
                                  "at least one @attribute declaration")
            return attributes
        else:
            raise lines.error(f"unexpected '{shown(tokens[0].text)}' in the header", tokens[0],
                              f"@attribute or {closing}")


def parse_header(data: bytes | bytearray, path: str | None) -> Header:
    """Read the header from the start of ``data``; raises ``DataFormatError``."""
    lines = _HeaderLines(data, path)
    tokens = lines.next()
    if tokens is None:
        raise DataFormatError("the file is empty", path, max(lines.line_no, 1), 1,
                              "@relation followed by the header")
    if _keyword(tokens[0]) != "@relation":
        raise lines.error(f"'{shown(tokens[0].text)}' where the file should start with @relation",
                          tokens[0], "@relation <name>")
    relation = _name(lines, tokens, "relation name")
    _end_of_line(lines, tokens, 2)
    attributes = _declarations(lines, 0, None)
    return Header(relation, tuple(attributes), lines.offset, lines.line_no + 1)

