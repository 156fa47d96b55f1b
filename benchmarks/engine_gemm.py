"""How fast this machine multiplies matrices: the floor under every engine timing.

An MLP or LeNet step is mostly GEMMs, so the GEMM rate measured here bounds what any
engine (ours or PyTorch's) can reach on this machine with this many threads. Other
benchmarks import ``measured_gemm_flops`` to turn a model's FLOP count into a lower
bound on its step time; run alone, this prints the rate for a few sizes.

    python benchmarks/engine_gemm.py --threads 1
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _sync(xp: ModuleType) -> None:
    if xp is not np:
        xp.cuda.Device().synchronize()


def measured_gemm_flops(xp: ModuleType, n: int, dtype: Any = np.float32,
                        repeat: int = 5, min_seconds: float = 0.05) -> float:
    """Best observed FLOP/s of an (n, n) @ (n, n) product in ``xp`` with ``dtype``.

    Counts 2 n^3 floating-point operations per product. Each timed sample runs enough
    products to last ``min_seconds`` (small n are dominated by call overhead otherwise);
    the best of ``repeat`` samples counts, since a shared machine only ever slows us.
    """
    rng = np.random.default_rng(0)
    a = xp.asarray(rng.standard_normal((n, n)).astype(dtype))
    b = xp.asarray(rng.standard_normal((n, n)).astype(dtype))
    out = xp.empty((n, n), dtype=dtype)
    xp.matmul(a, b, out=out)  # warm-up: BLAS thread pool, GPU kernels
    _sync(xp)
    calls = 1
    while True:
        start = time.perf_counter()
        for _ in range(calls):
            xp.matmul(a, b, out=out)
        _sync(xp)
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds or calls >= 1 << 16:
            break
        calls *= 2
    best = elapsed / calls
    for _ in range(repeat - 1):
        start = time.perf_counter()
        for _ in range(calls):
            xp.matmul(a, b, out=out)
        _sync(xp)
        best = min(best, (time.perf_counter() - start) / calls)
    return 2.0 * n ** 3 / best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads")
    parser.add_argument("--device", default="cpu", help="cpu, gpu or auto")
    parser.add_argument("--sizes", default="64,256,512,1024")
    args = parser.parse_args()

    from workbench.engine import backend

    xp = backend.get_xp(args.device)
    with backend.blas_threads(args.threads):
        for n in (int(s) for s in args.sizes.split(",")):
            for dtype in (np.float32, np.float64):
                rate = measured_gemm_flops(xp, n, dtype)
                print(f"n={n:5d} {np.dtype(dtype).name:8s} {rate / 1e9:8.2f} GFLOP/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
