"""SimpleRNN and LSTM over 28 steps x 28 features (an image read row by row), hidden 128.

One epoch of mini-batch SGD (batch 128) on synthetic seeded sequences, a Dense 128-10 on
the last state, cross-entropy: ours (``fit_model``) against ``torch.nn.RNN`` / ``LSTM``
with the same loop in PyTorch. Default 12 800 rows (100 batches) per side, which is
plenty to time and keeps the run short on a shared machine. Goal: ratio <= 0.9 for
each cell (issue 20); the last line is the ratio of the two cells' summed times.
"""

from __future__ import annotations

import numpy as np
from _common import compare, machine_line, parse_args, print_ratio, require_torch, threads


def sequences(rows: int, steps: int = 28, features: int = 28, seed: int = 0
              ) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    prototypes = rng.random((10, steps, features), dtype=np.float32)
    y = rng.integers(0, 10, rows)
    x = prototypes[y] * 0.5 + rng.random((rows, steps, features), dtype=np.float32) * 0.5
    return x.astype(np.float32), y


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
    print_ratio(*totals)


if __name__ == "__main__":
    main()
