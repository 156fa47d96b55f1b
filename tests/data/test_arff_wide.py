"""Wide ARFF files (thousands of attributes): the header's plain numeric run and the data
section read as one column of numbers, checked against the careful reader."""

import io

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import workbench.data.arff as arff_module
import workbench.data.arff_header as header_module
from workbench.core.errors import DataFormatError
from workbench.data.arff import FAST_PATH_MIN_BYTES, _read_arff, read_arff
from workbench.data.arff_fast import WIDE_COLUMNS
from workbench.data.dataset import AttributeType


def _header(numbers: int, before: str = "", after: str = "", crlf: bool = False) -> str:
    end = "\r\n" if crlf else "\n"
    lines = ["@relation wide", ""]
    if before:
        lines.append(f"@attribute first {before}")
    lines += [f"@attribute w{j} numeric" for j in range(numbers)]
    if after:
        lines.append(f"@attribute class {after}")
    lines += ["", "@data", ""]
    return end.join(lines)


def _table(rows: int, numbers: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    values = np.round(rng.standard_normal((rows, numbers)) * 10, 3)
    values[rng.random((rows, numbers)) < 0.01] = np.nan
    return values


def _text(values: np.ndarray, first: list[str] | None = None,
          last: list[str] | None = None) -> str:
    lines = []
    for i, row in enumerate(values.tolist()):
        fields = ["?" if v != v else repr(v) for v in row]
        if first is not None:
            fields.insert(0, first[i])
        if last is not None:
            fields.append(last[i])
        lines.append(",".join(fields))
    return "\n".join(lines) + "\n"


def both(text: str | bytes):
    """The fast read and the careful one agree: the same dataset, or the same error."""
    data = text.encode() if isinstance(text, str) else text
    try:
        fast = read_arff(io.BytesIO(data), name="w.arff")
    except DataFormatError as exc:
        with pytest.raises(DataFormatError) as careful:
            _read_arff(io.BytesIO(data), name="w.arff", fast=False)
        assert str(careful.value) == str(exc)
        return exc
    careful_data = _read_arff(io.BytesIO(data), name="w.arff", fast=False)
    assert careful_data.equals(fast)
    return fast


def test_a_wide_numeric_section_is_read_as_one_column(read_csv_columns, monkeypatch):
    # pandas made an array and objects per column (and per chunk of rows): 250 000
    # attributes x 10 rows took 10 s; read as one column of values it takes ~0.2 s.
    values = _table(10, 3000)
    monkeypatch.setattr(arff_module, "parse_rows", None)   # the careful reader must not run
    d = read_arff(io.StringIO(_header(3000) + _text(values)))
    np.testing.assert_array_equal(d.X, values)
    assert read_csv_columns == [1]
    assert all(a.type is AttributeType.NUMERIC for a in d.attributes)
    assert [a.name for a in d.attributes[:2]] == ["w0", "w1"]


@pytest.mark.parametrize("where", ["first", "last", "both"])
def test_labels_before_or_after_the_numbers_keep_the_one_column_read(read_csv_columns, where):
    rows = 40
    values = _table(rows, 2500, seed=1)
    rng = np.random.default_rng(2)
    classes = [["yes", "no", "?"][k] for k in rng.integers(0, 3, rows)]
    ids = [f"id{k}" for k in range(rows)]
    text = _header(2500, before="string" if where != "last" else "",
                   after="{no,yes}" if where != "first" else "") + _text(
        values, ids if where != "last" else None, classes if where != "first" else None)
    d = both(text)
    assert read_csv_columns[0] == 1   # the fast read; both() then reads carefully
    numbers = slice(1 if where != "last" else 0, None if where == "first" else -1)
    np.testing.assert_array_equal(d.X[:, numbers], values)
    if where != "first":
        codes = d.X[:, -1]
        assert [("no", "yes")[int(c)] if c == c else "?" for c in codes] == classes
    if where != "last":
        assert [d.attributes[0].values[int(c)] for c in d.X[:, 0]] == ids


def test_a_narrow_numeric_file_reads_the_same_as_before():
    values = _table(3000, 8, seed=3)
    text = _header(8) + _text(values)
    assert len(text) > FAST_PATH_MIN_BYTES
    np.testing.assert_array_equal(both(text).X, values)


def test_crlf_lines_and_blank_lines_between_rows():
    values = _table(12, 3000, seed=4)
    body = _text(values).replace("\n", "\r\n", 5).replace("\n", "\n\n", 3)
    np.testing.assert_array_equal(both(_header(3000, crlf=True) + body).X, values)


# Values a row may hold instead of a number: each either reads as the careful reader
# reads it or makes the fast path give up (then the careful reader decides).
ODD_FIELDS = ["", " ", "\t", "?", " ?", "? ", "nan", "NaN", "inf", "-Infinity", "1e400",
              "+.5", "1.", "1_0", "0x10", "1d", "1 2", "1\t2", "a", "yes", "True", "#1",
              "1.5.5", "\u0663", "1\xa0", "\x0b", "\x0c", "1\x0c", "\x1c2", "-", ".",
              "1,", ",1", "1\r", "\r", "1\r\n2", "\n", "9" * 30, "-9223372036854775809",
              "18446744073709551616"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 11), st.integers(0, 2599), st.sampled_from(ODD_FIELDS),
       st.sampled_from(["", "last", "first"]))
