"""The bundled templates name their data by a bundled dataset's name ("iris"): the flow
editor opens and runs them as they are, a copy saved elsewhere still runs, and Browse...
opens on the bundled file (walkthrough 7, item 3)."""

from __future__ import annotations

import json
from pathlib import Path

from flow_editor_helpers import run_to_end

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
