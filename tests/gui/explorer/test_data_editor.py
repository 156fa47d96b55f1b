"""The Edit... viewer: any size opens, typed cells become an undoable edit, untouched
cells keep their exact values, and the dialog is sized for its screen."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt

from workbench.data.dataset import Attribute, Dataset


def _wide(rows: int = 300, columns: int = 1000) -> Dataset:
    """More cells (300 000) than the item-per-cell editor took (200 000)."""
    X = np.arange(rows * columns, dtype=np.float64).reshape(rows, columns) / 3.0
    X[min(5, rows - 1), min(7, columns - 1)] = np.nan
    return Dataset("wide", [Attribute.numeric(f"a{j}") for j in range(columns)], X)


def test_a_dataset_past_the_old_cell_limit_opens_and_shows_missing_as_a_question_mark(
        qtbot):
    from workbench.gui.explorer.table_view import DataEditor

    editor = DataEditor(_wide())
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    model = editor.table.model()
    assert (model.rowCount(), model.columnCount()) == (300, 1000)
    assert model.data(model.index(5, 7)) == "?"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "a0\nnumeric"
    assert model.headerData(299, Qt.Orientation.Vertical) == "300"


def test_ok_without_an_edit_changes_nothing_even_past_the_shown_digits(qtbot):
    """A value shown with 15 digits (1/3) is not rounded to them on OK: only typed cells
    change, so an untouched table is no edit at all."""
    from workbench.gui.explorer.table_view import DataEditor

    data = _wide(4, 5)
    editor = DataEditor(data)
    qtbot.addWidget(editor)
    emitted: list[Dataset] = []
    editor.accepted_dataset.connect(emitted.append)
    editor._accept()
    assert emitted == []


def test_a_cell_typed_far_down_becomes_the_edited_value(qtbot):
    from workbench.gui.explorer.table_view import DataEditor

    data = _wide()
    editor = DataEditor(data)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    table = editor.table
    table.setFocus()
    table.setCurrentIndex(table.model().index(299, 998))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor_line = table.focusWidget()
    editor_line.selectAll()
    qtbot.keyClicks(editor_line, "2.5")
    qtbot.keyClick(editor_line, Qt.Key.Key_Tab)     # commits, on to the next cell
    assert table.currentIndex().column() == 999
    emitted: list[Dataset] = []
    editor.accepted_dataset.connect(emitted.append)
    editor._accept()
    (edited,) = emitted
    assert edited.X[299, 998] == 2.5
    changed = ~np.isclose(edited.X, data.X, equal_nan=True)
    assert changed.sum() == 1   # and every other cell exactly as it was
    assert np.array_equal(np.delete(edited.X.ravel(), 299 * 1000 + 998),
                          np.delete(data.X.ravel(), 299 * 1000 + 998), equal_nan=True)


def test_string_cells_stay_read_only_and_a_bad_nominal_names_its_row(qtbot):
    from workbench.gui.explorer.table_view import DataEditor

    data = Dataset("mixed", [Attribute.nominal("colour", ["red", "blue"]),
                             Attribute.string("note", ["hello"])],
                   np.array([[0.0, 0.0], [1.0, 0.0]]))
    editor = DataEditor(data)
    qtbot.addWidget(editor)
    model = editor.model
    assert not model.flags(model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(model.index(0, 1), "bye")
    assert model.setData(model.index(1, 0), "green")
    editor._accept()
    assert "row 2" in editor.error.text() and "'green' is not one of red, blue" \
        in editor.error.text()
    assert model.setData(model.index(1, 0), "?")
    emitted: list[Dataset] = []
    editor.accepted_dataset.connect(emitted.append)
    editor._accept()
    assert np.isnan(emitted[0].X[1, 0])


def test_the_viewer_opens_wider_on_a_large_screen(qtbot, monkeypatch):
    """It opened at a fixed 800x500, even on 1920x1080."""
    from workbench.gui.explorer import table_view

    monkeypatch.setattr(table_view, "screen_room", lambda anchor: QSize(1900, 1000),
                        raising=False)
    monkeypatch.setattr("workbench.gui.widgets.placement.screen_room",
                        lambda anchor: QSize(1900, 1000))
    editor = table_view.DataEditor(_wide())
    qtbot.addWidget(editor)
    assert editor.width() > 1400 and editor.height() > 600
    small = table_view.DataEditor(_wide(3, 2))
    qtbot.addWidget(small)
    assert (small.width(), small.height()) == table_view.SMALLEST


def _nominal_wide(rows: int = 300, columns: int = 1000) -> Dataset:
    """300 000 nominal cells and a numeric column last: WEKA's viewer offers a nominal
    cell's labels in a drop-down, where ours made the user type them."""
    labels = ["low", "mid", "high"]
    X = (np.arange(rows * columns, dtype=np.float64).reshape(rows, columns) % 3)
    attributes = [Attribute.nominal(f"n{j}", labels) for j in range(columns - 1)]
    return Dataset("grades", [*attributes, Attribute.numeric("score")], X)


def _edit(qtbot, table, row: int, column: int):
    """Start editing a cell as a user does (select it, F2); the editor Qt made."""
    table.setFocus()
    table.setCurrentIndex(table.model().index(row, column))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    return table.focusWidget()


