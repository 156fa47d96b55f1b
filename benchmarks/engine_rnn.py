"""SimpleRNN and LSTM over 28 steps x 28 features (an image read row by row), hidden 128.

One epoch of mini-batch SGD (batch 128) on synthetic seeded sequences, a Dense 128-10 on
the last state, cross-entropy: ours (``fit_model``) against ``torch.nn.RNN`` / ``LSTM``
with the same loop in PyTorch. Default 12 800 rows (100 batches) per side, which is
plenty to time and keeps the run short on a shared machine. Goal: ratio <= 0.9 for
each cell (issue 20); the last line is the ratio of the two cells' summed times.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from _common import (
    best_time,
    blas_line,
    compare,
    gemm_rates,
    machine_line,
    parse_args,
    print_ratio,
    require_torch,
    threads,
)


def sequences(rows: int, steps: int = 28, features: int = 28, seed: int = 0
              ) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    prototypes = rng.random((10, steps, features), dtype=np.float32)
    y = rng.integers(0, 10, rows)
    x = prototypes[y] * 0.5 + rng.random((rows, steps, features), dtype=np.float32) * 0.5
    return x.astype(np.float32), y


def lstm_gemm_floor(rows: int, batch: int, steps: int, features: int, hidden: int) -> None:
    """Only the three GEMMs each step of our fused LSTM makes in one epoch (forward gates,
    backward state, weight gradient added in place), shapes as the op makes them: the
    floor of our step-by-step form on NumPy's BLAS. (PyTorch's oneDNN path sums the
    weight gradient over all steps in one larger GEMM, so this is not its floor.)"""
    from workbench.engine.blas import add_product

    width = hidden + features + 1
    rng = np.random.default_rng(0)
    weights = rng.standard_normal((4 * hidden, width), dtype=np.float32)
    recurrent_t = rng.standard_normal((hidden, 4 * hidden), dtype=np.float32)
    grad = np.zeros_like(weights)
    # made once, outside the timed products (a short last batch takes their first columns)
    full_inputs = rng.standard_normal((width, batch), dtype=np.float32)
    full_gates = np.empty((4 * hidden, batch), dtype=np.float32)
    full_state = np.empty((hidden, batch), dtype=np.float32)
    for start in range(0, rows, batch):
        n = min(batch, rows - start)
        inputs, gates, state = (a if n == batch else np.ascontiguousarray(a[:, :n])
                                for a in (full_inputs, full_gates, full_state))
        for _ in range(steps):
            np.matmul(weights, inputs, out=gates)
        for _ in range(steps):
            add_product(grad, gates, inputs.T)
            np.matmul(recurrent_t, gates, out=state)


def print_lstm_floor(torch: Any, their_time: float, rows: int, batch: int, steps: int,
                     features: int, hidden: int, repeat: int) -> None:
    """What NumPy's BLAS alone costs the LSTM, and how fast each side's BLAS multiplies
    the step's GEMM: the two lines that say how much of a ratio is ours to win."""
    width = hidden + features + 1
    ours, theirs = gemm_rates(4 * hidden, width, batch, torch)
    print(f"float32 GEMM of the LSTM step ({4 * hidden} x {width} x {batch}): NumPy "
          f"{ours:.0f} GFLOP/s, PyTorch {theirs:.0f} GFLOP/s ({blas_line(torch)})")
    floor = best_time(lambda: lstm_gemm_floor(rows, batch, steps, features, hidden), repeat)
    print(f"the LSTM's three GEMMs per step alone take {floor:.3f} s on NumPy's BLAS: "
          f"ratio {floor / their_time:.3f} against PyTorch before any gate "
          f"is computed")


def main() -> None:
    args = parse_args(__doc__, repeat=2, rows=12800, hidden=128, batch_size=128, lr=0.05)
    torch = require_torch()
    from workbench.engine import functional as F
    from workbench.engine import layers as L
    from workbench.engine import optim
    from workbench.engine.training import fit_model

    x, y = sequences(args.rows)
    print(f"RNN 28x28 -> {args.hidden} -> 10, {args.rows} rows, batch {args.batch_size}, "
          f"SGD lr {args.lr}, {args.threads} thread(s); {machine_line()}")
    totals = [0.0, 0.0]
    with threads(args.threads, torch):
        for cell in ("SimpleRNN", "LSTM"):
            def ours(x: np.ndarray = x, y: np.ndarray = y, cell: str = cell) -> None:
                model = L.Sequential(getattr(L, cell)(28, args.hidden, rng=0),
                                     L.Dense(args.hidden, 10, rng=1))
                fit_model(model, F.cross_entropy, x, y,
                          optim.SGD(model.parameters(), lr=args.lr), epochs=1,
                          batch_size=args.batch_size, seed=0, metrics=())

            def theirs(x: np.ndarray = x, y: np.ndarray = y, cell: str = cell) -> None:
                tx, ty = torch.from_numpy(x), torch.from_numpy(y)
                torch.manual_seed(0)
                rnn = (torch.nn.RNN if cell == "SimpleRNN" else torch.nn.LSTM)(
                    28, args.hidden, batch_first=True)
                head = torch.nn.Linear(args.hidden, 10)
                opt = torch.optim.SGD([*rnn.parameters(), *head.parameters()], lr=args.lr)
                for idx in torch.randperm(len(tx)).split(args.batch_size):
                    states, _ = rnn(tx[idx])
                    loss = torch.nn.functional.cross_entropy(head(states[:, -1]), ty[idx])
                    opt.zero_grad()
                    loss.backward()
                    opt.step()

            ours_time, their_time = compare(
                ours, theirs, args.repeat,
                warmup=(lambda ours=ours: ours(x[:1024], y[:1024]),
                        lambda theirs=theirs: theirs(x[:1024], y[:1024])))
            totals[0] += ours_time
            totals[1] += their_time
            print(f"{cell}: workbench {ours_time:.3f} s, PyTorch {their_time:.3f} s, "
                  f"ratio {ours_time / their_time:.3f}")
            if cell == "LSTM":
                print_lstm_floor(torch, their_time, args.rows, args.batch_size, 28, 28,
                                 args.hidden, args.repeat)
    print_ratio(*totals)


if __name__ == "__main__":
    main()
