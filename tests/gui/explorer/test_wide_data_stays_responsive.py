"""Wide data (MNIST: 785 attributes) in the Explorer: what a change of the data does on
the GUI thread. Every load, filter and undo used to summarise every attribute (a sort of
the whole matrix) and draw the hidden Visualize tab's matrix, holding the window still
for up to 1.7 s; now one attribute is summarised when shown, and the matrix waits for
its tab."""

from __future__ import annotations

import threading

import numpy as np
from explorer_helpers import dataset_path, open_and_wait
from PySide6.QtCore import Qt

from workbench.data import stats
from workbench.data.io import load_dataset


def test_a_wide_dataset_is_summarised_one_shown_attribute_at_a_time(
        qtbot, explorer, monkeypatch):
    expected = stats.summarize(load_dataset(dataset_path("digits.arff")))
    sorted_widths: list[int] = []
    whole = stats._dense_counts

    def recording(X: np.ndarray):
        if threading.current_thread() is threading.main_thread():
            sorted_widths.append(X.shape[1])
        return whole(X)

    monkeypatch.setattr(stats, "_dense_counts", recording)
    open_and_wait(qtbot, explorer, dataset_path("digits.arff"))   # 64 pixels and a class
    tab = explorer.preprocess
    assert sorted_widths and set(sorted_widths) == {1}   # never the whole matrix
    assert tab.name_label.text() == expected[0].name
    assert tab.distinct_label.text() == str(expected[0].distinct)
    tab.table.setCurrentCell(30, 1)
    assert tab.distinct_label.text() == str(expected[30].distinct)
    assert tab.stats.item(3, 1).text() == stats.spread_text(explorer.dataset, 30,
                                                            expected[30].std, 3)
    assert set(sorted_widths) == {1}


def test_the_hidden_visualize_tab_draws_only_once_it_is_shown(qtbot, explorer):
    drawn: list[int] = []
    tab = explorer.visualize
    draw = tab.redraw

    def counting() -> None:
        drawn.append(1)
        draw()

    tab.redraw = counting   # type: ignore[method-assign]
    open_and_wait(qtbot, explorer, dataset_path("digits.arff"))
    original = explorer.dataset
    explorer.preprocess.filter_chooser.set_current("normalize")
    qtbot.mouseClick(explorer.preprocess.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: explorer.dataset is not original, timeout=30_000)
    explorer.undo()
    assert drawn == [] and tab.stale and tab.columns == []
    explorer.tabs.setCurrentWidget(tab)
    assert drawn == [1] and not tab.stale
    assert len(tab.columns) == 5
    # On screen, a new dataset is drawn at once.
    explorer.set_dataset(load_dataset(dataset_path("iris.arff")))
    assert drawn == [1, 1] and tab.columns == [0, 1, 2, 3]


def _scatter_points(tab) -> int:
    import pyqtgraph as pg

    return sum(len(item.data) for item in tab.plot.getPlotItem().items
               if isinstance(item, pg.ScatterPlotItem))


def test_the_matrix_draws_a_bounded_sample_and_says_so(qtbot):
    """16 x 16 cells of 1000 points each were 256 000 points to place (1.2-1.5 s on
    MNIST); the matrix now draws at most MATRIX_POINTS, fewer per cell in more cells,
    and the line under it says how many of the instances each cell shows."""
    from workbench.data.dataset import Attribute, Dataset
    from workbench.gui.explorer.visualize import MATRIX_POINTS, VisualizeTab

    rng = np.random.default_rng(0)
    X = np.column_stack([rng.random((3000, 20)), rng.integers(0, 3, 3000)])
    attributes = [Attribute.numeric(f"a{j}") for j in range(20)] + [
        Attribute.nominal("class", ["x", "y", "z"])]
    tab = VisualizeTab()
    qtbot.addWidget(tab)
    tab.resize(1000, 650)
    tab.show()
    tab.set_dataset(Dataset("wide", attributes, X, class_index=20))
    assert tab.drawing   # 25 000 points are placed over a few turns of the event loop
    qtbot.waitUntil(lambda: not tab.drawing, timeout=30_000)
    assert len(tab.columns) == 5 and _scatter_points(tab) == 25 * 1000
    assert "1000 of 3000 instances drawn in each cell" in tab.hint.text()
    tab.size_box.setValue(16)
    tab.redraw()
    qtbot.waitUntil(lambda: not tab.drawing, timeout=30_000)
    assert len(tab.columns) == 16
    per_cell = MATRIX_POINTS // 256
    assert _scatter_points(tab) == 256 * per_cell <= MATRIX_POINTS
    assert f"{per_cell} of 3000 instances drawn in each cell" in tab.hint.text()


def test_a_supplied_test_set_is_read_off_the_gui_thread(qtbot, explorer, monkeypatch):
    """Set... read MNIST's test file on the GUI thread (1.15 s still); it is read in a
    worker as Open file... reads, and the Classify tab gets it when it is read."""
    from PySide6.QtWidgets import QFileDialog

    from workbench.data import io

    readers: list[bool] = []
    read = io.load_dataset

    def recording(*args, **kwargs):
        readers.append(threading.current_thread() is threading.main_thread())
        return read(*args, **kwargs)

    monkeypatch.setattr(io, "load_dataset", recording)
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    path = dataset_path("iris.arff")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (path, ""))
    readers.clear()
    qtbot.mouseClick(explorer.classify.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: explorer.classify.test_set is not None, timeout=30_000)
    assert readers == [False]
    assert explorer.classify.test_set.num_instances == 150
    assert "Test set " in explorer.log.text() and "150 instances" in explorer.log.text()


