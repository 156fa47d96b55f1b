"""Flow files: JSON round trips, stable ids, migration, placeholders for missing plugins,
atomic saves, and clear errors for bad files."""

from __future__ import annotations

import json
import warnings

import pytest
from flow_helpers import cv_flow, iris_path

from workbench.core.errors import WorkbenchWarning
from workbench.flow import (
    FORMAT,
    SCHEMA_VERSION,
    Executor,
    FlowFileError,
    Status,
    flow_to_dict,
    load_flow,
    save_flow,
)
from workbench.flow.fileformat import flow_from_dict


def test_save_and_load_keep_ids_parameters_links_and_ui(registry, tmp_path):
    flow = cv_flow(registry, {"k": {"type": "classifier:counting", "params": {"tag": 4}}})
    flow.move_node("k", (120, 40))
    flow.notes.add("hello", (1, 2))
    path = tmp_path / "a.kflow.json"
    save_flow(flow, path)
    data = json.loads(path.read_text())
    assert data["format"] == FORMAT and data["schema_version"] == SCHEMA_VERSION
    assert data["ui"]["positions"]["k"] == [120, 40]
    assert "position" not in data["nodes"][0]  # UI data kept apart
    again = load_flow(path, registry)
    assert list(again.nodes) == list(flow.nodes)
    assert again.nodes["k"].params == {"tag": 4}
    assert again.nodes["cv"].params == {"folds": 10, "seed": 1}
    assert again.links == flow.links
    assert again.nodes["k"].position == (120.0, 40.0)
    assert again.notes.to_list() == flow.notes.to_list() == [
        {"text": "hello", "position": [1.0, 2.0]}]
    assert flow_to_dict(again) == data  # saving again changes nothing


def test_relative_data_paths_resolve_against_the_flow_folder(registry, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "iris.arff").write_text(iris_path().read_text())
    flow = cv_flow(registry, {"k": {"type": "classifier:counting"}}, folds=3)
    flow.set_params("loader", file="data/iris.arff")
    save_flow(flow, tmp_path / "f.kflow.json")
    loaded = load_flow(tmp_path / "f.kflow.json", registry)
    assert Executor().run(loaded).ok


def test_unknown_node_type_loads_as_a_placeholder_saves_back_and_the_rest_runs(
        registry, tmp_path):
    flow = cv_flow(registry, {"k": {"type": "classifier:counting"}}, folds=3)
    data = flow_to_dict(flow)
    data["nodes"].append({"id": "boost", "type": "classifier:xgboost", "title": "XGBoost",
                          "parameters": {"rounds": 300, "eta": 0.1},
                          "plugin": "xgboost_plugin"})
    data["nodes"].append({"id": "eval_boost", "type": "ClassifierPerformanceEvaluator",
                          "title": "E", "parameters": {}})
    data["links"] += [
        {"from": {"node": "cv", "port": "trainingSet"},
         "to": {"node": "boost", "port": "trainingSet"}},
        {"from": {"node": "boost", "port": "batchClassifier"},
         "to": {"node": "eval_boost", "port": "batchClassifier"}}]
    path = tmp_path / "with-plugin.kflow.json"
    path.write_text(json.dumps(data))

    loaded = load_flow(path, registry)
    boost = loaded.nodes["boost"]
    assert boost.is_placeholder
    assert "needs plugin 'xgboost_plugin'" in boost.missing
    result = Executor().run(loaded)
    assert result.states["boost"].status is Status.ERROR
    assert "xgboost_plugin" in result.states["boost"].message
    assert result.states["eval_boost"].status is Status.BLOCKED
    assert result.states["eval_k"].status is Status.DONE

    save_flow(loaded, path)
    saved = json.loads(path.read_text())
    node = next(n for n in saved["nodes"] if n["id"] == "boost")
    assert node == {"id": "boost", "type": "classifier:xgboost", "title": "XGBoost",
                    "parameters": {"rounds": 300, "eta": 0.1}, "plugin": "xgboost_plugin"}
    assert {"from": {"node": "boost", "port": "batchClassifier"},
            "to": {"node": "eval_boost", "port": "batchClassifier"}} in saved["links"]


