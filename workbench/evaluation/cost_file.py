"""Reading a misclassification cost matrix: WEKA's cost file, or ``[0 1; 5 0]`` as typed.

Rows are the actual class, columns the predicted one, in the order of the class's
values. Two spellings are read, the same ones WEKA reads:

* a cost file (``CostMatrix(Reader)``): a size line ``N N`` (rows, columns), then N rows
  of N numbers; blank lines are skipped and ``%`` starts a comment;
* the Matlab form (``CostMatrix.parseMatlab``): ``[0 1; 5 0]``, rows split by ``;``,
  numbers by spaces or commas, on one line or over several.

A cost file comes from anywhere, so it is read like our data files (``read_bytes``:
regular files only, opened without blocking, a size limit; ``refuse_nul``; UTF-8 checked)
and every way it can be wrong ends in a ``DataFormatError`` naming the file, the line,
the column where there is one, and what was expected. Costs must be finite numbers;
negative ones are taken, as WEKA's evaluation takes them (a negative cost is a gain),
and the diagonal need not be zero. When the class is known, the size must match its
number of values before anything is trained.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from workbench.core.errors import DataFormatError
from workbench.core.jsonfile import decode_text
from workbench.data.packed import read_bytes, refuse_nul
from workbench.data.shown import shown

# A cost matrix of a thousand classes is a few megabytes of text; anything past this is
# not one, and is refused before it is held in memory.
MAX_COST_FILE_BYTES = 16 << 20
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
# A bracket, a row or value separator, or a run of anything else (one word).
_TOKEN = re.compile(r"[\[\];,]|[^\s\[\];,%]+")
_NOT_FINITE = {"nan", "inf", "infinity"}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # as editors count lines (not \f or \x1c)
_FILE_FORM = "a size line 'N N', then N rows of N numbers"
_MATLAB_FORM = "rows of numbers in brackets, such as [0 1; 5 0]"


@dataclass(frozen=True)
class _Token:
    text: str
    line: int
    column: int


def _tokens(text: str) -> Iterator[_Token]:
    """Every token with its line and column (1-based); ``%`` comments and blanks skipped."""
    for line_no, line in enumerate(_LINE_BREAK.split(text), start=1):
        body = line.split("%", 1)[0]
        for match in _TOKEN.finditer(body):
            yield _Token(match.group(), line_no, match.start() + 1)


def _number(token: _Token, source: str | None, expected: str) -> float:
    if token.text.lstrip("+-").lower() in _NOT_FINITE:
        raise DataFormatError(f"'{shown(token.text)}' is not a finite number", source,
                              token.line, token.column, "a finite cost such as 0, 1 or 2.5")
    if not _NUMBER.fullmatch(token.text):
        raise DataFormatError(f"'{shown(token.text)}' is not a number", source, token.line,
                              token.column, expected)
    value = float(token.text)
    if not math.isfinite(value):
        raise DataFormatError(f"'{shown(token.text)}' is too large for a cost", source,
                              token.line, token.column, "a finite number")
    return value


def _check_size(size: int, num_classes: int | None, source: str | None, line: int | None,
                class_name: str | None) -> None:
    if num_classes is not None and size != num_classes:
        which = f"the class '{shown(class_name)}'" if class_name else "the class"
        raise DataFormatError(f"a {size} x {size} cost matrix, but {which} has "
                              f"{num_classes} values", source, line,
                              expected=f"a {num_classes} x {num_classes} matrix, one row "
                                       f"and one column per class value")


def parse_cost_matrix(text: str, source: str | None, num_classes: int | None = None,
                      class_name: str | None = None, *, one_line: bool = False
                      ) -> np.ndarray | None:
    """The N x N cost matrix written in ``text`` (either spelling), or None when ``text``
    holds no matrix at all (blank, comments only, or ``[]``).

    ``source`` names the file in messages; ``num_classes`` (with ``class_name`` for the
    message) is the size it must have. ``one_line`` reads a typed field: the Matlab form,
    its brackets optional (``0 1; 5 0``).
    """
    tokens = list(_tokens(text))
    if not tokens:
        return None
    if tokens[0].text == "[":
        rows = _matlab_rows(tokens, source)
    elif one_line:
        rows = _matlab_rows([_Token("[", 1, 1), *tokens, _Token("]", 1, len(text) + 1)],
                            source)
    else:
        rows = _file_rows(tokens, source, num_classes, class_name)
    if not rows:
        return None
    _check_size(len(rows), num_classes, source, tokens[0].line, class_name)
    return np.array(rows, dtype=np.float64)


def _file_rows(tokens: list[_Token], source: str | None, num_classes: int | None,
               class_name: str | None) -> list[list[float]]:
    """WEKA's cost file: the size line, then one line of N numbers per row."""
    lines: dict[int, list[_Token]] = {}
    for token in tokens:
        lines.setdefault(token.line, []).append(token)
    numbered = iter(lines.items())
    size_line, size_tokens = next(numbered)
    if (len(size_tokens) != 2 or not all(t.text.isdecimal() for t in size_tokens)):
        raise DataFormatError("the first line is not the matrix's size", source, size_line,
                              size_tokens[0].column,
                              f"two whole numbers 'N N' (rows, columns), or "
                              f"{_MATLAB_FORM}")
    rows_wanted, columns = (int(t.text) for t in size_tokens)
    if rows_wanted != columns:
        raise DataFormatError(f"the size line gives {rows_wanted} rows but {columns} "
                              f"columns; a cost matrix is square", source, size_line,
                              expected="'N N' with the same N twice")
    if rows_wanted < 1:
        raise DataFormatError("the size line gives no rows", source, size_line,
                              expected="a size of at least 1 x 1")
    _check_size(rows_wanted, num_classes, source, size_line, class_name)
    rows: list[list[float]] = []
    last_line = size_line
    for line_no, row_tokens in numbered:
        last_line = line_no
        if len(rows) == rows_wanted:
            raise DataFormatError(f"more rows than the {rows_wanted} the size line gives",
                                  source, line_no, expected=_FILE_FORM)
        if len(row_tokens) != rows_wanted:
            raise DataFormatError(f"row {len(rows) + 1} has {len(row_tokens)} "
                                  f"{_plural(len(row_tokens), 'value')}", source, line_no,
                                  expected=f"{rows_wanted} numbers, one per column")
        rows.append([_number(t, source, "a number") for t in row_tokens])
    if len(rows) < rows_wanted:
        raise DataFormatError(f"only {len(rows)} of the {rows_wanted} rows the size line "
                              f"gives", source, last_line, expected=_FILE_FORM)
    return rows


