"""The Knowledge Flow editor as a user meets it: build a flow by dragging components
from the palette, wire it, choose the data file with Browse, run it, read the report,
rename a node, stop a long run, meet an error, start a new flow and open a saved one;
last, run the mlp-digits-weights template for the README's picture of it.

Run by ``scripts/gui_tour.py`` (see its docstring for the calling convention) under Xvfb
with Qt's xcb platform. Components are dragged with the real X pointer (``xdotool``), so
Qt's own drag and drop runs exactly as for a person; links are drawn with QTest's mouse.
Each step checks what issue 18 found wrong and saves a picture.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _common import Tour
from PySide6.QtCore import QMimeData, QPoint, QPointF, QRectF, QSettings, Qt, QTimer
from PySide6.QtGui import QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QToolTip,
    QWidget,
)

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "workbench" / "resources" / "datasets"
WORK = Path(tempfile.mkdtemp(prefix="flow-tour-"))
os.environ["WORKBENCH_AUTOSAVE_DIR"] = str(WORK / "autosave")

from workbench.flow import Status  # noqa: E402
from workbench.gui.flow_editor import FlowEditor  # noqa: E402
from workbench.gui.flow_editor.files import templates  # noqa: E402
from workbench.gui.flow_editor.palette import MIME_TYPE  # noqa: E402


def when_modal(action: Callable[[QWidget], None], kind: type = QWidget,
               within: float | None = None) -> None:
    """Run ``action`` on the next modal window of ``kind`` as soon as it is up (a static
    dialog such as ``QFileDialog.getOpenFileName`` blocks the caller until answered);
    with ``within`` seconds, stop watching after that long."""
    deadline = None if within is None else time.monotonic() + within

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind) and widget.isVisible():
            QTimer.singleShot(300, lambda: action(widget))
        elif deadline is None or time.monotonic() < deadline:
            QTimer.singleShot(100, poll)

    QTimer.singleShot(100, poll)


class FlowTour:
    def __init__(self, tour: Tour) -> None:
        self.tour = tour
        settings = QSettings(str(WORK / "flow.ini"), QSettings.Format.IniFormat)
        self.editor = FlowEditor(settings=settings)
        self.editor.output_dir = self.editor.runner.output_dir = WORK / "out"
        self.view = self.editor.view
        self.xdotool = shutil.which("xdotool")

    # Helpers --------------------------------------------------------------------------------
    def at(self, fx: float, fy: float) -> QPoint:
        """A point of the canvas's viewport, as fractions of its size."""
        size = self.view.viewport().size()
        return QPoint(int(size.width() * fx), int(size.height() * fy))

    def header_in_view(self, node_id: str) -> QRectF:
        item = self.editor.scene.nodes[node_id]
        rect = item.mapRectToScene(QRectF(0, 0, item.width, item.header))
        return self.view.mapFromScene(rect).boundingRect().toRectF()

    def drag(self, type_name: str, where: QPoint) -> str:
        """Drag ``type_name`` from the palette to ``where`` on the canvas with the real
        pointer; returns the new node's id."""
        tree = self.editor.node_palette.tree
        item = next(g.child(i) for g in self.editor.node_palette.groups.values()
                    for i in range(g.childCount())
                    if g.child(i).data(0, Qt.ItemDataRole.UserRole) == type_name)
        tree.scrollToItem(item)
        self.tour.settle(0.2)
        scrolled = tree.verticalScrollBar().value()
        rect = tree.visualItemRect(item)  # a long name runs past the list's right edge:
        grab = QPoint(min(rect.center().x(), rect.left() + 30), rect.center().y())
        start = tree.viewport().mapToGlobal(grab)  # press where its name starts, as a person
        end = self.view.viewport().mapToGlobal(where)
        before = set(self.editor.flow.nodes)
        if self.xdotool:
            steps = ["mousemove", str(start.x()), str(start.y()), "mousedown", "1"]
            for k in range(1, 9):
                x = start.x() + (end.x() - start.x()) * k // 8
                y = start.y() + (end.y() - start.y()) * k // 8
                steps += ["sleep", "0.06", "mousemove", str(x), str(y)]
            steps += ["sleep", "0.3", "mouseup", "1"]
            process = subprocess.Popen([self.xdotool, *steps])
            self.tour.wait(lambda: process.poll() is not None and
                           set(self.editor.flow.nodes) != before, 20,
                           f"dragging {type_name} onto the canvas")
        if set(self.editor.flow.nodes) == before:  # no xdotool: Qt's drop, same code path
            mime = QMimeData()
            mime.setData(MIME_TYPE, type_name.encode())
            self.view.dropEvent(QDropEvent(QPointF(where), Qt.DropAction.CopyAction, mime,
                                           Qt.MouseButton.LeftButton,
                                           Qt.KeyboardModifier.NoModifier))
        (added,) = set(self.editor.flow.nodes) - before
        self.tour.check(self.header_in_view(added).contains(QPointF(where)),
                        f"{type_name} landed under the pointer")
        self.tour.check(tree.verticalScrollBar().value() == scrolled,
                        "the palette did not scroll during the drag")
        return added

    def link(self, source: str, out: str, target: str, into: str) -> None:
        """Draw a link from an output handle to an input handle with the mouse."""
        viewport = self.view.viewport()
        start = self.view.mapFromScene(self.editor.scene.nodes[source].port(out, "out")
                                       .scenePos())
        end = self.view.mapFromScene(self.editor.scene.nodes[target].port(into, "in")
                                     .scenePos())
        count = len(self.editor.flow.links)
        QTest.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
        QTest.mouseMove(viewport, (start + end) / 2)
        QTest.mouseMove(viewport, end)
        QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)
        self.tour.check(len(self.editor.flow.links) == count + 1,
                        f"linked {source}.{out} -> {target}.{into}")

    def key(self, key: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
        """Press a key in the canvas, as a person with the editor in front would."""
        self.editor.raise_()
        self.editor.activateWindow()
        self.tour.wait(lambda: QApplication.activeWindow() is self.editor, 5,
                       "the editor to be the active window")
        self.view.setFocus()
        self.tour.settle(0.1)
        QTest.keyClick(self.view, key, modifiers)

    def confirm_writes(self) -> None:
        """A run that writes files may first ask where (the write confirmation): the
        picture shows it, and the tour agrees."""

        def agree(box: QWidget) -> None:
            if "write" not in box.windowTitle().lower():
                return  # another question: its own step answers it
            self.tour.shot(box, "confirm-writes")
            ok = getattr(box, "button", None)
            button = ok(QMessageBox.StandardButton.Yes) if callable(ok) else None
            button = button or (ok(QMessageBox.StandardButton.Ok) if callable(ok) else None)
            if button is not None:
                button.click()
            else:
                box.accept()

        when_modal(agree, QWidget, within=4.0)

    def run_and_wait(self, timeout: float = 300) -> None:
        runner = self.editor.runner
        before = runner.result
        self.confirm_writes()
        self.key(Qt.Key.Key_F5)
        self.tour.wait(lambda: runner.result is not before and not runner.running, timeout,
                       "the run to end")
        self.tour.settle(0.5)

    # Steps ----------------------------------------------------------------------------------
    def build(self) -> dict[str, str]:
        t, e = self.tour, self.editor
        t.show(e)
        t.settle(0.5)
        nodes = {
            "loader": self.drag("ArffLoader", self.at(0.10, 0.12)),
            "class": self.drag("ClassAssigner", self.at(0.38, 0.12)),
            "cv": self.drag("CrossValidationFoldMaker", self.at(0.70, 0.12)),
            "ibk": self.drag("classifier:knn", self.at(0.14, 0.42)),
            "ibk5": self.drag("classifier:knn", self.at(0.14, 0.74)),
            "eval": self.drag("ClassifierPerformanceEvaluator", self.at(0.48, 0.42)),
            "eval5": self.drag("ClassifierPerformanceEvaluator", self.at(0.48, 0.74)),
            "text": self.drag("TextViewer", self.at(0.82, 0.58)),
        }
        first = self.header_in_view(nodes["loader"])
        self.link(nodes["loader"], "dataSet", nodes["class"], "dataSet")
        self.link(nodes["class"], "dataSet", nodes["cv"], "dataSet")
        for ibk, evaluator in (("ibk", "eval"), ("ibk5", "eval5")):
            self.link(nodes["cv"], "trainingSet", nodes[ibk], "trainingSet")
            self.link(nodes["cv"], "testSet", nodes[ibk], "testSet")
            self.link(nodes[ibk], "batchClassifier", nodes[evaluator], "batchClassifier")
            self.link(nodes[evaluator], "text", nodes["text"], "text")
        t.check(self.header_in_view(nodes["loader"]) == first,
                "nodes placed earlier did not move while others were added")
        for key in ("eval", "ibk", "cv"):
            item = e.scene.nodes[nodes[key]]
            shown = "".join(item.title_lines).replace(" ", "")
            t.check(shown == item.title.replace(" ", ""),
                    f"{item.title}'s title is whole (wrapped: {item.title_lines})")
        t.check(e.undo_stack.undoText().startswith("connect"), "the last undo step is a link")
        t.shot(e, "built")
        return nodes

    def configure_loader(self, loader: str) -> None:
        t, e = self.tour, self.editor
        dialog = e.parameter_dialog(loader)
        dialog.show()
        t.settle(0.4)
        t.check(dialog.browse_buttons.get("file") is not None, "ArffLoader has Browse...")
        t.check("``" not in dialog.about.text(), "the description has no raw markup")
        t.shot(dialog, "loader-dialog")
        iris = "iris"   # a bundled dataset picked with Browse... is stored by its name

        def choose(box: QWidget) -> None:
            assert isinstance(box, QFileDialog)
            t.check(Path(box.directory().absolutePath()) == DATA,
                    f"Browse opens in the bundled datasets ({box.directory().absolutePath()})")
            t.settle(0.5)
            QTest.keyClicks(box.findChild(QLineEdit, "fileNameEdit"), "iris.arff")
            t.settle(0.5)
            t.shot(box, "loader-browse")
            box.accept()

        when_modal(choose, QFileDialog)
        QTest.mouseClick(dialog.browse_buttons["file"], Qt.MouseButton.LeftButton)
        t.check(dialog.values().get("file") == iris,
                f"Browse filled the file field with the bundled name "
                f"({dialog.values().get('file')!r})")
        t.shot(dialog, "loader-dialog-chosen")
        dialog.accept()
        e.edit_parameters(loader, dialog)
        t.check(e.flow.node(loader).params.get("file") == iris, "the loader reads the bundled iris")

    def rename(self, node_id: str, title: str) -> None:
        t, e = self.tour, self.editor
        e.select([node_id])

        def answer(box: QWidget) -> None:
            assert isinstance(box, QInputDialog)
            box.setTextValue(title)
            t.shot(box, "rename-dialog")
            box.accept()

        when_modal(answer, QInputDialog)
        self.key(Qt.Key.Key_F2)
        t.check(e.flow.node(node_id).title == title, f"F2 renamed the node to '{title}'")
        t.check(e.undo_stack.undoText().startswith("rename"), "renaming is one undo step")
        e.undo_stack.undo()
        self.key(Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
        t.check(e.flow.node(node_id).title == title, "Ctrl+Y redid the rename")

    def run_and_view(self, nodes: dict[str, str]) -> None:
        t, e = self.tour, self.editor
        e.flow.set_params(nodes["ibk5"], k=5)
        self.run_and_wait()
        t.check(all(e.flow.node(n).state.status is Status.DONE for n in nodes.values()),
                "every node finished")
        t.check(e.status.activity.text().startswith("run finished"),
                "the status bar reports the finished run")
        e.scene.clearSelection()
        t.shot(e, "run-finished")
        centre = self.view.mapFromScene(e.scene.nodes[nodes["text"]].mapToScene(
            QPointF(40, 10)))
        QTest.mouseDClick(self.view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
        t.wait(lambda: nodes["text"] in e.viewers and e.viewers[nodes["text"]].isVisible(),
               10, "the TextViewer to open")
        viewer = e.viewers[nodes["text"]]
        viewer.resize(int(t.width * 0.6), int(t.height * 0.7))
        viewer.move(int(t.width * 0.2), int(t.height * 0.1))
        t.settle(0.5)
        t.shot(viewer, "text-viewer")
        viewer.close()

    def stop_long_run(self) -> None:
        t, e = self.tour, self.editor
        mlp = next(p for p in templates() if p.name.startswith("mlp-"))

        def discard(box: QWidget) -> None:
            assert isinstance(box, QMessageBox)
            t.shot_screen("unsaved-prompt")
            box.button(QMessageBox.StandardButton.Discard).click()

        when_modal(discard, QMessageBox)
        e.open_template(mlp)
        t.settle(0.5)
        e.flow.set_params("mlp", epochs=100_000)
        self.confirm_writes()
        self.key(Qt.Key.Key_F5)
        t.wait(lambda: e.scene.nodes["mlp"].state.status is Status.RUNNING and
               e.status.activity.text() not in ("Running...", ""), 120, "the MLP to train")
        t.settle(1.5)
        t.shot(e, "running")
        self.key(Qt.Key.Key_Escape)
        t.wait(lambda: not e.runner.running, 60, "the run to stop")
        t.settle(0.5)
        t.check(e.status.activity.text().startswith("Run stopped"),
                f"after Stop the status says so (it says '{e.status.activity.text()}')")
        t.check(not e.status.progress.isVisible(), "the progress bar is gone after Stop")
        t.shot(e, "stopped")

    def new_open_and_error(self) -> None:
        t, e = self.tour, self.editor
        e.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
        self.key(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        t.check(len(e.flow) == 0 and e.status.activity.text().startswith("New flow: drag"),
                f"File > New: an empty flow, status '{e.status.activity.text()}'")
        t.shot(e, "new")
        missing = WORK / "a-data-file-whose-long-name-would-be-clipped-under-its-node.arff"
        bad = e.add_node("ArffLoader", tuple(self._scene(0.15, 0.25)), file=str(missing))
        summary = e.add_node("AttributeSummarizer", tuple(self._scene(0.50, 0.25)))
        e.connect_ports(bad, "dataSet", summary, "dataSet")
        good = e.add_node("ArffLoader", tuple(self._scene(0.15, 0.40)),
                          file=str(DATA / "weather.nominal.arff"))
        other = e.add_node("AttributeSummarizer", tuple(self._scene(0.50, 0.40)))
        e.connect_ports(good, "dataSet", other, "dataSet")
        self.run_and_wait()
        t.check(e.flow.node(bad).state.status is Status.ERROR, "the bad loader failed")
        t.check(missing.name in e.node_error(bad), "the error names the whole file")
        t.check(missing.name in e.log.text(), "the log has the whole error")
        item = e.scene.nodes[bad]
        t.check(item.boundingRect().bottom() <= item.height + 8,
                "nothing is painted below the node for the next one to cover")
        anchor = self.view.viewport().mapToGlobal(self.view.mapFromScene(
            item.mapToScene(QPointF(item.width / 2, item.header / 2))))
        QToolTip.showText(anchor, item.toolTip(), self.view.viewport())
        t.settle(0.6)
        t.shot_screen("error-tooltip")
        QToolTip.hideText()
        box = e.show_node_error(bad)
        t.settle(0.4)
        t.shot(box, "error-box")
        box.close()
        path = WORK / "saved.kflow.json"
        t.check(e.save_to(path), "saved the flow")
        e.new_flow()
        t.check(e.open_file(path), "opened it again")
        t.check(e.status.activity.text() == f"Opened {path}",
                f"after Open the status says Opened (it says '{e.status.activity.text()}')")
        t.shot(e, "opened")

    def readme_template(self, name: str, docs_name: str) -> None:
        """A bundled template opened and run, as the README's gallery shows it."""
        t, e = self.tour, self.editor
        e.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
        path = next(p for p in templates() if p.name == f"{name}.kflow.json")
        t.check(e.open_template(path), f"opened the template {name}")
        e.output_dir = e.runner.output_dir = WORK / "out"  # not the user's output folder
        e.node_palette.tree.clearSelection()  # the palette as a newly opened window has it
        e.node_palette.tree.scrollToTop()
        t.settle(0.5)
        self.run_and_wait()
        states = {i.title: i.state.status for i in e.scene.nodes.values()}
        t.check(all(s is Status.DONE for s in states.values()),
                f"every node of {name} ran ({states})")
        t.shot(e, f"template-{name}", docs_name)

    def _scene(self, fx: float, fy: float) -> tuple[float, float]:
        point = self.view.mapToScene(self.at(fx, fy))
        return point.x(), point.y()


def main() -> int:
    tour = Tour("flow")
    steps = FlowTour(tour)
    nodes = steps.build()
    steps.configure_loader(nodes["loader"])
    steps.rename(nodes["ibk5"], "IBk, 5 neighbours")
    steps.run_and_view(nodes)
    steps.stop_long_run()
    steps.new_open_and_error()
    steps.readme_template("cross-validation", "flow-cross-validation.png")
    steps.readme_template("mlp-digits-weights", "flow-mlp-digits-weights.png")
    steps.editor.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    steps.editor.close()
    return tour.finish()


if __name__ == "__main__":
    sys.exit(main())