def test_a_nominal_cell_is_chosen_from_its_labels_and_missing(qtbot):
    from PySide6.QtWidgets import QComboBox, QLineEdit

    from workbench.gui.explorer.table_view import DataEditor

    data = _nominal_wide()
    editor = DataEditor(data)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    table, model = editor.table, editor.model
    combo = _edit(qtbot, table, 250, 900)
    assert isinstance(combo, QComboBox) and not combo.isEditable()   # nothing to type
    assert [combo.itemText(i) for i in range(combo.count())] == ["low", "mid", "high", "?"]
    assert combo.currentText() == data.value_text(250, 900)
    # only the cell being edited has an editor, however many cells the table has
    assert len(table.viewport().findChildren(QComboBox)) == 1
    # picking "?" from the list is the edit at once; Tab moves on to the next cell
    combo.setCurrentIndex(3)
    combo.activated.emit(3)
    assert model.data(model.index(250, 900)) == "?"
    qtbot.keyClick(combo, Qt.Key.Key_Tab)
    assert table.currentIndex().column() == 901
    combo = _edit(qtbot, table, 0, 4)
    combo.setCurrentIndex(combo.findText("high"))
    qtbot.keyClick(combo, Qt.Key.Key_Return)   # commits, as for a typed cell (queued)
    qtbot.waitUntil(lambda: model.data(model.index(0, 4)) == "high", timeout=5_000)
    numeric = _edit(qtbot, table, 3, 999)   # a numeric cell keeps its line edit
    assert isinstance(numeric, QLineEdit)
    qtbot.keyClick(numeric, Qt.Key.Key_Escape)
    emitted: list[Dataset] = []
    editor.accepted_dataset.connect(emitted.append)
    editor._accept()
    (edited,) = emitted
    assert np.isnan(edited.X[250, 900]) and edited.X[0, 4] == 2.0
    assert np.isclose(edited.X, data.X, equal_nan=True).sum() == data.X.size - 2


def _answers() -> Dataset:
    """A survey export: the label '?' is the answer "don't know", ? no answer at all."""
    return Dataset("answers", [Attribute.nominal("answer", ["yes", "no", "?"]),
                               Attribute.numeric("score")],
                   np.array([[0.0, 3.0], [2.0, 1.0], [np.nan, 2.0]]))


def test_a_label_written_question_mark_is_shown_chosen_and_kept_apart_from_missing(
        qtbot, tmp_path):
    from PySide6.QtGui import QBrush

    from workbench.data.io import load_dataset, save_dataset
    from workbench.gui.explorer.table_view import DataEditor

    data = _answers()
    editor = DataEditor(data)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    table, model = editor.table, editor.model
    # shown as ARFF writes them: the label quoted, a missing value a grey ?
    assert [model.data(model.index(r, 0)) for r in range(3)] == ["yes", "'?'", "?"]
    grey = Qt.ItemDataRole.ForegroundRole
    assert isinstance(model.data(model.index(2, 0), grey), QBrush)
    assert model.data(model.index(1, 0), grey) is None
    assert "not a missing value" in model.data(model.index(1, 0),
                                               Qt.ItemDataRole.ToolTipRole)
    combo = _edit(qtbot, table, 1, 0)
    assert [combo.itemText(i) for i in range(combo.count())] == ["yes", "no", "'?'", "?"]
    assert combo.currentText() == "'?'"            # the label, not missing
    combo.setCurrentIndex(3)                       # this one becomes missing
    combo.activated.emit(3)
    qtbot.keyClick(combo, Qt.Key.Key_Escape)
    combo = _edit(qtbot, table, 2, 0)
    assert combo.currentText() == "?"
    combo.setCurrentIndex(2)                       # and the missing one the label
    combo.activated.emit(2)
    qtbot.keyClick(combo, Qt.Key.Key_Escape)
    assert [model.data(model.index(r, 0)) for r in range(3)] == ["yes", "?", "'?'"]
    emitted: list[Dataset] = []
    editor.accepted_dataset.connect(emitted.append)
    editor._accept()
    (edited,) = emitted
    assert np.isnan(edited.X[1, 0]) and edited.X[2, 0] == 2.0
    save_dataset(edited, str(tmp_path / "answers.arff"))
    text = (tmp_path / "answers.arff").read_text()
    assert "yes,3\n?,1\n'?',2\n" in text
    again = load_dataset(str(tmp_path / "answers.arff"))
    assert again.X[2, 0] == 2.0 and np.isnan(again.X[1, 0])


def test_a_typed_label_that_reads_like_missing_is_taken_as_shown():
    from workbench.gui.explorer.data_table_model import label_text, parse_cell

    data = Dataset("odd", [Attribute.nominal("a", ["?", "", "'?'", " x", "x"])],
                   np.zeros((1, 1)))
    shown = [label_text(label) for label in data.attributes[0].values]
    assert shown == ["'?'", "''", "''?''", " x", "x"]
    assert [parse_cell(data, 0, text, 0) for text in shown] == [0, 1, 2, 3, 4]
    assert np.isnan(parse_cell(data, 0, "?", 0)) and np.isnan(parse_cell(data, 0, " ", 0))
