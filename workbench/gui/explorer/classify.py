"""The Classify tab: choose and configure a classifier, choose how to test it, run it.

The run goes through ``workbench.evaluation.evaluate``, the same call ``workbench
classify`` makes, inside a ``Job`` worker, so the report here is the report there and the
window never waits: Stop sets the cancel token and the worker ends at its next check.
Each finished run becomes an entry in the result list, which keeps the ``Evaluation``
for the viewers offered on its right-click menu (``result_menu``).
"""

from __future__ import annotations

import dataclasses
import time
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.names import configured_name
from workbench.core.registry import Registry
from workbench.data.dataset import Dataset
from workbench.gui.widgets.chooser import ComponentChooser
from workbench.gui.widgets.param_sheet import ParamSheet
from workbench.gui.workers import Job

if TYPE_CHECKING:
    from workbench.gui.plots.weights import WeightsView


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


def parse_cost_matrix(text: str, classes: int) -> np.ndarray | None:
    """A cost matrix typed as ``[0 1; 1 0]`` (rows actual, columns predicted), or None."""
    body = text.strip().strip("[]").strip()
    if not body:
        return None
    try:
        rows = [[float(v) for v in row.replace(",", " ").split()] for row in body.split(";")]
    except ValueError:
        raise WorkbenchError(f"cost matrix '{text}': expected numbers like [0 1; 1 0]") from None
    if len(rows) != classes or any(len(r) != classes for r in rows):
        raise WorkbenchError(f"cost matrix '{text}' must be {classes} x {classes}, one row "
                             f"and one column per class")
    return np.array(rows)


