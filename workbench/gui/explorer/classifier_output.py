"""The Classify tab's output: WEKA's report, and the loss curves while a network trains.

While a run trains, the report pane only says what runs and the live learning curves
take most of the room; when it ends, the report gets the room back (the curves stay one
right-click away in the result list).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QGroupBox, QPlainTextEdit, QSplitter, QVBoxLayout, QWidget

from workbench.core.progress import ProgressEvent
from workbench.gui.plots.learning import LearningCurveView


def report_text(evaluation: Any, predictions: bool = False) -> str:
    """The evaluation's WEKA report as the Explorer shows it: the Scheme line names the
    classifier as chosen ("IBk -K 3"), and ``predictions`` appends every prediction."""
    from workbench.evaluation import predictions_table

    text = evaluation.report()
    label = evaluation.results.classifier
    if label and label != evaluation.scheme:
        # The Scheme line names the classifier as the menus and the result list do.
        text = text.replace(f"Scheme:       {evaluation.scheme}\n",
                            f"Scheme:       {label}\n", 1)
    if predictions:
        header, rows = predictions_table(evaluation.results)
        lines = ["", "=== Predictions ===", "", "\t".join(header)]
        lines += ["\t".join(row) for row in rows]
        text = text.rstrip("\n") + "\n" + "\n".join(lines) + "\n"
    return text


class ClassifierOutput(QSplitter):
    """The report above, the live learning curves below (shown only while they grow)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.report.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.curve = LearningCurveView()
        report_box = QGroupBox("Classifier output")
        QVBoxLayout(report_box).addWidget(self.report)
        self.addWidget(report_box)
        self.addWidget(self.curve)
        self.curve.setVisible(False)

    def show_running(self, title: str) -> None:
        # The previous report would read as this run's while it trains: say what runs.
        self.report.setPlainText(f"Running {title}...\n\nThe report appears here when the "
                                 f"run finishes; Stop cancels it.")
        self.curve.setVisible(False)

    def on_progress(self, event: ProgressEvent) -> None:
        """Grow the loss curves from a training epoch's progress event."""
        if "epoch" not in event.values or "loss" not in event.values:
            return
        if not self.curve.isVisibleTo(self):
            self.curve.setVisible(True)
            # The report pane only says what runs: the curves get most of the room.
            total = max(sum(self.sizes()), 400)
            self.setSizes([total * 2 // 5, total - total * 2 // 5])
        self.curve.on_progress(event)

    def show_stopped(self) -> None:
        self.report.setPlainText("Stopped: the run was cancelled before it finished; "
                                 "no result was kept.")

    def run_ended(self, finished: bool) -> None:
        """The run is over; a finished one's report takes the room from the curves."""
        if finished and not self.report.toPlainText().startswith("Stopped"):
            self.curve.setVisible(False)
        self.curve.stop_live()
