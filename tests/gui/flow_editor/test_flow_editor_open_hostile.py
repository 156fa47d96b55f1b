"""Opening odd flow files in the editor (walkthrough 10, items 6, 7 and 9): a node far
off the canvas, thousands of nodes without a place, and a file that cannot be read."""

from __future__ import annotations

import json

from flow_editor_helpers import cross_validation_flow
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication

from workbench.flow import flow_to_dict
from workbench.gui.flow_editor import document, items
from workbench.gui.flow_editor.files import templates_dir


def _template(name="learn-and-save-model"):
    return json.loads((templates_dir() / f"{name}.kflow.json").read_text())


def _write(tmp_path, data, name="odd.kflow.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def test_an_open_error_names_the_file_once_and_keeps_its_reason(make_editor, tmp_path):
    data = _template()
    data["links"].append({"from": {"node": "ghost", "port": "dataSet"},
                          "to": {"node": "class", "port": "dataSet"}})
    path = _write(tmp_path, data)
    editor = make_editor()
    assert not editor.open_file(path)
    number = len(data["links"])
    line = editor.log.text().splitlines()[-1]
    assert line.endswith(f"cannot open {path}: link {number}: the flow has no node "
                         f"'ghost' (its nodes: loader, class, training, classifier, "
                         f"saver, model)")
    assert line.count(str(path)) == 1
    status = editor.status.activity
    assert status.text().count(str(path)) == 1
    # the status bar names the first nodes only (walkthrough 11c, item 8); the log all
    assert status.text() == f"Cannot open {path}: link {number}: the flow has no node " \
                            f"'ghost' (its nodes: loader, class, training and 3 more)"
    # A JSON error keeps its line and column, still without the path twice.
    path.write_text('{"format": "workbench-flow",\n "nodes": [}')
    assert not editor.open_file(path)
    assert editor.status.activity.text().startswith(f"Cannot open {path}: line 2, column ")
    assert editor.log.text().count(str(path)) == 2   # one line per attempt
    missing = tmp_path / "gone.kflow.json"
    assert not editor.open_file(missing)
    assert editor.status.activity.text() == f"Cannot open {missing}: no such file"


def test_a_broken_flows_reason_fits_the_status_bar_after_its_path(make_editor, qtbot,
                                                                 tmp_path):
    # Walkthrough 11c, item 8: the reason listed all eight node ids of the guide's flow,
    # so the bar showed the reason alone, cut with "...", and no "Cannot open PATH".
    editor = make_editor()
    editor.resize(1200, 760)
    editor.show()
    qtbot.waitExposed(editor)
    cross_validation_flow(editor)
    data = flow_to_dict(editor.flow)
    data["links"][6]["from"]["node"] = "ghost"
    path = _write(tmp_path, data, "broken.kflow.json")
    assert not editor.open_file(path)
    ids = ", ".join(editor.flow.nodes)
    assert editor.log.text().splitlines()[-1].endswith(
        f"cannot open {path}: link 7: the flow has no node 'ghost' (its nodes: {ids})")
    reason = ("link 7: the flow has no node 'ghost' (its nodes: arffloader1, "
              "classassigner1, crossvalidationfoldmaker1 and 5 more)")
    status = editor.status.activity
    assert status.text() == f"Cannot open {path}: {reason}"
    shown = status.shown_text()
    assert shown.startswith("Cannot open ") and shown.endswith(reason)


def test_a_short_list_in_a_reason_is_kept_whole():
    assert document.status_reason("no node 'x' (its nodes: a, b, c, d)") == \
        "no node 'x' (its nodes: a, b, c, d)"
    assert document.status_reason("no node 'x' (its nodes: none)") == \
        "no node 'x' (its nodes: none)"
    assert document.status_reason("bad (for example utf-8, latin-1, a, b, c)") == \
        "bad (for example utf-8, latin-1, a, b, c)"   # prose, no label: left alone


def test_a_node_off_the_canvas_is_shown_beside_the_others_and_said(make_editor, qtbot,
                                                                   tmp_path):
    # A loader at [1e300, -1e300] opened as an empty canvas, "Opened ..." and no word.
    data = _template()
    data["ui"]["positions"]["loader"] = [1e300, -1e300]
    path = _write(tmp_path, data)
    editor = make_editor()
    editor.resize(1280, 800)
    editor.show()
    qtbot.waitExposed(editor)
    assert editor.open_file(path)
    said = "node 'loader': its position [1e+300, -1e+300] is off the canvas (expected " \
           "numbers from -1,000,000 to 1,000,000); placed below the other nodes instead"
    assert editor.log.text().splitlines()[-1].endswith(f"warning: {said}")
    assert editor.status.activity.text() == f"Opened {path}: {said} (see the log)"
    editor.view.fit()
    shown = editor.view.mapToScene(editor.view.viewport().rect()).boundingRect()
    for item in editor.scene.nodes.values():
        assert shown.contains(item.sceneBoundingRect()), item.node_id


def test_a_big_flow_says_it_is_busy_first_and_spreads_unplaced_nodes(make_editor, qtbot,
                                                                      tmp_path, monkeypatch):
    # 20 000 nodes without a position froze the window with no word for 12-15 s and
    # then lay stacked at (0, 0) over the loader.
    data = _template()
    data["nodes"] += [{"id": f"t{i}", "type": "TextViewer", "title": "T"}
                      for i in range(1200)]
    path = _write(tmp_path, data)
    editor = make_editor()
    seen = []
    real_load = document.load_flow

    def load(*args, **kwargs):
        cursor = QApplication.overrideCursor()
        seen.append((cursor.shape() if cursor else None, editor.status.activity.text()))
        return real_load(*args, **kwargs)

    monkeypatch.setattr(document, "load_flow", load)
    drawn = []
    real_drawing = editor._drawing
    monkeypatch.setattr(editor, "_drawing",
                        lambda done, total: drawn.append((done, total))
                        or real_drawing(done, total))
    assert editor.open_file(path)
    assert seen == [(Qt.CursorShape.WaitCursor, f"Opening {path}...")]
    assert QApplication.overrideCursor() is None   # the usual cursor is back
    assert drawn == [(n, 1206) for n in (500, 1000)]
    assert editor.status.activity.text() == f"Opened {path}"
    assert not editor.status.progress.isVisible()
    loader = editor.scene.nodes["loader"].sceneBoundingRect()
    boxes = [item.sceneBoundingRect() for node_id, item in editor.scene.nodes.items()
             if node_id != "loader"]
    assert not any(box.intersects(loader) for box in boxes)
    assert len({(b.x(), b.y()) for b in boxes}) == len(boxes)


def test_nodes_far_zoomed_out_are_drawn_as_boxes_without_text(make_editor, monkeypatch):
    # Fit to view on 20 000 nodes is at about 3 %: drawing every title and port there
    # took 7-14 s per repaint.
    data = _template()
    editor = make_editor()
    from workbench.flow.fileformat import flow_from_dict
    editor.set_flow(flow_from_dict(data, editor.registry))
    texts = []
    real_fonts = items._fonts
    monkeypatch.setattr(items, "_fonts", lambda: texts.append(1) or real_fonts())

    def render(scale):
        image = QImage(400, 300, QImage.Format.Format_ARGB32)
        painter = QPainter(image)
        rect = editor.scene.itemsBoundingRect()
        editor.scene.render(painter, QRectF(0, 0, rect.width() * scale,
                                            rect.height() * scale), rect)
        painter.end()

    render(0.05)
    assert texts == []
    render(1.0)
    assert len(texts) == len(editor.scene.nodes)


def test_the_flow_command_says_a_far_node_in_the_window_only(tmp_path, capsys, monkeypatch):
    """``workbench flow FILE`` read the file before its window opened and let the
    reader's warning reach the terminal, while the window said nothing of it: the
    window says it, once, as File > Open does, and the terminal nothing."""
    from workbench import cli
    from workbench.gui import screenshot

    monkeypatch.setenv("WORKBENCH_AUTOSAVE_DIR", str(tmp_path / "autosave"))
    data = _template()
    data["ui"]["positions"]["loader"] = [1e300, -1e300]
    path = _write(tmp_path, data)
    shown = {}
    real_save = screenshot.save_png

    def save_png(window, target):   # the window as the command leaves it, before closing
        shown.update(log=window.log.text(), status=window.status.activity.text())
        return real_save(window, target)

    monkeypatch.setattr(screenshot, "save_png", save_png)
    assert cli.main(["flow", str(path), "--screenshot", str(tmp_path / "x.png")]) == 0
    assert "off the canvas" not in capsys.readouterr().err
    said = "node 'loader': its position [1e+300, -1e+300] is off the canvas (expected " \
           "numbers from -1,000,000 to 1,000,000); placed below the other nodes instead"
    assert shown["log"].count("off the canvas") == 1
    assert f"warning: {said}" in shown["log"]
    assert shown["status"] == f"Opened {path}: {said} (see the log)"
