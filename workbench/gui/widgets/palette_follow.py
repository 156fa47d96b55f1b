"""Keep a widget's own colours (those ``colours.py`` works out from the palette) right
when the palette changes while the window is open: the desktop switched to its dark
theme, or a test sets one.

A colour from ``colours.py`` is computed once, for the palette of the moment, and put
into a style sheet, a palette or an item's brush, where Qt keeps it: after a switch to a
dark theme the error red and hint grey chosen for the light one stayed, on a dark window
(walkthrough review). ``follow_palette`` calls the widget's own "apply my colours" again
after every change of the application's palette.

Qt tells every widget of that change (``QEvent.ApplicationPaletteChange``), but a widget
with a style sheet of its own is not sent ``PaletteChange`` and a child widget is not
sent the application's event (only windows are), so a widget cannot reliably hear it
itself. One hidden widget, made once per application, hears it and passes it on as a
signal; each follower is a child object of its widget, so a widget that is deleted stops
being called without anything to undo.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QWidget


class _Watcher(QWidget):
    """Never shown: a top-level widget, so Qt sends it the application's palette change."""

    changed = Signal()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ApplicationPaletteChange:
            self.changed.emit()
        return super().event(event)


_made: list[_Watcher] = []   # the one watcher, once made


def _watcher() -> _Watcher:
    """The application's one watcher, made on first use (on the GUI thread, where
    widgets are built)."""
    if not _made:
        _made.append(_Watcher())
    return _made[0]


class _Follower(QObject):
    """Calls ``apply`` after each palette change, for as long as its widget lives."""

    def __init__(self, widget: QWidget, apply: Callable[[], None]) -> None:
        super().__init__(widget)
        self._apply = apply
        _watcher().changed.connect(self.reapply)

    def reapply(self) -> None:
        self._apply()


def follow_palette(widget: QWidget, apply: Callable[[], None]) -> None:
    """Call ``apply`` now and again after every change of the application's palette, for
    as long as ``widget`` lives. ``apply`` sets the widget's colours from ``colours.py``
    (or whatever else it derives from the palette), reading the palette anew each time."""
    apply()
    _Follower(widget, apply)


def keep_style(widget: QWidget, style: Callable[[], str]) -> None:
    """``widget.setStyleSheet(style())``, now and after every palette change: the usual
    case, a label styled by ``colours.error_style`` or ``colours.hint_style``."""
    follow_palette(widget, lambda: widget.setStyleSheet(style()))
