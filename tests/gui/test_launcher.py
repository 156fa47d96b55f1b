"""The GUI Chooser (``workbench`` with no arguments) and the tool windows it opens.

Closing the chooser leaves its tools open, as WEKA's GUI Chooser does (nobody loses an
Explorer full of results by tidying the chooser away); each tool's Window menu brings the
chooser back, where WEKA's tools had no way back to it.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMainWindow

from workbench.gui.app import Launcher
from workbench.gui.way_back import CHOOSER_ITEM, WINDOW_MENU


def _window_menu_item(window: QMainWindow):
    menus = [a.menu() for a in window.menuBar().actions() if a.text() == WINDOW_MENU]
    assert len(menus) == 1, [a.text() for a in window.menuBar().actions()]
    items = [a for a in menus[0].actions() if a.text() == CHOOSER_ITEM]
    assert len(items) == 1
    return items[0]


@pytest.mark.parametrize("tool", ["Explorer", "Knowledge Flow", "Experimenter"])
def test_a_tool_outlives_the_closed_chooser_and_brings_it_back(qtbot, tmp_path,
                                                               monkeypatch, tool):
    monkeypatch.setenv("WORKBENCH_AUTOSAVE_DIR", str(tmp_path / "autosave"))
    launcher = Launcher()
    qtbot.addWidget(launcher)
    launcher.show()
    qtbot.waitExposed(launcher)
    launcher.buttons[tool].click()
    window = launcher.windows[0]
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    assert launcher.close()
    assert not launcher.isVisible() and window.isVisible()   # the tool stays open
    _window_menu_item(window).trigger()
    assert launcher.isVisible()
    assert launcher.windows == [window]        # the chooser still knows its tool
