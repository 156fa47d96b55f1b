"""The careful reader of ARFF data rows: dense, sparse, weighted, quoted, relational.

Every row goes through here when the data section holds anything the C fast path does
not handle (quotes, braces, comments, backslashes, relational values), except blocks of
plain sparse rows in a large section (``arff_sparse``, through ``parse_rows``), and every
error found by either fast path is found again here, so only this module has to know how
to say where a row went wrong. A row whose text has no quotes, braces or comments is
split with one regular expression; the full tokenizer runs only on the other rows and, to
find a column for an error message, on a row that failed.
"""

from __future__ import annotations

import bisect
import math
import operator
import re
from collections.abc import Callable, Iterable, Iterator

import numpy as np
import scipy.sparse as sp

from workbench.core.errors import DataFormatError
from workbench.data.arff_sparse import BLOCK_CHARS, SparseBlock, label_mask, read_block
from workbench.data.arff_tokens import (
    BRACE,
    LINE_BREAK,
    SPECIAL,
    Token,
    split_plain,
    tokenize,
)
from workbench.data.arff_values import MISSING, BadValue, Decoder, parse_number
from workbench.data.dataset import AttributeType
from workbench.data.shown import shown

_BLANKS = "".join(chr(c) for c in range(33))


class _RowError(Exception):
    """A problem in the current row; ``token`` is the index of the token at fault."""

    def __init__(self, reason: str, expected: str | None, token: int | None = None,
                 column: int | None = None) -> None:
        super().__init__(reason)
        self.reason, self.expected, self.token, self.column = reason, expected, token, column


def _count_error(found: int, m: int, line: str, tokens: list[Token] | None) -> _RowError:
    reason = (f"row has {found} value{'s' if found != 1 else ''} but the header declares "
              f"{m} attribute{'s' if m != 1 else ''}")
    expected = f"{m} values separated by commas"
    if found > m:
        return _RowError(reason, expected, token=m)
    if tokens is not None and found < len(tokens):
        return _RowError(reason, expected, token=found)
    return _RowError(reason, expected, column=len(line.rstrip()) + 1)


def _weight(tokens: list[Token], start: int) -> float:
    """The ``{w}`` after a row, or 1 when the row ends at ``start``."""
    if start == len(tokens):
        return 1.0
    rest = tokens[start:]
    if (len(rest) < 3 or rest[0].text != "{" or rest[0].kind != BRACE
            or rest[1].kind == BRACE or rest[2].text != "}" or rest[2].kind != BRACE):
        raise _RowError(f"unexpected '{shown(rest[0].text)}' after the last value", "end of line "
                        "or an instance weight such as {2.5}", token=start)
    try:
        weight = parse_number(rest[1].text)
    except BadValue:
        raise _RowError(f"instance weight '{shown(rest[1].text)}' is not a number",
                        "a weight such as {2.5}", token=start + 1) from None
    if not np.isfinite(weight):
        raise _RowError(f"instance weight '{shown(rest[1].text)}' is not a finite number",
                        "a weight such as {2.5}", token=start + 1)
    if weight < 0:   # it would count against its class in every learner and statistic
        raise _RowError(f"instance weight '{shown(rest[1].text)}' is negative",
                        "a weight of zero or more such as {2.5}", token=start + 1)
    if len(rest) > 3:
        raise _RowError(f"unexpected '{shown(rest[3].text)}' after the instance weight",
                        "end of line", token=start + 3)
    return weight


def _convert(decoder: Decoder, token: Token, index: int) -> float:
    if token.kind == BRACE:
        raise _RowError(f"unexpected '{token.text}' where a value should be",
                        f"a value for attribute '{decoder.attribute.name}'", token=index)
    if token.is_missing:
        return MISSING
    try:
        return decoder.convert(token.text)
    except BadValue as exc:
        raise _RowError(exc.reason, exc.expected, token=index) from None


def _dense(tokens: list[Token], decoders: list[Decoder], line: str) -> tuple[list[float],
                                                                              float]:
    m = len(decoders)
    found = next((i for i, t in enumerate(tokens) if t.kind == BRACE), len(tokens))
    if found != m:
        raise _count_error(found, m, line, tokens)
    row = [_convert(d, t, j) for j, (d, t) in enumerate(zip(decoders, tokens, strict=False))]
    return row, _weight(tokens, m)


