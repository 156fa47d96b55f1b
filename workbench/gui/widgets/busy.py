"""Work that must run on the GUI thread and may take seconds: say so before it starts.

Building thousands of canvas items cannot move to a worker (Qt items live on the GUI
thread), so such work shows the busy cursor and lets the window repaint what it just
said ("Opening...", a progress bar) at the start and between chunks. Only painting and
timers run then, never the user's clicks and keys: a click in the middle of a half-built
scene would act on a state no code expects.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QApplication


def repaint_now() -> None:
    """Let the window paint what changed (a status line, a progress bar), and run due
    timers, without handling the user's input."""
    QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)


@contextmanager
def busy() -> Iterator[None]:
    """The busy cursor for the block, painted before it starts (what the window says
    about the work too), and the usual cursor back after it, whatever the block
    raised."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        repaint_now()
        yield
    finally:
        QApplication.restoreOverrideCursor()
