"""A desktop font of a given size for one test, as a large-font user's desktop sets it
(GNOME's text size, KDE's font): the application font, put back afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication


@contextmanager
def desktop_font(point_size: float) -> Iterator[QFont]:
    before = QApplication.font()
    font = QFont(before)
    font.setPointSizeF(point_size)
    QApplication.setFont(font)
    try:
        yield font
    finally:
        QApplication.setFont(before)
