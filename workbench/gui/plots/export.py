"""Saving what a viewer shows: the picture as PNG or SVG, the numbers behind it as CSV.

Every viewer in this package draws with Qt, so one routine can render any of them: PNG
through ``QWidget.grab`` and SVG by painting the widget into a ``QSvgGenerator``. The
numbers come from the viewer's ``table()`` (a header and rows), so the CSV always holds
exactly what is drawn. Writes go to a temporary file beside the target and are renamed
into place, so a failed save never leaves half a file behind.
"""

from __future__ import annotations

import csv
import inspect
import os
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QPoint, QSize
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QPushButton, QWidget

from workbench.core.atomic import atomic_path
from workbench.core.errors import WorkbenchError
from workbench.gui.widgets.literal import warn

Table = tuple[Sequence[str], Sequence[Sequence[Any]]]
_T = TypeVar("_T")
IMAGE_SUFFIXES = (".png", ".svg")


def _weak_callable(table: Callable[[], Table]) -> Callable[[], Callable[[], Table] | None]:
    """``table`` held weakly when it is a method (of the viewer, which would otherwise
    be kept in a cycle); a plain function holds nothing and is kept as it is."""
    if inspect.ismethod(table):
        return weakref.WeakMethod(table)
    return lambda: table


def _atomic(path: str | os.PathLike[str], write: Callable[[str], None]) -> Path:
    """Run ``write(temp_path)`` then rename the temporary file onto ``path``."""
    target = Path(path)
    if not target.parent.is_dir():
        raise WorkbenchError(f"{target}: the folder {target.parent} does not exist")
    with atomic_path(target) as temp:
        write(temp)
    return target


def save_png(widget: QWidget, path: str | os.PathLike[str]) -> Path:
    """The widget as it looks on screen, as a PNG file."""
    def write(temp: str) -> None:
        if not widget.grab().save(temp, "PNG"):
            raise WorkbenchError(f"{path}: could not write the PNG image")
    return _atomic(path, write)


def save_svg(widget: QWidget, path: str | os.PathLike[str], title: str = "") -> Path:
    """The widget painted into an SVG file (vector where Qt draws vectors)."""
    def write(temp: str) -> None:
        generator = QSvgGenerator()
        generator.setFileName(temp)
        size = widget.size() if widget.width() > 0 else QSize(640, 480)
        generator.setSize(size)
        generator.setViewBox(widget.rect())
        generator.setTitle(title or widget.windowTitle() or "Workbench chart")
        painter = QPainter()
        if not painter.begin(generator):
            raise WorkbenchError(f"{path}: could not start the SVG file")
        try:
            widget.render(painter, QPoint(0, 0))
        finally:
            painter.end()
    return _atomic(path, write)


def save_image(widget: QWidget, path: str | os.PathLike[str]) -> Path:
    """PNG or SVG, chosen by the file name's ending."""
    suffix = Path(path).suffix.lower()
    if suffix == ".png":
        return save_png(widget, path)
    if suffix == ".svg":
        return save_svg(widget, path)
    raise WorkbenchError(f"{path}: cannot save an image as '{suffix or 'no ending'}' "
                         f"(expected .png or .svg)")


def save_csv(table: Table, path: str | os.PathLike[str]) -> Path:
    """Write a header and rows as CSV; floats keep full precision."""
    header, rows = table

    def write(temp: str) -> None:
        with open(temp, "w", newline="", encoding="utf-8") as handle:
            out = csv.writer(handle)
            out.writerow(list(header))
            for row in rows:
                out.writerow([repr(v) if isinstance(v, float) else v for v in row])
    return _atomic(path, write)


class ExportBar(QWidget):
    """"Save image..." and "Save data..." buttons for a viewer with a ``table()``.

    The bar lives inside its viewer, so it holds the viewer and its ``table`` method
    weakly: strong references would close a reference cycle (viewer -> child bar ->
    viewer). A viewer in a cycle is not freed when its last reference goes but whenever
    the cycle collector next runs, and that can be inside a Python override (a
    pyqtgraph ``resizeEvent``) called by the viewer's own layout pass: the collector
    deletes the widget tree while Qt is still laying it out, and Qt crashes on the
    freed items.
    """

    def __init__(self, viewer: QWidget, table: Callable[[], Table],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._viewer = weakref.ref(viewer)
        self._table = _weak_callable(table)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addStretch(1)
        self.image_button = QPushButton("Save image...")
        self.data_button = QPushButton("Save data...")
        layout.addWidget(self.image_button)
        layout.addWidget(self.data_button)
        self.image_button.clicked.connect(self._save_image)
        self.data_button.clicked.connect(self._save_data)

    def _save_image(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save image", "",
                                              "PNG image (*.png);;SVG drawing (*.svg)")
        if path:
            if not Path(path).suffix:
                path += ".png"
            self._guard(lambda: save_image(self._alive(self._viewer()), path))

    def _save_data(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save data", "", "CSV file (*.csv)")
        if path:
            self._guard(lambda: save_csv(self._alive(self._table())(), path))

    @staticmethod
    def _alive(target: _T | None) -> _T:
        """The viewer (or its ``table``): gone only once the viewer is being deleted."""
        if target is None:
            raise WorkbenchError("the viewer has been closed")
        return target

    def _guard(self, action: Callable[[], object]) -> None:
        try:
            action()
        except (OSError, WorkbenchError) as error:
            warn(self, "Could not save", str(error))
