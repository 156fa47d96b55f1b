"""Labels, legends and big mosaics stay readable: nothing drawn over the data or clipped."""

import numpy as np
from PySide6.QtWidgets import QHeaderView

from workbench.classifiers.knn import KNearestNeighbours
from workbench.classifiers.rnn import RecurrentNetwork
from workbench.gui.plots.errors import ClassifierErrorsView
from workbench.gui.plots.mosaic import MosaicView
from workbench.gui.plots.weights import WeightsView


def test_a_shrunk_mosaic_is_averaged_and_smoothed_a_small_one_stays_crisp(qtbot):
    view = MosaicView()
    qtbot.addWidget(view)
    view.resize(400, 400)
    view.show()
    qtbot.waitExposed(view)
    # A 784-input MLP's 397 tiles: about 580 px square, shown in 400 px.
    view.set_tiles(np.random.default_rng(0).normal(size=(397, 28, 28)))
    assert view.screen_scale() < 1.0
    assert view.smoothed
    # Averaged once, here, not by pyqtgraph in every paint: the item holds the averaged
    # picture over the mosaic's own coordinates.
    assert not view.image.autoDownsample and view.shown_factor == 1
    view.resize(250, 250)
    qtbot.waitUntil(lambda: view.shown_factor == 2)
    height, width = view.rgb.shape[:2]
    assert view.image.image.shape[:2] == ((height + 1) // 2, (width + 1) // 2)
    assert view.image.mapRectToParent(view.image.boundingRect()).width() == width
    view.set_tiles(np.random.default_rng(0).normal(size=(4, 8, 8)))
    assert view.screen_scale() > 1.0
    assert not view.smoothed and view.shown_factor == 1
    assert view.image.image.shape == view.rgb.shape


def test_the_diverging_map_is_the_anchors_interpolation():
    from workbench.core.colormaps import DIVERGING_ANCHORS, diverging_rgb, lookup

    values = np.random.default_rng(1).uniform(-1, 1, 5000)
    values[:3] = (-1.0, 0.0, 1.0)
    exact = lookup(DIVERGING_ANCHORS, (values + 1) / 2).round()
    assert np.abs(diverging_rgb(values, 1.0).astype(float) - exact).max() <= 1
    assert diverging_rgb(values[:3], 1.0).tolist() == exact[:3].tolist()
    assert diverging_rgb(np.array([np.nan, np.inf]), 1.0).tolist() == [[200, 200, 200],
                                                                       [103, 0, 31]]


def test_classifier_errors_legend_sits_below_the_points_not_over_them(qtbot, mlp_cv):
    view = ClassifierErrorsView(mlp_cv, x="petallength", y="petalwidth")
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.show()
    qtbot.waitExposed(view)
    box = view.plot.getPlotItem().vb
    legend_rect = view.legend.mapRectToScene(view.legend.boundingRect())
    data_rect = box.mapRectToScene(box.boundingRect())
    assert legend_rect.top() >= data_rect.bottom() - 1  # below it (edges may touch)
    names = [label.text for _sample, label in view.legend.items]
    assert names and all("(correct)" in n or "(wrong)" in n for n in names)
    view.redraw()  # redrawn: the legend is rebuilt, not doubled
    assert len(view.legend.items) == len(names)


def test_knn_neighbours_table_headers_are_not_cut(qtbot, digits_small):
    model = KNearestNeighbours(k=5).fit(digits_small)
    view = WeightsView(model, digits_small)
    qtbot.addWidget(view)
    view.show()
    page = view.pages["Neighbours"]
    header = page.table_widget.horizontalHeader()
    assert header.sectionResizeMode(1) == QHeaderView.ResizeMode.ResizeToContents
    metrics = header.fontMetrics()
    assert header.sectionSize(1) >= metrics.horizontalAdvance("training instance")


def test_rnn_step_labels_are_thinned_to_fit_the_width(qtbot, digits_small):
    model = RecurrentNetwork(cell="simple", hidden_size=4, epochs=1).fit(digits_small)
    view = WeightsView(model, digits_small)
    qtbot.addWidget(view)
    page = view.pages["Hidden state"]
    page.plot.resize(900, 400)
    assert page.tick_every() == 1  # digits: 8 steps, room for every label
    page.steps = [f"word{i:03d}" for i in range(200)]
    every = page.tick_every()
    assert every > 1  # 200 labels cannot all sit side by side in 900 px
    # The labelled steps' share of the width holds the widest label.
    widest = page.fontMetrics().horizontalAdvance("word199")
    assert (page.plot.width() - 60) / 200 * every >= widest
    page.steps = ["a-very-long-word-indeed"]
    page._set_step_ticks()
    ticks = page.plot.getAxis("bottom")._tickLevels[0]
    assert ticks == [(0.5, "a-very-long\u2026")]
