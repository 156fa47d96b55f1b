"""A flow file cannot make a run pay per node for what it need measure once, nor hold
more nodes than any flow a person draws (walkthrough 13a, D7: 20 000 idle nodes kept
``workbench run`` busy 56 s, 200 000 over two minutes)."""

from __future__ import annotations

import json
import sys

import pytest
from flow_helpers import make_registry

from workbench.cli import main
from workbench.core import memory_ceiling
from workbench.flow import Executor, Flow, graph
from workbench.flow.fileformat import FlowFileError, flow_from_dict, flow_to_dict
from workbench.flow.graph import FlowError

linux_only = pytest.mark.skipif(sys.platform != "linux", reason="the ceiling is Linux's")


def _idle_flow(count):
    flow = Flow(make_registry())
    for i in range(count):
        flow.add_node("TextViewer", node_id=f"n{i}")
    return flow


@linux_only
def test_a_run_measures_free_memory_once_not_once_per_node(monkeypatch):
    measured = []
    real = memory_ceiling.available_memory
    monkeypatch.setattr(memory_ceiling, "available_memory",
                        lambda: measured.append(1) or real())
    result = Executor(cache=False).run(_idle_flow(40))
    assert result.ok
    assert len(measured) <= 2   # the run's reading (and swap's look at it), not 40+


@linux_only
def test_what_the_run_took_since_is_no_longer_free(monkeypatch):
    # Each node's budget is the run's reading less what this process has taken since.
    monkeypatch.setattr(memory_ceiling, "available_memory", lambda: 1000 * 2**20)
    monkeypatch.setattr(memory_ceiling, "swap_room", lambda: 0)
    monkeypatch.setattr(memory_ceiling, "default_headroom", lambda: 0)
    used = [500 * 2**20]
    monkeypatch.setattr(memory_ceiling, "data_in_use", lambda: used[0])
    with memory_ceiling.measured_once():
        with memory_ceiling.limited_memory() as first:
            pass
        used[0] += 300 * 2**20
        with memory_ceiling.limited_memory() as second:
            pass
    assert (first, second) == (1000 * 2**20, 700 * 2**20)


def test_a_flow_file_with_more_nodes_than_a_flow_may_hold_is_refused(monkeypatch,
                                                                    tmp_path, capsys):
    monkeypatch.setattr("workbench.flow.fileformat.MAX_NODES", 30)
    data = flow_to_dict(_idle_flow(31))
    with pytest.raises(FlowFileError, match=r"the flow has 31 nodes, more than a flow "
                                            r"file may hold.*at most 30 nodes"):
        flow_from_dict(data, make_registry(), tmp_path / "many.kflow.json")
    path = tmp_path / "many.kflow.json"
    path.write_text(json.dumps(data))
    assert main(["run", str(path)]) == 2
    err = capsys.readouterr().err
    assert "many.kflow.json" in err and "31 nodes" in err and "Traceback" not in err


def test_links_are_counted_too(monkeypatch, tmp_path):
    monkeypatch.setattr("workbench.flow.fileformat.MAX_LINKS", 3)
    data = flow_to_dict(_idle_flow(2))
    data["links"] = [{"from": {"node": "n0", "port": "text"},
                      "to": {"node": "n1", "port": "text"}}] * 4
    with pytest.raises(FlowFileError, match=r"4 links.*at most 3 links"):
        flow_from_dict(data, make_registry(), tmp_path / "f.kflow.json")


def test_a_flow_cannot_grow_past_what_a_file_may_hold(monkeypatch):
    # so that every flow saved reads back
    monkeypatch.setattr(graph, "MAX_NODES", 5)
    flow = _idle_flow(5)
    with pytest.raises(FlowError, match="at most 5 nodes"):
        flow.add_node("TextViewer")
