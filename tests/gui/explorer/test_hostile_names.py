"""Names from a stranger's data file reach the Explorer as text, never as HTML
(walkthrough 13a, D6): an attribute named ``<img src="/dev/zero">`` made Qt read
/dev/zero into memory until the Explorer died, a FIFO hung it for ever."""

from __future__ import annotations

from explorer_helpers import open_and_wait, run_classifier
from PySide6.QtCore import QEvent
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip
from rich_text_probe import HOSTILE, assert_no_leaks, hostile_arff, rich_and_raw, shown_literally

from workbench.gui.widgets.access_keys import plain_text


def test_hostile_names_show_as_text_in_every_tab_result_and_viewer(qtbot, explorer,
                                                                   tmp_path):
    path = hostile_arff(tmp_path)
    open_and_wait(qtbot, explorer, str(path))
    assert explorer.dataset is not None
    preprocess = explorer.preprocess
    assert preprocess.name_label.text() == HOSTILE + "x"   # shown as a person reads it
    assert preprocess.relation_label.text() == HOSTILE + "rel"
    for j in range(explorer.dataset.num_attributes):    # every attribute's histogram
        preprocess.show_attribute(j)
        assert_no_leaks(j)
    grid = preprocess.visualize_all().grid     # its hover tooltip is shown by hand
    centre = grid.cell_rect(0).center()
    QApplication.sendEvent(grid, QHelpEvent(QEvent.Type.ToolTip, centre,
                                            grid.mapToGlobal(centre)))
    assert HOSTILE in QToolTip.text() or "&lt;img" in QToolTip.text()
    assert_no_leaks("visualize all")
    assert not rich_and_raw(QToolTip.text())
    preprocess._edit()                           # the data editor, as Edit... opens it
    explorer.visualize.open_plot(0, 1)           # the scatter plots of the matrix
    explorer.visualize.open_plot(2, 3)
    for tab in range(explorer.tabs.count()):
        explorer.tabs.setCurrentIndex(tab)
        qtbot.wait(50)
        assert_no_leaks(explorer.tabs.tabText(tab))

    run_classifier(qtbot, explorer, "naive-bayes")
    run_classifier(qtbot, explorer, "decision-tree")
    run_classifier(qtbot, explorer, "mlp", {"hidden_layers": "4", "epochs": 5,
                                                 "record_dynamics": 1, "solver": "sgd"})
    assert_no_leaks()
    for row in range(len(explorer.classify.evaluations)):
        for action in explorer.results.build_menu(row).actions():
            text = plain_text(action.text())
            if action.isEnabled() and text and not text.startswith(
                    ("Save", "Delete", "Load", "Re-evaluate", "Stop")):   # the viewers
                action.trigger()
    windows = explorer.results.windows
    assert len(windows) >= 8, [w.windowTitle() for w in windows]
    for window in list(windows):
        qtbot.waitExposed(window)
    qtbot.wait(200)
    assert_no_leaks()
    assert any(HOSTILE in text for text in shown_literally())
    QApplication.processEvents()
