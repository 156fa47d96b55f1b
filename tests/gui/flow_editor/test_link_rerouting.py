"""Rerouting large flows without freezing the canvas: the channel search finds a
cheapest route, a ``Router`` that searches again only the links a change concerns gives
exactly what a full ``route_links`` gives, a quick reroute while a node is dragged keeps
every route off the boxes, and large flows keep the routing's properties."""

from __future__ import annotations

import heapq
import sys
from itertools import combinations, pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.gui.flow_editor import router as router_module
from workbench.gui.flow_editor.channel_search import BEND, Channels, search
from workbench.gui.flow_editor.router import Router
from workbench.gui.flow_editor.routing import MIN_END, Rect, crosses, route_links


# Layouts ---------------------------------------------------------------------------------
def _benchmark_layouts():
    """The layouts benchmarks/flow_routing.py times, so the tests route the same ones."""
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[3] / "benchmarks" / "flow_routing.py"
    sys.path.insert(0, str(script.parent))   # the benchmark imports its _common
    try:
        spec = importlib.util.spec_from_file_location("flow_routing_benchmark", script)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(script.parent))
    return module


_LAYOUTS = _benchmark_layouts()
_local_flow, _grid_flow, _ends = _LAYOUTS.tidy, _LAYOUTS.stress, _LAYOUTS.ends


def _moved(boxes, key, dx, dy):
    box = boxes[key]
    return {**boxes, key: Rect(box.left + dx, box.top + dy, box.right + dx, box.bottom + dy)}


def _keeps_off_the_boxes(boxes, links, routes):
    """No stretch runs through a box but the port stubs' own, each route leaves its
    output to the right and enters its input from the left with room for the arrow.

    Links between boxes left out of ``boxes`` (``_spaced``: nodes that overlap or nearly
    touch) are only checked for their ends: a node dropped 10 px beside its target gets
    a straight 10 px link from a full reroute too, shorter than the arrow's room, and
    the quick reroute gives the same (Hypothesis found it: the known "gaps under 22 px
    would need a loop" case)."""
    for link, route in zip(links, routes, strict=True):
        assert route[0] == link.start and route[-1] == link.end
        if link.source not in boxes or link.target not in boxes:
            continue
        assert route[1][1] == route[0][1] and route[1][0] > route[0][0], route
        assert route[-2][1] == route[-1][1] and route[-1][0] - route[-2][0] >= MIN_END
        for i, (a, b) in enumerate(pairwise(route)):
            assert a[0] == b[0] or a[1] == b[1], route
            for key, box in boxes.items():
                if key in (link.source, link.target) and i in (0, len(route) - 2):
                    continue
                assert not crosses(a, b, box), (link, key, route)


# The channel search -------------------------------------------------------------------
def _cost(points):
    cost, heading = 0.0, 0
    for p, q in pairwise(points):
        if p == q:
            continue
        step = 0 if q[0] > p[0] else 1 if q[0] < p[0] else 2 if q[1] > p[1] else 3
        cost += abs(q[0] - p[0]) + abs(q[1] - p[1]) + (BEND if step != heading else 0)
        heading = step
    return cost + (BEND if heading else 0)


def _plain_dijkstra(a, b, obstacles):
    """The cheapest cost by a plain Dijkstra over the same channel grid (the search
    the canvas used before), to hold the A* search to."""
    grid = Channels(a, b, obstacles)
    xs, ys, ny = grid.xs, grid.ys, len(grid.ys)
    best = {(grid.start, 0): 0.0}
    queue = [(0.0, grid.start, 0)]
    while queue:
        cost, cell, heading = heapq.heappop(queue)
        if cost > best.get((cell, heading), float("inf")):
            continue
        if cell == grid.goal:
            if heading == 0:
                return cost
            if heading != 1:
                heapq.heappush(queue, (cost + BEND, cell, 0))
            continue
        x, y = divmod(cell, ny)
        for nxt in grid._neighbours(cell):
            x2, y2 = divmod(nxt, ny)
            step = 0 if x2 > x else 1 if x2 < x else 2 if y2 > y else 3
            if step == heading ^ 1:
                continue
            total = (cost + abs(xs[x2] - xs[x]) + abs(ys[y2] - ys[y])
                     + (BEND if step != heading else 0))
            if total < best.get((nxt, step), float("inf")):
                best[(nxt, step)] = total
                heapq.heappush(queue, (total, nxt, step))
    return None


