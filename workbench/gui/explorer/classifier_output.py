"""The Classify tab's output: WEKA's report, and the loss curves while a network trains.

While a run trains, the report pane only says what runs, in two lines, and the live
learning curves take the rest of the room; when it ends, the report gets the room back
(the curves stay one right-click away in the result list). The pane asks for the same
minimum height whether the curves are shown or not, so the tab around it never has to
make room in mid-run: nothing moves under the user's pointer.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QGroupBox, QPlainTextEdit, QSplitter, QVBoxLayout, QWidget

from workbench.core.progress import ProgressEvent
from workbench.gui.plots.learning import LearningCurveView
from workbench.gui.widgets.focus_frame import frame_focus

RUNNING_LINES = 2  # what the report pane says while a run trains


def report_text(evaluation: Any, predictions: bool = False) -> str:
    """The evaluation's WEKA report as the Explorer shows it (the Scheme line lists every
    option, as ``workbench classify`` prints it); ``predictions`` appends every
    prediction."""
    from workbench.evaluation import predictions_table

    text = evaluation.report()
    if predictions:
        header, rows = predictions_table(evaluation.results)
        lines = ["", "=== Predictions ===", "", "\t".join(header)]
        lines += ["\t".join(row) for row in rows]
        text = text.rstrip("\n") + "\n" + "\n".join(lines) + "\n"
    return text


RUN_AGAIN = "No result was kept; change the settings and press Start again."
REEVALUATE_AGAIN = ("No result was kept; set another test set (Supplied test set: Set...) "
                    "and choose Re-evaluate model on current test set again.")

class ClassifierOutput(QSplitter):
    """The report above, the live learning curves below (shown only while they grow)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        # The keyboard moves in it too, as in WEKA's output area: read-only it took the
        # mouse only, so Ctrl+End did not reach the summary under a 12 600-line model.
        self.report.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.report.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.report.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.report.setMinimumHeight(self._lines_height(RUNNING_LINES))
        frame_focus(self.report)  # read-only: Fusion shows no focus on it otherwise
        self.curve = LearningCurveView()
        self.report_box = QGroupBox("Classifier output")
        QVBoxLayout(self.report_box).addWidget(self.report)
        self.addWidget(self.report_box)
        self.addWidget(self.curve)
        self.setChildrenCollapsible(False)
        self.curve.setVisible(False)
        self._running = False
        # The floor the curves need, asked for from the start (see the module's note).
        self.setMinimumHeight(self.report_box.minimumSizeHint().height()
                              + self.handleWidth() + self.curve.minimumHeight())

    def _lines_height(self, lines: int) -> int:
        """The height of the report field showing ``lines`` lines, frame included."""
        margin = self.report.document().documentMargin()
        return (lines * self.report.fontMetrics().lineSpacing()
                + 2 * (self.report.frameWidth() + round(margin)) + 2)

    def show_running(self, title: str, classifier: Any = None) -> None:
        # The previous report would read as this run's while it trains: say what runs.
        self.show_message(f"Running {title}...\nThe report appears here when the run "
                          f"finishes; Stop cancels it.")
        self.curve.setVisible(False)
        self.curve.name_validation_parameter(_validation_parameter(classifier),
                                             _auto_rule(classifier))
        self._running = True

    def on_progress(self, event: ProgressEvent) -> None:
        """Grow the loss curves from a training epoch's progress event."""
        if "epoch" not in event.values or "loss" not in event.values:
            return
        if not self.curve.isVisibleTo(self):
            self.curve.setVisible(True)
            # The report pane only says what runs, in its two lines: the curves get
            # the rest of the room.
            total = max(sum(self.sizes()), self.minimumHeight())
            top = self.report_box.minimumSizeHint().height()
            self.setSizes([top, total - top])
        self.curve.on_progress(event)

    def clear(self) -> None:
        """Back to a clean pane: no report, no curves (new data: the old run's curves
        and words are about data no longer shown)."""
        self.report.clear()
        self.curve.stop_live()
        self.curve.set_history(None)
        self.curve.setVisible(False)

    def show_report(self, text: str) -> None:
        """Show a chosen result's report. Outside a run it takes the whole pane: a
        stopped run's curves, kept for a look after Stop, belong to no result in the
        list, and left in place they would read as the chosen one's.

        A report keeps its lines as WEKA lays them out (tables in columns): no
        wrapping, a horizontal scroll bar where a line is wider than the pane."""
        self.report.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.report.setPlainText(text)
        if not self._running:
            self.curve.setVisible(False)

    def show_message(self, text: str) -> None:
        """Words about the run (running, stopped, failed) rather than a report: wrapped
        at the pane's width, so a long reason is read whole instead of running off
        behind a horizontal scroll bar (a refusal with its hint is 250 characters)."""
        self.report.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.report.setPlainText(text)

    def show_stopped(self) -> None:
        self.show_message("Stopped: the run was cancelled before it finished; no result "
                          "was kept.")

    def show_failed(self, message: str, advice: str = RUN_AGAIN) -> None:
        """A failed run's reason in the pane that said it was running: left there, the
        "Running ... the report appears here" text would promise a report that never
        comes, and the reason would show only in the status line. ``advice`` is what to
        do next: Start for a run, never for a re-evaluated model (Start trains anew)."""
        self.show_message(f"Failed: {message}\n{advice}")

    def run_ended(self, finished: bool) -> None:
        """The run is over; a finished one's report takes the room from the curves."""
        if finished and not self.report.toPlainText().startswith("Stopped"):
            self.curve.setVisible(False)
        self._running = False
        self.curve.stop_live()


def _validation_parameter(classifier: Any) -> str | None:
    """The name, as its sheet shows it, of the parameter with which ``classifier``
    holds out validation data, if it has one."""
    for param in getattr(classifier, "params", ()):
        if param.name.startswith("validation_"):
            return str(param.display_name)
    return None


def _auto_rule(classifier: Any) -> str | None:
    """What the validation parameter does when it is left at "auto" (the words after
    "auto:" in its help), when it is; None for a number or a learner without one."""
    for param in getattr(classifier, "params", ()):
        if param.name.startswith("validation_"):
            if getattr(classifier, param.name, 0) is not None:
                return None
            _, _, rule = str(param.help).partition("auto:")
            return rule.strip() or "chosen from the data"
    return None
