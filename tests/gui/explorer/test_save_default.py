"""Save... never proposes the file the data came from, least of all a bundled one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from explorer_helpers import dataset_path, open_and_wait
from PySide6.QtCore import Qt

from workbench.core.resources import is_bundled
from workbench.gui.explorer import window as window_module


@pytest.fixture
def offered(monkeypatch, tmp_path):
    """The folder and name the save dialog is opened with (the dialog itself answers
    "cancel"), and runs' output folder moved into tmp_path."""
    monkeypatch.setenv("WORKBENCH_OUTPUT", str(tmp_path / "out"))
    seen: list[Path] = []

    def dialog(parent, caption, directory, filters):
        seen.append(Path(directory))
        return "", ""

    monkeypatch.setattr(window_module.QFileDialog, "getSaveFileName", dialog)
    return seen


def apply_normalize(qtbot, explorer) -> None:
    original = explorer.dataset
    explorer.preprocess.filter_chooser.set_current("normalize")
    qtbot.mouseClick(explorer.preprocess.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: explorer.dataset is not original, timeout=20_000)


def test_a_filtered_bundled_dataset_is_offered_to_the_output_folder(
        qtbot, explorer, offered, tmp_path):
    open_and_wait(qtbot, explorer, dataset_path("diabetes.arff"))
    assert is_bundled(explorer.path, "datasets")
    apply_normalize(qtbot, explorer)
    qtbot.mouseClick(explorer.preprocess.save_button, Qt.MouseButton.LeftButton)
    assert offered == [tmp_path / "out" / "diabetes-filtered.arff"]
    assert offered[0].parent.is_dir()  # the dialog opens there, not in the cwd
    explorer.undo()  # unchanged again: a plain copy, still outside the package
    explorer.choose_save()
    assert offered[-1] == tmp_path / "out" / "diabetes.arff"


def test_a_users_file_gets_a_new_name_beside_it(qtbot, explorer, offered, tmp_path):
    own = tmp_path / "mine" / "iris.arff"
    own.parent.mkdir()
    shutil.copy(dataset_path("iris.arff"), own)
    open_and_wait(qtbot, explorer, str(own))
    explorer.choose_save()
    assert offered[-1] == own.parent / "iris-copy.arff"
    apply_normalize(qtbot, explorer)
    (own.parent / "iris-filtered.arff").write_text("taken")
    explorer.choose_save()
    assert offered[-1] == own.parent / "iris-filtered-2.arff"  # never over a file


def test_suggested_names_keep_a_format_a_saver_writes(tmp_path):
    from workbench.gui.explorer.files import suggested_save_path as suggest
    assert suggest(str(tmp_path / "a.csv.gz"), True) == tmp_path / "a-filtered.csv.gz"
    assert suggest(str(tmp_path / "b.data.csv"), False) == tmp_path / "b.data-copy.csv"
    assert suggest(str(tmp_path / "c.unknown"), True) == tmp_path / "c-filtered.arff"
