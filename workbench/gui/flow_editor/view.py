"""The canvas's view: zoom with Ctrl+wheel, pan with the middle button, rubber-band select,
drops from the palette, and the keyboard: Tab and Shift+Tab select the next or previous
node (``keyboard.py``), Enter opens the selected node as a double-click does, Shift+F10 or
the Menu key opens its menu at the node, the arrow keys move the selection a grid step
(with Shift five) and scroll the view when nothing is selected, and Escape drops a link
being drawn. A frame in
the palette's highlight colour shows when the canvas has the keyboard focus.

The canvas is magnified by the desktop font's size (``canvas_font.py``): 100 % is the
font's size, and zooming, fitting and opening a flow count from there."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFocusEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPalette,
    QPen,
    QWheelEvent,
)
from PySide6.QtWidgets import QFrame, QGraphicsItem, QGraphicsView, QMenu, QWidget

from workbench.gui.flow_editor import canvas_font, keyboard
from workbench.gui.flow_editor.items import GRID
from workbench.gui.flow_editor.palette import MIME_TYPE
from workbench.gui.flow_editor.scene import FlowScene

FOCUS_FRAME = 2   # px: the frame around the canvas, drawn in the highlight colour on focus
# The arrow keys' directions; a press moves the selection a grid step, with Shift five.
ARROWS = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, -1),
          Qt.Key.Key_Down: (0, 1)}
BIG_STEP = 5


def _local_files(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[str]:
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]


class FlowView(QGraphicsView):
    """``dropped(type_name, scene_point)`` when a palette item lands on the canvas;
    ``files_dropped(paths, scene_point)`` when files from a file manager do."""

    dropped = Signal(str, QPointF)
    files_dropped = Signal(list, QPointF)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setAcceptDrops(True)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        # A plain frame wide enough to show focus; ``event`` paints its colour.
        self.setFrameStyle(QFrame.Shape.Box | QFrame.Shadow.Plain)
        self.setLineWidth(FOCUS_FRAME)
        self._pan_from: QPointF | None = None
        # 100 %: the canvas's text as large as the desktop font
        self.text_scale = canvas_font.text_scale()
        self.scale(self.text_scale, self.text_scale)

    def flow_scene(self) -> FlowScene | None:
        scene = self.scene()
        return scene if isinstance(scene, FlowScene) else None

    # Keyboard -------------------------------------------------------------------------
    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab and Shift+Tab step through the nodes while the canvas has focus; past the
        last (first) node they leave the canvas as Tab does anywhere else."""
        scene = self.flow_scene()
        if self.hasFocus() and scene is not None and not scene.linking:
            item = keyboard.step(scene, next)
            if item is not None:
                self.ensureVisible(item, 40, 40)
                scene.message.emit(f"Selected {item.title}: Ctrl+E parameters, "
                                   "F2 rename, Ctrl+L connect, arrows move, "
                                   "Shift+F10 menu, Delete")
                return True
        return super().focusNextPrevChild(next)

    def event(self, event: QEvent) -> bool:
        scene = self.flow_scene()
        if (event.type() == QEvent.Type.ShortcutOverride and scene is not None
                and scene.linking and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Escape):
            event.accept()   # Escape drops the link, and is not the Stop shortcut
            return True
        # A window hears of a new desktop font as ApplicationFontChange, a widget in it
        # as the FontChange of the font it inherits.
        if event.type() in (QEvent.Type.ApplicationFontChange, QEvent.Type.FontChange):
            self._follow_font()
        handled = super().event(event)
        if event.type() == QEvent.Type.Paint:
            self._paint_frame()
        return handled

    def _follow_font(self) -> None:
        """The desktop font changed while the window is open: magnify the canvas by as
        much as the font grew (or shrink it), keeping the user's own zoom."""
        scale = canvas_font.text_scale()
        if scale != self.text_scale:
            factor = scale / self.text_scale
            self.text_scale = scale
            self.scale(factor, factor)

    def _paint_frame(self) -> None:
        """Paint the frame over Qt's: the highlight colour while the canvas has the
        keyboard focus (Fusion shows none on a scroll area), a quiet one otherwise."""
        role = (QPalette.ColorRole.Highlight if self.hasFocus()
                else QPalette.ColorRole.Mid)
        painter = QPainter(self)
        pen = QPen(self.palette().color(role), FOCUS_FRAME)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        half = FOCUS_FRAME / 2
        painter.drawRect(self.rect().toRectF().adjusted(half, half, -half, -half))
        painter.end()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        scene = self.flow_scene()
        if scene is None:
            super().keyPressEvent(event)
            return
        key, mods = event.key(), event.modifiers()
        if key == Qt.Key.Key_Escape and scene.linking:
            scene.cancel_link()
        elif key == Qt.Key.Key_F10 and mods == Qt.KeyboardModifier.ShiftModifier:
            self.open_node_menu()
        elif key in ARROWS and not scene.linking and not mods & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                | Qt.KeyboardModifier.MetaModifier):
            if not self.nudge(scene, *ARROWS[Qt.Key(key)],
                              big=bool(mods & Qt.KeyboardModifier.ShiftModifier)):
                super().keyPressEvent(event)   # nothing selected: the arrows scroll
                return
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not scene.linking:
            item = keyboard.one_selected(scene)
            if item is None:
                scene.message.emit(keyboard.why_not_one(scene, "open it"))
            else:
                scene.node_activated.emit(item.node_id)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def nudge(self, scene: FlowScene, dx: int, dy: int, big: bool = False) -> bool:
        """Move the selection a step in the arrow's direction and keep it in view."""
        step = GRID * (BIG_STEP if big else 1)
        if not scene.nudge(dx * step, dy * step):
            return False
        moved = QRectF()
        for item in scene.selectedItems():
            moved = moved.united(item.sceneBoundingRect())
        self.ensureVisible(moved, 40, 40)
        return True

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if event.reason() == QContextMenuEvent.Reason.Keyboard:
            self.open_node_menu()
            event.accept()
            return
        super().contextMenuEvent(event)

    def open_node_menu(self) -> bool:
        """The Menu key or Shift+F10: the selected node's menu, at the node (a right-click
        opens it under the pointer). False, and a word in the status line, without one
        selected node."""
        scene = self.flow_scene()
        if scene is None:
            return False
        item = keyboard.one_selected(scene)
        if item is None:
            scene.message.emit(keyboard.why_not_one(scene, "open its menu"))
            return False
        scene.node_menu.emit(item.node_id, self.menu_point(item))
        return True

    def menu_point(self, item: QGraphicsItem) -> QPoint:
        """Where on the screen a menu for ``item`` opens from the keyboard: at its
        middle, scrolled into view first."""
        self.ensureVisible(item, 40, 40)
        middle = item.mapToScene(item.boundingRect().center())
        return self.viewport().mapToGlobal(self.mapFromScene(middle))

    def popup_at(self, item: QGraphicsItem, menu: QMenu) -> None:
        """Show ``menu`` at ``item`` without waiting for it (a keyboard's choice of
        links), its first entry lit so Enter takes the nearest; Qt deletes the menu once
        it closed and its entry has run."""
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(self.menu_point(item))
        first = next((a for a in menu.actions() if a.isEnabled() and not a.isSeparator()),
                     None)
        if first is not None:
            menu.setActiveAction(first)

    def zoom(self, factor: float) -> None:
        scale = self.transform().m11() * factor
        if 0.05 <= scale <= 4.0 * self.text_scale:
            self.scale(factor, factor)

    def _flow_rect(self) -> QRectF:
        scene = self.scene()
        if scene is None:
            return QRectF()
        return scene.itemsBoundingRect().adjusted(-30, -30, 30, 30)

    def _at_full_size(self) -> None:
        self.resetTransform()
        self.scale(self.text_scale, self.text_scale)

    def fit(self) -> None:
        """Fit every node and note in the view (never magnified past 100%, the size of
        the desktop font)."""
        rect = self._flow_rect()
        if rect.isEmpty():
            return
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        if self.transform().m11() > self.text_scale:
            self._at_full_size()
            self.centerOn(rect.center())

    def fit_on_open(self) -> None:
        """How a flow is first shown: fitted, unless the desktop font is large
        (``canvas_font.large_text``) and fitting would shrink the canvas below it: then
        at 100 % from the flow's top left, the rest a scroll away (Fit to view, Ctrl+0,
        still shows it whole). Shrunk to fit, its text would be as small as the font
        was chosen to avoid (walkthrough M3: 8.5 pt titles under an 18 pt desktop)."""
        self.fit()
        rect = self._flow_rect()
        if (rect.isEmpty() or not canvas_font.large_text()
                or self.transform().m11() >= self.text_scale):
            return
        self._at_full_size()
        shown = self.mapToScene(self.viewport().rect()).boundingRect()
        x = (rect.center().x() if rect.width() <= shown.width()
             else rect.left() + shown.width() / 2)
        y = (rect.center().y() if rect.height() <= shown.height()
             else rect.top() + shown.height() / 2)
        self.centerOn(x, y)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom(1.15 if event.angleDelta().y() > 0 else 1 / 1.15)
            event.accept()
            return
        super().wheelEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.MiddleButton:
            self._pan_from = event.position()
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            delta = event.position() - self._pan_from
            self._pan_from = event.position()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value()
                                                - int(delta.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value()
                                              - int(delta.y()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None and event.button() == Qt.MouseButton.MiddleButton:
            self._pan_from = None
            self.unsetCursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(MIME_TYPE) or _local_files(event):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasFormat(MIME_TYPE) or _local_files(event):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        if event.mimeData().hasFormat(MIME_TYPE):
            name = bytes(event.mimeData().data(MIME_TYPE).data()).decode()
            self.dropped.emit(name, self.mapToScene(event.position().toPoint()))
            event.acceptProposedAction()
        elif _local_files(event):
            self.files_dropped.emit(_local_files(event),
                                    self.mapToScene(event.position().toPoint()))
            event.acceptProposedAction()
        else:
            super().dropEvent(event)
