"""Every menu of every main window gives each of its entries its own access key.

With two entries on one underlined letter (the Flow's Edit menu had &Paste and Node
&parameters), Alt+E then P only moves the highlight between them: the user must look
which one is lit and press Return (walkthrough 13c, K6). Menus filled as they open
(recent files, templates, results) are opened first, so their entries are counted too.
"""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QAbstractButton, QMainWindow, QMenu, QMessageBox, QWidget

from workbench.gui.widgets.access_keys import plain_text


def access_key(text: str) -> str | None:
    """The letter a single ``&`` marks in a menu text, lower case; None without one."""
    marked = text.replace("&&", "")
    at = marked.find("&")
    return marked[at + 1].lower() if 0 <= at < len(marked) - 1 else None


def clashes(texts: list[str]) -> dict[str, list[str]]:
    """The access keys that more than one of ``texts`` claims, with the texts."""
    keys = Counter(k for k in map(access_key, texts) if k is not None)
    return {key: [plain_text(t) for t in texts if access_key(t) == key]
            for key, count in keys.items() if count > 1}


def menu_clashes(menu: QMenu, where: str) -> dict[str, dict[str, list[str]]]:
    """Clashes in ``menu`` and each of its submenus, by the menu's path."""
    menu.aboutToShow.emit()   # menus filled as they open (Open recent, Result)
    actions = [a for a in menu.actions() if not a.isSeparator() and a.isVisible()]
    found = {where: c} if (c := clashes([a.text() for a in actions])) else {}
    for action in actions:
        if isinstance(sub := action.menu(), QMenu):
            found |= menu_clashes(sub, f"{where} > {plain_text(action.text())}")
    return found


def window_clashes(window: QWidget) -> dict[str, dict[str, list[str]]]:
    """Clashes among a window's menu titles, in each of its menus, and among the
    buttons of a window that has no menu bar (the GUI Chooser)."""
    if not isinstance(window, QMainWindow):
        buttons = [b.text() for b in window.findChildren(QAbstractButton)]
        return {"buttons": c} if (c := clashes(buttons)) else {}
    titles = [a for a in window.menuBar().actions() if not a.isSeparator()]
    found = {"menu bar": c} if (c := clashes([a.text() for a in titles])) else {}
    for action in titles:
        if isinstance(menu := action.menu(), QMenu):
            found |= menu_clashes(menu, plain_text(action.text()))
    return found


def test_access_key_reads_the_marked_letter():
    assert access_key("Node &parameters...") == "p"
    assert access_key("Save && &close") == "c"
    assert access_key("Parameters") is None
    assert clashes(["&Paste", "Node &parameters...", "&Copy"]) == {
        "p": ["Paste", "Node parameters..."]}


@pytest.fixture
def windows(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("WORKBENCH_AUTOSAVE_DIR", str(tmp_path / "autosave"))
    from workbench.gui.app import Launcher
    from workbench.gui.experimenter import Experimenter
    from workbench.gui.explorer import window as explorer_module
    from workbench.gui.flow_editor import FlowEditor

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    monkeypatch.setattr(explorer_module, "explorer_settings", lambda: settings)
    made: dict[str, QWidget] = {
        "Explorer": explorer_module.ExplorerWindow(settings=settings),
        "Knowledge Flow": FlowEditor(settings=settings),
        "Experimenter": Experimenter(),
        "GUI Chooser": Launcher(),
    }
    made["Knowledge Flow"].ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    made["Experimenter"].setup.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    for window in made.values():
        qtbot.addWidget(window)
    yield made
    made["Knowledge Flow"].runner.stop()
    made["Experimenter"].setup.checker.wait(20)


def test_no_two_entries_of_a_menu_share_an_access_key(windows):
    found = {name: c for name, window in windows.items() if (c := window_clashes(window))}
    assert found == {}


def test_the_flows_edit_menu_gives_each_entry_a_key(windows):
    """The menu K6 found three clashes in: every entry has a key, and its own."""
    editor = windows["Knowledge Flow"]
    (edit,) = [a.menu() for a in editor.menuBar().actions() if a.text() == "&Edit"]
    edit.aboutToShow.emit()
    texts = [a.text() for a in edit.actions() if not a.isSeparator()]
    assert all(access_key(t) for t in texts), texts
    assert clashes(texts) == {}
