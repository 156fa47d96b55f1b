"""Render a window offscreen, wait for its work to finish, save a PNG.

Used by ``workbench explorer --screenshot`` and ``workbench --screenshot`` for the
README's pictures and by tests: the event loop keeps running while we wait, so worker
results arrive through their queued signals exactly as they do on screen.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QThread
from PySide6.QtWidgets import QWidget

from workbench.core.atomic import atomic_path
from workbench.core.errors import WorkbenchError


def ensure_offscreen_if_headless() -> None:
    """Use Qt's offscreen platform when there is no display (CI, ssh, screenshots)."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) and \
            os.name == "posix" and not _is_macos():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def _is_macos() -> bool:
    import sys

    return sys.platform == "darwin"


def wait_until(condition: Callable[[], bool], timeout: float = 60.0,
               step_ms: int = 20) -> bool:
    """Process events until ``condition()`` is true or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, step_ms)
        if condition():
            return True
        if time.monotonic() > deadline:
            return False
        QThread.msleep(step_ms)


def save_png(widget: QWidget, path: str | os.PathLike[str]) -> Path:
    """Grab ``widget`` as it is drawn now and write it atomically as a PNG."""
    target = Path(path)
    if target.parent and not target.parent.exists():
        raise WorkbenchError(f"cannot save screenshot {target}: folder "
                             f"{target.parent} does not exist")
    for _ in range(3):  # let layouts and pyqtgraph settle before grabbing
        QCoreApplication.processEvents()
    pixmap = widget.grab()
    with atomic_path(target) as temp:
        if not pixmap.save(temp, "PNG"):
            raise WorkbenchError(f"cannot save screenshot {target}")
    return target


def dispose(widget: QWidget, close: bool = True) -> None:
    """Delete a window now, while the interpreter is fully alive (closed first unless
    ``close`` is False: a window that would ask to save its document).

    Leaving Qt objects (pyqtgraph items in particular) to the interpreter's final garbage
    collection can crash PySide6 6.12 at exit ("bool_dealloc"); a command that exits
    right after a screenshot therefore deletes its window first. The cycle collector
    goes back to Python too: no event loop will turn for the GUI thread's collector
    (``collector.py``) in a caller that goes on, as a script or a test does.
    """
    import gc

    from PySide6.QtCore import QEvent

    from workbench.gui.collector import collect_anywhere

    if close:
        widget.close()
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    gc.collect()
    collect_anywhere()


def screenshot(widget: QWidget, path: str | os.PathLike[str],
               ready: Callable[[], bool] | None = None, timeout: float = 300.0,
               size: tuple[int, int] | None = None) -> Path:
    """Show ``widget`` (offscreen where headless), wait for ``ready``, save a PNG."""
    if size is not None:
        widget.resize(*size)
    widget.show()
    if ready is not None and not wait_until(ready, timeout):
        raise WorkbenchError(f"gave up waiting after {timeout:g} s; no screenshot written")
    wait_until(lambda: False, 0.3)  # a few redraws (timers of live plots) before the grab
    return save_png(widget, path)
