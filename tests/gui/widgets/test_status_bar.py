"""The shared status bar: a long message must not widen the window it sits in."""

from PySide6.QtWidgets import QMainWindow

from workbench.gui.widgets.status import WorkbenchStatusBar

LONG = ("Saved /home/someone/projects/a/very/long/path/that/goes/on/and/on/for/a/while/"
        "longer/still/flow-with-a-long-name.kflow.json")


def test_a_long_message_is_elided_in_the_middle_and_whole_in_the_tooltip(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    bar = WorkbenchStatusBar()
    window.setStatusBar(bar)
    narrow = window.minimumSizeHint().width()
    bar.set_activity(LONG)
    window.resize(500, 300)
    window.show()
    qtbot.waitExposed(window)
    assert window.minimumSizeHint().width() < narrow + 100   # a plain QLabel: ~1200 px
    label = bar.activity
    assert label.text() == LONG and label.toolTip() == LONG
    shown = label.shown_text()
    assert shown.startswith("Saved /home") and shown.endswith(".kflow.json") and "…" in shown
    window.resize(2400, 300)   # room for all of it: drawn whole, no tooltip
    qtbot.waitUntil(lambda: label.shown_text() == LONG)
    assert label.toolTip() == ""
