"""What reading a data file may cost: the text is small beside its parsed form, so a
file is refused before parsing when the estimated cost does not fit (packed.py)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

import workbench.data.packed as packed
from workbench.core.errors import DataFormatError
from workbench.data.arff import read_arff
from workbench.data.csv import read_csv

SPARSE = b"@relation r\n@attribute a numeric\n@data\n" + b"{}\n" * 60_000


@pytest.fixture
def free(monkeypatch):
    """Set what the kernel says is free, in bytes (None: unknown)."""
    def set_free(value: int | None) -> None:
        monkeypatch.setattr(packed, "available_memory", lambda: value)
    return set_free


def test_empty_sparse_rows_cost_far_more_than_their_text(tmp_path: Path, free):
    # 180 kB of "{}" rows: each row is a sparse row with its index arrays and weight
    # (measured: 40 MB of them took 3.8 GB). The estimate counts the rows. The message
    # counts lines as an editor does: 3 header lines and 60 000 rows, each ended by a
    # line break, are 60 003 (walkthrough 13a, D10: a file's final line break was
    # counted as one more line).
    path = tmp_path / "rows.arff.gz"
    path.write_bytes(gzip.compress(SPARSE, mtime=0))
    free(20 << 20)
    with pytest.raises(DataFormatError, match=r"rows\.arff\.gz: reading this file would "
                       r"take about 3\d MiB of memory \(175 KiB of text in 60003 lines\), "
                       r"more than the 20 MiB of memory free"):
        read_arff(path)
    free(1 << 30)
    assert read_arff(path).num_instances == 60_000


def test_a_plain_file_and_a_csv_are_measured_too(tmp_path: Path, free):
    free(20 << 20)
    arff = tmp_path / "rows.arff"
    arff.write_bytes(SPARSE)
    with pytest.raises(DataFormatError, match=r"rows\.arff: reading this file"):
        read_arff(arff)
    csv = tmp_path / "rows.csv"
    csv.write_bytes(b"a\n" + b"0\n" * 300_000)     # 600 kB, 300 000 rows: the lines
    with pytest.raises(DataFormatError, match=r"rows\.csv: reading this file would take "
                       r"about 2\d MiB"):
        read_csv(csv)


def test_the_budget_holds_however_much_is_free(tmp_path: Path, free, monkeypatch):
    monkeypatch.setattr(packed, "PARSE_BUDGET", 20 << 20)
    free(None)
    path = tmp_path / "rows.arff"
    path.write_bytes(SPARSE)
    with pytest.raises(DataFormatError, match=r"more than the most a data file may take "
                       r"\(20 MiB\)"):
        read_arff(path)


def test_relational_values_are_counted_as_the_bags_they_become(tmp_path: Path, free):
    # Each relational value becomes a Dataset of its own (measured: 560 bytes a line);
    # only the header says a column is relational, so the ARFF reader asks again.
    head = (b"@relation r\n@attribute b relational\n@attribute x numeric\n@end b\n"
            b"@attribute c {a}\n@data\n")
    path = tmp_path / "bags.arff"
    path.write_bytes(head + b"'0',a\n" * 30_000)   # 180 kB: 7 MiB as text and lines
    free(15 << 20)
    with pytest.raises(DataFormatError, match=r"bags\.arff: reading this file would take "
                       r"about 2\d MiB"):
        read_arff(path)
    free(1 << 30)
    assert read_arff(path).num_instances == 30_000


def test_mnist_sized_files_of_numbers_stay_within_the_limits():
    # MNIST as ARFF: rows of 785 small integers, 110 MB for 60 000 rows (measured peak
    # 1.2 GB); twice that, 200 MB, still fits the text limit and the budget.
    row = b"0," * 600 + b"128," * 184 + b"7\n"
    rows = 200_000_000 // len(row)
    assert len(row) * rows < packed.MAX_UNPACKED_BYTES
    columns = 785 * packed.PARSE_COST_PER_COLUMN          # charged once, not per row
    per_row = packed.parse_cost(row) - columns
    assert per_row * rows + columns < packed.PARSE_BUDGET


# Whole numbers: about 1 MB of rows of small integers, which an estimate as any text
# (34 bytes a byte) puts near 38 MiB and one as numbers (16 a value, 9 a byte) near
# 20 MiB; 28 MiB "free" lies between.
NUMBER_ROW = b"12,0,7,255,3,0,0,64\n"
NUMBER_ROWS = 50_000


def _between(free) -> None:
    free(28 << 20)


def test_whole_numbers_in_a_csv_are_charged_as_numbers(tmp_path: Path, free):
    path = tmp_path / "pixels.csv"
    path.write_bytes(b"a,b,c,d,e,f,g,h\n" + NUMBER_ROW * NUMBER_ROWS)
    _between(free)
    assert read_csv(path).num_instances == NUMBER_ROWS


@pytest.mark.parametrize("forced", [{"nominal": ["a"]}, {"string": ["b"]}, {"date": ["c"]}])
def test_a_csv_with_columns_forced_to_labels_is_charged_as_text(tmp_path: Path, free,
                                                                 forced):
    # digits read as labels become objects: distinct ones cost ~100 bytes a value
    path = tmp_path / "pixels.csv"
    path.write_bytes(b"a,b,c,d,e,f,g,h\n" + NUMBER_ROW * NUMBER_ROWS)
    _between(free)
    with pytest.raises(DataFormatError, match=r"pixels\.csv: reading this file would take"):
        read_csv(path, **forced)


def test_a_csv_with_anything_but_whole_numbers_is_charged_as_text(tmp_path: Path, free):
    path = tmp_path / "reals.csv"
    path.write_bytes(b"a,b,c,d,e,f,g,h\n" + NUMBER_ROW * (NUMBER_ROWS - 1) + b"1-2,0,0,0,0,0,0,0\n")
    _between(free)
    with pytest.raises(DataFormatError, match=r"reals\.csv: reading this file would take"):
        read_csv(path)


def _arff_header(kind: bytes) -> bytes:
    return b"@relation r\n" + b"".join(b"@attribute a%d %s\n" % (j, kind) for j in range(8)) \
        + b"@data\n"


def test_whole_numbers_under_numeric_attributes_are_charged_as_numbers(tmp_path: Path,
                                                                       free):
    path = tmp_path / "pixels.arff"
    path.write_bytes(_arff_header(b"numeric") + NUMBER_ROW * NUMBER_ROWS)
    _between(free)
    assert read_arff(path).num_instances == NUMBER_ROWS


def test_whole_numbers_under_string_attributes_are_charged_as_text(tmp_path: Path, free):
    path = tmp_path / "ids.arff"
    path.write_bytes(_arff_header(b"string") + NUMBER_ROW * NUMBER_ROWS)
    _between(free)
    with pytest.raises(DataFormatError, match=r"ids\.arff: reading this file would take"):
        read_arff(path)


def test_numbers_pandas_cannot_read_are_charged_as_text_before_the_careful_reader(
        tmp_path: Path, free):
    # A row too long sends the file to the line-by-line reader, which holds every line
    # as a string (measured: 1.35 GB for 40 MB of zeros): it is asked for again first.
    path = tmp_path / "long-row.arff"
    path.write_bytes(_arff_header(b"numeric") + NUMBER_ROW * NUMBER_ROWS + b"1,2,3,4,5,6,7,8,9\n")
    _between(free)
    with pytest.raises(DataFormatError, match=r"long-row\.arff: reading this file would"):
        read_arff(path)
    free(1 << 30)
    with pytest.raises(DataFormatError, match=r"long-row\.arff:\d+"):   # its own error
        read_arff(path)


def test_a_huge_header_is_refused_before_it_is_parsed(tmp_path: Path, free, monkeypatch):
    import workbench.data.arff as arff

    def never(*args, **kwargs):
        raise AssertionError("the header was parsed")

    monkeypatch.setattr(arff, "parse_header", never)
    labels = b",".join(b"v%d" % k for k in range(150_000))      # ~1 MB of one attribute
    path = tmp_path / "labels.arff"
    path.write_bytes(b"@relation r\n@attribute a {" + labels + b"}\n@data\nv1\n")
    _between(free)
    with pytest.raises(DataFormatError, match=r"labels\.arff: reading this file would"):
        read_arff(path)


def test_an_mnist_sized_csv_is_charged_at_under_half_its_rate_as_text():
    # 110 MB of MNIST as CSV (measured peak 1.2 GB): 3.6 GiB as any text, 1.7 GiB as
    # numbers (parse_cost on the real file); the same rows in miniature here.
    row = b"0," * 600 + b"128," * 184 + b"7\n"
    content = b"label" + b",pixel" * 784 + b"\n" + row * 1000
    as_text = packed.parse_cost(content)
    as_numbers = packed.parse_cost(content, numbers_from=content.index(b"\n") + 1)
    assert as_numbers < as_text / 2


def test_every_column_is_charged_whatever_the_rows(tmp_path: Path, free):
    # 200 000 columns of 2 rows are 1.9 MB of text and took 361 MiB to read: pandas and
    # our attributes cost per column, which no count of bytes or lines sees.
    columns = 20_000
    content = (",".join(f"c{i}" for i in range(columns)) + "\n"
               + ",".join(["1"] * columns) + "\n").encode()
    cost = packed.parse_cost(content, numbers_from=content.index(b"\n") + 1)
    assert cost >= columns * packed.PARSE_COST_PER_COLUMN
    path = tmp_path / "wide.csv"
    path.write_bytes(content)
    free(40 << 20)   # the text alone would pass; its columns do not
    with pytest.raises(DataFormatError, match=r"wide\.csv: reading this file would take"):
        read_csv(path)
    arff = tmp_path / "wide.arff"
    arff.write_bytes(b"@relation r\n" + b"".join(b"@attribute a%d numeric\n" % j
                                                 for j in range(columns))
                     + b"@data\n" + b",".join([b"1"] * columns) + b"\n")
    with pytest.raises(DataFormatError, match=r"wide\.arff: reading this file would take"):
        read_arff(arff)
    free(1 << 30)
    assert read_csv(path).num_attributes == columns


def test_columns_are_counted_on_the_header_line_however_lines_end():
    # Lone-CR lines (old Mac files) once made the whole file its "first line", every
    # comma a 3 KB column: 13 MB estimated at 6.6 GB and refused.
    rows = b"".join(b"0.25,0.5,0.75,1\r" for _ in range(1000))
    cr = b"a,b,c,d\r" + rows
    assert packed.columns_on_line(cr, 0) == 4
    assert packed.parse_cost(cr) < 100 * len(cr) + 4 * packed.PARSE_COST_PER_COLUMN
    piped = b"title line\n" + b"|".join(b"c%d" % i for i in range(500)) + b"\n"
    assert packed.columns_on_line(piped, piped.index(b"\n") + 1) == 500


def test_a_csv_under_title_lines_is_charged_for_its_header_columns(tmp_path: Path, free):
    columns = 20_000
    path = tmp_path / "titled.csv"
    path.write_bytes(b"A title above the header\n"
                     + ",".join(f"c{i}" for i in range(columns)).encode() + b"\n"
                     + ",".join(["1"] * columns).encode() + b"\n")
    free(40 << 20)
    with pytest.raises(DataFormatError, match=r"titled\.csv: reading this file would take"):
        read_csv(path, skip_lines=1)
