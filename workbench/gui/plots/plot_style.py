"""The one place plots get their text colour and text size from the desktop.

pyqtgraph draws axis lines, tick labels and axis titles in its own grey (150, 150, 150):
on the plots' white panel that is 2.96:1, under WCAG's 4.5:1 for text, and it ignored a
high-contrast palette (walkthrough a11y M1). Its plot titles (11 pt) and legends (9 pt)
kept their own sizes at an 18 pt desktop font (L4). Here the text takes the palette's
own text colour when that reads on the panel (a high-contrast theme's black or navy),
and black when it does not (a dark theme's light grey on the white panel), and titles
and legends take the application's font size.

The panel itself stays white under every theme, as ``colours.py`` says: class colours,
the confusion and Hinton shades and the exported pictures are all chosen for it.

Two layers: ``pg.setConfigOption('foreground', ...)`` covers every axis, title and
legend that pyqtgraph makes later (an axis reads it each time it is drawn), and
``style_plot`` restyles what a view already holds, again after each palette change.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QWidget

from workbench.gui.widgets.colours import MIN_CONTRAST, contrast_ratio
from workbench.gui.widgets.palette_follow import follow_palette

PANEL = QColor(255, 255, 255)   # the plots' background, the same under every theme
TITLE_SCALE = 1.15              # a plot title a little larger than the text around it


def plot_text_colour(palette: QPalette | None = None) -> QColor:
    """The colour of text and axes on a plot panel: the palette's text colour where it
    reads on the panel (at least ``MIN_CONTRAST``), else black."""
    pal = palette if palette is not None else QGuiApplication.palette()
    text = pal.color(QPalette.ColorRole.WindowText)
    return QColor(text) if contrast_ratio(text, PANEL) >= MIN_CONTRAST else QColor(0, 0, 0)


def text_point_size() -> float:
    """The application's font size in points: the desktop's, 18 pt for a low-vision user."""
    size = QGuiApplication.font().pointSizeF()
    return size if size > 0 else 9.0


def use_palette_for_new_plots() -> None:
    """Make pyqtgraph's default foreground the plot text colour of the moment."""
    pg.setConfigOption("foreground", plot_text_colour())


def _restyle(view: pg.GraphicsView) -> None:
    use_palette_for_new_plots()
    colour = plot_text_colour()
    size = text_point_size()
    scene = view.scene()
    if scene is None:
        return
    for item in scene.items():
        if isinstance(item, pg.AxisItem):
            item.setPen(colour)
            item.setTextPen(colour)
            item.update()
        elif isinstance(item, pg.LegendItem):
            item.setLabelTextColor(colour)
            item.setLabelTextSize(f"{size:g}pt")
        elif isinstance(item, pg.PlotItem):
            title = item.titleLabel
            title.opts["size"] = f"{size * TITLE_SCALE:.3g}pt"
            title.opts["color"] = colour
            if title.text:
                title.setText(title.text)


def style_plot(view: QWidget) -> None:
    """Give the plots in ``view`` (a ``PlotWidget`` or ``GraphicsLayoutWidget``) the
    palette's text colour and the application's font size, now and after every palette
    change. Call it again after adding legends or plots to the view."""
    if isinstance(view, pg.GraphicsView):
        _restyle(view)
        if not view.property("workbench_plot_styled"):
            view.setProperty("workbench_plot_styled", True)
            follow_palette(view, lambda: _restyle(view))
