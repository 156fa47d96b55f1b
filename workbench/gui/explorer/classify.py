"""The Classify tab: choose and configure a classifier, choose how to test it, run it.

The tab puts together the Classifier box (``classifier_box``), the Test options
(``test_options_panel``), the result list (``result_list``) and the report, and runs
the evaluation: through ``workbench.evaluation.evaluate``, the same call ``workbench
classify`` makes, inside a ``Job`` worker, so the report here is the report there and the
window never waits: Stop sets the cancel token and the worker ends at its next check.
Each finished run becomes an entry in the result list, whose right-click menu
(``result_menu``) opens the viewers.
"""

from __future__ import annotations

import dataclasses
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.registry import Registry
from workbench.data.dataset import Dataset
from workbench.evaluation.test_options import TestOptions
from workbench.gui.explorer.attribute_list import typed_names
from workbench.gui.explorer.classifier_box import ClassifierBox
from workbench.gui.explorer.classifier_output import (
    REEVALUATE_AGAIN,
    RUN_AGAIN,
    ClassifierOutput,
    report_text,
)
from workbench.gui.explorer.loaded_model import LoadedModel
from workbench.gui.explorer.progress_line import ProgressLine
from workbench.gui.explorer.result_list import ResultList
from workbench.gui.explorer.test_options_panel import (
    IncompatibleTestSet,
    TestOptionsPanel,
    TestSetStillRead,
    parse_cost_matrix,
)
from workbench.gui.freed_memory import give_back_soon
from workbench.gui.watch import NOTHING_TO_WATCH, TrainingWatch, can_watch, watch_tip
from workbench.gui.widgets.combo_fill import fill_combo
from workbench.gui.widgets.form_names import name_by_label
from workbench.gui.widgets.literal import ask
from workbench.gui.widgets.param_sheet import ParamSheet
from workbench.gui.widgets.short_screen import scrolling_body
from workbench.gui.widgets.status import ElidedLabel
from workbench.gui.workers import Job

if TYPE_CHECKING:
    from workbench.gui.plots.weights import WeightsView


# WEKA's Explorer wraps with a new InputMappedClassifier, whose defaults match names
# ignoring case and surrounding blanks (its command line's -I and -trim); ours does the
# same, so the Scheme line reads as WEKA's: "InputMappedClassifier -I -trim -W ...".
WEKA_EXPLORER_MAPPING = {"ignore_case": True, "trim": True}


def background_priority(nice: int = 10) -> None:
    """Lower the calling worker thread's CPU priority (Linux: per-thread nice).

    When cores are scarce the training thread then gives way to the GUI thread, so the
    window keeps answering; on an idle machine training runs as fast as before.
    """
    import contextlib
    import os
    import threading

    # Not Linux (no per-thread nice), or not allowed: run at the normal priority.
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)


