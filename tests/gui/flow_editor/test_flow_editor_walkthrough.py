"""What a person met in the flow editor during the walkthrough of issue 18: drops that
jumped, cut titles, bare file fields, clipped errors, stale status text, Ctrl+Y, links
that looped back across their nodes."""

from __future__ import annotations

from pathlib import Path

from flow_editor_helpers import drop_files
from PySide6.QtCore import QMimeData, QPoint, QPointF, QRectF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QFontMetricsF
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from settling import settle

from workbench.flow import Status
from workbench.gui.flow_editor.files import templates, templates_dir
from workbench.gui.flow_editor.items import _fonts
from workbench.gui.flow_editor.palette import MIME_TYPE

IRIS = templates_dir().parent / "datasets" / "iris.arff"


def _view_state(editor):
    """Where the canvas stands: its zoom, its scroll and the scene's extent."""
    view = editor.view
    return (view.transform(), view.horizontalScrollBar().value(),
            view.verticalScrollBar().value(), view.viewport().size(), view.sceneRect())


def _shown(editor, qtbot):
    editor.resize(1000, 700)
    editor.show()
    qtbot.waitExposed(editor)
    # the window's first fit-to-view (a zero-delay timer) has run, as it has for a person
    settle(qtbot, lambda: _view_state(editor))