def test_version_1_files_are_migrated(registry):
    old = {"format": FORMAT, "schema_version": 1, "title": "old",
           "nodes": [{"id": "l", "type": "ArffLoader", "parameters": {"file": "x.arff"},
                      "position": [5, 6]},
                     {"id": "c", "type": "ClassAssigner", "parameters": {}}],
           "links": [{"source": "l", "source_port": "dataSet", "target": "c",
                      "target_port": "dataSet"}]}
    flow = flow_from_dict(old, registry)
    assert flow.nodes["l"].position == (5.0, 6.0)
    assert [(lk.source, lk.target) for lk in flow.links] == [("l", "c")]
    assert flow_to_dict(flow)["schema_version"] == SCHEMA_VERSION


@pytest.mark.parametrize(("text", "message"), [
    ('{"format": "workbench-flow", "schema_version": 2, "nodes": [}', r":1:\d+: .*JSON"),
    ('{"format": "something-else"}', "not a Workbench flow"),
    ('{"format": "workbench-flow", "schema_version": 99, "nodes": []}', "newer Workbench"),
    ('{"format": "workbench-flow", "schema_version": 2, "nodes": [{"id": "a", '
     '"type": "CrossValidationFoldMaker", "parameters": {"folds": 0}}]}',
     "node 'a'.*folds"),
    ('{"format": "workbench-flow", "schema_version": 2, "nodes": [{"id": "a", '
     '"type": "ArffLoader"}, {"id": "b", "type": "classifier:counting"}], "links": ['
     '{"from": {"node": "a", "port": "dataSet"}, "to": {"node": "b", '
     '"port": "trainingSet"}}]}', "link 1: cannot connect"),
])
def test_bad_files_are_refused_naming_the_file_and_the_problem(registry, tmp_path, text,
                                                               message):
    path = tmp_path / "bad.kflow.json"
    path.write_text(text)
    with pytest.raises(FlowFileError, match=message) as caught:
        load_flow(path, registry)
    assert str(path) in str(caught.value)


def test_saving_is_atomic_and_leaves_no_temporary_files(registry, tmp_path):
    flow = cv_flow(registry, {"k": {"type": "classifier:counting"}})
    path = tmp_path / "f.kflow.json"
    path.write_text("previous")
    save_flow(flow, path)
    assert json.loads(path.read_text())["format"] == FORMAT
    assert [p.name for p in tmp_path.iterdir()] == ["f.kflow.json"]


def test_a_file_cannot_name_code_to_run(registry, tmp_path):
    """Node types are looked up in the registry by name; a module path is just unknown."""
    data = {"format": FORMAT, "schema_version": 2,
            "nodes": [{"id": "x", "type": "os:system", "parameters": {"command": "boom"}}]}
    flow = flow_from_dict(data, registry)
    assert flow.nodes["x"].is_placeholder
    assert Executor().run(flow).states["x"].status is Status.ERROR


def test_odd_ui_data_is_ignored_but_a_bad_position_is_named(registry):
    data = {"format": FORMAT, "schema_version": 2, "ui": "junk",
            "nodes": [{"id": "a", "type": "ArffLoader"}]}
    assert flow_from_dict(data, registry).nodes["a"].position == (0.0, 0.0)
    data["ui"] = {"positions": {"a": ["x", 1]}}
    with pytest.raises(FlowFileError, match="node 'a': its position"):
        flow_from_dict(data, registry)


