"""A Remove or an Apply still running when the user opens another file, or presses OK in
Edit..., put its result over the newer data when it finished: the opened file was
replaced by the old one less a column, and undone as "removed attributes: ...". Its
result is now dropped, and the log says so. The work is held inside its worker
(``hold``), so nothing here depends on timing."""

from __future__ import annotations

from explorer_helpers import dataset_path, hold, open_and_wait
from PySide6.QtCore import Qt

from workbench.data.dataset import Dataset

DROPPED = "finished on data that has since been replaced"


def _remove_first_attribute_held(qtbot, explorer, monkeypatch):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    release, entered = hold(monkeypatch, Dataset, "remove_attributes")
    explorer.remove_attributes([0], "removed attributes: sepallength")
    assert entered.wait(10)   # the worker is inside the removal
    return release


def test_a_file_opened_while_remove_runs_is_kept(qtbot, explorer, monkeypatch):
    release = _remove_first_attribute_held(qtbot, explorer, monkeypatch)
    open_and_wait(qtbot, explorer, dataset_path("glass.arff"))
    opened = explorer.dataset
    assert opened.relation == "Glass"
    release.set()
    qtbot.waitUntil(lambda: explorer.filter_job is None, timeout=30_000)
    assert explorer.dataset is opened and explorer.undo_stack == []
    assert f"Remove {DROPPED}" in explorer.log.text()


def test_edits_made_while_remove_runs_are_kept(qtbot, explorer, monkeypatch):
    release = _remove_first_attribute_held(qtbot, explorer, monkeypatch)
    edited = explorer.dataset.with_relation("edited")
    explorer.replace_dataset(edited, "edited in Edit...")   # what Edit...'s OK does
    release.set()
    qtbot.waitUntil(lambda: explorer.filter_job is None, timeout=30_000)
    assert explorer.dataset is edited
    assert [what for _, what in explorer.undo_stack] == ["edited in Edit..."]


def test_a_filter_applied_before_an_open_is_dropped(qtbot, explorer, monkeypatch):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    tab = explorer.preprocess
    tab.filter_chooser.set_current("normalize")
    release, entered = hold(monkeypatch, type(tab.configured_filter()), "fit_transform")
    qtbot.mouseClick(tab.apply_button, Qt.MouseButton.LeftButton)
    assert entered.wait(10)
    open_and_wait(qtbot, explorer, dataset_path("glass.arff"))
    opened = explorer.dataset
    release.set()
    qtbot.waitUntil(lambda: explorer.filter_job is None, timeout=30_000)
    assert explorer.dataset is opened and explorer.undo_stack == []
    assert f"Normalize {DROPPED}" in explorer.log.text()


def test_a_remove_on_data_still_shown_is_applied(qtbot, explorer, monkeypatch):
    release = _remove_first_attribute_held(qtbot, explorer, monkeypatch)
    release.set()
    qtbot.waitUntil(lambda: explorer.filter_job is None, timeout=30_000)
    assert explorer.dataset.num_attributes == 4
    assert [what for _, what in explorer.undo_stack] == ["removed attributes: sepallength"]
    assert DROPPED not in explorer.log.text()
