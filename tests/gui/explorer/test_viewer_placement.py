"""The Explorer's viewer windows open whole on its screen (walkthrough 13, D1), and the
learning curves' window has the margins the other viewers have (D2: its plots and Save
buttons sat 2 px from the window's edges)."""

from __future__ import annotations

from explorer_helpers import dataset_path, open_and_wait, run_classifier
from placed_windows import assert_placed_on_screen
from PySide6.QtWidgets import QStyle

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


def test_the_learning_curves_window_has_the_usual_margins(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    run_classifier(qtbot, explorer, "mlp", {"epochs": 3})
    matrix = _open(qtbot, explorer, "Visualize confusion matrix")
    curves = _open(qtbot, explorer, "Visualize learning curves")
    # The confusion matrix's margins: the style's for a window.
    usual = matrix.layout().contentsMargins()
    assert usual.left() == curves.style().pixelMetric(
        QStyle.PixelMetric.PM_LayoutLeftMargin, None, curves) > 2
    assert curves.layout().contentsMargins() == usual
    # The live curves under the Classify tab's report keep their thin margins.
    inside = explorer.classify.curve
    inside.setVisible(True)
    assert inside.layout().contentsMargins().left() == 2