def test_a_position_too_large_for_a_float_is_named_not_a_crash(registry):
    # JSON allows integers of any length; math.isfinite raises OverflowError on them,
    # and printing one of 5 000 digits raises ValueError.
    data = {"format": FORMAT, "schema_version": 2,
            "nodes": [{"id": "a", "type": "ArffLoader"}],
            "ui": {"positions": {"a": [10 ** 5000, 1]}}}
    with pytest.warns(WorkbenchWarning, match="node 'a': its position .an integer of "
                                              "about 5000 digits, 1. is off the canvas"):
        flow = flow_from_dict(data, registry)
    assert flow.nodes["a"].position == (0.0, 0.0)


def _template_with(registry, positions):
    """The learn-and-save-model template with some of its positions replaced."""
    from workbench.core.resources import resource_dir

    data = json.loads((resource_dir("flows") / "learn-and-save-model.kflow.json")
                      .read_text())
    data["ui"]["positions"].update(positions)
    return data


@pytest.mark.parametrize("far", [[1e9, 0], [1e300, -1e300], [0, -1_000_001]])
def test_a_position_off_the_canvas_is_named_and_placed_below_the_others(registry, far,
                                                                        tmp_path):
    # A node at 1e9 opened as an empty canvas with no message (walkthrough 10, item 6).
    data = _template_with(registry, {"loader": far})
    path = tmp_path / "far.kflow.json"
    path.write_text(json.dumps(data))
    with pytest.warns(WorkbenchWarning) as said:
        flow = load_flow(path, registry)
    text = str(said[0].message)
    assert text.startswith(f"{path}: node 'loader': its position [")
    assert "off the canvas (expected numbers from -1,000,000 to 1,000,000)" in text
    others = [n.position for n in flow.nodes.values() if n.id != "loader"]
    x, y = flow.nodes["loader"].position
    assert y > max(oy for _, oy in others) and x == min(ox for ox, _ in others)
    # Saved, it keeps the new place; read again, nothing is said.
    save_flow(flow, path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert load_flow(path, registry).nodes["loader"].position == (x, y)


def test_a_position_at_the_bound_is_kept(registry):
    data = _template_with(registry, {"loader": [-1_000_000, 1e6]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        flow = flow_from_dict(data, registry)
    assert flow.nodes["loader"].position == (-1e6, 1e6)


def test_nodes_placed_beside_one_at_the_edge_stay_on_the_canvas(registry, tmp_path):
    """Placed below a node at the bottom edge, a node landed past the bound, and every
    later open warned about the place the reader itself had given (review)."""
    data = _template_with(registry, {"loader": [1_000_000, 1_000_000]})
    data["nodes"] += [{"id": f"t{i}", "type": "TextViewer"} for i in range(30)]
    path = tmp_path / "edge.kflow.json"
    path.write_text(json.dumps(data))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        flow = load_flow(path, registry)
        positions = [n.position for n in flow.nodes.values()]
        assert all(abs(c) <= 1_000_000 for p in positions for c in p)
        assert len(set(positions)) == len(positions)
        save_flow(flow, path)
        load_flow(path, registry)    # nothing to say on the next open


def test_nodes_without_a_position_are_laid_out_not_piled_on_the_origin(registry):
    # 20 000 nodes without positions were stacked at (0, 0) over the loader.
    data = _template_with(registry, {})
    data["nodes"] += [{"id": f"t{i}", "type": "TextViewer"} for i in range(50)]
    flow = flow_from_dict(data, registry)
    placed = [n.position for n in flow.nodes.values()]
    assert len(set(placed)) == len(placed)
    template_bottom = max(y for _, y in placed[:6])
    assert all(y > template_bottom for _, y in placed[6:])
    assert max(y for _, y in placed[6:]) - template_bottom < 10 * 120  # a compact block


def test_a_flow_with_no_positions_is_laid_out_left_to_right_by_its_links(registry):
    data = _template_with(registry, {})
    del data["ui"]
    flow = flow_from_dict(data, registry)
    x = {n.id: n.position[0] for n in flow.nodes.values()}
    for link in flow.links:
        assert x[link.target] > x[link.source], link
    assert len({n.position for n in flow.nodes.values()}) == len(flow.nodes)
