"""The windows the Explorer opens go with it, and close on Esc or Ctrl+W.

After File > Quit with a scatter plot open, the Explorer's main window went and the
"Plot: iris" window stayed, keeping the process running; the plot and Visualize All
windows ignored Esc and Ctrl+W while the result viewers closed on Esc (walkthrough 11a).
"""

from __future__ import annotations

from explorer_helpers import dataset_path, open_and_wait, run_classifier
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget

from workbench.gui.widgets.access_keys import plain_text


def _visible_windows() -> set[int]:
    return {id(w) for w in QApplication.topLevelWidgets() if w.isVisible()}


def _close_keys(window: QWidget) -> QShortcut:
    """The window's own close shortcut (offscreen Qt routes no key to a shortcut, so a
    test fires it as a keyboard does on a screen)."""
    shortcuts = window.findChildren(QShortcut)
    assert len(shortcuts) == 1
    shortcut = shortcuts[0]
    assert shortcut.context() == Qt.ShortcutContext.WindowShortcut
    keys = shortcut.keys()
    assert QKeySequence(Qt.Key.Key_Escape) in keys and QKeySequence("Ctrl+W") in keys
    return shortcut


def test_closing_the_explorer_closes_every_window_it_opened(qtbot, explorer):
    explorer.hide()
    before = _visible_windows()   # windows of other tests, not the Explorer's
    explorer.show()
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    run_classifier(qtbot, explorer, "zeror")
    opened = [explorer.visualize.open_plot(0, 1), explorer.preprocess.visualize_all()]
    actions = {plain_text(a.text()): a
               for a in explorer.results.build_menu(0).actions() if a.text()}
    actions["Visualize confusion matrix"].trigger()
    opened.append(explorer.results.windows[-1])
    explorer.preprocess.edit_button.click()
    opened.append(explorer.preprocess.windows[-1])
    explorer.classify.choose("mlp")
    opened.append(explorer.classify.watch_weights())
    assert all(w is not None and w.isVisible() for w in opened)
    assert explorer.close()
    # No window of the Explorer's is left on screen: with nothing else open, the
    # application quits (Qt quits once its last visible window is closed).
    assert _visible_windows() == before
    qtbot.waitUntil(lambda: not (explorer.visualize.windows or explorer.preprocess.windows
                                 or explorer.results.windows), timeout=10_000)


def test_esc_or_ctrl_w_closes_a_scatter_plot_and_visualize_all(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    plot = explorer.visualize.open_plot(2, 3)
    assert plot is not None
    _close_keys(plot).activated.emit()
    qtbot.waitUntil(lambda: not explorer.visualize.windows, timeout=10_000)
    everything = explorer.preprocess.visualize_all()
    assert everything is not None
    _close_keys(everything).activated.emit()
    qtbot.waitUntil(lambda: not explorer.preprocess.windows, timeout=10_000)
    assert explorer.isVisible()   # Esc there never reaches the Explorer (its Stop)


def test_result_viewers_close_on_ctrl_w_too(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    run_classifier(qtbot, explorer, "zeror")
    window = explorer.results.view_text(explorer.classify.evaluations[0])
    _close_keys(window).activated.emit()
    qtbot.waitUntil(lambda: not explorer.results.windows, timeout=10_000)
