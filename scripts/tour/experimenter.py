"""The Experimenter as a user meets it: set up an experiment, add datasets (a broken one
too), run it, analyse it, meet a results file of another experiment, and close the window
with an unsaved setup.

Run by ``scripts/gui_tour.py`` (see its docstring for the calling convention) under Xvfb
with Qt's xcb platform; each step checks what issue 18 found wrong and saves a picture.
Results go to a temporary data folder (``WORKBENCH_HOME``), never the user's.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from _common import Tour
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QMessageBox, QWidget

WORK = Path(tempfile.mkdtemp(prefix="experimenter-tour-"))
os.environ["WORKBENCH_HOME"] = str(WORK / "home")

from workbench.gui.experimenter import Experimenter  # noqa: E402

BROKEN = ("@relation survey\n@attribute age numeric\n@attribute answer {yes,no}\n@data\n"
          "31,yes\n45,no\n27,perhaps\n")


def when_modal(action: Callable[[QWidget], None], kind: type = QWidget) -> None:
    """Run ``action`` on the next modal window of ``kind`` once it is up."""

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind) and widget.isVisible():
            QTimer.singleShot(300, lambda: action(widget))
        else:
            QTimer.singleShot(100, poll)

    QTimer.singleShot(100, poll)


class ExperimenterTour:
    def __init__(self, tour: Tour) -> None:
        self.tour = tour
        self.window = Experimenter()
        self.setup = self.window.setup
        self.run = self.window.run

    def click(self, button: QWidget) -> None:
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    def set_up(self) -> None:
        t, w, s = self.tour, self.window, self.setup
        t.show(w)
        default = Path(s.results.text())
        t.check(default.parent == WORK / "home" / "experiments" and
                default.name.endswith(".results.csv"),
                f"a default results file in the data folder is shown ({default})")
        for name in ("iris", "weather.nominal", "breast-cancer"):
            s.bundled.setCurrentText(name)
            self.click(s.add_bundled_button)
        s.add_classifier("zeror")
        s.add_classifier("knn", {"k": 3}, label="IBk -K 3")
        s.add_classifier("naive-bayes")
        s.repetitions.setValue(3)
        t.check("270 runs" in s.summary.text(), f"setup says 270 runs ({s.summary.text()})")
        t.shot(w, "setup", "experimenter-setup.png")

    def add_broken(self) -> None:
        t, s = self.tour, self.setup
        broken = WORK / "survey.arff"
        broken.write_text(BROKEN, encoding="utf-8")

        def choose(box: QWidget) -> None:
            assert isinstance(box, QFileDialog)
            box.setDirectory(str(WORK))
            t.settle(0.5)
            QTest.keyClicks(box.findChild(QLineEdit, "fileNameEdit"), broken.name)
            t.settle(0.5)
            t.shot(box, "add-files")
            box.accept()

        when_modal(choose, QFileDialog)
        self.click(s.add_files_button)
        t.wait(lambda: not s.checking_datasets(), 30, "the new dataset to be checked")
        t.settle(0.3)
        t.check(str(broken) not in s.dataset_refs(), "the broken file was not added")
        t.check("survey.arff" in s.message.text() and "perhaps" in s.message.text(),
                f"the refusal names the file and the bad value ({s.message.text()})")
        t.shot(self.window, "setup-broken-dataset")

    def run_and_analyse(self) -> None:
        t, w, r = self.tour, self.window, self.run
        w.tabs.setCurrentWidget(r)
        t.settle(0.3)
        t.check(r.progress.text() == "0 / 270 runs",
                f"the Run tab counts towards Setup's 270 ({r.progress.text()})")
        t.shot(w, "run-ready")
        self.click(r.start_button)
        t.wait(lambda: r.progress.value() >= 60 or not w.running, 300, "some runs")
        t.shot(w, "running")
        t.wait(lambda: not w.running, 600, "the experiment to finish")
        t.settle(0.5)
        t.check(r.summary is not None and r.summary.complete, "all 270 runs done")
        t.check(r.progress.value() == r.progress.maximum() == 270, "the bar is full")
        t.shot(w, "run-finished")
        w.tabs.setCurrentWidget(w.analyse)
        t.settle(0.8)
        t.shot(w, "analyse", "experimenter-analyse.png")

    def other_experiment(self) -> None:
        """A results file the user chose, holding another experiment's results."""
        t, w, s, r = self.tour, self.window, self.setup, self.run
        w.tabs.setCurrentWidget(s)
        chosen = WORK / "my-results.csv"
        s.results.setText(str(chosen))
        s.repetitions.setValue(1)
        s.folds.setValue(2)
        self.click(r.start_button)
        t.wait(lambda: not w.running, 120, "the small experiment")
        s.seed.setValue(2)
        self.click(r.start_button)
        t.wait(lambda: not w.running, 60, "the refusal")
        t.settle(0.3)
        t.check("different experiment" in r.last_error, f"refused: {r.last_error}")
        t.check("--out" not in r.last_error and "Results file" in r.last_error,
                "the message names the Results file field, not --out")
        w.tabs.setCurrentWidget(r)
        t.shot(w, "other-experiment-message")

    def close_unsaved(self) -> None:
        t, w = self.tour, self.window
        t.check(self.setup.modified, "the setup has unsaved changes")

        def cancel(box: QWidget) -> None:
            assert isinstance(box, QMessageBox)
            t.shot_screen("close-unsaved")
            box.button(QMessageBox.StandardButton.Cancel).click()

        when_modal(cancel, QMessageBox)
        w.close()
        t.settle(0.3)
        t.check(w.isVisible(), "Cancel kept the window and its setup open")

        target = WORK / "kept.experiment.json"
        self.setup.ask_spec_path = lambda: str(target)

        def save(box: QWidget) -> None:
            box.button(QMessageBox.StandardButton.Save).click()

        when_modal(save, QMessageBox)
        w.close()
        t.settle(0.3)
        t.check(not w.isVisible() and target.exists(), "Save wrote the setup, then closed")


def main() -> int:
    tour = Tour("experimenter")
    steps = ExperimenterTour(tour)
    steps.set_up()
    steps.add_broken()
    steps.run_and_analyse()
    steps.other_experiment()
    steps.close_unsaved()
    return tour.finish()


if __name__ == "__main__":
    sys.exit(main())
