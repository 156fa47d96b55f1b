"""Fixtures for the flow editor tests: an editor with its own settings and autosave
folder, whose unsaved-changes prompt answers "discard" instead of waiting for a person."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from workbench.core.registry import default_registry


@pytest.fixture(scope="session")
def registry():
    return default_registry()


@pytest.fixture
def make_editor(qtbot, tmp_path, monkeypatch, registry):
    monkeypatch.setenv("WORKBENCH_AUTOSAVE_DIR", str(tmp_path / "autosave"))
    from workbench.gui.flow_editor import FlowEditor

    editors = []

    def make(flow=None):
        settings = QSettings(str(tmp_path / f"settings{len(editors)}.ini"),
                             QSettings.Format.IniFormat)
        editor = FlowEditor(flow, registry=registry, settings=settings)
        editor.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
        qtbot.addWidget(editor)
        editor.output_dir = editor.runner.output_dir = tmp_path / "out"
        editors.append(editor)
        return editor

    yield make
    for editor in editors:
        editor.runner.stop()
        editor.runner.wait(30)