boxes_strategy = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 30),
                                    st.sampled_from((110, 150)), st.sampled_from((60, 90))),
                          max_size=14)


@settings(max_examples=150, deadline=None, database=None)
@given(boxes_strategy, st.tuples(st.integers(0, 800), st.integers(0, 600)),
       st.tuples(st.integers(0, 800), st.integers(0, 600)))
def test_the_search_finds_a_cheapest_route(placed, a, b):
    obstacles = [Rect(x * 20 - 6, y * 20 - 6, x * 20 + w + 6, y * 20 + h + 6)
                 for x, y, w, h in placed]
    a, b = (float(a[0]), float(a[1])), (float(b[0]), float(b[1]))
    obstacles = [r for r in obstacles if not (r.contains(a) or r.contains(b))]
    found = search(a, b, obstacles)
    expected = _plain_dijkstra(a, b, obstacles)
    assert (found is None) == (expected is None)
    if found is not None:
        assert _cost(found) == pytest.approx(expected)
        assert found[0] == a and found[-1] == b
        assert not any(crosses(p, q, r) for p, q in pairwise(found) if p != q
                       for r in obstacles)


def test_an_end_walled_in_by_piled_nodes_is_told_without_a_search():
    """Nodes dropped on each other can close an input's stub in: the route is drawn
    through them at once instead of after trying every channel of the canvas."""
    pocket = [Rect(0, 0, 100, 40), Rect(0, 60, 100, 100), Rect(-40, 0, 0, 100),
              Rect(100, 0, 140, 100)]
    assert Channels((400.0, 300.0), (50.0, 50.0), pocket).walled_in()
    assert not Channels((400.0, 300.0), (50.0, 120.0), pocket).walled_in()


# The router ---------------------------------------------------------------------------
steps_strategy = st.lists(st.tuples(st.integers(0, 39), st.integers(-6, 6),
                                    st.integers(-4, 4), st.booleans()),
                          min_size=1, max_size=6)


@settings(max_examples=15, deadline=None, database=None)
@given(st.integers(0, 10_000), st.sampled_from(("local", "grid")), steps_strategy)
def test_the_router_gives_what_a_full_reroute_gives(seed, kind, steps):
    """Whatever moves, quickly (a drag) or not, the router's routes are a full
    reroute's, and a quick one's keep off every box."""
    boxes, pairs = (_local_flow if kind == "local" else _grid_flow)(40, seed)
    router = Router()
    assert router.route(boxes, _ends(boxes, pairs)) == route_links(boxes, _ends(boxes, pairs))
    for key, dx, dy, quick in steps:
        boxes = _moved(boxes, key, 20 * dx, 20 * dy)
        links = _ends(boxes, pairs)
        routes = router.route(boxes, links, quick=quick)
        if quick:
            _keeps_off_the_boxes(_spaced(boxes), links, routes)
        else:
            assert router.settled
            assert routes == route_links(boxes, links)
    links = _ends(boxes, pairs)
    assert router.route(boxes, links) == route_links(boxes, links)


def _spaced(boxes):
    """The boxes a route can keep off: those that overlap or nearly touch another (a
    node dragged onto another) cannot all be kept off, so are left out of the check."""
    keys = list(boxes)
    close = set()
    for i, j in combinations(keys, 2):
        if boxes[i].grown(2 * 16).meets(boxes[j]):
            close.update((i, j))
    return {key: box for key, box in boxes.items() if key not in close}