class ClassifyTab(QWidget):
    """Classifier, test options, Start/Stop, report and result list."""

    status = Signal(str)          # a line for the status bar and the log
    # The refusal last said no longer holds (the configuration changed after it)
    refusal_withdrawn = Signal()
    # An int, not a bool: PySide6 6.12 loses a reference to True/False on every emit of a
    # Python bool through a Python-declared signal, and crashes once it reaches zero.
    running_changed = Signal(int)  # 1 when a run starts, 0 when it ends
    progress_changed = Signal(object)  # fraction or None

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.dataset: Dataset | None = None
        self.job: Job | None = None
        self.waiting_for_test_set = False   # Start pressed while Set... reads the file
        self._running: Any = None   # the classifier (or model) the current run trains
        self._advice = RUN_AGAIN    # what a failure's message says to do next
        self._started = 0.0
        self.watch = TrainingWatch(self)  # the "Watch weights" window and its run
        self._run_label = ""  # the running classifier as the user chose it ("IBk -K 3")
        self._entry_label: str | None = None
        self._fitted_once = False  # the sheet is sized to its parameters on first show

        self.chooser_box = ClassifierBox(registry)
        self.chooser_box.changed.connect(self._configuration_changed)
        self.chooser = self.chooser_box.chooser
        self.options_line = self.chooser_box.options_line
        self.sheet_scroll = self.chooser_box.sheet_scroll

        self.testing = TestOptionsPanel()
        self.testing.changed.connect(self._configuration_changed)
        # The panel's widgets by the names scripts and the window use.
        self.use_training, self.use_test = self.testing.use_training, self.testing.use_test
        self.use_cv, self.use_split = self.testing.use_cv, self.testing.use_split
        self.test_button = self.testing.test_button
        self.output_predictions = self.testing.output_predictions
        self.cost_matrix = self.testing.cost_matrix

        self.class_box = QComboBox()
        self.start_button = QPushButton("Start")
        self.stop_button = QPushButton("Stop")
        self.stop_button.setEnabled(False)
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.watch_button = QPushButton("Watch weights")
        self.watch_button.setEnabled(False)  # until a classifier with weights is chosen
        self.watch_button.clicked.connect(self.watch_weights)
        run_row = QHBoxLayout()
        run_row.addWidget(self.start_button)
        run_row.addWidget(self.stop_button)
        run_row.addWidget(self.watch_button)

        self.results = ResultList()
        self.results.shown.connect(self._show_result)
        self.results_list = self.results.results_list  # result_menu and scripts use it
        self.evaluations = self.results.evaluations    # the same list, never replaced

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.testing)
        class_row = QHBoxLayout()  # one row, so the parameter sheet above has more room
        class_label = QLabel("Class:")
        class_row.addWidget(class_label)
        class_row.addWidget(self.class_box, 1)
        left_layout.addLayout(class_row)
        name_by_label(class_label, self.class_box)
        left_layout.addLayout(run_row)
        left_layout.addWidget(self.results, 1)

        self.output = ClassifierOutput()
        self.report, self.curve = self.output.report, self.output.curve
        self.results.emptied.connect(self.report.clear)
        self.results.opened.connect(self.report.setFocus)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 100)
        # Elided, never wider than its room: a failed run's whole reason once made the
        # window 2665 px wide (it is whole in the output pane and the tooltip).
        self.progress_label = ElidedLabel("")
        # Busy bar and seconds while a learner fits without reporting (random forest).
        self.progress_line = ProgressLine(self.progress_label, self.progress_bar, parent=self)
        self.progress_line.idle()

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.output)
        splitter.setSizes([280, 700])
        bottom = QHBoxLayout()
        bottom.addWidget(self.progress_label, 1)
        bottom.addWidget(self.progress_bar)

        # The sheet gets the room it needs: it sits above a splitter handle, sized to its
        # parameters when a classifier is chosen, and the user can drag it larger.
        self.config_splitter = QSplitter(Qt.Orientation.Vertical)
        self.config_splitter.addWidget(self.chooser_box)
        self.config_splitter.addWidget(splitter)
        self.config_splitter.setStretchFactor(1, 1)
        self.config_splitter.setChildrenCollapsible(False)
        self.chooser_box.fit_into(self.config_splitter)
        layout = QVBoxLayout(scrolling_body(self))  # scrolls on a short screen
        layout.addWidget(self.config_splitter, 1)
        layout.addLayout(bottom)
        self.set_dataset(None)
        self._update_watch_button()

    # Configuration ----------------------------------------------------------------------
    @property
    def sheet(self) -> ParamSheet | None:
        """The chosen classifier's parameter sheet."""
        return self.chooser_box.sheet

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._fitted_once:
            self._fitted_once = True
            self.chooser_box.fit()

    def choose(self, name: str, values: dict[str, Any] | None = None) -> None:
        """Pick a classifier and set some of its parameters (scripts, tests, settings)."""
        self.chooser_box.choose(name, values)

    def configured_classifier(self) -> Any:
        return self.chooser_box.configured_classifier()

    def scheme_label(self, classifier: Any) -> str:
        """The name the user chose from, with WEKA-style options: "IBk -K 3"."""
        return self.chooser_box.scheme_label(classifier)

    def test_options(self) -> TestOptions:
        """The test options shown, or a ``WorkbenchError`` naming the field to fix."""
        return self.testing.options()

    def set_test_options(self, **values: Any) -> None:
        """Show these test options (``mode="split", percent=80``); a refused value is
        shown under its field, not raised."""
        self.testing.set_values(values)

    def _configuration_changed(self) -> None:
        if self.job is None and self.progress_label.text().startswith("Error:"):
            self.progress_line.idle()  # the refusal was about the old configuration
            self.refusal_withdrawn.emit()
        self._update_watch_button()

    def _update_watch_button(self) -> None:
        """Watch weights is offered while a run trains, and before Start for a classifier
        the window has pages for: opened first, it follows the run from its first epoch,
        and the run records its dynamics (``start``)."""
        watchable = can_watch(self._running if self.job is not None
                              else self._chosen_classifier())
        self.watch_button.setEnabled(watchable)
        self.watch_button.setToolTip(watch_tip() if watchable else NOTHING_TO_WATCH)

    def _chosen_classifier(self) -> Any:
        """The classifier as configured, or None while its sheet refuses a value."""
        try:
            return self.configured_classifier()
        except WorkbenchError:
            return None

    def set_dataset(self, dataset: Dataset | None) -> None:
        """The working data changed (loaded, filtered): keep the class choice if possible.

        The result list keeps its entries and the selected one stays selected with its
        report shown, as in WEKA (its setInstances touches neither). Otherwise, unless a
        run is under way, the output starts clean: a stopped run's curves, "Stopped" and
        error lines are about data no longer shown.
        """
        previous = self.class_box.currentText()
        if (dataset is not self.dataset and self.job is None
                and not self.results.showing_current()):
            self.clear_output()
        self.dataset = dataset
        names = [] if dataset is None else typed_names(dataset.attributes)
        index = -1
        if dataset is not None:
            index = names.index(previous) if previous in names else (
                dataset.class_index if dataset.class_index is not None
                else dataset.num_attributes - 1)
        fill_combo(self.class_box, names, index)   # one model reset (combo_fill.py)
        self.start_button.setEnabled(dataset is not None and self.job is None)
        if self.job is None and self.progress_label.text().startswith("Error:"):
            # A refusal about the previous data ("expected a 3 x 3 matrix") is stale.
            self.progress_line.idle()

    def clear_output(self) -> None:
        """An empty report, no live curves, no progress: the tab as on a fresh start."""
        self.results.deselect()
        self.output.clear()
        self.progress_line.idle()  # no bar, not "0%": nothing has run on this data

    @property
    def test_set(self) -> Dataset | None:
        """The supplied test set (Set...), as loaded."""
        return self.testing.test_set

    def set_test_set(self, dataset: Dataset | None, label: str = "") -> None:
        self.testing.set_test_set(dataset, label)

    def training_data(self) -> Dataset:
        if self.dataset is None:
            raise WorkbenchError("open a dataset first (Preprocess tab, or File > Open)")
        return self.dataset.with_class(self.class_box.currentIndex())

    # Running ----------------------------------------------------------------------------
    def start_if_waiting(self, read: bool) -> None:
        """The test set Start waited for is read (``read``) or could not be: run now,
        or say the run did not start."""
        if not self.waiting_for_test_set:
            return
        self.waiting_for_test_set = False
        if read:
            self.start()
        else:
            self.progress_line.idle("Not started: the test set could not be read")

    @property
    def running(self) -> bool:
        return self.job is not None

    def start(self) -> bool:
        """Start the configured run in a worker; False (and a message) if it cannot."""
        from workbench.evaluation import evaluate

        if self.job is not None:
            self.status.emit("A run is in progress: stop it or wait for it first")
            return False
        try:
            classifier = self.configured_classifier()
            data = self.training_data()
            option, classifier = self._test_option_mapping_if_asked(data, classifier)
            cost = None
            if data.class_attribute is not None and data.class_attribute.is_nominal:
                cost = parse_cost_matrix(self.cost_matrix.text(),
                                         data.class_attribute.num_values,
                                         data.class_attribute.name)
            capabilities = getattr(classifier, "capabilities", None)
            if capabilities is not None:  # refuse before a worker starts, with WEKA's words
                capabilities.check(data, classifier.display_name)
        except TestSetStillRead as error:
            # Pressed right after Set...: the run starts once the file is read
            # (``start_if_waiting``), as the user asked; nothing needs changing.
            self.waiting_for_test_set = True
            self.progress_line.idle(f"Waiting for the test set {error.name}: the run "
                                    f"starts once it is read")
            return False
        except WorkbenchError as error:
            self._fail(str(error), "")
            return False

        from workbench.classifiers.recording import record_while_watched, stop_recording
        from workbench.evaluation.evaluate import scheme_line

        label = self.scheme_label(classifier)
        # A watched run records for its Dynamics tab; the model it keeps goes back to
        # the configured value, so "Save model..." writes it as configured, and the
        # report's Scheme line is the configured one, not the window's recording.
        configured = scheme_line(classifier)
        recording = self.watch.watching and record_while_watched(classifier,
                                                                 data.num_instances)

        def work(progress, cancel):
            background_priority()
            evaluation = evaluate(classifier, data, option, progress=progress,
                                  cancel=cancel, cost_matrix=cost)
            if recording:
                stop_recording(evaluation.model)
                evaluation.scheme_options = configured
            return evaluation

        # The log keeps what reproduces the run, as WEKA's does: the whole scheme, and
        # the cost matrix, which the title does not show.
        cost_line = "" if cost is None else "\nCost matrix: [" + "; ".join(
            " ".join(f"{v:g}" for v in row) for row in cost) + "]"
        quicker = ("a percentage split is quicker for a first try"
                   if option.mode == "cross_validation" else "")
        self._run(work, classifier, f"{label} ({option.test_mode_text()})", label,
                  details=f"Scheme: {configured}{cost_line}", quicker=quicker)
        return True

    def _test_option_mapping_if_asked(self, data: Dataset, classifier: Any
                                      ) -> tuple[Any, Any]:
        """The run's test option, and the classifier to run: wrapped in an
        InputMappedClassifier when the supplied test set's header differs and the user
        answers Yes to WEKA's question; No refuses the run naming the difference."""
        from workbench.classifiers.input_mapped import InputMappedClassifier

        maps = isinstance(classifier, InputMappedClassifier)
        try:
            return self.testing.test_option(data, mapped=maps), classifier
        except IncompatibleTestSet as error:
            if not self.ask_map_test_set(error.why):
                raise
        wrapped = InputMappedClassifier.around(classifier, **WEKA_EXPLORER_MAPPING)
        return self.testing.test_option(data, mapped=True), wrapped

    def ask_map_test_set(self, why: str) -> bool:
        """WEKA's Explorer question when the supplied test set's header differs; True
        to map it (the tests answer in its place)."""
        answer = ask(   # ``why`` names the test file's attributes: shown as written
            self, "Train and test set are not compatible",
            f"Train and test set are not compatible: {why}.\n\n"
            f"Would you like to automatically wrap the classifier in an "
            f"InputMappedClassifier before proceeding?\n\n"
            f"It matches attributes by name and labels by text; what the training data "
            f"never had (an attribute, a label) becomes a missing value, and the model "
            f"text lists the mapping.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes)
        return answer == QMessageBox.StandardButton.Yes

    def refuse(self, message: str, advice: str = RUN_AGAIN) -> None:
        """A run or re-evaluation that cannot start: the reason and what to do next."""
        self._advice = advice
        self._fail(message, "")

    def evaluate_model(self, model: Any, option: Any, data: Dataset) -> bool:
        """Evaluate an already trained model (loaded, or from the result list) in a worker."""
        from workbench.classifiers.input_mapped import InputMappedClassifier
        from workbench.evaluation import evaluate

        if self.job is not None:
            self.status.emit("A run is in progress: stop it or wait for it first")
            return False

        def work(progress, cancel):
            background_priority()
            evaluation = evaluate(model, data, option, progress=progress, cancel=cancel,
                                  model=model)
            if option.test_set is not None:   # as the command line's -l with -T: the
                # report and viewers read the test rows, as the model scored them
                evaluation.dataset = (model.map_input(option.test_set)
                                      if isinstance(model, InputMappedClassifier)
                                      else option.test_set)
            return evaluation

        label = self.scheme_label(model)
        # The entry is told apart from a run that trained the model; the report's Scheme
        # line stays a scheme (one a user can type again).
        entry = (f"{label} re-evaluated on {option.test_set.relation}"
                 if option.test_set is not None else label)
        self._run(work, model, f"{entry} ({option.test_mode_text()})", label, entry)
        self._advice = REEVALUATE_AGAIN   # Start would train a new model
        self._running = None   # a model being tested trains nothing to watch
        self._update_watch_button()
        return True

    def _run(self, work: Any, classifier: Any, title: str, label: str,
             entry: str | None = None, details: str = "", quicker: str = "") -> None:
        job = Job(work, f"classify-{classifier.name}", self, step=f"training {label}")
        job.progress.connect(self._on_progress)
        job.warned.connect(lambda text: self.status.emit(f"Warning: {text}"))
        job.finished.connect(self._on_finished)
        job.failed.connect(self._fail)
        job.cancelled.connect(self._on_cancelled)
        job.done.connect(self._on_done)
        self.job = job
        self._advice = RUN_AGAIN
        self._running = classifier   # what Watch weights can follow while it trains
        self._run_label = label
        self._entry_label = entry   # the result list's name, when not the label
        self._started = time.perf_counter()
        self.start_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self._update_watch_button()
        self.watch.run_started(self.dataset)
        self.progress_line.start(f"Running {label}...", quicker)
        self.results.deselect()  # its report would read as this run's
        self.output.show_running(title, classifier)
        self.status.emit(f"Running {title}" + (f"\n{details}" if details else ""))
        self.running_changed.emit(1)
        job.start()

    def stop(self) -> None:
        """Ask the run to stop; returns at once (the worker ends at its next check)."""
        if self.job is not None:
            self.job.stop()
            self.progress_line.stop()  # its seconds would overwrite "Stopping..."
            self.progress_label.setText("Stopping...")
            # Focus leaving the disabled Stop button would land on the result list, which
            # then selects (and shows) its first, older report. Escape pressed while
            # typing in a field leaves the focus there.
            if self.stop_button.hasFocus():
                self.report.setFocus()
            self.stop_button.setEnabled(False)

    def _on_progress(self, event: Any) -> None:
        self.progress_line.show(event)
        self.progress_changed.emit(event.fraction)
        self.watch.on_progress(event)
        self.output.on_progress(event)

    def _on_cancelled(self) -> None:
        self.progress_line.stop()
        self.progress_label.setText("Stopped: the run was cancelled")
        self.progress_bar.setValue(0)
        self.output.show_stopped()
        self.status.emit("Stopped: the run was cancelled")

    def _on_finished(self, evaluation: Any) -> None:
        elapsed = time.perf_counter() - self._started
        # Name the result as the user chose it ("IBk -K 3"): the result list, viewer titles
        # and curve legends read it from the results (the report's Scheme line lists
        # every option instead, as WEKA's does).
        label = self._run_label or evaluation.scheme
        evaluation.results = dataclasses.replace(evaluation.results, classifier=label)
        self.progress_line.stop()
        self.progress_bar.setValue(100)
        shown = self._entry_label or label
        self.progress_label.setText(f"Finished {shown} in {elapsed:.1f} s")
        # first: nothing a viewer does can lose the result
        self.add_result(evaluation, None if self._entry_label is None else
                        f"{time.strftime('%H:%M:%S')} - {self._entry_label}")
        # Show the model the run kept, not the last fold's.
        self.watch.finished(evaluation.model, evaluation.dataset)
        self.status.emit(f"Finished {shown} in {elapsed:.1f} s")

    def add_result(self, evaluation: Any, label: str | None = None) -> None:
        """Put an evaluation in the result list and show its report."""
        self.results.add(evaluation, label)

    def _fail(self, message: str, details: str) -> None:
        # No result was kept: no bar, not the last run's "100%" beside the reason.
        self.progress_line.idle(f"Error: {message}")
        self.output.show_failed(message, self._advice)
        self._advice = RUN_AGAIN
        self.status.emit(f"Error: {message}" + (f"\n{details}" if details else ""))

    def _on_done(self) -> None:
        finished = self.results_list.currentRow() >= 0
        self.output.run_ended(finished=finished)
        if not finished:   # stopped or failed: the entry current before is again
            self.results.restore()
        self.job = None
        self.progress_line.stop()
        self.start_button.setEnabled(self.dataset is not None)
        self.stop_button.setEnabled(False)
        self._update_watch_button()
        self.watch.run_ended()
        self.progress_changed.emit(None)
        self.running_changed.emit(0)
        give_back_soon()   # the run's arrays, freed on its worker thread

    def watch_weights(self) -> WeightsView:
        """Open (or raise) the weights window that follows the model in training.

        It shows the model being trained now (during a cross-validation: the full-data
        model, then each fold's) and, when the run ends, the model the run kept.
        """
        return self.watch.open(self.dataset)

    @property
    def live_weights(self) -> WeightsView | None:
        """The "Watch weights" window, once opened."""
        return self.watch.view

    # Results ----------------------------------------------------------------------------
    def report_text(self, evaluation: Any) -> str:
        """The report as shown here, with predictions when they are asked for; a loaded
        model's entry shows the model."""
        if isinstance(evaluation, LoadedModel):
            return evaluation.text
        return report_text(evaluation, self.output_predictions.isChecked())

    def _show_result(self, evaluation: Any) -> None:
        self.output.show_report(self.report_text(evaluation))

    @property
    def loaded_models(self) -> list[LoadedModel]:
        """The models loaded from files, in the result list's order."""
        return [e for e in self.evaluations if isinstance(e, LoadedModel)]

    def current_evaluation(self) -> Any:
        return self.results.current()

    def remove_result(self, row: int) -> None:
        """Delete result ``row``: its model and predictions are freed, and the memory
        they took given back."""
        self.results.remove(row)
        give_back_soon()
