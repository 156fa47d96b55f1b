"""A node's right-click menu is deleted once closed, not kept by the editor: parented
to the window, each menu would otherwise live (hidden) as long as the window does."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QTimer
from PySide6.QtWidgets import QApplication, QMenu


def _close_the_popup() -> None:
    popup = QApplication.activePopupWidget()
    if popup is not None:
        popup.close()


def test_each_right_click_menu_is_deleted_after_it_closes(make_editor) -> None:
    editor = make_editor()
    node_id = editor.add_node("ZeroR")
    before = len(editor.findChildren(QMenu))
    for _ in range(3):
        QTimer.singleShot(0, _close_the_popup)
        editor._node_menu(node_id, QPoint(10, 10))
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert len(editor.findChildren(QMenu)) == before
