"""Sparse rows read a block at a time (``arff_sparse``) read exactly as the careful reader
reads them line by line: the same dataset, or the same error (words, line and column).

Each test lowers the size from which a section is read in blocks (64 KiB for files) and
the size of a block, so that small files go through several blocks, some read at once
and some declined, and compares with ``_read_arff(fast=False)`` (line by line) and with
the tokenizer alone.
"""

from __future__ import annotations

import io
import itertools
import struct
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from fuzzing import read_reference_bytes, reference_datasets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import workbench.data.arff as arff_module
import workbench.data.arff_rows as rows_module
import workbench.data.arff_sparse as sparse_module
from workbench.core.errors import DataFormatError
from workbench.data.arff import _read_arff, read_arff
from workbench.data.arff_values import BadValue, NumericDecoder, parse_number
from workbench.data.dataset import Attribute


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks for any section, of about ``chars`` characters each; returns a list of what
    each ``read_block`` call gave (None: declined)."""
    outcomes: list[object] = []
    original = sparse_module.read_block

    def recording(*args, **kwargs):
        block = original(*args, **kwargs)
        outcomes.append(block)
        return block

    monkeypatch.setattr(arff_module, "FAST_PATH_MIN_BYTES", 0)
    monkeypatch.setattr(arff_module, "_read_plain", lambda *args: None)  # dense: not here
    monkeypatch.setattr(rows_module, "BLOCK_CHARS", 40)
    monkeypatch.setattr(rows_module, "read_block", recording)
    return outcomes


def _read(data: bytes, **kwargs):
    try:
        return _read_arff(io.BytesIO(data), name="s.arff", **kwargs)
    except DataFormatError as error:
        return error


def _same(blocks, careful) -> None:
    if isinstance(careful, DataFormatError):
        assert isinstance(blocks, DataFormatError), f"read, where line by line: {careful}"
        assert str(blocks) == str(careful)
        assert (blocks.line, blocks.column) == (careful.line, careful.column)
        return
    assert not isinstance(blocks, DataFormatError), f"{blocks}, where line by line it reads"
    assert blocks.equals(careful)
    assert [a.values for a in blocks.attributes] == [a.values for a in careful.attributes]
    assert sp.issparse(blocks.X) == sp.issparse(careful.X)
    if sp.issparse(careful.X):   # the same stored entries, the same signs of zero and NaN
        a, b = sp.csr_matrix(blocks.X), sp.csr_matrix(careful.X)
        assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
        assert a.data.tobytes() == b.data.tobytes()


def three_ways(data: bytes, monkeypatch: pytest.MonkeyPatch):
    """Blocks, line by line, and the tokenizer alone: all alike; the blocks' result."""
    blocks = _read(data)
    careful = _read(data, fast=False)
    _same(blocks, careful)
    with monkeypatch.context() as m:
        m.setattr(rows_module, "_plain_sparse", lambda *args: None)
        _same(_read(data, fast=False), careful)
    return blocks


HEADERS = {
    "words": ["numeric"] * 10 + ["{pos,neg}"],
    # labels that look like numbers, a label first, a string pool and a date among them
    "mixed": ["{1,2,'c d',a}", "numeric", "numeric", "string", "numeric", "numeric",
              "date yyyy-MM-dd", "numeric", "{x,y}", "numeric", "{pos,neg}"],
}


def _header(kinds: list[str]) -> str:
    lines = ["@relation s"] + [f"@attribute a{j} {kind}" for j, kind in enumerate(kinds)]
    return "\n".join([*lines, "@data", ""])


INDICES = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "007", "1.0",
           "1e1", "-1", "+1", "a", "?", "99999999999999999999", "0000000000000000003",
           "\u0663"]
VALUES = ["1", "3", "0", "-0", "-2.5", "1e3", "?", "1_0", "nan", "-nan", "inf", "0x10",
          "1.", ".5", "+5", "1e", "e5", ".", "-", "1e400", "4.9e-324", "0.1",
          "123456789012345678901234567890", "9007199254740993", "pos", "neg", "maybe",
          "a", "c", "'c d'", "x", "2", "2025-01-01", "caf\u00e9", "\u00e9t\u00e9"]