def _drop(editor, type_name: str, where: QPoint) -> str:
    mime = QMimeData()
    mime.setData(MIME_TYPE, type_name.encode())
    event = QDropEvent(QPointF(where), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    before = set(editor.flow.nodes)
    editor.view.dropEvent(event)
    (added,) = set(editor.flow.nodes) - before
    return added


def _header_in_view(editor, node_id: str) -> QRectF:
    item = editor.scene.nodes[node_id]
    rect = QRectF(0, 0, item.width, item.header)
    return editor.view.mapFromScene(item.mapRectToScene(rect)).boundingRect().toRectF()


# Item 10: nodes land where dropped; nothing else moves ------------------------------------
def test_dropped_nodes_land_under_the_pointer_and_nothing_else_moves(make_editor, qtbot):
    editor = make_editor()
    _shown(editor, qtbot)
    first = _drop(editor, "ArffLoader", QPoint(150, 120))
    assert _header_in_view(editor, first).contains(QPointF(150, 120))
    where_first = _header_in_view(editor, first)
    scroll = (editor.view.horizontalScrollBar().value(),
              editor.view.verticalScrollBar().value())
    # a second and a third drop far away used to re-centre the scene, moving the first
    size = editor.view.viewport().size()
    far, low = QPoint(size.width() - 100, size.height() - 40), QPoint(80, size.height() - 30)
    second = _drop(editor, "classifier:knn", far)
    third = _drop(editor, "TextViewer", low)
    settle(qtbot, lambda: (_view_state(editor), _header_in_view(editor, second),
                           _header_in_view(editor, third)))
    assert _header_in_view(editor, second).contains(QPointF(far))
    assert _header_in_view(editor, third).contains(QPointF(low))
    assert _header_in_view(editor, first) == where_first
    assert (editor.view.horizontalScrollBar().value(),
            editor.view.verticalScrollBar().value()) == scroll


def test_the_palette_does_not_scroll_while_a_component_is_dragged_out(make_editor):
    # Qt scrolls a list when a drag passes its edge; leaving the palette that way made
    # the next drag pick the row that slid under the pointer
    assert make_editor().node_palette.tree.hasAutoScroll() is False


# Item 11: titles fit, tooltips are full, nodes can be renamed -------------------------------
def test_node_titles_and_port_names_are_not_cut(make_editor):
    editor = make_editor()
    title_metrics = QFontMetricsF(_fonts()[0])
    port_metrics = QFontMetricsF(_fonts()[1])
    for type_name in ("CrossValidationFoldMaker", "ClassifierPerformanceEvaluator",
                      "classifier:knn", "classifier:mlp", "ModelPerformanceChart",
                      "ConfusionMatrixViewer", "WeightViewer"):
        node_id = editor.add_node(type_name)
        item = editor.scene.nodes[node_id]
        title = editor.flow.node(node_id).title
        # wrapped at spaces or capitals, never elided
        assert "".join(item.title_lines).replace(" ", "") == title.replace(" ", ""), \
            item.title_lines
        for line in item.title_lines:
            assert title_metrics.horizontalAdvance(line) <= item.width - 34
        shared_rows = not item.stagger
        for direction, names in (("in", item.input_names), ("out", item.output_names)):
            for name in names:
                row = item.port_row(direction, name)
                alone = not shared_rows or row >= min(len(item.input_names),
                                                      len(item.output_names))
                if alone:
                    assert port_metrics.horizontalAdvance(name) <= item.width - 20
                else:
                    pair = item.input_names[row], item.output_names[row]
                    assert sum(port_metrics.horizontalAdvance(n) for n in pair) + 40 \
                        <= item.width, (type_name, pair)
        assert title in item.tooltip_text() and type_name in item.tooltip_text()
    # ports sit on the edges of the box, one row each
    knn = next(n.id for n in editor.flow if n.type_name == "classifier:knn")
    item = editor.scene.nodes[knn]
    assert all(p.pos().x() == item.width for (d, _), p in item.ports.items() if d == "out")
    rows = [p.pos().y() for p in item.ports.values()]
    assert len(set(rows)) == len(rows) or not item.stagger


def test_renaming_a_node_tells_two_classifiers_apart_and_undoes(make_editor):
    editor = make_editor()
    one = editor.add_node("classifier:knn", (0, 0))
    two = editor.add_node("classifier:knn", (0, 200), k=5)
    assert editor.rename_node(two, "IBk, 5 neighbours")
    assert editor.flow.node(two).title == "IBk, 5 neighbours"
    assert editor.scene.nodes[two].title_lines == ["IBk, 5 neighbours"]
    assert editor.undo_stack.undoText() == \
        "rename IBk2 to IBk, 5 neighbours"
    editor.undo_stack.undo()
    assert editor.flow.node(two).title == "IBk2"
    # F2 on the selected node asks for the title
    editor.ask_title = lambda current: "first IBk"
    editor.select([one])
    assert editor.rename_selected() and editor.flow.node(one).title == "first IBk"
    assert "Rename..." in [a.text() for a in editor.node_menu(one).actions()]


def test_undo_text_names_what_the_user_chose_from(make_editor):
    # item 7: the chooser's name "IBk", never "classifier:knn"
    editor = make_editor()
    editor.add_node("classifier:knn")
    assert editor.undo_stack.undoText() == "add IBk"
    editor.undo_stack.undo()
    assert editor.undo_stack.redoText() == "add IBk"


# Walk 4, item 17 (f09): a node's title is the chooser's short name, in two lines at most --
def test_a_new_node_is_titled_with_the_choosers_short_name(make_editor):
    editor = make_editor()
    mlp = [editor.add_from_palette("classifier:mlp") for _ in range(2)]
    assert [editor.flow.node(n).title for n in mlp] == ["MLP", "MLP2"]
    item = editor.scene.nodes[mlp[0]]
    assert item.title_lines == ["MLP"]
    assert "MLP (multilayer perceptron: L-BFGS or mini-batch back-propagation)" in \
        item.tooltip_text()
    # a short name that is only a registry key or a Java class keeps the display name
    supervised = editor.add_from_palette("filter:supervised-discretize")
    assert editor.flow.node(supervised).title == "Discretize (supervised)"


def test_no_title_takes_more_than_two_lines(make_editor, registry):
    editor = make_editor()
    from workbench.flow.nodes.catalog import all_node_types

    for node_type in all_node_types(registry):
        item = editor.scene.nodes[editor.add_node(node_type.name)]
        assert len(item.title_lines) <= 2, (node_type.name, item.title_lines)
        title = editor.flow.node(item.node_id).title
        assert "".join(item.title_lines).replace(" ", "") == title.replace(" ", "")
    # a long title (an old flow's, or typed by a user) is cut to two lines; the
    # tooltip has it whole
    long = "MLP (multilayer perceptron: L-BFGS or mini-batch back-propagation)"
    node = editor.add_node("classifier:mlp")
    assert editor.rename_node(node, long)
    item = editor.scene.nodes[node]
    assert len(item.title_lines) == 2 and item.title_lines[-1].endswith("…")
    assert long in item.tooltip_text()


# Item 12: file parameters get Browse and take drops; descriptions are text ------------------
def test_loader_dialog_has_browse_and_plain_description(make_editor, tmp_path):
    editor = make_editor()
    loader = editor.add_node("ArffLoader")
    dialog = editor.parameter_dialog(loader)
    assert "file" in dialog.browse_buttons
    assert dialog.browse_buttons["file"].text() == "Browse..."
    field = dialog.sheet.editor("file")
    assert ".arff" in field.placeholderText() and field.placeholderText() != "text"
    assert "``" not in dialog.about.text() and ".arff.gz too" in dialog.about.text()
    assert "*.arff" in dialog.file_filter("file")
    dialog.ask_file = lambda name, current: str(IRIS)
    dialog.browse_buttons["file"].click()
    # The bundled file picked is written by its name, as the templates write it.
    assert field.text() == "iris"
    assert dialog.values()["file"] == "iris"
    assert dialog.minimumWidth() >= dialog.fontMetrics().horizontalAdvance(
        dialog.windowTitle())


def test_browse_opens_on_the_current_file_else_in_the_bundled_datasets(make_editor,
                                                                         tmp_path):
    """A learner's first Browse... shows the tutorials' datasets (as the guide's picture
    does), a loader with a file opens beside it, and a saver never opens in the package;
    the sidebar keeps the datasets and the flow's folder one click away."""
    from workbench.core.resources import resource_dir

    datasets = resource_dir("datasets")
    editor = make_editor()
    assert editor.save_to(tmp_path / "my.kflow.json")
    dialog = editor.parameter_dialog(editor.add_node("ArffLoader"))
    browse = dialog.file_dialog("file", "")
    assert Path(browse.directory().absolutePath()) == datasets
    sidebar = browse.sidebarUrls()
    assert QUrl.fromLocalFile(str(datasets)) in sidebar
    assert QUrl.fromLocalFile(str(tmp_path)) in sidebar
    (tmp_path / "data").mkdir()
    mine = tmp_path / "data" / "mine.arff"
    mine.write_text(IRIS.read_text())
    browse = dialog.file_dialog("file", str(mine))
    assert Path(browse.directory().absolutePath()) == mine.parent
    saver = editor.parameter_dialog(editor.add_node("ArffSaver"))
    assert Path(saver.file_dialog("file", "").directory().absolutePath()) == tmp_path


def test_browse_keeps_a_file_beside_the_flow_relative(make_editor, tmp_path):
    editor = make_editor()
    saver = editor.add_node("CSVSaver")
    flow_file = tmp_path / "my.kflow.json"
    assert editor.save_to(flow_file)
    dialog = editor.parameter_dialog(saver)
    assert "file" in dialog.browse_buttons
    dialog.ask_file = lambda name, current: str(tmp_path / "out" / "data.csv")
    dialog.browse_buttons["file"].click()
    assert dialog.values()["file"] == "out/data.csv"


def test_every_file_parameter_gets_a_browse_button(make_editor):
    editor = make_editor()
    for type_name in ("ArffLoader", "CSVLoader", "ArffSaver", "CSVSaver", "ModelSaver",
                      "ImageSaver"):
        dialog = editor.parameter_dialog(editor.add_node(type_name))
        assert list(dialog.browse_buttons) == ["file"], type_name
        assert dialog.browse_buttons["file"].isVisibleTo(dialog)
    image = editor.parameter_dialog(next(n.id for n in editor.flow
                                         if n.type_name == "ImageSaver"))
    assert "*.png" in image.file_filter("file")
    model = editor.parameter_dialog(next(n.id for n in editor.flow
                                         if n.type_name == "ModelSaver"))
    assert "*.model" in model.file_filter("file")


def test_a_file_dropped_on_the_field_fills_it(make_editor, qtbot):
    editor = make_editor()
    dialog = editor.parameter_dialog(editor.add_node("ArffLoader"))
    dialog.show()
    qtbot.waitExposed(dialog)
    field: QLineEdit = dialog.sheet.editor("file")
    drop_files(field, [IRIS], QPoint(5, 5))
    assert field.text() == "iris"      # the bundled iris by its name, as Browse... has it


# Item 13: errors readable in full ----------------------------------------------------------
def test_a_node_error_is_readable_in_full(make_editor, qtbot, tmp_path):
    from flow_editor_helpers import run_to_end

    editor = make_editor()
    long_name = "a-data-file-whose-name-is-long-enough-to-be-clipped-under-a-node.arff"
    bad = editor.add_node("ArffLoader", (0, 0), file=str(tmp_path / long_name))
    viewer = editor.add_node("AttributeSummarizer", (0, 100))
    editor.connect_ports(bad, "dataSet", viewer, "dataSet")
    run_to_end(qtbot, editor)
    qtbot.waitUntil(lambda: editor.scene.nodes[bad].state.status is Status.ERROR)
    message = editor.flow.node(bad).state.message
    assert long_name in message
    assert editor.node_error(bad) == f"Error: {message}"
    assert long_name in editor.scene.nodes[bad].toolTip()
    assert long_name in editor.log.text()
    menu = [a.text() for a in editor.node_menu(bad).actions()]
    assert "Show error..." in menu
    box = editor.show_node_error(bad)
    assert long_name in box.text()
    box.close()
    # the node paints nothing below itself any more, so nothing can be covered
    item = editor.scene.nodes[bad]
    assert item.boundingRect().bottom() <= item.height + 8


# Item 14: the status bar speaks of the flow on screen ---------------------------------------
def test_status_bar_is_current_after_stop_new_and_open(make_editor, qtbot, tmp_path):
    editor = make_editor()
    editor.open_template(next(p for p in templates() if p.name.startswith("mlp-")))
    editor.flow.set_params("mlp", epochs=100_000)
    assert editor.run_all()
    qtbot.waitUntil(lambda: editor.scene.nodes["mlp"].state.status is Status.RUNNING,
                    timeout=30_000)
    qtbot.waitUntil(lambda: editor.status.activity.text() not in ("Running...", ""),
                    timeout=30_000)
    with qtbot.waitSignal(editor.runner.done, timeout=30_000):
        editor.stop()
    assert editor.status.activity.text().startswith("Run stopped")
    assert not editor.status.progress.isVisible()
    path = tmp_path / "saved.kflow.json"
    assert editor.save_to(path) and editor.status.activity.text().startswith("Saved")
    assert editor.new_flow()
    assert editor.status.activity.text().startswith("New flow")
    assert editor.open_file(path)
    assert editor.status.activity.text() == f"Opened {path}"


# Item 15: Ctrl+Y redoes ----------------------------------------------------------------------
def test_ctrl_y_and_ctrl_shift_z_both_redo(make_editor, qtbot):
    editor = make_editor()
    _shown(editor, qtbot)
    editor.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.view)
    editor.add_node("ArffLoader")
    QTest.keyClick(editor.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(editor.flow) == 0
    QTest.keyClick(editor.view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert len(editor.flow) == 1
    QTest.keyClick(editor.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(editor.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert len(editor.flow) == 1


# Item 17: a link into a node beside or behind its source goes around, not across ----------
def test_a_link_to_a_node_left_of_its_source_keeps_off_both_boxes(make_editor):
    editor = make_editor()
    loader = editor.add_node("ArffLoader", (200, 0))
    viewer = editor.add_node("TextViewer", (0, 120))      # below and to the left
    beside = editor.add_node("TextViewer", (160, 40))     # overlapping rows, left edge
    saver = editor.add_node("ArffSaver", (400, 0))
    editor.connect_ports(loader, "dataSet", saver, "dataSet")
    editor.connect_ports(saver, "text", viewer, "text")
    editor.connect_ports(saver, "text", beside, "text")
    for link, item in editor.scene.links.items():
        path = item.path()
        bodies = [editor.scene.nodes[n] for n in (link.source, link.target)]
        for step in range(1, 200):
            point = path.pointAtPercent(step / 200)
            for node in bodies:
                inner = node.mapRectToScene(node.body_rect()).adjusted(3, 3, -3, -3)
                assert not inner.contains(point), (str(link), point)


def _drop_files(editor, paths, where: QPoint) -> None:
    drop_files(editor.view.viewport(), paths, where)


def test_data_files_dropped_on_the_canvas_become_loaders(make_editor, qtbot, tmp_path):
    editor = make_editor()
    _shown(editor, qtbot)
    table = tmp_path / "table.csv"
    table.write_text("a,b\n1,x\n", encoding="utf-8")
    _drop_files(editor, [IRIS, table], QPoint(200, 100))
    loaders = sorted((n.type_name, n.params["file"]) for n in editor.flow)
    # the bundled iris by its name, as Browse... stores it; the user's file by its path
    assert loaders == [("ArffLoader", "iris"), ("CSVLoader", str(table))]
    arff = next(n.id for n in editor.flow if n.type_name == "ArffLoader")
    assert _header_in_view(editor, arff).contains(QPointF(200, 100))
    editor.undo_stack.undo()                     # one step for the whole drop
    assert len(editor.flow) == 0
    _drop_files(editor, [tmp_path / "notes.pdf"], QPoint(200, 100))
    assert len(editor.flow) == 0 and "not a data file" in editor.last_refusal
    # Excel's "Text (Tab delimited)" is a .txt: a data file the CSVLoader reads
    _drop_files(editor, [tmp_path / "sheet.txt"], QPoint(200, 100))
    assert [(n.type_name, n.params["file"]) for n in editor.flow] == [
        ("CSVLoader", str(tmp_path / "sheet.txt"))]


def test_a_file_dropped_on_a_saver_becomes_its_file(make_editor, qtbot, tmp_path):
    editor = make_editor()
    _shown(editor, qtbot)
    saver = editor.add_node("CSVSaver", tuple(editor.view.mapToScene(QPoint(100, 100))
                                              .toTuple()))
    item = editor.scene.nodes[saver]
    inside = editor.view.mapFromScene(item.mapToScene(QPointF(30, item.height - 10)))
    _drop_files(editor, [tmp_path / "out.csv"], inside)
    assert editor.flow.node(saver).params["file"] == str(tmp_path / "out.csv")
    assert len(editor.flow) == 1


def test_a_refusal_does_not_outlive_the_next_link(make_editor):
    editor = make_editor()
    loader = editor.add_node("ArffLoader", (0, 0))
    viewer = editor.add_node("TextViewer", (300, 0))
    summary = editor.add_node("AttributeSummarizer", (300, 120))
    assert not editor.connect_ports(loader, "dataSet", viewer, "text")
    assert "takes text" in editor.view.toolTip()
    assert editor.connect_ports(loader, "dataSet", summary, "dataSet")
    assert editor.view.toolTip() == ""
    assert editor.status.activity.text().startswith("Connected ArffLoader.dataSet to")
