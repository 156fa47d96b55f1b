"""Closing the Explorer with edits typed in Edit... and not applied asks Apply, Discard
or Cancel; without such edits it closes at once, as before. It took the Edit... window,
and the typing, with it without a word."""

from __future__ import annotations

from pathlib import Path

import pytest
from explorer_helpers import dataset_path, open_and_wait
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from workbench.data.io import load_dataset

Answer = QMessageBox.StandardButton


def _edit_a_cell(qtbot, explorer):
    """Open weather.nominal, Edit..., make outlook of row 1 'overcast' (it is 'sunny')."""
    from workbench.gui.explorer.table_view import DataEditor

    open_and_wait(qtbot, explorer, dataset_path("weather.nominal.arff"))
    explorer.preprocess.edit_button.click()
    editor = explorer.preprocess.windows[-1]
    assert isinstance(editor, DataEditor)
    assert editor.model.setData(editor.model.index(0, 0), "overcast")
    return editor


def _answer(monkeypatch, explorer, *answers: Answer) -> list[str]:
    asked: list[str] = []
    queue = list(answers)

    def answer() -> Answer:
        asked.append("asked")
        return queue.pop(0)

    monkeypatch.setattr(explorer, "ask_apply_edits", answer, raising=False)
    return asked


def _save_as(monkeypatch, path: str) -> None:
    monkeypatch.setattr("workbench.gui.explorer.window.QFileDialog.getSaveFileName",
                        lambda *args, **kwargs: (path, ""))


def test_cancel_keeps_the_explorer_and_the_edit_open(qtbot, explorer, monkeypatch):
    editor = _edit_a_cell(qtbot, explorer)
    asked = _answer(monkeypatch, explorer, Answer.Cancel, Answer.Discard)
    assert not explorer.close()
    assert asked == ["asked"]
    assert explorer.isVisible() and editor.isVisible()
    assert editor.model.text(0, 0) == "overcast"
    assert explorer.dataset.value_text(0, 0) == "sunny"
    assert explorer.close()                      # Discard: closes, the edit dropped
    assert asked == ["asked", "asked"] and not explorer.isVisible()


def test_apply_puts_the_edit_in_and_saves_before_closing(qtbot, explorer, monkeypatch,
                                                         tmp_path: Path):
    _edit_a_cell(qtbot, explorer)
    _answer(monkeypatch, explorer, Answer.Apply)
    _save_as(monkeypatch, str(tmp_path / "weather-edited.arff"))
    assert explorer.close()
    assert load_dataset(str(tmp_path / "weather-edited.arff")).value_text(0, 0) == \
        "overcast"
    assert explorer.dataset.value_text(0, 0) == "overcast" and explorer.undo_stack


def test_apply_without_a_save_stays_open_with_the_edit_applied(qtbot, explorer,
                                                               monkeypatch):
    _edit_a_cell(qtbot, explorer)
    _answer(monkeypatch, explorer, Answer.Apply)
    _save_as(monkeypatch, "")                    # the save dialog cancelled
    assert not explorer.close()
    assert explorer.isVisible()
    qtbot.waitUntil(lambda: not explorer.preprocess.windows, timeout=10_000)  # OK'd
    assert explorer.dataset.value_text(0, 0) == "overcast"
    assert "Edits applied, not saved" in explorer.log.text()
    _answer(monkeypatch, explorer)               # nothing left to ask about
    assert explorer.close()


def test_apply_with_a_cell_that_cannot_be_read_shows_why_and_stays(qtbot, explorer,
                                                                   monkeypatch):
    editor = _edit_a_cell(qtbot, explorer)
    editor.model.setData(editor.model.index(1, 2), "wet")     # humidity: high, normal
    _answer(monkeypatch, explorer, Answer.Apply, Answer.Discard)
    assert not explorer.close()
    assert editor.isVisible() and "'wet' is not one of high, normal" in editor.error.text()
    assert explorer.dataset.value_text(0, 0) == "sunny"
    assert explorer.close()


@pytest.mark.parametrize("edit", [False, True])
def test_without_a_change_it_closes_without_asking(qtbot, explorer, monkeypatch, edit):
    editor = _edit_a_cell(qtbot, explorer)
    if edit:   # typed back to what it was: no change left
        editor.model.setData(editor.model.index(0, 0), "sunny")
    else:
        editor.model.edits.clear()
    asked = _answer(monkeypatch, explorer)
    assert explorer.close()
    assert asked == []
    qtbot.waitUntil(lambda: not explorer.preprocess.windows, timeout=10_000)


