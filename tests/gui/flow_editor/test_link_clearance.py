"""Links keep clear of other nodes' inputs and of each other (walk 6, item 2): a link
that ran down just in front of two classifiers' inputs, through their arrow heads, looked
as if it fed them, and six links 3-4 px apart in the gap beside a fold maker could not
be followed by eye. Pure geometry (``routing.py``), on the walk's flow after its drag and
on random layouts."""

from __future__ import annotations

import random
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.gui.flow_editor.items import ARROW_LENGTH as DRAWN_ARROW
from workbench.gui.flow_editor.router import Router
from workbench.gui.flow_editor.routing import (
    CLEAR,
    MIN_END,
    MIN_START,
    SPACING,
    STUB,
    LinkEnds,
    Rect,
    crosses,
    route_links,
)


def _ten(dt: tuple[float, float]):
    """``/tmp/walk6/ten.kflow.json`` as the canvas lays it out (boxes and port centres
    read off the scene), with DecisionTree dragged to ``dt`` (its top left corner)."""
    x, y = dt
    boxes = {"loader": Rect(0, 100, 126, 150), "class": Rect(190, 100, 350, 186),
             "cv": Rect(380, 100, 560, 177.59375), "ibk": Rect(600, 0, 770, 68),
             "nb": Rect(600, 140, 770, 208), "dt": Rect(x, y, x + 170, y + 68),
             "e1": Rect(820, 0, 960, 86), "e2": Rect(820, 140, 960, 226),
             "e3": Rect(820, 300, 960, 386), "tv": Rect(1040, 140, 1166, 190)}
    train, test = (560.0, 146.59375), (560.0, 164.59375)

    def inputs(key):   # a classifier's trainingSet and testSet
        return (boxes[key].left, boxes[key].top + 37), (boxes[key].left, boxes[key].top + 55)

    def out(key):      # a classifier's batchClassifier, an evaluator's text
        return boxes[key].right, boxes[key].top + 37

    links = [LinkEnds("loader", "class", (126, 137), (190, 137), ("loader", "dataSet")),
             LinkEnds("class", "cv", (350, 137), (380, 146.59375), ("class", "dataSet"))]
    for key in ("ibk", "nb", "dt"):
        to_train, to_test = inputs(key)
        links += [LinkEnds("cv", key, train, to_train, ("cv", "trainingSet")),
                  LinkEnds("cv", key, test, to_test, ("cv", "testSet"))]
    for key, evaluator in (("ibk", "e1"), ("nb", "e2"), ("dt", "e3")):
        links += [LinkEnds(key, evaluator, out(key), inputs(evaluator)[0], (key, "out")),
                  LinkEnds(evaluator, "tv", out(evaluator), (1040, 177), (evaluator, "text"))]
    return boxes, links


# Where the walk dropped DecisionTree (up left, above ClassAssigner), a few steps of
# that drag, and where the flow had it.
DRAGS = [(260, -60), (240, -20), (200, -100), (300, -40), (100, 300)]


def _input_zone(box: Rect) -> Rect:
    """In front of a node's inputs, where the stubs and arrow heads of its links are."""
    return Rect(box.left - STUB - ARROW_LENGTH_DRAWN, box.top, box.left, box.bottom)


ARROW_LENGTH_DRAWN = DRAWN_ARROW


def _through_input_zones(boxes, link, route):
    """The foreign nodes whose input zone a stretch of ``route`` runs through (its own
    target's zone is where it comes in)."""
    return [key for key, box in boxes.items() if key != link.target
            for a, b in pairwise(route) if a != b and crosses(a, b, _input_zone(box))]


@pytest.mark.parametrize("dt", DRAGS)
def test_no_link_runs_through_another_nodes_arrow_heads(dt):
    """The walk: DecisionTree.batchClassifier -> Eval DT dropped at x 593, 7 px in front
    of IBk and NaiveBayes, on their four arrow heads."""
    boxes, links = _ten(dt)
    for link, route in zip(links, route_links(boxes, links), strict=True):
        assert not _through_input_zones(boxes, link, route), (link, route)
        for i, (a, b) in enumerate(pairwise(route)):
            for key, box in boxes.items():
                if key in (link.source, link.target) and i in (0, len(route) - 2):
                    continue
                assert not crosses(a, b, box.grown(CLEAR)), (link, key, route)


def _side_by_side(links, routes, apart):
    """The pairs of links of different outputs (into different inputs) with parallel
    stretches nearer than ``apart`` that run side by side for more than a crossing."""
    runs = [(n, a[0] == b[0], a[0] if a[0] == b[0] else a[1],
             *sorted((a[1], b[1]) if a[0] == b[0] else (a[0], b[0])))
            for n, route in enumerate(routes) for a, b in pairwise(route) if a != b]
    return sorted({(n, m) for n, vertical, at, lo, hi in runs
                   for m, vertical2, at2, lo2, hi2 in runs
                   if n < m and vertical == vertical2 and abs(at - at2) < apart
                   and links[n].net != links[m].net and links[n].end != links[m].end
                   and min(hi, hi2) - max(lo, lo2) > 1.0})


