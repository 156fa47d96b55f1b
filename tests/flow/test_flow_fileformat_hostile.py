"""Flow files from a stranger: every malformed one ends in FlowFileError naming the file."""

from __future__ import annotations

import json
import os

import pytest

from workbench.flow import Flow, load_flow, save_flow
from workbench.flow.fileformat import FORMAT, FlowFileError


def _write(tmp_path, data, name="bad.kflow.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def _base(**changes):
    data = {"format": FORMAT, "schema_version": 2,
            "nodes": [{"id": "a", "type": "ArffLoader"}, {"id": "b", "type": "ClassAssigner"}],
            "links": [{"from": {"node": "a", "port": "dataSet"},
                       "to": {"node": "b", "port": "dataSet"}}]}
    data.update(changes)
    return data


@pytest.mark.parametrize("changes, message", [
    ({"links": 5}, '"links" must be a list'),
    ({"links": [5]}, "link 1 needs"),
    ({"links": [{"from": {"node": 5, "port": []}, "to": {}}]}, "link 1 needs"),
    ({"schema_version": True}, "schema_version must be a whole number"),
    ({"schema_version": 1.0}, "schema_version must be a whole number"),
    ({"schema_version": 1, "links": 5}, '"nodes" and "links" must be lists'),
    ({"schema_version": 1, "links": [{"source": "a"}]}, "version 1 link needs"),
    ({"title": ["x"]}, '"title" must be text'),
    ({"nodes": {"a": 1}}, '"nodes" must be a list'),
    ({"nodes": [{"id": "a", "type": "ArffLoader", "plugin": 5}]}, '"plugin" must be text'),
    ({"nodes": [{"id": "a", "type": "ArffLoader", "parameters": {"file": 5}}]}, "file"),
    ({"nodes": [{"id": "a\x00", "type": "ArffLoader"}]}, "node id"),
])
def test_wrong_json_types_are_named(registry, tmp_path, changes, message):
    path = _write(tmp_path, _base(**changes))
    with pytest.raises(FlowFileError, match=message) as caught:
        load_flow(path, registry)
    assert str(caught.value).startswith(str(path))


def test_deep_nesting_huge_numbers_and_nan_are_refused_with_a_place(registry, tmp_path):
    deep = _write(tmp_path, '{"format": "workbench-flow", "ui": ' + "[" * 5000 + "]" * 5000
                  + "}")
    with pytest.raises(FlowFileError, match=r"bad\.kflow\.json:1:\d+: .*nested more than"):
        load_flow(deep, registry)
    huge = _write(tmp_path, '{"format": "workbench-flow", "schema_version": ' + "9" * 5000
                  + "}")
    with pytest.raises(FlowFileError, match=r"bad\.kflow\.json"):
        load_flow(huge, registry)
    nan = _write(tmp_path, '{"format": "workbench-flow", "schema_version": NaN}')
    with pytest.raises(FlowFileError, match="NaN"):
        load_flow(nan, registry)


def test_bytes_that_are_not_utf8_name_their_line(registry, tmp_path):
    path = tmp_path / "latin.kflow.json"
    path.write_bytes(b'{"format": "workbench-flow",\n "title": "caf\xe9"}')
    with pytest.raises(FlowFileError, match=r"latin\.kflow\.json:2: byte 0xe9 is not UTF-8"):
        load_flow(path, registry)


def test_a_nul_in_the_path_a_fifo_and_a_folder_are_refused(registry, tmp_path):
    with pytest.raises(FlowFileError, match="NUL"):
        load_flow(str(tmp_path / "a\x00b.kflow.json"), registry)
    fifo = tmp_path / "pipe.kflow.json"
    os.mkfifo(fifo)
    with pytest.raises(FlowFileError, match="not a regular file"):
        load_flow(fifo, registry)  # would block forever if it were opened
    with pytest.raises(FlowFileError, match="folder"):
        load_flow(tmp_path, registry)


@pytest.mark.parametrize("top_down", [True, False], ids=["top-down", "bottom-up"])
def test_a_flow_of_the_most_nodes_loads_and_runs_in_order(registry, tmp_path, top_down):
    """Loading was quadratic in the links (20 000 nodes took over a minute), and so was
    building: every new link went over every node to mark the ones below it stale, and
    its cycle check searched everything below it (a chain linked bottom-up: 8 000 nodes
    took 51 s). A flow now holds at most ``MAX_NODES`` (5 000): a chain of that many."""
    from workbench.flow.graph import MAX_NODES

    flow = Flow(registry)
    flow.add_node("ArffLoader", node_id="n0")
    count = MAX_NODES
    for k in range(1, count):
        flow.add_node("ClassAssigner", node_id=f"n{k}")
    for k in (range(1, count) if top_down else range(count - 1, 0, -1)):
        flow.connect(f"n{k - 1}" if k > 1 else "n0", "dataSet", f"n{k}", "dataSet")
    path = tmp_path / "big.kflow.json"
    save_flow(flow, path)
    loaded = load_flow(path, registry)
    assert len(loaded) == count and len(loaded.links) == count - 1
    assert loaded.topological_order() == [f"n{k}" for k in range(count)]
    loaded.remove_node("n5")
    assert len(loaded.links) == count - 3


def test_a_nul_in_a_loader_file_fails_that_node_with_a_message(registry, tmp_path):
    from workbench.flow import Executor, Status

    flow = Flow(registry)
    flow.add_node("ArffLoader", node_id="a", params={"file": "iris\x00.arff"})
    state = Executor(cache=False).run(flow).states["a"]
    assert state.status is Status.ERROR and "NUL" in state.message
