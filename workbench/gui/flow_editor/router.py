"""Routing a flow's links again after a change, searching again only where it matters.

The scene reroutes whenever a node moves, once per event-loop turn while one is
dragged, so a full ``route_links`` (a channel search per link) would stall the window of
a large flow on every mouse move. Each link's route around the boxes depends only on the
boxes within its reach (``routing.routed``), so a ``Router`` keeps the last route of
every link with its reach and searches again only the links that are new, whose ends
moved, or whose reach a changed box (where it was or where it is) meets. Lanes of
different outputs are then moved apart over all links, as ``route_links`` does: the
result is exactly what ``route_links`` gives for the same boxes and links.

While a node is being dragged even that can be too much (in a large flow most long
links have it within reach), so a ``quick`` call searches again only the links that
must change: those whose ends moved, whose route now runs into a moved box, or that ran
close by where a moved box was (they went around it). The other links keep their
routes, which stay clear of every box, until the next call that is not quick (the scene
makes one when the drag ends), which makes everything exact again. A quick call also
leaves routing a crowded link round a narrow gap (``routing.spread``) to that call.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from itertools import pairwise

from workbench.gui.flow_editor.route_geometry import kept_off
from workbench.gui.flow_editor.routing import (
    CHANNEL,
    CLEAR,
    SPACING,
    LinkEnds,
    Point,
    Rect,
    crosses,
    routed,
    spread,
    zoned,
)

# A route that came this near a moved box's old place went around it: searched again.
NEAR = CHANNEL + 2 * SPACING

_Found = tuple[list[Point], Rect]


class Router:
    """Routes a flow's links, remembering each route with the reach it depends on."""

    def __init__(self) -> None:
        self._boxes: dict[Hashable, Rect] = {}
        self._found: dict[LinkEnds, _Found] = {}
        self._stale: set[LinkEnds] = set()   # kept by a quick call though concerned
        self._shown: dict[LinkEnds, list[Point]] = {}   # as last returned
        self.searched = 0   # links the last call searched again (the rest were kept)

    @property
    def settled(self) -> bool:
        """Whether the last routes are exactly ``route_links``'s (no quick call has
        kept a route that a change concerns)."""
        return not self._stale

    def route(self, boxes: Mapping[Hashable, Rect], links: Sequence[LinkEnds],
              quick: bool = False) -> list[list[Point]]:
        """Each link's route: as ``routing.route_links(boxes, links)`` gives it, or,
        ``quick``, with the links a change concerns but does not force kept as they
        were (still clear of every box)."""
        changed = [(key, old, new) for key in self._boxes.keys() | boxes.keys()
                   if (old := self._boxes.get(key)) != (new := boxes.get(key))]
        moved = [zoned(rect) for _, old, new in changed
                 for rect in (old, new) if rect is not None]
        zones = {key: zoned(box) for key, box in boxes.items()}
        found: dict[LinkEnds, _Found] = {}
        stale: set[LinkEnds] = set()
        searched: set[LinkEnds] = set()
        for link in links:
            if link in found:
                continue
            known = self._found.get(link)
            concerned = known is None or link in self._stale or _concerned(known[1], moved)
            if (quick and known is not None and concerned
                    and not _forced(link, self._shown.get(link, known[0]), changed)):
                stale.add(link)
            elif concerned:
                known = routed(link, zones, grown=True)
                searched.add(link)
            assert known is not None
            found[link] = known
        self.searched = len(searched)
        if quick:
            # The links not searched again keep the places their lanes had; only the
            # new routes move off them (``route_links`` would move all of them).
            routes = [found[link][0] if link in searched or link not in self._shown
                      else self._shown[link] for link in links]
            frozen = [n for n, link in enumerate(links)
                      if link not in searched and link in self._shown]
        else:
            routes, frozen = [found[link][0] for link in links], []
        out = spread(routes, links, boxes, frozen, around=not quick)
        self._boxes, self._found, self._stale = dict(boxes), found, stale
        self._shown = dict(zip(links, out, strict=True))
        return out


def _concerned(reach: Rect, moved: Sequence[Rect]) -> bool:
    """Whether a route whose search looked at the obstacles meeting ``reach`` may
    change because the boxes ``moved`` (as obstacles, old and new places) did."""
    return any(rect.meets(reach) for rect in moved)


def _forced(link: LinkEnds, route: Sequence[Point],
            changed: Sequence[tuple[Hashable, Rect | None, Rect | None]]) -> bool:
    """Whether a kept route would be wrong after the boxes ``changed`` (key, old, new):
    one of its own boxes changed, it runs into a box's new place (or its input zone),
    or it came near a box's old place."""
    for key, old, new in changed:
        if key in (link.source, link.target):
            return True
        kept = kept_off(link, key, zoned(new)) if new is not None else None
        if kept is not None and any(crosses(a, b, kept)
                                    for a, b in pairwise(route) if a != b):
            return True
        if old is not None:
            near = old.grown(CLEAR + NEAR)
            if any(_meets_segment(a, b, near) for a, b in pairwise(route)):
                return True
    return False


def _meets_segment(a: Point, b: Point, rect: Rect) -> bool:
    """Whether the horizontal or vertical segment a-b touches ``rect``."""
    return rect.meets(Rect(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]),
                           max(a[1], b[1])))
