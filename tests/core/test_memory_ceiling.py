"""The memory ceiling around work a stranger's file sets off (core/memory_ceiling.py).

Every test uses a budget of a few hundred MB at most and asks for far more in one
allocation, which the kernel refuses at once: nothing here depends on how much memory
the machine has, and nothing is ever touched beyond the budget.
"""

import sys
import threading

import numpy as np
import pytest

from workbench.core import memory_ceiling
from workbench.core.memory_ceiling import available_memory, describe_bytes, limited_memory

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the ceiling is Linux-only")

MB = 2**20
GIB = 2**30


def data_limit() -> tuple[int, int]:
    import resource

    return resource.getrlimit(resource.RLIMIT_DATA)


def test_an_allocation_past_the_budget_raises_and_the_limit_comes_back():
    before = data_limit()
    with pytest.raises(MemoryError), limited_memory(100 * MB) as budget:
        assert budget == 100 * MB
        assert data_limit() != before
        np.ones(4 * GIB // 8)   # 4 GiB at once: refused, never touched
    assert data_limit() == before


def test_work_within_the_budget_runs_and_the_limit_comes_back():
    before = data_limit()
    with limited_memory(300 * MB):
        total = float(np.ones(10 * MB // 8).sum())
    assert total == 10 * MB // 8
    assert data_limit() == before


def test_any_exception_restores_the_limit():
    before = data_limit()
    with pytest.raises(KeyError), limited_memory(300 * MB):
        raise KeyError("boom")
    assert data_limit() == before


def test_an_interruption_just_after_lowering_still_restores_the_limit(monkeypatch):
    """Ctrl-C can land between the kernel call and the bookkeeping: the window is
    counted before the limit is lowered, so ``finally`` always finds it."""
    import resource

    before = data_limit()
    real = resource.setrlimit

    def lowered_then_interrupted(which, limits):
        real(which, limits)
        if limits != before:
            raise KeyboardInterrupt

    monkeypatch.setattr(resource, "setrlimit", lowered_then_interrupted)
    with pytest.raises(KeyboardInterrupt), limited_memory(300 * MB):
        pass
    assert data_limit() == before and not memory_ceiling._open


def test_a_window_inside_another_never_raises_the_ceiling():
    before = data_limit()
    with limited_memory(100 * MB):
        outer = data_limit()
        with limited_memory(10 * GIB):
            assert data_limit() == outer
            with pytest.raises(MemoryError):
                np.ones(2 * GIB // 8)
        assert data_limit() == outer
    assert data_limit() == before


def test_overlapping_windows_in_two_threads_restore_the_limit_once_both_close():
    before = data_limit()
    inside, release = threading.Event(), threading.Event()
    seen: list[tuple[int, int]] = []

    def other() -> None:
        with limited_memory(300 * MB):
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=other)
    thread.start()
    assert inside.wait(10)
    with limited_memory(200 * MB):
        seen.append(data_limit())
    # This thread's window closed first: the other's ceiling still stands.
    seen.append(data_limit())
    release.set()
    thread.join(10)
    assert seen[0] != before and seen[1] != before
    assert data_limit() == before


def test_the_default_budget_is_what_is_free_plus_headroom_and_a_setting_overrides_it(
        monkeypatch):
    free = available_memory()
    assert free is not None and free > 0
    monkeypatch.setattr(memory_ceiling, "available_memory", lambda: 10 * MB)
    monkeypatch.setattr(memory_ceiling.os, "cpu_count", lambda: 4)
    monkeypatch.setenv("OMP_NUM_THREADS", "32")
    with limited_memory() as budget:
        # next to nothing free: still room for the work's 32 threads to start
        assert budget == 10 * MB + memory_ceiling.HEADROOM + \
            32 * memory_ceiling.THREAD_HEADROOM
    monkeypatch.delenv("OMP_NUM_THREADS")
    assert memory_ceiling.default_headroom() == memory_ceiling.HEADROOM + \
        4 * memory_ceiling.THREAD_HEADROOM
    monkeypatch.setattr(memory_ceiling, "BUDGET", 123 * MB)
    with limited_memory() as budget:
        assert budget == 123 * MB   # as given: no headroom added


def test_where_nothing_can_be_measured_or_set_the_block_runs_unlimited(monkeypatch):
    import resource

    before = data_limit()
    monkeypatch.setattr(memory_ceiling, "_STATUS", memory_ceiling.Path("/nonexistent"))
    with limited_memory(1 * MB) as budget:
        assert budget is None and data_limit() == before
    monkeypatch.undo()

    def refuse(*args: object) -> None:
        raise ValueError("not allowed here")

    monkeypatch.setattr(resource, "setrlimit", refuse)
    with limited_memory(1 * MB) as budget:
        assert budget is None
    monkeypatch.undo()
    assert data_limit() == before


def test_other_systems_get_no_ceiling(monkeypatch):
    before = data_limit()
    monkeypatch.setattr(memory_ceiling.sys, "platform", "win32")
    with limited_memory(1 * MB) as budget:
        assert budget is None and data_limit() == before


def test_a_cgroup_limit_closer_than_free_memory_is_the_budget(tmp_path, monkeypatch):
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       32000000 kB\nMemAvailable:   20000000 kB\n")
    monkeypatch.setattr(memory_ceiling, "_MEMINFO", meminfo)
    root = tmp_path / "cgroup"
    # cgroup v2: a container limited to 4 GiB, 3 GiB used of which 1 GiB is page cache,
    # inside a slice limited to 8 GiB.
    (root / "slice" / "box").mkdir(parents=True)
    (root / "slice" / "memory.max").write_text(f"{8 * GIB}\n")
    (root / "slice" / "memory.current").write_text(f"{3 * GIB}\n")
    (root / "slice" / "box" / "memory.max").write_text(f"{4 * GIB}\n")
    (root / "slice" / "box" / "memory.current").write_text(f"{3 * GIB}\n")
    (root / "slice" / "box" / "memory.stat").write_text(f"anon 1\ninactive_file {GIB}\n")
    (root / "memory.max").write_text("max\n")
    (root / "memory.current").write_text("123\n")
    cgroups = tmp_path / "self-cgroup"
    cgroups.write_text("0::/slice/box\n")
    monkeypatch.setattr(memory_ceiling, "_CGROUPS", cgroups)
    monkeypatch.setattr(memory_ceiling, "_CGROUP_ROOT", root)
    assert available_memory() == 2 * GIB
    # cgroup v1, "no limit" written as 2^63 rounded to a page: MemAvailable decides.
    (root / "memory" / "user").mkdir(parents=True)
    (root / "memory" / "user" / "memory.limit_in_bytes").write_text("9223372036854771712\n")
    (root / "memory" / "user" / "memory.usage_in_bytes").write_text(f"{GIB}\n")
    cgroups.write_text("4:memory:/user\n3:cpu,cpuacct:/user\n")
    assert available_memory() == 20000000 * 1024
    (root / "memory" / "user" / "memory.limit_in_bytes").write_text(f"{2 * GIB}\n")
    assert available_memory() == GIB
    # A path the container cannot see (the host's): its own root's limit counts.
    cgroups.write_text("4:memory:/docker/0123abc\n")
    (root / "memory" / "memory.limit_in_bytes").write_text(f"{3 * GIB}\n")
    (root / "memory" / "memory.usage_in_bytes").write_text(f"{GIB}\n")
    assert available_memory() == 2 * GIB


def test_a_ulimit_closer_than_free_memory_is_what_is_available(tmp_path, monkeypatch):
    # `ulimit -v 8000000` left a reader thinking 20 GB were free, until an allocation
    # failed at 7.4 GB; the room under the soft limit is what the process can take.
    import resource

    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemAvailable:   20000000 kB\n")
    status = tmp_path / "status"
    status.write_text("VmSize:  1000000 kB\nVmData:   500000 kB\n")
    monkeypatch.setattr(memory_ceiling, "_MEMINFO", meminfo)
    monkeypatch.setattr(memory_ceiling, "_STATUS", status)
    monkeypatch.setattr(memory_ceiling, "_cgroup_headroom", lambda: None)
    limits = {resource.RLIMIT_AS: 8000000 * 1024, resource.RLIMIT_DATA: resource.RLIM_INFINITY}
    monkeypatch.setattr(resource, "getrlimit",
                        lambda which: (limits.get(which, resource.RLIM_INFINITY),
                                       resource.RLIM_INFINITY))
    assert available_memory() == 7000000 * 1024
    limits[resource.RLIMIT_DATA] = 600000 * 1024     # ulimit -d, or an open window
    assert available_memory() == 100000 * 1024
    limits.clear()
    assert available_memory() == 20000000 * 1024


def test_inside_a_window_what_is_available_is_the_room_left_under_it():
    with limited_memory(100 * MB):
        inside = available_memory()
    assert inside is not None and inside <= 100 * MB
    outside = available_memory()
    assert outside is None or outside >= inside   # equal on a machine with little free


def test_sizes_read_well_in_a_message():
    assert describe_bytes(200 * MB) == "200 MiB"
    assert describe_bytes(3 * GIB + GIB // 10) == "3.1 GiB"
    assert describe_bytes(5000) == "4 KiB"


def test_a_flow_budget_counts_free_swap_unless_a_hard_limit_is_closer(monkeypatch, tmp_path):
    """A flow node's ceiling (``swap=True``) stops what would meet the OOM killer, which
    comes once swap is full too, not what would only swap; a cgroup's or a ulimit's
    room is a hard limit that swap does not widen."""
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal: 8000000 kB\nMemAvailable:  102400 kB\n"
                       "SwapTotal: 4000000 kB\nSwapFree:  204800 kB\n")
    monkeypatch.setattr(memory_ceiling, "_MEMINFO", meminfo)
    monkeypatch.setattr(memory_ceiling, "_cgroup_headroom", lambda: None)
    monkeypatch.setattr(memory_ceiling, "_rlimit_room", lambda: None)
    headroom = memory_ceiling.default_headroom()
    with limited_memory() as budget:
        assert budget == 100 * MB + headroom
    with limited_memory(swap=True) as budget:
        assert budget == 100 * MB + headroom + 200 * MB
    monkeypatch.setattr(memory_ceiling, "_cgroup_headroom", lambda: 50 * MB)
    with limited_memory(swap=True) as budget:
        assert budget == 50 * MB + headroom
    monkeypatch.setattr(memory_ceiling, "_cgroup_headroom", lambda: None)
    meminfo.write_text("MemAvailable:  102400 kB\n")   # no swap line: none counted
    with limited_memory(swap=True) as budget:
        assert budget == 100 * MB + headroom
