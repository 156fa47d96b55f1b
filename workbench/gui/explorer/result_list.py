"""The Classify tab's result list: one entry per finished run, each keeping its
``Evaluation`` for the report and for the viewers of the right-click menu
(``result_menu``)."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import QGroupBox, QListWidget, QListWidgetItem, QVBoxLayout, QWidget


class ResultList(QGroupBox):
    """The runs so far, newest last; ``shown`` fires with the evaluation to report."""

    shown = Signal(object)  # the Evaluation of the selected entry
    emptied = Signal()      # the last entry was removed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Result list (right-click for options)", parent)
        # ``evaluations[i]`` is entry i of ``results_list``: they change together.
        self.evaluations: list[Any] = []
        self.results_list = QListWidget()
        self.results_list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.results_list.currentRowChanged.connect(self._selected)
        self.results_list.setMinimumHeight(36)  # two rows; it grows with the window
        QVBoxLayout(self).addWidget(self.results_list)

    def add(self, evaluation: Any, label: str | None = None) -> None:
        """Append an evaluation and select it (which shows its report)."""
        self.evaluations.append(evaluation)
        name = evaluation.results.classifier or evaluation.scheme
        self.results_list.addItem(QListWidgetItem(
            label or f"{time.strftime('%H:%M:%S')} - {name}"))
        # The new entry alone (with extended selection a plain setCurrentRow would add it
        # to the entries selected before).
        self.results_list.setCurrentRow(self.results_list.count() - 1,
                                        QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def remove(self, row: int) -> None:
        if 0 <= row < len(self.evaluations):
            del self.evaluations[row]
            self.results_list.takeItem(row)
            if not self.evaluations:
                self.emptied.emit()

    def current(self) -> Any:
        """The selected entry's evaluation, or None."""
        row = self.results_list.currentRow()
        return self.evaluations[row] if 0 <= row < len(self.evaluations) else None

    def deselect(self) -> None:
        """Select nothing, without showing anything (a run's report is on its way)."""
        self.results_list.blockSignals(True)
        self.results_list.setCurrentRow(-1)
        self.results_list.blockSignals(False)

    def _selected(self, row: int) -> None:
        if 0 <= row < len(self.evaluations):
            self.shown.emit(self.evaluations[row])
