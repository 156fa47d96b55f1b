"""Links a user can follow (walk 4, item 17): a link never runs through a node it does not
end at, links from different outputs never run on top of each other, and each ends with
an arrow at its input. The routes are a pure function of boxes and ports
(``routing.py``), checked here on a few layouts and on the canvas of the walk's flow."""

from __future__ import annotations

from itertools import combinations, pairwise

import numpy as np
import pytest

from workbench.gui.flow_editor.items import PORT_RADIUS
from workbench.gui.flow_editor.routing import (
    MIN_END,
    LinkEnds,
    Rect,
    crosses,
    route_links,
)


def _box(x: float, y: float, w: float = 120, h: float = 70) -> Rect:
    return Rect(x, y, x + w, y + h)


def _link(boxes, source, target, out_row=0, in_row=0, net=None) -> LinkEnds:
    s, t = boxes[source], boxes[target]
    return LinkEnds(source, target, (s.right, s.top + 35 + 18 * out_row),
                    (t.left, t.top + 35 + 18 * in_row), net or (source, out_row))


def _f13():
    """The walk's flow: a fold maker feeding three classifiers to its right and one up
    left of it, behind the loader chain."""
    boxes = {"loader": _box(0, 100), "assign": _box(190, 100), "pick": _box(380, 100),
             "cv": _box(570, 100), "ibk": _box(780, 0), "ibk2": _box(780, 150),
             "ibk3": _box(780, 300), "ibk4": _box(0, -100)}
    links = [_link(boxes, "loader", "assign"), _link(boxes, "assign", "pick"),
             _link(boxes, "pick", "cv")]
    for target in ("ibk", "ibk2", "ibk3", "ibk4"):
        links += [_link(boxes, "cv", target, 0, 0), _link(boxes, "cv", target, 1, 1)]
    return boxes, links


def _through_a_node():
    """A link along a row whose middle node it must go round, and one backwards past a
    node standing where the lane below would run."""
    boxes = {"a": _box(0, 0), "b": _box(200, 0), "c": _box(400, 0), "d": _box(200, 90)}
    return boxes, [_link(boxes, "a", "c"), _link(boxes, "c", "a", 1, 1)]


def _stacked():
    """Targets straight above, below and level with their source, pressed close."""
    boxes = {"s": _box(0, 0), "up": _box(0, -120), "down": _box(30, 100),
             "left": _box(-200, 0)}
    return boxes, [_link(boxes, "s", "up"), _link(boxes, "s", "down", 1),
                   _link(boxes, "s", "left", 0, 1)]


LAYOUTS = {"f13": _f13, "through a node": _through_a_node, "stacked": _stacked}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_link_keeps_off_every_box_but_its_own_ends(layout):
    boxes, links = LAYOUTS[layout]()
    for link, route in zip(links, route_links(boxes, links), strict=True):
        assert route[0] == link.start and route[-1] == link.end
        for a, b in pairwise(route):
            assert a[0] == b[0] or a[1] == b[1], route    # only straight stretches
        for i, (a, b) in enumerate(pairwise(route)):
            for key, box in boxes.items():
                if key in (link.source, link.target) and i in (0, len(route) - 2):
                    continue   # a port stub touches its own box's edge
                assert not crosses(a, b, box), (layout, link.source, link.target, key, route)
        # out of the output to the right, into the input from the left with room for
        # the arrow head
        assert route[1][1] == route[0][1] and route[1][0] > route[0][0]
        assert route[-2][1] == route[-1][1]
        assert route[-1][0] - route[-2][0] >= MIN_END


