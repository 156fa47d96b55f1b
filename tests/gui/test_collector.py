"""In a GUI process the cycle collector runs on the GUI thread only: a worker that
fills a generation with cycles leaves them to the GUI thread's timer."""

from __future__ import annotations

import gc
import threading
import weakref

from workbench.gui import collector


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_a_workers_cycles_are_collected_on_the_gui_thread_only(qtbot):
    collector.collect_on_gui_thread()   # as application() does (the fixture did too)
    assert not gc.isenabled()
    collected_on: list[int] = []

    def note(phase: str, info: dict) -> None:
        if phase == "start":
            collected_on.append(threading.get_ident())

    last: list[weakref.ref] = []

    def work() -> None:
        for _ in range(20 * gc.get_threshold()[0]):   # many times a generation's fill
            cycle = _Cycle()
        last.append(weakref.ref(cycle))

    gc.callbacks.append(note)
    try:
        worker = threading.Thread(target=work)
        worker.start()
        worker.join(60)
        assert not worker.is_alive()
        assert collected_on == []                   # nothing was collected in the worker
        assert last[0]() is not None                # its last cycle waits for the GUI
        qtbot.waitUntil(lambda: last[0]() is None, timeout=30_000)
        assert set(collected_on) == {threading.get_ident()}
    finally:
        gc.callbacks.remove(note)


def test_giving_the_collector_back_turns_it_on_again(qtbot):
    collector.collect_anywhere()
    try:
        assert gc.isenabled()
    finally:
        collector.collect_on_gui_thread()   # the module's fixture hands it back at the end


def test_a_window_disposed_after_a_screenshot_gives_the_collector_back(qtbot):
    from PySide6.QtWidgets import QWidget

    from workbench.gui.screenshot import dispose

    collector.collect_on_gui_thread()
    try:
        dispose(QWidget())     # what a window command does before it returns
        assert gc.isenabled()  # its caller goes on with Python's own collector
    finally:
        collector.collect_on_gui_thread()
