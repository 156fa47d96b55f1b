"""A flow whose title, node titles and note are HTML, loading data whose names are
HTML, shows all of them as text on the canvas, in tooltips, the log, the error box and
every viewer (walkthrough 13a, D6: Qt reads an ``<img src=PATH>`` it renders)."""

from __future__ import annotations

import json

from flow_editor_helpers import run_to_end
from rich_text_probe import HOSTILE, assert_no_leaks, hostile_arff

from workbench.gui.flow_editor.files import templates


def _hostile_flow(tmp_path):
    path = next(p for p in templates() if p.name.startswith("roc-"))
    data = json.loads(path.read_text())
    data["title"] = HOSTILE + "flow"
    for node in data["nodes"]:
        node["title"] = HOSTILE + node["id"]
    by_id = {node["id"]: node for node in data["nodes"]}
    by_id["loader"]["parameters"]["file"] = str(hostile_arff(tmp_path))
    by_id["positive"]["parameters"]["class_value"] = HOSTILE + "yes"
    data["ui"]["notes"][0]["text"] = HOSTILE + "note"
    target = tmp_path / "hostile.kflow.json"
    target.write_text(json.dumps(data))
    return target


def test_hostile_titles_and_names_show_as_text_in_the_flow_editor(make_editor, qtbot,
                                                                   tmp_path):
    editor = make_editor()
    assert editor.open_file(_hostile_flow(tmp_path))
    # A viewer on the data, and a loader whose missing file's name is HTML: its error
    # reaches the node's tooltip, the log, the status bar and the error box.
    shown = editor.add_node("DataVisualizer", (0, 300))
    summary = editor.add_node("AttributeSummarizer", (200, 300))
    assert editor.connect_ports("class", "dataSet", shown, "dataSet")
    assert editor.connect_ports("class", "dataSet", summary, "dataSet")
    broken = editor.add_node("ArffLoader", (0, 450),
                             file=str(tmp_path / (HOSTILE + "missing.arff")))
    assert editor.rename_node(broken, HOSTILE + "broken")
    assert_no_leaks("opened")
    result = run_to_end(qtbot, editor)
    assert not result.ok   # the broken loader
    assert_no_leaks("run")
    box = editor.show_node_error(broken)
    assert_no_leaks("error box")
    box.close()
    for node in ("report", "roc", shown, summary):
        editor.open_viewer(node)
    menu = editor.node_menu("loader")
    assert_no_leaks("viewers")
    menu.close()


def test_the_write_consent_question_lists_a_flows_paths_as_text(qtbot, monkeypatch,
                                                                tmp_path):
    # The question shown before a stranger's flow writes outside its folder quotes the
    # flow's own paths: as HTML, the question itself would read the files they name.
    from PySide6.QtWidgets import QMessageBox

    from workbench.flow.writes import PlannedWrite
    from workbench.gui.flow_editor.write_consent import confirm_dialog

    seen = []

    def answer(box):
        seen.append(box.informativeText())
        box.show()
        assert_no_leaks("consent")
        box.hide()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    target = PlannedWrite("saver", HOSTILE + "saver", tmp_path / (HOSTILE + "out.arff"),
                          reason="outside the flow's folder")
    assert not confirm_dialog(None, [target])
    assert HOSTILE in seen[0]
