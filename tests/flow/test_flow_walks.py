"""Flow.upstream / Flow.downstream: the one graph walk that runs, staleness, cycle checks
and the flow editor's live viewers all use."""

from __future__ import annotations

from workbench.flow import Flow
from workbench.flow.state import IDLE, NodeState, Status


def _diamond(registry) -> Flow:
    """a -> b and a -> c (data), k -> d (text); e stands apart."""
    flow = Flow(registry)
    flow.add_node("ArffLoader", node_id="a")
    flow.add_node("ClassAssigner", node_id="b")
    flow.add_node("ClassAssigner", node_id="c")
    flow.add_node("TextViewer", node_id="d")
    flow.add_node("ArffLoader", node_id="e")
    flow.connect("a", "dataSet", "b", "dataSet")
    flow.connect("a", "dataSet", "c", "dataSet")
    flow.add_node("classifier:counting", node_id="k")
    flow.connect("k", "text", "d", "text")
    return flow


def test_upstream_and_downstream_follow_links_through_joins(registry):
    flow = _diamond(registry)
    assert flow.upstream("b") == {"a"}
    assert flow.upstream("a") == set()
    assert flow.downstream("a") == {"b", "c"}
    assert flow.downstream("k") == {"d"} and flow.upstream("d") == {"k"}
    assert flow.upstream("e") == flow.downstream("e") == set()


def test_an_edit_makes_the_node_and_only_what_is_downstream_idle(registry):
    flow = _diamond(registry)
    done = NodeState(Status.DONE, "ok")
    for node in flow:
        flow.set_state(node.id, done)
    flow.set_title("b", "renamed")  # not an edit of what it computes
    flow.set_params("a", file="other.arff")
    states = {node.id: node.state for node in flow}
    assert states["a"] == states["b"] == states["c"] == IDLE
    assert states["d"] == states["e"] == states["k"] == done
