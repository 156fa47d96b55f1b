"""Preprocess (filters, undo, removal, save, edit), Visualize, drag and drop, recent files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from explorer_helpers import dataset_path, open_and_wait
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from workbench.data.io import load_dataset
from workbench.gui.explorer.histogram import class_histogram


def test_open_shows_relation_and_attribute_statistics(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    tab = explorer.preprocess
    assert tab.relation_label.text() == "iris"
    assert tab.instances_label.text() == "150"
    assert tab.table.rowCount() == 5
    tab.table.setCurrentCell(4, 1)
    assert tab.name_label.text() == "class"
    assert [tab.stats.item(r, 1).text() for r in range(3)] == ["50", "50", "50"]
    tab.table.setCurrentCell(0, 1)
    assert tab.stats.item(0, 0).text() == "Minimum" and tab.stats.item(0, 1).text() == "4.3"
    assert tab.histogram.counts.sum() == 150
    assert tab.histogram.counts.shape[0] == 3  # stacked by the three classes


def test_class_histogram_counts_per_class_and_bin():
    ds = load_dataset(dataset_path("iris.arff"))
    # The class itself: each bar is its own class's series, so each gets its colour.
    edges, counts, names = class_histogram(ds, 4, 4)
    assert names == ["Iris-setosa", "Iris-versicolor", "Iris-virginica"]
    assert counts.tolist() == [[50, 0, 0], [0, 50, 0], [0, 0, 50]] and edges.size == 3
    edges, counts, names = class_histogram(ds, 2, 4, max_bins=10)
    assert names == ["Iris-setosa", "Iris-versicolor", "Iris-virginica"]
    assert counts.shape == (3, 10)
    assert counts[0, :3].sum() == 50  # setosa petals are all short


def test_filter_apply_and_undo(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    original = explorer.dataset
    explorer.preprocess.filter_chooser.set_current("normalize")
    qtbot.mouseClick(explorer.preprocess.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: explorer.dataset is not original, timeout=20_000)
    values = explorer.dataset.column(0)
    assert np.nanmin(values) == 0.0 and np.nanmax(values) == 1.0
    assert "applied" in explorer.log.text()
    explorer.undo()
    assert explorer.dataset is original


def _tick_by_pattern(qtbot, explorer, pattern: str) -> None:
    """Pattern's match runs on a worker: give the pattern and wait for its end."""
    explorer.preprocess.check_pattern(pattern)
    qtbot.waitUntil(lambda: explorer.preprocess.pattern_job is None, timeout=20_000)


