"""The status bar a desktop user expects: what is running, on which device, how much memory.

The device is asked once (finding CuPy can take a moment, and it does not change while
the program runs); memory is the resident size of this process, read every few seconds
from ``/proc`` where it exists, else from ``resource``'s peak figure.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QProgressBar, QSizePolicy, QStatusBar, QWidget

from workbench.gui.widgets.literal import tooltip_text
from workbench.gui.widgets.screen_reader import announce

_device_text: str | None = None


def device_text() -> str:
    """"CPU" or "GPU: <name>", as the engine would choose with device "auto"."""
    global _device_text
    if _device_text is None:
        from workbench.engine.backend import resolve_device

        text = "CPU"
        try:
            if resolve_device("auto") == "gpu":
                import cupy

                props = cupy.cuda.runtime.getDeviceProperties(cupy.cuda.Device().id)
                name = props["name"]
                text = "GPU: " + (name.decode() if isinstance(name, bytes) else str(name))
        except Exception:  # a broken CUDA install must not stop the window opening
            text = "CPU"
        _device_text = text
    return _device_text


def memory_mb() -> float:
    """Resident memory of this process in MiB."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError, AttributeError):
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (2**20 if sys.platform == "darwin" else 2**10)


class ElidedLabel(QLabel):
    """A one-line label that never widens its window: a text longer than the room it is
    given ("Saved /a/long/path/flow.kflow.json") is drawn elided in the middle and shown
    whole in its tooltip, while ``text()`` stays whole. (A plain QLabel asks for its
    text's full width, which once made a window 1196 px wide at least.)"""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setTextFormat(Qt.TextFormat.PlainText)   # a file name is never HTML
        self._tail = 0   # how many characters at the end are kept whole (``set_text``)
        self._sep = 0    # and how many before them join them to the rest
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def setText(self, text: str) -> None:
        self._tail = self._sep = 0
        super().setText(text)
        self._update_tooltip()

    def set_text(self, text: str, keep: str = "", sep: str = ": ") -> None:
        """Show ``text``, ``sep`` and ``keep``; when they do not fit, ``text`` is elided
        first and ``keep`` (the reason after a long path: "Cannot open /a/long/path:
        link 7: the flow has no node 'ghost'") stays whole while it fits alone."""
        self.setText(text + sep + keep if keep else text)
        self._tail = len(keep)
        self._sep = len(sep) if keep else 0
        self._update_tooltip()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_tooltip()

    def shown_text(self) -> str:
        """The text as drawn: whole, or elided to the label's width: in the middle, or
        with a kept end (``set_text``) the part before it, in its middle, then if need
        be the kept end itself, at its end (its start says what went wrong)."""
        metrics, width, text = self.fontMetrics(), self.contentsRect().width(), self.text()
        if not self._tail or metrics.horizontalAdvance(text) <= width:
            return metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, width)
        cut = self._tail + self._sep
        head, tail = text[:-cut], text[-cut:]
        room = width - metrics.horizontalAdvance(tail)
        if room >= metrics.horizontalAdvance("M\u2026M"):
            return metrics.elidedText(head, Qt.TextElideMode.ElideMiddle, room) + tail
        return metrics.elidedText(text[-self._tail:], Qt.TextElideMode.ElideRight, width)

    def _update_tooltip(self) -> None:
        self.setToolTip(tooltip_text(self.text()) if self.shown_text() != self.text()
                        else "")

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.drawText(self.contentsRect(), self.alignment(), self.shown_text())


class WorkbenchStatusBar(QStatusBar):
    """Message on the left; progress, device and memory on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.activity = ElidedLabel("Ready")
        self._spoken = ""   # what the screen reader was last told (``set_activity``)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(160)
        self.progress.setRange(0, 100)
        self.progress.hide()
        self.device = QLabel(device_text())
        self.memory = QLabel()
        self.addWidget(self.activity, 1)
        self.addPermanentWidget(self.progress)
        self.addPermanentWidget(self.device)
        self.addPermanentWidget(self.memory)
        self._timer = QTimer(self)
        self._timer.setInterval(3000)
        self._timer.timeout.connect(self.update_memory)
        self._timer.start()
        self.update_memory()

    def update_memory(self) -> None:
        self.memory.setText(f"{memory_mb():.0f} MB")

    def set_activity(self, text: str, reason: str = "", *, spoken: bool = True) -> None:
        """Say ``text``, then ``reason`` (after ": "), which survives eliding: a long
        path before it is cut, not the reason.

        A screen reader speaks it too ("Finished MLP in 3.8 s", "Run failed: ..."):
        nobody looks at the status bar without sight, and Orca reads a label only
        when asked. Not with ``spoken`` False (progress that changes many times a
        second would drown out everything else), nor again while the words are those
        it spoke last (a run's outcome is set as it ends and again when it is done)."""
        self.activity.set_text(text, reason)
        words = self.activity.text()
        if spoken and words != self._spoken:
            self._spoken = words
            announce(self.activity, words)

    def set_fraction(self, fraction: float | None) -> None:
        """Show the bar while work runs; None hides it."""
        if fraction is None:
            self.progress.hide()
        else:
            self.progress.show()
            self.progress.setValue(round(100 * min(max(fraction, 0.0), 1.0)))
