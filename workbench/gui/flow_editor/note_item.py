"""A note on the canvas: free text in a pale box, under the nodes while not selected.

Under them, because a note comments on the flow and the nodes are what a person works
on: a note lying across a node must not hide its ports or take the clicks that link or
open it. While selected (clicked, or being dragged) a note comes to the top, so whoever
moves it sees all of it, and one left under a node can be picked and brought out.

The flow's ``Note`` (``workbench.flow.notes``) is the truth; the scene creates, updates
and removes these items when the model says a note was added, changed or removed, so
undo, paste and a script all redraw the same way.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSizeF
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsTextItem, QStyleOptionGraphicsItem, QWidget

from workbench.flow.notes import Note
from workbench.gui.flow_editor.canvas_font import canvas_font

# Z values: links are drawn at 0 and nodes at 1.
UNDER_NODES = -1.0   # the notes' layer, each at its place in the flow's order above it
SELECTED_NOTE = 2.0  # above nodes and links


def note_size(text: str, width: float) -> QSizeF:
    """The size a note of ``text`` wrapped at ``width`` takes on the canvas, known
    before it is added (to find it a free place)."""
    probe = QGraphicsTextItem()
    probe.setFont(canvas_font())
    probe.setPlainText(text)
    probe.setTextWidth(width)
    return probe.boundingRect().size()


class NoteItem(QGraphicsTextItem):
    """A note on the canvas: free text in a pale box. The flow's ``Note`` is the truth;
    the scene calls ``update_from`` when the model says the note changed."""

    def __init__(self, note: Note) -> None:
        super().__init__()
        self.note_id = note.id
        self._stack_z = UNDER_NODES
        # The reference size, as the nodes' text: the view magnifies both to the
        # desktop font's (a note at the desktop's 18 pt was magnified again, and its
        # fixed width grew it down over the nodes below).
        self.setFont(canvas_font())
        self.setDefaultTextColor(QColor("#444"))
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                      | QGraphicsItem.GraphicsItemFlag.ItemIsMovable)
        self.setZValue(UNDER_NODES)
        self.update_from(note)

    def set_stack_z(self, z: float) -> None:
        """Its place among the notes, under the nodes (the scene keeps the flow's order);
        shown while it is not selected."""
        self._stack_z = z
        if not self.isSelected():
            self.setZValue(z)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self.setZValue(SELECTED_NOTE if value else self._stack_z)
        return super().itemChange(change, value)

    def update_from(self, note: Note) -> None:
        if self.toPlainText() != note.text:
            self.setPlainText(note.text)
        self.setTextWidth(note.width)
        if (self.pos().x(), self.pos().y()) != note.position:
            self.setPos(*note.position)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setPen(QPen(QColor("#d9c77a")))
        painter.setBrush(QColor("#fff8d6"))
        painter.drawRect(self.boundingRect())
        # None when the scene is rendered to an image; Qt takes it, the stub wants a widget.
        super().paint(painter, option, widget)  # type: ignore[arg-type]
