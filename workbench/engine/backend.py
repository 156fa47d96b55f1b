"""Which array module the engine runs on, and the only sanctioned ways across the bus.

Every engine function is written once against ``xp``: NumPy on the CPU, CuPy on an
NVIDIA GPU (Chainer's lesson). This module resolves ``xp`` from a device name, moves
arrays between host and device (``to_device`` / ``to_host`` are the *only* sanctioned
transfers), holds the default float dtype (float32), makes seeded generators, pins BLAS
threads, and offers a strict-transfer mode that catches hidden device-to-host copies in
CPU-only test runs.

Strict transfers, the mechanism: a hidden ``float(loss)`` or ``.item()`` per batch is
harmless on the CPU and a synchronising device-to-host copy on the GPU, so it only shows
up as slowness on a machine the tests rarely see. Under ``strict_transfers()`` (or with
the environment variable ``WORKBENCH_STRICT_TRANSFERS=1``), ``to_device(a, "cpu")`` and
every ``Tensor`` created from a NumPy array wrap the array as a ``StrictArray``: an
``ndarray`` view whose ``__float__``, ``__int__``, ``__index__``, ``__bool__``,
``__complex__``, ``__array__``, ``item()`` and ``tolist()`` raise ``ImplicitTransferError``.
NumPy ufuncs and reductions propagate the subclass, and indexing keeps 0-d results as
``StrictArray`` (like a 0-d CuPy array) instead of handing back a host scalar, so a value
computed from strict inputs stays strict until ``to_host`` unwraps it. One limit:
``numpy.asarray(strict)`` on a subclass cannot be intercepted (NumPy views it as a base
``ndarray`` without asking the subclass), so engine code must never use ``np.asarray`` to
reach the host; it uses ``to_host``, which is also what CuPy forces on the GPU.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import numpy as np

from workbench.core.errors import WorkbenchError

_DEVICES = ("cpu", "gpu", "auto")
_default_dtype: np.dtype = np.dtype(np.float32)
_blas_threads: int | None = 1
_strict: bool = os.environ.get("WORKBENCH_STRICT_TRANSFERS", "") not in ("", "0")


class DeviceError(WorkbenchError):
    """A device was asked for that this machine cannot provide."""


class ImplicitTransferError(RuntimeError):
    """Engine code converted a device array to a host value without ``to_host``.

    A RuntimeError rather than a WorkbenchError: it is a bug in Workbench, not something
    a user caused.
    """


# --- array modules -----------------------------------------------------------------


def _cupy() -> ModuleType | None:
    """CuPy when importable and a GPU answers, else None (imported only when asked for)."""
    try:
        import cupy
    except Exception:  # ImportError, or a broken CUDA install raising on import
        return None
    try:
        return cupy if cupy.is_available() else None
    except Exception:
        return None


def resolve_device(device: str) -> str:
    """Map "auto" to "gpu" when CuPy sees a GPU, else "cpu"; check "cpu"/"gpu" are usable."""
    if device not in _DEVICES:
        raise DeviceError(f"unknown device {device!r} (expected one of {', '.join(_DEVICES)})")
    if device == "cpu":
        return "cpu"
    if device == "auto":
        return "gpu" if _cupy() is not None else "cpu"
    if _cupy() is None:
        raise DeviceError(
            "device 'gpu' needs CuPy and an NVIDIA GPU: install the 'gpu' extra "
            "(pip install 'mlworkbench[gpu]', i.e. cupy-cuda12x) and check that "
            "nvidia-smi sees a GPU, or use device 'cpu' / 'auto'")
    return "gpu"


def get_xp(device: str = "cpu") -> ModuleType:
    """The array module for a device name: numpy for "cpu", cupy for "gpu"."""
    if resolve_device(device) == "cpu":
        return np
    import cupy

    return cupy


def array_module(a: Any) -> ModuleType:
    """numpy or cupy, whichever ``a`` lives in (like ``cupy.get_array_module``).

    Checked by type module name so that CuPy is never imported on a CPU-only machine.
    """
    if isinstance(a, np.ndarray) or type(a).__module__.split(".", 1)[0] != "cupy":
        return np
    import cupy

    return cupy


def device_of(a: Any) -> str:
    """ "gpu" for a CuPy array, else "cpu"."""
    return "cpu" if array_module(a) is np else "gpu"


def to_device(a: Any, device: str = "cpu") -> Any:
    """Put ``a`` (array, list, scalar) on ``device``; one host-to-device copy for the GPU.

    No copy when ``a`` already lives there. Under strict transfers, CPU arrays come back
    as ``StrictArray`` views (see the module docstring). A Tensor gives its array.
    """
    if hasattr(a, "requires_grad") and hasattr(a, "data"):  # a Tensor (no import cycle)
        a = a.data
    if resolve_device(device) == "cpu":
        if array_module(a) is not np:
            a = a.get()
        out = np.asarray(a)
        return out.view(StrictArray) if _strict and type(out) is np.ndarray else out
    import cupy

    return cupy.asarray(to_host(a) if isinstance(a, StrictArray) else a)


def to_host(a: Any) -> np.ndarray:
    """A NumPy ndarray holding ``a``'s values: the one sanctioned device-to-host path."""
    if isinstance(a, StrictArray):
        return a.view(np.ndarray)
    if isinstance(a, np.ndarray):
        return a
    if array_module(a) is not np:
        return a.get()
    if hasattr(a, "data") and hasattr(a, "requires_grad"):  # a Tensor
        return to_host(a.data)
    return np.asarray(a)


