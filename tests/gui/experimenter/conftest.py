"""The Experimenter window the walkthrough tests drive: its own Workbench home, never a
"save changes?" question, and a run still going stopped before the window goes."""

import pytest
from PySide6.QtWidgets import QMessageBox


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    from workbench.gui.experimenter import Experimenter

    win = Experimenter()
    win.setup.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    qtbot.addWidget(win)
    yield win
    if win.run.job is not None:
        win.run.job.stop()
        qtbot.waitUntil(lambda: win.run.job is None, timeout=20_000)
    win.setup.checker.wait(20)