def _sparse(tokens: list[Token], decoders: list[Decoder]) -> tuple[tuple[list[int],
                                                                         list[float]], float]:
    m = len(decoders)
    cols: list[int] = []
    vals: list[float] = []
    i = 1
    while True:
        if i >= len(tokens):
            raise _RowError("sparse row is not closed", "'}' at the end of the sparse row",
                            token=len(tokens) - 1)
        token = tokens[i]
        if token.kind == BRACE:
            if token.text == "}":
                break
            raise _RowError("'{' inside a sparse row", "index value pairs and '}'", token=i)
        if token.kind != "word" or not is_index(token.text):
            raise _RowError(f"'{shown(token.text)}' is not an attribute index",
                            "a 0-based attribute index in a sparse row", token=i)
        index = int(token.text) if len(token.text) <= _INDEX_DIGITS else m
        if index >= m:
            raise _RowError(f"sparse index {shown(token.text)} is out of range",
                            f"an index from 0 to {m - 1}", token=i)
        if cols and index <= cols[-1]:
            raise _RowError(f"sparse index {index} comes after index {cols[-1]}",
                            "indices in increasing order, each once", token=i)
        if i + 1 >= len(tokens) or tokens[i + 1].kind == BRACE:
            raise _RowError(f"sparse index {index} has no value", "index value pairs",
                            token=i)
        cols.append(index)
        vals.append(_convert(decoders[index], tokens[i + 1], i + 1))
        i += 2
    return (cols, vals), _weight(tokens, i + 1)


_QUOTE_OR_COMMENT = re.compile(r"['\"\\\\%]")
# More digits than this cannot be an index of any file (and ``int`` refuses text of
# thousands of digits), so such an index is simply out of range.
_INDEX_DIGITS = 18


def is_index(text: str) -> bool:
    """ASCII digits only: ``str.isdigit`` also says yes to ``²`` and ``٣``."""
    return text.isascii() and text.isdigit()




class _Labelled(frozenset[int]):
    """Attribute indices, with the least of them (``first``) worked out once."""

    first: int

    def __new__(cls, indices: Iterable[int]) -> _Labelled:
        self = super().__new__(cls, indices)
        self.first = min(self, default=0)
        return self


def _plain_sparse(line: str, decoders: list[Decoder], labelled: _Labelled
                  ) -> tuple[list[int], list[float]] | None:
    """A sparse row with no quotes, comments or weight, read without the tokenizer;
    ``labelled``: the attributes that are not numeric (``_Labelled``, its least one
    known).

    Returns None for anything unusual; the tokenized path then reads the row (or says
    exactly what is wrong with it).
    """
    text = line.strip(_BLANKS)
    if (not text.startswith("{") or not text.endswith("}") or text.count("{") != 1
            or text.count("}") != 1 or _QUOTE_OR_COMMENT.search(text)):
        return None
    fields = split_plain(text[1:-1])
    if len(fields) % 2:
        return None
    indices, values = fields[0::2], fields[1::2]
    if len(labelled) * 2 < len(decoders) and is_index("".join(indices)) \
            and max(map(len, indices), default=0) <= _INDEX_DIGITS:
        # map() over the whole row: no per-value Python frame for the numbers. The few
        # label values (StringToWordVector's class, last) go through their decoders: a
        # row of words and a class took 0.3 ms a row value by value.
        cols = list(map(int, indices))
        if cols and (cols[-1] >= len(decoders) or any(map(operator.ge, cols, cols[1:]))):
            return None
        # Only the pairs from the first label attribute on can be labels (cols ascend).
        start = bisect.bisect_left(cols, labelled.first) if labelled else len(cols)
        labels = [k for k in range(start, len(cols)) if cols[k] in labelled]
        numbers = values
        if labels:
            numbers = values.copy()
            for k in labels:
                numbers[k] = "0"
        joined = "".join(numbers)
        if "?" not in joined and "_" not in joined:
            try:
                vals = list(map(float, numbers))
                for k in labels:
                    vals[k] = (MISSING if values[k] == "?"
                               else decoders[cols[k]].convert(values[k]))
            except (ValueError, BadValue):
                return None
            return cols, vals
    cols = []
    vals = []
    last = -1
    m = len(decoders)
    try:
        for k in range(0, len(fields), 2):
            index_text, value = fields[k], fields[k + 1]
            if not is_index(index_text) or len(index_text) > _INDEX_DIGITS:
                return None
            index = int(index_text)
            if index >= m or index <= last:
                return None
            last = index
            cols.append(index)
            vals.append(MISSING if value == "?" else decoders[index].convert(value))
    except BadValue:
        return None
    return cols, vals


