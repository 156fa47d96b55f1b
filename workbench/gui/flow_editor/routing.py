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

from collections.abc import Hashable, Iterable, Mapping, Sequence

from workbench.gui.flow_editor.channel_search import BEND, CHANNEL, CLEAR, Channels, Point
from workbench.gui.flow_editor.lanes import SPACING, separated
from workbench.gui.flow_editor.route_geometry import (
    MIN_END,
    MIN_START,
    STUB,
    LinkEnds,
    Rect,
    clear_of,
    crosses,
    simplified,
)

__all__ = ["BEND", "CHANNEL", "CLEAR", "MIN_END", "MIN_START", "SPACING", "STUB",
           "WINDOW", "LinkEnds", "Point", "Rect", "crosses", "route_links", "route_one",
           "routed", "separated", "simplified"]

WINDOW = 160.0    # a route is first searched within this far of its ends' rectangle


def route_one(link: LinkEnds, boxes: Mapping[Hashable, Rect]) -> list[Point]:
    """The route of one link, ignoring the other links."""
    return routed(link, boxes.values())[0]


def routed(link: LinkEnds, boxes: Iterable[Rect], grown: bool = False
           ) -> tuple[list[Point], Rect]:
    """The route of one link, ignoring the other links, and its reach: the route
    depends only on the boxes that meet the reach once grown by ``CLEAR``, so it stays
    right as long as no box in reach moves (``router.py``).

    The straight "Z" is tried first; then the channel search, within ``WINDOW`` of the
    ends, then four times as far: a search over every box costs too much to repeat
    while a node is dragged, and a route that wanders further than that from its ends
    is no help to a reader. An end walled in by boxes piled on each other gets the
    plain shape, through whatever is in the way. ``grown``: the boxes come grown by
    ``CLEAR`` already (a router routing many links grows them once)."""
    start, end = link.start, link.end
    a = (start[0] + STUB, start[1])
    b = (end[0] - STUB, end[1])
    # A box that holds a stub end (nodes pushed together) cannot be kept off.
    kept_off = boxes if grown else (r.grown(CLEAR) for r in boxes)
    obstacles = [r for r in kept_off if not (r.contains(a) or r.contains(b))]
    ends = Rect(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))
    if a[0] <= b[0]:   # the "Z" stays within the ends' rectangle
        near = [r for r in obstacles if r.meets(ends)]
        middle = (a[0] + b[0]) / 2
        columns = sorted({middle, a[0], b[0], *(x for r in near
                                                 for x in (r.left - 1, r.right + 1)
                                                 if a[0] <= x <= b[0])},
                         key=lambda x: (abs(x - middle), x))
        for x in columns:
            points = [a, (x, a[1]), (x, b[1]), b]
            if clear_of(points, near):
                return simplified([start, *points, end]), ends
    for reach in (ends.grown(WINDOW), ends.grown(4 * WINDOW)):
        channels = Channels(a, b, [r for r in obstacles if r.meets(reach)], reach)
        if channels.walled_in():
            break
        found = channels.cheapest()
        if found is not None:
            return simplified([start, *found, end]), reach
    lane = max(start[1], end[1]) + STUB
    return simplified([start, a, (a[0], lane), (b[0], lane), b, end]), reach


def route_links(boxes: Mapping[Hashable, Rect], links: Sequence[LinkEnds]
                ) -> list[list[Point]]:
    """Each link's route, as the points of an orthogonal polyline from its output port
    to its input port, in the order of ``links``. (``router.Router`` gives the same
    routes, searching again after a change only the links it can concern.)"""
    return separated([route_one(link, boxes) for link in links], links, boxes)
