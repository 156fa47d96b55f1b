"""What every engine benchmark shares: thread pinning, timing, the torch check, the ratio line.

Each benchmark times our engine and a reference library on the same synthetic seeded data
in the same process with the same number of threads, prints a few human lines, and ends
with exactly ``ratio: R`` (our time / reference time), which scripts and CI parse. When
PyTorch is absent a benchmark prints "PyTorch not installed: skipped" and exits 0.

The machines we run on are shared, so times are the best of a few repeats and still noisy.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

# Runnable as `python benchmarks/engine_mlp.py` from a checkout without installing.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def parse_args(description: str, **defaults: Any) -> argparse.Namespace:
    """Common flags: --threads (both sides), --repeat, and benchmark-specific sizes."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--threads", type=int, default=defaults.pop("threads", 1),
                        help="BLAS / intra-op threads for both libraries")
    parser.add_argument("--repeat", type=int, default=defaults.pop("repeat", 1),
                        help="timed repeats per side; the best one counts")
    parser.add_argument("--cpu-time", action="store_true",
                        help="time each side by this process's CPU time instead of wall "
                             "time (both sides run single-threaded; on a shared, "
                             "overloaded machine wall time mostly measures waiting)")
    for name, value in defaults.items():
        parser.add_argument("--" + name.replace("_", "-"), type=type(value), default=value)
    args = parser.parse_args()
    global _clock
    _clock = time.process_time if args.cpu_time else time.perf_counter
    return args


def require_torch() -> ModuleType:
    """Import torch or end the benchmark politely (exit status 0)."""
    try:
        import torch
    except ImportError:
        print("PyTorch not installed: skipped")
        raise SystemExit(0) from None
    return torch


@contextlib.contextmanager
def threads(n: int, torch: ModuleType | None = None) -> Iterator[None]:
    """Pin both sides to ``n`` threads: OpenBLAS via threadpoolctl (and our backend),
    torch via ``set_num_threads``, so neither wins by using more cores."""
    from threadpoolctl import threadpool_limits

    from workbench.engine import backend

    if torch is not None:
        torch.set_num_threads(n)
    setter = getattr(backend, "set_blas_threads", None)
    if setter is not None:
        setter(n)
    with threadpool_limits(limits=n):
        yield


_clock: Callable[[], float] = time.perf_counter


def best_time(fn: Callable[[], Any], repeat: int = 1, warmup: Callable[[], Any] | None = None
              ) -> float:
    """Best time (wall, or CPU with --cpu-time) of ``repeat`` calls of ``fn`` after an
    optional warm-up call."""
    if warmup is not None:
        warmup()
    best = float("inf")
    for _ in range(max(1, repeat)):
        start = _clock()
        fn()
        best = min(best, _clock() - start)
    return best


def compare(ours: Callable[[], Any], theirs: Callable[[], Any], repeat: int = 1,
            warmup: tuple[Callable[[], Any], Callable[[], Any]] | None = None
            ) -> tuple[float, float]:
    """Best times of both sides, runs interleaved so a burst of load hits both alike."""
    if warmup is not None:
        warmup[0]()
        warmup[1]()
    best_ours = best_theirs = float("inf")
    for _ in range(max(1, repeat)):
        best_ours = min(best_ours, best_time(ours))
        best_theirs = min(best_theirs, best_time(theirs))
    return best_ours, best_theirs


def print_ratio(ours: float, reference: float, label: str = "PyTorch") -> None:
    """The human lines, then the machine line ``ratio: R`` that must come last."""
    print(f"workbench: {ours:.3f} s   {label}: {reference:.3f} s")
    print(f"ratio: {ours / reference:.3f}")


def machine_line() -> str:
    return (f"cpus available: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}, "
            f"{blas_line()}")


def blas_line(torch: ModuleType | None = None) -> str:
    """Which BLAS each side multiplies with. GEMM-bound ratios move with it as much as
    with our code: on a recent Intel CPU PyTorch's MKL runs a small float32 GEMM 1.1-1.3x
    faster than NumPy's OpenBLAS, on others the two are level."""
    import numpy  # noqa: F401  (threadpoolctl lists only the libraries already loaded)
    from threadpoolctl import threadpool_info

    numpy_blas = next((f"{i['internal_api']} {i['version']} "
                       f"({i.get('architecture', 'unknown kernel')})"
                       for i in threadpool_info() if i["user_api"] == "blas"
                       and "numpy" in i["filepath"]), "unknown")
    line = f"NumPy's BLAS: {numpy_blas}"
    if torch is not None:
        parts = [name for name, backend in (("MKL", torch.backends.mkl),
                                             ("oneDNN", torch.backends.mkldnn))
                 if backend.is_available()]
        line += f"; PyTorch's: {' + '.join(parts) or 'its own'}"
    return line


def gemm_rates(m: int, k: int, n: int, torch: ModuleType, seconds: float = 0.1
               ) -> tuple[float, float]:
    """Best float32 GFLOP/s of an (m, k) @ (k, n) product in NumPy and in PyTorch, each
    over the same number of calls, interleaved: what the two BLAS give a benchmark's
    own GEMM shape, on this machine, now."""
    import numpy as np

    rng = np.random.default_rng(0)
    a = rng.standard_normal((m, k), dtype=np.float32)
    b = rng.standard_normal((k, n), dtype=np.float32)
    out = np.empty((m, n), dtype=np.float32)
    ta, tb, tout = torch.from_numpy(a), torch.from_numpy(b), torch.from_numpy(out)
    sides = [lambda: np.matmul(a, b, out=out), lambda: torch.mm(ta, tb, out=tout)]
    for side in sides:
        side()
    start = time.perf_counter()
    calls = 0
    while time.perf_counter() - start < seconds / 10:
        sides[0]()
        calls += 1
    best = [float("inf")] * 2
    for _ in range(5):
        for i, side in enumerate(sides):
            start = time.perf_counter()
            for _ in range(calls):
                side()
            best[i] = min(best[i], (time.perf_counter() - start) / calls)
    flops = 2.0 * m * k * n
    return flops / best[0] / 1e9, flops / best[1] / 1e9
