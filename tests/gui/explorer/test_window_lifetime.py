"""Windows opened from the Explorer and the launcher go away once closed.

The lists that keep them (``ResultActions.windows``, ``VisualizeTab.windows``,
``Launcher.windows``) used to keep every window of a session, with the results and data
behind it. A closed window is now deleted by Qt and leaves its list; nothing of it is left
for the garbage collector to delete later.
"""

from __future__ import annotations

import gc
import weakref

from explorer_helpers import dataset_path, hold, open_and_wait, run_classifier
from PySide6.QtWidgets import QApplication

from workbench.gui.widgets.access_keys import plain_text

VIEWERS = ("Visualize confusion matrix", "Visualize classifier errors",
           "Visualize margin histogram", "View in separate window")




def _close_all_and_collect(qtbot, windows: list, keep: int) -> list[weakref.ref]:
    """Close the windows past the first ``keep``; wait until Qt deleted them."""
    closing = windows[keep:]
    gone = [weakref.ref(w) for w in closing]
    for window in closing:
        window.close()
    del closing, window
    qtbot.waitUntil(lambda: len(windows) == keep, timeout=10_000)
    gc.collect()
    QApplication.processEvents()
    return gone


def test_closed_result_viewers_leave_the_list_and_are_freed(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    run_classifier(qtbot, explorer, "knn")
    results = explorer.results
    before = len(results.windows)
    actions = {plain_text(a.text()): a for a in results.build_menu(0).actions() if a.text()}
    for text in VIEWERS:
        actions[text].trigger()
    assert len(results.windows) == before + len(VIEWERS)
    assert all(w.isVisible() for w in results.windows[before:])
    gone = _close_all_and_collect(qtbot, results.windows, before)
    assert [ref() for ref in gone] == [None] * len(VIEWERS)
    # Opening again after the others were freed still works.
    actions["Visualize classifier errors"].trigger()
    assert results.windows[-1].windowTitle().startswith("Classifier errors: IBk")


def test_a_window_left_open_stays_in_the_list(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    run_classifier(qtbot, explorer, "zeror")
    results = explorer.results
    actions = {plain_text(a.text()): a for a in results.build_menu(0).actions() if a.text()}
    actions["Visualize confusion matrix"].trigger()
    actions["View in separate window"].trigger()
    text_window = results.windows[-1]
    results.windows[-2].close()
    qtbot.waitUntil(lambda: len(results.windows) == 1, timeout=10_000)
    assert results.windows == [text_window] and text_window.isVisible()
    gc.collect()
    QApplication.processEvents()
    assert "Correctly Classified" in text_window.toPlainText()


def test_closed_scatter_plots_leave_the_visualize_tab(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    tab = explorer.visualize
    for x, y in ((0, 1), (2, 3), (1, 2)):
        tab.open_plot(x, y)
    assert len(tab.windows) == 3
    gone = _close_all_and_collect(qtbot, tab.windows, 0)
    assert [ref() for ref in gone] == [None] * 3


def test_a_closed_tool_window_leaves_the_launcher(qtbot):
    from workbench.gui.app import Launcher

    launcher = Launcher()
    qtbot.addWidget(launcher)
    launcher.buttons["Experimenter"].click()
    launcher.buttons["Experimenter"].click()
    assert [type(w).__name__ for w in launcher.windows] == ["Experimenter"] * 2
    gone = _close_all_and_collect(qtbot, launcher.windows, 1)
    assert gone[0]() is None
    assert launcher.windows[0].isVisible()
    qtbot.addWidget(launcher.windows[0])


def test_the_preprocess_tab_lets_its_closed_windows_go(qtbot, explorer):
    from PySide6.QtWidgets import QDialogButtonBox

    from workbench.gui.explorer.table_view import DataEditor

    open_and_wait(qtbot, explorer, dataset_path("weather.nominal.arff"))
    tab = explorer.preprocess
    shown = tab.visualize_all()
    tab.edit_button.click()
    assert tab._windows[0] is shown and len(tab._windows) == 2
    editor = tab._windows[1]
    assert isinstance(editor, DataEditor)
    editor.model.setData(editor.model.index(0, 0), "overcast")
    editor.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert explorer.dataset.value_text(0, 0) == "overcast"  # edited, then let go
    gone = [weakref.ref(editor)]
    del editor, shown
    qtbot.waitUntil(lambda: len(tab._windows) == 1, timeout=10_000)
    gone += _close_all_and_collect(qtbot, tab._windows, 0)
    assert [ref() for ref in gone] == [None, None]


def test_closing_while_a_model_saves_waits_for_the_file(qtbot, explorer, tmp_path,
                                                         monkeypatch):
    """Closing the last window ends the process: mid-save, the file would be left half
    written, so the window says so and closes itself once the file is complete."""
    from workbench.classifiers import load_model, modelfile

    release, entered = hold(monkeypatch, modelfile, "save_model")
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    explorer.classify.choose("knn")
    explorer.classify.use_training.setChecked(True)
    explorer.classify.start()
    qtbot.waitUntil(lambda: len(explorer.classify.evaluations) == 1, timeout=60_000)
    explorer.show()
    target = tmp_path / "knn.model"
    explorer.results.save_model(explorer.classify.evaluations[0], str(target))
    assert entered.wait(10)
    assert not explorer.close()                     # refused while the file is written
    assert explorer.isVisible() and "Closing once the model is saved" in explorer.log.text()
    release.set()
    qtbot.waitUntil(lambda: not explorer.isVisible(), timeout=30_000)
    assert load_model(target).k == 1


def test_an_explorer_closed_from_the_launcher_is_deleted_once_its_load_ends(qtbot,
                                                                            monkeypatch):
    """Deleting the window deletes its jobs: a load still running would report to a
    deleted job, so the window is hidden at once and deleted when the load has ended."""
    import workbench.data.io as data_io
    from workbench.gui.app import Launcher

    release, entered = hold(monkeypatch, data_io, "load_dataset")
    launcher = Launcher()
    qtbot.addWidget(launcher)
    launcher.buttons["Explorer"].click()
    window = launcher.windows[0]
    window.open_file(dataset_path("iris.arff"))
    assert entered.wait(10)
    gone = []
    window.destroyed.connect(lambda *_: gone.append(True))
    window.close()
    qtbot.wait(300)
    assert not window.isVisible() and not gone    # hidden, kept while the load runs
    release.set()
    qtbot.waitUntil(lambda: bool(gone) and not launcher.windows, timeout=30_000)
