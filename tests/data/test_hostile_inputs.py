"""Each hostile input of issue 23 that crashed, hung or ballooned a reader: now a clear
DataFormatError naming the file and line, or a correct load, in bounded time and memory.
"""

from __future__ import annotations

import gzip
import io
import re
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
import pytest

from workbench.core.errors import DataFormatError
from workbench.data.arff import read_arff, write_arff
from workbench.data.arff_header import MAX_NESTING
from workbench.data.arff_tokens import tokenize
from workbench.data.csv import read_csv
from workbench.data.dataset import Attribute, Dataset
from workbench.data.dates import DateError, DateFormat, _field_regex, format_date, parse_date
from workbench.data.packed import unpack_gzip
from workbench.data.stats import summarize


def _arff(text: str | bytes) -> Dataset:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_arff(io.BytesIO(data), name="hostile.arff")


def _error(text: str | bytes) -> DataFormatError:
    with pytest.raises(DataFormatError) as info:
        _arff(text)
    assert info.value.path == "hostile.arff"
    assert "\n" not in str(info.value)
    return info.value


# Dates -----------------------------------------------------------------------------------
@pytest.mark.timeout(60)
def test_many_zone_fields_against_a_run_of_letters_fail_at_once():
    # 16 zone fields and 81 letters: the old translation backtracked through ~5^16 ways
    # to split the letters (a dozen fields already ran past 120 s).
    with pytest.raises(DateError, match="does not match"):
        DateFormat("zZ" * 8).parse("x" * 81)


@pytest.mark.parametrize("pattern", ["yyyy-MM-dd'T'HH:mm:ss", "zZzZzZzZzZzZ", "EEE, d MMM yy",
                                     "yyyyMMddHHmmssSSS", "h:mm a z", "D 'day' G X"])
def test_every_field_is_an_atomic_group_of_bounded_width(pattern):
    """Linear by construction: each field matches within a bounded width and, being an
    atomic group, is never retried another way, so a match costs at most the pattern's
    length times a constant, whatever the text."""
    fmt = DateFormat(pattern)
    assert fmt._regex.pattern.count("((?>") == len(fmt._fields)
    for field in fmt._fields:
        regex = _field_regex(field)
        assert f"((?>{regex}))" in fmt._regex.pattern
        _, high = re._parser.parse(regex).getwidth()
        assert high <= 16, (field, regex)


def test_a_thousand_digit_date_field_is_refused_not_a_crash():
    with pytest.raises(DateError):
        parse_date("9" * 4400, "yyyy")
    with pytest.raises(DateError, match="longer than any date"):
        parse_date("1" * 1000, "yyyy")


@pytest.mark.parametrize("year", [5, 50, 400, 1945, 2046, 9999])
def test_yy_writes_a_year_outside_its_window_in_full(year):
    seconds = parse_date(f"{year:04d}-03-01", "yyyy-MM-dd")
    text = format_date(seconds, "yy-MM-dd")
    assert parse_date(text, "yy-MM-dd") == seconds
    assert parse_date(format_date(seconds, "y-MM-dd"), "y-MM-dd") == seconds


def test_yy_inside_its_window_stays_two_digits():
    assert format_date(parse_date("1999-12-31", "yyyy-MM-dd"), "yy-MM-dd") == "99-12-31"
    assert format_date(parse_date("2000-01-01", "yyyy-MM-dd"), "yy-MM-dd") == "00-01-01"


def test_abutting_yy_refuses_a_year_it_cannot_hold():
    with pytest.raises(DateError, match="yyyy"):
        format_date(parse_date("0400-01-01", "yyyy-MM-dd"), "yyMMdd")


def test_writing_an_arff_date_never_changes_the_year():
    pattern = "yy-MM-dd"
    data = Dataset("d", [Attribute.date("when", pattern)],
                   np.array([[parse_date("0400-01-01", "yyyy-MM-dd")]]))
    out = io.StringIO()
    write_arff(data, out)
    assert read_arff(io.StringIO(out.getvalue())).equals(data)


# The tokenizer -----------------------------------------------------------------------------
def test_a_long_quoted_value_costs_a_few_bytes_per_character():
    line = "'" + "ab\\'cdefgh" * 100_000 + "', 2"
    tracemalloc.start()
    try:
        tokens = tokenize(line, 1, "x")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert tokens[0].text == "ab'cdefgh" * 100_000 and tokens[1].text == "2"
    assert peak < 16 * len(line)   # the old regex kept ~200 bytes per character


def test_a_backslash_before_the_line_end_leaves_the_quote_open():
    with pytest.raises(DataFormatError, match="unterminated"):
        tokenize("'abc\\", 3, "x")


