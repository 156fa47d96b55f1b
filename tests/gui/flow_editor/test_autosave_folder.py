"""Where recovery files go: beside Workbench's other files when WORKBENCH_HOME names a
folder (walkthrough 8 found them in ~/.local/share even with it set)."""

from __future__ import annotations

from workbench.gui.flow_editor.files import autosave_dir


def test_recovery_files_follow_workbench_home(monkeypatch, tmp_path):
    monkeypatch.delenv("WORKBENCH_AUTOSAVE_DIR", raising=False)
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path))
    assert autosave_dir() == tmp_path / "flow-autosave"
    monkeypatch.setenv("WORKBENCH_AUTOSAVE_DIR", str(tmp_path / "tests"))
    assert autosave_dir() == tmp_path / "tests"


def test_a_relative_workbench_home_is_not_used(monkeypatch, tmp_path):
    monkeypatch.delenv("WORKBENCH_AUTOSAVE_DIR", raising=False)
    monkeypatch.setenv("WORKBENCH_HOME", "relative/home")
    assert autosave_dir().is_absolute()
