"""Reading JSON files a stranger may have written: one reader for every JSON format.

Flow files, experiment specs and the ``model.json`` inside a model file are data from
anywhere. Python's ``json`` module raises ``RecursionError`` on arrays nested a few
thousand deep, ``UnicodeDecodeError`` on bytes that are not UTF-8, ``ValueError`` on
integers of more than 4 300 digits, and accepts NaN and a NUL byte anywhere in a string.
Each reader used to catch a different subset. ``read_json`` and ``parse_json`` catch all
of them once and turn them into the caller's error type (a ``DataFormatError``
subclass), naming the file, the line and the column where there is one, so every JSON
format fails the same way: one line, exit status 2, never a traceback.

Nesting is bounded (``MAX_DEPTH``) before parsing, with a linear scan that honours
strings, so the parser never recurses deeper than that; sizes are bounded before
reading (``MAX_BYTES``).
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from pathlib import Path
from typing import Any

import numpy as np

from workbench.core.errors import DataFormatError
from workbench.core.gc_pause import cycles_uncollected

# Our own files nest at most ~8 levels (a flow's link: links > item > from > node);
# 64 leaves room for anything a person writes and is far from Python's recursion limit.
MAX_DEPTH = 64
# The largest JSON we write is a flow of some thousand nodes (a few MB); 64 MB is plenty.
MAX_BYTES = 64 * 1024 * 1024


# One left-to-right pass: a whole string (closed, or running to the end of an unclosed
# file, a lone backslash included) or one bracket. Every string match succeeds, so the
# scan never restarts inside a string: linear even for '"' + '\\"' * n.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*(?:"|\\?\Z)|[\[\]{}]', re.DOTALL)


def nesting_depth(text: str) -> int:
    """How deep arrays and objects nest in ``text`` (0 for a scalar), strings skipped.

    Linear, without recursion and without a Python step per token (a scan that made a
    match object per string took 16 s for the 60 MB header of 1.5 M attributes): NumPy
    finds the quotes that open and close strings (those after an even run of
    backslashes) and keeps the brackets outside them; the depth is their running sum.
    Where a quote after an odd run of backslashes stands outside a string (text no JSON
    parser takes), the token scan decides, as it always did."""
    raw = np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    quotes = np.flatnonzero(raw == ord('"'))
    slashes = np.flatnonzero(raw == ord("\\"))
    escaped = _escaped(quotes, slashes)
    real = quotes[~escaped]
    if np.any(np.searchsorted(real, quotes[escaped]) % 2 == 0):
        return _depth_by_tokens(text)
    opening = (raw == ord("[")) | (raw == ord("{"))
    brackets = np.flatnonzero(opening | (raw == ord("]")) | (raw == ord("}")))
    brackets = brackets[np.searchsorted(real, brackets) % 2 == 0]   # outside strings
    if not brackets.size:
        return 0
    steps = np.where(opening[brackets], 1, -1)
    return int(np.cumsum(steps).max(initial=0))


def _escaped(quotes: np.ndarray, slashes: np.ndarray) -> np.ndarray:
    """Which ``quotes`` (positions) follow an odd run of backslashes (``slashes``)."""
    if not slashes.size or not quotes.size:
        return np.zeros(quotes.size, dtype=bool)
    starts = np.ones(slashes.size, dtype=bool)
    starts[1:] = slashes[1:] != slashes[:-1] + 1
    run_start = slashes[np.maximum.accumulate(np.where(starts, np.arange(slashes.size), 0))]
    at = np.searchsorted(slashes, quotes - 1)
    inside = at < slashes.size
    hit = np.zeros(quotes.size, dtype=bool)
    hit[inside] = slashes[at[inside]] == quotes[inside] - 1
    run = np.zeros(quotes.size, dtype=np.int64)
    run[hit] = quotes[hit] - run_start[at[hit]]
    return run % 2 == 1


def _depth_by_tokens(text: str) -> int:
    """``nesting_depth`` by one scan of tokens (a Python step each: only for text that
    is no JSON anyway)."""
    brackets = "".join(m.group(0) for m in _TOKENS.finditer(text) if m.group(0)[0] != '"')
    if not brackets:
        return 0
    steps = np.frombuffer(brackets.encode("ascii"), dtype=np.uint8)
    opening = (steps == ord("[")) | (steps == ord("{"))
    return int(np.cumsum(np.where(opening, 1, -1)).max(initial=0))


def _line_column(text: str, depth_limit: int) -> tuple[int, int]:
    """Line and column (1-based) of the first bracket past ``depth_limit``."""
    depth, line, column = 0, 1, 0
    in_string = escaped = False
    for char in text:
        column += 1
        if char == "\n":
            line, column = line + 1, 0
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > depth_limit:
                return line, column
        elif char in "]}":
            depth -= 1
    return line, column


# A whole string (as in _TOKENS), or an integer literal: digits with no fraction or
# exponent, the only numbers Python's int() limit applies to (floats have no limit).
_STRING_OR_INTEGER = re.compile(r'"(?:[^"\\]|\\.)*(?:"|\\?\Z)|(?<![\d.eE+-])-?(\d+)(?![.eE\d])',
                                re.DOTALL)


def _max_digits() -> int:
    return sys.get_int_max_str_digits() or 4300


def _long_integer(text: str) -> tuple[int, int, int] | None:
    """Line, column and length of the first integer outside strings too long for
    ``int()`` (``sys.get_int_max_str_digits``, 4 300 by default), or None."""
    limit = _max_digits()
    for match in _STRING_OR_INTEGER.finditer(text):
        digits = match.group(1)
        if digits is not None and len(digits) > limit:
            start = match.start()
            line = text.count("\n", 0, start) + 1
            return line, start - (text.rfind("\n", 0, start) + 1) + 1, len(digits)
    return None


def _refuse_constant(name: str) -> Any:
    raise _RefusedConstant(name)


class _RefusedConstant(ValueError):
    """NaN or Infinity where a format refuses them."""

    def __init__(self, name: str) -> None:
        super().__init__(f"{name} is not a JSON number")
        self.name = name


class _DuplicateKey(ValueError):
    """A key given twice in one object: Python keeps the last, a reader sees the first
    (a reviewed flow's ``"file"`` read as another file), so it is refused."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return found


# As _TOKENS, a string then taking the colon that makes it a key.
_KEY_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*(?:"|\\?\Z)\s*:?|[\[\]{}]', re.DOTALL)


def _second_key_at(text: str) -> int:
    """Where the first key given twice in one object stands (index into ``text``), by
    one scan of strings and brackets that keeps each open object's keys; only on the
    error path, so good files are read by the C scanner alone."""
    open_objects: list[set[str] | None] = []   # None: an array
    for match in _KEY_TOKENS.finditer(text):
        token = match.group(0)
        if token in ("{", "["):
            open_objects.append(set() if token == "{" else None)
        elif token in ("}", "]"):
            if open_objects:
                open_objects.pop()
        elif token.endswith(":") and open_objects and open_objects[-1] is not None:
            key = json.loads(token[:-1].rstrip())
            if key in open_objects[-1]:
                return match.start()
            open_objects[-1].add(key)
    return -1


def parse_json(text: str, path: str | os.PathLike[str] | None,
               error_type: type[DataFormatError] = DataFormatError, *,
               max_depth: int = MAX_DEPTH, allow_nan: bool = False,
               what: str = "JSON") -> Any:
    """Parse ``text`` (read from ``path``) or raise ``error_type`` saying where and why.

    ``allow_nan`` accepts ``NaN``/``Infinity`` (model files store learned scalars that may
    be NaN); other formats refuse them, as standard JSON does.
    """
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise error_type("a NUL character in the text", path, line, expected=what)
    if nesting_depth(text) > max_depth:
        line, column = _line_column(text, max_depth)
        raise error_type(f"arrays or objects nested more than {max_depth} deep", path, line,
                         column, expected=what)
    try:
        constant = None if allow_nan else _refuse_constant
        with cycles_uncollected():
            data = json.loads(text, parse_constant=constant, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as error:
        raise error_type(error.msg, path, error.lineno, error.colno, expected=what) from None
    except _DuplicateKey as error:
        line, column = _position(text, max(_second_key_at(text), 0))
        raise error_type(f"the key {json.dumps(error.key)} appears twice in one object",
                         path, line, column,
                         expected=f"{what} whose objects name each key once") from None
    except _RefusedConstant as error:
        line, column = _position(text, _constant_at(text, error.name))
        raise error_type(f"{error.name} is not a JSON number", path, line, column,
                         expected=f"{what} with numbers only (write NaN as null)") from None
    except (ValueError, RecursionError, MemoryError) as error:
        long = _long_integer(text) if isinstance(error, ValueError) else None
        if long is not None:   # Python's own words would tell the user to call a function
            line, column, digits = long
            raise error_type(f"a whole number of {digits} digits, more than the "
                             f"{_max_digits()} a number may have", path, line, column,
                             expected=f"{what} with shorter numbers") from None
        # a refused NaN, or depth the scan did not see
        raise error_type(f"cannot read the JSON: {error}", path, expected=what) from None
    bad = _first_surrogate(data, text)
    if bad is not None:
        raise error_type(f"the text {bad!r} holds a lone surrogate escape (\\ud800-"
                         f"\\udfff), which is not a character", path, expected=what)
    return data


def _position(text: str, at: int) -> tuple[int, int]:
    """Line and column (1-based) of index ``at`` of ``text``."""
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def _constant_at(text: str, name: str) -> int:
    """Where the first ``name`` (NaN, Infinity, -Infinity) stands outside strings."""
    bare = re.compile(r'"(?:[^"\\]|\\.)*(?:"|\\?\Z)|' + re.escape(name), re.DOTALL)
    for match in bare.finditer(text):
        if match.group(0) == name:
            return match.start()
    return 0


# What a lone surrogate in parsed JSON comes from: an escape of one (``\\udc00``; a
# backslash escaped before it makes this a false alarm, which only costs the walk
# below), or one in the text itself (text given as ``str``, not decoded from bytes).
_SURROGATE_SOURCE = re.compile(r"\\u[dD][89a-fA-F]|[\ud800-\udfff]")


def _first_surrogate(data: Any, text: str | None = None) -> str | None:
    """The first string holding a lone surrogate (``"\\ud800"`` parses to one, and it
    cannot be written, printed or used as a file name), or None. Given the ``text``
    parsed, a text that cannot hold one is not walked: the walk visits every string
    (8 s for a header of 1.5 M attributes), the search is one scan in C."""
    if text is not None and (("\\u" not in text and text.isascii())
                             or _SURROGATE_SOURCE.search(text) is None):
        return None
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return item.encode("utf-8", "backslashreplace").decode("ascii")[:60]
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def decode_text(raw: bytes, path: str | os.PathLike[str] | None,
                error_type: type[DataFormatError] = DataFormatError,
                what: str = "JSON") -> str:
    """Bytes as UTF-8 text (a leading byte-order mark is dropped) or ``error_type``
    naming the line of the first byte that is not UTF-8."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise error_type(f"byte {raw[error.start]:#04x} is not UTF-8 text", path, line,
                         expected=f"{what} in UTF-8") from None
    return text.removeprefix("\ufeff")


def read_json(path: str | os.PathLike[str], error: type[DataFormatError] = DataFormatError,
              *, what: str = "JSON", max_bytes: int = MAX_BYTES,
              max_depth: int = MAX_DEPTH,
              error_type: type[DataFormatError] | None = None) -> Any:
    """The parsed content of a JSON file; every way it can fail ends in ``error`` (a
    ``DataFormatError`` class) with the file named (and the line and column where there
    is one). ``error_type=`` is the keyword's old name, still taken."""
    if error_type is not None:
        if error is not DataFormatError and error is not error_type:
            raise TypeError("read_json: give the error class as 'error' or as "
                            "'error_type', not both")
        error = error_type
    shown = os.fspath(path)
    if "\x00" in shown:
        raise error("a file name cannot contain a NUL character",
                    shown.replace("\x00", "\\0"))
    target = Path(path)
    try:
        # Opened without blocking and checked on the descriptor itself: a FIFO would
        # block the open or the read forever, a device read without end, and a check
        # of the name before opening could be raced by a swap.
        fd = os.open(target, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(fd, "rb") as handle:
            mode = os.fstat(fd).st_mode
            if stat.S_ISDIR(mode):
                raise IsADirectoryError(str(target))
            if not stat.S_ISREG(mode):
                raise error("not a regular file", target, expected=what)
            raw = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise error("no such file", target) from None
    except IsADirectoryError:
        raise error("is a folder, not a file", target, expected=what) from None
    except OSError as problem:
        raise error(f"cannot read the file: {problem.strerror or problem}", target) from None
    if len(raw) > max_bytes:
        raise error(f"larger than {max_bytes // (1024 * 1024)} MB", target, expected=what)
    return parse_json(decode_text(raw, target, error, what), target, error,
                      max_depth=max_depth, what=what)