def test_the_router_follows_links_added_and_removed():
    boxes, pairs = _local_flow(30, 3)
    router = Router()
    router.route(boxes, _ends(boxes, pairs))
    fewer = pairs[::2]
    assert router.route(boxes, _ends(boxes, fewer)) == route_links(boxes, _ends(boxes, fewer))
    smaller = {key: box for key, box in boxes.items() if key != 9}
    kept = [p for p in pairs if 9 not in p[:2]]
    assert router.route(smaller, _ends(smaller, kept)) == route_links(smaller,
                                                                      _ends(smaller, kept))


def test_a_drag_step_searches_only_the_links_it_concerns(monkeypatch):
    """Moving one node of an 80-node flow searches a handful of links again, not all
    of them; when the drag ends, the links it left alone are searched (only those)."""
    boxes, pairs = _grid_flow(80, 0)
    router = Router()
    router.route(boxes, _ends(boxes, pairs))
    calls = []
    real = router_module.routed
    monkeypatch.setattr(router_module, "routed",
                        lambda link, rects, **kw: calls.append(link) or real(link, rects, **kw))
    for step in range(1, 6):
        boxes = _moved(boxes, 43, 20, 10)
        router.route(boxes, _ends(boxes, pairs), quick=True)
        assert 0 < len(calls) <= 25, (step, len(calls))
        calls.clear()
    links = _ends(boxes, pairs)
    assert not router.settled
    assert router.route(boxes, links) == route_links(boxes, links)
    assert router.settled and 0 < len(calls) < len(links)


# Large flows --------------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(3))
def test_a_large_flow_keeps_its_routes_off_the_boxes(seed):
    boxes, pairs = _local_flow(80, seed)
    links = _ends(boxes, pairs)
    _keeps_off_the_boxes(boxes, links, route_links(boxes, links))
    stress, pairs = _grid_flow(80, seed)
    links = _ends(stress, pairs)
    _keeps_off_the_boxes(stress, links, route_links(stress, links))


def _middle_stretches(route):
    for i, (a, b) in enumerate(pairwise(route)):
        if 0 < i < len(route) - 2:
            if a[0] == b[0]:
                yield "v", a[0], min(a[1], b[1]), max(a[1], b[1])
            else:
                yield "h", a[1], min(a[0], b[0]), max(a[0], b[0])


@pytest.mark.parametrize("seed", range(4))
def test_a_large_flow_keeps_the_lanes_of_different_outputs_apart(seed):
    """In an 80-node flow the lanes between the ports (the stretches the routing may
    move) of links from different outputs never run on top of each other, as long as the
    gaps between the nodes have room for them (6 px apart)."""
    boxes, pairs = _local_flow(80, seed)
    links = _ends(boxes, pairs)
    routes = route_links(boxes, links)
    for i, j in combinations(range(len(links)), 2):
        if links[i].net == links[j].net or links[i].end == links[j].end:
            continue
        for kind, at, lo, hi in _middle_stretches(routes[i]):
            for kind2, at2, lo2, hi2 in _middle_stretches(routes[j]):
                shared = min(hi, hi2) - max(lo, lo2)
                assert not (kind == kind2 and abs(at - at2) < 3 and shared > 1), \
                    (links[i], links[j], routes[i], routes[j])


# On the canvas ---------------------------------------------------------------------------
def _counting_reroutes(monkeypatch, scene) -> list[bool]:
    """Record each reroute the scene runs (its ``quick`` flag): a moved node schedules
    one on a zero-delay timer, and a test waits for it to have run rather than for a
    fixed time."""
    ran: list[bool] = []
    real = scene.reroute

    def counting(quick: bool = False) -> None:
        real(quick=quick)
        ran.append(quick)

    monkeypatch.setattr(scene, "reroute", counting)
    return ran


