import threading

from workbench.core.errors import WorkbenchError
from workbench.core.progress import report
from workbench.gui.workers import Job


def test_result_and_progress_arrive_on_the_gui_thread(qtbot):
    seen = []
    gui_thread = threading.get_ident()

    def work(progress, cancel):
        for i in range(5):
            report(progress, i / 4, f"step {i}")
        return 42

    job = Job(work, "count")
    job.progress.connect(lambda e: seen.append((e.message, threading.get_ident())))
    with qtbot.waitSignal(job.finished, timeout=60_000) as blocker:
        job.start()
    assert blocker.args == [42]
    qtbot.waitUntil(lambda: len(seen) == 5)
    assert all(thread == gui_thread for _, thread in seen)


def test_repeated_identical_progress_is_not_forwarded(qtbot):
    seen = []

    def work(progress, cancel):
        for _ in range(1000):
            report(progress, 0.5, "same")
        return None

    job = Job(work)
    job.progress.connect(seen.append)
    with qtbot.waitSignal(job.done, timeout=60_000):
        job.start()
    qtbot.wait(20)
    assert len(seen) == 1


def test_stop_cancels_at_the_next_check_without_blocking(qtbot):
    inside, release = threading.Event(), threading.Event()

    def work(progress, cancel):
        inside.set()
        release.wait()  # busy until the test lets it go
        cancel.check()
        return "not cancelled"

    job = Job(work)
    finished = []
    job.finished.connect(finished.append)
    job.start()
    assert inside.wait(30)
    # stop() returns while the worker cannot move: it did not wait for it. (Were it to
    # wait, the timer lets the worker go, and the test fails instead of hanging.)
    safety = threading.Timer(60, release.set)
    safety.start()
    job.stop()
    returned_while_busy = not release.is_set()
    safety.cancel()
    assert returned_while_busy and job.running
    with qtbot.waitSignal(job.cancelled, timeout=30_000):
        release.set()
    assert job.wait(30) and finished == []


def test_user_errors_and_bugs_are_reported_not_raised(qtbot):
    def user_error(progress, cancel):
        raise WorkbenchError("iris.arff:3:1: bad value")

    job = Job(user_error)
    with qtbot.waitSignal(job.failed, timeout=60_000) as blocker:
        job.start()
    assert blocker.args == ["iris.arff:3:1: bad value", ""]

    job = Job(lambda progress, cancel: 1 / 0)
    with qtbot.waitSignal(job.failed, timeout=60_000) as blocker:
        job.start()
    assert blocker.args[0].startswith("ZeroDivisionError") and "Traceback" in blocker.args[1]


def test_the_installed_qt_survives_many_signal_emits():
    """PySide6 6.12.0 leaked a reference to True per emit and aborted after a few hundred
    progress reports; pyproject excludes it, and this catches a regression in a child."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from PySide6.QtCore import QCoreApplication, QObject, Signal\n"
        "app = QCoreApplication([])\n"
        "class A(QObject):\n"
        "    s = Signal(object)\n"
        "a = A(); a.s.connect(lambda x: None)\n"
        "before = sys.getrefcount(True)\n"
        "for i in range(3000):\n"
        "    a.s.emit(i)\n"
        "print(sys.getrefcount(True) - before)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr[-500:]
    assert abs(int(done.stdout.strip())) < 100


def test_a_librarys_warning_reaches_the_job_that_raised_it_once(qtbot):
    import warnings

    said = []

    def work(progress, cancel):
        for _ in range(3):   # three folds, one warning each
            warnings.warn("the optimizer has not converged", RuntimeWarning, stacklevel=1)
        warnings.warn("another matter", UserWarning, stacklevel=1)

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        job = Job(work, "warns")
        job.warned.connect(said.append)
        with qtbot.waitSignal(job.done, timeout=60_000):
            job.start()
    qtbot.waitUntil(lambda: len(said) == 2)
    assert said == ["the optimizer has not converged (RuntimeWarning)",
                    "another matter (UserWarning)"]


def test_a_warning_no_job_listens_to_still_goes_where_it_went(qtbot):
    """Outside any job, or in a job whose ``warned`` has no receiver (loading a file),
    a warning reaches the hook that was there before the route."""
    import warnings

    seen = []

    def unheard(progress, cancel):
        warnings.warn("in a job nobody listens to", UserWarning, stacklevel=1)

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = lambda message, *rest, **kwargs: seen.append(str(message))
        job = Job(unheard)
        with qtbot.waitSignal(job.done, timeout=60_000):
            job.start()   # puts the route in front of the hook above
        warnings.warn("in the GUI thread", UserWarning, stacklevel=1)
    assert seen == ["in a job nobody listens to", "in the GUI thread"]


def test_a_job_runs_under_the_memory_ceiling_and_running_out_names_its_step(
        qtbot, monkeypatch):
    """A request past what is free ends as our error naming the work, instead of the
    OOM killer taking the window with the user's work."""
    import resource

    from workbench.core import memory_ceiling

    monkeypatch.setattr(memory_ceiling, "BUDGET", 4 * 2**30)
    limits = []

    def work(progress, cancel):
        limits.append(resource.getrlimit(resource.RLIMIT_DATA)[0])
        raise MemoryError("Unable to allocate 16.0 GiB for an array")

    job = Job(work, "classify-mlp", step="training MLP -H 20000,20000")
    with qtbot.waitSignal(job.failed, timeout=60_000) as blocker:
        job.start()
    message, details = blocker.args
    assert message.startswith("training MLP -H 20000,20000: not enough memory")
    assert details == ""
    assert limits and limits[0] != resource.RLIM_INFINITY
