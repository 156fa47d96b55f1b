"""The Run tab: Start and Stop, runs done out of the total, and a log.

The experiment runs in a ``Job`` on a worker thread; Stop only sets the cancel token, so
the window never waits. Finished runs stay in the results table, and the next Start
resumes from them (the store skips what it already holds). The run appends through a
``Destination``, so saving the experiment under a new name while it runs (the Setup
tab's Save... calls ``carry``) moves the table: the runs still to come go beside the
saved file too.
"""

from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.counts import counted
from workbench.core.errors import WorkbenchError
from workbench.core.progress import ProgressEvent
from workbench.evaluation.experiment import (
    ExperimentSpec,
    RunSummary,
    make_backend,
    run_experiment,
)
from workbench.evaluation.experiment.destination import Destination
from workbench.evaluation.experiment.runner import count_finished
from workbench.evaluation.experiment.store import carry_results
from workbench.gui.experimenter.setup import SetupPanel
from workbench.gui.experimenter.wording import gui_words
from workbench.gui.widgets.focus_frame import frame_focus
from workbench.gui.widgets.literal import plain_label
from workbench.gui.workers import Job


class RunPanel(QWidget):
    """``start()`` returns False (and logs why) when the setup is not runnable."""

    run_started = Signal()
    run_finished = Signal(object)   # RunSummary
    run_ended = Signal()            # after finished, failed or stopped
    refused = Signal(str)           # Start refused before any run (the reason)

    def __init__(self, setup: SetupPanel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setup = setup
        self.job: Job | None = None
        self.destination: Destination | None = None   # where the run in progress writes
        self.summary: RunSummary | None = None
        self.last_error = ""
        self._count_cache: tuple[object, tuple[int, str]] | None = None
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.start_button = QPushButton("Start")
        self.stop_button = QPushButton("Stop")
        self.stop_button.setEnabled(False)
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        row.addWidget(self.start_button)
        row.addWidget(self.stop_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("%v / %m runs")
        layout.addWidget(self.progress)
        self.results_label = plain_label()
        self.results_label.setWordWrap(True)
        self.results_label.setTextInteractionFlags(
            self.results_label.textInteractionFlags()
            | Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.results_label)
        self.status = plain_label("Not started.")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.log = QPlainTextEdit()
        self.log.setAccessibleName("Run log")
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(5000)
        frame_focus(self.log)  # read-only: Fusion shows no focus on it otherwise
        layout.addWidget(self.log, 1)
        setup.changed.connect(self.show_setup)
        setup.results.textChanged.connect(self.show_setup)
        setup.carrier = self.carry
        self.show_setup()

    def show_setup(self) -> None:
        """Between runs the bar counts towards the Setup tab's total, from the runs the
        results file already holds (2000 / 2000 for a reopened finished experiment, 816
        / 2000 after a Stop), and the results file is named where the run will write."""
        if self.job is not None:
            return
        total = self.setup.total_runs()
        path = self.setup.results.text().strip()
        done, problem = self._finished_runs(path)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, total))
        self.progress.setFormat(f"%v / {total} runs")
        self.results_label.setText(f"Results file: {path}")
        if problem:
            self.status.setText(f"Start will refuse this results file: {problem}")
        elif done and done >= total:
            self.status.setText(f"All {counted(total, 'run')} are in the results file "
                                f"already; Start shows them in the Analyse tab.")
        elif done:
            self.status.setText(f"{done} of {counted(total, 'run')} done; Start resumes "
                                f"from there.")
        else:
            self.status.setText("Not started.")

    def _finished_runs(self, path: str) -> tuple[int, str]:
        """The runs of the current setup already in ``path`` and, when a start would
        refuse that file, why (in the window's words). Read only when the setup, the
        file's name or the file itself changed: the bar is redrawn on every edit."""
        try:
            spec = self.setup.spec()
            stat = Path(path).stat() if path else None
        except (WorkbenchError, OSError):
            return 0, ""
        key = (json.dumps(spec.to_dict(), sort_keys=True), spec.base_dir, path,
               None if stat is None else (stat.st_mtime_ns, stat.st_size, stat.st_ino))
        if self._count_cache is None or self._count_cache[0] != key:
            try:
                found: tuple[int, str] = (count_finished(spec, path), "")
            except WorkbenchError as exc:
                found = (0, self._refusal(str(exc)))
            self._count_cache = (key, found)
        return self._count_cache[1]

    def _refusal(self, message: str) -> str:
        """A start's refusal in the window's words; the results beside an opened
        experiment file belong to it as it was saved, which the message says, with
        the way out."""
        message = gui_words(message)
        if ("belong to a different experiment" in message and self.setup.spec_path
                and self.setup.execution.results_is_suggested):
            message += (". They are the results of the experiment as it was saved in "
                        f"{Path(self.setup.spec_path).name}, which you changed: Save... "
                        "it under a new name to give it its own results file beside it")
        return message

    @property
    def running(self) -> bool:
        return self.job is not None

    def write(self, text: str) -> None:
        self.log.appendPlainText(f"{time.strftime('%H:%M:%S')}  {text}")

    def start(self) -> bool:
        if self.job is not None:
            return False
        try:
            spec = self.setup.runnable_spec()
            out = self.setup.results_path(spec)
            backend = make_backend(self.setup.backend_name(),
                                   scheduler=self.setup.scheduler.text().strip() or None,
                                   workers=self.setup.workers.value() or None)
            # Refused (another experiment's results) before anything says "Started".
            done = count_finished(spec, out)
        except WorkbenchError as exc:
            self._fail(self._refusal(str(exc)))
            self.refused.emit(self.last_error)
            return False
        self.last_error = ""
        self.summary = None
        self.progress.setRange(0, spec.total_runs)
        self.progress.setValue(done)
        self.progress.setFormat("%v / %m runs")
        self.results_label.setText(f"Results file: {out}")
        what = (f"{counted(len(spec.datasets), 'dataset')} × "
                f"{counted(len(spec.classifiers), 'classifier')}), backend "
                f"{backend.name}, results {out}")
        if done:
            self.write(f"Resuming: {done} of {counted(spec.total_runs, 'run')} done, "
                       f"{spec.total_runs - done} to compute ({what}")
        else:
            self.write(f"Started: {counted(spec.total_runs, 'run')} ({what}")

        destination = Destination(out, spec)

        def work(progress, cancel):
            return run_experiment(spec, destination, backend, progress=progress,
                                  cancel=cancel)

        job = Job(work, "experiment", self)
        job.progress.connect(self._progress)
        job.warned.connect(lambda text: self.write(f"Warning: {text}"))
        job.finished.connect(self._finished)
        job.failed.connect(lambda message, details: self._fail(message, details))
        job.cancelled.connect(self._cancelled)
        job.done.connect(self._done)
        self.job = job
        self.destination = destination
        self.start_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.status.setText("Running…")
        job.start()
        self.run_started.emit()
        return True

    def carry(self, old: str, target: str, spec: ExperimentSpec,
              saved: ExperimentSpec | None = None) -> int:
        """Save... of ``spec`` whose results go to ``target`` from now on: copy its runs
        from ``old`` there (``store.carry_results``); the number copied. While a run
        writes to ``old``, its table is moved instead (``Destination.move``), so the
        runs that finish after the save go to ``target`` as well, each once. ``saved``
        is the experiment as written when its dataset paths were rewritten for another
        folder: the results' record follows it, also when ``target`` is ``old`` (a
        results file the user chose stays theirs)."""
        destination = self.destination
        if destination is None or Path(old).resolve() != destination.path.resolve():
            return carry_results(old, target, spec, saved)
        carried = destination.move(target, spec, saved)
        if destination.path == Path(target) and Path(old) != Path(target):
            self.results_label.setText(f"Results file: {target}")
            self.write(f"Saved: {counted(carried, 'finished run')} copied to {target}; "
                       f"the runs still to come go there too")
        return carried

    def stop(self) -> None:
        """Ask the run to stop after the run in progress; returns at once."""
        if self.job is not None:
            self.job.stop()
            self.stop_button.setEnabled(False)
            self.status.setText("Stopping after the current run…")

    # Job signals (GUI thread) -----------------------------------------------------------
    def _progress(self, event: ProgressEvent) -> None:
        done, total = event.values.get("done"), event.values.get("total")
        if isinstance(done, int) and isinstance(total, int):
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(done)
        if event.message:
            self.status.setText(event.message)

    def _finished(self, summary: RunSummary) -> None:
        self.summary = summary
        self.progress.setValue(summary.total)
        text = (f"Finished: {summary.executed} runs computed, {summary.skipped} already in "
                f"the results, {summary.seconds:.1f} s. Results in {summary.path}.")
        self.status.setText(text)
        self.write(text)
        self.run_finished.emit(summary)

    def _cancelled(self) -> None:
        # Counted in the table: the run that was computing when Stop was pressed is
        # written, but its progress report is the one that sees the stop and never
        # arrives, so the bar is one short ("Stopped at 859" and then "Resuming: 860").
        # A table that cannot be read keeps the bar's count; the next Start says why.
        if self.destination is not None:
            with contextlib.suppress(WorkbenchError):
                self.progress.setValue(count_finished(self.destination.spec,
                                                      self.destination.path))
        text = (f"Stopped at {self.progress.value()}/{self.progress.maximum()} runs; "
                f"finished runs are kept and Start resumes from them.")
        self.status.setText(text)
        self.write(text)
        self.progress.setFormat("%v / %m runs: stopped")

    def _fail(self, message: str, details: str = "") -> None:
        message = gui_words(message)
        self.last_error = message
        if self.job is not None:
            # The run has ended: the bar is filled and says how far it got, instead of
            # seeming to wait at 400 / 600.
            done, total = self.progress.value(), self.progress.maximum()
            self.progress.setFormat(f"{done} of {total} runs done: ended by an error")
            if done:  # a run that ended part-way (a refusal at the start ran nothing)
                self.progress.setValue(total)
        self.status.setText(f"Error: {message}")
        self.write(f"Error: {message}")
        if details:
            self.log.appendPlainText(details)

    def _done(self) -> None:
        self.job = None
        self.destination = None
        self._count_cache = None   # the run changed the file
        self.start_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        self.run_ended.emit()
