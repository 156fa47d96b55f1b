"""On macOS the tab-switching keys use the physical Control key (Qt's Meta there):
Qt's "Ctrl" is Command on a Mac, and Cmd+Tab belongs to the system."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QLineEdit, QTableWidget, QTabWidget, QVBoxLayout, QWidget

from workbench.gui.widgets import tab_keys

META = Qt.KeyboardModifier.MetaModifier   # what Qt on macOS calls the Control key


def _window(qtbot) -> tuple[QWidget, QTabWidget, list]:
    window = QWidget()
    tabs = QTabWidget()
    for name in ("one", "two", "three"):
        tabs.addTab(QLabel(name), name)
    layout = QVBoxLayout(window)
    layout.addWidget(tabs)
    qtbot.addWidget(window)
    shortcuts = tab_keys.switch_tabs_with_keys(window, tabs)
    return window, tabs, shortcuts


@pytest.mark.parametrize("platform, wanted", [
    ("darwin", {"Meta+Tab", "Meta+PgDown", "Meta+Shift+Tab", "Meta+Shift+Backtab",
                "Meta+PgUp"}),
    ("linux", {"Ctrl+Tab", "Ctrl+PgDown", "Ctrl+Shift+Tab", "Ctrl+Shift+Backtab",
               "Ctrl+PgUp"}),
    ("win32", {"Ctrl+Tab", "Ctrl+PgDown", "Ctrl+Shift+Tab", "Ctrl+Shift+Backtab",
               "Ctrl+PgUp"}),
])
def test_the_tab_keys_use_the_physical_control_key(qtbot, monkeypatch, platform, wanted):
    monkeypatch.setattr(sys, "platform", platform)
    *_, shortcuts = _window(qtbot)
    made = {s.key().toString(QKeySequence.SequenceFormat.PortableText) for s in shortcuts}
    assert made == {QKeySequence(k).toString(QKeySequence.SequenceFormat.PortableText)
                    for k in wanted}


def test_on_a_mac_control_tab_switches_tabs_and_leaves_a_table(qtbot, monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    window, tabs, _shortcuts = _window(qtbot)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(tabs.currentWidget(), Qt.Key.Key_Tab, META)
    assert tabs.currentIndex() == 1

    box = QWidget()
    table, after = QTableWidget(2, 2), QLineEdit()
    layout = QVBoxLayout(box)
    layout.addWidget(table)
    layout.addWidget(after)
    qtbot.addWidget(box)
    tab_keys.leave_with_ctrl_tab(table)
    box.show()
    box.activateWindow()
    qtbot.waitUntil(box.isActiveWindow)
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    qtbot.keyClick(table, Qt.Key.Key_Tab, META)
    assert after.hasFocus()
