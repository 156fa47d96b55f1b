"""A job nobody keeps is deleted on the GUI thread, after its worker has ended: never
by its worker, which would delete a Qt object off its thread."""

from __future__ import annotations

import gc
import threading

from workbench.gui.workers import Job


def test_a_job_nobody_keeps_dies_on_the_gui_thread(qtbot):
    deleted_on: list[int] = []
    ran: list[int] = []
    job = Job(lambda progress, cancel: ran.append(threading.get_ident()), "unkept")
    job.destroyed.connect(lambda *_: deleted_on.append(threading.get_ident()))
    job.start()
    del job                                   # the window let go of it at once
    qtbot.waitUntil(lambda: bool(deleted_on), timeout=30_000)
    assert ran and ran[0] != threading.get_ident()     # it ran on its worker...
    assert deleted_on == [threading.get_ident()]        # ...and died here


def test_a_job_a_window_drops_when_done_dies_on_the_gui_thread(qtbot):
    deleted_on: list[int] = []
    holder: dict[str, Job] = {}
    job = Job(lambda progress, cancel: None, "dropped-when-done")
    job.destroyed.connect(lambda *_: deleted_on.append(threading.get_ident()))
    job.done.connect(lambda: holder.clear())   # as the windows' _done slots do
    holder["job"] = job
    job.start()
    del job
    qtbot.waitUntil(lambda: bool(deleted_on), timeout=30_000)
    gc.collect()
    assert deleted_on == [threading.get_ident()]


def test_a_work_that_exits_fails_and_is_done(qtbot):
    """A library calling sys.exit() in the work ends the job as a failure: the window
    gets its done (and lets go of the job) rather than waiting for ever."""
    import sys

    failures: list[str] = []
    ended: list[bool] = []
    job = Job(lambda progress, cancel: sys.exit(3), "exits")
    job.failed.connect(lambda message, details: failures.append(message))
    job.done.connect(lambda: ended.append(True))
    job.start()
    qtbot.waitUntil(lambda: bool(ended), timeout=30_000)
    assert failures == ["SystemExit: 3"]


def test_an_error_that_cannot_be_told_still_fails_the_job_and_is_done(qtbot):
    class Untellable(Exception):
        def __str__(self) -> str:
            raise ValueError("no words")

    def work(progress, cancel):
        raise Untellable()

    failures: list[str] = []
    ended: list[bool] = []
    job = Job(work, "untellable")
    job.failed.connect(lambda message, details: failures.append(message))
    job.done.connect(lambda: ended.append(True))
    job.start()
    qtbot.waitUntil(lambda: bool(ended), timeout=30_000)
    assert failures == ["Untellable"]
