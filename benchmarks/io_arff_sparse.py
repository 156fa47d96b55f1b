"""Time ``read_arff`` on a wide sparse ARFF file against liac-arff on the same file.

WEKA's StringToWordVector writes sparse rows, ``{0 1,17 3,...,10000 pos}``, over 10 000 to
100 000 word attributes with a nominal class last. Generates such a file (seeded word
counts, 20-100 non-zeros a row) in a temporary directory, checks that both readers give
the same values, reads it alternately with both, and prints the best times, the memory
our dataset holds (CSR) and what the memory estimate charged before parsing. Also
printed, not in the ratio: a minimal NumPy/SciPy parse of the same rows (a floor: no
checks at all). The last line is exactly ``ratio: R`` (ours / ``arff.load`` of
liac-arff, ``return_type=arff.COO``); without liac-arff the floor is the reference.

Run: ``.venv/bin/python benchmarks/io_arff_sparse.py [--attributes 100000]
[--rows 20000] [--repeat 3] [--cpu-time]``

On the 2-core EPYC (``--repeat 3 --cpu-time``, a busy machine: load 1.6-2.7), the
default file: ratio 1.06-1.32 when every row was read on its own (``arff_rows``),
0.43-0.52 with blocks of rows read at once (``arff_sparse``): ours 1.4-1.6 s, liac-arff
2.2-3.3 s, floor 0.9-1.5 s. Half of our time is now the header of 100 000 attributes
and their decoders (0.65 s); the rows take 0.45 s (1.6-2.0 s before). Times of one
process move by up to half from run to run there; the ratio, both sides timed in turn
in one process, moves less.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from _common import best_time, compare, parse_args, print_ratio

from workbench.data.arff import read_arff
from workbench.data.packed import parse_cost

CLASSES = ("pos", "neg")


def write_sparse(path: Path, rows: int, attributes: int) -> sp.csr_matrix:
    """A StringToWordVector-like file: ``attributes`` numeric word counts and a nominal
    class last, each row 20-100 non-zero counts; its matrix (class codes last)."""
    rng = np.random.default_rng(20261207)
    indptr, indices, data = [0], [], []
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("@relation 'words'\n\n")
        handle.writelines(f"@attribute w{j} numeric\n" for j in range(attributes))
        handle.write("@attribute class {pos,neg}\n\n@data\n")
        for _ in range(rows):
            cols = np.sort(rng.choice(attributes, rng.integers(20, 101), replace=False))
            counts = rng.integers(1, 6, len(cols))
            label = int(rng.integers(0, 2))
            pairs = [f"{j} {v}" for j, v in zip(cols.tolist(), counts.tolist(), strict=True)]
            handle.write("{" + ",".join([*pairs, f"{attributes} {CLASSES[label]}"]) + "}\n")
            indices += [*cols.tolist(), attributes]
            data += [*counts.tolist(), float(label)]
            indptr.append(len(indices))
    X = sp.csr_matrix((np.array(data, dtype=np.float64), indices, indptr),
                      shape=(rows, attributes + 1))
    X.eliminate_zeros()   # class 'pos' is code 0
    return X


_PAIR = re.compile(rb"(\d+) ([^,}]+)")


def floor_read(data: bytes, attributes: int) -> sp.csr_matrix:
    """The rows read with no checks: pairs by one regular expression, the class by a
    dictionary; what any reader must at least do."""
    section = data[data.index(b"\n@data\n") + 7:]
    indptr, indices, values = [0], [], []
    codes = {c.encode(): float(k) for k, c in enumerate(CLASSES)}
    for line in section.splitlines():
        for index, value in _PAIR.findall(line):
            j = int(index)
            indices.append(j)
            values.append(codes[value] if j == attributes else float(value))
        indptr.append(len(indices))
    X = sp.csr_matrix((np.array(values), np.array(indices), np.array(indptr)),
                      shape=(len(indptr) - 1, attributes + 1))
    X.eliminate_zeros()
    return X


def main() -> float:
    args = parse_args(__doc__.splitlines()[0], attributes=100_000, rows=20_000, repeat=3)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "words.arff"
        expected = write_sparse(path, args.rows, args.attributes)
        data = path.read_bytes()
        ours_data = read_arff(path)
        X = ours_data.X
        if not isinstance(X, sp.csr_matrix) or (expected != X).nnz:
            raise SystemExit("read_arff does not give the generated matrix as CSR")
        try:
            import arff as liac
        except ImportError:
            liac = None
        floor = best_time(lambda: floor_read(data, args.attributes), args.repeat)
        if liac is not None:
            def theirs() -> dict[str, Any]:
                with open(path, encoding="utf-8") as handle:
                    return liac.load(handle, return_type=liac.COO)
            values, rows, cols = theirs()["data"]
            got = sp.coo_matrix((np.where(np.array(cols) == args.attributes,
                                          [float(CLASSES.index(v)) if isinstance(v, str)
                                           else v for v in values], values).astype(float),
                                 (rows, cols)), shape=expected.shape).tocsr()
            got.eliminate_zeros()
            if (got != expected).nnz:
                raise SystemExit("liac-arff does not give the generated matrix")
            ours, reference = compare(lambda: read_arff(path), theirs, args.repeat)
            label = "liac-arff"
        else:
            ours = best_time(lambda: read_arff(path), args.repeat)
            reference, label = floor, "the floor (liac-arff not installed)"
    held = X.data.nbytes + X.indices.nbytes + X.indptr.nbytes
    dense = X.shape[0] * X.shape[1] * 8
    print(f"{args.rows} rows x {args.attributes + 1} attributes, {X.nnz} non-zeros, "
          f"{len(data) / 1e6:.1f} MB")
    print(f"dataset holds CSR: {held / 2**20:.1f} MiB (dense would be {dense / 2**30:.1f} "
          f"GiB); estimate charged before parsing "
          f"{parse_cost(data, columns=args.attributes + 1) / 2**20:.0f} MiB")
    print(f"workbench read_arff   {ours:8.3f} s")
    print(f"{label:21s} {reference:8.3f} s")
    print(f"floor (regex + CSR)   {floor:8.3f} s  (no checks: not in the ratio)")
    print_ratio(ours, reference, label)
    return ours / reference


if __name__ == "__main__":
    main()
