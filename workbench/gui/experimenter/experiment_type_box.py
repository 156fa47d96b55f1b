"""The Setup tab's "Experiment type" box: how each dataset is resampled and measured.

Resampling (cross-validation folds, or a percentage split randomized or in the file's
order, WEKA's three Experimenter choices), repetitions, seed and the
measures, as the spec file's ``resampling``, ``repetitions``, ``seed`` and ``metrics``
hold them. The one rule beyond plain editing: the measures come out in the opened
experiment's order first, since they are the results table's columns, and a table's
columns in another order would make its resume refuse it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QStackedWidget,
    QWidget,
)

from workbench.evaluation.experiment import measure_names
from workbench.evaluation.experiment.spec import ExperimentSpec
from workbench.evaluation.test_options import MAX_FOLDS, MIN_FOLDS
from workbench.gui.widgets.form_names import name_by_label, name_form_fields

#: The resampling box's entry for WEKA's "Train/Test Percentage Split (order
#: preserved)": a split whose ``randomize`` is false.
ORDER_PRESERVED = "split_ordered"


class ExperimentTypeBox(QGroupBox):
    """Resampling, folds or train percentage, repetitions, seed and measures;
    ``changed`` on every edit (the seed and the measures too: they decide whether a
    results file's runs are this experiment's)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Experiment type", parent)
        self._metric_order: list[str] = []   # set by reset() below
        how = QFormLayout(self)
        self.method = QComboBox()
        self.method.addItem("Cross-validation", "cross_validation")
        self.method.addItem("Percentage split (randomized)", "split")
        self.method.addItem("Percentage split (order preserved)", ORDER_PRESERVED)
        how.addRow("Resampling", self.method)
        self.method_options = QStackedWidget()
        # The declared test options' bounds, as in the spec file and on the command line.
        self.folds = QSpinBox()
        self.folds.setRange(MIN_FOLDS, MAX_FOLDS)
        self.percent = QDoubleSpinBox()
        self.percent.setRange(0.1, 99.9)  # (0, 100) open, in the box's one decimal
        self.percent.setDecimals(1)
        self.percent.setSuffix(" % train")
        self.method_options.addWidget(_labelled("Folds", self.folds))
        self.method_options.addWidget(_labelled("Train", self.percent))
        self.method.currentIndexChanged.connect(
            lambda _: self.method_options.setCurrentIndex(0 if self.cross_validation
                                                          else 1))
        how.addRow("", self.method_options)
        self.repetitions = QSpinBox()
        self.repetitions.setRange(1, 10_000)
        how.addRow("Repetitions", self.repetitions)
        self.seed = QSpinBox()
        self.seed.setRange(-2**31, 2**31 - 1)
        how.addRow("Seed", self.seed)
        self.metrics = QListWidget()
        for name in measure_names():
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)   # ``reset`` checks the defaults
            self.metrics.addItem(item)
        # A little air between the rows: a check box is as tall as the text, so at 2x
        # scaling the boxes touched row to row (walkthrough 13, D4).
        self.metrics.setSpacing(1)   # px above and below each row: 2 px between rows
        # Every measure in sight where the window has room (at 110 px, f_measure was cut
        # in half at 1280x800 and auc and correlation needed scrolling), four rows and
        # a scroll bar where it has not.
        self.metrics.setMaximumHeight(_list_height(self.metrics, self.metrics.count()))
        self.metrics.setMinimumHeight(_list_height(self.metrics, min(4, self.metrics.count())))
        how.addRow("Metrics", self.metrics)
        name_form_fields(how)
        for signal in (self.folds.valueChanged, self.repetitions.valueChanged,
                       self.method.currentIndexChanged, self.percent.valueChanged,
                       self.seed.valueChanged, self.metrics.itemChanged):
            signal.connect(lambda *_: self.changed.emit())
        self.reset()

    def reset(self) -> None:
        """The defaults a new window starts with (File > New): an experiment file's
        own defaults (``ExperimentSpec``'s: 10 x 10-fold cross-validation, 66 % for a
        split, seed 1, accuracy, kappa and rmse in that order), as WEKA's New gives
        its defaults back instead of keeping the last experiment's."""
        self.set_spec(ExperimentSpec((), ()))

    @property
    def cross_validation(self) -> bool:
        return self.method.currentData() == "cross_validation"

    def resampling(self) -> dict[str, Any]:
        """The spec file's ``resampling``: the method with its folds or percent (and
        whether a split is randomized)."""
        if self.cross_validation:
            return {"method": "cross_validation", "folds": self.folds.value()}
        return {"method": "split", "percent": self.percent.value(),
                "randomize": self.method.currentData() != ORDER_PRESERVED}

    def runs_per_pair(self) -> int:
        """Runs of one classifier on one dataset: repetitions x folds (x 1 for a split)."""
        folds = self.folds.value() if self.cross_validation else 1
        return self.repetitions.value() * folds

    def checked_metrics(self) -> list[str]:
        """Checked metrics, in the opened spec's order first: the results table's columns
        (and its resume check) follow that order."""
        checked = [self.metrics.item(i).text() for i in range(self.metrics.count())
                   if self.metrics.item(i).checkState() == Qt.CheckState.Checked]
        first = [m for m in self._metric_order if m in checked]
        return first + [m for m in checked if m not in first]

    def set_spec(self, spec: ExperimentSpec) -> None:
        """Show ``spec``'s resampling, repetitions, seed and measures (in its order)."""
        sampling = spec.resampling
        shown = (ORDER_PRESERVED if sampling.method == "split" and not sampling.randomize
                 else sampling.method)
        self.method.setCurrentIndex(self.method.findData(shown))
        self.folds.setValue(spec.resampling.folds)
        self.percent.setValue(spec.resampling.percent)
        self.repetitions.setValue(spec.repetitions)
        self.seed.setValue(spec.seed)
        self._metric_order = list(spec.metrics)
        for i in range(self.metrics.count()):
            item = self.metrics.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.text() in spec.metrics
                               else Qt.CheckState.Unchecked)


def _labelled(text: str, widget: QWidget) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    label = QLabel(text)
    layout.addWidget(label)
    layout.addWidget(widget, 1)
    name_by_label(label, widget)
    return box


def _list_height(view: QListWidget, rows: int) -> int:
    """The height that shows ``rows`` rows of ``view`` whole: Qt's list keeps its
    spacing above and below each row."""
    return rows * (view.sizeHintForRow(0) + 2 * view.spacing()) + 2 * view.frameWidth()
