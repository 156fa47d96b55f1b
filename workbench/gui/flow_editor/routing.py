"""Where the canvas draws its links: orthogonal routes around the node boxes.

A pure function of the node rectangles and the port positions (no Qt), so it is tested
on its own and recomputed whenever a node moves, is added or changes size:

- a link leaves its output to the right and enters its input from the left, so the last
  stretch is horizontal and the arrow head drawn there points at the input it ends on;
- a link never crosses a node's box: the straight "Z" shape a tidy left-to-right flow
  needs is tried first, and only when a box is in its way is a shortest route with few
  bends searched on the channels beside the boxes (the orthogonal routing of diagram
  editors such as yEd or libavoid, kept small);
- links from different outputs never run on top of each other: collinear stretches that
  overlap are moved a few pixels apart, so a lane cannot seem to end at another link's
  input (links from one output may share their trunk, as in WEKA and Orange: they carry
  the same data).

Everything is deterministic: the same layout always gives the same routes.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

Point = tuple[float, float]

STUB = 16.0       # a link runs straight out of its output (and into its input) this far
CLEAR = 6.0       # no route comes closer than this to a box
CHANNEL = 12.0    # the channels searched run this far outside each box
BEND = 24.0       # a bend costs as much as this many pixels of length
SPACING = 6.0     # collinear stretches of different links are moved this far apart
MIN_END = 14.0    # the last stretch keeps room for the arrow head
MIN_START = 8.0
_TOL = 2.5        # stretches nearer than this count as on top of each other


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
        lo, hi = sorted((a[0], b[0]))
        return rect.top < a[1] < rect.bottom and lo < rect.right and hi > rect.left
    lo, hi = sorted((a[1], b[1]))
    return rect.left < a[0] < rect.right and lo < rect.bottom and hi > rect.top


def _clear(points: Sequence[Point], obstacles: Sequence[Rect]) -> bool:
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


def _search(a: Point, b: Point, obstacles: Sequence[Rect]) -> list[Point] | None:
    """The cheapest route from ``a`` (heading right) to ``b`` (arriving heading right)
    on the channels beside the boxes: length plus ``BEND`` per bend (Dijkstra)."""
    xs = sorted({a[0], b[0], *(r.left - CHANNEL + CLEAR for r in obstacles),
                 *(r.right + CHANNEL - CLEAR for r in obstacles)})
    ys = sorted({a[1], b[1], *(r.top - CHANNEL + CLEAR for r in obstacles),
                 *(r.bottom + CHANNEL - CLEAR for r in obstacles)})
    ix = {x: i for i, x in enumerate(xs)}
    iy = {y: i for i, y in enumerate(ys)}
    start, goal = (ix[a[0]], iy[a[1]]), (ix[b[0]], iy[b[1]])

    # Each grid line meets only the boxes it runs across; each step is checked once.
    across_row = [[r for r in obstacles if r.top < y < r.bottom] for y in ys]
    across_column = [[r for r in obstacles if r.left < x < r.right] for x in xs]
    checked: dict[tuple[tuple[int, int], tuple[int, int]], bool] = {}

    def free(p: tuple[int, int], q: tuple[int, int]) -> bool:
        key = (p, q) if p < q else (q, p)
        if key not in checked:
            if p[1] == q[1]:
                lo, hi = sorted((xs[p[0]], xs[q[0]]))
                checked[key] = not any(lo < r.right and hi > r.left
                                       for r in across_row[p[1]])
            else:
                lo, hi = sorted((ys[p[1]], ys[q[1]]))
                checked[key] = not any(lo < r.bottom and hi > r.top
                                       for r in across_column[p[0]])
        return checked[key]

    # state: (cell, heading); headings are the steps below, 0 is rightwards. A route
    # never turns back on itself, so it cannot double back over its own stubs.
    steps = ((1, 0), (-1, 0), (0, 1), (0, -1))
    best: dict[tuple[tuple[int, int], int], float] = {(start, 0): 0.0}
    came: dict[tuple[tuple[int, int], int], tuple[tuple[int, int], int]] = {}
    queue: list[tuple[float, int, tuple[int, int], int]] = [(0.0, 0, start, 0)]
    order = 0

    def push(cost: float, cell: tuple[int, int], heading: int,
             before: tuple[tuple[int, int], int]) -> None:
        nonlocal order
        key = (cell, heading)
        if cost < best.get(key, float("inf")):
            best[key] = cost
            came[key] = before
            order += 1
            heapq.heappush(queue, (cost, order, cell, heading))

    while queue:
        cost, _, cell, heading = heapq.heappop(queue)
        if cost > best.get((cell, heading), float("inf")):
            continue
        if cell == goal:
            if heading == 0:   # arrived heading right, into the input's stub
                path = [(cell, heading)]
                while path[-1] in came:
                    path.append(came[path[-1]])
                return [(xs[c[0]], ys[c[1]]) for c, _ in reversed(path)]
            if heading != 1:   # arrived from above or below: one more bend
                push(cost + BEND, cell, 0, (cell, heading))
            continue
        for direction, (dx, dy) in enumerate(steps):
            if direction == heading ^ 1:   # straight back the way it came
                continue
            nxt = (cell[0] + dx, cell[1] + dy)
            if not (0 <= nxt[0] < len(xs) and 0 <= nxt[1] < len(ys)) or not free(cell, nxt):
                continue
            length = abs(xs[nxt[0]] - xs[cell[0]]) + abs(ys[nxt[1]] - ys[cell[1]])
            push(cost + length + (BEND if direction != heading else 0.0), nxt, direction,
                 (cell, heading))
    return None


def route_one(link: LinkEnds, boxes: Mapping[Hashable, Rect]) -> list[Point]:
    """The route of one link, ignoring the other links."""
    start, end = link.start, link.end
    a = (start[0] + STUB, start[1])
    b = (end[0] - STUB, end[1])
    # A box that holds a stub end (nodes pushed together) cannot be kept off.
    obstacles = [r.grown(CLEAR) for r in boxes.values()]
    obstacles = [r for r in obstacles if not (r.contains(a) or r.contains(b))]
    if a[0] <= b[0]:
        middle = (a[0] + b[0]) / 2
        columns = sorted({middle, a[0], b[0], *(x for r in obstacles
                                                 for x in (r.left - 1, r.right + 1)
                                                 if a[0] <= x <= b[0])},
                         key=lambda x: (abs(x - middle), x))
        for x in columns:
            points = [a, (x, a[1]), (x, b[1]), b]
            if _clear(points, obstacles):
                return simplified([start, *points, end])
    found = _search(a, b, obstacles)
    if found is None:   # walled in: the plain shape, through whatever is in the way
        lane = max(start[1], end[1]) + STUB
        found = [a, (a[0], lane), (b[0], lane), b]
    return simplified([start, *found, end])


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


def _stretches(routes: Sequence[list[Point]], links: Sequence[LinkEnds]) -> list[_Stretch]:
    found = []
    for n, points in enumerate(routes):
        last = len(points) - 2
        for i, (p, q) in enumerate(pairwise(points)):
            vertical = p[0] == q[0]
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


def _fits(points: list[Point], index: int, link: LinkEnds,
          boxes: Mapping[Hashable, Rect]) -> bool:
    """Whether a route with stretch ``index`` moved still keeps off the boxes (its first
    and last stretches off every box but their own) and keeps those stretches long
    enough to read."""
    if points[1][0] - points[0][0] < MIN_START or points[-1][0] - points[-2][0] < MIN_END:
        return False
    grown = {key: r.grown(CLEAR) for key, r in boxes.items()}
    inner = [r for r in grown.values()
             if not (r.contains(points[1]) or r.contains(points[-2]))]
    foreign = [r for key, r in grown.items() if key not in (link.source, link.target)]
    last = len(points) - 2
    for k in range(max(index - 1, 0), min(index + 2, last + 1)):
        if not _clear(points[k:k + 2], foreign if k in (0, last) else inner):
            return False
    return True


def _separate(routes: list[list[Point]], links: Sequence[LinkEnds],
              boxes: Mapping[Hashable, Rect], vertical: bool) -> None:
    """Move apart the collinear, overlapping stretches of different nets."""
    stretches = [s for s in _stretches(routes, links) if s.vertical == vertical]
    stretches.sort(key=lambda s: (s.coord, s.lo, s.link))
    done: set[int] = set()
    for i, s in enumerate(stretches):
        if i in done:
            continue
        group = [i]
        for j in range(i + 1, len(stretches)):
            t = stretches[j]
            if t.coord - s.coord > _TOL:
                break
            if j not in done and any(_overlap(stretches[k], t) for k in group):
                group.append(j)
        done.update(group)
        members = [stretches[k] for k in group]
        nets = list(dict.fromkeys(m.net for m in members))
        if len(nets) < 2:
            continue
        # Each net takes the nearest place free of the nets it overlaps (intervals are
        # coloured greedily, so nets that never meet share a place). A net with a
        # stretch that cannot move (at its port) keeps the original place.
        fixed = [net for net in nets if any(not m.movable for m in members if m.net == net)]
        slots = [0.0]
        for step in range(1, len(nets) + 3):
            slots += [step * SPACING, -step * SPACING]
        placed: list[tuple[list[_Stretch], float]] = []
        for net in fixed + [net for net in nets if net not in fixed]:
            mine = [m for m in members if m.net == net]
            if net in fixed:
                placed.append((mine, 0.0))
                continue
            busy = {slot for others, slot in placed
                    if any(_overlap(a, b, along_only=True) for a in mine for b in others)}
            for slot in slots:
                if slot in busy:
                    continue
                trial = {m.link: routes[m.link] for m in mine}
                ok = True
                for m in mine:
                    trial[m.link] = _moved(trial[m.link], m.index, vertical, m.coord + slot)
                    ok = ok and _fits(trial[m.link], m.index, links[m.link], boxes)
                if ok:
                    for m in mine:
                        routes[m.link] = trial[m.link]
                    placed.append((mine, slot))
                    break
            else:
                placed.append((mine, 0.0))


def _overlap(a: _Stretch, b: _Stretch, along_only: bool = False) -> bool:
    """Whether two stretches lie on one line (``along_only``: whatever their line) and
    share more than a point."""
    return ((along_only or abs(a.coord - b.coord) <= _TOL)
            and a.lo < b.hi - 0.5 and b.lo < a.hi - 0.5)


def route_links(boxes: Mapping[Hashable, Rect], links: Sequence[LinkEnds]
                ) -> list[list[Point]]:
    """Each link's route, as the points of an orthogonal polyline from its output port
    to its input port, in the order of ``links``."""
    routes = [route_one(link, boxes) for link in links]
    for vertical in (True, False):
        _separate(routes, links, boxes, vertical)
    return [simplified(points) for points in routes]
