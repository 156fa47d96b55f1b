"""Plot text reads on the plot panel and follows the desktop (walkthrough a11y M1, L4):
axes, tick labels, titles and legends in the palette's text colour (black where that
does not read on the white panel) and at the application's font size."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from workbench.gui.plots.curves import ThresholdCurveView
from workbench.gui.plots.plot_style import PANEL
from workbench.gui.widgets.colours import MIN_CONTRAST, contrast_ratio


@pytest.fixture
def desktop(qapp):
    """The application's palette and font, put back after the test."""
    palette, font = QApplication.palette(), QApplication.font()
    yield qapp
    QApplication.setPalette(palette)
    QApplication.setFont(font)


def _palette(window: str, text: str) -> QPalette:
    pal = QPalette(QColor(window))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text):
        pal.setColor(role, QColor(text))
    return pal


def _axis_colours(view) -> set[str]:
    plot = view.plot.getPlotItem()
    return {plot.getAxis(side).textPen().color().name() for side in ("left", "bottom")} | {
        plot.getAxis(side).pen().color().name() for side in ("left", "bottom")}


def _legend_colours(view) -> set[str]:
    return {label.opts["color"].name() if isinstance(label.opts["color"], QColor)
            else QColor(label.opts["color"]).name() for _sample, label in view.legend.items}


def test_axis_and_legend_text_reads_on_the_panel(qtbot, desktop, mlp_cv):
    QApplication.setPalette(_palette("#efefef", "#000000"))
    view = ThresholdCurveView(mlp_cv, "roc")
    qtbot.addWidget(view)
    for colour in _axis_colours(view) | _legend_colours(view):
        assert contrast_ratio(QColor(colour), PANEL) >= MIN_CONTRAST, colour


def test_plot_text_follows_a_high_contrast_palette(qtbot, desktop, mlp_cv):
    view = ThresholdCurveView(mlp_cv, "roc")
    qtbot.addWidget(view)
    QApplication.setPalette(_palette("#ffffff", "#000080"))   # black-on-white theme, navy
    qtbot.waitUntil(lambda: _axis_colours(view) == {"#000080"})
    assert _legend_colours(view) == {"#000080"}
    assert view.plot.getPlotItem().titleLabel.opts["color"].name() == "#000080"


def test_plot_text_stays_dark_on_the_white_panel_under_a_dark_theme(qtbot, desktop,
                                                                     mlp_cv):
    QApplication.setPalette(_palette("#2b2b2b", "#e8e8e8"))   # light text would vanish
    view = ThresholdCurveView(mlp_cv, "roc")
    qtbot.addWidget(view)
    assert _axis_colours(view) == {"#000000"}
    assert _legend_colours(view) == {"#000000"}


def test_titles_and_legends_follow_the_application_font(qtbot, desktop, mlp_cv):
    font = QFont(QApplication.font())
    font.setPointSizeF(18)
    QApplication.setFont(font)
    view = ThresholdCurveView(mlp_cv, "roc")
    qtbot.addWidget(view)
    assert view.legend.labelTextSize() == "18pt"
    assert all(label.opts["size"] == "18pt" for _sample, label in view.legend.items)
    title_size = float(view.plot.getPlotItem().titleLabel.opts["size"].removesuffix("pt"))
    assert title_size >= 18
