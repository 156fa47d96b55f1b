"""Visualize All on wide data: every attribute, said plainly, drawn as it scrolls into
view, and the mouse wheel scrolls the page. MNIST's window took 6.5 s to build the first
64 of its 785 histograms, said nothing of the rest, and the wheel zoomed the little
plots instead of scrolling."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from workbench.data.dataset import Attribute, Dataset
from workbench.gui.explorer.histogram_grid import AllHistograms, shown_text


def pixels(n_pixels: int = 300, rows: int = 400) -> Dataset:
    rng = np.random.default_rng(2)
    X = rng.integers(0, 256, size=(rows, n_pixels)).astype(float)
    X[:, :30] = 0.0   # blank corners, as MNIST's
    X = np.column_stack([X, rng.integers(0, 10, rows)])
    attributes = [Attribute.numeric(f"pixel_{j}") for j in range(n_pixels)] + [
        Attribute.nominal("class", [str(d) for d in range(10)])]
    return Dataset("pixels", attributes, X, class_index=n_pixels)


def shown(qtbot, dataset: Dataset) -> AllHistograms:
    window = AllHistograms(dataset, dataset.class_index)
    qtbot.addWidget(window)
    window.resize(900, 600)
    window.show()
    qtbot.waitExposed(window)
    # laid out and painted once (the first screenful counted)
    qtbot.waitUntil(lambda: window.page.verticalScrollBar().maximum() > 0
                    and window.grid.counted > 0, timeout=10_000)
    return window


def test_every_attribute_is_there_and_only_those_in_view_are_counted(qtbot):
    window = shown(qtbot, pixels())
    grid = window.grid
    assert grid.attributes == list(range(301))   # not the first 64
    assert window.note.text() == "All 301 attributes, coloured by class."
    in_view = grid.counted
    assert 0 < in_view < 40    # a screenful, not 301
    bar = window.page.verticalScrollBar()
    bar.setValue(bar.maximum())
    grid.repaint()
    assert grid.counted > in_view and 300 in grid._bars   # the last one, once in view


def _wheel(widget, centre: QPointF) -> QWheelEvent:
    return QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                       QPoint(0, -120), Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)


def test_the_mouse_wheel_scrolls_the_page(qtbot):
    window = shown(qtbot, pixels())
    bar = window.page.verticalScrollBar()
    assert bar.value() == 0 and bar.maximum() > 0
    grid = window.grid
    centre = QPointF(grid.width() / 2, 80)
    over_a_histogram = _wheel(grid, centre)
    QApplication.sendEvent(grid, over_a_histogram)
    assert not over_a_histogram.isAccepted()   # no plot takes it to zoom: it goes on up
    QApplication.sendEvent(window.page.viewport(), _wheel(window.page.viewport(), centre))
    assert bar.value() > 0   # one notch, about one row of histograms


def test_hovering_a_cell_names_its_attribute_in_full(qtbot):
    window = shown(qtbot, pixels())
    grid = window.grid
    last = grid.cell_rect(300).center()
    assert grid.tooltip_at(last).startswith("class (nominal)\n0\n1")
    assert grid.tooltip_at(grid.cell_rect(5).center()) == "pixel_5 (numeric)"


def test_the_line_names_what_has_no_histogram():
    data = Dataset("mixed", [Attribute.numeric("a"), Attribute.string("who", ["x", "y"]),
                             Attribute.nominal("c", ["p", "q"])],
                   np.array([[1.0, 0, 0], [2.0, 1, 1]]), class_index=2)
    assert shown_text(data, [0, 2], 2) == \
        "2 of 3 attributes (who: no histogram), coloured by c."
    assert shown_text(data, [0, 2], None) == "2 of 3 attributes (who: no histogram)."


def test_the_explorer_button_shows_all_of_a_wide_dataset(qtbot, explorer):
    from explorer_helpers import dataset_path, open_and_wait

    open_and_wait(qtbot, explorer, dataset_path("digits.arff"))   # 64 pixels and a class
    window = explorer.preprocess.visualize_all()
    assert window is not None and window.grid.attributes == list(range(65))
    assert window.windowTitle() == f"All attributes: {explorer.dataset.relation}"
    assert window.note.text() == "All 65 attributes, coloured by class."