# Sparse indices and numbers -----------------------------------------------------------------
HEADER = "@relation r\n@attribute a numeric\n@attribute b {x,y}\n@data\n"


@pytest.mark.parametrize("index", ["\u00b9", "\u0663", "\uff11", "1\u00b2"])
def test_a_sparse_index_must_be_ascii_digits(index):
    error = _error(HEADER + "{" + index + " 1}\n")
    assert error.line == 5 and "not an attribute index" in error.reason


def test_a_sparse_index_of_thousands_of_digits_is_out_of_range():
    error = _error(HEADER + "{" + "9" * 4400 + " 1}\n")
    assert error.line == 5 and "out of range" in error.reason
    assert len(str(error)) < 300


def test_a_number_of_thousands_of_digits_reads_as_a_float():
    data = _arff("@relation r\n@attribute a numeric\n@data\n" + "9" * 300 + "\n")
    assert data.X[0, 0] == float("9" * 300)


def test_messages_quote_a_huge_value_on_one_short_line():
    error = _error(HEADER + "1,'" + "z\\n" * 50_000 + "'\n")
    assert error.line == 5 and len(str(error)) < 400


# Relational nesting ----------------------------------------------------------------------------
def _nested(depth: int) -> str:
    lines = ["@relation deep"]
    lines += [f"@attribute r{k} relational" for k in range(depth)]
    lines.append("@attribute x numeric")
    lines += [f"@end r{k}" for k in reversed(range(depth))]
    return "\n".join([*lines, "@data", "?", ""])


@pytest.mark.parametrize("depth", [MAX_NESTING + 1, 300, 5000])
def test_relational_attributes_nested_too_deep_are_refused(depth):
    error = _error(_nested(depth))
    assert error.line == MAX_NESTING + 2 and "nested" in error.reason


def test_relational_nesting_up_to_the_limit_loads():
    assert _arff(_nested(MAX_NESTING)).num_attributes == 1


# Surrogates ------------------------------------------------------------------------------------
@pytest.mark.parametrize("where", ["@relation '{v}'\n@attribute a numeric\n@data\n1\n",
                                   "@relation r\n@attribute '{v}' numeric\n@data\n1\n",
                                   "@relation r\n@attribute a {{'{v}', b}}\n@data\nb\n",
                                   "@relation r\n@attribute a string\n@data\n'{v}'\n"])
def test_a_lone_surrogate_escape_is_refused_where_it_stands(where):
    error = _error(where.format(v="x\\ud800"))
    assert "surrogate" in error.reason and error.line in (1, 2, 4)


def test_a_surrogate_pair_escape_is_the_character_it_encodes():
    data = _arff("@relation '\\ud83d\\ude00'\n@attribute a numeric\n@data\n1\n")
    assert data.relation == "\U0001f600"
    out = io.StringIO()
    write_arff(data, out)
    out.getvalue().encode("utf-8")


# gzip ------------------------------------------------------------------------------------------
def test_gzip_is_unpacked_within_a_limit():
    bomb = gzip.compress(b"0," * 500_000, mtime=0)
    assert len(bomb) < 10_000
    with pytest.raises(DataFormatError, match="unpacks to more than"):
        unpack_gzip(io.BytesIO(bomb), "bomb.arff.gz", limit=100_000)
    assert len(unpack_gzip(io.BytesIO(bomb), "bomb.arff.gz", limit=2_000_000)) == 1_000_000


@pytest.mark.parametrize("cut", [5, 20, -4])
def test_a_damaged_arff_gz_is_a_data_format_error(tmp_path: Path, cut):
    packed = gzip.compress(b"@relation r\n@attribute a numeric\n@data\n1\n" * 3, mtime=0)
    path = tmp_path / "cut.arff.gz"
    path.write_bytes(packed[:cut])
    with pytest.raises(DataFormatError) as info:
        read_arff(path)
    assert info.value.path == str(path)


# CSV -------------------------------------------------------------------------------------------
def test_a_quoted_csv_field_beyond_the_csv_module_limit_loads(tmp_path: Path):
    # The last column has a missing value, which runs the ragged-row check through the
    # csv module (limit 131 072 characters per field).
    path = tmp_path / "long.csv"
    path.write_text('a,b\n"' + "x" * 140_000 + '",1\ny,\n', encoding="utf-8")
    data = read_csv(path)
    assert data.num_instances == 2 and len(data.attributes[0].values[0]) == 140_000
    assert np.isnan(data.X[1, 1])


