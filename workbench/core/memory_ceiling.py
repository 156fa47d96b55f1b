"""A memory ceiling for work that a file from a stranger sets in motion.

Why: a scikit-learn model cannot be saved without pickle, so its model file holds the
training rows and parameters and the model is refitted on load
(``classifiers/sklearn_refit.py``). Each parameter is bounded, but bounds multiply: a
few MB of rows with 10 000 unlimited trees, or an ``MLPClassifier`` with
``hidden_layer_sizes=[20000, 20000]`` (3 GB per weight matrix, ~16 GB with its gradients
and Adam moments), asks for more memory than the machine has. Linux overcommits, so the
allocations succeed, the pages are touched, and the kernel's OOM killer ends the whole
application, the GUI with the user's unsaved work in it. ``limited_memory()`` turns that
into a ``MemoryError`` in the thread doing the work, which the caller reports as our
error.

How: for as long as the ``with`` block runs, this process's soft ``RLIMIT_DATA`` is
lowered to what it uses now plus a budget, and the previous limit is put back in a
``finally`` (an error, a ``KeyboardInterrupt``: always). An allocation past the ceiling
fails: NumPy and scikit-learn's Cython code raise ``MemoryError``, pure Python too. The
budget defaults to what is free: ``MemAvailable`` of ``/proc/meminfo`` (the kernel's own
estimate of what can be handed out without swapping), or less where this process's
cgroup (a container, a systemd slice) has a memory limit closer by; so a genuine model
whose rebuild fits in free memory still loads, and one that does not fails cleanly
instead of taking the machine down. ``BUDGET`` (or the ``budget`` argument) overrides
it, which is how the tests use a small one.

Choices, measured on Linux 6.x, Python 3.11, NumPy 2.4, scikit-learn 1.9:

- ``RLIMIT_DATA``, not ``RLIMIT_AS``. Both make NumPy and the tree builders raise
  ``MemoryError``. But the address-space limit counts reservations that never become
  memory: after importing scikit-learn a process had VmSize 407 MB against VmData
  255 MB; one 2-thread random-forest fit added 350 MB of VmSize (glibc's per-thread
  malloc arenas reserve 64 MB each, up to 8 per core) but 33 MB of VmData; 10 threads
  added 370 MB against 49 MB. CUDA reserves tens of GB of address space when it starts.
  A budget for ``RLIMIT_AS`` would have to be padded by guesswork; since Linux 4.7
  ``RLIMIT_DATA`` counts private writable mappings (heap, anonymous ``mmap``, thread
  stacks), which is what can become resident, and not the ``PROT_NONE`` reservations.
  (Older kernels counted only ``brk``: there the ceiling silently does not hold.)
- Process-wide, so the window is as short as the work and reference-counted under a
  lock: windows that overlap (two models loading in two threads) share the lowest
  ceiling asked for, and the limit the process had before the first is restored when
  the last one closes, never left lowered. Everything else the process does while it
  is up (the GUI, a training run started meanwhile) shares the ceiling.
- Headroom. ``RLIMIT_DATA`` also counts what a thread reserves without using it: its
  8 MB stack, OpenBLAS's 32 MB buffer on its first product, an OpenMP team started by
  the work. C code that meets the ceiling there does not raise: libgomp ends the
  process ("Thread creation failed"), OpenBLAS retries its malloc for ever (both seen
  with a budget of 20-200 MB and 32 OpenMP threads). So the default budget is what is
  free plus ``HEADROOM`` and ``THREAD_HEADROOM`` for each thread the machine may run:
  the ceiling is there to stop a request for tens of GB, not to count megabytes, and a
  machine with nothing free still lets the work start its threads. A budget given
  explicitly (``BUDGET``, the argument: the tests) is taken as it is.
  Child processes started inside the window inherit the lowered limit, so the caller
  keeps its parallel work in threads (``sklearn_refit`` sets joblib's threading
  backend).
- Rejected: refitting first in a child process under a limit (doubles every load, and
  the child needs scikit-learn imported again: ~1 s); estimating the memory per
  estimator up front (any class under ``sklearn.`` can be named, and each would need
  its own formula, wrong as soon as scikit-learn changes); a cgroup of our own (needs
  delegation from systemd, absent on most desktops); psutil (not a dependency, and
  ``/proc`` tells us the same).
- C code that does not check what ``malloc`` returns crashes (SIGSEGV) when it meets
  the ceiling instead of raising: libsvm (its kernel cache) and liblinear (its copy of
  the rows) do. Such allocations have to be kept from the ceiling by the caller
  (``sklearn_refit`` caps ``cache_size`` and refuses those refits up front when the
  copies would not fit).
- Only Linux. Elsewhere ``limited_memory`` does nothing and yields ``None``: Windows
  has no ``resource`` module, and macOS does not enforce ``RLIMIT_AS``/``RLIMIT_DATA``
  on ``mmap`` and has no ``/proc`` to measure with (it swaps and compresses rather than
  kill). Nothing changes either where ``/proc/meminfo`` cannot be read or the limit
  cannot be set (a sandbox): loading works as before.

``workbench classify`` and ``workbench filter`` train and filter under it too, and so do
the GUI's jobs (``gui/workers.py``: training, filtering and loading in the Explorer):
``memory_for(step)`` is the ceiling with swap (as for a flow node) that turns a
``MemoryError`` inside into ``NotEnoughMemoryError`` naming the step and the budget, so
what no estimate foresaw (a learner's settings multiplying, a filter's output growing)
ends as our error instead of the OOM killer ending the process. The network learners
also estimate their size before building anything (``classifiers/training_memory.py``).

Loading a model uses this, and so does each node of a flow run (``flow/executor.py``),
with ``swap=True``: a flow file from a stranger can ask, with values each in range, for
more than the machine has (a 2 KB flow took 7.2 GB), and in the flow editor the OOM
killer would end the editor with the user's unsaved work. A flow is also the user's own
training, which may rightly need more than the RAM that is free: the kernel would make
room by swapping idle pages of other programs out, and the OOM killer only comes once
swap is full too. So that budget adds what is free of swap (``SwapFree``) where nothing
tighter binds (a cgroup's or a ``ulimit``'s room is a hard limit swap does not widen):
the ceiling stops what would end in the OOM killer, not what would only swap. The
window is one node's run; what is free is measured once per run (``measured_once``)
and each node's budget is that less what the process has taken since; the GUI thread
shares the ceiling meanwhile, which is safe because the ceiling sits above what the
machine can give anyway (the flow editor was checked drawing, editing and saving with
a node failing at a 600 MB ceiling).
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from workbench.core.errors import WorkbenchError

# Bytes the work inside ``limited_memory()`` may add; None: what is free at that moment,
# plus the headroom below.
BUDGET: int | None = None
# Added to what is free for the default budget (module docstring, "Headroom"): for
# the process as a whole, and for each thread the machine may run.
HEADROOM = 256 * 2**20
THREAD_HEADROOM = 64 * 2**20

# Where Linux tells us; constants so that the tests can point them at made-up files.
_MEMINFO = Path("/proc/meminfo")
_STATUS = Path("/proc/self/status")
_CGROUPS = Path("/proc/self/cgroup")
_CGROUP_ROOT = Path("/sys/fs/cgroup")

_lock = threading.Lock()
_open: set[object] = set()                # the windows open now, one token each
_saved: tuple[int, int] | None = None   # the limit before the first open window


def available_memory() -> int | None:
    """Bytes this process can still take without swapping or meeting a limit:
    ``MemAvailable``, or the cgroup's headroom or the room under a ``ulimit`` where
    smaller; None where unknown."""
    free = _meminfo_available()
    if free is None:
        return None
    rooms = [room for room in (_cgroup_headroom(), _rlimit_room()) if room is not None]
    return min([free, *rooms])


def _rlimit_room() -> int | None:
    """Room left under this process's soft address-space or data limit (``ulimit -v``,
    ``ulimit -d``, or an open ``limited_memory`` window), where one is set: past it an
    allocation fails however much the machine has free."""
    if sys.platform != "linux":
        return None
    import resource

    rooms: list[int] = []
    for limit, key in ((resource.RLIMIT_AS, "VmSize"), (resource.RLIMIT_DATA, "VmData")):
        soft, _ = resource.getrlimit(limit)
        used = _kilobytes(_STATUS, key)
        if soft != resource.RLIM_INFINITY and used is not None:
            rooms.append(max(0, soft - used))
    return min(rooms) if rooms else None


def default_headroom() -> int:
    """What the default budget adds to what is free: ``HEADROOM`` plus
    ``THREAD_HEADROOM`` for each CPU, or each OpenMP thread asked for where more."""
    threads = os.cpu_count() or 1
    with contextlib.suppress(ValueError):
        threads = max(threads, int(os.environ.get("OMP_NUM_THREADS", "0").split(",")[0]))
    return HEADROOM + threads * THREAD_HEADROOM


def data_in_use() -> int | None:
    """This process's ``VmData`` (what ``RLIMIT_DATA`` is compared with), in bytes."""
    return _kilobytes(_STATUS, "VmData")


