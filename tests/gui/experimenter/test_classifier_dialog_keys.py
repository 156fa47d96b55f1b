"""The Experimenter's Classifier dialog starts on its chooser (walkthrough 13, K4): it
opened with the focus on OK, so the Space meant to open the chooser added ZeroR and
closed the dialog, and the arrows after it changed the Setup tab behind."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMenu


@pytest.mark.parametrize("key", [Qt.Key.Key_Space, Qt.Key.Key_Return])
def test_the_first_key_opens_the_chooser_and_never_accepts(qtbot, window, key):
    from workbench.gui.experimenter.classifier_dialog import ClassifierDialog

    window.show()
    dialog = ClassifierDialog(window.registry, parent=window.setup)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    assert QApplication.focusWidget() is dialog.chooser
    menus: list[QMenu] = []

    def close_popup() -> None:
        popup = QApplication.activePopupWidget()
        if isinstance(popup, QMenu):
            menus.append(popup)
            popup.close()
        else:
            QTimer.singleShot(20, close_popup)

    QTimer.singleShot(0, close_popup)
    qtbot.keyClick(QApplication.focusWidget(), key)
    qtbot.waitUntil(lambda: bool(menus), timeout=5_000)
    assert menus[0] is dialog.chooser.menu()
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    dialog.reject()