def test_a_ragged_row_after_a_long_field_is_still_found(tmp_path: Path):
    path = tmp_path / "ragged.csv"
    path.write_text('a,b,c\n"' + "x" * 140_000 + '",1,2\ny,\n', encoding="utf-8")
    with pytest.raises(DataFormatError) as info:
        read_csv(path)
    assert info.value.line == 3


def test_a_csv_gzip_bomb_is_refused(tmp_path: Path, monkeypatch):
    import workbench.data.packed as packed

    monkeypatch.setattr(packed, "MAX_UNPACKED_BYTES", 100_000)
    path = tmp_path / "bomb.csv.gz"
    path.write_bytes(gzip.compress(b"a,b\n" + b"1,2\n" * 100_000, mtime=0))
    with pytest.raises(DataFormatError, match="unpacks to more than"):
        read_csv(path)


# Statistics ------------------------------------------------------------------------------------
def test_statistics_of_infinities_and_huge_values_raise_no_warning():
    X = np.array([[np.inf, 1e308], [1.0, 1e308], [-np.inf, -1e308]])
    data = Dataset("r", [Attribute.numeric("a"), Attribute.numeric("b")], X)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a, b = summarize(data)
    assert a.minimum == -np.inf and a.maximum == np.inf and a.std is None
    assert b.mean == pytest.approx(1e308 / 3) and b.std == pytest.approx(1.1547005e308)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("suffix", [".arff", ".csv"])
def test_a_fifo_is_refused_not_waited_on(tmp_path, suffix):
    """A FIFO with no writer used to block the reader until killed."""
    import os

    from workbench.data.io import load_dataset

    fifo = tmp_path / f"pipe{suffix}"
    os.mkfifo(fifo)
    with pytest.raises(DataFormatError, match="not a regular file"):
        load_dataset(fifo)


@pytest.mark.parametrize("text, where", [
    ("@relation r\n@attribute a numeric\n@attribute b {x,y}\n@data\n1,x\n2\0,y\n", (6, 2)),
    ("@relation r\0\n@attribute a numeric\n@data\n1\n", (1, 12)),
])
def test_a_nul_byte_is_refused_where_it_is_not_read_past(text, where):
    with pytest.raises(DataFormatError, match="NUL byte") as info:
        _arff(text)
    assert (info.value.line, info.value.column) == where


@pytest.mark.parametrize("data, where", [
    ("@relation café\0\n".encode(), (1, 15)),                  # columns in characters
    (b"@relation r\r@attribute a numeric\r@data\r1\r2\0\r", (5, 2)),   # CR-only lines
])
def test_a_nul_is_placed_by_characters_and_any_line_break(data, where):
    with pytest.raises(DataFormatError, match="NUL byte") as info:
        _arff(data)
    assert (info.value.line, info.value.column) == where


def test_a_utf16_arff_is_named_as_such():
    # With a byte-order mark it reads (tests/data/test_text_encoding.py); without one
    # the refusal names UTF-16, never Latin-1.
    with pytest.raises(DataFormatError, match=r"UTF-16 text .*looks like utf-16-le"):
        _arff("@relation r\n@attribute a numeric\n@data\n1\n".encode("utf-16-le"))


def test_a_nul_in_a_csv_value_is_refused_but_utf16_text_reads(tmp_path):
    nul = tmp_path / "nul.csv"
    nul.write_bytes(b"a,b\n1,x\0y\n")
    with pytest.raises(DataFormatError, match="NUL byte") as info:
        read_csv(nul)
    assert (info.value.line, info.value.column) == (2, 4)
    wide = tmp_path / "wide.csv"
    wide.write_bytes("a,b\n1,x\n".encode("utf-16"))
    assert read_csv(wide, encoding="utf-16").value_text(0, "b") == "x"


def test_a_negative_instance_weight_is_refused():
    with pytest.raises(DataFormatError, match="'-3' is negative") as info:
        _arff("@relation r\n@attribute a numeric\n@data\n1,{5}\n2,{-3}\n")
    assert info.value.line == 5
    assert _arff("@relation r\n@attribute a numeric\n@data\n1,{0}\n").weights[0] == 0


def test_instance_weights_whose_total_overflows_are_refused_at_that_row():
    # Each {1e308} is a number; two of them total inf, which made every count, error
    # and the confusion matrix inf (and the report stopped with a traceback).
    error = _error("@relation r\n@attribute a numeric\n@data\n1,{1e308}\n"
                   "{0 2},{1e308}\n3\n")
    assert (error.line, error.column) == (5, 8)
    assert "add up to more than 1.8e308" in error.reason
    kept = _arff("@relation r\n@attribute a numeric\n@data\n1,{1e308}\n2,{7e307}\n3\n")
    assert np.isfinite(kept.weights.sum())
