"""Time k-NN prediction against scikit-learn's brute-force KNeighborsClassifier.

Both predict the same queries against the same training rows in the same process with the
same BLAS threads: 10 000 queries against 60 000 x 784 float32 rows by default, pixel-like
values 0..255 (as MNIST), scaled by the training range for scikit-learn as IBk does
inside. The last line is ``ratio: R`` = our time / scikit-learn's (target <= 0.5).

    python benchmarks/knn_predict.py [--train 60000] [--test 10000] [--dim 784] [-k 3]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from sklearn.neighbors import KNeighborsClassifier
from threadpoolctl import threadpool_info

from workbench.classifiers.knn import KNearestNeighbours
from workbench.data.dataset import Attribute, Dataset


def make_data(n: int, d: int, n_classes: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Smooth class prototypes plus noise, quantised to 0..255 like image pixels."""
    rng = np.random.default_rng(seed)
    prototypes = rng.uniform(0, 255, (n_classes, d)).astype(np.float32)
    y = rng.integers(0, n_classes, n)
    X = prototypes[y] + rng.normal(0, 60, (n, d)).astype(np.float32)
    X = np.clip(np.rint(X), 0, 255).astype(np.float32)
    X[0], X[1] = 0, 255  # every column spans 0..255, as MNIST pixels nearly do
    return X, y


def as_dataset(X: np.ndarray, y: np.ndarray, n_classes: int) -> Dataset:
    attributes = [Attribute.numeric(f"p{j}") for j in range(X.shape[1])]
    attributes.append(Attribute.nominal("class", [str(c) for c in range(n_classes)]))
    return Dataset("bench", attributes, np.column_stack([X, y]), class_index=X.shape[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", type=int, default=60000)
    parser.add_argument("--test", type=int, default=10000)
    parser.add_argument("--dim", type=int, default=784)
    parser.add_argument("-k", type=int, default=3)
    parser.add_argument("--device", default="cpu", choices=("cpu", "gpu", "auto"))
    args = parser.parse_args()
    classes = 10
    X, y = make_data(args.train + args.test, args.dim, classes, seed=1)
    Xtr, ytr, Xte, yte = X[:args.train], y[:args.train], X[args.train:], y[args.train:]
    Xtr[0], Xtr[1] = 0, 255
    train, test = as_dataset(Xtr, ytr, classes), as_dataset(Xte, yte, classes)
    threads = [(i["internal_api"], i["num_threads"]) for i in threadpool_info()]
    print(f"train {Xtr.shape}, test {Xte.shape}, k={args.k}, BLAS threads {threads}")

    lo, width = Xtr.min(axis=0), Xtr.max(axis=0) - Xtr.min(axis=0)
    width[width == 0] = 1
    ref = KNeighborsClassifier(n_neighbors=args.k, algorithm="brute")
    ref.fit((Xtr - lo) / width, ytr)
    start = time.perf_counter()
    theirs = ref.predict((Xte - lo) / width)
    t_ref = time.perf_counter() - start
    print(f"scikit-learn brute force: {t_ref:.2f} s, accuracy {np.mean(theirs == yte):.4f}")

    ours = KNearestNeighbours(k=args.k, device=args.device).fit(train)  # defaults
    start = time.perf_counter()
    predicted = ours.predict(test)
    t_ours = time.perf_counter() - start
    print(f"workbench knn ({args.device}, float32): {t_ours:.2f} s, accuracy "
          f"{np.mean(predicted == yte):.4f}, agreement with scikit-learn "
          f"{np.mean(predicted == theirs):.4f}")
    print(f"ratio: {t_ours / t_ref:.3f}")


if __name__ == "__main__":
    main()
