"""A "Search:" field at the top of a chooser's menu: type to find, as in WEKA and Orange.

WEKA 3.9's GenericObjectEditor has a search field above its tree and Orange's widget
search works the same way: the user types part of a name and picks from what is left.
The chooser's menu of categories stays exactly as it was for the mouse (and for the
arrow keys on an empty field); the field only takes the keyboard. It takes the focus
each time the menu opens, empty, so typing "ibk" and Return picks IBk.

While the field holds text, the categories give way to the matching entries, one flat
list (``component_search.find_components`` decides which and in what order): Up and
Down move through them with the focus kept in the field, so the text can still be
corrected, and Return picks the highlighted one (the first, until an arrow is pressed).
Esc closes the menu, leaving the choice as it was. A letter typed once the arrows have
gone into the categories comes back to the field, so typing always searches.

The menu grows and shrinks as the list does; Qt leaves a popup where it opened, so it
is put back whole on the screen beside its button (``popup_place``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QWidget,
    QWidgetAction,
)

from workbench.core.registry import ComponentInfo
from workbench.gui.widgets.component_search import find_components
from workbench.gui.widgets.popup_place import popup_position

_RETURN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def _menu_text(text: str) -> str:
    """``text`` as a menu entry shows it: an "&" is a literal one, not an access key."""
    return text.replace("&", "&&")


class MenuSearch(QObject):
    """The search field of ``menu`` (whose first entries are its category submenus),
    finding among ``infos``; ``pick(name)`` is called with the registry name chosen
    from the found entries. ``anchor`` is the button the menu opens from."""

    def __init__(self, menu: QMenu, infos: Sequence[ComponentInfo], kind: str,
                 pick: Callable[[str], None], anchor: QWidget) -> None:
        super().__init__(menu)
        self.menu = menu
        self._infos = list(infos)
        self._kind = kind
        self._pick = pick
        self._anchor = anchor
        self._categories = [a for a in menu.actions() if a.menu() is not None]
        self._found: list[QAction] = []   # in the menu while the field holds text
        self._opened_above = False

        box = QWidget()
        row = QHBoxLayout(box)
        margin = box.style().pixelMetric(box.style().PixelMetric.PM_MenuHMargin) + 4
        row.setContentsMargins(margin, 2, margin, 2)
        label = QLabel("Search:")
        self.field = QLineEdit()
        self.field.setClearButtonEnabled(True)
        self.field.setPlaceholderText("part of a name, e.g. IBk")
        # Wide enough for its hint: the menu then keeps its width while one match shows.
        hint = self.field.fontMetrics().horizontalAdvance(self.field.placeholderText())
        self.field.setMinimumWidth(hint + 2 * self.field.sizeHint().height())
        self.field.setToolTip(
            f"Type part of a {kind}'s name (WEKA's names too); Up and Down move through "
            "what is found, Return picks, Esc closes")
        label.setBuddy(self.field)
        row.addWidget(label)
        row.addWidget(self.field, 1)
        self.field_action = QWidgetAction(menu)
        self.field_action.setDefaultWidget(box)
        if menu.actions():
            first = menu.actions()[0]
            menu.insertAction(first, self.field_action)
            menu.insertSeparator(first)
        else:
            menu.addAction(self.field_action)
            menu.addSeparator()
        self._none = QAction(menu)
        self._none.setEnabled(False)

        self.field.textChanged.connect(self._show_found)
        self.field.installEventFilter(self)
        menu.installEventFilter(self)
        self._submenus = [a.menu() for a in self._categories]
        for submenu in self._submenus:
            submenu.installEventFilter(self)
        menu.aboutToShow.connect(self._opening)

    # -- what the menu shows --------------------------------------------------------

    def found_actions(self) -> list[QAction]:
        """The entries found for the field's text, in the order shown."""
        return list(self._found)

    def _opening(self) -> None:
        """Every opening starts empty, on the categories, with the field to type in."""
        self.field.clear()
        self._show_found("")
        self.field.setFocus(Qt.FocusReason.PopupFocusReason)

    def _show_found(self, text: str) -> None:
        for action in self._found:
            self.menu.removeAction(action)
            if action is not self._none:
                action.deleteLater()
        self._found = []
        searching = bool(text.strip())
        for category in self._categories:
            category.setVisible(not searching)
        if searching:
            found = find_components(self._infos, text)
            for hit in found:
                label = hit.info.display_name
                if hit.found_as is not None:
                    label = f"{label}  ({hit.found_as})"
                action = QAction(f"{_menu_text(label)}\t{_menu_text(hit.info.category)}",
                                 self.menu)
                action.setToolTip(hit.info.description)
                action.setData(hit.info.name)
                action.triggered.connect(lambda _=False, n=hit.info.name: self._pick(n))
                self._found.append(action)
            if not found:
                nothing = f"No {self._kind} matches \u201c{text.strip()}\u201d"
                self._none.setText(_menu_text(nothing))
                self._found.append(self._none)
            self.menu.addActions(self._found)
            if found:
                self.menu.setActiveAction(self._found[0])
        else:
            self.menu.setActiveAction(self.field_action)
        self._keep_on_screen()

    def _keep_on_screen(self) -> None:
        """Whole on the screen beside the button, on the side it opened on while it
        fits there: the menu grew or shrank in place, from its top-left corner."""
        if not self.menu.isVisible():
            return
        self.menu.adjustSize()
        button = QRect(self._anchor.mapToGlobal(QPoint(0, 0)), self._anchor.size())
        screen = self.menu.screen().availableGeometry()
        size = self.menu.size()
        if self._opened_above and button.top() - size.height() >= screen.top():
            self.menu.move(self.menu.x(), button.top() - size.height())
        else:
            self.menu.move(popup_position(button, self.menu.x(), size, screen))

    # -- keys -----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.menu and event.type() == QEvent.Type.Show:
            button_top = self._anchor.mapToGlobal(QPoint(0, 0)).y()
            self._opened_above = self.menu.y() < button_top
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if watched is self.field:
            return self._field_key(event)
        if watched is self.menu and not self.field.hasFocus():
            return self._menu_key(event)
        if watched in self._submenus and isinstance(watched, QMenu):
            return self._menu_key(event, watched)
        return False

    def _field_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.menu.close()
            return True
        if not self.field.text().strip():
            if key == Qt.Key.Key_Down and self._categories:
                # On into the categories with the menu's own keys: Right opens one.
                self.menu.setFocus(Qt.FocusReason.PopupFocusReason)
                self.menu.setActiveAction(self._categories[0])
                return True
            return key in _RETURN_KEYS   # nothing to pick yet
        picks = [a for a in self._found if a.isEnabled()]
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and picks:
            active = self.menu.activeAction()
            step = 1 if key == Qt.Key.Key_Down else -1
            at = picks.index(active) + step if active in picks else (0 if step > 0 else -1)
            self.menu.setActiveAction(picks[at % len(picks)])
            return True
        if key in _RETURN_KEYS:
            active = self.menu.activeAction()
            chosen = active if active in picks else (picks[0] if picks else None)
            if chosen is not None:
                self.menu.close()
                chosen.trigger()
            return True
        return key in (Qt.Key.Key_Down, Qt.Key.Key_Up)

    def _menu_key(self, event: QKeyEvent, submenu: QMenu | None = None) -> bool:
        """A letter typed in the categories, or in a category's own menu (open under
        the pointer), goes to the field: typing always searches."""
        text = event.text()
        plain = not (event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                          | Qt.KeyboardModifier.AltModifier
                                          | Qt.KeyboardModifier.MetaModifier))
        if plain and text and text.isprintable() and not text.isspace():
            if submenu is not None:
                submenu.hide()
            self.field.setFocus(Qt.FocusReason.PopupFocusReason)
            self.menu.setActiveAction(self.field_action)
            self.field.insert(text)
            return True
        return False