def parse_rows(lines: Iterable[tuple[int, str]], decoders: list[Decoder], path: str | None,
               allow_weights: bool = True, blocks: bool = False
               ) -> tuple[np.ndarray | sp.csr_matrix, np.ndarray | None]:
    """Value matrix and weights (None when all are 1) of numbered data lines.

    The matrix is CSR when any row is sparse. Raises ``DataFormatError`` at the first bad
    row. With ``blocks``, lines are taken about ``arff_sparse.BLOCK_CHARS`` of text at a
    time and a block of plain sparse rows is read at once (``arff_sparse``, which imports
    pandas: for large sections only); a block it declines is read here line by line.
    """
    reader = _Rows(decoders, path, allow_weights)
    mask = label_mask(reader.types) if blocks else None
    if mask is None:
        reader.read(lines)
        return reader.result()
    for chunk in _chunks(lines, BLOCK_CHARS):
        block = None
        if _looks_sparse(chunk):
            block = read_block([line for _, line in chunk], decoders, mask)
        if block is None:
            reader.read(chunk)
        else:
            reader.add_block(block)
    return reader.result()


def _chunks(lines: Iterable[tuple[int, str]], size: int) -> Iterator[list[tuple[int, str]]]:
    """Consecutive numbered lines, about ``size`` characters of them at a time."""
    chunk: list[tuple[int, str]] = []
    total = 0
    for item in lines:
        chunk.append(item)
        total += len(item[1])
        if total >= size:
            yield chunk
            chunk, total = [], 0
    if chunk:
        yield chunk


def _looks_sparse(chunk: list[tuple[int, str]]) -> bool:
    """Whether the first line with text in ``chunk`` starts a sparse row: a block of
    dense rows is not worth trying."""
    return next((line.lstrip(_BLANKS)[:1] == "{" for _, line in chunk
                 if line.strip(_BLANKS)), False)


class _Rows:
    """The rows read so far (dense rows, sparse rows, blocks of sparse rows) and their
    weights; ``read`` reads numbered lines one by one, the careful way."""

    def __init__(self, decoders: list[Decoder], path: str | None, allow_weights: bool
                 ) -> None:
        self.decoders, self.path, self.allow_weights = decoders, path, allow_weights
        self.types = [d.attribute.type for d in decoders]
        self.pooled = [j for j, t in enumerate(self.types)
                       if t is AttributeType.STRING or t is AttributeType.RELATIONAL]
        numeric = AttributeType.NUMERIC
        self.labelled = _Labelled(j for j, t in enumerate(self.types) if t is not numeric)
        self._convs: list[Callable[[str], float]] | None = None
        self.rows: list[list[float] | tuple[list[int], list[float]] | SparseBlock] = []
        self.n = 0   # rows, those in blocks included
        self.weights: list[float] = []
        self.weight_total = 0.0   # of the rows weighted other than 1; ones cannot overflow it
        self.any_sparse = self.any_weight = False

    def convs(self) -> list[Callable[[str], float]]:
        """Each attribute's conversion of a plain dense value; made on the first dense
        row (a sparse file of 100 000 attributes need not make them)."""
        if self._convs is None:
            self._convs = [parse_number if d.attribute.type is AttributeType.NUMERIC
                           else d.convert for d in self.decoders]
        return self._convs

    def add_block(self, block: SparseBlock) -> None:
        """The rows of a block read by ``arff_sparse``, after those read so far."""
        rows = len(block.counts)
        if not rows:
            return
        self.rows.append(block)
        self.n += rows
        self.weights.extend([1.0] * rows)
        self.any_sparse = True
        if self.pooled:   # a row that leaves a string or relational value out means code 0
            given = np.bincount(block.indices, minlength=len(self.decoders))[self.pooled]
            for j, times in zip(self.pooled, given.tolist(), strict=True):
                if times < rows:
                    self.decoders[j].implicit_zero = True

    def result(self) -> tuple[np.ndarray | sp.csr_matrix, np.ndarray | None]:
        return (_matrix(self.rows, self.n, len(self.decoders), self.any_sparse),
                np.array(self.weights) if self.any_weight else None)

    def read(self, lines: Iterable[tuple[int, str]]) -> None:
        """Read numbered lines one by one; ``DataFormatError`` at the first bad row."""
        decoders, path, labelled, pooled = self.decoders, self.path, self.labelled, \
            self.pooled
        m = len(decoders)
        rows, weights = self.rows, self.weights
        weight_total, any_sparse, any_weight = self.weight_total, self.any_sparse, \
            self.any_weight
        n = self.n
        convs = self._convs
        for line_no, line in lines:
            tokens: list[Token] | None = None
            try:
                if SPECIAL.search(line) is None:
                    fields = split_plain(line)
                    if not fields:
                        continue
                    if len(fields) != m:
                        raise _count_error(len(fields), m, line, None)
                    if convs is None:
                        convs = self.convs()
                    row = []
                    for j, field in enumerate(fields):
                        if field == "?":
                            row.append(MISSING)
                            continue
                        try:
                            row.append(convs[j](field))
                        except BadValue as exc:
                            raise _RowError(exc.reason, exc.expected, token=j) from None
                    rows.append(row)
                    weights.append(1.0)
                    n += 1
                    continue
                pairs = _plain_sparse(line, decoders, labelled)
                weight = 1.0
                if pairs is None:
                    tokens = found = tokenize(line, line_no, path)
                    if not found:
                        continue
                    if found[0].kind == BRACE and found[0].text == "{":
                        pairs, weight = _sparse(found, decoders)
                    else:
                        dense, weight = _dense(found, decoders, line)
                    if weight != 1.0 and not self.allow_weights:
                        raise _RowError("instance weights are not allowed here",
                                        "rows without a {weight}", token=len(found) - 2)
                if pairs is not None:
                    rows.append(pairs)
                    any_sparse = True
                    if pooled:
                        present = set(pairs[0])
                        for j in pooled:
                            if j not in present:
                                decoders[j].implicit_zero = True
                else:
                    rows.append(dense)
                if weight != 1.0:
                    any_weight = True
                    weight_total += weight
                    if weight_total == math.inf:  # every count and statistic would be inf
                        raise _RowError("the instance weights so far add up to more than "
                                        "1.8e308, the largest number",
                                        "weights whose total is a finite number",
                                        token=len(tokens or []) - 2)
                weights.append(weight)
                n += 1
            except _RowError as exc:
                column = exc.column
                if exc.token is not None:
                    tokens = tokens or tokenize(line, line_no, path)
                    column = tokens[min(exc.token, len(tokens) - 1)].column if tokens else 1
                raise DataFormatError(exc.reason, path, line_no, column, exc.expected
                                      ) from None
        self.weight_total, self.any_sparse, self.any_weight = weight_total, any_sparse, \
            any_weight
        self.n = n


