"""The Visualize matrix from the keyboard (walkthrough 13, K1): it took a Tab stop and
then ignored every key, so the larger scatter plot opened only to a click. The arrows
now move a current cell, outlined while the matrix has the focus, and Return, Enter or
Space opens that cell's plot as a click does."""

from __future__ import annotations

import pytest
from explorer_helpers import dataset_path
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from workbench.data.io import load_dataset
from workbench.gui.explorer.scatter_plot import ScatterPlot
from workbench.gui.explorer.visualize import VisualizeTab


def _focused_matrix(qtbot) -> VisualizeTab:
    tab = VisualizeTab()
    qtbot.addWidget(tab)
    tab.resize(1000, 650)
    tab.set_dataset(load_dataset(dataset_path("iris.arff"), class_index=-1))
    tab.show()
    qtbot.waitExposed(tab)
    tab.activateWindow()
    tab.plot.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is tab.plot)
    return tab


def _opened(qtbot, tab: VisualizeTab, count: int) -> ScatterPlot:
    assert len(tab.windows) == count
    window = tab.windows[-1]
    qtbot.addWidget(window)
    assert isinstance(window, ScatterPlot)
    return window


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space])
def test_the_arrows_pick_a_cell_and_a_key_opens_its_plot(qtbot, key):
    tab = _focused_matrix(qtbot)
    assert tab.columns == [0, 1, 2, 3]
    # From the top-left cell: right twice, down, left, up, down twice.
    for arrow in (Qt.Key.Key_Right, Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Left,
                  Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Down):
        qtbot.keyClick(tab.plot, arrow)
    qtbot.keyClick(tab.plot, key)
    window = _opened(qtbot, tab, 1)
    # As a click on that cell (column 1, row 2 from the top): x the column's attribute,
    # y the row's.
    assert (window.x_box.currentIndex(), window.y_box.currentIndex()) == \
        tab.cell_at(1.5, 4 - 1 - 2 + 0.5) == (1, 2)
    assert tab.cell_cursor.cell == (1, 2)


def test_the_current_cell_stays_inside_the_matrix_and_shows_only_with_focus(qtbot):
    tab = _focused_matrix(qtbot)
    for _ in range(6):
        qtbot.keyClick(tab.plot, Qt.Key.Key_Left)
        qtbot.keyClick(tab.plot, Qt.Key.Key_Down)
    assert tab.cell_cursor.cell == (0, 3)
    outline = tab.cell_cursor.outline
    assert outline.isVisible()
    xs, ys = outline.getData()
    assert (min(xs), max(xs), min(ys), max(ys)) == (0, 1, 0, 1)   # the bottom-left cell
    tab.size_box.setFocus()
    qtbot.waitUntil(lambda: not outline.isVisible())
    # A smaller matrix keeps the cell inside it.
    tab.size_box.setValue(2)
    tab.redraw()
    assert tab.cell_cursor.cell == (0, 1)