def test_dragging_a_node_reroutes_few_links_and_settles_on_release(make_editor, qtbot,
                                                                    monkeypatch):
    """While a node of a 30-node flow follows the mouse, each step searches only the
    links it concerns, and no link runs through a node; on release every link has the
    route a freshly opened canvas gives it."""
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QUndoStack
    from PySide6.QtTest import QTest

    from workbench.gui.flow_editor.scene import FlowScene

    editor = make_editor()
    rows = 6
    ids = {}
    for column in range(5):
        for row in range(rows):
            kind = "ArffLoader" if column == 0 else "ClassAssigner"
            ids[column, row] = editor.add_node(kind, (column * 240, row * 140))
    for column in range(4):
        for row in range(rows):   # each node feeds the next column, two rows at a time
            source = ids[column, row - row % 2]
            assert editor.connect_ports(source, "dataSet", ids[column + 1, row], "dataSet")
    scene = editor.scene
    editor.resize(1200, 800)
    editor.show()
    qtbot.waitExposed(editor)
    editor.view.resetTransform()
    editor.view.centerOn(500, 400)
    calls = []
    real = router_module.routed
    monkeypatch.setattr(router_module, "routed",
                        lambda link, rects, **kw: calls.append(link) or real(link, rects, **kw))

    moving = ids[2, 2]
    viewport = editor.view.viewport()
    start = editor.view.mapFromScene(scene.nodes[moving].mapToScene(QPointF(40, 10)))
    reroutes = _counting_reroutes(monkeypatch, scene)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 7):
        before = len(reroutes)
        QTest.mouseMove(viewport, start + QPoint(13 * step, 21 * step))
        # the quick reroute runs when the event loop is next free
        qtbot.waitUntil(lambda before=before: len(reroutes) > before)
        assert reroutes[-1] is True, step   # a drag's reroute, searching few links
        assert len(calls) <= 8, (step, len(calls))
        calls.clear()
        shown = {node_id: item.mapRectToScene(item.body_rect())
                 for node_id, item in scene.nodes.items()}
        boxes = _spaced({node_id: Rect(box.left(), box.top(), box.right(), box.bottom())
                         for node_id, box in shown.items()})
        for link, item in scene.links.items():
            for i, (a, b) in enumerate(pairwise(item.route)):
                for node_id, box in boxes.items():
                    if node_id in (link.source, link.target) and i in (0, len(item.route) - 2):
                        continue
                    assert not crosses(a, b, box), (str(link), node_id)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton,
                       pos=start + QPoint(13 * 6, 21 * 6))
    assert editor.flow.node(moving).position != (480.0, 280.0)
    assert scene.routes_settled
    fresh = FlowScene(editor.flow, QUndoStack())
    try:
        assert {link: item.route for link, item in scene.links.items()} == \
            {link: item.route for link, item in fresh.links.items()}
    finally:
        fresh.detach()


def test_a_right_click_on_a_node_starts_no_drag(qtbot, make_editor, monkeypatch):
    """A right-click's release goes to the node's menu: had the press begun a drag, it
    would never end, and every later reroute (undo, a move by command) would stay quick,
    leaving links that a move concerns only loosely on their old routes."""
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtTest import QTest

    editor = make_editor()
    ids = {}
    for column in range(4):
        for row in range(4):
            kind = "ArffLoader" if column == 0 else "ClassAssigner"
            ids[column, row] = editor.add_node(kind, (column * 240, row * 140))
    for column in range(3):
        for row in range(4):
            assert editor.connect_ports(ids[column, row - row % 2], "dataSet",
                                        ids[column + 1, row], "dataSet")
    scene = editor.scene
    editor.resize(1100, 700)
    editor.show()
    qtbot.waitExposed(editor)
    moving = ids[1, 1]
    scene.nodes[moving].setSelected(True)
    viewport = editor.view.viewport()
    at = editor.view.mapFromScene(scene.nodes[moving].mapToScene(QPointF(40, 10)))
    reroutes = _counting_reroutes(monkeypatch, scene)
    QTest.mousePress(viewport, Qt.MouseButton.RightButton, pos=at)
    for step in range(1, 16):              # moves by command after the menu closed
        before = len(reroutes)
        scene.nodes[moving].setPos(240 + 37 * step, 140 + 23 * (step % 5))
        # the reroute runs when the loop is next free: wait for it, then check it
        qtbot.waitUntil(lambda before=before: len(reroutes) > before)
        assert reroutes[-1] is False, step   # a full reroute, not a drag's quick one
        assert scene.routes_settled, step
