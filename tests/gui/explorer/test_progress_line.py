"""The Classify tab's progress line: busy with seconds while a learner fits silently."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QProgressBar

from workbench.core.progress import ProgressEvent
from workbench.gui.explorer.progress_line import ProgressLine


class Clock:
    """A clock the test moves by hand: no test waits on wall-clock time."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def make(qtbot):
    label, bar, clock = QLabel(), QProgressBar(), Clock()
    bar.setRange(0, 100)
    qtbot.addWidget(label)
    qtbot.addWidget(bar)
    return ProgressLine(label, bar, clock=clock), label, bar, clock


def stage(name: str, fraction: float = 0.0) -> ProgressEvent:
    """What the evaluation reports as a stage starts."""
    return ProgressEvent(fraction, name, {"stage": name})


def test_a_learner_that_reports_nothing_shows_a_busy_bar_and_its_seconds(qtbot):
    line, label, bar, clock = make(qtbot)
    line.start("Running RandomForest -I 3000...")
    line.show(stage("full training set"))
    assert label.text() == "full training set" and bar.value() == 0
    clock.now += 12.4
    line.tick()
    assert line.busy and bar.maximum() == 0  # indeterminate: Qt animates it
    assert label.text() == "full training set: fitting (12 s)"
    clock.now += 1.0
    line.tick()
    assert label.text() == "full training set: fitting (13 s)"
    # The stage ends: the next report shows its percentage again.
    line.show(ProgressEvent(0.09, "model built on the full training set", {}))
    assert not line.busy and bar.value() == 9
    assert label.text() == "model built on the full training set"
    line.show(stage("fold 1", 0.09))
    clock.now += 3
    line.tick()
    assert line.busy and label.text() == "fold 1: fitting (3 s)"
    line.stop()
    assert not line.busy and not line.timer.isActive()


def test_a_learner_that_reports_keeps_its_percentage(qtbot):
    line, label, bar, clock = make(qtbot)
    line.start("Running MLP...")
    line.show(stage("full training set"))
    line.show(ProgressEvent(0.2, "full training set: epoch 1/5",
                            {"stage": "full training set", "epoch": 1}))
    clock.now += 60  # a slow epoch: still a learner that reports
    line.tick()
    assert not line.busy and bar.value() == 20
    assert label.text() == "full training set: epoch 1/5"


def test_a_quiet_stage_turns_back_when_its_learner_reports(qtbot):
    line, label, bar, clock = make(qtbot)
    line.start("Running...")
    line.show(stage("full training set"))
    clock.now += 5
    line.tick()
    assert line.busy
    line.show(ProgressEvent(0.5, "full training set: iteration 50/100",
                            {"stage": "full training set"}))
    assert not line.busy and bar.value() == 50
    assert label.text() == "full training set: iteration 50/100"


def test_the_classify_tab_shows_a_silent_fit_as_busy_then_finishes(qtbot, explorer,
                                                                   monkeypatch):
    """A scikit-learn random forest reports nothing while it fits: the tab's bar turns
    busy and its line counts seconds, instead of "full training set" at 0 % throughout;
    when the run ends the bar is a plain 100 % again."""
    from explorer_helpers import dataset_path, hold, open_and_wait

    from workbench.classifiers.sklearn_adapter import RandomForest

    release, entered = hold(monkeypatch, RandomForest, "make_estimator")
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    tab = explorer.classify
    tab.choose("random-forest", {"trees": 5})
    tab.set_test_options(mode="training")
    assert tab.start()
    try:
        assert entered.wait(30)
        qtbot.waitUntil(lambda: tab.progress_bar.maximum() == 0
                        and "full training set: fitting (" in tab.progress_label.text(),
                        timeout=20_000)
    finally:
        release.set()
    qtbot.waitUntil(lambda: not tab.running, timeout=60_000)
    assert tab.progress_bar.maximum() == 100 and tab.progress_bar.value() == 100
    assert tab.progress_label.text().startswith("Finished")


def test_a_long_cross_validation_says_its_time_left_and_the_quicker_way(qtbot):
    """Walkthrough F9: the RNN's default 10-fold cross-validation on sentiment took ten
    minutes with no word that a percentage split would answer sooner."""
    line, label, _bar, clock = make(qtbot)
    line.start("Running RNN...", "a percentage split is quicker for a first try")
    line.show(stage("full training set"))
    clock.now += 30.0
    line.show(ProgressEvent(0.05, "epoch 5/10", {"stage": "full training set"}))
    assert label.text() == "epoch 5/10"          # too early to estimate
    clock.now += 30.0                             # a tenth done in a minute: 9 left
    line.show(stage("fold 1", 0.1))
    assert label.text() == ("fold 1 (about 9 min left; a percentage split is quicker "
                            "for a first try)")


def test_a_short_run_or_one_without_a_quicker_way_says_less(qtbot):
    line, label, _bar, clock = make(qtbot)
    line.start("Running NaiveBayes...", "a percentage split is quicker for a first try")
    clock.now += 10.0
    line.show(stage("fold 1", 0.1))
    assert label.text() == "fold 1"               # 90 s left: nothing to say
    line.start("Running RNN...")                  # a split: no quicker way to name
    clock.now += 60.0
    line.show(stage("training", 0.1))
    assert label.text() == "training (about 9 min left)"
