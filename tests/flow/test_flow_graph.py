"""The graph model: typed connection checks, observers, stable ids, queries."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core.errors import ParameterError, WorkbenchError
from workbench.flow import (
    CycleError,
    DuplicateLinkError,
    Flow,
    IncompatiblePortsError,
    InputAlreadyConnectedError,
    UnknownNodeError,
    UnknownPortError,
)
from workbench.flow.state import NodeState, Status


def test_nodes_get_short_stable_ids_and_declared_defaults(registry):
    flow = Flow(registry)
    a = flow.add_node("ArffLoader")
    b = flow.add_node("ArffLoader")
    cv = flow.add_node("CrossValidationFoldMaker", params={"folds": 5})
    assert (a.id, b.id, cv.id) == ("arffloader1", "arffloader2", "crossvalidationfoldmaker1")
    assert cv.params == {"folds": 5, "seed": 1}
    flow.remove_node("arffloader1")
    assert flow.add_node("ArffLoader").id == "arffloader1"


def test_bad_parameters_are_refused_with_the_node_and_range(registry):
    flow = Flow(registry)
    with pytest.raises(ParameterError, match=r"folds.*whole number in \[2, 100000\]"):
        flow.add_node("CrossValidationFoldMaker", params={"folds": 1})
    node = flow.add_node("CrossValidationFoldMaker")
    with pytest.raises(ParameterError, match="has no parameter 'fold'"):
        flow.set_params(node.id, fold=3)
    flow.set_params(node.id, folds="7")  # text from a form or --set is parsed
    assert node.params["folds"] == 7


def test_incompatible_ports_are_refused_with_both_types(registry):
    flow = Flow(registry)
    flow.add_node("ArffLoader", node_id="load")
    flow.add_node("classifier:counting", node_id="clf")
    with pytest.raises(IncompatiblePortsError, match=r"dataSet.*trainingSet"):
        flow.connect("load", "dataSet", "clf", "trainingSet")


def test_single_input_accepts_one_link_and_duplicates_are_refused(registry):
    flow = Flow(registry)
    flow.add_node("ArffLoader", node_id="a")
    flow.add_node("ArffLoader", node_id="b")
    flow.add_node("ClassAssigner", node_id="c")
    flow.add_node("TextViewer", node_id="t")
    flow.connect("a", "dataSet", "c", "dataSet")
    with pytest.raises(InputAlreadyConnectedError, match="already has one"):
        flow.connect("b", "dataSet", "c", "dataSet")
    flow.add_node("classifier:counting", node_id="k1")
    flow.add_node("classifier:counting", node_id="k2")
    flow.connect("k1", "text", "t", "text")
    flow.connect("k2", "text", "t", "text")  # a multiple input takes several
    with pytest.raises(DuplicateLinkError):
        flow.connect("k1", "text", "t", "text")


def test_cycles_are_refused(registry):
    flow = Flow(registry)
    for name in ("f1", "f2", "f3"):
        flow.add_node("ClassAssigner", node_id=name)
    flow.connect("f1", "dataSet", "f2", "dataSet")
    flow.connect("f2", "dataSet", "f3", "dataSet")
    with pytest.raises(CycleError, match="cycle"):
        flow.connect("f3", "dataSet", "f1", "dataSet")
    with pytest.raises(CycleError):
        flow.connect("f1", "trainingSet", "f1", "trainingSet")
    assert flow.topological_order() == ["f1", "f2", "f3"]


def test_unknown_ports_and_nodes_name_what_exists(registry):
    flow = Flow(registry)
    flow.add_node("ArffLoader", node_id="load")
    flow.add_node("ClassAssigner", node_id="c")
    with pytest.raises(UnknownPortError, match="its outputs: dataSet"):
        flow.connect("load", "data", "c", "dataSet")
    with pytest.raises(UnknownNodeError, match="load, c"):
        flow.node("nope")


def test_compatible_ports_lists_only_what_may_connect_now(registry):
    flow = Flow(registry)
    flow.add_node("CrossValidationFoldMaker", node_id="cv")
    flow.add_node("classifier:counting", node_id="k")
    flow.add_node("ClassAssigner", node_id="c")
    flow.add_node("TextViewer", node_id="t")
    found = {(p.node_id, p.name) for p in flow.compatible_ports("cv", "trainingSet")}
    assert found == {("k", "trainingSet"), ("c", "trainingSet")}
    flow.connect("cv", "trainingSet", "k", "trainingSet")
    found = {(p.node_id, p.name) for p in flow.compatible_ports("cv", "trainingSet")}
    assert found == {("c", "trainingSet")}  # k's single input is taken now
    into_text = {(p.node_id, p.name) for p in flow.compatible_ports("t", "text", "in")}
    assert into_text == {("k", "text")}


def test_observers_hear_every_edit_in_order(registry):
    flow = Flow(registry)
    events = []
    unsubscribe = flow.subscribe(lambda e: events.append((e.kind, e.node_id)))
    flow.add_node("ArffLoader", node_id="a")
    flow.add_node("ClassAssigner", node_id="c")
    flow.connect("a", "dataSet", "c", "dataSet")
    flow.set_params("c", class_column="first")
    flow.move_node("c", (10, 20))
    flow.set_state("c", NodeState(Status.RUNNING, 0.5))
    flow.remove_node("a")
    unsubscribe()
    flow.remove_node("c")
    assert events == [("node_added", "a"), ("node_added", "c"), ("link_added", "c"),
                      ("params_changed", "c"), ("node_changed", "c"),
                      ("state_changed", "c"), ("link_removed", "c"),
                      ("state_changed", "c"),  # its result is stale now: idle again
                      ("node_removed", "a")]
    assert flow.links == []


def test_find_by_title_for_command_line_settings(registry):
    flow = Flow(registry)
    flow.add_node("classifier:counting", node_id="k1", title="Left")
    flow.add_node("classifier:counting", node_id="k2", title="Right")
    assert flow.find("right").id == "k2"
    assert flow.find("k1").title == "Left"
    flow.set_title("k2", "Left")
    with pytest.raises(WorkbenchError, match="2 nodes are titled"):
        flow.find("Left")


def test_generated_node_types_carry_the_components_declaration(app_registry):
    flow = Flow(app_registry)
    knn = flow.add_node("classifier:knn", params={"k": 3})
    by_alias = flow.add_node("IBk")  # a WEKA name finds the same node type
    info = app_registry.get("classifier", "knn")
    assert knn.node_type is by_alias.node_type
    assert [p.name for p in knn.node_type.params] == [p.name for p in info.params]
    assert knn.params["k"] == 3
    normalize = flow.add_node("filter:normalize")
    assert {p.name for p in normalize.inputs} == {"dataSet", "trainingSet", "testSet"}


def test_an_edit_marks_the_node_and_everything_downstream_idle(registry):
    flow = Flow(registry)
    for name in ("a", "b", "c"):
        flow.add_node("ClassAssigner", node_id=name)
    flow.connect("a", "dataSet", "b", "dataSet")
    flow.connect("b", "dataSet", "c", "dataSet")
    for name in ("a", "b", "c"):
        flow.set_state(name, NodeState(Status.DONE, 1.0))
    idle = []
    flow.subscribe(lambda e: idle.append(e.node_id)
                   if e.kind == "state_changed" and e.state.status is Status.IDLE else None)
    flow.set_params("b", class_column="first")
    assert sorted(idle) == ["b", "c"]
    assert flow.nodes["a"].state.status is Status.DONE


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=20),
       st.integers(0, 7), st.integers(0, 7))
def test_the_two_sided_cycle_search_agrees_with_a_plain_walk(edges, start, goal):
    """``_leads_to`` (searching from both ends) answers as a walk from the start does."""
    from workbench.flow.graph import Link, _leads_to, _reachable

    links_out: dict[str, list[Link]] = {}
    links_in: dict[str, list[Link]] = {}
    for a, b in set(edges):
        link = Link(f"n{a}", "out", f"n{b}", "in")
        links_out.setdefault(link.source, []).append(link)
        links_in.setdefault(link.target, []).append(link)
    walked = _reachable(f"n{start}",
                        lambda n: (lk.target for lk in links_out.get(n, ())))
    expected = start == goal or f"n{goal}" in walked
    assert (start == goal or _leads_to(f"n{start}", f"n{goal}", links_out, links_in)) \
        == expected
