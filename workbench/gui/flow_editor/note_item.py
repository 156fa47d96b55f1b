"""A note on the canvas: free text in a pale box, under the nodes.

The flow's ``Note`` (``workbench.flow.notes``) is the truth; the scene creates, updates
and removes these items when the model says a note was added, changed or removed, so
undo, paste and a script all redraw the same way.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsTextItem, QStyleOptionGraphicsItem, QWidget

from workbench.flow.notes import Note


class NoteItem(QGraphicsTextItem):
    """A note on the canvas: free text in a pale box. The flow's ``Note`` is the truth;
    the scene calls ``update_from`` when the model says the note changed."""

    def __init__(self, note: Note) -> None:
        super().__init__()
        self.note_id = note.id
        self.setDefaultTextColor(QColor("#444"))
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                      | QGraphicsItem.GraphicsItemFlag.ItemIsMovable)
        self.setZValue(-1)
        self.update_from(note)

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