def swap_room() -> int:
    """What swap can still take (``SwapFree``), where it widens what this process can
    have: not where a cgroup's or a ``ulimit``'s room is tighter than the RAM free
    (those are hard limits), and 0 where unknown."""
    swap = _kilobytes(_MEMINFO, "SwapFree")
    free = _meminfo_available()
    if not swap or free is None or available_memory() != free:
        return 0
    return swap


@contextlib.contextmanager
def limited_memory(budget: int | None = None, *, swap: bool = False) -> Iterator[int | None]:
    """Let the work in the block add at most ``budget`` bytes (default ``BUDGET``, else
    what is free, with ``swap`` what swap can take too) to this process; past that,
    allocations raise ``MemoryError``.

    Yields the budget applied, or None where no ceiling could be set (not Linux, no
    ``/proc``, a limit that cannot be changed); the block runs either way.
    """
    # The window is counted before the limit is lowered and released in ``finally``
    # whatever happened, so no interruption (Ctrl-C included) can leave it lowered.
    window = object()
    try:
        yield _lower(window, BUDGET if budget is None else budget, swap)
    finally:
        _release(window)


class NotEnoughMemoryError(WorkbenchError):
    """Work under ``memory_for`` asked for more memory than it was allowed."""


@contextlib.contextmanager
def memory_for(step: str, *, swap: bool = True) -> Iterator[int | None]:
    """``limited_memory(swap=swap)`` around ``step`` (a user's words for the work:
    "training mlp", "filter discretize"); a ``MemoryError`` inside becomes
    ``NotEnoughMemoryError`` naming the step and what it was allowed. Yields the budget
    (None where no ceiling could be set)."""
    allowed: int | None = None
    try:
        with limited_memory(swap=swap) as allowed:
            yield allowed
    except MemoryError as error:
        detail = f" ({error})" if str(error) else ""
        free = f", more than the {describe_bytes(allowed)} free" if allowed else ""
        raise NotEnoughMemoryError(
            f"{step}: not enough memory: it asked for more{free}{detail}; expected "
            f"smaller settings or less data") from None


