"""Qt's own notices that say nothing to a user, kept off the terminal.

Qt's offscreen platform (``--screenshot`` without a display, CI) warns on every window
it shows that it "does not support propagateSizeHints()" or keyboard grabs: limits of
that platform plugin, not of the window, printed on stderr of a command that worked.
Every other Qt message still reaches stderr, as Qt's own handler would print it.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QGuiApplication

_PLATFORM_LIMITS = ("This plugin does not support",)


def is_platform_limit(message: str) -> bool:
    """Whether ``message`` is the offscreen plugin saying it lacks a window feature."""
    return message.startswith(_PLATFORM_LIMITS)


def _print_unless_platform_limit(_kind: QtMsgType, _context: QMessageLogContext,
                                 message: str) -> None:
    if not is_platform_limit(message):
        print(message, file=sys.stderr)


def quiet_platform_limits() -> None:
    """On the offscreen platform, drop its "does not support" notices (call once the
    QGuiApplication exists; on a real display Qt's handler stays as it is)."""
    if QGuiApplication.platformName() == "offscreen":
        qInstallMessageHandler(_print_unless_platform_limit)