def test_an_odd_value_anywhere_reads_as_the_careful_reader_reads_it(row, column, field,
                                                                     labels):
    values = _table(12, 2600, seed=5)
    lines = _text(values).splitlines()
    fields = lines[row].split(",")
    fields[column] = field
    lines[row] = ",".join(fields)
    classes = ["no", "yes"] * 6
    if labels == "last":
        lines = [f"{line},{c}" for line, c in zip(lines, classes, strict=True)]
    elif labels == "first":
        lines = [f"{c},{line}" for line, c in zip(lines, classes, strict=True)]
    header = _header(2600, before="{no,yes}" if labels == "first" else "",
                     after="{no,yes}" if labels == "last" else "")
    both(header + "\n".join(lines) + "\n")


@pytest.mark.parametrize("change", [
    lambda rows: [*rows[:3], rows[3] + ",1", *rows[4:]],         # a long row
    lambda rows: [*rows[:3], rows[3].rsplit(",", 1)[0], *rows[4:]],  # a short row
    lambda rows: [*rows[:3], "  ", *rows[3:]],                   # a blank-looking line
    lambda rows: [r.replace(",", ", ", 1) for r in rows],        # spaces after commas
    lambda rows: [r + "," for r in rows],                        # trailing commas
    lambda rows: [r.replace(",", " ", 1) for r in rows],         # a space as separator
])
def test_rows_of_other_shapes_read_as_the_careful_reader_reads_them(change):
    values = _table(10, WIDE_COLUMNS + 10, seed=6)
    rows = _text(values).splitlines()
    both(_header(WIDE_COLUMNS + 10) + "\n".join(change(rows)) + "\n")


def test_old_mac_line_ends_still_read():
    values = _table(10, 3000, seed=7)
    text = (_header(3000) + _text(values)).replace("\n", "\r")
    np.testing.assert_array_equal(both(text).X, values)


# The header ----------------------------------------------------------------------------
def test_plain_numeric_declarations_skip_the_tokenizer(monkeypatch):
    calls = []
    tokenize = header_module.tokenize

    def counting(line, line_no, path):
        calls.append(line_no)
        return tokenize(line, line_no, path)

    monkeypatch.setattr(header_module, "tokenize", counting)
    head = header_module.parse_header(_header(5000).encode(), "w.arff")
    assert len(head.attributes) == 5000
    assert len(calls) <= 3   # @relation and @data (each tokenized), not 5000 lines
    assert head.data_line == 5000 + 5   # @relation, a blank, 5000, a blank, @data


@pytest.mark.parametrize("line, expected", [
    ("@ATTRIBUTE W REAL", ("W", "numeric")),
    ("  @attribute\tx\tINTEGER  ", ("x", "numeric")),
    ("@attribute 'q x' numeric", ("q x", "numeric")),
    ("@attribute x numeric % why", ("x", "numeric")),
    ("@attribute x {a,b}", ("x", "nominal")),
    ("@attribute x string", ("x", "string")),
    ("@attribute caf\u00e9 numeric", ("caf\u00e9", "numeric")),
    ("@attribute a\\b numeric", ("a\\b", "numeric")),
])
def test_any_declaration_among_plain_ones_reads_as_the_tokenizer_reads_it(line, expected):
    lines = [f"@attribute p{j} numeric" for j in range(50)]
    text = "@relation r\n" + "\n".join([*lines[:20], line, *lines[20:]]) + "\n@data\n"
    head = header_module.parse_header(text.encode(), "r.arff")
    attribute = head.attributes[20]
    assert (attribute.name, attribute.type) == expected
    assert [a.name for a in head.attributes[21:]] == [f"p{j}" for j in range(20, 50)]
    assert head.data_line == 54


@pytest.mark.parametrize("twice, line, column", [("p30", 34, 12), ("p3", 34, 12)])
def test_a_name_declared_twice_in_a_plain_run_names_its_line(twice, line, column):
    lines = [f"@attribute p{j} numeric" for j in range(40)]
    lines[31] = f"@attribute {twice} numeric"
    text = "@relation r\n\n" + "\n".join(lines) + "\n@data\n1\n"
    exc = both(text)
    assert isinstance(exc, DataFormatError)
    assert (exc.line, exc.column) == (line, column)
    assert "declared twice" in exc.reason


def test_errors_after_a_plain_run_name_their_line():
    lines = [f"@attribute p{j} numeric" for j in range(1000)] + ["@attribute bad numerc"]
    exc = both("@relation r\r\n\r\n" + "\r\n".join(lines) + "\r\n@data\r\n")
    assert isinstance(exc, DataFormatError)
    assert (exc.line, exc.column) == (1003, 16)


def test_plain_runs_inside_a_relational_attribute():
    inner = "\n".join(f"@attribute v{j} numeric" for j in range(30))
    text = (f"@relation r\n@attribute id {{a,b}}\n@attribute bag relational\n{inner}\n"
            f"@end bag\n@attribute w numeric\n@data\na,'1{',0' * 29}',2\n")
    d = both(text)
    assert [a.name for a in d.attributes] == ["id", "bag", "w"]
    assert len(d.attributes[1].relation) == 30
    np.testing.assert_array_equal(d.attributes[1].bags[0], [[1] + [0] * 29])