def test_a_broken_test_set_is_a_message_not_a_traceback(qtbot, explorer, tmp_path):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    broken = tmp_path / "broken.arff"
    broken.write_text("@relation r\n@attribute a numeric\n@data\n1\nx\n")
    assert explorer.open_test_set(str(broken))
    assert not explorer.open_test_set(str(broken))   # one at a time
    qtbot.waitUntil(lambda: explorer.test_set_job is None, timeout=30_000)
    assert explorer.classify.test_set is None
    log = explorer.log.text()
    assert "Still loading the previous test set" in log
    assert "Error: " in log and "broken.arff:5:1" in log and "Traceback" not in log


def test_a_new_matrix_drops_the_points_the_last_one_had_still_to_place(qtbot):
    from workbench.gui.explorer.visualize import VisualizeTab

    tab = VisualizeTab()
    qtbot.addWidget(tab)
    tab.resize(1000, 650)
    tab.show()
    turns: list[int] = []
    place = tab._place_points

    def counting() -> None:
        turns.append(1)
        place()

    tab._place_points = counting   # type: ignore[method-assign]
    tab.set_dataset(load_dataset(dataset_path("digits.arff"), class_index=-1))
    assert tab.drawing and turns == [1]   # digits's next turn is queued
    tab.set_dataset(load_dataset(dataset_path("iris.arff"), class_index=-1))
    assert not tab.drawing   # iris's 150 x 16 points are placed at once
    assert turns == [1, 1]
    # The turn queued for digits comes, and places nothing: waited for, not slept.
    qtbot.waitUntil(lambda: len(turns) == 3, timeout=10_000)
    assert _scatter_points(tab) == 150 * 16


def test_start_while_a_test_set_is_read_runs_once_it_is_read(qtbot, explorer,
                                                              monkeypatch):
    """With the test set read in a worker, a Start pressed before it arrived ran on the
    previous test set (or refused "choose a test set first"); then it refused, saying
    to change the settings and press Start again (walkthrough 13e). It now waits: the
    line says so, the option shows the file being read, and the run starts once it is."""
    from workbench.data import io

    release = threading.Event()
    read = io.load_dataset

    def slow(*args, **kwargs):
        release.wait(30)
        return read(*args, **kwargs)

    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    monkeypatch.setattr(io, "load_dataset", slow)
    assert explorer.open_test_set(dataset_path("iris.arff"))
    assert explorer.classify.testing.test_label.text() == "reading iris.arff..."
    explorer.classify.use_test.setChecked(True)
    assert not explorer.classify.start()
    line = explorer.classify.progress_line.label.text()
    assert "Waiting for the test set iris.arff" in line and "starts once" in line
    assert not explorer.classify.running
    release.set()
    qtbot.waitUntil(lambda: explorer.classify.results_list.count() == 1
                    and not explorer.classify.running, timeout=60_000)
    assert not explorer.classify.waiting_for_test_set


def test_a_start_waiting_for_a_test_set_that_cannot_be_read_says_so(qtbot, explorer,
                                                                    tmp_path):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    broken = tmp_path / "broken.arff"
    broken.write_text("@relation r\n@attribute a numeric\n@data\n1\nx\n")
    assert explorer.open_test_set(str(broken))
    explorer.classify.use_test.setChecked(True)
    assert not explorer.classify.start()
    qtbot.waitUntil(lambda: explorer.test_set_job is None, timeout=30_000)
    assert not explorer.classify.running
    assert explorer.classify.progress_line.label.text() == \
        "Not started: the test set could not be read"
    assert explorer.classify.testing.test_label.text() == "(none)"


def test_an_option_chosen_while_the_test_set_is_read_stays_chosen(qtbot, explorer,
                                                                  monkeypatch):
    """Set... chooses "Supplied test set" once the file is read, as WEKA's does; a
    large file takes a while, and an option the user chose meanwhile was switched back
    when it arrived."""
    from workbench.data import io

    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    testing = explorer.classify.testing
    testing.use_training.setChecked(True)
    release = threading.Event()
    read = io.load_dataset

    def slow(*args, **kwargs):
        release.wait(30)
        return read(*args, **kwargs)

    monkeypatch.setattr(io, "load_dataset", slow)
    assert explorer.open_test_set(dataset_path("iris.arff"))
    testing.use_cv.setChecked(True)          # chosen while the file is read
    release.set()
    qtbot.waitUntil(lambda: explorer.test_set_job is None, timeout=30_000)
    assert explorer.classify.test_set is not None
    assert testing.mode() == "cross_validation"
    # Without a choice meanwhile, the read test set is the option chosen.
    assert explorer.open_test_set(dataset_path("iris.arff"))
    qtbot.waitUntil(lambda: explorer.test_set_job is None, timeout=30_000)
    assert testing.mode() == "test_set"
