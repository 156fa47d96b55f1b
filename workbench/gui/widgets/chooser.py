"""Choose a component (classifier, filter) from the registry, grouped by category.

WEKA's "Choose" button opens a tree of packages; here a button opens a menu with one
submenu per category, read from the same registry as ``workbench list`` and the flow
palette, so a plugin's classifier appears here the moment it registers. A search field
at the top of the menu finds one by typing part of any of its names (``menu_search``),
as WEKA's "Search:" above its tree does.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMenu, QPushButton, QWidget

from workbench.core.registry import ComponentInfo, Registry
from workbench.gui.widgets.menu_search import MenuSearch


class ComponentChooser(QPushButton):
    """A "Choose" button whose menu lists one kind of component by category.

    ``chosen(name)`` fires when the user (or ``set_current``) picks another component;
    ``picked(name)`` each time the user picks one from the menu, the same one again
    included. With a ``label`` the button always says it ("Choose") instead of naming
    the current component: a field beside it names that (FilteredClassifier's inner
    classifier, where the field's text may have been typed).
    """

    chosen = Signal(str)
    picked = Signal(str)

    def __init__(self, registry: Registry, kind: str, current: str | None = None,
                 parent: QWidget | None = None, label: str | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.kind = kind
        self._label = label
        self._infos = {info.name: info for info in registry.list(kind)}
        menu = QMenu(self)
        categories: dict[str, QMenu] = {}
        for info in sorted(self._infos.values(), key=lambda i: (i.category, i.display_name)):
            sub = categories.get(info.category)
            if sub is None:
                sub = categories[info.category] = menu.addMenu(info.category)
            action = sub.addAction(info.display_name)
            action.setToolTip(info.description)
            action.setData(info.name)
            action.triggered.connect(lambda _=False, n=info.name: self._pick(n))
        self.search = MenuSearch(menu, list(self._infos.values()), kind, self._pick,
                                 anchor=self)
        self.setMenu(menu)
        self._current: str | None = None
        first = current if current in self._infos else next(iter(sorted(self._infos)), None)
        if first is not None:
            self.set_current(first)

    def names(self) -> list[str]:
        return sorted(self._infos)

    def current(self) -> ComponentInfo | None:
        return None if self._current is None else self._infos[self._current]

    def current_name(self) -> str | None:
        return self._current

    def _pick(self, name: str) -> None:
        self.set_current(name)
        self.picked.emit(self._current or name)

    def set_current(self, name: str) -> None:
        """Pick a component by name or WEKA alias."""
        info = self._infos.get(name) or self.registry.get(self.kind, name)
        self.setText(self._label or f"{info.display_name}  [{info.category}]")
        if self._label is None:
            self.setToolTip(info.description)
        if info.name != self._current:
            self._current = info.name
            self.chosen.emit(info.name)