class ClassifyTab(QWidget):
    """Classifier, test options, Start/Stop, report and result list."""

    status = Signal(str)          # a line for the status bar and the log
    # An int, not a bool: PySide6 6.12 loses a reference to True/False on every emit of a
    # Python bool through a Python-declared signal, and crashes once it reaches zero.
    running_changed = Signal(int)  # 1 when a run starts, 0 when it ends
    progress_changed = Signal(object)  # fraction or None

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.dataset: Dataset | None = None
        self.test_set: Dataset | None = None
        self.job: Job | None = None
        self.evaluations: list[Any] = []
        self.loaded_models: list[tuple[str, Any, str]] = []
        self._started = 0.0
        self.live_weights: WeightsView | None = None  # the "Watch weights" window
        self._live_model: Any = None  # the model the running job trains now
        self._run_label = ""  # the running classifier as the user chose it ("IBk -K 3")
        self._fitted_once = False  # the sheet is sized to its parameters on first show

        # Classifier chooser, its one-line configuration and its sheet.
        chooser_box = QGroupBox("Classifier")
        chooser_layout = QVBoxLayout(chooser_box)
        row = QHBoxLayout()
        self.chooser = ComponentChooser(registry, "classifier", "zeror")
        self.options_line = QLineEdit()
        self.options_line.setReadOnly(True)
        # Read-only, and drawn so: no white field inviting typing (the sheet below edits).
        self.options_line.setFrame(False)
        self.options_line.setStyleSheet("QLineEdit { background: transparent; }")
        self.options_line.setToolTip("The configuration as one line (read-only: edit the "
                                     "parameters below); copy it to use it with "
                                     "'workbench classify'")
        row.addWidget(QLabel("Choose:"))
        row.addWidget(self.chooser)
        row.addWidget(self.options_line, 1)
        chooser_layout.addLayout(row)
        # The sheet gets the room it needs: it sits above a splitter handle, sized to its
        # parameters when a classifier is chosen, and the user can drag it larger.
        self.sheet_scroll = QScrollArea()
        self.sheet_scroll.setWidgetResizable(True)
        self.sheet_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        chooser_layout.addWidget(self.sheet_scroll, 1)
        self.chooser_box = chooser_box
        self.sheet: ParamSheet | None = None
        self.chooser.chosen.connect(self._classifier_chosen)

        # Test options.
        options_box = QGroupBox("Test options")
        grid = QGridLayout(options_box)
        self.use_training = QRadioButton("Use training set")
        self.use_test = QRadioButton("Supplied test set")
        self.use_cv = QRadioButton("Cross-validation  Folds")
        self.use_split = QRadioButton("Percentage split  %")
        self.mode_group = QButtonGroup(self)
        for button in (self.use_training, self.use_test, self.use_cv, self.use_split):
            self.mode_group.addButton(button)
        self.use_cv.setChecked(True)
        self.test_button = QPushButton("Set...")
        self.test_label = QLabel("(none)")
        self.folds = QSpinBox()
        self.folds.setRange(2, 1000)
        self.folds.setValue(10)
        self.percent = QSpinBox()
        self.percent.setRange(1, 99)
        self.percent.setValue(66)
        self.seed = QSpinBox()
        self.seed.setRange(-2**31, 2**31 - 1)
        self.seed.setValue(1)
        self.preserve_order = QCheckBox("Preserve order for % split")
        self.output_predictions = QCheckBox("Output predictions")
        self.cost_matrix = QLineEdit()
        self.cost_matrix.setPlaceholderText("cost matrix, e.g. [0 1; 5 0]")
        grid.addWidget(self.use_training, 0, 0, 1, 2)
        grid.addWidget(self.use_test, 1, 0)
        grid.addWidget(self.test_button, 1, 1)
        grid.addWidget(self.test_label, 2, 0, 1, 2)
        grid.addWidget(self.use_cv, 3, 0)
        grid.addWidget(self.folds, 3, 1)
        grid.addWidget(self.use_split, 4, 0)
        grid.addWidget(self.percent, 4, 1)
        grid.addWidget(QLabel("Random seed"), 5, 0)
        grid.addWidget(self.seed, 5, 1)
        grid.addWidget(self.preserve_order, 6, 0, 1, 2)
        grid.addWidget(self.output_predictions, 7, 0, 1, 2)
        grid.addWidget(self.cost_matrix, 8, 0, 1, 2)

        self.class_box = QComboBox()
        self.start_button = QPushButton("Start")
        self.stop_button = QPushButton("Stop")
        self.stop_button.setEnabled(False)
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.watch_button = QPushButton("Watch weights")
        self.watch_button.setToolTip("Open the learned weights and follow them while the "
                                     "classifier trains (tiles, filters, RBM units)")
        self.watch_button.setEnabled(False)
        self.watch_button.clicked.connect(self.watch_weights)
        run_row = QHBoxLayout()
        run_row.addWidget(self.start_button)
        run_row.addWidget(self.stop_button)
        run_row.addWidget(self.watch_button)

        self.results_list = QListWidget()
        self.results_list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.results_list.currentRowChanged.connect(self._show_result)
        self.results_list.setMinimumHeight(36)  # two rows; it grows with the window
        results_box = QGroupBox("Result list (right-click for options)")
        QVBoxLayout(results_box).addWidget(self.results_list)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(options_box)
        class_row = QHBoxLayout()  # one row, so the parameter sheet above has more room
        class_row.addWidget(QLabel("Class:"))
        class_row.addWidget(self.class_box, 1)
        left_layout.addLayout(class_row)
        left_layout.addLayout(run_row)
        left_layout.addWidget(results_box, 1)

        # Report, live curve, progress.
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.report.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.curve = _live_curve()
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 100)
        self.progress_label = QLabel("")
        right = QSplitter(Qt.Orientation.Vertical)
        report_box = QGroupBox("Classifier output")
        QVBoxLayout(report_box).addWidget(self.report)
        right.addWidget(report_box)
        right.addWidget(self.curve)
        self.curve.setVisible(False)
        self.right_splitter = right

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([280, 700])
        bottom = QHBoxLayout()
        bottom.addWidget(self.progress_label, 1)
        bottom.addWidget(self.progress_bar)

        self.config_splitter = QSplitter(Qt.Orientation.Vertical)
        self.config_splitter.addWidget(chooser_box)
        self.config_splitter.addWidget(splitter)
        self.config_splitter.setStretchFactor(1, 1)
        self.config_splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.config_splitter, 1)
        layout.addLayout(bottom)
        self._classifier_chosen(self.chooser.current_name() or "")
        self.set_dataset(None)

    # Configuration ----------------------------------------------------------------------
    def _classifier_chosen(self, name: str) -> None:
        info = self.chooser.current()
        if info is None:
            return
        self.sheet = ParamSheet(info.params, {}, columns=3)
        self.sheet.changed.connect(self._update_options_line)
        self.sheet_scroll.setWidget(self.sheet)
        self.sheet.advanced_toggle.toggled.connect(lambda _on: self.fit_sheet())
        self._update_options_line()
        self.fit_sheet()

    def fit_sheet(self) -> None:
        """Give the parameter sheet the height it asks for, up to half of the tab.

        Measured once Qt has laid the new sheet out (zero-delay timers): the sheet grows
        by what its scroll bar still scrolls, a few times over, since the layout settles
        in steps (the Advanced box, the scroll bar itself).
        """
        QTimer.singleShot(0, lambda: self._fit_sheet_now(3))

    def _fit_sheet_now(self, tries: int) -> None:
        sizes = self.config_splitter.sizes()
        if self.sheet is None or len(sizes) != 2 or sum(sizes) <= 0:
            return
        total = sum(sizes)
        needed = self.sheet.sizeHint().height()
        shown = self.sheet_scroll.viewport().height()
        extra = needed - shown  # below 0: the sheet is shorter than its room, shrink
        extra = max(extra, self.sheet_scroll.verticalScrollBar().maximum())
        top = max(sizes[0] + extra + 2, self.chooser_box.minimumSizeHint().height())
        top = min(top, total // 2)
        if top != sizes[0]:
            self.config_splitter.setSizes([top, total - top])
            if tries > 1:
                QTimer.singleShot(0, lambda: self._fit_sheet_now(tries - 1))

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._fitted_once:
            self._fitted_once = True
            self.fit_sheet()

    def choose(self, name: str, values: dict[str, Any] | None = None) -> None:
        """Pick a classifier and set some of its parameters (scripts, tests, settings)."""
        self.chooser.set_current(name)
        if values and self.sheet is not None:
            self.sheet.set_values(values)
        self._update_options_line()

    def _update_options_line(self) -> None:
        if self.job is None and self.progress_label.text().startswith("Error:"):
            self.progress_label.setText("")  # the refusal was about the old configuration
        try:
            self.options_line.setText(self.scheme_label(self.configured_classifier()))
        except WorkbenchError as error:
            self.options_line.setText(f"(invalid: {error})")

    def scheme_label(self, classifier: Any) -> str:
        """The name the user chose from, with WEKA-style options: "IBk -K 3"."""
        info = self.registry.find("classifier", classifier.name)
        if info is None:
            return classifier.name
        return configured_name(classifier, info, self.registry)

    def configured_classifier(self) -> Any:
        info = self.chooser.current()
        assert info is not None and self.sheet is not None
        if not self.sheet.is_valid():
            bad = "; ".join(self.sheet.errors().values())
            raise WorkbenchError(f"fix the classifier's parameters first: {bad}")
        return info.create(**self.sheet.values())

    def set_dataset(self, dataset: Dataset | None) -> None:
        """The working data changed (loaded, filtered): keep the class choice if possible."""
        previous = self.class_box.currentText()
        self.dataset = dataset
        self.class_box.clear()
        if dataset is not None:
            self.class_box.addItems([f"({a.type.value[:3].capitalize()}) {a.name}"
                                     for a in dataset.attributes])
            index = self.class_box.findText(previous)
            if index < 0:
                index = (dataset.class_index if dataset.class_index is not None
                         else dataset.num_attributes - 1)
            self.class_box.setCurrentIndex(index)
        self.start_button.setEnabled(dataset is not None and self.job is None)
        if self.job is None and self.progress_label.text().startswith("Error:"):
            # A refusal about the previous data ("cost matrix must be 3 x 3") is stale.
            self.progress_label.setText("")

    def set_test_set(self, dataset: Dataset | None, label: str = "") -> None:
        self.test_set = dataset
        self.test_label.setText(label or ("(none)" if dataset is None else dataset.relation))
        if dataset is not None:
            self.use_test.setChecked(True)

    def training_data(self) -> Dataset:
        if self.dataset is None:
            raise WorkbenchError("open a dataset first (Preprocess tab, or File > Open)")
        return self.dataset.with_class(self.class_box.currentIndex())

    def test_option(self, data: Dataset) -> Any:
        from workbench.evaluation import TestOption

        seed = self.seed.value()
        if self.use_training.isChecked():
            return TestOption.training_set()
        if self.use_test.isChecked():
            if self.test_set is None:
                raise WorkbenchError("choose a test set first (Supplied test set: Set...)")
            test = self.test_set.with_class(data.class_index)
            why = data.header_matches(test)
            if why is not None:
                raise WorkbenchError(f"the test set does not match the training data: {why}")
            return TestOption.supplied_test_set(test)
        if self.use_split.isChecked():
            return TestOption.split(float(self.percent.value()), seed,
                                    self.preserve_order.isChecked())
        return TestOption.cross_validation(self.folds.value(), seed)

    # Running ----------------------------------------------------------------------------
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
            option = self.test_option(data)
            cost = None
            if data.class_attribute is not None and data.class_attribute.is_nominal:
                cost = parse_cost_matrix(self.cost_matrix.text(),
                                         data.class_attribute.num_values)
            capabilities = getattr(classifier, "capabilities", None)
            if capabilities is not None:  # refuse before a worker starts, with WEKA's words
                capabilities.check(data, classifier.display_name)
        except WorkbenchError as error:
            self._fail(str(error), "")
            return False

        def work(progress, cancel):
            background_priority()
            return evaluate(classifier, data, option, progress=progress, cancel=cancel,
                            cost_matrix=cost)

        label = self.scheme_label(classifier)
        self._run(work, classifier, f"{label} ({option.test_mode_text()})", label)
        return True

    def evaluate_model(self, model: Any, option: Any, data: Dataset) -> bool:
        """Evaluate an already trained model (loaded, or from the result list) in a worker."""
        from workbench.evaluation import evaluate

        if self.job is not None:
            self.status.emit("A run is in progress: stop it or wait for it first")
            return False

        def work(progress, cancel):
            background_priority()
            return evaluate(model, data, option, progress=progress, cancel=cancel, model=model)

        label = self.scheme_label(model)
        self._run(work, model, f"{label} on {option.test_mode_text()}", label)
        return True

    def _run(self, work: Any, classifier: Any, title: str, label: str) -> None:
        job = Job(work, f"classify-{classifier.name}", self)
        job.progress.connect(self._on_progress)
        job.finished.connect(self._on_finished)
        job.failed.connect(self._fail)
        job.cancelled.connect(self._on_cancelled)
        job.done.connect(self._on_done)
        self.job = job
        self._run_label = label
        self._started = time.perf_counter()
        self.start_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.watch_button.setEnabled(True)
        self._live_model = None
        if self.live_weights is not None:
            self.live_weights.dataset = self.dataset
        self.progress_bar.setValue(0)
        self.progress_label.setText(f"Running {label}...")
        # The previous report would read as this run's while it trains: say what runs.
        self.results_list.blockSignals(True)
        self.results_list.setCurrentRow(-1)
        self.results_list.blockSignals(False)
        self.report.setPlainText(f"Running {title}...\n\nThe report appears here when the "
                                 f"run finishes; Stop cancels it.")
        self.curve.setVisible(False)
        self.status.emit(f"Running {title}")
        self.running_changed.emit(1)
        job.start()

    def stop(self) -> None:
        """Ask the run to stop; returns at once (the worker ends at its next check)."""
        if self.job is not None:
            self.job.stop()
            self.progress_label.setText("Stopping...")
            # Focus leaving the disabled Stop button would land on the result list, which
            # then selects (and shows) its first, older report.
            self.report.setFocus()
            self.stop_button.setEnabled(False)

    def _on_progress(self, event: Any) -> None:
        if event.fraction is not None:
            self.progress_bar.setValue(round(100 * event.fraction))
        self.progress_label.setText(event.message)
        self.progress_changed.emit(event.fraction)
        if "model" in event.values:
            self._live_model = event.values["model"]
        if self.live_weights is not None and self.live_weights.isVisible():
            self.live_weights.on_progress(event)
        if "epoch" in event.values and "loss" in event.values:
            if not self.curve.isVisibleTo(self):
                self.curve.setVisible(True)
                # The report pane only says what runs: the curves get most of the room.
                total = max(sum(self.right_splitter.sizes()), 400)
                self.right_splitter.setSizes([total * 2 // 5, total - total * 2 // 5])
            self.curve.on_progress(event)

    def _on_cancelled(self) -> None:
        self.progress_label.setText("Stopped: the run was cancelled")
        self.progress_bar.setValue(0)
        self.report.setPlainText("Stopped: the run was cancelled before it finished; "
                                 "no result was kept.")
        self.status.emit("Stopped: the run was cancelled")

    def _on_finished(self, evaluation: Any) -> None:
        elapsed = time.perf_counter() - self._started
        # Name the result as the user chose it ("IBk -K 3"): the result list, viewer titles,
        # curve legends and the report's Scheme line read it from the results.
        label = self._run_label or evaluation.scheme
        evaluation.results = dataclasses.replace(evaluation.results, classifier=label)
        self.progress_bar.setValue(100)
        self.progress_label.setText(f"Finished {label} in {elapsed:.1f} s")
        if self.live_weights is not None and evaluation.model is not None:
            # Show the model the run kept, not the last fold's.
            self.live_weights.stop_live(evaluation.model, evaluation.dataset)
        self.add_result(evaluation)
        self.status.emit(f"Finished {label} in {elapsed:.1f} s")

    def add_result(self, evaluation: Any, label: str | None = None) -> None:
        """Put an evaluation in the result list and show its report."""
        self.evaluations.append(evaluation)
        name = evaluation.results.classifier or evaluation.scheme
        item = QListWidgetItem(label or f"{time.strftime('%H:%M:%S')} - {name}")
        self.results_list.addItem(item)
        self.results_list.setCurrentRow(self.results_list.count() - 1)

    def _fail(self, message: str, details: str) -> None:
        self.progress_label.setText(f"Error: {message}")
        self.status.emit(f"Error: {message}" + (f"\n{details}" if details else ""))

    def _on_done(self) -> None:
        if self.results_list.currentRow() >= 0 and not self.report.toPlainText().startswith(
                "Stopped"):
            # Finished: the report needs the room; the curves stay one right-click away
            # (Visualize learning curves) in the result list.
            self.curve.setVisible(False)
        self.job = None
        self.start_button.setEnabled(self.dataset is not None)
        self.stop_button.setEnabled(False)
        self.watch_button.setEnabled(False)
        if hasattr(self.curve, "stop_live"):
            self.curve.stop_live()
        if self.live_weights is not None:
            self.live_weights.stop_live()
        self._live_model = None
        self.progress_changed.emit(None)
        self.running_changed.emit(0)

    def watch_weights(self) -> WeightsView:
        """Open (or raise) the weights window that follows the model in training.

        It shows the model being trained now (during a cross-validation: the full-data
        model, then each fold's) and, when the run ends, the model the run kept.
        """
        from workbench.gui.plots.weights import WeightsView

        view = self.live_weights
        if view is None:
            # A child window of the tab: Qt deletes it with the Explorer, never the
            # garbage collector at some later moment (pyqtgraph items deleted by the
            # collector can abort the process).
            view = WeightsView(None, self.dataset, parent=self)
            view.setWindowFlag(Qt.WindowType.Window)
            view.resize(760, 600)
            self.live_weights = view
        if self._live_model is not None:
            view.follow(self._live_model, self.dataset)
        view.show()
        view.raise_()
        return view

    # Results ----------------------------------------------------------------------------
    def report_text(self, evaluation: Any) -> str:
        from workbench.evaluation import predictions_table

        text = evaluation.report()
        label = evaluation.results.classifier
        if label and label != evaluation.scheme:
            # The Scheme line names the classifier as the menus and the result list do.
            text = text.replace(f"Scheme:       {evaluation.scheme}\n",
                                f"Scheme:       {label}\n", 1)
        if self.output_predictions.isChecked():
            header, rows = predictions_table(evaluation.results)
            lines = ["", "=== Predictions ===", "", "\t".join(header)]
            lines += ["\t".join(row) for row in rows]
            text = text.rstrip("\n") + "\n" + "\n".join(lines) + "\n"
        return text

    def _show_result(self, row: int) -> None:
        if 0 <= row < len(self.evaluations):
            self.report.setPlainText(self.report_text(self.evaluations[row]))

    def current_evaluation(self) -> Any:
        row = self.results_list.currentRow()
        return self.evaluations[row] if 0 <= row < len(self.evaluations) else None

    def remove_result(self, row: int) -> None:
        if 0 <= row < len(self.evaluations):
            del self.evaluations[row]
            self.results_list.takeItem(row)
            if not self.evaluations:
                self.report.clear()


def _live_curve() -> QWidget:
    """The viewers' learning-curve widget, or a small curve of our own if it is missing."""
    try:
        from workbench.gui.plots.learning import LearningCurveView

        return LearningCurveView()
    except ImportError:
        return _SimpleLossCurve()


class _SimpleLossCurve(QWidget):
    """Loss per epoch, for when the viewers package is not importable."""

    def __init__(self) -> None:
        super().__init__()
        import pyqtgraph as pg

        self.plot = pg.PlotWidget(background="w", title="Loss")
        self.line = self.plot.plot([], [], pen=pg.mkPen((31, 119, 180), width=2))
        self.series: dict[str, list[float]] = {"loss": []}
        QVBoxLayout(self).addWidget(self.plot)

    def on_progress(self, event: Any) -> None:
        if int(event.values["epoch"]) == 1:
            self.series["loss"] = []
        self.series["loss"].append(float(event.values["loss"]))
        self.line.setData(np.arange(1, len(self.series["loss"]) + 1), self.series["loss"])

    def stop_live(self) -> None:
        pass
