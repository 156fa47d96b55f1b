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
    # (measured: 40 MB of them took 3.8 GB). The estimate counts the rows.
    path = tmp_path / "rows.arff.gz"
    path.write_bytes(gzip.compress(SPARSE, mtime=0))
    free(20 << 20)
    with pytest.raises(DataFormatError, match=r"rows\.arff\.gz: reading this file would "
                       r"take about 3\d MiB of memory \(175 KiB of text in 60004 lines\), "
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
    csv.write_bytes(b"a\n" + b"0\n" * 300_000)     # 600 kB, 300 000 rows
    with pytest.raises(DataFormatError, match=r"rows\.csv: reading this file would take "
                       r"about 3\d MiB"):
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
    assert packed.parse_cost(row) * rows < packed.PARSE_BUDGET
