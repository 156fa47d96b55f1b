"""The Dynamics viewer and Compare selected as a user meets them, in the Explorer.

Run by ``scripts/gui_tour.py`` (see its docstring for the calling convention) under Xvfb
with Qt's xcb platform. A deep sigmoid MLP and the same with ReLU are trained on the
digits (mini-batch SGD, dynamics recorded every 5 steps); each result's "Visualize
training dynamics" is shown, both are compared through "Compare selected", and a third
run is followed live in the Watch window's Dynamics tab. At 1280x800 the pictures are
also saved for the user guide as ``dynamics-sigmoid.png``, ``dynamics-relu.png``,
``dynamics-compare.png`` and ``dynamics-watch.png``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from _common import Tour, trigger
from PySide6.QtCore import QItemSelectionModel, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from workbench.gui.explorer.compare_action import MENU_TEXT
from workbench.gui.explorer.window import ExplorerWindow
from workbench.gui.plots.compare import CompareRunsView
from workbench.gui.plots.dynamics import MIN_PLOT_HEIGHT, DynamicsView

DATA = Path(__file__).resolve().parents[2] / "workbench" / "resources" / "datasets"
# Five hidden layers: deep enough for a sigmoid network's gradient to fade on its way in.
# WEKA's learning rate and momentum (0.3, 0.2), squared error on sigmoid outputs.
NETWORK = {"solver": "sgd", "hidden_layers": "32,32,32,32,32", "epochs": 12,
           "batch_size": 32, "seed": 1, "record_dynamics": 5}




class DynamicsTour:
    def __init__(self, tour: Tour) -> None:
        self.tour = tour
        settings_file = Path(tempfile.mkdtemp()) / "explorer.ini"
        self.window = ExplorerWindow(settings=QSettings(str(settings_file),
                                                        QSettings.Format.IniFormat))
        self.classify = self.window.classify

    def open(self, name: str) -> None:
        self.window.open_file(str(DATA / name))
        self.tour.wait(lambda: self.window.dataset is not None and
                       self.window.load_job is None, 300, f"loading {name}")

    def run(self, activation: str) -> None:
        count = len(self.classify.evaluations)
        self.classify.choose("mlp", {**NETWORK, "activation": activation})
        QTest.mouseClick(self.classify.start_button, Qt.MouseButton.LeftButton)
        if not self.tour.wait(lambda: not self.classify.running and
                              len(self.classify.evaluations) > count, 300,
                              "the run to finish"):
            print(f"run of {activation}: {self.classify.progress_label.text()}", flush=True)

    def opened(self, fraction: tuple[float, float] = (0.75, 0.85)) -> QWidget:
        view = self.window.results.windows[-1]
        view.resize(int(self.tour.width * fraction[0]), int(self.tour.height * fraction[1]))
        view.move(0, 0)
        view.raise_()
        self.tour.settle(1.0)
        return view

    def check_plots(self, view: DynamicsView, what: str) -> None:
        t = self.tour
        for name in ("grad_widget", "ratio_widget", "heat_widget", "share_widget"):
            height = getattr(view, name).height()
            t.check(height >= MIN_PLOT_HEIGHT, f"{what}: {name} {height} px high")
        t.check(not view.note.isVisible(), f"{what}: no note over the plots "
                                           f"({view.note.text()!r})")
        t.check(view.legend.isVisible() and "Dense" in view.legend.text(),
                f"{what}: legend names the layers (shown: {view.legend.isVisible()}, "
                f"{view.legend.text()[:80]!r})")

    def dynamics(self, row: int, what: str) -> float:
        """Open a result's Dynamics viewer; returns first / last layer gradient norm."""
        self.classify.results_list.setCurrentRow(
            row, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        trigger(self.window.results.build_menu(row), "Visualize training dynamics")
        view = self.opened()
        self.tour.check(isinstance(view, DynamicsView), f"{what}: a Dynamics viewer opened")
        assert isinstance(view, DynamicsView)
        self.check_plots(view, what)
        self.tour.shot(view, what, f"{what}.png")
        grad = view.data.last_epoch_mean("grad_norm") if view.data is not None else [1, 1]
        return float(grad[0] / grad[-1])

    def compare(self) -> None:
        t, results = self.tour, self.classify.results_list
        selection = results.selectionModel()
        results.setCurrentRow(0, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        selection.select(results.model().index(1, 0), QItemSelectionModel.SelectionFlag.Select)
        trigger(self.window.results.build_menu(1), MENU_TEXT)
        view = self.opened((0.7, 0.8))
        t.check(isinstance(view, CompareRunsView), "Compare selected opened a comparison")
        assert isinstance(view, CompareRunsView)
        t.check(view.labels == ["activation=sigmoid", "activation=relu"],
                f"comparison legend is what differs: {view.labels}")
        t.check(view.grad_widget.isVisible() and view.grad_widget.height() >= 140,
                "the gradient norms are compared too")
        t.shot(view, "compare", "dynamics-compare.png")

    def watch(self) -> None:
        """A run started with the Watch window open records; its Dynamics tab follows it."""
        t, tab = self.tour, self.classify
        tab.choose("mlp", {**NETWORK, "activation": "tanh", "epochs": 100_000,
                           "record_dynamics": 0})
        QTest.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
        QTest.mouseClick(tab.watch_button, Qt.MouseButton.LeftButton)
        view = tab.live_weights
        assert view is not None
        tab.stop()
        t.wait(lambda: not tab.running, 300, "the first watched run to stop")
        QTest.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
        view.resize(int(t.width * 0.75), int(t.height * 0.85))
        view.move(0, 0)
        view.raise_()

        def page() -> DynamicsView | None:
            slot = view.pages.slots.get("Dynamics")
            if slot is None:
                return None
            view.tabs.setCurrentWidget(slot)
            return slot.page if isinstance(slot.page, DynamicsView) else None

        t.wait(lambda: (p := page()) is not None and p.data is not None and
               p.data.records >= 40, 300, "the Dynamics tab to draw the run")
        t.settle(0.5)  # a page built just now is shown by Qt's next event round
        shown = page()
        if shown is not None:
            t.check(tab.running, "the Dynamics tab draws while the model trains")
            self.check_plots(shown, "watch-dynamics")
        t.shot(view, "watch-dynamics", "dynamics-watch.png")
        tab.stop()
        t.wait(lambda: not tab.running, 300, "the watched run to stop")


def main() -> int:
    tour = Tour("dynamics")
    steps = DynamicsTour(tour)
    tour.show(steps.window)
    steps.window.tabs.setCurrentWidget(steps.classify)
    steps.open("digits.arff")
    steps.classify.set_test_options(mode="training")
    steps.run("sigmoid")
    steps.run("relu")
    sigmoid = steps.dynamics(0, "dynamics-sigmoid")
    relu = steps.dynamics(1, "dynamics-relu")
    print(f"first / last layer gradient norm over the last epoch: sigmoid {sigmoid:.3g}, "
          f"relu {relu:.3g}", flush=True)
    tour.check(sigmoid < relu, "the sigmoid network's first layer gets the smaller share "
                               "of the gradient")
    steps.compare()
    steps.watch()
    return tour.finish()


if __name__ == "__main__":
    sys.exit(main())