@pytest.mark.parametrize("dt", DRAGS)
def test_links_of_different_outputs_run_a_spacing_apart(dt):
    """The gap between the fold maker and the classifiers holds its lanes about
    SPACING apart (the old routes: 1-4 px), or a link goes round."""
    boxes, links = _ten(dt)
    routes = route_links(boxes, links)
    pairs = _side_by_side(links, routes, SPACING - 1)
    assert not pairs, [(links[i], routes[i], links[j], routes[j]) for i, j in pairs]


def test_the_router_routes_the_drag_as_a_full_reroute_does():
    router = Router()
    for dt in [(100, 300), (160, 200), (200, 100), (240, 0), (260, -60)]:
        boxes, links = _ten(dt)
        assert router.route(boxes, links, quick=True) is not None
    assert router.route(boxes, links) == route_links(boxes, links)


def test_a_tight_gap_gets_a_straight_line_or_one_step_not_a_loop():
    """Nodes 20-30 px apart: a link between ports level with each other is a straight
    line, and one a few px off level a single step, where it used to loop back."""
    boxes = {"a": Rect(0, 0, 160, 86), "b": Rect(180, 0, 340, 86), "c": Rect(370, 0, 530, 86)}
    level = LinkEnds("a", "b", (160, 37), (180, 37), "a")
    step = LinkEnds("b", "c", (340, 37), (370, 46.5), "b")
    straight, stepped = route_links(boxes, [level, step])
    assert straight == [level.start, level.end]
    assert len(stepped) == 4
    assert stepped[1][0] - stepped[0][0] >= MIN_START
    assert stepped[-1][0] - stepped[-2][0] >= MIN_END


# Random layouts -------------------------------------------------------------------------
def _layout(seed: int, nodes: int):
    """Columns of nodes a random gap apart (some tight), each linked from one of its
    two outputs to a node a column on (now and then one back)."""
    rng = random.Random(seed)
    boxes, x = {}, 0.0
    per_column = 3
    for column in range(-(-nodes // per_column)):
        width = rng.choice((126.0, 160.0, 170.0))
        for row in range(per_column):
            key = column * per_column + row
            if key < nodes:
                y = row * 140 + rng.choice((0, 20, 40))
                boxes[key] = Rect(x, y, x + width, y + 68)
        x += width + rng.choice((40, 60, 100, 200))
    links = []
    for key in boxes:
        for _ in range(rng.choice((1, 2))):
            to = key + rng.choice((per_column, per_column + 1, per_column - 1, -per_column))
            if to in boxes and to != key:
                out_row, in_row = rng.randrange(2), rng.randrange(2)
                s, t = boxes[key], boxes[to]
                links.append(LinkEnds(key, to, (s.right, s.top + 37 + 18 * out_row),
                                      (t.left, t.top + 37 + 18 * in_row), (key, out_row)))
    return boxes, links


def _pressed(boxes, link, key):
    """Whether nodes stand so close that ``link`` cannot keep off node ``key``'s input
    zone: its shortest stubs would end in it."""
    zone = _input_zone(boxes[key]).grown(CLEAR)
    return any(zone.contains(p) for p in ((link.start[0] + MIN_START, link.start[1]),
                                          (link.end[0] - MIN_END, link.end[1])))


@settings(max_examples=40, deadline=None, database=None)
@given(st.integers(0, 10_000), st.integers(6, 15))
def test_random_layouts_keep_every_link_out_of_foreign_input_zones(seed, nodes):
    boxes, links = _layout(seed, nodes)
    for link, route in zip(links, route_links(boxes, links), strict=True):
        assert route[0] == link.start and route[-1] == link.end
        through = [key for key in _through_input_zones(boxes, link, route)
                   if not _pressed(boxes, link, key)]
        assert not through, (link, route, through)


def test_lanes_a_few_pixels_apart_are_moved_a_spacing_apart():
    """Two links whose uprights fall 3 px apart (not on top of each other, so the old
    lanes left them) run SPACING apart."""
    boxes = {"a": Rect(0, 0, 100, 60), "b": Rect(0, 100, 106, 160),
             "up": Rect(300, -100, 420, -40), "down": Rect(300, 200, 420, 260)}
    links = [LinkEnds("a", "down", (100, 37), (300, 237), "a"),
             LinkEnds("b", "up", (106, 137), (300, -63), "b")]
    routes = route_links(boxes, links)
    uprights = [route[1][0] for route in routes]
    assert all(len(route) == 4 for route in routes), routes
    assert abs(uprights[0] - uprights[1]) >= SPACING, routes
    assert not _side_by_side(links, routes, SPACING - 1)
