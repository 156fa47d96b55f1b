"""The Setup tab's list of classifiers, each entry exactly what a saved spec holds.

An entry is ``{"name", "params", "label"}`` after a JSON round trip, checked by the
registry when it is added or edited, so a list that shows a classifier can always be
saved and run. The row shows the name the user chose from the menu ("IBk -K 3"), the
tooltip the command line.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from workbench.core.errors import WorkbenchError
from workbench.core.registry import Registry
from workbench.evaluation.evaluate import scheme_text
from workbench.gui.experimenter.setup_list import SetupList
from workbench.gui.widgets.literal import tooltip_text

ROLE = Qt.ItemDataRole.UserRole


class ClassifierList(SetupList):
    """Classifier entries of an experiment; ``changed`` after an add or a removal."""

    changed = Signal()

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)

    def entries(self) -> list[dict[str, Any]]:
        return [dict(self.item(i).data(ROLE)) for i in range(self.count())]

    def entry(self, row: int) -> dict[str, Any]:
        return dict(self.item(row).data(ROLE))

    def add(self, name: str, params: dict[str, Any] | None = None, label: str = "") -> None:
        """Add a classifier; the registry checks the name and parameters at once."""
        self.append(_entry(self.registry, name, params or {}, label))
        self.changed.emit()

    def append(self, entry: dict[str, Any]) -> None:
        """Add an entry already checked (one read from a validated spec)."""
        item = QListWidgetItem()
        self._set_entry(item, entry)
        self.addItem(item)

    def edit_entry(self, row: int, name: str, params: dict[str, Any],
                   label: str = "") -> None:
        """Replace row ``row``'s entry. (Not named ``edit``: that is the view's virtual
        that Qt calls on every click, which a different signature would break.)"""
        self._set_entry(self.item(row), _entry(self.registry, name, params, label))
        self.changed.emit()

    def remove_selected(self) -> None:
        for item in self.selectedItems():
            self.takeItem(self.row(item))
        self.changed.emit()

    def _set_entry(self, item: QListWidgetItem, entry: dict[str, Any]) -> None:
        item.setData(ROLE, entry)
        classifier = self.registry.create("classifier", entry["name"], **entry["params"])
        options = classifier.options_text()
        internal = f"{entry['name']} {options}".strip()
        # The name the user chose from the menu ("IBk -K 3"), not the registry key.
        shown = scheme_text(classifier)
        text = f"{entry['label']}   ({shown})" if entry["label"] and \
            entry["label"] != shown else shown
        item.setToolTip(tooltip_text(f"{shown}\ncommand line: {internal}"))
        item.setText(text)


def _entry(registry: Registry, name: str, params: dict[str, Any],
           label: str) -> dict[str, Any]:
    try:
        classifier = registry.create("classifier", name, **params)
    except WorkbenchError as exc:
        raise WorkbenchError(f"classifier '{name}': {exc}") from exc
    # JSON round trip: what the list holds is exactly what a saved spec will hold
    return {"name": classifier.name, "params": json.loads(json.dumps(params)),
            "label": label}
