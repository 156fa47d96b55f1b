"""Time ``read_arff`` on a wide ARFF file against SciPy's ARFF reader on the same file.

Wide files (bag-of-words text, gene expression) declare tens of thousands to 250 000
numeric attributes over few rows. Reading 250 000 attributes x 10 rows took 13-24 s
(tokenizing each @attribute line, then pandas' per-column work); the goal is well
under 2 s. Generates seeded decimals (a few ``?``) in a temporary directory, checks
that both readers give the same numbers, reads it alternately with both, and prints the
best times. Also printed, not in the ratio: NumPy's C ``loadtxt`` on the data section
alone (a floor: the numbers with no header at all). The last line is exactly
``ratio: R`` (ours / ``scipy.io.arff.loadarff``).

Run: ``.venv/bin/python benchmarks/io_arff_wide.py [--columns 250000] [--rows 10]
[--repeat 3] [--cpu-time]``
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import numpy as np
from _common import best_time, compare, parse_args, print_ratio

from workbench.data.arff import read_arff


def write_wide(path: Path, rows: int, columns: int) -> np.ndarray:
    """A numeric ARFF file of seeded decimals with a few missing values; its matrix."""
    rng = np.random.default_rng(20261206)
    values = np.round(rng.standard_normal((rows, columns)) * 10.0, 3)
    values[rng.random((rows, columns)) < 0.001] = np.nan
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("@relation wide\n\n")
        handle.writelines(f"@attribute w{j} numeric\n" for j in range(columns))
        handle.write("\n@data\n")
        for row in values.tolist():
            handle.write(",".join("?" if v != v else repr(v) for v in row) + "\n")
    return values


def main() -> float:
    args = parse_args(__doc__.splitlines()[0], columns=250_000, rows=10, repeat=3)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "wide.arff"
        values = write_wide(path, args.rows, args.columns)
        from scipy.io import arff as scipy_arff

        ours_data = read_arff(path)
        theirs_data, _ = scipy_arff.loadarff(path)
        theirs_matrix = np.column_stack([theirs_data[n] for n in theirs_data.dtype.names])
        if not (np.array_equal(ours_data.X, values, equal_nan=True)
                and np.array_equal(theirs_matrix, values, equal_nan=True)):
            raise SystemExit("read_arff and scipy.io.arff disagree on the numbers")
        data = path.read_bytes()
        section = data[data.index(b"\n@data\n") + 7:].replace(b"?", b"nan")
        floor = best_time(lambda: np.loadtxt(io.BytesIO(section), delimiter=",",
                                             ndmin=2, comments=None), args.repeat)
        ours, theirs = compare(lambda: read_arff(path), lambda: scipy_arff.loadarff(path),
                               args.repeat)
    print(f"{args.rows} rows x {args.columns} numeric attributes, "
          f"{len(data) / 1e6:.1f} MB")
    print(f"workbench read_arff       {ours:8.3f} s  ({ours / args.columns * 1e6:.2f} us "
          f"per attribute)")
    print(f"scipy.io.arff.loadarff    {theirs:8.3f} s")
    print(f"numpy.loadtxt, data only  {floor:8.3f} s  (no header: a floor, not in the ratio)")
    print_ratio(ours, theirs, "scipy.io.arff")
    return ours / theirs


if __name__ == "__main__":
    main()
