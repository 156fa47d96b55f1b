"""Notes are part of the flow model: edited through it, observed, saved and restored in
their order; removed nodes and links come back where they were in the file's order."""

from __future__ import annotations

import json

import pytest
from flow_helpers import cv_flow

from workbench.flow import Flow, flow_from_dict, flow_to_dict
from workbench.flow.notes import UnknownNoteError


def test_note_edits_go_through_the_model_and_tell_observers(registry):
    flow = Flow(registry)
    events = []
    flow.subscribe(lambda e: events.append((e.kind, e.note_id)))
    first = flow.notes.add("set the class first", (10, 20))
    second = flow.notes.add("k = 3 works best", (0, 300), width=180)
    flow.notes.change(first.id, text="set the class", position=(15, 25))
    flow.notes.remove(second.id)
    assert events == [("note_added", first.id), ("note_added", second.id),
                      ("note_changed", first.id), ("note_removed", second.id)]
    assert [(n.text, n.position) for n in flow.notes] == [("set the class", (15.0, 25.0))]
    with pytest.raises(UnknownNoteError, match=second.id):
        flow.notes.change(second.id, text="gone")


def test_a_note_added_back_at_its_index_keeps_the_drawing_order(registry):
    flow = Flow(registry)
    ids = [flow.notes.add(text).id for text in ("a", "b", "c")]
    index = flow.notes.index(ids[1])
    flow.notes.remove(ids[1])
    flow.notes.add("b", note_id=ids[1], index=index)
    assert [n.text for n in flow.notes] == ["a", "b", "c"]
    assert [n.id for n in flow.notes] == ids


def test_notes_survive_the_file_with_unknown_keys_and_odd_fields(registry):
    data = flow_to_dict(Flow(registry))
    data["ui"]["notes"] = [
        {"text": "kept", "position": [1, 2], "width": 100, "colour": "yellow"},
        {"text": "bad position", "position": ["x", 2]},
        "not an object",
        {"text": "bad width", "width": -5},
    ]
    flow = flow_from_dict(json.loads(json.dumps(data)), registry)
    assert [(n.text, n.position, n.width) for n in flow.notes] == [
        ("kept", (1.0, 2.0), 100.0), ("bad position", (0.0, 0.0), 260.0),
        ("bad width", (0.0, 0.0), 260.0)]
    assert flow_to_dict(flow)["ui"]["notes"][0] == {
        "colour": "yellow", "text": "kept", "position": [1.0, 2.0], "width": 100.0}


@pytest.mark.parametrize("victim", ["cv", "eval_k"])
def test_a_node_and_its_links_restored_at_their_index_keep_the_file_order(registry, victim):
    # cv: linked both ways, several links out; eval_k: its link into the TextViewer
    # comes before eval_j's, which stays.
    flow = cv_flow(registry, {"k": {"type": "classifier:counting", "params": {}},
                              "j": {"type": "classifier:counting", "params": {}}})
    nodes, links = list(flow.nodes), list(flow.links)
    ends = {n: (flow.links_into(n), flow.links_from(n)) for n in nodes}
    before = flow_to_dict(flow)
    gone = [(links.index(lk), lk) for lk in flow.links
            if victim in (lk.source, lk.target)]
    record = flow.nodes[victim]
    flow.remove_node(victim)
    flow.add_node(record.type_name, params=record.params, node_id=victim,
                  title=record.title, position=record.position, index=nodes.index(victim))
    for index, link in sorted(gone, key=lambda pair: pair[0]):
        flow.connect(link.source, link.source_port, link.target, link.target_port,
                     index=index)
    assert list(flow.nodes) == nodes and flow.links == links
    assert {n: (flow.links_into(n), flow.links_from(n)) for n in nodes} == ends
    assert flow_to_dict(flow) == before


def test_a_number_too_large_for_a_float_is_an_odd_field_not_a_crash(registry):
    # JSON allows integers of any length; math.isfinite raises OverflowError on them.
    data = flow_to_dict(Flow(registry))
    data["ui"]["notes"] = [{"text": "far", "position": [10 ** 400, 1], "width": 10 ** 400}]
    flow = flow_from_dict(json.loads(json.dumps(data)), registry)
    assert [(n.text, n.position, n.width) for n in flow.notes] == [("far", (0.0, 0.0), 260.0)]


def test_a_huge_note_in_a_file_is_cut_with_a_visible_marker(registry):
    from workbench.flow.notes import MAX_NOTE_CHARACTERS

    data = flow_to_dict(Flow(registry))
    data["ui"]["notes"] = [{"text": "x" * 1_000_000}, {"text": "short"}]
    flow = flow_from_dict(json.loads(json.dumps(data)), registry)
    cut, short = (n.text for n in flow.notes)
    assert len(cut) <= MAX_NOTE_CHARACTERS and cut.startswith("x" * 1000)
    kept = cut.index("…")
    assert cut.endswith(f"… (cut: {1_000_000 - kept} characters)")
    assert short == "short"
    # Saved and read again, the cut note stays as it is.
    again = flow_from_dict(json.loads(json.dumps(flow_to_dict(flow))), registry)
    assert [n.text for n in again.notes] == [cut, "short"]
    flow.notes.change(next(iter(flow.notes)).id, text="y" * (MAX_NOTE_CHARACTERS + 1))
    assert len(next(iter(flow.notes)).text) <= MAX_NOTE_CHARACTERS
