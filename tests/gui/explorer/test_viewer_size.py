"""Result viewers open big enough for their content, by the same rule as the Knowledge
Flow's viewer windows: at 640x480 a 10-class confusion matrix cut its column headers to
"redicted" and hid rows 8 and 9 behind a scroll bar, even on a 1920x1080 screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize

from workbench.classifiers.knn import KNearestNeighbours
from workbench.data.io import load_dataset
from workbench.evaluation import TestOption, evaluate
from workbench.gui.plots.confusion import ConfusionMatrixView
from workbench.gui.widgets import placement
from workbench.gui.widgets.access_keys import plain_text

DATASETS = Path(__file__).resolve().parents[3] / "workbench" / "resources" / "datasets"
FULL_HD = QSize(1920, 1080) - placement.FRAME


@pytest.fixture(scope="module")
def digits_eval():
    digits = load_dataset(DATASETS / "digits.arff", class_index=-1).select_rows(range(300))
    return evaluate(KNearestNeighbours(k=1), digits, TestOption.split(66),
                    build_model=False)


def _open_confusion(explorer, evaluation) -> ConfusionMatrixView:
    explorer.classify.add_result(evaluation)
    menu = explorer.results.build_menu(len(explorer.classify.evaluations) - 1)
    next(a for a in menu.actions()
         if plain_text(a.text()) == "Visualize confusion matrix").trigger()
    view = explorer.results.windows[-1]
    assert isinstance(view, ConfusionMatrixView)
    return view


def test_a_ten_class_confusion_matrix_opens_whole_on_a_full_hd_screen(
        qtbot, explorer, digits_eval, monkeypatch):
    monkeypatch.setattr(placement, "screen_room", lambda anchor: FULL_HD)
    view = _open_confusion(explorer, digits_eval)
    qtbot.waitExposed(view)
    matrix, metrics = view.matrix, view.matrix.fontMetrics()
    assert matrix.rowCount() == 10
    # Every row is in view: the last one ends inside the table's viewport.
    last = matrix.rowViewportPosition(9) + matrix.rowHeight(9)
    assert last <= matrix.viewport().height()
    # Every column header holds "(predicted)" whole, and no column scrolls away.
    assert min(matrix.columnWidth(c) for c in range(10)) >= \
        metrics.horizontalAdvance("(predicted)")
    assert matrix.columnViewportPosition(9) + matrix.columnWidth(9) <= \
        matrix.viewport().width()
    # The instance list below keeps room for a few rows.
    assert view.instances.height() >= 6 * metrics.height()


def test_the_explorer_and_the_flow_size_a_viewer_alike(qtbot, explorer, digits_eval,
                                                        monkeypatch):
    """Both open the matrix at the shared viewer size (which holds 10 classes whole):
    the Explorer's window was 640x482, the Flow's 1100x720."""
    from workbench.gui.flow_editor import viewers

    monkeypatch.setattr(placement, "screen_room", lambda anchor: FULL_HD)
    monkeypatch.setattr(viewers, "available_size", lambda widget: FULL_HD)
    view = _open_confusion(explorer, digits_eval)
    window = viewers.ViewerWindow("ConfusionMatrixViewer")
    qtbot.addWidget(window)
    window._set_content(ConfusionMatrixView(digits_eval))
    assert view.size() == window.size() == placement.VIEWER_SIZE


def test_a_viewer_never_opens_larger_than_the_screen(qtbot, explorer, digits_eval,
                                                     monkeypatch):
    small = QSize(1024, 600) - placement.FRAME
    monkeypatch.setattr(placement, "screen_room", lambda anchor: small)
    view = _open_confusion(explorer, digits_eval)
    assert view.width() <= small.width() and view.height() <= small.height()
