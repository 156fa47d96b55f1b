"""The shapes link routing works on: node boxes, a link's ends, straight stretches, and
the room each node keeps free around its box.

A node's obstacle is its box grown by ``CLEAR`` on three sides and by ``INPUT_ZONE`` on
its input side (the left): that is where the stubs and arrow heads of the links into it
are drawn, and a foreign link running there looks as if it fed those inputs (walk 6,
item 2). A link's own target keeps only ``CLEAR`` on that side, so the link can still
come in; and where nodes stand so close that a link's stub end lies inside a node's
input zone (or box), that node is kept off as far as it can be (``kept_off``).

Shared by the route of one link (``routing.py``), the moving apart of lanes
(``lanes.py``) and the router that keeps routes between changes (``router.py``); Qt-free.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from workbench.gui.flow_editor.channel_search import CLEAR, Point

STUB = 16.0       # a link runs straight out of its output (and into its input) this far
MIN_END = 14.0    # the last stretch keeps room for the arrow head
MIN_START = 8.0
ARROW_LENGTH = 9.0   # the arrow head drawn at an input (``items.LinkItem``)
# In front of a node's inputs, no foreign link: their stubs run STUB out and a foreign
# stretch must stand an arrow's length further off to read as apart from them.
INPUT_ZONE = STUB + ARROW_LENGTH


@dataclass(frozen=True)
class Rect:
    """A node's box in scene coordinates."""

    left: float
    top: float
    right: float
    bottom: float

    def grown(self, by: float) -> Rect:
        return Rect(self.left - by, self.top - by, self.right + by, self.bottom + by)

    def contains(self, point: Point) -> bool:
        return self.left < point[0] < self.right and self.top < point[1] < self.bottom

    def meets(self, other: Rect) -> bool:
        """Whether the two rectangles share a point, edges included."""
        return (self.left <= other.right and other.left <= self.right
                and self.top <= other.bottom and other.top <= self.bottom)


def zoned(box: Rect) -> Rect:
    """The obstacle of a node whose box is ``box``: grown by ``CLEAR``, and by
    ``INPUT_ZONE`` on its input side."""
    return Rect(box.left - INPUT_ZONE, box.top - CLEAR, box.right + CLEAR,
                box.bottom + CLEAR)


def narrowed(zone: Rect) -> Rect:
    """The obstacle ``zone`` (``zoned``) without its input zone: the box grown by
    ``CLEAR`` all round."""
    return Rect(zone.left + INPUT_ZONE - CLEAR, zone.top, zone.right, zone.bottom)


@dataclass(frozen=True)
class LinkEnds:
    """One link to route: its end nodes (keys of the rectangles), the centres of its
    output and input ports, and its net: links of one net (one output port) may share
    stretches, links of different nets are kept apart."""

    source: Hashable
    target: Hashable
    start: Point
    end: Point
    net: Hashable


def stub_ends(link: LinkEnds) -> tuple[Point, Point]:
    """Where ``link``'s straight runs out of its output and into its input end."""
    return (link.start[0] + STUB, link.start[1]), (link.end[0] - STUB, link.end[1])


def shortest_stub_ends(link: LinkEnds) -> tuple[Point, Point]:
    """Where ``link``'s runs out of its output and into its input end at the shortest
    that still reads (``MIN_START``, ``MIN_END``)."""
    return (link.start[0] + MIN_START, link.start[1]), (link.end[0] - MIN_END, link.end[1])


def kept_off(link: LinkEnds, key: Hashable, zone: Rect) -> Rect | None:
    """What of node ``key``'s obstacle ``zone`` (``zoned``) the stretches of ``link``
    keep out of: all of it; its box grown by ``CLEAR`` only, when ``key`` is the link's
    target (the link comes in through the zone) or the zone holds the shortest stub
    ends (nodes pushed together); nothing (None) when even that holds them."""
    a, b = shortest_stub_ends(link)
    if key == link.target or zone.contains(a) or zone.contains(b):
        zone = narrowed(zone)
        if zone.contains(a) or zone.contains(b):
            return None
    return zone


def crosses(a: Point, b: Point, rect: Rect) -> bool:
    """Whether the horizontal or vertical segment a-b runs through ``rect``'s inside."""
    if a[1] == b[1]:
        lo, hi = (a[0], b[0]) if a[0] < b[0] else (b[0], a[0])
        return rect.top < a[1] < rect.bottom and lo < rect.right and hi > rect.left
    lo, hi = (a[1], b[1]) if a[1] < b[1] else (b[1], a[1])
    return rect.left < a[0] < rect.right and lo < rect.bottom and hi > rect.top


def clear_of(points: Sequence[Point], obstacles: Sequence[Rect]) -> bool:
    return not any(crosses(a, b, r) for a, b in pairwise(points)
                   for r in obstacles if a != b)


def simplified(points: Sequence[Point]) -> list[Point]:
    """The polyline without repeated points or points in the middle of a straight run."""
    out: list[Point] = []
    for point in points:
        if out and out[-1] == point:
            continue
        if len(out) >= 2 and ((out[-2][0] == out[-1][0] == point[0])
                              or (out[-2][1] == out[-1][1] == point[1])):
            out[-1] = point
            continue
        out.append(point)
    return out
