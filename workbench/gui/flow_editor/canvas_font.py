"""How large the canvas draws its text: as large as the user's desktop font.

The canvas is drawn at a reference size (titles 8.5 pt and port names 7.5 pt for the
9 pt font Qt uses by default), and the view magnifies all of it, boxes, ports, links
and notes together, by the user's font size over that reference. Had only the text
grown, each node would grow where it stands and the bundled templates, laid out for
boxes about 130-180 px wide, would overlap; magnified as a whole, the flow keeps its
layout at any font size. A reader who chose an 18 pt desktop font reads 17 pt node
titles instead of 8.5 pt ones (accessibility walkthrough M3).
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontInfo, QGuiApplication

REFERENCE_PT = 9.0   # the font the canvas is drawn for at 100 %: Qt's default
TITLE_PT = 8.5       # a node's title, bold, at the reference font
PORT_PT = 7.5        # a port's name
# A desktop font this large (WCAG's "large text" starts at 14 pt) was chosen to read:
# opening a flow does not shrink the canvas below the font's size to fit it whole.
LARGE_TEXT_PT = 14.0
SMALLEST_SCALE = 0.5


def desktop_point_size() -> float:
    """The application font's size in points (one given in pixels, too)."""
    return QFontInfo(QGuiApplication.font()).pointSizeF()


def text_scale() -> float:
    """How much the view magnifies the canvas: the desktop font over the reference."""
    return max(SMALLEST_SCALE, desktop_point_size() / REFERENCE_PT)


def large_text() -> bool:
    """Whether the desktop font is one chosen to read large text (``LARGE_TEXT_PT``)."""
    return desktop_point_size() >= LARGE_TEXT_PT


def canvas_font(point_size: float = REFERENCE_PT, bold: bool = False) -> QFont:
    """The desktop font's family at ``point_size`` in canvas units (the view scales it)."""
    font = QFont()
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font
