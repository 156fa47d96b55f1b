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


def close_with_keys(window: QWidget) -> QWidget:
    """Esc closes ``window``, as it closes a dialog and the Knowledge Flow's viewers, and
    so does the platform's Close key (Ctrl+W, Cmd+W on a Mac), as it closes a
    document window; a part that uses Esc itself (an open drop-down list) takes it
    first. Bound to this window alone: Esc in the window that opened it is still that
    window's own (the Explorer's Stop)."""
    shortcut = QShortcut(window)
    shortcut.setKeys([QKeySequence(Qt.Key.Key_Escape),
                      *QKeySequence.keyBindings(QKeySequence.StandardKey.Close)])
    shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
    shortcut.activated.connect(window.close)
    return window


def close_all(windows: list[QWidget]) -> None:
    """Close every window of ``windows``: those a tool opened go with the tool's window
    (WEKA's Explorer takes its plots with it), and a plot left on screen kept the
    process running after File > Quit. Closing deletes them (``keep_while_open``)."""
    for window in list(windows):
        window.close()
