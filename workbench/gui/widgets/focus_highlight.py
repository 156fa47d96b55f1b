"""Show which list has keyboard focus by its selection colour, as Windows, GNOME and
macOS do: the selected entry in the full selection colour while the list has focus,
in a pale shade of it otherwise.

Qt's Fusion style draws a selection the same whether its view has focus or not (it only
distinguishes an inactive window) and marks the focused entry with a 1-px frame inside
that selection, so a keyboard user tabbing to the Explorer's result list could not tell
that the arrows and Shift+F10 would now act on it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractItemView, QApplication

from workbench.gui.widgets.palette_follow import follow_palette

# How much of the selection colour the pale shade keeps (the rest is the list's base).
PALE = 0.35


def blend(colour: QColor, base: QColor, amount: float) -> QColor:
    """``amount`` of ``colour`` over ``base``."""
    mix = [amount * a + (1 - amount) * b for a, b in zip(
        (colour.redF(), colour.greenF(), colour.blueF()),
        (base.redF(), base.greenF(), base.blueF()), strict=True)]
    return QColor.fromRgbF(mix[0], mix[1], mix[2])


def unfocused_palette(palette: QPalette) -> QPalette:
    """``palette`` with its selection pale and its selected text the normal text."""
    pale = QPalette(palette)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        highlight = palette.color(group, QPalette.ColorRole.Highlight)
        base = palette.color(group, QPalette.ColorRole.Base)
        pale.setColor(group, QPalette.ColorRole.Highlight, blend(highlight, base, PALE))
        pale.setColor(group, QPalette.ColorRole.HighlightedText,
                      palette.color(group, QPalette.ColorRole.Text))
    return pale


class _FocusShade(QObject):
    """Sets the view's palette on every focus change (a child of the view)."""

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self.view = view
        view.installEventFilter(self)
        # Again after a theme change: the pale shade set on the view is the old theme's
        # until the next focus change otherwise.
        follow_palette(view, self.update)

    def update(self) -> None:
        own = QApplication.palette(self.view)   # the theme's, never our pale copy
        self.view.setPalette(own if self.view.hasFocus() else unfocused_palette(own))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            self.update()
        return False


def shade_selection_by_focus(view: QAbstractItemView) -> None:
    """Draw ``view``'s selection in full colour only while it has keyboard focus."""
    _FocusShade(view)
