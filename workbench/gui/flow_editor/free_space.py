"""Where on the canvas a new box fits without covering anything, or hiding under it.

A note added in the middle of the view landed on whatever node stood there and, drawn
under nodes, showed a word or nothing (walkthrough 11c). A person puts a sticky note
beside the boxes, not on them: this finds the free place nearest to where they look.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtWidgets import QGraphicsScene

from workbench.gui.flow_editor.items import GRID

# Places tried at most: a view zoomed out over a big flow spans thousands of grid steps
# each way, and trying each would hold the window up; the step widens instead.
MAX_TRIES = 10_000


def free_spot(scene: QGraphicsScene, size: QSizeF, centre: QPointF, area: QRectF,
              gap: float = GRID) -> QPointF | None:
    """The top-left corner, on the grid, of the place nearest ``centre`` where a box of
    ``size`` lies inside ``area`` and at least ``gap`` from every item's shape (a link
    is its line: the canvas its route goes round is free); None when ``area`` has none.
    """
    left = math.ceil(area.left() / GRID) * GRID
    top = math.ceil(area.top() / GRID) * GRID
    spare_w, spare_h = area.right() - size.width() - left, area.bottom() - size.height() - top
    if spare_w < 0 or spare_h < 0:
        return None
    step = GRID * max(1, math.ceil(math.sqrt((spare_w / GRID + 1) * (spare_h / GRID + 1)
                                             / MAX_TRIES)))
    columns, rows = int(spare_w // step) + 1, int(spare_h // step) + 1
    half_w, half_h = size.width() / 2, size.height() / 2
    corners = sorted(((left + step * c, top + step * r) for c in range(columns)
                      for r in range(rows)),
                     key=lambda xy: math.hypot(xy[0] + half_w - centre.x(),
                                               xy[1] + half_h - centre.y()))
    for x, y in corners:
        room = QRectF(x - gap, y - gap, size.width() + 2 * gap, size.height() + 2 * gap)
        if not scene.items(room, Qt.ItemSelectionMode.IntersectsItemShape):
            return QPointF(x, y)
    return None


def below_everything(scene: QGraphicsScene, gap: float = 2 * GRID) -> QPointF:
    """A place that is always free: under all the canvas holds, at its left edge."""
    taken = scene.itemsBoundingRect()
    if taken.isNull():
        return QPointF(0.0, 0.0)
    return QPointF(math.floor(taken.left() / GRID) * GRID,
                   math.ceil((taken.bottom() + gap) / GRID) * GRID)
