"""The top-level windows a tool opened: kept while open, let go once closed.

A viewer window (a confusion matrix, a scatter plot, an Explorer opened from the
launcher) has no parent widget, so only a Python reference keeps it from being deleted,
and the tool that opened it holds that reference in a list. A list that only grows keeps
every window a person ever opened in a session, with its plots and the data behind them.

Dropping a closed window's reference is not the way to free it: a window whose wrapper is
in a reference cycle is then deleted by Python's cycle collector, at whatever moment the
collector next runs, which can be inside a Python override (a pyqtgraph ``resizeEvent``)
that Qt is calling while it lays out that very window; Qt then goes on with freed items
and the process crashes. So a window kept here is deleted by Qt when it is closed
(``WA_DeleteOnClose``: ``deleteLater``, handled by the event loop, never in the middle of
the window's own events), and only its ``destroyed`` signal takes it off the list; by then
the Python wrapper holds nothing that could delete anything.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget


def keep_while_open(windows: list[QWidget], window: QWidget) -> QWidget:
    """Add ``window`` to ``windows`` until it is closed; returns the window.

    Closing it deletes it (a window that refuses to close, asking to save first, stays);
    the list loses it once Qt has deleted it.
    """
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    windows.append(window)

    def forget(_gone: QObject | None = None) -> None:
        # By identity, not equality: the argument Qt passes is a bare QObject by now.
        for i, kept in enumerate(windows):
            if kept is window:
                del windows[i]
                return

    window.destroyed.connect(forget)
    return window


def close_on_escape(window: QWidget) -> QWidget:
    """Esc closes ``window``, as it closes a dialog and the Knowledge Flow's viewers; a
    part that uses Esc itself (an open drop-down list) takes it first."""
    shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), window, window.close)
    shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
    return window