SEPARATORS = [" ", ",", " ", ",", " ", ",", "  ", ", ", "\t", ",,"]
NUMBERS = ["1", "3", "0", "-0", "-2.5", "1e3", "?", "nan", "inf", "1.", ".5", "+5", "1e400",
           "4.9e-324", "0.1", "9007199254740993", "123456789012345678901234567890"]


def _fitting(kind: str) -> st.SearchStrategy[str]:
    """Values an attribute of this kind reads, mostly, and now and then any value."""
    if kind.startswith("{"):
        labels = [label.strip("'") for label in kind[1:-1].split(",")]
        fitting = st.sampled_from([*labels, "?"])
    elif kind == "string":
        fitting = st.sampled_from(["s", "t", "caf\u00e9", "1", "?", "x y"])
    elif kind.startswith("date"):
        fitting = st.sampled_from(["2025-01-01", "1970-12-31", "?"])
    else:
        fitting = st.sampled_from(NUMBERS)
    return st.one_of(*[fitting] * 9, st.sampled_from(VALUES))


@st.composite
def sparse_line(draw, kinds: list[str]):
    """A sparse row: mostly plain ``{i v,i v}`` of values that fit their attributes,
    sometimes with what only the careful reader reads (odd separators, weights,
    comments, quotes) or what it refuses."""
    if draw(st.integers(0, 29)) == 0:   # any index at all
        pairs = draw(st.lists(st.tuples(st.sampled_from(INDICES), st.sampled_from(VALUES)),
                              max_size=5))
    else:
        chosen = draw(st.lists(st.integers(0, len(kinds) - 1), max_size=6))
        if draw(st.integers(0, 4)):
            chosen = sorted(set(chosen))
        pairs = [(j, draw(_fitting(kinds[j]))) for j in chosen]
    plain = draw(st.integers(0, 5)) > 0
    parts = []
    for index, value in pairs:
        if " " in value:
            value = f"'{value}'"
        inner = " " if plain else draw(st.sampled_from(SEPARATORS))
        parts.append(f"{index}{inner}{value}")
    between = "," if plain else draw(st.sampled_from(SEPARATORS))
    line = "{" + between.join(parts) + "}"
    extra = draw(st.sampled_from([*[""] * 30, " ", ",{2}", " {0.5} ",
                                  " % note", "}", "{", "\t"]))
    lead = draw(st.sampled_from(["", "", "", " ", "\t"]))
    return lead + line + extra


OTHER_LINES = ["", "  ", "% a comment", "{}", "{ }", "1,2,3", "{0 1}{1 2}", "{0 '1'}"]


@st.composite
def sparse_files(draw):
    kinds = HEADERS[draw(st.sampled_from(sorted(HEADERS)))]
    lines = draw(st.lists(st.one_of(*[sparse_line(kinds)] * 12, st.sampled_from(OTHER_LINES)),
                          min_size=1, max_size=12))
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    return (_header(kinds) + ending.join(lines) + ending).encode("utf-8")


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=sparse_files())
def test_random_sparse_files_read_as_line_by_line(monkeypatch, small_blocks, data):
    three_ways(data, monkeypatch)


def test_plain_rows_are_read_by_blocks_alone(monkeypatch, small_blocks):
    # A StringToWordVector-like file: no row may be read line by line.
    rng = np.random.default_rng(5)
    rows, expected = [], np.zeros((60, 41))
    for i in range(60):
        cols = np.sort(rng.choice(40, int(rng.integers(0, 8)), replace=False))
        counts = rng.integers(1, 9, len(cols))
        label = int(rng.integers(0, 2))
        expected[i, cols], expected[i, 40] = counts, label
        rows.append("{" + ",".join([*(f"{j} {v}" for j, v in zip(cols, counts, strict=True)),
                                    f"40 {('pos', 'neg')[label]}"]) + "}")
    data = (_header(["numeric"] * 40 + ["{pos,neg}"]) + "\n".join(rows) + "\n").encode()

    def refuse(*args):
        raise AssertionError("a plain sparse row was read line by line")

    monkeypatch.setattr(rows_module, "_plain_sparse", refuse)
    monkeypatch.setattr(rows_module, "tokenize", refuse)
    d = _read(data)
    assert isinstance(d, arff_module.Dataset)
    assert len(small_blocks) > 5 and all(b is not None for b in small_blocks)
    assert sp.isspmatrix_csr(d.X) and np.array_equal(d.X.toarray(), expected)


