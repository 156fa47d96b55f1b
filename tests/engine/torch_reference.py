"""Stored PyTorch results, so the engine's torch agreement is checked where torch is not
installed (CI installs the ``dev`` extra, which leaves torch out: it is gigabytes).

A test builds its inputs from a seeded generator, then asks ``reference(name, compute)``
for torch's answer. ``compute`` imports torch and returns the outputs and gradients as
NumPy arrays; its results are kept in ``tests/fixtures/torch/<name>.npz``:

* torch importable and ``WORKBENCH_TORCH_REFERENCES=write``: compute, store, return;
* the file exists: return the stored arrays, and where torch is importable also
  recompute them and fail if they no longer match (a stale file is caught here, on a
  machine with torch, not silently trusted in CI);
* the file is missing: fail with the command that writes it (never skip: a skipped
  comparison is the gap this module closes).

``compute`` must not draw from the test's generator: the inputs have to be the same
whether or not it runs.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "torch"
WRITE_COMMAND = "WORKBENCH_TORCH_REFERENCES=write .venv/bin/python -m pytest tests/engine"

# How closely a recomputation must match what is stored: relative to each array's largest
# finite magnitude (torch's summation order, vectorised or not, may differ between CPUs
# by that much on a cancelling sum), by the precision torch computed in.
_STALE_RTOL = {"float64": 1e-10, "float32": 1e-5}


def torch_available() -> bool:
    """Whether ``import torch`` would succeed, without importing it."""
    try:
        return importlib.util.find_spec("torch") is not None
    except (ImportError, ValueError):
        return False


def reference(name: str,
              compute: Callable[[], Mapping[str, object]]) -> dict[str, np.ndarray]:
    """Torch's arrays for ``name``: stored ones, checked against torch where it exists."""
    path = FIXTURES / f"{name}.npz"
    have_torch = torch_available()
    if have_torch and os.environ.get("WORKBENCH_TORCH_REFERENCES") == "write":
        fresh, _ = _computed(compute)
        # Rewritten only when torch's numbers changed: the archive stamps the time, and
        # an unchanged reference should not show up as a changed file.
        if not (path.exists() and _same(_load(path), fresh)):
            path.parent.mkdir(parents=True, exist_ok=True)
            np.savez_compressed(path, **fresh)
        return fresh
    if not path.exists():
        where = path.relative_to(FIXTURES.parents[2])
        pytest.fail(f"no stored torch reference {where}; write it on a machine with torch: "
                    f"{WRITE_COMMAND}", pytrace=False)
    stored = _load(path)
    if have_torch:
        fresh, dtypes = _computed(compute)
        assert sorted(fresh) == sorted(stored), (
            f"{path.name} holds {sorted(stored)}, torch now gives {sorted(fresh)}; "
            f"rewrite it: {WRITE_COMMAND}")
        for key, value in fresh.items():
            rtol = _STALE_RTOL["float64" if dtypes[key] == np.float64
                               or dtypes[key].kind in "iub" else "float32"]
            finite = np.abs(value[np.isfinite(value)])
            atol = rtol * float(finite.max()) if finite.size else 0.0
            np.testing.assert_allclose(
                stored[key], value, rtol=rtol, atol=atol,
                err_msg=f"{path.name}[{key}] no longer matches torch; rewrite it: "
                        f"{WRITE_COMMAND}")
    return stored


def _load(path: Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as stored:
        return {key: stored[key] for key in stored.files}


def _same(a: Mapping[str, np.ndarray], b: Mapping[str, np.ndarray]) -> bool:
    return sorted(a) == sorted(b) and all(np.array_equal(a[key], b[key]) for key in a)


def _computed(compute: Callable[[], Mapping[str, object]],
              ) -> tuple[dict[str, np.ndarray], dict[str, np.dtype]]:
    """``compute()``'s arrays as float64 (integers kept as int64), and each one's dtype
    before widening, which sets how closely a recomputation must agree."""
    arrays: dict[str, np.ndarray] = {}
    dtypes: dict[str, np.dtype] = {}
    for key, value in compute().items():
        if hasattr(value, "detach"):
            value = value.detach().cpu().numpy()
        array = np.asarray(value)
        dtypes[key] = array.dtype
        if array.dtype.kind in "iub":
            arrays[key] = array.astype(np.int64)
        else:
            arrays[key] = array.astype(np.float64)
    return arrays, dtypes
