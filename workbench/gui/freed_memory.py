"""Freed memory given back to the system soon after the window let go of much of it.

A run's end and a deleted result free tens of MB on MNIST-sized data, but not at
once: the worker thread ends after its last signal, a popup menu's entries (which held
the deleted result) are deleted when the event loop next turns. So the window asks for
it "soon", and one timer gives back what is free once things have settled
(``core/memory_return.py`` says why glibc needs asking); requests close together make
one trim.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from workbench.core.memory_return import give_back_freed_memory

SETTLE_MS = 500   # after the last request: the worker joined, deferred deletions done


class _Soon(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SETTLE_MS)
        self.timer.timeout.connect(self._give_back)

    def _give_back(self) -> None:
        give_back_freed_memory()


_soon: _Soon | None = None


def give_back_soon() -> None:
    """Give freed memory back once the event loop has settled (GUI thread only)."""
    global _soon
    if _soon is None:
        _soon = _Soon()
    _soon.timer.start()   # (re)started: requests close together make one trim