def test_a_bad_row_is_reported_by_the_careful_reader_with_its_line(monkeypatch,
                                                                   small_blocks):
    rows = ["{0 1,3 2,10 pos}"] * 30
    rows[17] = "{0 1,3 2,2 4,10 pos}"   # line 13 of the header + 18
    data = (_header(HEADERS["words"]) + "\n".join(rows) + "\n").encode()
    error = three_ways(data, monkeypatch)
    assert isinstance(error, DataFormatError)
    assert (error.line, error.column) == (31, 10)
    assert error.reason == "sparse index 2 comes after index 3"
    assert None in small_blocks and any(b is not None for b in small_blocks)


def test_string_pools_and_omitted_strings_as_line_by_line(monkeypatch, small_blocks):
    kinds = ["numeric", "string", "numeric", "string"]
    rows = ["{0 1,1 b,3 z}", "{1 a}", "{0 2,3 y}", "{1 b,2 ?,3 z}", "{}", "{1 c,3 x}"] * 4
    data = (_header(kinds) + "\n".join(rows) + "\n").encode()
    d = three_ways(data, monkeypatch)
    assert d.attributes[1].values == ("b", "a", "c")
    assert d.attributes[3].values == ("z", "y", "x")
    assert any(b is not None for b in small_blocks)


def test_a_relational_attribute_is_never_read_in_blocks(monkeypatch, small_blocks):
    header = ("@relation r\n@attribute id {a,b}\n@attribute bag relational\n"
              "@attribute x numeric\n@end bag\n@attribute c numeric\n@data\n")
    data = (header + "\n".join(["{0 b,1 '1\\n2',2 3}", "{2 1}"] * 5) + "\n").encode()
    three_ways(data, monkeypatch)
    assert small_blocks == []


# Under HEADERS["mixed"]: rows a block must decline (the careful reader then reads or
# refuses them), one for each thing the block reader checks, and rows it reads itself.
DECLINED = ["{1.0 3}", "{1e1 3}", "{+1 3}", "{-1 3}", "{0000000000000000001 3}", "{1 2 3}",
            "{11 1}", "{a 1}", "{\u0663 1}", "{3 'x'}", "{3 a\tb}", "{3 a\x01b}", "{3 %x}",
            "{3 x %y}", "{4 1,2 1}", "{4 1,4 2}", "{1 1}{2 2}", "{1 1},{2}", "{1 1", "1 1}",
            "{1 1}\n1,2,3,4,5,6,2025-01-01,8,x,9,pos", "{1 pos}", "{10 maybe}", "{1 1_0}",
            "{6 2025-13-01}", "{0 'c d'}", "{3 \"q\"}", "{3 a\\b}", "{{2 2}",
            "{1 1\n}{2 2}\n{3 3}", "{0 1}\n{1 }1"]
READ = ["{1 -0,2 ?,3 str,6 2025-01-01,8 y,10 neg}", "{0 2,4 1.5e3}", "{0 a,3 a}",
        "{1 nan,2 inf,4 -inf,5 1e400,7 -nan,9 +.5}", "{}", "{3 caf\u00e9,8 x}",
        "{ 1 2,,4 5 }", "\t{2 0.1}  ", "{0 ?,10 ?}", "{000000000000000001 7}"]


@pytest.mark.parametrize("row", DECLINED)
def test_rows_the_block_reader_declines(monkeypatch, small_blocks, row):
    three_ways((_header(HEADERS["mixed"]) + row + "\n").encode(), monkeypatch)
    assert all(b is None for b in small_blocks)


@pytest.mark.parametrize("row", READ)
def test_rows_the_block_reader_reads(monkeypatch, small_blocks, row):
    monkeypatch.setattr(rows_module, "_plain_sparse", None)   # nothing line by line
    monkeypatch.setattr(rows_module, "BLOCK_CHARS", 1000)
    blocks = _read((_header(HEADERS["mixed"]) + row + "\n").encode())
    monkeypatch.undo()
    assert small_blocks and all(b is not None for b in small_blocks)
    _same(blocks, _read((_header(HEADERS["mixed"]) + row + "\n").encode(), fast=False))


