"""Fixtures for driving the Explorer as a user would, with settings kept in tmp_path."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "explorer.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def explorer(qtbot, settings, monkeypatch):
    from workbench.gui.explorer import window as window_module

    monkeypatch.setattr(window_module, "explorer_settings", lambda: settings)
    window = window_module.ExplorerWindow(settings=settings)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.classify.stop()
    if window.classify.job is not None:
        window.classify.job.wait(10)

