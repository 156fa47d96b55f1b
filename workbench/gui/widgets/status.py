"""The status bar a desktop user expects: what is running, on which device, how much memory.

The device is asked once (finding CuPy can take a moment, and it does not change while
the program runs); memory is the resident size of this process, read every few seconds
from ``/proc`` where it exists, else from ``resource``'s peak figure.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

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


class WorkbenchStatusBar(QStatusBar):
    """Message on the left; progress, device and memory on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.activity = QLabel("Ready")
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

    def set_activity(self, text: str) -> None:
        self.activity.setText(text)

    def set_fraction(self, fraction: float | None) -> None:
        """Show the bar while work runs; None hides it."""
        if fraction is None:
            self.progress.hide()
        else:
            self.progress.show()
            self.progress.setValue(round(100 * min(max(fraction, 0.0), 1.0)))