def test_remove_checked_attributes_by_pattern(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    _tick_by_pattern(qtbot, explorer, "^sepal")
    assert explorer.preprocess.checked() == [0, 1]
    qtbot.mouseClick(explorer.preprocess.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: explorer.filter_job is None, timeout=20_000)  # a worker's
    assert [a.name for a in explorer.dataset.attributes] == ["petallength", "petalwidth",
                                                             "class"]
    assert explorer.classify.class_box.currentText() == "(Nom) class"
    qtbot.mouseClick(explorer.preprocess.invert_button, Qt.MouseButton.LeftButton)
    assert explorer.preprocess.checked() == [0, 1, 2]


def test_a_pattern_that_could_hang_the_gui_is_refused(qtbot, explorer):
    """One that backtracks exponentially is refused before it is matched, as every
    regex parameter is, in the red message."""
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    _tick_by_pattern(qtbot, explorer, "(a+)+b")
    assert explorer.preprocess.checked() == []
    assert explorer.preprocess.message.text().startswith("Pattern: '(a+)+b' repeats")
    _tick_by_pattern(qtbot, explorer, "^sepal")     # a good pattern: the refusal goes
    assert explorer.preprocess.checked() == [0, 1]
    assert explorer.preprocess.message.text() == ""


def test_save_as_csv_and_reload(qtbot, explorer, tmp_path):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    out = tmp_path / "iris.csv"
    assert explorer.save_file(str(out))
    again = load_dataset(out)
    assert again.num_instances == 150
    assert np.allclose(again.column(0), explorer.dataset.column(0))


def test_edit_table_changes_a_value_undoably(qtbot, explorer):
    from workbench.gui.explorer.table_view import DataEditor

    open_and_wait(qtbot, explorer, dataset_path("weather.nominal.arff"))
    original = explorer.dataset
    editor = DataEditor(original)
    qtbot.addWidget(editor)
    editor.accepted_dataset.connect(lambda ds: explorer.replace_dataset(ds, "edited"))
    editor.model.setData(editor.model.index(0, 0), "overcast")
    editor._accept()
    assert explorer.dataset.value_text(0, 0) == "overcast"
    editor = DataEditor(explorer.dataset)
    qtbot.addWidget(editor)
    editor.model.setData(editor.model.index(1, 0), "snowy")
    editor._accept()
    assert "'snowy' is not one of" in editor.error.text() and "row 2" in editor.error.text()
    explorer.undo()
    assert explorer.dataset is original


def test_drop_a_file_onto_the_window_opens_it(qtbot, explorer):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(dataset_path("iris.arff"))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    explorer.dropEvent(event)
    qtbot.waitUntil(lambda: explorer.load_job is None, timeout=20_000)
    assert explorer.dataset is not None and explorer.dataset.relation == "iris"
    recent = [a.text() for a in explorer.recent_menu.actions()]
    assert recent and recent[0] == "iris  (bundled dataset)"


def test_a_bundled_dataset_is_remembered_by_its_name(qtbot, explorer, settings, tmp_path):
    """Open recent keeps a bundled dataset as its name, as a flow stores it: the path
    into the installation it held went dead when a reinstall moved the package. An
    earlier version's entry (that path) is the same entry; a user's file keeps its
    path."""
    from workbench.data.catalog import datasets_dir
    from workbench.gui.explorer.files import recent_files

    own = tmp_path / "iris.arff"
    own.write_bytes((datasets_dir() / "iris.arff").read_bytes())
    settings.setValue("recent_files", [str(datasets_dir() / "iris.arff")])   # earlier
    open_and_wait(qtbot, explorer, str(own))
    open_and_wait(qtbot, explorer, str(datasets_dir() / "iris.arff"))
    assert recent_files(settings) == ["iris", str(own.resolve())]
    items = explorer.recent_menu.actions()
    assert [a.text() for a in items] == ["iris  (bundled dataset)", str(own.resolve())]
    items[1].trigger()
    qtbot.waitUntil(lambda: explorer.load_job is None, timeout=30_000)
    assert explorer.path == str(own.resolve())
    explorer.recent_menu.actions()[1].trigger()        # the bundled iris, by its name
    qtbot.waitUntil(lambda: explorer.load_job is None, timeout=30_000)
    assert Path(explorer.path) == datasets_dir() / "iris.arff"


def test_visualize_matrix_cells_open_a_larger_plot(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    tab = explorer.visualize
    explorer.tabs.setCurrentWidget(tab)   # drawn once it is shown
    assert tab.columns == [0, 1, 2, 3]  # the class colours, it is not a cell
    assert tab.cell_at(0.5, 3.5) == (0, 0)
    assert tab.cell_at(2.5, 0.5) == (2, 3)
    assert tab.cell_at(9.0, 0.5) is None
    plot = tab.open_plot(2, 3)
    qtbot.addWidget(plot)
    assert plot.x_box.currentText() == "petallength"
    plot.jitter.setValue(20)
    assert len(plot.scatter.data) == 150


def test_visualize_all_draws_every_attribute(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    window = explorer.preprocess.visualize_all()
    qtbot.addWidget(window)
    assert window.grid.attributes == [0, 1, 2, 3, 4]
    assert window.note.text() == "All 5 attributes, coloured by class."


def test_a_pattern_the_check_lets_through_is_stopped_with_a_message(
        qtbot, explorer, tmp_path, monkeypatch):
    """'\\w+(?=\\w*x)' passes the static check, yet under re its search of a long name
    froze the GUI thread; matched under a (small) time limit it ends in the message."""
    monkeypatch.setenv("WORKBENCH_REGEX_SECONDS", "0.05")
    long_name = "a" * 4000 + "!"
    data = tmp_path / "names.arff"
    data.write_text(f"@relation names\n@attribute ax numeric\n@attribute {long_name} numeric\n"
                    "@attribute class {p,q}\n@data\n1,2,p\n", encoding="utf-8")
    open_and_wait(qtbot, explorer, str(data))
    _tick_by_pattern(qtbot, explorer, r"\w+(?=\w*x)")
    assert explorer.preprocess.checked() == []
    assert explorer.preprocess.message.text().startswith(
        "Pattern: the pattern '\\w+(?=\\w*x)' took over 0.05 s on the attribute name 'aaa")
    _tick_by_pattern(qtbot, explorer, "^a")     # a good pattern: the message goes
    assert explorer.preprocess.checked() == [0, 1]
    assert explorer.preprocess.message.text() == ""


def test_the_window_keeps_running_while_a_pattern_is_matched_and_a_new_one_replaces_it(
        qtbot, explorer, monkeypatch):
    """The match runs on a worker (held there by the test, as a backtracking pattern
    would hold it for up to the limit): the GUI thread's timer keeps ticking, the
    Pattern button says it is matching, and a second pattern cancels the first, whose
    ticks never arrive."""
    from explorer_helpers import hold
    from PySide6.QtCore import QTimer

    from workbench.gui.explorer import preprocess as preprocess_module

    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    tab = explorer.preprocess
    release, entered = hold(monkeypatch, preprocess_module, "bounded")
    first = tab.check_pattern("^sepal")
    assert first is not None
    outcomes: list[str] = []
    first.cancelled.connect(lambda: outcomes.append("first cancelled"))
    first.finished.connect(lambda _hits: outcomes.append("first finished"))
    qtbot.waitUntil(entered.is_set)
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(1)
    qtbot.waitUntil(lambda: len(ticks) >= 5)    # the GUI thread runs meanwhile
    timer.stop()
    assert first.running and tab.pattern_button.text() == "Matching..."
    assert tab.pattern_button.isEnabled()       # a new pattern may replace it

    second = tab.check_pattern("^petal")
    assert second is not None and tab.pattern_job is second
    release.set()
    qtbot.waitUntil(lambda: tab.pattern_job is None, timeout=20_000)
    qtbot.waitUntil(lambda: not first.running)
    assert outcomes == ["first cancelled"]
    assert tab.checked() == [2, 3]
    assert tab.pattern_button.text() == "Pattern"
