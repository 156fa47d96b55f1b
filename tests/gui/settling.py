"""Wait until a window's layout holds still, instead of sleeping a fixed time.

Qt lays widgets out over several event-loop turns (a layout request posts another, a
zero-delay timer fits a view, pyqtgraph applies its auto-range just before it paints),
and on a loaded machine a fixed ``qtbot.wait(N)`` may end before the last of them ran:
a check of what is drawn then reads a half-done layout. ``settle`` waits until what the
test is about to check has stopped changing over several turns in a row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# Turns in a row that must see the same state; each turn lets the event loop run for
# STEP_MS, long enough for zero-delay timers and posted layout requests to fire.
TURNS = 4
STEP_MS = 30


def settle(qtbot: Any, state: Callable[[], object], *, timeout: int = 10_000) -> None:
    """Run the event loop until ``state()`` returns the same value ``TURNS`` times in a
    row (compared with ``==``), failing after ``timeout`` ms if it never holds still.

    ``state`` should return what the following checks depend on: sizes, ranges, the
    texts drawn, a view's transform."""
    seen = [state()]

    def still() -> bool:
        qtbot.wait(STEP_MS)
        seen.append(state())
        return len(seen) >= TURNS and all(s == seen[-1] for s in seen[-TURNS:])

    qtbot.waitUntil(still, timeout=timeout)