def _matrix(rows: list, n: int, m: int, any_sparse: bool) -> np.ndarray | sp.csr_matrix:
    if not any_sparse:
        return np.array(rows, dtype=np.float64).reshape(n, m)
    counts: list[np.ndarray] = []
    indices: list[np.ndarray] = []
    data: list[np.ndarray] = []
    # Rows read one by one, gathered into lists until the next block (or the end).
    pending_counts: list[int] = []
    pending_indices: list[int] = []
    pending_data: list[float] = []

    def flush() -> None:
        if pending_counts:
            counts.append(np.array(pending_counts, dtype=np.int64))
            indices.append(np.array(pending_indices, dtype=np.int64))
            data.append(np.array(pending_data, dtype=np.float64))
            pending_counts.clear()
            pending_indices.clear()
            pending_data.clear()

    for row in rows:
        if isinstance(row, SparseBlock):
            flush()
            counts.append(row.counts)
            indices.append(row.indices)
            data.append(row.values)
            continue
        before = len(pending_indices)
        if isinstance(row, tuple):
            pending_indices.extend(row[0])
            pending_data.extend(row[1])
        else:
            for j, v in enumerate(row):
                if v != 0.0:
                    pending_indices.append(j)
                    pending_data.append(v)
        pending_counts.append(len(pending_indices) - before)
    flush()
    indptr = np.zeros(n + 1, dtype=np.int64)
    if counts:
        np.cumsum(np.concatenate(counts), out=indptr[1:])
    X = sp.csr_matrix((np.concatenate(data) if data else np.zeros(0),
                       np.concatenate(indices) if indices else np.zeros(0, np.int64),
                       indptr), shape=(n, m))
    X.eliminate_zeros()
    return X


def read_bag(text: str, decoders: list[Decoder]) -> np.ndarray:
    """One relational value: the rows its text holds, read with the nested header."""
    try:
        X, _ = parse_rows(enumerate(LINE_BREAK.split(text), start=1), decoders, None,
                          allow_weights=False)
    except DataFormatError as exc:
        raise BadValue(f"in relational value row {exc.line}: {exc.reason}",
                       exc.expected) from None
    return X if isinstance(X, np.ndarray) else X.toarray()
