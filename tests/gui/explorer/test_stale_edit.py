"""An Edit... window opened before a filter and OK'd after it put its copy, read before
the filter, over the filtered data without a word. Now a window with nothing typed
follows the data, and one with edits says the data changed and asks on OK: Replace,
Keep the current data, or Cancel."""

from __future__ import annotations

import pytest
from explorer_helpers import dataset_path, open_and_wait

from workbench.gui.explorer.stale_edits import StaleAnswer, changes_text, replace_question


@pytest.fixture(autouse=True)
def _discard_on_close(explorer, monkeypatch):
    """The Explorer closing after a test asks about the edits left: Discard (a real
    question would wait for an answer nobody gives)."""
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(explorer, "ask_apply_edits",
                        lambda: QMessageBox.StandardButton.Discard, raising=False)
    monkeypatch.setattr("workbench.gui.explorer.window.QFileDialog.getSaveFileName",
                        lambda *args, **kwargs: ("", ""))    # nor a save dialog


def _editor(qtbot, explorer):
    from workbench.gui.explorer.table_view import DataEditor

    open_and_wait(qtbot, explorer, dataset_path("weather.numeric.arff"))
    explorer.preprocess.edit_button.click()
    editor = explorer.preprocess.windows[-1]
    assert isinstance(editor, DataEditor)
    return editor


def _normalize(qtbot, explorer):
    tab = explorer.preprocess
    tab.filter_chooser.set_current("normalize")
    explorer.apply_filter(tab.configured_filter())
    qtbot.waitUntil(lambda: explorer.filter_job is None, timeout=30_000)
    assert explorer.dataset.value_text(0, 1) == "1"          # temperature 85 is the max


def _answer(monkeypatch, editor, *answers: StaleAnswer) -> list[str]:
    asked: list[str] = []
    queue = list(answers)

    def answer() -> StaleAnswer:
        asked.append(", ".join(editor.changes))
        return queue.pop(0)

    monkeypatch.setattr(editor, "ask_replace", answer, raising=False)
    return asked


def test_ok_after_a_filter_asks_before_replacing_the_filtered_data(qtbot, explorer,
                                                                   monkeypatch):
    editor = _editor(qtbot, explorer)
    assert editor.model.setData(editor.model.index(0, 1), "99")   # temperature 85 -> 99
    _normalize(qtbot, explorer)
    filtered = explorer.dataset
    assert editor.model.text(0, 1) == "99" and editor.model.text(1, 1) == "80"  # as read
    asked = _answer(monkeypatch, editor, StaleAnswer.CANCEL, StaleAnswer.REPLACE)
    assert not editor.apply()                                  # Cancel: back to editing
    assert asked == ["applied Normalize"]
    assert editor.stale.isVisible() and "(applied Normalize)" in editor.stale.text()
    assert editor.isVisible() and explorer.dataset is filtered
    assert editor.apply()                                      # Replace: the edits go in
    assert explorer.dataset.value_text(0, 1) == "99"
    assert explorer.dataset.value_text(1, 1) == "80"
    explorer.undo()                                            # and the filter comes back
    assert explorer.dataset is filtered


def test_keep_the_current_data_drops_the_edits(qtbot, explorer, monkeypatch):
    editor = _editor(qtbot, explorer)
    assert editor.model.setData(editor.model.index(0, 1), "99")
    _normalize(qtbot, explorer)
    filtered = explorer.dataset
    _answer(monkeypatch, editor, StaleAnswer.KEEP)
    assert editor.apply()
    assert not editor.isVisible() and explorer.dataset is filtered
    assert [what for _, what in explorer.undo_stack] == ["applied Normalize"]


def test_a_window_with_nothing_typed_follows_the_data(qtbot, explorer, monkeypatch):
    editor = _editor(qtbot, explorer)
    _normalize(qtbot, explorer)
    assert editor.isVisible()
    assert editor.dataset is explorer.dataset and editor.model.text(0, 1) == "1"
    assert editor.windowTitle() == f"Viewer: {explorer.dataset.relation}"
    assert not editor.stale.isVisible()
    asked = _answer(monkeypatch, editor)                       # nothing to ask
    assert editor.model.setData(editor.model.index(1, 1), "0.5")
    assert editor.apply()
    assert explorer.dataset.value_text(1, 1) == "0.5"
    assert explorer.dataset.value_text(0, 1) == "1" and asked == []


def test_undone_back_to_the_data_read_it_is_the_windows_own_again(qtbot, explorer,
                                                                   monkeypatch):
    editor = _editor(qtbot, explorer)
    assert editor.model.setData(editor.model.index(0, 1), "99")
    _normalize(qtbot, explorer)
    explorer.undo()
    assert editor.changes == [] and not editor.stale.isVisible()
    asked = _answer(monkeypatch, editor)
    assert editor.apply()
    assert asked == [] and explorer.dataset.value_text(0, 1) == "99"


def test_the_close_question_asks_about_stale_edits_too(qtbot, explorer, monkeypatch):
    """Closing the Explorer with Apply goes through the same OK: Cancel there keeps the
    Explorer open with the filtered data."""
    from PySide6.QtWidgets import QMessageBox

    editor = _editor(qtbot, explorer)
    assert editor.model.setData(editor.model.index(0, 1), "99")
    _normalize(qtbot, explorer)
    filtered = explorer.dataset
    answers = [QMessageBox.StandardButton.Apply, QMessageBox.StandardButton.Discard]
    monkeypatch.setattr(explorer, "ask_apply_edits", lambda: answers.pop(0),
                        raising=False)
    asked = _answer(monkeypatch, editor, StaleAnswer.CANCEL)
    assert not explorer.close()
    assert asked == ["applied Normalize"] and explorer.dataset is filtered
    assert editor.isVisible()
    assert explorer.close()                                    # Discard


@pytest.mark.parametrize(("changes", "text", "those"), [
    (["applied Normalize"], "applied Normalize", "that change"),
    (["a", "b", "c"], "a; b; c", "those changes"),
    (["a", "b", "c", "d", "e"], "a; b and 3 more changes", "those changes"),
])
def test_the_question_names_the_changes(changes, text, those):
    assert changes_text(changes) == text
    assert replace_question(changes) == (
        f"The data changed since this window opened ({text}). Replace it with this "
        f"window's data, losing {those}?")
