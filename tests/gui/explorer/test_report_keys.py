"""Ctrl+End and Ctrl+Home in the Classifier output go to the end and the start of a
long report, as in WEKA's output area (walkthrough F9: a 12 600-line NaiveBayes model
on word attributes stood between the user and the summary; the read-only pane took no
keys)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from workbench.gui.explorer.classifier_output import ClassifierOutput


def test_ctrl_end_and_ctrl_home_move_through_the_report(qtbot):
    output = ClassifierOutput()
    qtbot.addWidget(output)
    output.resize(600, 400)
    output.show()
    output.show_report("\n".join(f"line {i}" for i in range(2000)) + "\n=== Summary ===")
    report = output.report
    report.setFocus()
    bar = report.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == 0
    qtbot.keyClick(report, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert report.textCursor().block().text() == "=== Summary ==="
    shown = report.viewport().rect()
    assert shown.contains(report.cursorRect()) and bar.value() > bar.maximum() - 5
    qtbot.keyClick(report, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert bar.value() == 0
    assert report.textCursor().position() == 0
    assert report.isReadOnly()