def _matlab_rows(tokens: list[_Token], source: str | None) -> list[list[float]]:
    """``[a b; c d]``: one opening bracket, rows split by ``;``, one closing bracket."""
    closing = next((i for i, t in enumerate(tokens) if t.text == "]"), None)
    if closing is None:
        last = tokens[-1]
        raise DataFormatError("the matrix has no closing ']'", source, last.line,
                              last.column + len(last.text), _MATLAB_FORM)
    if closing != len(tokens) - 1:
        extra = tokens[closing + 1]
        raise DataFormatError(f"'{shown(extra.text)}' after the closing ']'", source,
                              extra.line, extra.column, _MATLAB_FORM)
    rows: list[list[float]] = []
    row: list[float] = []
    starts = [tokens[min(1, closing)]]   # where each row begins, for its message
    for index, token in enumerate(tokens[1:closing], start=1):
        if token.text == ";":
            rows.append(row)
            row = []
            starts.append(tokens[min(index + 1, closing)])
        elif token.text == ",":
            continue
        elif token.text == "[":
            raise DataFormatError("a second '['", source, token.line, token.column,
                                  _MATLAB_FORM)
        else:
            row.append(_number(token, source, _MATLAB_FORM))
    rows.append(row)
    if rows == [[]]:
        return []
    for index, values in enumerate(rows):
        if len(values) != len(rows):
            at = starts[index]
            raise DataFormatError(f"row {index + 1} has {len(values)} "
                                  f"{_plural(len(values), 'value')} but there are "
                                  f"{len(rows)} rows; a cost matrix is square", source,
                                  at.line, at.column,
                                  f"{len(rows)} numbers in every row")
    return rows


def _plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"


def read_cost_matrix(path: str | os.PathLike[str], num_classes: int | None = None,
                     class_name: str | None = None) -> np.ndarray:
    """The cost matrix in the file at ``path`` (see the module docstring for the forms);
    a file that holds no matrix is refused, as is one of the wrong size."""
    display = os.fspath(path)
    try:
        data = read_bytes(path, display, MAX_COST_FILE_BYTES)
    except DataFormatError as error:   # the data files' words, but this is no data file
        if error.expected != "a data file":
            raise
        raise DataFormatError(error.reason, display, expected="a cost matrix file") from None
    refuse_nul(data, display)
    text = decode_text(bytes(data), display, what="a cost matrix")
    matrix = parse_cost_matrix(text, display, num_classes, class_name)
    if matrix is None:
        raise DataFormatError("the file holds no cost matrix", display, 1,
                              expected=f"{_FILE_FORM}, or {_MATLAB_FORM}")
    return matrix
