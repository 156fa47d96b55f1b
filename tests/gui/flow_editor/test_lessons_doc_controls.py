"""The lessons name the buttons a learner presses as the windows spell them: "press Run"
sent a learner looking for a button that is called *Run all*."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton

LESSONS = Path(__file__).resolve().parents[3] / "docs" / "user-guide" / "lessons.md"


def _controls(window) -> set[str]:
    texts = {a.text() for a in window.findChildren(QAction)}
    texts |= {b.text() for b in window.findChildren(QAbstractButton)}
    return {t.replace("&", "").split("\t")[0].strip() for t in texts if t}


def test_every_button_the_lessons_tell_you_to_press_exists(make_editor, tmp_path,
                                                           monkeypatch, qtbot):
    from workbench.gui.explorer import window as explorer_module

    settings = QSettings(str(tmp_path / "explorer.ini"), QSettings.Format.IniFormat)
    monkeypatch.setattr(explorer_module, "explorer_settings", lambda: settings)
    explorer = explorer_module.ExplorerWindow(settings=settings)
    qtbot.addWidget(explorer)
    known = _controls(make_editor()) | _controls(explorer)
    text = " ".join(LESSONS.read_text(encoding="utf-8").split())
    marked = re.findall(r"press \*([^*]+)\*", text)
    unmarked = re.findall(r"press ([A-Z][\w ]*?)(?= and| or|[,;.(])", text)
    assert marked, "the lessons say which buttons to press"
    assert not unmarked, f"name buttons as *Button*: {unmarked}"
    assert set(marked) <= known, set(marked) - known
