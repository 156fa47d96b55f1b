"""The GUI thread's turn: a worker checking its token steps aside while the GUI thread's
heartbeat is late, goes on at the next beat, and never waits on a blocked window."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable

import pytest

from workbench.gui import gui_turn as turn_module
from workbench.gui.gui_turn import GivingWayToken, GuiTurn, gui_turn
from workbench.gui.workers import Job


def _worker(work: Callable[[], None]) -> tuple[threading.Thread, threading.Event]:
    """A started thread that runs ``work`` once ``go`` is set."""
    go = threading.Event()

    def run() -> None:
        go.wait(30)
        work()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, go


def _until(condition: Callable[[], bool], seconds: float = 30) -> bool:
    """Poll without turning the event loop: the GUI thread stays 'busy'."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.001)
    return True


def test_a_worker_waits_for_a_late_gui_thread_and_goes_on_at_its_next_beat(qtbot,
                                                                           monkeypatch):
    monkeypatch.setattr(turn_module, "LATE", 0.0)          # every beat is late at once
    monkeypatch.setattr(turn_module, "LONGEST_WAIT", 60.0)  # only a beat can end the wait
    turn = GuiTurn()
    token = GivingWayToken(turn)
    thread, go = _worker(token.check)
    turn.watch(thread)
    go.set()
    assert _until(lambda: turn.waits == 1)   # stepped aside, the GUI thread not beating
    assert thread.is_alive()
    turn.beat()
    thread.join(30)
    assert not thread.is_alive()


def test_a_worker_goes_on_while_the_gui_thread_keeps_its_beat(qtbot, monkeypatch):
    monkeypatch.setattr(turn_module, "LATE", 3600.0)
    turn = GuiTurn()
    token = GivingWayToken(turn)
    thread, go = _worker(lambda: [token.check() for _ in range(1000)])
    turn.watch(thread)
    go.set()
    thread.join(30)
    assert not thread.is_alive() and turn.waits == 0


def test_a_blocked_gui_thread_costs_a_worker_one_wait_until_it_beats_again(qtbot,
                                                                          monkeypatch):
    monkeypatch.setattr(turn_module, "LATE", 0.0)
    monkeypatch.setattr(turn_module, "LONGEST_WAIT", 0.01)
    turn = GuiTurn()
    token = GivingWayToken(turn)
    checked = threading.Event()

    def work() -> None:
        for _ in range(200):
            token.check()
        checked.set()
        if not go_again.wait(30):
            return
        for _ in range(200):
            token.check()

    go_again = threading.Event()
    thread, go = _worker(work)
    turn.watch(thread)
    go.set()
    assert _until(checked.is_set)
    assert turn.waits == 1      # gave up once, then went on without waiting
    turn.beat()                 # the window is back: a late beat is waited for again
    go_again.set()
    thread.join(30)
    assert not thread.is_alive() and turn.waits == 2


def test_the_gui_thread_never_waits_for_itself(qtbot, monkeypatch):
    monkeypatch.setattr(turn_module, "LATE", 0.0)
    monkeypatch.setattr(turn_module, "LONGEST_WAIT", 60.0)
    turn = GuiTurn()
    thread, go = _worker(lambda: None)
    turn.watch(thread)
    GivingWayToken(turn).check()
    assert turn.waits == 0
    go.set()
    thread.join(30)


def test_stop_still_raises_from_a_giving_way_token(qtbot):
    from workbench.core.errors import Cancelled

    token = GivingWayToken(GuiTurn())
    token.cancel()
    with pytest.raises(Cancelled):
        token.check()


def test_a_jobs_token_gives_way_and_the_beat_stops_when_its_jobs_end(qtbot):
    release = threading.Event()
    job = Job(lambda progress, cancel: release.wait(30), "held")
    assert isinstance(job.token, GivingWayToken)
    job.start()
    turn = gui_turn()
    assert turn.beating
    assert sys.getswitchinterval() <= turn_module.SWITCH_INTERVAL
    release.set()
    assert job.wait(30)
    qtbot.waitUntil(lambda: not turn.beating, timeout=10_000)


def test_stop_wakes_a_worker_that_waits_for_its_turn(qtbot, monkeypatch):
    from workbench.core.errors import Cancelled

    monkeypatch.setattr(turn_module, "LATE", 0.0)
    monkeypatch.setattr(turn_module, "LONGEST_WAIT", 60.0)  # only a beat or Stop ends it
    turn = GuiTurn()
    token = GivingWayToken(turn)
    raised: list[BaseException] = []

    def work() -> None:
        try:
            token.check()
        except Cancelled as error:
            raised.append(error)

    thread, go = _worker(work)
    turn.watch(thread)
    go.set()
    assert _until(lambda: turn.waits == 1)
    token.cancel()          # no beat: the GUI thread stays busy here
    thread.join(30)
    assert not thread.is_alive() and len(raised) == 1
