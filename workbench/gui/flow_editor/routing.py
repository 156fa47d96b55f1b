"""Where the canvas draws its links: orthogonal routes around the node boxes.

A pure function of the node rectangles and the port positions (no Qt), so it is tested
on its own and recomputed whenever a node moves, is added or changes size:

- a link leaves its output to the right and enters its input from the left, so the last
  stretch is horizontal and the arrow head drawn there points at the input it ends on;
- a link never crosses a node's box: the straight "Z" shape a tidy left-to-right flow
  needs is tried first, and only when a box is in its way is a shortest route with few
  bends searched on the channels beside the boxes (``channel_search.py``: the
  orthogonal routing of diagram editors such as yEd or libavoid, kept small), near the
  link's ends, so that a route depends only on the boxes near it;
- links from different outputs never run on top of each other: collinear stretches that
  overlap are moved a few pixels apart (``lanes.py``), so a lane cannot seem to end at
  another link's input (links from one output may share their trunk, as in WEKA and
  Orange: they carry the same data).

Everything is deterministic: the same layout always gives the same routes. The canvas
reroutes through ``router.Router``, which gives the same routes but searches again only
the links a change concerns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Hashable, Mapping, Sequence
from itertools import pairwise

from workbench.gui.flow_editor.channel_search import BEND, CHANNEL, CLEAR, Channels, Point
from workbench.gui.flow_editor.lanes import SPACING, crowded, separated
from workbench.gui.flow_editor.route_geometry import (
    INPUT_ZONE,
    MIN_END,
    MIN_START,
    STUB,
    LinkEnds,
    Rect,
    clear_of,
    crosses,
    kept_off,
    shortest_stub_ends,
    simplified,
    stub_ends,
    zoned,
)

__all__ = ["BEND", "CHANNEL", "CLEAR", "INPUT_ZONE", "MIN_END", "MIN_START", "SPACING", "STUB",
           "WINDOW", "LinkEnds", "Point", "Rect", "crosses", "route_links", "route_one",
           "routed", "separated", "simplified", "spread", "zoned"]

WINDOW = 160.0    # a route is first searched within this far of its ends' rectangle


def route_one(link: LinkEnds, boxes: Mapping[Hashable, Rect]) -> list[Point]:
    """The route of one link, ignoring the other links."""
    return routed(link, boxes)[0]


def routed(link: LinkEnds, boxes: Mapping[Hashable, Rect], grown: bool = False
           ) -> tuple[list[Point], Rect]:
    """The route of one link, ignoring the other links, and its reach: the route
    depends only on the node obstacles (``route_geometry.zoned``: boxes grown by
    ``CLEAR``, and on their input side by ``INPUT_ZONE``) that meet the reach, so it
    stays right as long as no box in reach moves (``router.py``).

    The straight "Z" is tried first; then the channel search, within ``WINDOW`` of the
    ends, then four times as far: a search over every box costs too much to repeat
    while a node is dragged, and a route that wanders further than that from its ends
    is no help to a reader. An end walled in by boxes piled on each other gets the
    plain shape, through whatever is in the way. ``grown``: the boxes come as obstacles
    (``zoned``) already (a router routing many links grows them once)."""
    start, end = link.start, link.end
    zones = boxes if grown else {key: zoned(r) for key, r in boxes.items()}
    # Out of foreign input zones; a box that holds a stub end (nodes pushed together)
    # cannot be kept off.
    obstacles = [r for key, zone in zones.items()
                 if (r := kept_off(link, key, zone)) is not None]
    a, b = stub_ends(link)
    # The "Z": one upright between the ends, which may stand nearer the ports than
    # the stubs' length where the nodes are close (a tight gap gets a plain step
    # instead of a loop), as long as the first and last stretches stay readable.
    low = a[0] if a[0] <= b[0] else start[0] + MIN_START
    high = b[0] if a[0] <= b[0] else end[0] - MIN_END
    ends = Rect(min(a[0], b[0], low), min(a[1], b[1]), max(a[0], b[0], high),
                max(a[1], b[1]))
    if start[1] == end[1] and start[0] < end[0] and clear_of([
            (start[0] + MIN_START, start[1]), (max(end[0] - MIN_END, start[0] + MIN_START),
                                               end[1])], obstacles):
        return [start, end], ends   # a straight line, however close the nodes
    if low <= high:   # the "Z" stays within the ends' rectangle
        near = [r for r in obstacles if r.meets(ends)]
        middle = (low + high) / 2
        columns = sorted({middle, low, high, *(x for r in near
                                                for x in (r.left - 1, r.right + 1)
                                                if low <= x <= high)},
                         key=lambda x: (abs(x - middle), x))
        for x in columns:
            points = [(min(a[0], x), a[1]), (x, a[1]), (x, b[1]), (max(b[0], x), b[1])]
            if clear_of(points, near):
                return simplified([start, *points, end]), ends
    found, reach = _searched(link, obstacles, ends)
    if found is not None:
        return found, reach
    lane = max(start[1], end[1]) + STUB
    return simplified([start, a, (a[0], lane), (b[0], lane), b, end]), reach


def _searched(link: LinkEnds, obstacles: Sequence[Rect], ends: Rect,
              runs: Sequence[tuple[bool, Rect]] = (), windows: Sequence[float] = (1, 4)
              ) -> tuple[list[Point] | None, Rect]:
    """The channel search's route of ``link`` off ``obstacles`` (its ``kept_off``
    rectangles), within ``WINDOW`` of ``ends`` and then four times as far (``windows``),
    or None (an end walled in, or no way round within reach), and the last reach
    searched.
    The stubs may be cut down to their shortest (``Channels``' ``stubs``)."""
    start, end = link.start, link.end
    a, b = stub_ends(link)
    first, last = shortest_stub_ends(link)
    reach = ends.grown(WINDOW)
    for reach in (ends.grown(times * WINDOW) for times in windows):
        channels = Channels(first, last, [r for r in obstacles if r.meets(reach)], reach,
                            [run for run in runs if run[1].meets(reach)], (a[0], b[0]))
        if not runs and channels.walled_in():
            break
        found = channels.cheapest()
        if found is not None:
            return simplified([start, *found, end]), reach
    return None, reach


def route_links(boxes: Mapping[Hashable, Rect], links: Sequence[LinkEnds]
                ) -> list[list[Point]]:
    """Each link's route, as the points of an orthogonal polyline from its output port
    to its input port, in the order of ``links``. (``router.Router`` gives the same
    routes, searching again after a change only the links it can concern.)"""
    return spread([route_one(link, boxes) for link in links], links, boxes)


def spread(routes: Sequence[list[Point]], links: Sequence[LinkEnds],
           boxes: Mapping[Hashable, Rect], frozen: Collection[int] = (),
           around: bool = True) -> list[list[Point]]:
    """The routes with their lanes apart (``lanes.separated``), and where a gap cannot
    hold its lanes ``SPACING`` apart, some links routed round through a wider channel
    (walk 6, item 2: six links 3-4 px apart in a 40 px gap could not be followed).

    Of two links too close (``lanes.crowded``) the one whose output feeds fewer links
    goes round (a lone link passing through rather than a fold maker's trunk), then the
    longer (it passes by rather than ends there); a ``frozen`` link (kept by the router
    while a node is dragged) never does. Its route is searched again off the stretches
    of the links it crowds, and the lanes are moved apart once more; each link goes
    round at most once, and at most ``AROUND`` links do, within ``WINDOW`` of its ends.
    Not ``around``: the lanes only (a drag step, which cannot afford the searches).
    Deterministic, so the router's routes stay exactly ``route_links``'s."""
    routes = [list(points) for points in routes]
    out = separated(routes, links, boxes, frozen)
    fed = Counter(link.net for link in links)
    zones: dict[Hashable, Rect] | None = None
    tried: set[int] = set(frozen)
    for _ in range(ROUNDS if around else 0):
        beside: dict[int, set[int]] = {}   # a link to go round: the links it crowds
        for pair in crowded(out, links):
            movable = [n for n in pair if n not in tried]
            if movable:
                n = min(movable, key=lambda n: (fed[links[n].net], -_length(out[n]), -n))
                beside.setdefault(n, set()).update(pair)
        if not beside:
            break
        zones = zones if zones is not None else {key: zoned(r) for key, r in boxes.items()}
        changed = False
        for n in sorted(beside)[:AROUND - len(tried - set(frozen))]:
            tried.add(n)
            runs = [(a[0] == b[0], _band(a, b)) for m in sorted(beside[n] - {n})
                    if links[m].net != links[n].net
                    for a, b in pairwise(out[m]) if a != b]
            found = _around(links[n], zones, runs)
            if found is not None and found != routes[n]:
                routes[n], changed = found, True
        if not changed:
            break
        out = separated(routes, links, boxes, frozen)
    return out


# A crowded link is searched again off the stretches of the links it crowds, in a
# few rounds, and a few links in all: in a flow whose long links cross everywhere,
# going round cannot clear every crowd and would stall the canvas trying.
ROUNDS = 2
AROUND = 8


def _around(link: LinkEnds, zones: Mapping[Hashable, Rect],
            runs: Sequence[tuple[bool, Rect]]) -> list[Point] | None:
    """``link``'s route off the boxes and off the other nets' ``runs``, or None."""
    obstacles = [r for key, zone in zones.items()
                 if (r := kept_off(link, key, zone)) is not None]
    a, b = stub_ends(link)
    ends = Rect(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))
    return _searched(link, obstacles, ends, runs, windows=(1,))[0]


def _band(a: Point, b: Point) -> Rect:
    """The band around stretch a-b that another net's route may cross but not run
    along: nearer than ``SPACING`` across it."""
    if a[0] == b[0]:
        return Rect(a[0] - SPACING, min(a[1], b[1]), a[0] + SPACING, max(a[1], b[1]))
    return Rect(min(a[0], b[0]), a[1] - SPACING, max(a[0], b[0]), a[1] + SPACING)


def _length(points: Sequence[Point]) -> float:
    return sum(abs(b[0] - a[0]) + abs(b[1] - a[1]) for a, b in pairwise(points))
