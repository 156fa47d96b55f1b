"""*Save as...* offers a folder of the user's, never the installed program's (walkthrough
11c, item 3): a new flow or a template is offered the output folder, as the Explorer's
and the Experimenter's Save... are, and a saved flow its own file. Qt, given no folder,
reused the last one any dialog visited: after a loader's *Browse...*, the bundled
datasets folder inside the package."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from workbench.data.catalog import datasets_dir
from workbench.gui.flow_editor.files import templates


@pytest.fixture
def shown(monkeypatch):
    """The folder and file each Save dialog opened with; every dialog is cancelled."""
    seen: list[tuple[Path, Path]] = []

    def cancelled(dialog: QFileDialog) -> int:
        seen.append((Path(dialog.directory().absolutePath()),
                     Path(dialog.selectedFiles()[0])))
        return 0

    monkeypatch.setattr(QFileDialog, "exec", cancelled)
    return seen


def _browse_to_iris(editor, node_id: str) -> None:
    """What the user did first: Browse... in the loader's dialog, pick iris.arff."""
    browse = editor.parameter_dialog(node_id).file_dialog("file", "")
    browse.selectFile(str(datasets_dir() / "iris.arff"))
    browse.accept()


def test_a_new_flow_is_offered_the_output_folder_after_browsing_the_datasets(
        make_editor, tmp_path, monkeypatch, shown):
    monkeypatch.setenv("WORKBENCH_OUTPUT", str(tmp_path / "out"))
    editor = make_editor()
    _browse_to_iris(editor, editor.add_node("ArffLoader", (0, 0)))
    assert editor.ask_save_path() == ""
    assert shown == [(tmp_path / "out", tmp_path / "out" / "untitled.kflow.json")]
    # Accepting the suggestion never replaces a flow saved there before.
    (tmp_path / "out" / "untitled.kflow.json").write_text("{}")
    editor.ask_save_path()
    assert shown[-1][1] == tmp_path / "out" / "untitled-2.kflow.json"


def test_a_template_is_offered_the_output_folder_under_its_own_name(
        make_editor, tmp_path, monkeypatch, shown):
    monkeypatch.setenv("WORKBENCH_OUTPUT", str(tmp_path / "out"))
    editor = make_editor()
    template = next(p for p in templates() if p.name.startswith("cross-validation"))
    assert editor.open_template(template)
    _browse_to_iris(editor, "loader")
    editor.ask_save_path()
    assert shown == [(tmp_path / "out", tmp_path / "out" / template.name)]


def test_a_saved_flow_is_offered_its_own_file(make_editor, tmp_path, monkeypatch, shown):
    monkeypatch.setenv("WORKBENCH_OUTPUT", str(tmp_path / "out"))
    editor = make_editor()
    node_id = editor.add_node("ArffLoader", (0, 0))
    assert editor.save_to(tmp_path / "mine" / "cv.kflow.json")
    _browse_to_iris(editor, node_id)
    editor.ask_save_path()
    assert shown == [(tmp_path / "mine", tmp_path / "mine" / "cv.kflow.json")]
