"""Where a name from a stranger's file would reach Qt as rich text (walkthrough 13a, D6).

Qt renders text that *looks* like HTML as HTML in labels (``Qt.AutoText``), tooltips,
message boxes and every pyqtgraph title, axis label and legend; an ``<img src=PATH>``
in such text makes Qt read PATH from the disk (``/dev/zero`` until memory runs out, a
FIFO forever). The tests open data whose names carry ``HOSTILE`` and walk every widget
shown, asking of each text Qt would treat as rich whether the tag arrived raw (a name
shown safely arrives as plain text, or escaped: ``&lt;img``)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6 import QtGui
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QGraphicsTextItem,
    QGraphicsView,
    QLabel,
    QMessageBox,
    QTabBar,
    QTextEdit,
    QWidget,
)

IMAGE = '<img src="/nonexistent/x.png">'
BOLD = "<b>bold</b>"
HOSTILE = IMAGE + BOLD      # every name in the data starts with it
MARKS = ('<img src="/nonexistent', "<b>bold")   # what a cut-short (elided) name keeps


def hostile_arff(folder: Path) -> Path:
    """A small dataset whose relation, attribute names and class labels all carry
    ``HOSTILE``: two numeric attributes, a nominal one and a nominal class, enough rows
    for cross-validation and every Explorer viewer."""
    def name(word: str) -> str:
        return "'" + (HOSTILE + word).replace("'", "\\'") + "'"

    lines = [f"@relation {name('rel')}",
             f"@attribute {name('x')} numeric",
             f"@attribute {name('y')} numeric",
             f"@attribute {name('colour')} {{{name('red')},{name('blue')}}}",
             f"@attribute {name('class')} {{{name('yes')},{name('no')}}}",
             "@data"]
    for i in range(40):
        yes = i % 2 == 0
        colour = name("red") if i % 3 else name("blue")
        label = name("yes") if yes else name("no")
        lines.append(f"{i % 7 + (3 if yes else 0)},{(i * 5) % 11},{colour},{label}")
    path = folder / "hostile.arff"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _raw(text: str) -> bool:
    return any(mark in text for mark in MARKS)


def _rich(text: str, text_format: Qt.TextFormat = Qt.TextFormat.AutoText) -> bool:
    if text_format == Qt.TextFormat.PlainText:
        return False
    if text_format == Qt.TextFormat.AutoText:
        return QtGui.Qt.mightBeRichText(text)  # in QtGui's Qt, not QtCore's
    return True


def rich_and_raw(text: str) -> bool:
    """True when Qt would render ``text`` (a tooltip, an auto-format label) as HTML and
    a hostile tag in it arrived raw."""
    return bool(text) and _rich(text) and _raw(text)


def _tip(where: str, tip: str, leaks: list[str]) -> None:
    if rich_and_raw(tip):
        leaks.append(f"{where} tooltip: {tip!r}")


def _columns(model: QAbstractItemModel, parent: QModelIndex) -> int:
    try:
        return model.columnCount(parent)
    except TypeError:   # a list model, whose columnCount PySide keeps private
        return 1


def _model_leaks(view: QAbstractItemView, where: str, leaks: list[str]) -> None:
    model = view.model()
    if model is None:
        return
    top = QModelIndex()
    rows, columns = min(model.rowCount(top), 60), min(_columns(model, top), 60)
    for orientation, count in ((Qt.Orientation.Horizontal, columns),
                               (Qt.Orientation.Vertical, rows)):
        for section in range(count):
            tip = model.headerData(section, orientation, Qt.ItemDataRole.ToolTipRole)
            _tip(f"{where} header {section}", str(tip or ""), leaks)

    def walk(parent: QModelIndex, depth: int) -> None:
        for row in range(min(model.rowCount(parent), 60)):
            for column in range(min(_columns(model, parent), 60)):
                index = model.index(row, column, parent)
                tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
                _tip(f"{where} cell {row},{column}", str(tip or ""), leaks)
                if column == 0 and depth < 3 and model.rowCount(index) > 0:
                    walk(index, depth + 1)

    walk(QModelIndex(), 0)


def _scene_leaks(view: QGraphicsView, where: str, leaks: list[str]) -> None:
    scene = view.scene()
    if scene is None:
        return
    for item in scene.items():
        _tip(f"{where} item {type(item).__name__}", item.toolTip(), leaks)
        if isinstance(item, QGraphicsTextItem):
            html, plain = item.toHtml(), item.toPlainText()
            # A tag that was rendered leaves an <img> in the document, or the word
            # "bold" without its tags around it; an escaped one shows both literally.
            if 'src="/nonexistent' in html or ("bold" in plain and "<b>bold" not in plain):
                leaks.append(f"{where} {type(item).__name__}: {plain!r}")


def _action_leaks(actions: Iterable[QAction], where: str, leaks: list[str]) -> None:
    for action in actions:
        if action.toolTip() != action.text().replace("&", ""):  # Qt's own default
            _tip(f"{where} action {action.text()!r}", action.toolTip(), leaks)
        if action.menu() is not None:
            _action_leaks(action.menu().actions(), where, leaks)


def rich_text_leaks(widgets: Iterable[QWidget] | None = None) -> list[str]:
    """Every place among ``widgets`` (default: every top-level window and everything in
    it) where a raw ``HOSTILE`` tag reaches text that Qt renders as rich text."""
    leaks: list[str] = []
    tops = list(QApplication.topLevelWidgets() if widgets is None else widgets)
    for top in tops:
        for widget in [top, *top.findChildren(QWidget)]:
            where = f"{type(top).__name__}/{type(widget).__name__}" \
                    f"({widget.objectName() or ''})"
            _tip(where, widget.toolTip(), leaks)
            _action_leaks(widget.actions(), where, leaks)
            if isinstance(widget, QMessageBox):
                for text in (widget.text(), widget.informativeText()):
                    if _rich(text, widget.textFormat()) and _raw(text):
                        leaks.append(f"{where} message: {text!r}")
            if isinstance(widget, QLabel) and _rich(widget.text(), widget.textFormat()) \
                    and _raw(widget.text()):
                leaks.append(f"{where} label: {widget.text()!r}")
            if isinstance(widget, QTextEdit) and 'src="/nonexistent' in widget.toHtml():
                leaks.append(f"{where} text: {widget.toPlainText()[:200]!r}")
            if isinstance(widget, QTabBar):
                for i in range(widget.count()):
                    _tip(f"{where} tab {i}", widget.tabToolTip(i), leaks)
            if isinstance(widget, QAbstractItemView):
                _model_leaks(widget, where, leaks)
            if isinstance(widget, QGraphicsView):
                _scene_leaks(widget, where, leaks)
    return leaks


def shown_literally(widgets: Iterable[QWidget] | None = None) -> list[str]:
    """The texts of the labels among ``widgets`` that show a hostile name as a person
    reads it (``<img src=...>``, tags and all): proof the walk saw the names at all."""
    tops = list(QApplication.topLevelWidgets() if widgets is None else widgets)
    return [label.text() for top in tops for label in top.findChildren(QLabel)
            if _raw(label.text()) and not _rich(label.text(), label.textFormat())]


def assert_no_leaks(what: object = "") -> None:
    """Fail, listing every leak at once, when any window shows a raw hostile tag."""
    leaks = rich_text_leaks()
    assert not leaks, f"{what}:\n" + "\n".join(leaks)
