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

from workbench.gui.flow_editor.channel_search import CLEAR, Point
from workbench.gui.flow_editor.route_geometry import (
    MIN_END,
    MIN_START,
    LinkEnds,
    Rect,
    crosses,
    simplified,
)

SPACING = 6.0     # collinear stretches of different links are moved this far apart
_TOL = 2.5        # stretches nearer than this count as on top of each other


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
    """The boxes (grown by ``CLEAR``) filed by the strips of the canvas they span, so
    that checking a stretch looks only at the boxes across its line (one strip) instead
    of every box of the flow."""

    STRIP = 32.0

    def __init__(self, boxes: Mapping[Hashable, Rect]) -> None:
        self.rows: dict[int, list[tuple[Hashable, Rect]]] = {}
        self.columns: dict[int, list[tuple[Hashable, Rect]]] = {}
        for key, box in boxes.items():
            grown = box.grown(CLEAR)
            for strip in self._strips(grown.top, grown.bottom):
                self.rows.setdefault(strip, []).append((key, grown))
            for strip in self._strips(grown.left, grown.right):
                self.columns.setdefault(strip, []).append((key, grown))

    def _strips(self, low: float, high: float) -> range:
        return range(math.floor(low / self.STRIP), math.floor(high / self.STRIP) + 1)

    def across(self, a: Point, b: Point) -> list[tuple[Hashable, Rect]]:
        """The boxes that may lie across the horizontal or vertical segment a-b (all
        that do, and a few more)."""
        if a[1] == b[1]:
            return self.rows.get(math.floor(a[1] / self.STRIP), [])
        return self.columns.get(math.floor(a[0] / self.STRIP), [])


def _fits(points: list[Point], index: int, link: LinkEnds, boxes: _BoxIndex) -> bool:
    """Whether a route with stretch ``index`` moved still keeps off the boxes (its first
    and last stretches off every box but their own, the others off every box but one
    that holds a stub's end) and keeps its first and last stretches long enough to
    read."""
    if points[1][0] - points[0][0] < MIN_START or points[-1][0] - points[-2][0] < MIN_END:
        return False
    last = len(points) - 2
    for k in range(max(index - 1, 0), min(index + 2, last + 1)):
        a, b = points[k], points[k + 1]
        if a == b:
            continue
        for key, box in boxes.across(a, b):
            if not crosses(a, b, box):
                continue
            if k in (0, last):
                if key not in (link.source, link.target):
                    return False
            elif not (box.contains(points[1]) or box.contains(points[-2])):
                return False
    return True


class _Lines:
    """Where the stretches of one direction lie now, filed by their line, so that a
    place can be checked against every stretch already there."""

    BUCKET = 8.0

    def __init__(self, stretches: Sequence[_Stretch]) -> None:
        self.at = [s.coord for s in stretches]
        self.buckets: dict[int, list[int]] = {}
        for n, s in enumerate(stretches):
            self.buckets.setdefault(self._bucket(s.coord), []).append(n)

    def _bucket(self, coord: float) -> int:
        return math.floor(coord / self.BUCKET)

    def move(self, n: int, coord: float) -> None:
        self.buckets[self._bucket(self.at[n])].remove(n)
        self.at[n] = coord
        self.buckets.setdefault(self._bucket(coord), []).append(n)

    def taken(self, stretches: Sequence[_Stretch], mine: _Stretch, coord: float,
              ignore: Collection[int]) -> bool:
        """Whether a stretch of another net than ``mine``'s (and not in ``ignore``)
        lies on ``coord`` along ``mine``."""
        for bucket in range(self._bucket(coord - _TOL), self._bucket(coord + _TOL) + 1):
            for n in self.buckets.get(bucket, ()):
                other = stretches[n]
                if (n not in ignore and other.net != mine.net
                        and abs(self.at[n] - coord) <= _TOL
                        and mine.lo < other.hi - 0.5 and other.lo < mine.hi - 0.5):
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
            if t.coord - s.coord > _TOL:
                break
            if j in done:
                continue
            coord, lo, hi = t.coord, t.lo, t.hi
            for at, low, high in spans:   # _overlap, spelt out: this loop is hot
                if abs(at - coord) <= _TOL and low < hi - 0.5 and lo < high - 0.5:
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
        in_group = set(group)
        members = [stretches[k] for k in group]
        nets = list(dict.fromkeys(m.net for m in members))
        if len(nets) < 2:
            continue
        # Each net takes the nearest place free of the nets it overlaps (intervals are
        # coloured greedily, so nets that never meet share a place) and of the other
        # stretches lying there. A net with a stretch that cannot move (at its port,
        # or kept by the router) keeps the original place.
        fixed = [net for net in nets
                 if any(not m.movable or m.link in frozen for m in members if m.net == net)]
        slots = [0.0]
        for step in range(1, len(nets) + 3):
            slots += [step * SPACING, -step * SPACING]
        placed: list[tuple[list[_Stretch], float]] = []
        for net in fixed + [net for net in nets if net not in fixed]:
            mine = [k for k in group if stretches[k].net == net]
            own = [stretches[k] for k in mine]
            if net in fixed:
                placed.append((own, 0.0))
                continue
            busy = {slot for others, slot in placed
                    if any(_overlap(a, b, along_only=True) for a in own for b in others)}
            for slot in slots:
                if slot in busy or any(lines.taken(stretches, stretches[k],
                                                   stretches[k].coord + slot, in_group)
                                       for k in mine):
                    continue
                trial = {m.link: routes[m.link] for m in own}
                ok = True
                for m in own:
                    trial[m.link] = _moved(trial[m.link], m.index, vertical, m.coord + slot)
                    ok = ok and _fits(trial[m.link], m.index, links[m.link], boxes)
                if ok:
                    for k in mine:
                        m = stretches[k]
                        routes[m.link] = trial[m.link]
                        lines.move(k, m.coord + slot)
                    placed.append((own, slot))
                    break
            else:
                placed.append((own, 0.0))


def _overlap(a: _Stretch, b: _Stretch, along_only: bool = False) -> bool:
    """Whether two stretches lie on one line (``along_only``: whatever their line) and
    share more than a point."""
    return ((along_only or abs(a.coord - b.coord) <= _TOL)
            and a.lo < b.hi - 0.5 and b.lo < a.hi - 0.5)


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
