"""Per-step cost: a 4-8-3 sigmoid network, batches of 4, 20 000 SGD steps (momentum 0.2).

Small data train by many tiny steps (150 rows in batches of 4 for 500 epochs is 19 000
steps), where the arithmetic is nothing and each step's fixed cost (the autodiff's
bookkeeping, the optimizer's loop, the training loop's indexing) is everything. Ours:
``fit_model`` on 400 iris-like rows, 200 epochs of 100 batches. PyTorch: the canonical
loop (randperm, index, forward, cross_entropy, zero_grad, backward, step, a running
loss) on the same rows, same shapes, same thread count, in this process. Target: ratio
<= 1.0.
"""

from __future__ import annotations

import numpy as np
from _common import compare, machine_line, parse_args, print_ratio, require_torch, threads


def iris_like(rows: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Four features around three class centres, so the loss actually falls."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(3, 4)).astype(np.float32)
    y = rng.integers(0, 3, rows)
    x = centres[y] + 0.5 * rng.normal(size=(rows, 4)).astype(np.float32)
    return x.astype(np.float32), y


def main() -> None:
    args = parse_args(__doc__, repeat=3, rows=400, steps=20000, batch_size=4, hidden=8,
                      lr=0.3, momentum=0.2)
    torch = require_torch()
    from workbench.engine import functional as F
    from workbench.engine import layers as L
    from workbench.engine import optim
    from workbench.engine.training import fit_model

    x, y = iris_like(args.rows)
    batches = -(-args.rows // args.batch_size)
    epochs = max(1, args.steps // batches)
    print(f"MLP 4-{args.hidden}-3 sigmoid, {args.rows} rows, batch {args.batch_size}, "
          f"{epochs} epochs = {epochs * batches} steps, SGD lr {args.lr} momentum "
          f"{args.momentum}, {args.threads} thread(s); {machine_line()}")
    with threads(args.threads, torch):
        def ours(epochs: int = epochs) -> None:
            model = L.Sequential(L.Dense(4, args.hidden, rng=0), L.Sigmoid(),
                                 L.Dense(args.hidden, 3, rng=1))
            opt = optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
            history = fit_model(model, F.cross_entropy, x, y, opt, epochs=epochs,
                                batch_size=args.batch_size, seed=0, metrics=())
            print(f"  workbench final epoch loss {history.loss[-1]:.4f}")

        def theirs(epochs: int = epochs) -> None:
            tx, ty = torch.from_numpy(x), torch.from_numpy(y)
            torch.manual_seed(0)
            model = torch.nn.Sequential(torch.nn.Linear(4, args.hidden), torch.nn.Sigmoid(),
                                        torch.nn.Linear(args.hidden, 3))
            opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
            for _ in range(epochs):
                total = torch.zeros(())
                for idx in torch.randperm(len(tx)).split(args.batch_size):
                    loss = torch.nn.functional.cross_entropy(model(tx[idx]), ty[idx])
                    opt.zero_grad()
                    loss.backward()
                    opt.step()
                    total += loss.detach() * len(idx)
            print(f"  PyTorch final epoch loss {float(total) / len(tx):.4f}")

        ours_time, their_time = compare(ours, theirs, args.repeat,
                                        warmup=(lambda: ours(2), lambda: theirs(2)))
    steps = epochs * batches
    print(f"per step: workbench {ours_time / steps * 1e6:.1f} us, "
          f"PyTorch {their_time / steps * 1e6:.1f} us")
    print_ratio(ours_time, their_time)


if __name__ == "__main__":
    main()
