"""Time ``read_arff`` against ``pandas.read_csv`` on the same numbers.

Generates a seeded dense numeric ARFF file (200 000 x 50 by default, with a few ``?``)
and the same numbers as CSV in a temporary directory, and reports the best of three
reads of each. The issue's target is ours / pandas <= 2.0. When liac-arff is installed,
it is timed too on a smaller file (it is pure Python and would take minutes on the big
one). The last line is exactly ``ratio: R`` (ours / pandas.read_csv) for scripts.

Run: ``OMP_NUM_THREADS=1 .venv/bin/python benchmarks/io_arff.py [rows] [columns]``
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.data.arff import read_arff


def _best_of(repeats: int, read: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        read()
        best = min(best, time.perf_counter() - start)
    return best


def _best_of_alternating(repeats: int, *reads: Callable[[], object]) -> list[float]:
    """Best times of several readers run in turn, so a busy machine slows them alike."""
    best = [float("inf")] * len(reads)
    for _ in range(repeats):
        for k, read in enumerate(reads):
            start = time.perf_counter()
            read()
            best[k] = min(best[k], time.perf_counter() - start)
    return best


def _write_files(directory: Path, rows: int, columns: int) -> tuple[Path, Path]:
    rng = np.random.default_rng(20261124)
    values = np.round(rng.standard_normal((rows, columns)) * 100.0, 6)
    values[rng.random((rows, columns)) < 0.001] = np.nan
    frame = pd.DataFrame(values, columns=[f"a{j}" for j in range(columns)])
    csv_path = directory / "numbers.csv"
    frame.to_csv(csv_path, index=False, na_rep="?")
    arff_path = directory / "numbers.arff"
    with open(arff_path, "w", encoding="utf-8") as handle:
        handle.write("@relation numbers\n\n")
        handle.writelines(f"@attribute a{j} numeric\n" for j in range(columns))
        handle.write("\n@data\n")
        frame.to_csv(handle, index=False, header=False, na_rep="?")
    return arff_path, csv_path


def main(rows: int = 200_000, columns: int = 50) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        arff_path, csv_path = _write_files(Path(tmp), rows, columns)
        size_mb = arff_path.stat().st_size / 1e6
        print(f"dense numeric ARFF: {rows} x {columns}, {size_mb:.1f} MB")
        ours_data = read_arff(arff_path)
        theirs = pd.read_csv(csv_path, na_values=["?"]).to_numpy()
        if not np.array_equal(ours_data.X, theirs, equal_nan=True):
            raise SystemExit("read_arff and pandas.read_csv disagree on the numbers")
        ours, pandas_time = _best_of_alternating(
            3, lambda: read_arff(arff_path), lambda: pd.read_csv(csv_path, na_values=["?"]))
        print(f"workbench read_arff:  {ours:.3f} s")
        print(f"pandas.read_csv:      {pandas_time:.3f} s")
        try:
            import arff as liac
        except ImportError:
            print("liac-arff: not installed, skipped")
        else:
            small_rows = max(1, rows // 20)
            small_dir = Path(tmp) / "small"
            small_dir.mkdir()
            small_arff, _ = _write_files(small_dir, small_rows, columns)
            text = small_arff.read_text(encoding="utf-8")
            liac_time = _best_of(1, lambda: liac.loads(text))
            ours_small = _best_of(3, lambda: read_arff(small_arff))
            print(f"liac-arff on {small_rows} x {columns}: {liac_time:.3f} s "
                  f"(read_arff {ours_small:.3f} s, {liac_time / ours_small:.0f}x faster)")
        ratio = ours / pandas_time
        print(f"ratio: {ratio:.3f}")
        return ratio


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