@dataclass(frozen=True)
class _Reading:
    """What was free when a run began, and this process's ``VmData`` then."""

    free: int | None
    swap: int
    data: int | None


_thread = threading.local()


@contextlib.contextmanager
def measured_once() -> Iterator[None]:
    """Measure what is free once, for every ``limited_memory`` window this thread opens
    in the block: a flow run opens one per node, and each measure reads ``/proc`` and
    every cgroup level above this process (about 3 ms: a flow of 20 000 idle nodes spent
    most of its 56 s there). What this process itself has taken since (its ``VmData``
    growth, read for each window anyway) is no longer counted as free; what other
    programs took meanwhile is not seen, which the default budget's headroom and swap
    cover for the length of one run."""
    before = getattr(_thread, "reading", None)
    if sys.platform == "linux":
        _thread.reading = _Reading(available_memory(), swap_room(), data_in_use())
    try:
        yield
    finally:
        _thread.reading = before


def _free_now(used: int | None, swap: bool) -> int | None:
    """What is free for a default budget: measured now, or from this thread's reading
    (``measured_once``) less what this process has taken since."""
    reading: _Reading | None = getattr(_thread, "reading", None)
    if reading is None:
        free = available_memory()
        return None if free is None else free + (swap_room() if swap else 0)
    if reading.free is None:
        return None
    grown = max(0, used - reading.data) if used is not None and reading.data is not None \
        else 0
    return max(0, reading.free + (reading.swap if swap else 0) - grown)


