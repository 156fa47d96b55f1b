"""MLP 784-500-10 (tanh), float32, batch 128, plain SGD, one epoch of 60 000 MNIST-like rows.

Ours: ``fit_model`` (device-side shuffling, no per-batch host sync). PyTorch: the
canonical loop (randperm, index, forward, cross_entropy, zero_grad, backward, step).
Both run in this process on the same seeded data with the same thread count. Besides the
ratio, prints how far we are from the GEMM lower bound: the epoch's matrix-product FLOPs
divided by the float32 GEMM rate measured here on the same shapes. Target: ratio <= 1.0.
"""

from __future__ import annotations

import numpy as np
from _common import compare, machine_line, parse_args, print_ratio, require_torch, threads


def mnist_like(rows: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Pixels in [0, 1] around ten class prototypes, so the loss actually falls."""
    rng = np.random.default_rng(seed)
    prototypes = rng.random((10, 784), dtype=np.float32)
    y = rng.integers(0, 10, rows)
    x = prototypes[y] * 0.5 + rng.random((rows, 784), dtype=np.float32) * 0.5
    return x.astype(np.float32), y


def gemm_seconds(rows: int, batch: int, hidden: int, repeat: int = 3) -> tuple[float, float]:
    """(epoch GEMM FLOPs, their lower-bound time) from the measured float32 GEMM rate."""
    import time

    rng = np.random.default_rng(1)
    x = rng.random((batch, 784), dtype=np.float32)
    w = rng.random((hidden, 784), dtype=np.float32)
    g = rng.random((batch, hidden), dtype=np.float32)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(20):
            _ = x @ w.T
            _ = g.T @ x
        best = min(best, (time.perf_counter() - start) / 40)
    rate = 2 * batch * 784 * hidden / best
    batches = -(-rows // batch)
    per_batch = 2 * (2 * batch * 784 * hidden + 3 * batch * hidden * 10)
    flops = batches * per_batch
    return flops, flops / rate


def main() -> None:
    args = parse_args(__doc__, repeat=2, rows=60000, hidden=500, batch_size=128, lr=0.01)
    torch = require_torch()
    from workbench.engine import functional as F
    from workbench.engine import layers as L
    from workbench.engine import optim
    from workbench.engine.training import fit_model

    x, y = mnist_like(args.rows)
    print(f"MLP 784-{args.hidden}-10 tanh, {args.rows} rows, batch {args.batch_size}, "
          f"SGD lr {args.lr}, {args.threads} thread(s); {machine_line()}")
    with threads(args.threads, torch):
        def ours(x: np.ndarray = x, y: np.ndarray = y) -> None:
            model = L.Sequential(L.Dense(784, args.hidden, rng=0), L.Tanh(),
                                 L.Dense(args.hidden, 10, rng=1))
            history = fit_model(model, F.cross_entropy, x, y,
                                optim.SGD(model.parameters(), lr=args.lr), epochs=1,
                                batch_size=args.batch_size, seed=0, metrics=())
            print(f"  workbench epoch loss {history.loss[0]:.4f}")

        def theirs(x: np.ndarray = x, y: np.ndarray = y) -> None:
            tx, ty = torch.from_numpy(x), torch.from_numpy(y)
            torch.manual_seed(0)
            model = torch.nn.Sequential(torch.nn.Linear(784, args.hidden), torch.nn.Tanh(),
                                        torch.nn.Linear(args.hidden, 10))
            opt = torch.optim.SGD(model.parameters(), lr=args.lr)
            total = torch.zeros(())
            for idx in torch.randperm(len(tx)).split(args.batch_size):
                loss = torch.nn.functional.cross_entropy(model(tx[idx]), ty[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                total += loss.detach() * len(idx)
            print(f"  PyTorch epoch loss {float(total) / len(tx):.4f}")

        warm = min(len(x), 4096)  # first calls pay for lazy set-up on both sides
        ours_time, their_time = compare(
            ours, theirs, args.repeat,
            warmup=(lambda: ours(x[:warm], y[:warm]), lambda: theirs(x[:warm], y[:warm])))
        flops, floor = gemm_seconds(args.rows, args.batch_size, args.hidden)
    print(f"epoch GEMM work {flops / 1e9:.1f} GFLOP, lower bound {floor:.3f} s at the "
          f"measured float32 GEMM rate {flops / floor / 1e9:.1f} GFLOP/s")
    print(f"ratio to the GEMM lower bound: {ours_time / floor:.3f} "
          f"(PyTorch: {their_time / floor:.3f})")
    print_ratio(ours_time, their_time)


if __name__ == "__main__":
    main()