def test_a_block_must_be_rows_in_braces_and_indices_digits():
    decoders = [NumericDecoder(Attribute.numeric(f"a{j}")) for j in range(200)]
    mask = np.zeros(200, dtype=np.bool_)
    for lines in (["1 2{3 4}"], ["12{3 4}"], ["{1 2}", "3 4{5 6}"], ["{a 1}"], ["{1 1,z 2}"],
                  ["{\u00e9 1}"]):
        assert sparse_module.read_block(lines, decoders, mask) is None, lines
    block = sparse_module.read_block(["{1 2,150 3}", "", "{}", "{199 -1}"], decoders, mask)
    assert block is not None and block.counts.tolist() == [2, 0, 1]
    assert block.indices.tolist() == [1, 150, 199] and block.values.tolist() == [2, 3, -1]


def test_a_string_pool_gets_its_strings_in_file_order(monkeypatch, small_blocks):
    monkeypatch.setattr(rows_module, "BLOCK_CHARS", 1 << 20)   # one block
    words = [f"w{k}" for k in range(40)]
    rows = [f"{{1 1,3 {w}}}" for w in words] + [f"{{3 {w}}}" for w in reversed(words)]
    d = three_ways((_header(HEADERS["mixed"]) + "\n".join(rows) + "\n").encode(),
                   monkeypatch)
    assert d.attributes[3].values == tuple(words)
    assert small_blocks[0] is not None


def _float_bits(value: float) -> bytes:
    return struct.pack("<d", value)


ALPHABET = "0123456789.eE+-"


def test_numbers_read_by_pandas_are_python_floats_or_decline():
    # Every token of up to three characters of 0-9.eE+- and hard cases beyond: a token
    # that float() reads gives float()'s double exactly, any other makes the block
    # decline (the careful reader then says what is wrong).
    decoders = [NumericDecoder(Attribute.numeric("a"))]
    mask = np.zeros(1, dtype=np.bool_)
    tokens = ["".join(t) for size in (1, 2, 3) for t in itertools.product(ALPHABET, repeat=size)]
    tokens += ["2.2250738585072011e-308", "4.9406564584124654e-324", "2.4703282292062328e-324",
               "1.7976931348623157e308", "1.7976931348623159e308", "1e500", "-1e-500",
               "9007199254740993", "18446744073709551616", "123456789012345678901234567",
               "0.30000000000000004", "1.00000000000000011102230246251565404236316680908203125",
               "00000000000000000000000000001.5", "1e0000000000000000000000001", "1.5e+3",
               "-.5e-3", "+0", "-0.0", "1e-", "1e+", "--1", "1..2", "1e5e5", "1-2"]
    rng = np.random.default_rng(0)
    tokens += [repr(float(x)) for x in rng.standard_normal(2000) * 10.0 ** rng.integers(
        -300, 300, 2000)]
    valid, invalid = [], []
    for token in tokens:
        try:
            parse_number(token)
            valid.append(token)
        except BadValue:
            invalid.append(token)
    block = sparse_module.read_block([f"{{0 {t}}}" for t in valid], decoders, mask)
    assert block is not None
    assert [_float_bits(v) for v in block.values.tolist()] == \
        [_float_bits(parse_number(t)) for t in valid]
    for token in invalid:
        assert sparse_module.read_block([f"{{0 {token}}}"], decoders, mask) is None, token


CORPUS = sorted(p for folder in ("weka", "corpus") for p in
                (reference_datasets() / folder).glob("*.arff*"))


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_the_corpus_reads_in_blocks_as_line_by_line(monkeypatch, small_blocks, path: Path):
    three_ways(read_reference_bytes(path), monkeypatch)


def test_the_benchmark_file_reads_at_once_and_costs_less(tmp_path, script_module):
    module = script_module("benchmarks/io_arff_sparse.py", "--attributes", "3000",
                           "--rows", "800")
    path = tmp_path / "words.arff"
    expected = module.write_sparse(path, 800, 3000)
    assert path.stat().st_size > arff_module.FAST_PATH_MIN_BYTES   # blocks, as shipped
    d = read_arff(path)
    assert sp.isspmatrix_csr(d.X) and (expected != d.X).nnz == 0
    assert d.equals(_read_arff(path, fast=False))
