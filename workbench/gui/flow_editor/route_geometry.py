"""The shapes link routing works on: node boxes, a link's ends, straight stretches.

Shared by the route of one link (``routing.py``), the moving apart of lanes
(``lanes.py``) and the router that keeps routes between changes (``router.py``); Qt-free.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from workbench.gui.flow_editor.channel_search import Point

STUB = 16.0       # a link runs straight out of its output (and into its input) this far
MIN_END = 14.0    # the last stretch keeps room for the arrow head
MIN_START = 8.0


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