def test_a_cell_still_being_typed_counts_as_a_change(qtbot, explorer, monkeypatch):
    from PySide6.QtWidgets import QLineEdit

    from workbench.gui.explorer.table_view import DataEditor

    open_and_wait(qtbot, explorer, dataset_path("weather.numeric.arff"))
    explorer.preprocess.edit_button.click()
    editor = explorer.preprocess.windows[-1]
    assert isinstance(editor, DataEditor)
    editor.show()
    qtbot.waitExposed(editor)
    table = editor.table
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 1))           # temperature
    qtbot.keyClick(table, Qt.Key.Key_F2)
    line = table.focusWidget()
    assert isinstance(line, QLineEdit)
    line.selectAll()
    qtbot.keyClicks(line, "99")                                # not committed yet
    asked = _answer(monkeypatch, explorer, Answer.Discard)
    assert explorer.close()
    assert asked == ["asked"]


def test_discard_is_asked_once_when_a_model_save_delays_the_close(qtbot, explorer,
                                                                 monkeypatch, tmp_path):
    """A model being saved delays the close until its file is complete; the Edit...
    window stayed open and changed, so the close that followed asked again."""
    from explorer_helpers import hold, run_classifier

    from workbench.classifiers import modelfile

    open_and_wait(qtbot, explorer, dataset_path("weather.nominal.arff"))
    run_classifier(qtbot, explorer, "zeror")
    _edit_a_cell(qtbot, explorer)
    release, entered = hold(monkeypatch, modelfile, "save_model")
    assert explorer.results.save_model(explorer.classify.evaluations[0],
                                       str(tmp_path / "zeror.model"))
    assert entered.wait(10)
    asked = _answer(monkeypatch, explorer, Answer.Discard, Answer.Cancel)
    assert not explorer.close()                  # waits for the model file
    assert asked == ["asked"] and explorer.isVisible()
    release.set()
    qtbot.waitUntil(lambda: len(asked) > 1 or not explorer.isVisible(), timeout=30_000)
    assert asked == ["asked"] and not explorer.isVisible()
    assert (tmp_path / "zeror.model").exists()


def _type_without_committing(qtbot, explorer, text: str):
    """Open weather.numeric, Edit..., and type ``text`` into row 1's temperature (85),
    the cell's editor still open: typed, not committed."""
    from PySide6.QtWidgets import QLineEdit

    from workbench.gui.explorer.table_view import DataEditor

    open_and_wait(qtbot, explorer, dataset_path("weather.numeric.arff"))
    explorer.preprocess.edit_button.click()
    editor = explorer.preprocess.windows[-1]
    assert isinstance(editor, DataEditor)
    editor.show()
    qtbot.waitExposed(editor)
    table = editor.table
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 1))           # temperature
    qtbot.keyClick(table, Qt.Key.Key_F2)
    line = table.focusWidget()
    assert isinstance(line, QLineEdit)
    line.selectAll()
    qtbot.keyClicks(line, text)
    return editor, line


def test_cancel_leaves_the_cell_being_typed_uncommitted(qtbot, explorer, monkeypatch,
                                                       tmp_path: Path):
    """The question read the cell by committing it: Cancel then left the typing an edit
    the user never confirmed. Cancel leaves the user typing where they were; Apply
    takes the cell as typed."""
    from PySide6.QtWidgets import QAbstractItemView

    editor, line = _type_without_committing(qtbot, explorer, "99")
    asked = _answer(monkeypatch, explorer, Answer.Cancel, Answer.Discard)
    qtbot.waitUntil(editor.isActiveWindow, timeout=5_000)
    explorer.activateWindow()          # as a click on its close button brings it forward
    qtbot.waitUntil(explorer.isActiveWindow, timeout=5_000)
    assert editor.model.edits == {}    # Qt's delegate committed the cell when it lost it
    assert not explorer.close()
    assert asked == ["asked"]
    assert editor.model.edits == {}                            # not committed
    assert editor.table.state() == QAbstractItemView.State.EditingState
    assert line.text() == "99" and editor.model.text(0, 1) == "85"
    line.selectAll()
    qtbot.keyClicks(line, "85")                                # typed back: no change
    assert not editor.has_changes()
    line.selectAll()
    qtbot.keyClicks(line, "99")
    _answer(monkeypatch, explorer, Answer.Apply)
    _save_as(monkeypatch, str(tmp_path / "weather-edited.arff"))
    assert explorer.close()
    assert explorer.dataset.value_text(0, 1) == "99"
