"""The palette: every node type of the registry by category, with a search box.

It reads ``all_node_types`` (built-ins, one per classifier and filter, and plugins), so a
plugin's component appears here without a line of GUI code. Items drag onto the canvas
as the node type's name (MIME ``application/x-workbench-node``); double-click, or Enter
on an item, adds one to the middle of the view, and Enter in the search box adds the
first component it found, so a keyboard user can build a flow too.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QColor, QDrag, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QHeaderView,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.registry import Registry
from workbench.flow.nodes import all_node_types
from workbench.flow.nodes.base import CATEGORIES
from workbench.gui.flow_editor.items import category_colour
from workbench.gui.flow_editor.text import summary
from workbench.gui.widgets.colours import readable

MIME_TYPE = "application/x-workbench-node"


def heading_colour(category: str, palette: QPalette) -> QColor:
    """A category's heading colour in the list: its nodes' header colour, moved toward
    the list's text colour where it would not read on the list's background (WCAG AA,
    as under a dark or high-contrast theme)."""
    return readable(category_colour(category), palette.color(QPalette.ColorRole.Base),
                    palette.color(QPalette.ColorRole.Text))


def _children(group: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    """The node types of a category's group (``child`` is None only past the count)."""
    return [item for i in range(group.childCount()) if (item := group.child(i)) is not None]


class _Tree(QTreeWidget):
    """The components' list: drags a component out, and ``chosen(item)`` on Enter."""

    chosen = Signal(QTreeWidgetItem)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter here, not ``itemActivated``: where the style activates on one click (KDE)
        # that signal would add a node on every click, and on a double-click it comes on
        # top of ``itemDoubleClicked``, adding the node twice.
        item = self.currentItem()
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and item is not None
                and item.data(0, Qt.ItemDataRole.UserRole)):
            self.chosen.emit(item)
            event.accept()
            return
        super().keyPressEvent(event)

    def startDrag(self, actions: Qt.DropAction) -> None:
        item = self.currentItem()
        name = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        if not name:
            return
        mime = QMimeData()
        mime.setData(MIME_TYPE, name.encode())
        drag = QDrag(self)
        drag.setMimeData(mime)
        # The list must not move under the pointer: a scroll during the drag would make
        # the next drag pick the component that slid under it.
        scrolled = self.verticalScrollBar().value()
        drag.exec(Qt.DropAction.CopyAction)
        self.verticalScrollBar().setValue(scrolled)


class Palette(QWidget):
    """Node types by category; ``add_requested(type_name)`` on double-click or Enter."""

    add_requested = Signal(str)

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search components...")
        self.search.setClearButtonEnabled(True)
        # Named for a screen reader: a placeholder is not a name, and a headerless tree
        # has none of its own.
        self.search.setAccessibleName("Search components")
        self.search.setAccessibleDescription("Enter adds the first component found to "
                                             "the flow")
        self.tree = _Tree()
        self.tree.setAccessibleName("Components")
        self.tree.setAccessibleDescription("Enter or double-click adds one to the flow; "
                                           "drag one onto the canvas to place it")
        self.tree.setHeaderHidden(True)
        self.tree.setDragEnabled(True)
        self.tree.setAutoScroll(False)  # leaving the list while dragging must not scroll it
        # Whole names, never "StringToWordVector (scikit-lea...": the column is as wide as
        # the longest name and a narrow dock scrolls sideways.
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.search)
        layout.addWidget(self.tree)
        self.groups: dict[str, QTreeWidgetItem] = {}
        types = sorted(all_node_types(registry),
                       key=lambda t: (t.display_name or t.name).lower())
        for category in CATEGORIES:
            members = [t for t in types if (t.category if t.category in CATEGORIES
                                            else "Plugins") == category]
            if not members:
                continue
            group = QTreeWidgetItem([category])
            group.setForeground(0, heading_colour(category, self.tree.palette()))
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            self.tree.addTopLevelItem(group)
            self.groups[category] = group
            for node_type in members:
                shown = node_type.display_name or node_type.name
                item = QTreeWidgetItem([shown])
                item.setData(0, Qt.ItemDataRole.UserRole, node_type.name)
                ports = ", ".join(f"{p.name} ({p.type})" for p in node_type.inputs) or "none"
                outs = ", ".join(f"{p.name} ({p.type})" for p in node_type.outputs) or "none"
                tip = summary(node_type.__doc__)
                component = getattr(node_type, "component", None)
                if component is not None and not tip:
                    tip = summary(getattr(component, "description", ""))
                named = shown if shown == node_type.name else f"{shown} ({node_type.name})"
                item.setToolTip(0, f"{named}\n{tip}\ninputs: {ports}\noutputs: {outs}")
                group.addChild(item)
        self.tree.expandAll()
        self.search.textChanged.connect(self.filter)
        self.tree.itemDoubleClicked.connect(self._double_clicked)
        self.tree.chosen.connect(lambda item: self._double_clicked(item, 0))
        self.search.returnPressed.connect(self.add_first_found)

    def type_names(self) -> list[str]:
        """Every node type name offered (visible or filtered out)."""
        return [item.data(0, Qt.ItemDataRole.UserRole)
                for g in self.groups.values() for item in _children(g)]

    def visible_names(self) -> list[str]:
        return [item.data(0, Qt.ItemDataRole.UserRole)
                for g in self.groups.values() for item in _children(g) if not item.isHidden()]

    def filter(self, text: str) -> None:
        """Show the node types whose name, title or tool tip contains every word."""
        words = text.lower().split()
        for group in self.groups.values():
            shown = 0
            for item in _children(group):
                haystack = f"{item.text(0)} {item.toolTip(0)}".lower()
                hide = not all(w in haystack for w in words)
                item.setHidden(hide)
                shown += not hide
            group.setHidden(shown == 0)

    def add_first_found(self) -> str | None:
        """Enter in the search box: add the first component the search shows (the one at
        the top of the list); None when it shows none or nothing was typed."""
        names = self.visible_names()
        if not names or not self.search.text().strip():
            return None
        self.add_requested.emit(names[0])
        return names[0]

    def _double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        name = item.data(0, Qt.ItemDataRole.UserRole)
        if name:
            self.add_requested.emit(name)
