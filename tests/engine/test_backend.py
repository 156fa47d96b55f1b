"""backend: device names, transfers, dtype, seeded generators, BLAS threads."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from workbench.core.errors import WorkbenchError
from workbench.engine import backend

HAS_GPU = backend._cupy() is not None


def test_cpu_resolves_to_numpy() -> None:
    assert backend.resolve_device("cpu") == "cpu"
    assert backend.get_xp("cpu") is np
    assert backend.get_xp() is np


def test_auto_picks_gpu_only_when_cupy_sees_one() -> None:
    assert backend.resolve_device("auto") == ("gpu" if HAS_GPU else "cpu")


@pytest.mark.skipif(HAS_GPU, reason="this machine has a GPU")
def test_gpu_without_cupy_is_a_helpful_workbench_error() -> None:
    with pytest.raises(WorkbenchError, match="CuPy"):
        backend.get_xp("gpu")


def test_unknown_device_names_the_choices() -> None:
    with pytest.raises(WorkbenchError, match=r"'tpu'.*cpu, gpu, auto"):
        backend.resolve_device("tpu")


def test_array_module_of_numpy_and_plain_values() -> None:
    assert backend.array_module(np.zeros(2)) is np
    assert backend.array_module(3.0) is np
    assert backend.device_of(np.zeros(2)) == "cpu"


def test_to_device_and_to_host_round_trip_without_copying_on_cpu() -> None:
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    on = backend.to_device(a, "cpu")
    assert on is a
    back = backend.to_host(on)
    assert isinstance(back, np.ndarray)
    np.testing.assert_array_equal(back, a)
    np.testing.assert_array_equal(backend.to_device([1.0, 2.0]), [1.0, 2.0])


def test_to_device_and_to_host_unwrap_tensors() -> None:
    from workbench.engine.tensor import Tensor

    t = Tensor(np.arange(3.0))
    assert backend.to_device(t) is t.data
    assert backend.to_host(t) is t.data


@pytest.mark.gpu
@pytest.mark.skipif(not HAS_GPU, reason="needs CuPy and a GPU")
def test_to_device_gpu_round_trip() -> None:
    import cupy

    a = np.arange(6, dtype=np.float32)
    on = backend.to_device(a, "gpu")
    assert isinstance(on, cupy.ndarray)
    assert backend.array_module(on) is cupy
    np.testing.assert_array_equal(backend.to_host(on), a)


def test_default_dtype_is_float32_and_can_be_switched_temporarily() -> None:
    assert backend.default_dtype() == np.float32
    with backend.default_dtype_as(np.float64):
        assert backend.default_dtype() == np.float64
    assert backend.default_dtype() == np.float32
    with pytest.raises(WorkbenchError, match="float32 or float64"):
        backend.set_default_dtype(np.int32)


def test_seed_rng_repeats_bit_for_bit(xp) -> None:
    a = backend.seed_rng(7, xp).random((5,), dtype=xp.float32)
    b = backend.seed_rng(7, xp).random((5,), dtype=xp.float32)
    c = backend.seed_rng(8, xp).random((5,), dtype=xp.float32)
    assert a.dtype == np.float32
    np.testing.assert_array_equal(backend.to_host(a), backend.to_host(b))
    assert not np.array_equal(backend.to_host(a), backend.to_host(c))


def _blas_threads_now() -> list[int]:
    return [m["num_threads"] for m in threadpool_info() if m["user_api"] == "blas"]


@pytest.mark.skipif(not _blas_threads_now(), reason="no BLAS visible to threadpoolctl")
def test_blas_threads_context_limits_and_restores() -> None:
    import scipy.linalg.blas  # noqa: F401  (loaded by the context anyway: compare alike)

    before = _blas_threads_now()
    with backend.blas_threads(1):
        assert set(_blas_threads_now()) == {1}
    assert _blas_threads_now() == before


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: BLAS runs one thread")
def test_the_limit_reaches_scipys_own_blas_loaded_later() -> None:
    """engine/blas.py multiplies through SciPy's OpenBLAS, a library of its own: in a
    fresh process, a limit set before SciPy was loaded must still hold for it."""
    script = (
        "from threadpoolctl import threadpool_info\n"
        "from workbench.engine import backend\n"
        "with backend.blas_threads(1):\n"
        "    from workbench.engine.blas import add_product\n"
        "    import numpy as np\n"
        "    add_product(np.zeros((2, 2)), np.ones((2, 2)), np.ones((2, 2)))\n"
        "    print(sorted({m['num_threads'] for m in threadpool_info()\n"
        "                  if m['user_api'] == 'blas'}))\n")
    env = {**os.environ}
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.pop(name, None)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         env=env, check=True).stdout
    assert out.strip() == "[1]"


def test_blas_thread_default_is_one_and_validated() -> None:
    assert backend.get_blas_threads() == 1
    with pytest.raises(WorkbenchError, match="at least 1"):
        backend.set_blas_threads(0)


def test_engine_package_import_is_light() -> None:
    # Importing the engine package must not pull in the functions or CuPy.
    spec = importlib.util.find_spec("workbench.engine")
    assert spec is not None
    source = open(spec.origin).read()  # noqa: SIM115 - tiny file
    assert "import" not in source.split('"""', 2)[-1]
