"""What a screen reader is told beyond what Qt's widgets tell it by themselves.

Two things Qt does not do for us. A message that appears somewhere the user is not
(the status bar's "Finished MLP in 3.8 s", a red error over the Preprocess panels) only
changes a label's text, and Orca speaks a label only when asked: ``announce`` sends it
as an AT-SPI announcement, which Orca speaks at once (politely, after what it is
saying; an error assertively, interrupting it). And a plot is a picture: without a name
and a description it is an unnamed "panel" to a blind user, so ``describe`` gives it a
text alternative ("ROC curve for class Iris-setosa"; "MLP: AUC 0.990"), kept up to date
as the plot changes (Qt tells the screen reader of each change of name or description).
"""

from __future__ import annotations

from typing import Any

from PySide6 import QtGui
from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import QWidget

# Announcements came with Qt 6.8; the package allows PySide6 6.6.1 and up. Without them
# a message is only the label's text change that Qt reports anyway.
_Announcement: Any = getattr(QtGui, "QAccessibleAnnouncementEvent", None)
_Politeness: Any = getattr(QAccessible, "AnnouncementPoliteness", None)


def can_announce() -> bool:
    """Whether this Qt sends announcements (6.8 and later)."""
    return _Announcement is not None and _Politeness is not None


def send(event: QAccessibleEvent) -> None:
    """Hand ``event`` to the accessibility bridge (a name of its own so tests can see
    what was sent: the bridge does nothing without a screen reader listening)."""
    QAccessible.updateAccessibility(event)


def announce(source: QWidget, message: str, *, assertive: bool = False) -> None:
    """Have the screen reader speak ``message`` (one line: the first), coming from
    ``source`` (the widget that shows it). Nothing for an empty message."""
    line = message.strip().splitlines()[0] if message.strip() else ""
    if not line or not can_announce():
        return
    event = _Announcement(source, line)
    event.setPoliteness(_Politeness.Assertive if assertive else _Politeness.Polite)
    send(event)


def describe(widget: QWidget, name: str, description: str = "") -> None:
    """Give ``widget`` (a plot) ``name`` and ``description`` as its text alternative.
    Qt sends NameChanged and DescriptionChanged for a text that differs, and only then."""
    widget.setAccessibleName(name)
    widget.setAccessibleDescription(description)
