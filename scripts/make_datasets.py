"""Rebuild the converted datasets in workbench/resources/datasets from their sources.

    .venv/bin/python scripts/make_datasets.py [--shared DIR] [--out DIR] [NAME ...]

Builds ``digits.arff`` (scikit-learn's copy of the UCI 8x8 digits), ``mnist-test.arff.gz``
(the MNIST test set from its IDX files) and ``sentiment.arff`` (the UCI Sentiment
Labelled Sentences). The output is byte-for-byte reproducible: rows keep their source
order, nothing is random, and the gzip header carries no time stamp or file name, so a
rebuild shows no difference under version control.

The WEKA files beside them are copied unchanged and are not touched here.
"""

from __future__ import annotations

import argparse
import gzip
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from workbench.data.arff import write_arff  # noqa: E402
from workbench.data.dataset import Attribute, Dataset  # noqa: E402

OUT = REPO / "workbench" / "resources" / "datasets"
DIGIT_LABELS = tuple(str(d) for d in range(10))


def pixel_attributes(side: int) -> list[Attribute]:
    """``pixel_r_c`` for every row r and column c, row-major, so the image layout is
    recoverable from the names alone."""
    return [Attribute.numeric(f"pixel_{r}_{c}") for r in range(side) for c in range(side)]


def digits_dataset() -> Dataset:
    from sklearn.datasets import load_digits

    bunch = load_digits()
    X = np.column_stack([bunch.data.astype(np.float64), bunch.target.astype(np.float64)])
    attributes = [*pixel_attributes(8), Attribute.nominal("class", DIGIT_LABELS)]
    return Dataset("digits", attributes, X, class_index=-1)


def _idx(path: Path, magic: int) -> np.ndarray:
    """One IDX array (big-endian header: magic, then one uint32 per dimension)."""
    raw = gzip.decompress(path.read_bytes())
    found = int.from_bytes(raw[:4], "big")
    if found != magic:
        raise SystemExit(f"{path}: magic number {found:#x}, expected {magic:#x}")
    ndim = magic & 0xFF
    shape = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(shape)):
        raise SystemExit(f"{path}: {data.size} bytes of data for shape {shape}")
    return data.reshape(shape)


def mnist_dataset(shared: Path) -> Dataset:
    images = _idx(shared / "mnist" / "t10k-images-idx3-ubyte.gz", 0x803)
    labels = _idx(shared / "mnist" / "t10k-labels-idx1-ubyte.gz", 0x801)
    n, rows, cols = images.shape
    if rows != cols or labels.shape != (n,):
        raise SystemExit(f"MNIST shapes do not match: {images.shape} and {labels.shape}")
    X = np.column_stack([images.reshape(n, rows * cols).astype(np.float64),
                         labels.astype(np.float64)])
    attributes = [*pixel_attributes(rows), Attribute.nominal("class", DIGIT_LABELS)]
    return Dataset("mnist-test", attributes, X, class_index=-1)


SENTIMENT_SOURCES = (("amazon", "amazon_cells_labelled.txt"), ("imdb", "imdb_labelled.txt"),
                     ("yelp", "yelp_labelled.txt"))


def sentiment_dataset(shared: Path) -> Dataset:
    sentences: list[str] = []
    sources: list[int] = []
    classes: list[int] = []
    for s, (_, filename) in enumerate(SENTIMENT_SOURCES):
        path = shared / "sentiment" / filename
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            sentence, sep, label = line.rpartition("\t")
            if not sep or label.strip() not in ("0", "1"):
                raise SystemExit(f"{path}:{number}: expected 'sentence<TAB>0|1'")
            sentences.append(sentence.strip())
            sources.append(s)
            classes.append(int(label))
    pool: dict[str, int] = {}
    codes = [pool.setdefault(text, len(pool)) for text in sentences]
    X = np.column_stack([np.asarray(codes, float), np.asarray(sources, float),
                         np.asarray(classes, float)])
    attributes = [Attribute.string("sentence", list(pool)),
                  Attribute.nominal("source", [name for name, _ in SENTIMENT_SOURCES]),
                  Attribute.nominal("class", ("0", "1"))]
    return Dataset("sentiment", attributes, X, class_index=-1)


def _write(dataset: Dataset, filename: str, out: Path) -> Path:
    """ARFF text through the project's writer; ``.gz`` at level 9 with a bare header."""
    target = out / filename
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "data.arff"
        write_arff(dataset, plain, sparse=False)
        data = plain.read_bytes()
    if filename.endswith(".gz"):
        data = gzip.compress(data, compresslevel=9, mtime=0)
    fd, temp = tempfile.mkstemp(dir=out, prefix=f".{filename}.")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(temp, 0o644)  # mkstemp makes 0600; shipped data is world-readable
    os.replace(temp, target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "datasets",
                        help="folder with mnist/ and sentiment/ (default: ../shared/datasets)")
    parser.add_argument("--out", type=Path, default=OUT,
                        help="folder to write to (default: workbench/resources/datasets)")
    parser.add_argument("names", nargs="*", help="digits, mnist-test, sentiment (default: all)")
    args = parser.parse_args(argv)
    shared = args.shared if args.shared.is_dir() else Path("/work/shared/datasets")
    builders: dict[str, tuple[str, Callable[[], Dataset]]] = {
        "digits": ("digits.arff", digits_dataset),
        "mnist-test": ("mnist-test.arff.gz", lambda: mnist_dataset(shared)),
        "sentiment": ("sentiment.arff", lambda: sentiment_dataset(shared)),
    }
    for name in args.names or list(builders):
        if name not in builders:
            parser.error(f"unknown dataset '{name}' (expected {', '.join(builders)})")
        filename, build = builders[name]
        path = _write(build(), filename, args.out)
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
