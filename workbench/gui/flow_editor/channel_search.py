"""The cheapest orthogonal route between two points on the channels beside some boxes.

The routing of a link (``routing.py``) asks this search when the plain "Z" shape is
blocked. Cost is length plus ``BEND`` per bend; the route leaves heading right and
arrives heading right, and never turns straight back on itself.

It runs on the GUI thread while a node is dragged, so it is an A* search rather than a
plain Dijkstra: the estimate of what is left (distance plus the bends a route with no
boxes in its way would still need) never overestimates, so the first route to reach the
goal is still a cheapest one, but the search stops looking away from the goal. States
are small integers in flat lists instead of tuples in dicts. Qt-free and deterministic:
ties are broken by the order states were reached.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Sequence
from typing import Protocol

Point = tuple[float, float]

CLEAR = 6.0       # no route comes closer than this to a box (boxes arrive grown by it)
CHANNEL = 12.0    # the channels searched run this far outside each box
BEND = 24.0       # a bend costs as much as this many pixels of length
# Turning before the full stub's end costs this many pixels per pixel cut off: more
# than the twice a route that turns back saves by it, less than a jog's two bends.
CUT = 3.0

# Headings: 0 right, 1 left, 2 down (+y), 3 up (-y); ``heading ^ 1`` is straight back.


class Box(Protocol):
    """What the search needs of a box (``routing.Rect``)."""

    @property
    def left(self) -> float: ...
    @property
    def top(self) -> float: ...
    @property
    def right(self) -> float: ...
    @property
    def bottom(self) -> float: ...


def bends_left(heading: int, dx: float, dy: float) -> int:
    """The fewest bends a route heading ``heading`` needs to reach a goal ``dx``, ``dy``
    away and arrive there heading right, were nothing in its way (never more than any
    real route needs, so A* stays exact)."""
    if heading == 0:
        if dx < 0:
            return 4     # right, turn, left, turn, right
        return 0 if dy == 0 else 2
    if heading == 1:
        return 4 if dy == 0 else 2
    toward = dy == 0 or (dy > 0) == (heading == 2)
    return 1 if toward and dx >= 0 else 3


def search(a: Point, b: Point, obstacles: Sequence[Box],
           bounds: Box | None = None) -> list[Point] | None:
    """The cheapest route from ``a`` (heading right) to ``b`` (arriving heading right)
    on the channels beside ``obstacles``, or None when there is none. With ``bounds``
    the route stays inside that rectangle (whose edges are channels too), so only the
    boxes that meet it need be given."""
    return Channels(a, b, obstacles, bounds).cheapest()


class Channels:
    """The grid of channels beside some boxes, between two ends ``a`` and ``b``.

    ``runs``: other links' stretches, each as a band around it and whether it is
    vertical, that the route may cross but not run along inside the band (a route
    searched again because a gap could not hold its lane, ``routing.spread``); the
    band's edges are channels, so a route may run beside one at its edge.

    ``stubs``: where the link's full stubs end (x of the first and of the last turn
    it would rather make), when ``a`` and ``b`` are its shortest stubs' ends: the route
    may turn between them and its ports, at a cost of ``CUT`` times the length it
    cuts off the stub, so it turns early only where the full stub would end in a
    node's input zone or its upright run into one (nodes close together)."""

    def __init__(self, a: Point, b: Point, obstacles: Sequence[Box],
                 bounds: Box | None = None,
                 runs: Sequence[tuple[bool, Box]] = (),
                 stubs: tuple[float, float] | None = None) -> None:
        self.stubs = stubs if stubs is not None else (a[0], b[0])
        xs_set = {a[0], b[0], *self.stubs,
                  *(r.left - CHANNEL + CLEAR for r in obstacles),
                  *(r.right + CHANNEL - CLEAR for r in obstacles),
                  *(x for vertical, r in runs if vertical for x in (r.left, r.right))}
        ys_set = {a[1], b[1], *(r.top - CHANNEL + CLEAR for r in obstacles),
                  *(r.bottom + CHANNEL - CLEAR for r in obstacles),
                  # lanes just off the ends: between nodes pushed close together a
                  # route jogs there instead of looping out to a box's channel
                  a[1] - CHANNEL, a[1] + CHANNEL, b[1] - CHANNEL, b[1] + CHANNEL,
                  *(y for vertical, r in runs if not vertical for y in (r.top, r.bottom))}
        if bounds is not None:
            xs_set = {x for x in xs_set if bounds.left <= x <= bounds.right}
            ys_set = {y for y in ys_set if bounds.top <= y <= bounds.bottom}
            xs_set.update((bounds.left, bounds.right))
            ys_set.update((bounds.top, bounds.bottom))
        self.a, self.b = a, b
        self.xs, self.ys = sorted(xs_set), sorted(ys_set)
        # blocked_row[y][x]: the step from xs[x] to xs[x + 1] along ys[y] runs into a
        # box; blocked_column[x][y] likewise down column xs[x]. Marked box by box.
        self.blocked_row = [bytearray(len(self.xs)) for _ in self.ys]
        self.blocked_column = [bytearray(len(self.ys)) for _ in self.xs]
        for r in obstacles:
            _mark(self.blocked_row, self.ys, r.top, r.bottom, self.xs, r.left, r.right)
            _mark(self.blocked_column, self.xs, r.left, r.right, self.ys, r.top, r.bottom)
        for vertical, r in runs:
            if vertical:
                _mark(self.blocked_column, self.xs, r.left, r.right, self.ys, r.top,
                      r.bottom)
            else:
                _mark(self.blocked_row, self.ys, r.top, r.bottom, self.xs, r.left, r.right)
        ix = {x: i for i, x in enumerate(self.xs)}
        iy = {y: i for i, y in enumerate(self.ys)}
        ny = len(self.ys)
        inside = a[0] in ix and a[1] in iy and b[0] in ix and b[1] in iy
        self.start = ix[a[0]] * ny + iy[a[1]] if inside else -1
        self.goal = ix[b[0]] * ny + iy[b[1]] if inside else -1

    def _neighbours(self, cell: int) -> list[int]:
        """The cells one free step from ``cell``, in any direction."""
        ny, nx = len(self.ys), len(self.xs)
        x, y = divmod(cell, ny)
        out = []
        if x + 1 < nx and not self.blocked_row[y][x]:
            out.append(cell + ny)
        if x > 0 and not self.blocked_row[y][x - 1]:
            out.append(cell - ny)
        if y + 1 < ny and not self.blocked_column[x][y]:
            out.append(cell + 1)
        if y > 0 and not self.blocked_column[x][y - 1]:
            out.append(cell - 1)
        return out

    def walled_in(self, limit: int = 64) -> bool:
        """Whether an end lies in a small pocket among boxes (nodes piled on each other)
        that no route leaves: fewer than ``limit`` cells can be reached from it. Telling
        this first spares a search that would try every channel before giving up."""
        if self.start < 0:
            return True
        for end, other in ((self.start, self.goal), (self.goal, self.start)):
            seen, todo = {end}, [end]
            while todo and len(seen) < limit:
                for cell in self._neighbours(todo.pop()):
                    if cell not in seen:
                        seen.add(cell)
                        todo.append(cell)
            if not todo and other not in seen:
                return True
        return False

    def cheapest(self) -> list[Point] | None:
        """The cheapest route from ``a`` to ``b`` (A*, see the module), or None."""
        if self.start < 0:
            return None   # an end outside the bounds
        xs, ys = self.xs, self.ys
        nx, ny = len(xs), len(ys)
        blocked_row, blocked_column = self.blocked_row, self.blocked_column
        start, goal = self.start, self.goal
        goal_x, goal_y = self.b
        a = self.a
        start_row, goal_row = start % ny, goal % ny
        first_turn, last_turn = self.stubs

        inf = float("inf")
        best = [inf] * (nx * ny * 4)        # cost so far, per state cell * 4 + heading
        came = [-1] * (nx * ny * 4)
        first = start * 4
        best[first] = 0.0
        # (estimated total, minus the cost so far, order reached, state): among equal
        # estimates the state nearest the goal goes first, which spares the search the
        # plateaus of equally good routes; an entry whose state was since reached more
        # cheaply is stale and skipped.
        queue: list[tuple[float, float, int, int]] = [
            (abs(goal_x - a[0]) + abs(goal_y - a[1])
             + BEND * bends_left(0, goal_x - a[0], goal_y - a[1]), 0.0, 0, first)]
        order = 0
        push = heapq.heappush

        while queue:
            _, minus_cost, _, state = heapq.heappop(queue)
            cost = -minus_cost
            if cost > best[state]:
                continue
            cell, heading = state >> 2, state & 3
            if cell == goal:
                if heading == 0:   # arrived heading right, into the input's stub
                    path = [state]
                    while came[path[-1]] >= 0:
                        path.append(came[path[-1]])
                    return [(xs[(s >> 2) // ny], ys[(s >> 2) % ny]) for s in reversed(path)]
                turn = cost + BEND + CUT * max(goal_x - last_turn, 0.0)
                if heading != 1 and turn < best[cell * 4]:   # one more bend
                    best[cell * 4] = turn
                    came[cell * 4] = state
                    order += 1
                    push(queue, (turn, -turn, order, cell * 4))
                continue
            x, y = divmod(cell, ny)
            for direction in range(4):
                if direction == heading ^ 1:
                    continue
                if direction == 0:
                    if x + 1 == nx or blocked_row[y][x]:
                        continue
                    x2, y2 = x + 1, y
                elif direction == 1:
                    if x == 0 or blocked_row[y][x - 1]:
                        continue
                    x2, y2 = x - 1, y
                elif direction == 2:
                    if y + 1 == ny or blocked_column[x][y]:
                        continue
                    x2, y2 = x, y + 1
                else:
                    if y == 0 or blocked_column[x][y - 1]:
                        continue
                    x2, y2 = x, y - 1
                to_x, to_y = xs[x2], ys[y2]
                step = abs(to_x - xs[x]) + abs(to_y - ys[y])
                total = cost + step
                if direction != heading:   # a bend; one on a cut stub costs the cut
                    total += BEND
                    here = xs[x]
                    if heading == 0 and y == start_row and here < first_turn:
                        total += CUT * (first_turn - here)
                    if direction == 0 and y == goal_row and here > last_turn:
                        total += CUT * (here - last_turn)
                nxt = ((x2 * ny + y2) << 2) | direction
                if total < best[nxt]:
                    best[nxt] = total
                    came[nxt] = state
                    order += 1
                    left_x, left_y = goal_x - to_x, goal_y - to_y
                    push(queue, (total + abs(left_x) + abs(left_y)
                                 + BEND * bends_left(direction, left_x, left_y),
                                 -total, order, nxt))
        return None


def _mark(blocked: list[bytearray], lines: Sequence[float], low: float, high: float,
          steps: Sequence[float], start: float, stop: float) -> None:
    """Mark the steps that run into the box spanning ``low``-``high`` across the lines
    and ``start``-``stop`` along them: on each line strictly inside the box, the steps
    from ``steps[i]`` to ``steps[i + 1]`` that overlap the box's open span."""
    first = max(bisect.bisect_right(steps, start) - 1, 0)
    last = min(bisect.bisect_left(steps, stop) - 1, len(steps) - 2)
    if last < first:
        return
    ones = b"\x01" * (last - first + 1)
    for line in range(bisect.bisect_right(lines, low), bisect.bisect_left(lines, high)):
        blocked[line][first:last + 1] = ones
