"""The LearningCurveOverlay's window draws what its picture draws: loss on a log scale
above accuracy, one colour per run, training thin and validation thick, and a legend
beside the plots instead of over them."""

from __future__ import annotations

import numpy as np

from workbench.flow.nodes.dynamics import OverlayChart
from workbench.flow.nodes.viewers import Series
from workbench.gui.plots.overlay import OverlayCurvesView, log_ticks
from workbench.gui.viewers import best_viewer


def _chart(runs=("optimizer=sgd", "optimizer=adam"), validation=True) -> OverlayChart:
    x = np.arange(1, 11, dtype=float)
    series = []
    for i, run in enumerate(runs):
        measures = ("loss", "val_loss", "accuracy", "val_accuracy") if validation else \
            ("loss", "accuracy")
        for measure in measures:
            y = 0.1 + 0.08 * x if "accuracy" in measure else (i + 1) / x
            series.append(Series(f"{run}: {measure}", x, y))
    return OverlayChart("Curves", "epoch", "value", tuple(series))


def _pen(curve):
    pen = curve.opts["pen"]
    return pen.color().getRgb()[:3], pen.widthF()


def test_the_flow_opens_the_overlay_view_for_an_overlay_chart(qtbot):
    chart = _chart()
    entry = best_viewer(chart)
    assert entry is not None
    view = entry.open(chart)
    qtbot.addWidget(view)
    assert isinstance(view, OverlayCurvesView)


def test_loss_and_accuracy_have_panels_of_their_own_and_loss_is_on_a_log_scale(qtbot):
    view = OverlayCurvesView(_chart())
    qtbot.addWidget(view)
    assert list(view.plots) == ["loss", "accuracy"]
    assert view.log_loss
    assert not view.plots["accuracy"].getAxis("left").logMode
    loss_curves = [c for (measure, _), c in view.curves.items() if measure == "loss"]
    assert len(loss_curves) == 4  # two runs x training and validation, no accuracy
    assert "thin = training, thick = validation" in view.plots["loss"].titleLabel.text


def test_each_run_has_its_own_colour_and_validation_lines_are_thicker(qtbot):
    view = OverlayCurvesView(_chart())
    qtbot.addWidget(view)
    pens = {label: _pen(c) for (m, label), c in view.curves.items() if m == "loss"}
    sgd_train = pens["optimizer=sgd (training)"]
    sgd_val = pens["optimizer=sgd (validation)"]
    adam_train = pens["optimizer=adam (training)"]
    assert sgd_train[0] == sgd_val[0] != adam_train[0]
    assert sgd_val[1] > sgd_train[1]


def test_the_legend_is_beside_the_plots_not_inside_them(qtbot):
    view = OverlayCurvesView(_chart(("a", "b", "c", "d", "e", "f")))
    qtbot.addWidget(view)
    for plot in view.plots.values():
        assert plot.legend is None
    assert view.legend_labels == [f"{r} ({k})" for r in "abcdef"
                                  for k in ("training", "validation")]


def test_log_ticks_label_one_two_five_within_a_few_decades():
    ticks = dict((round(p, 6), label) for p, label in log_ticks(np.array([0.04, 2.3])))
    assert ticks[round(np.log10(0.05), 6)] == "0.05" and ticks[0.0] == "1"
    wide = log_ticks(np.array([1e-4, 10.0]))
    assert [label for _, label in wide] == ["0.0001", "0.001", "0.01", "0.1", "1", "10"]


def test_long_run_names_leave_the_plots_most_of_the_window(qtbot):
    """Six runs named by their parameters ("weight_decay=0.0, dropout=0.0 (training)")
    made the legend 45 % of the window; it stays a narrow column, names elided with the
    whole name in the tooltip."""
    from PySide6.QtWidgets import QLabel

    runs = [f"weight_decay=0.0{i}, dropout=0.{i}, learning_rate=0.00{i}" for i in range(6)]
    view = OverlayCurvesView(_chart(runs))
    qtbot.addWidget(view)
    view.resize(1100, 680)
    view.show()
    qtbot.waitExposed(view)
    assert view.legend.width() <= 0.25 * view.width()
    assert view.graphics.width() >= 0.7 * view.width()
    names = [label for label in view.legend.findChildren(QLabel) if label.toolTip()]
    assert {n.toolTip() for n in names} == set(view.legend_labels)
    assert all(n.fontMetrics().horizontalAdvance(n.text()) <= n.width() for n in names)
