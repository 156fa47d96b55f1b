"""Time ``read_csv`` on a wide CSV file against ``pandas.read_csv`` on the same file.

A wide file (gene expression, pixels, exported bag-of-words) has 10 000 to 250 000
columns. pandas' per-column work and our per-column type decisions made 100 000 columns
x 10 rows take 4.5 s, 1.55 times pandas alone; ``csv_wide`` reads the numbers as one
column. Generates seeded numbers (a few ``?``) with every 100th column a label
(red/green/blue) in a temporary directory, checks that the numbers agree with pandas',
reads it alternately with both readers, and prints the best times. The last line is
exactly ``ratio: R`` (ours / ``pandas.read_csv``).

Run: ``.venv/bin/python benchmarks/io_csv_wide.py [rows] [columns] [--repeat 3]
[--cpu-time]`` (rows 100 and columns 20 000 by default; ``--rows``/``--columns`` too).
A file over the readers' 256 MiB text limit (1 000 rows of 100 000 columns is 670 MB)
is refused as it would be in use.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from _common import compare, parse_args, print_ratio

from workbench.data.csv import read_csv


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


def _positional_sizes(argv: list[str]) -> list[str]:
    """``io_csv_wide.py 10 100000`` as ``--rows 10 --columns 100000`` (the old form)."""
    sizes: list[str] = []
    while argv and argv[0].isdigit() and len(sizes) < 2:
        sizes.append(argv.pop(0))
    return argv + [flag for name, size in zip(("--rows", "--columns"), sizes, strict=False)
                   for flag in (name, size)]


def main() -> float:
    sys.argv[1:] = _positional_sizes(sys.argv[1:])
    args = parse_args(__doc__.splitlines()[0], rows=100, columns=20_000, repeat=3)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "wide.csv"
        write_wide(path, args.rows, args.columns)

        def theirs() -> pd.DataFrame:
            return pd.read_csv(path, na_values=["?"], keep_default_na=False)

        ours_data, frame = read_csv(path), theirs()
        numbers = [j for j in range(args.columns) if j % 100]
        if not np.array_equal(ours_data.X[:, numbers],
                              frame.iloc[:, numbers].to_numpy(dtype=np.float64),
                              equal_nan=True):
            raise SystemExit("read_csv and pandas.read_csv disagree on the numbers")
        size = path.stat().st_size
        ours, reference = compare(lambda: read_csv(path), theirs, args.repeat)
    print(f"{args.rows} rows x {args.columns} columns, {size / 1e6:.1f} MB")
    print(f"workbench read_csv  {ours:8.3f} s  ({ours / args.columns * 1e6:.2f} us per column)")
    print(f"pandas.read_csv     {reference:8.3f} s")
    print_ratio(ours, reference, "pandas.read_csv")
    return ours / reference


if __name__ == "__main__":
    main()
