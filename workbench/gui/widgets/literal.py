"""Text from a file shown as text, never as HTML.

Qt renders a label's text, a tooltip or a message box's text as HTML whenever it looks
like HTML (``Qt.AutoText``, ``Qt::mightBeRichText``), and every pyqtgraph title, axis
label and legend entry always. A relation, attribute or class name, a file name or an
error message quoting one comes from a stranger's file; as HTML, ``<img src=PATH>``
makes Qt read PATH from the disk while the window paints (``/dev/zero`` until memory
runs out, a FIFO for ever; walkthrough 13a, D6) and ``<h1>`` or ``<b>`` dress the
name as the window's own words. So such text goes through one of these on its way in.
"""

from __future__ import annotations

import html
from typing import TypeVar

from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

Shown = TypeVar("Shown", QLabel, QMessageBox)


def plain(widget: Shown) -> Shown:
    """``widget`` (a label, a message box) set to show its text as written, tags and
    all, whatever it is given later; returned, so a label is made and set in one line."""
    widget.setTextFormat(Qt.TextFormat.PlainText)
    return widget


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A label for text that may come from a file: shown as written, never as HTML."""
    return plain(QLabel(text, parent))


def html_text(text: str) -> str:
    """``text`` ready to stand inside HTML (a pyqtgraph title, axis label or legend
    entry, a rich label's own layout) and read there as written: ``<`` as ``&lt;``."""
    return html.escape(text, quote=False)


def tooltip_text(text: str) -> str:
    """``text`` as a tooltip that shows it as written. Qt takes a tooltip for HTML when
    it looks like HTML; then it is escaped (its line breaks kept), else left alone, so
    an ordinary tooltip keeps Qt's plain-text look."""
    if not QtGui.Qt.mightBeRichText(text):   # QtGui's Qt has it, QtCore's does not
        return text
    lines = (html_text(line) for line in text.split("\n"))
    return "<p style='white-space:pre'>" + "<br>".join(lines) + "</p>"


def message_box(icon: QMessageBox.Icon, title: str, text: str,
                buttons: QMessageBox.StandardButton, parent: QWidget | None = None,
                informative: str = "") -> QMessageBox:
    """A message box that shows ``text`` and ``informative`` as written: an error that
    quotes a file's name, a list of the paths a flow would write. (QMessageBox's
    static ``warning`` and ``question`` take such text for HTML when it looks like it.)"""
    box = plain(QMessageBox(icon, title, text, buttons, parent))
    if informative:
        box.setInformativeText(informative)
        for label in box.findChildren(QLabel, "qt_msgbox_informativelabel"):
            label.setTextFormat(Qt.TextFormat.PlainText)
    return box


def warn(parent: QWidget | None, title: str, text: str) -> None:
    """``QMessageBox.warning`` for a text that may quote a file: shown as written."""
    message_box(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok,
                parent).exec()


def ask(parent: QWidget | None, title: str, text: str,
        buttons: QMessageBox.StandardButton,
        default: QMessageBox.StandardButton = QMessageBox.StandardButton.NoButton
        ) -> QMessageBox.StandardButton:
    """``QMessageBox.question`` for a text that may quote a file: shown as written."""
    box = message_box(QMessageBox.Icon.Question, title, text, buttons, parent)
    if default != QMessageBox.StandardButton.NoButton:
        box.setDefaultButton(default)
    return QMessageBox.StandardButton(box.exec())
