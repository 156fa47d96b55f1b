"""The Visualize matrix's current cell: the keyboard's way to the larger scatter plot.

The matrix took a Tab stop and then did nothing: its cells opened only to a click, so a
keyboard user never reached the larger plot, its attribute selectors or its jitter. As
in a table, the arrows move a current cell and Return (or Enter, or Space) opens it as
a click does. The cell is outlined in the highlight colour while the matrix has the
focus, and only then: the mouse user's picture is unchanged.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPalette

OUTLINE = 3  # px: the current cell's outline, wider than the grid's 1 px lines

# key: (columns, rows) the current cell moves by
MOVES = {
    Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1),
}
OPEN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)
PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)


class MatrixCursor(QObject):
    """The current cell of the ``size`` x ``size`` matrix drawn in ``plot`` (cell
    (column, row) is the unit square at x = column, y = size - 1 - row: row 0 on top).

    ``opened(column, row)`` fires for Return, Enter or Space. After the plot is
    cleared and redrawn, ``set_size`` puts the outline back (clamped to the new size)."""

    opened = Signal(int, int)

    def __init__(self, plot: pg.PlotWidget) -> None:
        super().__init__(plot)
        self.plot = plot
        self.size = 0
        self.column = self.row = 0
        self.outline = pg.PlotCurveItem()
        self.outline.setZValue(10)   # over the points and the grid
        plot.installEventFilter(self)

    @property
    def cell(self) -> tuple[int, int] | None:
        """(column, row) of the current cell; None while the matrix is empty."""
        return (self.column, self.row) if self.size else None

    def set_size(self, size: int) -> None:
        """The matrix was redrawn with ``size`` rows and columns."""
        self.size = size
        if size:   # an empty matrix (cleared, about to be redrawn) forgets no cell
            self.column, self.row = min(self.column, size - 1), min(self.row, size - 1)
            if self.outline.scene() is None:
                self.plot.addItem(self.outline)
        self._draw()

    def move_to(self, column: int, row: int) -> None:
        if self.size:
            self.column = min(max(column, 0), self.size - 1)
            self.row = min(max(row, 0), self.size - 1)
            self._draw()

    def _draw(self) -> None:
        shown = self.size > 0 and self.plot.hasFocus()
        self.outline.setVisible(shown)
        if not shown:
            return
        x, top = float(self.column), float(self.size - self.row)
        colour = self.plot.palette().color(QPalette.ColorGroup.Active,
                                           QPalette.ColorRole.Highlight)
        self.outline.setPen(pg.mkPen(colour, width=OUTLINE))
        self.outline.setData(np.array([x, x + 1, x + 1, x, x]),
                             np.array([top, top, top - 1, top - 1, top]))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            self._draw()
        elif kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and self.size:
            return self._key(event)
        return False

    def _key(self, event: QKeyEvent) -> bool:
        """Handle an arrow or an opening key (True); any other key goes on to the plot."""
        if event.modifiers() not in PLAIN:
            return False
        key = event.key()
        if key in MOVES:
            step = MOVES[Qt.Key(key)]
            self.move_to(self.column + step[0], self.row + step[1])
            return True
        if key in OPEN_KEYS:
            self.opened.emit(self.column, self.row)
            return True
        return False