def _stretches(route):
    for a, b in pairwise(route):
        if a[0] == b[0]:
            yield "v", a[0], *sorted((a[1], b[1]))
        else:
            yield "h", a[1], *sorted((a[0], b[0]))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_links_from_different_outputs_never_share_a_stretch(layout):
    boxes, links = LAYOUTS[layout]()
    routes = route_links(boxes, links)
    for i, j in combinations(range(len(links)), 2):
        if links[i].net == links[j].net or links[i].end == links[j].end:
            continue   # one output's links share their trunk; one input, its last stretch
        for kind, at, lo, hi in _stretches(routes[i]):
            for kind2, at2, lo2, hi2 in _stretches(routes[j]):
                shared = min(hi, hi2) - max(lo, lo2)
                assert not (kind == kind2 and abs(at - at2) < 3 and shared > 1), \
                    (layout, links[i], links[j], routes[i], routes[j])


def test_routes_are_the_same_every_time_and_follow_a_moved_node():
    boxes, links = _through_a_node()
    first = route_links(boxes, links)
    assert route_links(dict(reversed(boxes.items())), links) == first
    straight = {"a": boxes["a"], "c": boxes["c"]}
    assert route_links(straight, links[:1])[0] == [links[0].start, links[0].end]
    assert first[0] != [links[0].start, links[0].end]   # b stands in the way


# On the canvas ---------------------------------------------------------------------------
def _samples(item, step=2.0):
    path = item.path()
    count = max(int(path.length() / step), 2)
    points = [path.pointAtPercent(path.percentAtLength(k * path.length() / count))
              for k in range(count + 1)]
    return np.array([(p.x(), p.y()) for p in points])


def test_the_walks_backward_link_reads_on_the_canvas(make_editor):
    """Walk 4, f13: a link from the fold maker back to an IBk placed up left ran along
    the lane of the top IBk's inputs and seemed to end there."""
    editor = make_editor()
    at = {"loader": (0, 100), "assign": (190, 100), "pick": (380, 100), "cv": (570, 100),
          "ibk": (780, 0), "ibk2": (780, 150), "ibk3": (780, 300), "ibk4": (0, -80)}
    types = {"loader": "ArffLoader", "assign": "ClassAssigner", "pick": "ClassValuePicker",
             "cv": "CrossValidationFoldMaker"}
    ids = {name: editor.add_node(types.get(name, "classifier:knn"), where)
           for name, where in at.items()}
    editor.connect_ports(ids["loader"], "dataSet", ids["assign"], "dataSet")
    editor.connect_ports(ids["assign"], "dataSet", ids["pick"], "dataSet")
    editor.connect_ports(ids["pick"], "dataSet", ids["cv"], "dataSet")
    for name in ("ibk", "ibk2", "ibk3", "ibk4"):
        for port in ("trainingSet", "testSet"):
            assert editor.connect_ports(ids["cv"], port, ids[name], port)
    scene = editor.scene
    bodies = {node_id: item.mapRectToScene(item.body_rect()).adjusted(2, 2, -2, -2)
              for node_id, item in scene.nodes.items()}
    sampled = {link: _samples(item) for link, item in scene.links.items()}
    for link, points in sampled.items():
        for node_id, body in bodies.items():
            if node_id in (link.source, link.target):
                continue
            inside = ((points[:, 0] > body.left()) & (points[:, 0] < body.right())
                      & (points[:, 1] > body.top()) & (points[:, 1] < body.bottom()))
            assert not inside.any(), (str(link), node_id)
        # the line stops at the input handle's rim, where the arrow head points in
        end = scene.links[link].target.scenePos()
        assert points[-1][1] == pytest.approx(end.y())
        assert end.x() - PORT_RADIUS - 2 <= points[-1][0] < end.x() - PORT_RADIUS
    # no two links from different outputs run together for more than a crossing
    links = list(sampled)
    for i, one in enumerate(links):
        for other in links[i + 1:]:
            if (one.source, one.source_port) == (other.source, other.source_port):
                continue
            a, b = sampled[one], sampled[other]
            near = (np.hypot(a[:, None, 0] - b[None, :, 0],
                             a[:, None, 1] - b[None, :, 1]) < 1.5).any(axis=1)
            run = longest = 0
            for flag in near:
                run = run + 1 if flag else 0
                longest = max(longest, run)
            assert longest * 2.0 <= 8.0, (str(one), str(other), longest)
