"""The Explorer's viewer windows open whole on its screen (walkthrough 13, D1)."""

from __future__ import annotations

from explorer_helpers import dataset_path, open_and_wait, run_classifier
from placed_windows import assert_placed_on_screen

from workbench.gui.plots import ConfusionMatrixView, LearningCurveView
from workbench.gui.widgets.access_keys import plain_text


def _open(qtbot, explorer, title: str):
    menu = explorer.results.build_menu(len(explorer.classify.evaluations) - 1)
    next(a for a in menu.actions() if plain_text(a.text()) == title).trigger()
    view = explorer.results.windows[-1]
    qtbot.addWidget(view)
    qtbot.waitExposed(view)
    return view


def test_viewers_open_whole_on_the_screen(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    run_classifier(qtbot, explorer, "mlp", {"epochs": 3})
    for title, kind in (("Visualize confusion matrix", ConfusionMatrixView),
                        ("Visualize learning curves", LearningCurveView)):
        view = _open(qtbot, explorer, title)
        assert isinstance(view, kind)
        assert_placed_on_screen(view, explorer)

