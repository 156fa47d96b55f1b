"""The cost of recording training dynamics: one MNIST MLP epoch with and without.

The tutorials' MNIST MLP (784-500-10 tanh, float32, minibatches of 20, SGD at 0.01, as
in the Theano deep-learning tutorial) trains one epoch on the bundled MNIST test set
(10 000 digits, 500 steps) twice per round: once plainly, once recording per-layer
dynamics every 10 steps (``TrainingDynamics(every=10)``: 50 records of gradient norms,
update ratios, activation statistics and histograms). Rounds alternate the two so load
bursts hit both; the best of three counts for each, in wall time (the ratio) and in this
process's CPU time (printed too: steadier on a shared machine). Goal: the recording run
takes at most 5 % longer (ratio <= 1.05). Smaller steps (a batch of 4) make the same
records a larger share of the epoch.

Before it, a line per data set measures full-batch L-BFGS, which the default mlp uses on
up to 10 000 rows (what a learner meets first): the default mlp on iris and on digits,
trained plainly, recording every iteration (``record_dynamics=1``, the most L-BFGS
records) and recording as the GUI asks (every 10, which under L-BFGS is each of the
first 20 iterations and every 10th after), best of ``--repeat`` interleaved rounds in
CPU time each. Recording leaves the weights as they are, so every run takes the same
iterations. The final ``ratio:`` line is the MNIST SGD epoch's, as before.

    python benchmarks/engine_dynamics.py [--repeat 3] [--every 10] [--threads 1]
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from _common import compare, machine_line, parse_args, print_ratio, threads


def mnist() -> tuple[np.ndarray, np.ndarray]:
    from workbench.data.catalog import bundled_path
    from workbench.data.io import load_dataset

    data = load_dataset(bundled_path("mnist-test"), class_index=-1)
    x = np.column_stack([data.column(i) for i in range(data.num_attributes)
                         if i != data.class_index]).astype(np.float32) / 255.0
    return x, data.class_values.astype(np.int64)


def lbfgs_line(name: str, repeat: int) -> str:
    """The default mlp on a bundled data set (full-batch L-BFGS), plain against recording
    every iteration and every 10: best CPU time of ``repeat`` interleaved rounds each."""
    from workbench.classifiers.mlp import MultilayerPerceptron
    from workbench.data.catalog import bundled_path
    from workbench.data.io import load_dataset

    data = load_dataset(bundled_path(name), class_index=-1)
    cpu: dict[int, list[float]] = {0: [], 1: [], 10: []}
    fitted: dict[int, Any] = {}
    MultilayerPerceptron(max_iterations=5).fit(data)  # warm-up: imports, first calls
    for _ in range(max(1, repeat)):
        for every in (1, 10, 0):
            start = time.process_time()
            fitted[every] = MultilayerPerceptron(record_dynamics=every).fit(data)
            cpu[every].append(time.process_time() - start)
    model, tenth, plain = fitted[1], fitted[10], fitted[0]
    assert model.solver_ == plain.solver_ == "lbfgs"
    assert model.history_.loss == tenth.history_.loss == plain.history_.loss
    each, every10, without = min(cpu[1]), min(cpu[10]), min(cpu[0])
    return (f"L-BFGS {name} ({data.num_instances} rows, mlp {model.sizes_}, "
            f"{plain.history_.epochs} iterations): CPU time recording every iteration "
            f"({model.dynamics_.records} records) {each:.3f} s = {each / without:.3f}x, "
            f"every 10 ({tenth.dynamics_.records} records) {every10:.3f} s = "
            f"{every10 / without:.3f}x, without {without:.3f} s")


def main() -> None:
    args = parse_args(__doc__, repeat=3, every=10, batch_size=20)
    from workbench.engine import functional as F
    from workbench.engine import layers as L
    from workbench.engine import optim
    from workbench.engine.dynamics import TrainingDynamics
    from workbench.engine.training import fit_model

    with threads(args.threads):
        for name in ("iris", "digits"):
            print(lbfgs_line(name, args.repeat))
    x, y = mnist()
    records: list[int] = []
    cpu: dict[bool, list[float]] = {False: [], True: []}

    def epoch(dynamics: Any = None, rows: int = len(x)) -> None:
        model = L.Sequential(L.Dense(784, 500, rng=0), L.Tanh(), L.Dense(500, 10, rng=1))
        start = time.process_time()
        fit_model(model, F.cross_entropy, x[:rows], y[:rows],
                  optim.SGD(model.parameters(), lr=0.01), epochs=1,
                  batch_size=args.batch_size, seed=0, metrics=(), dynamics=dynamics)
        if rows == len(x):  # not the warm-up
            cpu[dynamics is not None].append(time.process_time() - start)
            if dynamics is not None:
                records.append(dynamics.records)

    print(f"MLP 784-500-10 tanh, {len(x)} MNIST rows, batch {args.batch_size}, "
          f"recording every {args.every} steps, {args.threads} thread(s); {machine_line()}")
    with threads(args.threads):
        warm = 2048
        recording, plain = compare(
            lambda: epoch(TrainingDynamics(every=args.every)), epoch, args.repeat,
            warmup=(lambda: epoch(TrainingDynamics(every=args.every), warm),
                    lambda: epoch(None, warm)))
    print(f"records per epoch: {records[-1]}; CPU time with/without recording "
          f"{min(cpu[True]):.3f} s / {min(cpu[False]):.3f} s = "
          f"{min(cpu[True]) / min(cpu[False]):.3f}")
    print_ratio(recording, plain, label="without recording")


if __name__ == "__main__":
    main()
