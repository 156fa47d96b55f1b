"""How long the Knowledge Flow canvas spends routing its links: one full reroute (a flow
opened, a node dropped) and each step of dragging a node, on flows of 20, 40 and 80 nodes.

The canvas reroutes on the GUI thread, once per event-loop turn while a node is dragged,
so a drag step is a stall of the window. Its budget is 50 ms (a person notices about
100 ms, and the window has its own drawing to do in the same turn). Two layouts:

- *stress*: nodes in a grid of 8 columns, two links from each to random nodes anywhere
  (long links across the canvas, the worst case for rerouting: most links have the
  dragged node within their reach; the layout of the scaling report);
- *tidy*: columns of nodes, each linked to one or two nodes a column or two on, a few
  rows up or down, as flows are built (several classifiers, evaluators and viewers).

A drag moves the node at the middle of the flow 12 steps of (20, 20) px through the
``Router`` as the canvas does (``quick``: only the links that must change are searched);
the drop is the exact reroute when the mouse is released. Each figure is the best of
``--repeat`` replays (a busy machine only ever adds to it); a drag's figure is its
slowest step. For comparison, a full reroute is what each drag step cost before the
router.

The last line is ``ratio: R``: the slowest drag step of the 80-node flows divided by the
50 ms budget (below 1 the budget is kept).

Run: ``.venv/bin/python benchmarks/flow_routing.py [--repeat 3] [--cpu-time]``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Hashable

from _common import best_time, machine_line, parse_args  # also puts the checkout on the path

from workbench.gui.flow_editor.router import Router
from workbench.gui.flow_editor.routing import LinkEnds, Rect, route_links

BUDGET = 0.050  # seconds per drag step

Pairs = list[tuple[int, int, int, int]]
Boxes = dict[Hashable, Rect]


def stress(nodes: int, seed: int = 0) -> tuple[Boxes, Pairs]:
    """The stress case: nodes in a grid, two links from each to random nodes anywhere
    (the tests route these layouts too)."""
    rng = random.Random(seed)
    boxes: Boxes = {}
    for i in range(nodes):
        x, y = (i % 8) * 180 + 20, (i // 8) * 140 + 20
        boxes[i] = Rect(x, y, x + 110, y + 60)
    pairs = [(i, j, 0, 0) for i in range(nodes)
             for j in (rng.randrange(nodes), rng.randrange(nodes)) if j != i]
    return boxes, pairs


def tidy(nodes: int, seed: int = 0, rows: int = 8) -> tuple[Boxes, Pairs]:
    """A tidy flow as people build them: columns of nodes snapped to the grid, each
    linked from one of its two outputs to one or two nodes a column or two on, a few rows
    up or down (now and then one back)."""
    rng = random.Random(seed)
    boxes: Boxes = {}
    for i in range(nodes):
        column, row = divmod(i, rows)
        x, y = column * 240 + rng.choice((0, 20, 40)), row * 140 + rng.choice((0, 20))
        boxes[i] = Rect(x, y, x + 120, y + 70)
    columns = -(-nodes // rows)
    pairs = []
    for i in range(nodes):
        column, row = divmod(i, rows)
        for _ in range(rng.choice((1, 2, 2))):
            to_column, to_row = column + rng.choice((1, 1, 1, 2, -1)), row + rng.randint(-2, 2)
            j = to_column * rows + to_row
            if 0 <= to_column < columns and 0 <= to_row < rows and j < nodes and j != i:
                pairs.append((i, j, rng.randrange(2), rng.randrange(2)))
    return boxes, pairs


def ends(boxes: Boxes, pairs: Pairs) -> list[LinkEnds]:
    """The links of a layout, from output row ``out_row`` to input row ``in_row``."""
    out = []
    for source, target, out_row, in_row in pairs:
        s, t = boxes[source], boxes[target]
        out.append(LinkEnds(source, target, (s.right, s.top + 35 + 18 * out_row),
                            (t.left, t.top + 35 + 18 * in_row), (source, out_row)))
    return out


def drag(boxes: Boxes, pairs: Pairs, repeat: int) -> tuple[float, float]:
    """The slowest step of dragging the middle node, and the drop (best of replays)."""
    node = len(boxes) // 2 + 3
    frames = []
    moved = dict(boxes)
    for _ in range(12):
        box = moved[node]
        moved = {**moved, node: Rect(box.left + 20, box.top + 20, box.right + 20,
                                     box.bottom + 20)}
        frames.append((moved, ends(moved, pairs)))
    steps = [float("inf")] * len(frames)
    drop = float("inf")
    for _ in range(max(1, repeat)):
        router = Router()
        router.route(boxes, ends(boxes, pairs))
        for n, (shown, links) in enumerate(frames):
            steps[n] = min(steps[n], best_time(_call(router, shown, links, True)))
        drop = min(drop, best_time(_call(router, *frames[-1], False)))
    return max(steps), drop


def _call(router: Router, boxes: Boxes, links: list[LinkEnds],
          quick: bool) -> Callable[[], object]:
    return lambda: router.route(boxes, links, quick=quick)


def _full(boxes: Boxes, links: list[LinkEnds]) -> Callable[[], object]:
    return lambda: route_links(boxes, links)


def main() -> None:
    args = parse_args(__doc__.splitlines()[0], repeat=3)
    print(machine_line())
    print(f"best of {args.repeat}; drag: slowest of 12 steps       full reroute   drag step"
          "        drop")
    worst80 = 0.0
    for name, make in (("stress", stress), ("tidy", tidy)):
        for nodes in (20, 40, 80):
            boxes, pairs = make(nodes)
            links = ends(boxes, pairs)
            full = best_time(_full(boxes, links), args.repeat)
            step, drop = drag(boxes, pairs, args.repeat)
            if nodes == 80:
                worst80 = max(worst80, step)
            print(f"  {name:6} {nodes:3} nodes {len(links):4} links           "
                  f"{full * 1000:8.1f} ms {step * 1000:8.1f} ms {drop * 1000:8.1f} ms")
    print(f"budget: {BUDGET * 1000:.0f} ms per drag step")
    print(f"ratio: {worst80 / BUDGET:.3f}")


if __name__ == "__main__":
    main()
