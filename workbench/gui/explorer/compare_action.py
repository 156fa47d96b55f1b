"""Compare selected: several results of the result list overlaid in one window.

The result list takes extended selection (Ctrl- and Shift-click, as in a file manager),
and its right-click menu gains "Compare selected", which opens
``workbench.gui.plots.compare.CompareRunsView`` on the selected results: their learning
curves and recorded dynamics, labelled by the parameters that differ between them.

The menu itself is ``ResultActions`` (``result_menu``); this module adds its entry as a
section of that menu (``add_menu_section``), so the menu, its tests and this entry stay
one menu.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QAbstractItemView, QMenu, QWidget

from workbench.core.errors import WorkbenchError
from workbench.gui.explorer.loaded_model import is_evaluation

MENU_TEXT = "Compare selected"


class CompareAction:
    """Extended selection in ``tab.results_list`` and "Compare selected" in the menus of
    ``actions`` (a ``ResultActions``), which opens and keeps the comparison windows."""

    def __init__(self, tab: Any, actions: Any) -> None:
        self.tab = tab
        self.actions = actions
        tab.results_list.setSelectionMode(
            QAbstractItemView.SelectionMode.ExtendedSelection)
        actions.add_menu_section(lambda menu, _row: self.add_to(menu))

    def selected_rows(self) -> list[int]:
        """The selected entries of the result list, top to bottom."""
        rows = {index.row() for index in self.tab.results_list.selectedIndexes()}
        return sorted(r for r in rows if 0 <= r < len(self.tab.evaluations))

    def comparable(self) -> list[int]:
        """The selected rows whose result kept a model with a training history."""
        evaluations = self.tab.evaluations
        return [r for r in self.selected_rows() if is_evaluation(evaluations[r])
                and evaluations[r].model is not None
                and getattr(evaluations[r].model, "history_", None) is not None]

    def add_to(self, menu: QMenu) -> None:
        """The menu's entry: enabled when two or more comparable results are selected."""
        rows = self.comparable()
        action = menu.addAction(MENU_TEXT)
        action.setEnabled(len(rows) >= 2)
        action.setToolTip("Overlay the learning curves (and recorded dynamics) of the "
                          "selected results; Ctrl- or Shift-click to select several")
        action.triggered.connect(lambda _=False: self._guarded())

    def _guarded(self) -> None:
        try:
            self.compare()
        except WorkbenchError as error:
            self.actions.report(f"Error: {MENU_TEXT}: {error}")

    def compare(self, rows: list[int] | None = None) -> QWidget:
        """Open the comparison of ``rows`` (default: the selected results with a
        training history)."""
        from workbench.gui.plots.compare import CompareRunsView

        rows = self.comparable() if rows is None else rows
        if len(rows) < 2:
            raise WorkbenchError("select two or more results of learners trained by epochs "
                                 "(MLP, CNN, DBN, RNN) to compare them")
        names = [self.tab.results_list.item(r).text() for r in rows]
        view = CompareRunsView([self.tab.evaluations[r] for r in rows], names)
        return self.actions.open_viewer(view)
