"""Wide CSV files (thousands of columns) read without pandas' per-column work
(``csv_wide``), checked against the careful reader: the same dataset, or the same error.

The careful reader is ``read_csv`` with ``WIDE_COLUMNS`` set past any width; setting it
to 2 sends small, awkward files through the wide path too, which is how the corpus and
the fuzzing below reach it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest
from fuzzing import CSV_SEEDS, corpus_seeds, csv_inputs, reference_datasets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import workbench.data.csv as csv_module
from workbench.core.errors import DataFormatError, WorkbenchError
from workbench.data.csv import read_csv
from workbench.data.csv_wide import WIDE_COLUMNS
from workbench.data.dataset import AttributeType

CAREFUL = 10**9


def _read(path: Path, wide_from: int, **options):
    saved = csv_module.WIDE_COLUMNS
    csv_module.WIDE_COLUMNS = wide_from
    try:
        return read_csv(path, **options)
    finally:
        csv_module.WIDE_COLUMNS = saved


def both(path: Path, wide_from: int = 2, **options):
    """The wide read and the careful one agree: the same dataset, or the same error."""
    try:
        fast = _read(path, wide_from, **options)
    except WorkbenchError as error:
        with pytest.raises(type(error)) as careful:
            _read(path, CAREFUL, **options)
        assert str(careful.value) == str(error)
        return error
    careful_data = _read(path, CAREFUL, **options)
    assert careful_data.equals(fast), (careful_data.attributes[:5], fast.attributes[:5])
    return fast


def _table(rows: int, columns: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    values = np.round(rng.standard_normal((rows, columns)) * 10, 3)
    values[rng.random((rows, columns)) < 0.01] = np.nan
    return values


def _write(path: Path, values: np.ndarray, labels: dict[int, list[str]] | None = None,
           sep: str = ",", end: str = "\n") -> Path:
    """A header c0..cN and rows of ``values`` (NaN as ?), with the ``labels`` columns
    (index: one cell per row) put in."""
    rows, columns = values.shape
    cells = [["?" if v != v else repr(v) for v in row] for row in values.tolist()]
    for j, column in (labels or {}).items():
        for i in range(rows):
            cells[i][j] = column[i]
    lines = [sep.join(f"c{j}" for j in range(columns))] + [sep.join(r) for r in cells]
    path.write_text(end.join(lines) + end, encoding="utf-8", newline="")
    return path


def test_a_wide_numeric_file_is_read_as_one_column(tmp_path, read_csv_columns):
    # pandas' per-column work and our per-column type decisions made 100 000 columns x
    # 10 rows take 4 s (1.5 x pandas alone); as one column of values, 0.6 s.
    values = _table(10, 3000)
    d = read_csv(_write(tmp_path / "w.csv", values))
    assert read_csv_columns == [1]
    np.testing.assert_array_equal(d.X, values)
    assert all(a.type is AttributeType.NUMERIC for a in d.attributes)
    assert [a.name for a in d.attributes[:2]] == ["c0", "c1"]


def test_label_columns_anywhere_are_read_apart(tmp_path, read_csv_columns):
    rows, columns = 30, 2500
    values = _table(rows, columns, seed=1)
    rng = np.random.default_rng(2)
    labels = {0: [f"id{k}" for k in range(rows)],
              700: [["red", "green", "?"][k] for k in rng.integers(0, 3, rows)],
              columns - 1: [["yes", "no"][k] for k in rng.integers(0, 2, rows)]}
    d = both(_write(tmp_path / "w.csv", values, labels), wide_from=WIDE_COLUMNS)
    assert read_csv_columns[:2] == [1, 3]   # numbers as one column, then the 3 labels
    numbers = [j for j in range(columns) if j not in labels]
    np.testing.assert_array_equal(d.X[:, numbers], values[:, numbers])
    assert d.attributes[700].values == ("red", "green")
    assert np.isnan(d.X[:, 700]).sum() == labels[700].count("?")
    assert d.attributes[-1].type is AttributeType.NOMINAL


def test_quoted_labels_as_r_writes_them(tmp_path, read_csv_columns):
    # write.csv in R quotes the header and every text value, never a number.
    values = _table(12, 2100, seed=3)
    ids = [f'"sample {k}, batch {k % 3}"' if k % 2 else f'"s""{k}"' for k in range(12)]
    path = _write(tmp_path / "r.csv", values, {0: ids})
    text = path.read_text()
    header, rest = text.split("\n", 1)
    path.write_text(",".join(f'"{n}"' for n in header.split(",")) + "\n" + rest)
    both(path, wide_from=WIDE_COLUMNS)
    # A quoted label holding a comma cannot be cut at commas: the careful reader reads.
    assert read_csv_columns[0] == 2100


def test_label_cells_far_down_are_found(tmp_path, read_csv_columns):
    values = _table(40, 2200, seed=4)
    late = ["1.5"] * 40
    late[35] = "n/a"   # the first lines guess this column numeric
    d = both(_write(tmp_path / "w.csv", values, {1000: late}), wide_from=WIDE_COLUMNS)
    assert read_csv_columns[:3] == [1, 1, 1]   # guess, every line searched, the labels
    assert d.attributes[1000].values == ("1.5", "n/a")


def test_iso_dates_and_forced_types(tmp_path):
    values = _table(8, 2050, seed=5)
    dates = [f"2024-03-0{k + 1}" for k in range(8)]
    codes = [str(k % 3) for k in range(8)]
    path = _write(tmp_path / "w.csv", values, {0: dates, 5: codes})
    d = both(path, wide_from=WIDE_COLUMNS, nominal=["c5"], string=[7], numeric=["c0"])
    assert isinstance(d, DataFormatError)   # the date column is not a number
    d = both(path, wide_from=WIDE_COLUMNS, nominal=["c5"], string=[7])
    assert d.attributes[0].type is AttributeType.DATE
    assert d.attributes[5].values == ("0", "1", "2")
    assert d.attributes[7].type is AttributeType.STRING


@pytest.mark.parametrize("sep, end", [(";", "\n"), ("\t", "\r\n"), (",", "\r\n")])
def test_other_separators_and_line_ends(tmp_path, sep, end, read_csv_columns):
    values = _table(6, 2300, seed=6)
    d = both(_write(tmp_path / "w.csv", values, sep=sep, end=end), wide_from=WIDE_COLUMNS)
    assert read_csv_columns[0] == 1
    np.testing.assert_array_equal(d.X, values)


@pytest.mark.parametrize("change", [
    lambda rows: [*rows[:3], rows[3] + ",1", *rows[4:]],            # a long row
    lambda rows: [*rows[:3], rows[3].rsplit(",", 1)[0], *rows[4:]],  # a short row
    lambda rows: [*rows[:3], rows[3] + ",1", rows[4].rsplit(",", 1)[0], *rows[5:]],
    lambda rows: [*rows[:3], "", *rows[3:]],                        # a blank line
    lambda rows: [*rows[:3], "  ", *rows[3:]],                      # a blank-looking one
    lambda rows: [*rows, "", ""],                                   # blank lines at the end
    lambda rows: [r.replace(",", ", ", 1) for r in rows],           # spaces after commas
    lambda rows: [rows[0], *(r + "," for r in rows[1:])],           # trailing commas
    lambda rows: [rows[0], *(r.replace(",", ",,", 1) for r in rows[1:])],
    lambda rows: [rows[0], rows[1].replace(",", ',"', 1), *rows[2:]],   # an open quote
    lambda rows: [r.replace("\n", "\r") for r in rows],
])
def test_rows_of_other_shapes_read_as_the_careful_reader_reads_them(tmp_path, change):
    values = _table(10, WIDE_COLUMNS + 10, seed=7)
    path = _write(tmp_path / "w.csv", values)
    rows = path.read_text().split("\n")[:-1]
    path.write_text("\n".join(change(rows)) + "\n")
    both(path, wide_from=WIDE_COLUMNS)


def test_title_lines_no_header_no_final_line_break_and_a_bom(tmp_path):
    values = _table(5, 2001, seed=8)
    path = _write(tmp_path / "w.csv", values)
    text = path.read_text()
    body = text.split("\n", 1)[1].rstrip("\n")
    path.write_bytes(b"\xef\xbb\xbfmeasured 2024\nby hand\n" + text.encode().rstrip(b"\n"))
    d = both(path, wide_from=WIDE_COLUMNS, skip_lines=2)
    np.testing.assert_array_equal(d.X, values)
    path.write_text(body)
    d = both(path, wide_from=WIDE_COLUMNS, header=False, class_index=-1)
    assert d.attributes[0].name == "att1" and d.class_index == 2000
    np.testing.assert_array_equal(d.X, values)


def test_the_corpus_reads_alike_through_the_wide_path(tmp_path):
    # Every awkward CSV the readers are tested on (quotes, BOMs, CR line ends, ragged
    # rows, look-alikes of missing values...) read with the wide path from 2 columns:
    # whole files, and the starts of files the fuzz tests grow from.
    files = sorted(p for p in reference_datasets().rglob("*")
                   if p.name.lower().endswith((".csv", ".tsv", ".csv.gz")))
    assert files
    for path in files:
        both(path)
    for k, seed in enumerate(corpus_seeds(".csv")):
        path = tmp_path / f"seed{k}.csv"
        path.write_bytes(seed)
        both(path)


# Cells a wide file may hold: each either reads as the careful reader reads it or makes
# the wide path give up (and then the careful reader decides).
CELLS = ["1", "-2.5", "+.5", "1.", "1e5", "1E-3", "1e", "e5", "-", ".", "007", "?", "",
         " 1", "1 ", " ", "inf", "-Infinity", "nan", "NA", "True", "false", "yes", "a b",
         "2024-03-01", "2024-03-01 12:30", "1-2", "1.2.3", "1_0", "0x10", "9" * 25,
         "9007199254740993", '"a"', '"1"', '"?"', '""', '"x""y"', '"a,b"', '"a', 'b"',
         "caf\u00e9", "\u0663", "1\xa0", "#1", "\x1a", "'q'", "\\", '\\"', "1\t2", "1;2"]


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.lists(st.sampled_from(CELLS), min_size=4, max_size=4),
                min_size=1, max_size=6),
       st.sampled_from([",", ";", "\t"]), st.sampled_from(["\n", "\r\n"]),
       st.booleans(), st.sampled_from([{}, {"nominal": [1]}, {"string": ["c2"]},
                                       {"numeric": [0]}, {"missing": ("?", "", "NA")},
                                       {"missing": ("?",)}, {"max_nominal": 1}]))
def test_any_cells_read_as_the_careful_reader_reads_them(rows, sep, end, final, options):
    lines = ["c0,c1,c2,c3".replace(",", sep)] + [sep.join(r) for r in rows]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "w.csv"
        path.write_bytes((end.join(lines) + (end if final else "")).encode())
        both(path, delimiter=sep, **options)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(csv_inputs(CSV_SEEDS + corpus_seeds(".csv")))
def test_mangled_files_read_as_the_careful_reader_reads_them(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.csv"
        path.write_bytes(data)
        both(path)