# --- dtype and random numbers -------------------------------------------------------


def default_dtype() -> np.dtype:
    """The float dtype new tensors and parameters get: float32 unless changed."""
    return _default_dtype


def set_default_dtype(dtype: Any) -> None:
    """Switch the default float dtype (float32 or float64; float64 for gradient checks)."""
    global _default_dtype
    dt = np.dtype(dtype)
    if dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise WorkbenchError(f"default dtype must be float32 or float64, not {dt}")
    _default_dtype = dt


@contextlib.contextmanager
def default_dtype_as(dtype: Any) -> Iterator[None]:
    """Temporarily use another default dtype (tests and gradient checks use float64)."""
    old = _default_dtype
    set_default_dtype(dtype)
    try:
        yield
    finally:
        set_default_dtype(old)


def seed_rng(seed: int | None, xp: ModuleType = np) -> Any:
    """A seeded Generator living where ``xp`` computes.

    ``numpy.random.default_rng`` (PCG64) on the CPU and ``cupy.random.default_rng``
    (XORWOW) on the GPU, so random draws are made on the device with no transfer. The
    same seed gives bit-identical draws run after run on one device; CPU and GPU streams
    differ from each other. Both offer ``random``, ``standard_normal``, ``integers`` and
    ``uniform`` with a ``dtype`` for the float ones, which is all the engine uses.
    """
    if xp is np:
        return np.random.default_rng(seed)
    return xp.random.default_rng(seed)


# --- BLAS threads ---------------------------------------------------------------------


def get_blas_threads() -> int | None:
    """The module default for ``blas_threads()``; None means "leave the library's own"."""
    return _blas_threads


def set_blas_threads(n: int | None) -> None:
    """Set the default thread count for engine GEMMs and apply it to BLAS now.

    The default is 1: on small shared machines the engine's GEMMs (a few hundred rows)
    run faster on one thread than split across busy cores, and benchmarks pin both sides
    to the same count. Importing the engine changes nothing; this call and
    ``blas_threads()`` do.
    """
    global _blas_threads
    if n is not None and n < 1:
        raise WorkbenchError(f"BLAS threads must be at least 1, not {n}")
    _blas_threads = n
    if n is not None:
        from threadpoolctl import threadpool_limits

        _load_blas_libraries()
        threadpool_limits(limits=n, user_api="blas")


@contextlib.contextmanager
def blas_threads(n: int | None = None) -> Iterator[None]:
    """Limit BLAS to ``n`` threads (the module default when None) inside the block."""
    n = _blas_threads if n is None else n
    if n is None:
        yield
        return
    from threadpoolctl import threadpool_limits

    _load_blas_libraries()
    with threadpool_limits(limits=n, user_api="blas"):
        yield


def _load_blas_libraries() -> None:
    """Load every BLAS the engine calls before limiting threads: threadpoolctl limits
    only libraries already loaded, and SciPy links an OpenBLAS of its own (engine/blas.py
    adds products through it), which would otherwise run on every core."""
    import scipy.linalg.blas  # noqa: F401


# --- strict transfers -----------------------------------------------------------------


def strict_enabled() -> bool:
    """Whether strict-transfer mode is on (context manager or environment variable)."""
    return _strict


@contextlib.contextmanager
def strict_transfers(enabled: bool = True) -> Iterator[None]:
    """Inside the block, implicit device-to-host conversions of engine arrays raise.

    Only arrays that enter through ``to_device`` or ``Tensor(...)`` inside the block are
    strict; see the module docstring for what is caught and the one thing that is not.
    """
    global _strict
    old = _strict
    _strict = enabled
    try:
        yield
    finally:
        _strict = old


def _refuse(what: str) -> Any:
    raise ImplicitTransferError(
        f"implicit device-to-host transfer ({what}) under strict transfers: "
        "use workbench.engine.backend.to_host(...) where a host value is really needed")


class StrictArray(np.ndarray):
    """An ndarray that refuses to become a host value except through ``to_host``."""

    def __array_wrap__(self, arr: Any, context: Any = None, return_scalar: bool = False
                       ) -> Any:
        # Keep 0-d results as arrays, as CuPy does, so float() on them is still caught.
        return np.ndarray.__array_wrap__(self, arr, context, False)

    def __getitem__(self, key: Any) -> Any:
        out = np.ndarray.__getitem__(self, key)
        if not isinstance(out, np.ndarray):
            out = np.ndarray.__new__(StrictArray, (), self.dtype, np.asarray(out, self.dtype))
        return out

    def __float__(self) -> float:
        return _refuse("float()")

    def __int__(self) -> int:
        return _refuse("int()")

    def __index__(self) -> int:
        return _refuse("operator.index()")

    def __complex__(self) -> complex:
        return _refuse("complex()")

    def __bool__(self) -> bool:
        return _refuse("bool()")

    # NumPy's signature (dtype positional, copy keyword), so this stays an ndarray to
    # type checkers too.
    def __array__(self, dtype: Any = None, /, *, copy: bool | None = None) -> Any:
        return _refuse("__array__")

    def item(self, *args: Any) -> Any:
        return _refuse(".item()")

    def tolist(self) -> Any:
        return _refuse(".tolist()")

    def __repr__(self) -> str:
        return "StrictArray(" + repr(self.view(np.ndarray)) + ")"

    def __str__(self) -> str:
        return str(self.view(np.ndarray))
