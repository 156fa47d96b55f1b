"""Qt's own notices that say nothing to a user, kept off the terminal.

Qt's offscreen platform (``--screenshot`` without a display, CI) warns on every window
it shows that it "does not support propagateSizeHints()" or keyboard grabs: limits of
that platform plugin, not of the window, printed on stderr of a command that worked.
Every other Qt message still reaches stderr, as Qt's own handler would print it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QMessageLogContext,
    QtMsgType,
    qFormatLogMessage,
    qInstallMessageHandler,
)
from PySide6.QtGui import QGuiApplication

_PLATFORM_LIMITS = ("This plugin does not support",)


def is_platform_limit(message: str) -> bool:
    """Whether ``message`` is the offscreen plugin saying it lacks a window feature."""
    return message.startswith(_PLATFORM_LIMITS)


Handler = Callable[[QtMsgType, QMessageLogContext, str], Any]


def _passing_on_to(earlier: Handler | None) -> Handler:
    """A handler that drops the platform's limits and hands every other message to the
    handler it replaced (pytest-qt's capture, a user's own), or prints it formatted
    as Qt's default handler would (``QT_MESSAGE_PATTERN`` included)."""
    def handle(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if is_platform_limit(message):
            return
        if earlier is not None:
            earlier(kind, context, message)
        else:
            print(qFormatLogMessage(kind, context, message), file=sys.stderr)
    return handle


def quiet_platform_limits() -> None:
    """On the offscreen platform, drop its "does not support" notices (call once the
    QGuiApplication exists; on a real display Qt's handler stays as it is)."""
    if QGuiApplication.platformName() == "offscreen":
        earlier = qInstallMessageHandler(None)
        qInstallMessageHandler(_passing_on_to(earlier))
