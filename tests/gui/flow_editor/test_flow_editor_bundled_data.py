"""The bundled templates name their data by a bundled dataset's name ("iris"): the flow
editor opens and runs them as they are, a copy saved elsewhere still runs, and Browse...
opens on the bundled file (walkthrough 7, item 3)."""

from __future__ import annotations

import json
from pathlib import Path

from flow_editor_helpers import drop_files, run_to_end
from PySide6.QtCore import QPoint

from workbench.data.catalog import datasets_dir
from workbench.gui.flow_editor.files import templates


def _cross_validation() -> Path:
    return next(p for p in templates() if p.name.startswith("cross-validation"))


def test_a_template_saved_elsewhere_runs_and_its_browse_opens_on_the_bundled_file(
        make_editor, qtbot, tmp_path):
    editor = make_editor()
    assert editor.open_template(_cross_validation())
    assert editor.flow.node("loader").params["file"] == "iris"
    assert editor.save_to(tmp_path / "mine" / "cv.kflow.json")
    result = run_to_end(qtbot, editor)
    assert result.ok, {n: str(s) for n, s in result.states.items()}
    assert any("loaded" in line and line.endswith("150 instances, 5 attributes")
               for line in result.states["loader"].log)
    dialog = editor.parameter_dialog("loader")
    assert dialog.current_file("iris") == str(datasets_dir() / "iris.arff")
    browse = dialog.file_dialog("file", dialog.current_file("iris"))
    assert Path(browse.directory().absolutePath()) == datasets_dir()


def test_a_flow_naming_data_beside_it_keeps_reading_that_file(make_editor, qtbot,
                                                                tmp_path):
    # A file of that name beside the flow shadows the bundled one, as on the command line.
    data = json.loads(_cross_validation().read_text())
    data["nodes"][0]["parameters"]["file"] = "iris.arff"
    (tmp_path / "iris.arff").write_bytes((datasets_dir() / "iris.arff").read_bytes())
    (tmp_path / "f.kflow.json").write_text(json.dumps(data))
    editor = make_editor()
    assert editor.open_file(tmp_path / "f.kflow.json")
    dialog = editor.parameter_dialog("loader")
    assert dialog.current_file("iris.arff") == str(tmp_path / "iris.arff")
    result = run_to_end(qtbot, editor)
    assert result.ok
    assert any(str(tmp_path / "iris.arff") in line for line in result.states["loader"].log)


def test_a_bundled_dataset_picked_with_browse_is_saved_by_its_name(make_editor,
                                                                  tmp_path):
    """Browse... offers the bundled datasets; the one picked there is stored as its
    bundled name, as the templates store it, not as a path into the installation that
    breaks on reinstalling or sharing the flow (walkthrough 11c, item 6)."""
    editor = make_editor()
    node_id = editor.add_node("ArffLoader", (0, 0))
    for flow_file in (None, tmp_path / "flows" / "cv.kflow.json"):   # unsaved, saved
        if flow_file is not None:
            assert editor.save_to(flow_file)
        dialog = editor.parameter_dialog(node_id)
        dialog.ask_file = lambda _name, _current: str(datasets_dir() / "iris.arff")
        assert dialog.browse("file") == "iris"
        dialog.accept()
        editor.edit_parameters(node_id, dialog)
        assert editor.flow.node(node_id).params["file"] == "iris"
    assert editor.save()
    saved = json.loads((tmp_path / "flows" / "cv.kflow.json").read_text())
    assert saved["nodes"][0]["parameters"]["file"] == "iris"
    _other_files_keep_their_path(editor, node_id, tmp_path)


def _other_files_keep_their_path(editor, arff: str, tmp_path: Path) -> None:
    """A copy of a bundled file elsewhere is the user's own file; a bundled ARFF file
    given to the CSVLoader (by *All files*) is not read by that name; and a file called
    "iris" beside the flow would be read in place of the bundled one: all three keep
    the path that was picked."""
    copy = tmp_path / "elsewhere" / "iris.arff"
    copy.parent.mkdir()
    copy.write_bytes((datasets_dir() / "iris.arff").read_bytes())
    csv = editor.add_node("CSVLoader", (200, 0))
    bundled = str(datasets_dir() / "iris.arff")
    for node_id, picked in ((arff, str(copy)), (csv, bundled)):
        dialog = editor.parameter_dialog(node_id)
        dialog.ask_file = lambda _name, _current, p=picked: p
        assert dialog.browse("file") == picked
    (tmp_path / "flows" / "iris").write_text("not the bundled iris")
    dialog = editor.parameter_dialog(arff)
    dialog.ask_file = lambda _name, _current: bundled
    assert dialog.browse("file") == bundled


def test_a_bundled_dataset_dropped_from_a_file_manager_is_saved_by_its_name(
        make_editor, tmp_path):
    """A file dropped onto the canvas, onto a loader or into its field is stored as
    Browse... stores it: the bundled iris as ``iris``, a file in the flow's folder
    relative to it, so the saved flow runs on another machine (it held the path into
    this installation)."""
    editor = make_editor()
    assert editor.save_to(tmp_path / "flows" / "drop.kflow.json")
    own = tmp_path / "flows" / "data" / "mine.csv"
    own.parent.mkdir()
    own.write_text("a,b\n1,x\n", encoding="utf-8")
    view = editor.view.viewport()
    drop_files(view, [datasets_dir() / "iris.arff", own], QPoint(200, 100))
    stored = sorted((n.type_name, n.params["file"]) for n in editor.flow)
    assert stored == [("ArffLoader", "iris"), ("CSVLoader", str(Path("data", "mine.csv")))]
    # onto a loader already on the canvas: its file is replaced, named the same way
    loader = editor.add_node("ArffLoader", (600, 0), file="other.arff")
    item = editor.scene.nodes[loader]
    inside = editor.view.mapFromScene(item.mapToScene(item.boundingRect().center()))
    drop_files(view, [datasets_dir() / "iris.arff"], inside)
    assert editor.flow.node(loader).params["file"] == "iris"
    # into the parameter dialog's field
    dialog = editor.parameter_dialog(loader)
    field = dialog.sheet.editor("file")
    field.setText("")
    drop_files(field, [datasets_dir() / "iris.arff"], QPoint(5, 5))
    assert field.text() == "iris"
    assert editor.save()
    saved = json.loads((tmp_path / "flows" / "drop.kflow.json").read_text())
    assert sorted(n["parameters"]["file"] for n in saved["nodes"]) == \
        sorted(["iris", "iris", str(Path("data", "mine.csv"))])