def _lower(window: object, budget: int | None, swap: bool = False) -> int | None:
    global _saved
    if sys.platform != "linux":
        return None
    import resource

    used = data_in_use()
    if budget is None:
        free = _free_now(used, swap)
        budget = None if free is None else free + default_headroom()
    if budget is None or used is None:
        return None
    budget = max(0, int(budget))
    with _lock:
        current = resource.getrlimit(resource.RLIMIT_DATA)
        soft, hard = current
        target = used + budget
        if hard != resource.RLIM_INFINITY:
            target = min(target, hard)
        first = not _open
        if first:
            _saved = current
        _open.add(window)
        try:
            # Lower only: a window opened inside another never raises its ceiling.
            if soft == resource.RLIM_INFINITY or target < soft:
                resource.setrlimit(resource.RLIMIT_DATA, (target, hard))
        except (ValueError, OSError):
            if first:   # a sandbox that forbids it: load as before
                _open.discard(window)
                _saved = None
                return None
    return budget


def _release(window: object) -> None:
    global _saved
    import resource

    with _lock:
        if window not in _open:
            return
        _open.discard(window)
        if not _open and _saved is not None:
            saved, _saved = _saved, None
            resource.setrlimit(resource.RLIMIT_DATA, saved)


def _kilobytes(path: Path, key: str) -> int | None:
    """``KEY:  1234 kB`` from a ``/proc`` file, in bytes."""
    try:
        text = path.read_text()
    except OSError:
        return None
    found = re.search(rf"^{key}:\s+(\d+)\s*kB", text, re.MULTILINE)
    return int(found.group(1)) * 1024 if found else None


def _meminfo_available() -> int | None:
    return _kilobytes(_MEMINFO, "MemAvailable")


# (folder under the root, limit file, usage file, reclaimable page cache in memory.stat)
_V2 = ("", "memory.max", "memory.current", "inactive_file")
_V1 = ("memory", "memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file")


def _cgroup_headroom() -> int | None:
    """The least room left under a memory limit of this process's cgroup or one above
    it (cgroup v2 or v1), not counting page cache the kernel can drop; None: no limit."""
    try:
        lines = _CGROUPS.read_text().splitlines()
    except OSError:
        return None
    rooms: list[int] = []
    for line in lines:
        number, _, rest = line.partition(":")
        controllers, _, path = rest.partition(":")
        if number == "0" and controllers == "":
            layout = _V2
        elif "memory" in controllers.split(","):
            layout = _V1
        else:
            continue
        base = _CGROUP_ROOT / layout[0] if layout[0] else _CGROUP_ROOT
        folder = base / path.lstrip("/")
        # Inside a container the path names the host's hierarchy; the root is its own.
        for candidate in [folder, *folder.parents]:
            if candidate == base or base in candidate.parents:
                room = _room(candidate, layout)
                if room is not None:
                    rooms.append(room)
            if candidate == base:
                break
    return min(rooms) if rooms else None


def _room(folder: Path, layout: tuple[str, str, str, str]) -> int | None:
    _, limit_file, usage_file, cache_key = layout
    try:
        limit_text = (folder / limit_file).read_text().strip()
        usage = int((folder / usage_file).read_text().strip())
    except (OSError, ValueError):
        return None
    if not limit_text.isdecimal():
        return None   # "max": no limit here
    limit = int(limit_text)
    if limit >= 1 << 60:
        return None   # v1 writes "no limit" as a page-rounded 2^63
    cache = 0
    with contextlib.suppress(OSError, ValueError):
        stat = (folder / "memory.stat").read_text()
        found = re.search(rf"^{cache_key} (\d+)$", stat, re.MULTILINE)
        cache = int(found.group(1)) if found else 0
    return max(0, limit - usage + cache)


def describe_bytes(count: int) -> str:
    """A size for a message: ``512 KiB``, ``3.1 GiB``."""
    if count >= 1 << 30:
        return f"{count / (1 << 30):.1f} GiB"
    if count >= 1 << 20:
        return f"{count / (1 << 20):.0f} MiB"
    return f"{max(count, 0) // 1024} KiB"


