"""A read-only log with timestamps, where every run, error and file operation is noted,
so a failure the status bar showed for a moment can still be read afterwards."""

from __future__ import annotations

import time

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from workbench.gui.widgets.focus_frame import frame_focus


class LogPane(QPlainTextEdit):
    """``log(message)`` appends ``HH:MM:SS message``; ``text()`` returns everything."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Log")   # the Explorer's tab and the flow's dock
        self.setReadOnly(True)
        self.setMaximumBlockCount(5000)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        frame_focus(self)   # a Tab stop that showed nothing: keys typed here were lost

    def log(self, message: str) -> None:
        for line in message.splitlines() or [""]:
            self.appendPlainText(f"{time.strftime('%H:%M:%S')} {line}")

    def text(self) -> str:
        return self.toPlainText()
