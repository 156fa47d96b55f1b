"""LeNet-5 on 28x28 images, float32, batch 128, SGD: one epoch, ours vs PyTorch.

conv 5x5 (1->6, padding 2) - ReLU - max-pool 2 - conv 5x5 (6->16) - ReLU - max-pool 2 -
dense 400-120-84-10. Synthetic seeded MNIST-like images; by default 6 400 rows (50
batches) per side rather than 60 000, because a full epoch on both sides takes minutes
on a shared 2-core machine and the per-batch cost is what the ratio measures. Goal:
ratio <= 0.9 (best of three repeats, the default).
"""

from __future__ import annotations

import numpy as np
from _common import compare, machine_line, parse_args, print_ratio, require_torch, threads


def images(rows: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    prototypes = rng.random((10, 1, 28, 28), dtype=np.float32)
    y = rng.integers(0, 10, rows)
    x = prototypes[y] * 0.5 + rng.random((rows, 1, 28, 28), dtype=np.float32) * 0.5
    return x.astype(np.float32), y


def main() -> None:
    args = parse_args(__doc__, repeat=3, rows=6400, batch_size=128, lr=0.05)
    torch = require_torch()
    from workbench.engine import functional as F
    from workbench.engine import layers as L
    from workbench.engine import optim
    from workbench.engine.training import fit_model

    x, y = images(args.rows)
    print(f"LeNet-5, {args.rows} rows of 28x28, batch {args.batch_size}, SGD lr {args.lr}, "
          f"{args.threads} thread(s); {machine_line()}")
    with threads(args.threads, torch):
        def ours(x: np.ndarray = x, y: np.ndarray = y) -> None:
            model = L.Sequential(
                L.Conv2D(1, 6, 5, padding=2, rng=0), L.ReLU(), L.MaxPool2D(2),
                L.Conv2D(6, 16, 5, rng=1), L.ReLU(), L.MaxPool2D(2), L.Flatten(),
                L.Dense(400, 120, rng=2), L.ReLU(), L.Dense(120, 84, rng=3), L.ReLU(),
                L.Dense(84, 10, rng=4))
            fit_model(model, F.cross_entropy, x, y, optim.SGD(model.parameters(), lr=args.lr),
                      epochs=1, batch_size=args.batch_size, seed=0, metrics=())

        def theirs(x: np.ndarray = x, y: np.ndarray = y) -> None:
            nn = torch.nn
            tx, ty = torch.from_numpy(x), torch.from_numpy(y)
            torch.manual_seed(0)
            model = nn.Sequential(
                nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                nn.Linear(84, 10))
            opt = torch.optim.SGD(model.parameters(), lr=args.lr)
            for idx in torch.randperm(len(tx)).split(args.batch_size):
                loss = nn.functional.cross_entropy(model(tx[idx]), ty[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()

        warm = min(len(x), 512)
        ours_time, their_time = compare(
            ours, theirs, args.repeat,
            warmup=(lambda: ours(x[:warm], y[:warm]), lambda: theirs(x[:warm], y[:warm])))
    print_ratio(ours_time, their_time)


if __name__ == "__main__":
    main()
