"""Lanes apart: collinear stretches of links from different outputs are moved a few
pixels apart, so that a lane cannot seem to end at another link's input (links from one
output may share their trunk: they carry the same data).

Stretches on one line that overlap form a group; each net of a group takes the nearest
place (a multiple of ``SPACING`` off the line) that is free of the nets it overlaps, of
every other stretch already lying there, and keeps the route off the boxes. A stretch at
a port cannot move; nor can a stretch of a ``frozen`` link (one the router kept while a
node is dragged), whose net keeps its place. Qt-free and deterministic.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from workbench.gui.flow_editor.channel_search import Point
from workbench.gui.flow_editor.route_geometry import (
    MIN_END,
    MIN_START,
    LinkEnds,
    Rect,
    crosses,
    kept_off,
    simplified,
    zoned,
)

SPACING = 6.0     # collinear stretches of different links are moved this far apart
# Stretches of different nets nearer than this are too close to follow by eye (walk 6,
# item 2: links 3-4 px apart in a narrow gap): they are moved apart, or, where no place
# is free, one of them is routed round (``crowded``, ``routing.spread``).
_NEAR = SPACING - 1.0


@dataclass
class _Stretch:
    link: int
    index: int          # the segment points[index] - points[index + 1]
    vertical: bool
    coord: float
    lo: float
    hi: float
    net: Hashable
    movable: bool


def _stretches(routes: Sequence[list[Point]], links: Sequence[LinkEnds],
               vertical: bool) -> list[_Stretch]:
    """The vertical (or horizontal) stretches of the routes."""
    found = []
    for n, points in enumerate(routes):
        last = len(points) - 2
        for i, (p, q) in enumerate(pairwise(points)):
            if (p[0] == q[0]) != vertical:
                continue
            coord = p[0] if vertical else p[1]
            lo, hi = sorted((p[1], q[1]) if vertical else (p[0], q[0]))
            found.append(_Stretch(n, i, vertical, coord, lo, hi, links[n].net,
                                  0 < i < last))
    return found


def _moved(points: list[Point], index: int, vertical: bool, coord: float) -> list[Point]:
    out = list(points)
    for k in (index, index + 1):
        x, y = out[k]
        out[k] = (coord, y) if vertical else (x, coord)
    return out


class _BoxIndex:
    """The node obstacles (``route_geometry.zoned``) filed by the strips of the canvas
    they span, so that checking a stretch looks only at the boxes across its line (one
    strip) instead of every box of the flow."""

    STRIP = 32.0

    def __init__(self, boxes: Mapping[Hashable, Rect]) -> None:
        self.rows: dict[int, list[tuple[Hashable, Rect]]] = {}
        self.columns: dict[int, list[tuple[Hashable, Rect]]] = {}
        for key, box in boxes.items():
            zone = zoned(box)
            for strip in self._strips(zone.top, zone.bottom):
                self.rows.setdefault(strip, []).append((key, zone))
            for strip in self._strips(zone.left, zone.right):
                self.columns.setdefault(strip, []).append((key, zone))

    def _strips(self, low: float, high: float) -> range:
        return range(math.floor(low / self.STRIP), math.floor(high / self.STRIP) + 1)

    def across(self, a: Point, b: Point) -> list[tuple[Hashable, Rect]]:
        """The boxes that may lie across the horizontal or vertical segment a-b (all
        that do, and a few more)."""
        if a[1] == b[1]:
            return self.rows.get(math.floor(a[1] / self.STRIP), [])
        return self.columns.get(math.floor(a[0] / self.STRIP), [])


def _fits(points: list[Point], index: int, link: LinkEnds, boxes: _BoxIndex) -> bool:
    """Whether a route with stretch ``index`` moved still keeps off what its search
    kept off (``route_geometry.kept_off``: foreign boxes with their input zones, its
    own boxes grown by ``CLEAR``; its first and last stretches start and end at its
    own boxes' edges) and keeps its first and last stretches long enough to read."""
    if points[1][0] - points[0][0] < MIN_START or points[-1][0] - points[-2][0] < MIN_END:
        return False
    last = len(points) - 2
    for k in range(max(index - 1, 0), min(index + 2, last + 1)):
        a, b = points[k], points[k + 1]
        if a == b:
            continue
        for key, zone in boxes.across(a, b):
            if not crosses(a, b, zone):
                continue
            if (k == 0 and key == link.source) or (k == last and key == link.target):
                continue   # a port stub touches its own box's edge
            kept = kept_off(link, key, zone)
            if kept is not None and crosses(a, b, kept):
                return False
    return True


class _Lines:
    """Where the stretches of one direction lie now, filed by their line, so that a
    place can be checked against every stretch already there."""

    BUCKET = 8.0

    def __init__(self, stretches: Sequence[_Stretch]) -> None:
        self.at = [s.coord for s in stretches]
        # Each stretch's line, span and net, in the bucket of its line: ``taken`` runs
        # for every place tried, over lines that many routes share (the channels beside
        # the boxes), so it reads plain tuples rather than attributes.
        self.buckets: dict[int, list[tuple[int, float, float, float, Hashable]]] = {}
        for n, s in enumerate(stretches):
            self.buckets.setdefault(self._bucket(s.coord), []).append(
                (n, s.coord, s.lo, s.hi - 0.5, s.net))

    def _bucket(self, coord: float) -> int:
        return math.floor(coord / self.BUCKET)

    def move(self, n: int, coord: float) -> None:
        bucket = self.buckets[self._bucket(self.at[n])]
        entry = next(entry for entry in bucket if entry[0] == n)
        bucket.remove(entry)
        self.at[n] = coord
        self.buckets.setdefault(self._bucket(coord), []).append((n, coord, *entry[2:]))

    def taken(self, stretches: Sequence[_Stretch], mine: _Stretch, coord: float,
              ignore: Collection[int]) -> bool:
        """Whether a stretch of another net than ``mine``'s (and not in ``ignore``)
        lies on ``coord`` along ``mine``."""
        net, lo, hi = mine.net, mine.lo, mine.hi - 0.5
        low, high = coord - _NEAR, coord + _NEAR
        for bucket in range(self._bucket(low), self._bucket(high) + 1):
            for n, at, other_lo, other_hi, other_net in self.buckets.get(bucket, ()):
                if (low < at < high and lo < other_hi and other_lo < hi
                        and other_net != net and n not in ignore):
                    return True
        return False


def _groups(stretches: Sequence[_Stretch]) -> list[list[int]]:
    """The stretches (sorted by line) that lie on one line and overlap, chained."""
    groups = []
    done: set[int] = set()
    for i, s in enumerate(stretches):
        if i in done:
            continue
        group = [i]
        spans = [(s.coord, s.lo, s.hi)]   # the members', to test a candidate against
        for j in range(i + 1, len(stretches)):
            t = stretches[j]
            if t.coord - s.coord >= _NEAR:
                break
            if j in done:
                continue
            coord, lo, hi = t.coord, t.lo, t.hi
            for at, low, high in spans:   # _overlap, spelt out: this loop is hot
                if abs(at - coord) < _NEAR and low < hi - 0.5 and lo < high - 0.5:
                    group.append(j)
                    spans.append((coord, lo, hi))
                    break
        done.update(group)
        groups.append(group)
    return groups


def _separate(routes: list[list[Point]], links: Sequence[LinkEnds], boxes: _BoxIndex,
              vertical: bool, frozen: Collection[int]) -> None:
    """Move apart the collinear, overlapping stretches of different nets."""
    stretches = _stretches(routes, links, vertical)
    stretches.sort(key=lambda s: (s.coord, s.lo, s.link))
    lines = _Lines(stretches)
    for group in _groups(stretches):
        members = [stretches[k] for k in group]
        nets = list(dict.fromkeys(m.net for m in members))
        if len(nets) < 2:
            continue
        # Each net takes the nearest place free of the nets it overlaps (intervals are
        # coloured greedily, so nets that never meet share a place) and of the other
        # stretches lying there. A net with a stretch that cannot move (at its port,
        # or kept by the router) keeps the original place. Where no net is fixed and
        # the first net's own place leaves the others none (a narrow gap), it gives
        # way by half a spacing either side, so that two or three lanes fit in a gap
        # where only one is free of the boxes on the line they shared.
        fixed = [net for net in nets
                 if any(not m.movable or m.link in frozen for m in members if m.net == net)]
        order = fixed + [net for net in nets if net not in fixed]
        plan = _plan(order, fixed, group, stretches, routes, links, boxes, lines, vertical)
        narrow = not fixed and not plan[2] and len(nets) <= 3
        for first in (-SPACING / 2, SPACING / 2) if narrow else ():
            tried = _plan(order, fixed, group, stretches, routes, links, boxes, lines,
                          vertical, first)
            if tried[2]:
                plan = tried
                break
        moves, trial, _ = plan
        routes_moved = {stretches[k].link for k in moves}
        for link in routes_moved:
            routes[link] = trial[link]
        for k, coord in moves.items():
            lines.move(k, coord)


def _plan(order: Sequence[Hashable], fixed: Collection[Hashable], group: Sequence[int],
          stretches: Sequence[_Stretch], routes: Sequence[list[Point]],
          links: Sequence[LinkEnds], boxes: _BoxIndex, lines: _Lines, vertical: bool,
          first: float = 0.0) -> tuple[dict[int, float], dict[int, list[Point]], bool]:
    """The places of one group's nets, taken in ``order`` (the first free net shifted
    by ``first`` at least): the stretches moved (number: new line), the routes they
    move, and whether every net found a place."""
    in_group = set(group)
    placed: list[tuple[_Stretch, float]] = []   # the group's stretches placed
    moves: dict[int, float] = {}
    trial: dict[int, list[Point]] = {}
    every = True
    for net in order:
        mine = [k for k in group if stretches[k].net == net]
        own = [stretches[k] for k in mine]
        if net in fixed:
            placed += [(m, m.coord) for m in own]
            continue
        slots = _slots(own[0].coord, placed, len(order))
        if first and not moves:
            slots = [first]
        beside = [(at - m.coord) for m in own for other, at in placed if _overlap(m, other)]
        for slot in slots:
            if any(abs(slot - shift) < _NEAR for shift in beside):
                continue
            if any(lines.taken(stretches, stretches[k], stretches[k].coord + slot,
                               in_group) for k in mine):
                continue
            moved = {m.link: trial.get(m.link, routes[m.link]) for m in own}
            ok = True
            for m in own:
                moved[m.link] = _moved(moved[m.link], m.index, vertical, m.coord + slot)
                ok = ok and _fits(moved[m.link], m.index, links[m.link], boxes)
            if ok:
                trial.update(moved)
                moves.update((k, stretches[k].coord + slot) for k in mine)
                placed += [(m, m.coord + slot) for m in own]
                break
        else:
            if first and not moves:
                return moves, trial, False
            placed += [(m, m.coord) for m in own]
            every = False
    return moves, trial, every


def _slots(coord: float, placed: Sequence[tuple[_Stretch, float]], nets: int
           ) -> list[float]:
    """The shifts a net whose stretch lies on ``coord`` tries, nearest first: multiples
    of ``SPACING``, and the places just ``SPACING`` beside the stretches ``placed``."""
    shifts = {0.0}
    for step in range(1, nets + 3):
        shifts.update((step * SPACING, -step * SPACING))
    for _, at in placed:
        shifts.update((at + SPACING - coord, at - SPACING - coord))
    return sorted(shifts, key=lambda shift: (abs(shift), shift))


def _overlap(a: _Stretch, b: _Stretch) -> bool:
    """Whether two stretches, whatever their lines, share more than a point along."""
    return a.lo < b.hi - 0.5 and b.lo < a.hi - 0.5


def crowded(routes: Sequence[list[Point]], links: Sequence[LinkEnds]
            ) -> list[tuple[int, int]]:
    """The pairs of links (numbers, in order) of different nets with collinear
    stretches nearer than ``SPACING`` that run side by side for more than a crossing:
    what ``separated`` could not move apart."""
    pairs: set[tuple[int, int]] = set()
    for vertical in (True, False):
        stretches = sorted(_stretches(routes, links, vertical),
                           key=lambda s: (s.coord, s.lo, s.link))
        for i, s in enumerate(stretches):
            for t in stretches[i + 1:]:
                if t.coord - s.coord >= _NEAR:
                    break
                if (s.net != t.net and links[s.link].end != links[t.link].end
                        and min(s.hi, t.hi) - max(s.lo, t.lo) > 1.0):
                    pairs.add((min(s.link, t.link), max(s.link, t.link)))
    return sorted(pairs)


def separated(routes: Sequence[list[Point]], links: Sequence[LinkEnds],
              boxes: Mapping[Hashable, Rect], frozen: Collection[int] = ()
              ) -> list[list[Point]]:
    """The routes of ``links``, each found ignoring the others, with the overlapping
    stretches of different nets moved apart; the routes numbered in ``frozen`` keep
    their places (the others move off them)."""
    frozen = set(frozen)
    moved = [list(points) for points in routes]
    index = _BoxIndex(boxes)
    for vertical in (True, False):
        _separate(moved, links, index, vertical, frozen)
    return [simplified(points) for points in moved]
