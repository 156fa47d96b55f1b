"""Helpers shared by the flow editor tests."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget


def drop_files(target: QWidget, paths, where: QPoint) -> None:
    """Drop ``paths`` at ``where`` onto ``target`` (the canvas's view, a parameter field)
    as a file manager does: a drag that enters, then the drop. Sent to the widget's
    event handlers, filters included, without a drag on the screen."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(where, Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(target, QDropEvent(QPointF(where), Qt.DropAction.CopyAction,
                                              mime, Qt.MouseButton.LeftButton,
                                              Qt.KeyboardModifier.NoModifier))


def run_to_end(qtbot, editor, nodes=None, timeout=60_000):
    """Start a run through the editor and wait until its worker is done."""
    with qtbot.waitSignal(editor.runner.done, timeout=timeout):
        assert editor.runner.start(nodes) if nodes else editor.run_all()
    return editor.runner.result


def cross_validation_flow(editor):
    """The user guide's section 1 flow, placed as the walkthrough built it: two IBk rows
    fed by one fold maker, whose links back to the left enclose the middle of the
    canvas. Returns the node ids by role."""
    at = {"loader": (-400, -160), "assign": (-120, -160), "cv": (180, -160),
          "ibk": (-400, -20), "ibk2": (-400, 120), "eval": (-100, -20),
          "eval2": (-100, 120), "text": (240, 40)}
    types = {"loader": "ArffLoader", "assign": "ClassAssigner",
             "cv": "CrossValidationFoldMaker", "ibk": "classifier:knn",
             "ibk2": "classifier:knn", "eval": "ClassifierPerformanceEvaluator",
             "eval2": "ClassifierPerformanceEvaluator", "text": "TextViewer"}
    ids = {role: editor.add_node(types[role], where) for role, where in at.items()}
    for source, port, target, into in (
            ("loader", "dataSet", "assign", "dataSet"), ("assign", "dataSet", "cv", "dataSet"),
            ("cv", "trainingSet", "ibk", "trainingSet"), ("cv", "testSet", "ibk", "testSet"),
            ("cv", "trainingSet", "ibk2", "trainingSet"), ("cv", "testSet", "ibk2", "testSet"),
            ("ibk", "batchClassifier", "eval", "batchClassifier"),
            ("ibk2", "batchClassifier", "eval2", "batchClassifier"),
            ("eval", "text", "text", "text"), ("eval2", "text", "text", "text")):
        assert editor.connect_ports(ids[source], port, ids[target], into)
    return ids
