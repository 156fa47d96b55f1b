"""The Classify tab's result list: one entry per finished run, each keeping its
``Evaluation`` for the report and for the viewers of the right-click menu
(``result_menu``), and one per model loaded from a file (``loaded_model``)."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QGroupBox, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from workbench.gui.explorer.loaded_model import LoadedModel
from workbench.gui.widgets.focus_frame import frame_focus
from workbench.gui.widgets.focus_highlight import shade_selection_by_focus
from workbench.gui.widgets.literal import tooltip_text

VISIBLE_ROWS = 4  # entries the list always shows, however tall the parameter sheet is


class _EntryList(QListWidget):
    """A list that taking the keyboard does not make an entry current.

    Qt makes the first entry current (unselected) when a list with no current entry gets
    focus; that showed the first run's report, with nothing selected, after a new file
    was opened (the output pane is cleared then). The arrow keys still start at the
    first entry.
    """

    def focusInEvent(self, event: QFocusEvent) -> None:
        if self.currentRow() >= 0:
            super().focusInEvent(event)
            return
        self.blockSignals(True)
        try:
            super().focusInEvent(event)
            self.setCurrentRow(-1, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        finally:
            self.blockSignals(False)


class ResultList(QGroupBox):
    """The runs so far, newest last; ``shown`` fires with the evaluation to report."""

    shown = Signal(object)  # the Evaluation of the selected entry
    emptied = Signal()      # the last entry was removed
    removed = Signal()      # an entry was removed (Delete result)
    opened = Signal()       # Enter on an entry: its report is shown, to be read

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Result list (right-click for options)", parent)
        # ``evaluations[i]`` is entry i of ``results_list``: they change together.
        self.evaluations: list[Any] = []
        self._before_run: Any = None   # the entry current when a run began (``restore``)
        self._unshown: Any = None      # the entry made current without its report
        self.results_list = _EntryList()
        self.results_list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.results_list.currentRowChanged.connect(self._selected)
        # Enter (or a double-click) opens the entry in the output area: its report,
        # and the keyboard there to scroll it (the report is six Tabs away otherwise).
        self.results_list.activated.connect(self._activated)
        self.results_list.clicked.connect(self._clicked)
        self.results_list.setToolTip("Select a result to see its report; right-click it, "
                                     "or press Shift+F10 or the Menu key, for its viewers "
                                     "(also in the Result menu)")
        shade_selection_by_focus(self.results_list)
        frame_focus(self.results_list)  # the shade needs an entry; empty, this shows it
        # A floor of a few entries (a tall parameter sheet above scrolls instead); it
        # grows with the window.
        self.results_list.setMinimumHeight(self.rows_height(VISIBLE_ROWS))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 6)
        layout.addWidget(self.results_list)

    def rows_height(self, rows: int) -> int:
        """The list's height showing ``rows`` entries, with room for a horizontal scroll
        bar under them (a long name brings one)."""
        view = self.results_list
        row = view.fontMetrics().height() + 4  # an entry's text and its focus frame
        bar = view.horizontalScrollBar().sizeHint().height()
        return rows * row + bar + 2 * view.frameWidth()

    def add(self, evaluation: Any, label: str | None = None) -> None:
        """Append an evaluation, or a model loaded from a file (``LoadedModel``), and
        select it (which shows its report or the model)."""
        self.evaluations.append(evaluation)
        if isinstance(evaluation, LoadedModel):
            text = label or evaluation.label
        else:
            name = evaluation.results.classifier or evaluation.scheme
            text = label or f"{time.strftime('%H:%M:%S')} - {name}"
        item = QListWidgetItem(text)
        item.setToolTip(tooltip_text(text))  # the whole name, where the list cuts it
        self.results_list.addItem(item)
        # The new entry alone (with extended selection a plain setCurrentRow would add it
        # to the entries selected before).
        self.results_list.setCurrentRow(self.results_list.count() - 1,
                                        QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def remove(self, row: int) -> None:
        """Delete the entry (WEKA's "Delete result"): nothing here holds it after, so its
        model and predictions are freed."""
        if 0 <= row < len(self.evaluations):
            gone = self.evaluations.pop(row)
            if self._before_run is gone:
                self._before_run = None
            if self._unshown is gone:
                self._unshown = None
            self.results_list.takeItem(row)
            self.removed.emit()
            if not self.evaluations:
                self.emptied.emit()

    def current(self) -> Any:
        """The selected entry's evaluation, or None."""
        row = self.results_list.currentRow()
        return self.evaluations[row] if 0 <= row < len(self.evaluations) else None

    def showing_current(self) -> bool:
        """Whether the output pane shows the current entry's report (not the words of a
        run that kept no result, left by ``restore``)."""
        row = self.results_list.currentRow()
        return (0 <= row < len(self.evaluations) and self._unshown is None
                and self.results_list.item(row).isSelected())

    def deselect(self) -> None:
        """Select nothing, without showing anything (a run's report is on its way);
        ``restore`` brings the entry back if the run keeps no result."""
        self._before_run = self.current()
        self._set_current_quietly(-1)

    def restore(self) -> None:
        """After a run that kept no result (stopped, failed), make the entry that was
        current before it current again, without showing its report: the run's words
        stay in the output pane, and the Result menu acts on that entry instead of
        being all grey until the user went to the list. A click on the entry (or
        Enter) shows its report."""
        before, self._before_run = self._before_run, None
        if self.results_list.currentRow() >= 0 or before is None:
            return
        row = next((k for k, e in enumerate(self.evaluations) if e is before), -1)
        if row >= 0:
            self._set_current_quietly(row)
            self._unshown = before

    def _set_current_quietly(self, row: int) -> None:
        self.results_list.blockSignals(True)
        self.results_list.setCurrentRow(row, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.results_list.blockSignals(False)

    def _clicked(self, index: Any) -> None:
        """A click on the entry ``restore`` made current shows its report (a click on
        another entry changes the current one, which shows it)."""
        row = index.row()
        if 0 <= row < len(self.evaluations) and self.evaluations[row] is self._unshown:
            self._selected(row)

    def _activated(self, index: Any) -> None:
        if 0 <= index.row() < len(self.evaluations):
            self._selected(index.row())
            self.opened.emit()

    def _selected(self, row: int) -> None:
        self._unshown = None
        if 0 <= row < len(self.evaluations):
            self.shown.emit(self.evaluations[row])
