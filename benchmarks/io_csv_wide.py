"""Time ``read_csv`` on a wide CSV file against ``pandas.read_csv`` on the same file.

A wide file (20 000 columns x 100 rows by default: gene expression, pixels, one-hot
text) used to cost about 0.3 ms per column in our per-column type decisions, ten times
pandas' own parse. Generates seeded numbers (a few ``?``) plus a few text columns in a
temporary directory, reads it alternately with both readers, and prints the best of
three. The last line is exactly ``ratio: R`` (ours / pandas.read_csv).

Run: ``OMP_NUM_THREADS=1 .venv/bin/python benchmarks/io_csv_wide.py [rows] [columns]``
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.data.csv import read_csv


def _best_of_alternating(repeats: int, *reads: Callable[[], object]) -> list[float]:
    """Best times of several readers run in turn, so a busy machine slows them alike."""
    best = [float("inf")] * len(reads)
    for _ in range(repeats):
        for k, read in enumerate(reads):
            start = time.perf_counter()
            read()
            best[k] = min(best[k], time.perf_counter() - start)
    return best


def write_wide(path: Path, rows: int, columns: int) -> None:
    """Seeded numbers with a few missing values, and every 100th column a label."""
    rng = np.random.default_rng(20261205)
    values = np.round(rng.standard_normal((rows, columns)) * 10.0, 3).astype(object)
    values[rng.random((rows, columns)) < 0.001] = "?"
    labels = np.array(["red", "green", "blue"], dtype=object)
    for j in range(0, columns, 100):
        values[:, j] = labels[rng.integers(0, 3, rows)]
    frame = pd.DataFrame(values, columns=[f"c{j}" for j in range(columns)])
    frame.to_csv(path, index=False)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    columns = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "wide.csv"
        write_wide(path, rows, columns)
        dataset = read_csv(path)
        assert dataset.num_attributes == columns and dataset.num_instances == rows
        ours, theirs = _best_of_alternating(
            3, lambda: read_csv(path),
            lambda: pd.read_csv(path, na_values=["?"], keep_default_na=False))
    print(f"{rows} rows x {columns} columns, {path.name}")
    print(f"workbench read_csv  {ours:8.3f} s  ({ours / columns * 1e3:.3f} ms per column)")
    print(f"pandas.read_csv     {theirs:8.3f} s")
    print(f"ratio: {ours / theirs:.2f}")


if __name__ == "__main__":
    main()
