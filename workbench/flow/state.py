"""What a node is doing, as the canvas badge and the run log show it.

States are values, not flags on the node, so the executor can send them from its worker
thread to any observer (the GUI turns each into a queued signal) without sharing anything
mutable.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    IDLE = "idle"            # never run, or its result was dropped after a change
    QUEUED = "queued"        # waiting for its turn in this run
    RUNNING = "running"      # working; ``fraction`` says how far when known
    DONE = "done"            # finished (``cached`` when its earlier result was reused)
    ERROR = "error"          # failed; ``message`` says why
    BLOCKED = "blocked"      # not run because a node it depends on failed
    CANCELLED = "cancelled"  # the user stopped the run while it waited or worked


FINISHED = (Status.DONE, Status.ERROR, Status.BLOCKED, Status.CANCELLED)


@dataclass(frozen=True)
class NodeState:
    """One node's state: its status, progress fraction (0..1 or None) and a message.
    A finished node's state also carries the lines it logged while it worked (``log``),
    so a window can show them as the node ends, before what its successors do."""

    status: Status = Status.IDLE
    fraction: float | None = None
    message: str = ""
    cached: bool = False
    log: tuple[str, ...] = ()

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    def __str__(self) -> str:
        text = self.status.value
        if self.status is Status.RUNNING and self.fraction is not None:
            text += f" {self.fraction:.0%}"
        if self.cached:
            text += " (cached)"
        return f"{text}: {self.message}" if self.message else text


IDLE = NodeState()
