"""Running the open flow off the GUI thread.

The executor does the work inside a ``Job`` (workers.py); node states reach the canvas
through the flow's observers (forwarded by the scene on a queued signal), overall
progress reaches the status bar through the job's ``progress`` signal. One executor per
open flow keeps results between runs, so only what changed re-runs.

Each run gets its own write consent (``start(agreed=...)``: the nodes and files the user
agreed to for that run, write_consent.py); ``agreed`` remembers every node and file
agreed to while this flow is open, so the editor asks again only about new ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from workbench.core.progress import ProgressEvent
from workbench.flow import Executor, Flow, RunResult
from workbench.gui.flow_editor.write_consent import allow_list
from workbench.gui.workers import Job


class FlowRunner(QObject):
    """Starts and stops runs of one flow; keeps the latest outputs of every node.

    Signals: ``started()``, ``progress(ProgressEvent)``, ``finished(RunResult)``,
    ``failed(message)``, ``stopped()``, ``done()``, and ``warned(text)`` for each distinct
    warning a library raised in the run.
    """

    started = Signal()
    progress = Signal(object)
    warned = Signal(str)
    finished = Signal(object)
    failed = Signal(str)
    stopped = Signal()
    done = Signal()

    def __init__(self, flow: Flow, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.flow = flow
        self.executor = Executor()
        self.job: Job | None = None
        self.result: RunResult | None = None
        self.outputs: dict[str, dict[str, Any]] = {}
        self.output_dir: Path | None = None
        # (node id, resolved target) pairs the user agreed to while this flow is open
        # (write_consent.py).
        self.agreed: set[tuple[str, Path]] = set()
        self._retired = False

    @property
    def running(self) -> bool:
        return self.job is not None

    def start(self, nodes: Iterable[str] | None = None, *,
              agreed: frozenset[tuple[str, Path]] = frozenset(),
              watched: frozenset[str] = frozenset()) -> bool:
        """Run the whole flow, or only ``nodes`` and what they need; False if busy.
        ``agreed``: the (node id, file) pairs this run may write beyond its folder
        (resolved as ``flow.writes.planned_writes`` showed them), added to what this
        flow's runs agreed to; its files are the run's allow-list. ``watched``: the
        nodes whose Watch window is open, whose learners record their dynamics."""
        if self.job is not None:
            return False
        flow, executor, out = self.flow, self.executor, self.output_dir
        only = list(nodes) if nodes is not None else None
        allowed = allow_list(agreed)
        self.agreed |= agreed

        def work(progress: Any, cancel: Any) -> RunResult:
            return executor.run(flow, progress, cancel, nodes=only, output_dir=out,
                                consented=allowed, watched=watched)

        job = Job(work, "flow-run")
        job.progress.connect(self._progress)
        job.warned.connect(self.warned.emit)
        job.finished.connect(self._finished)
        job.failed.connect(lambda message, _details: self.failed.emit(message))
        job.cancelled.connect(self.stopped.emit)
        job.done.connect(self._done)
        self.job = job
        self.started.emit()
        job.start()
        return True

    def stop(self) -> None:
        """Ask the run to stop at its next check; never blocks."""
        if self.job is not None:
            self.job.stop()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the worker ends (tests and shutdown only)."""
        return self.job.wait(timeout) if self.job is not None else True

    def _progress(self, event: ProgressEvent) -> None:
        self.progress.emit(event)

    def _finished(self, result: RunResult) -> None:
        self.result = result
        for node_id, outputs in result.outputs.items():
            self.outputs[node_id] = outputs
        for node_id in [n for n in self.outputs if n not in self.flow.nodes]:
            del self.outputs[node_id]
        self.finished.emit(result)

    def retire(self) -> None:
        """Let go of this runner (its flow is no longer shown): its cached results
        (datasets, trained models) and outputs are dropped and it is deleted, at once
        when idle, else when its stopped run's worker has ended (the executor is the
        worker's until then). Done in ``_done``, a slot of this object and so run on
        its thread: a plain function connected to the job's ``done`` ran on the worker's
        thread, where Qt can neither reparent nor delete a GUI object."""
        self._retired = True
        if self.job is None:
            self._release()

    def _release(self) -> None:
        self.executor.clear()
        self.outputs.clear()
        self.result = None
        self.setParent(None)   # the window holds it no more, even before Qt deletes it
        self.deleteLater()

    def _done(self) -> None:
        self.job = None
        self.done.emit()
        if self._retired:
            self._release()
