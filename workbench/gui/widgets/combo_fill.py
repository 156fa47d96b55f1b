"""Refilling a combo box with many items at once (an attribute per item: 785 on MNIST).

``addItem`` a text at a time is a call into Qt and a model insertion per item, each
telling the box and its views; after every load, filter and Undo the Explorer's class
boxes were refilled that way, a stall the user felt. Here the box's model is a
``QStringListModel`` whose list is replaced whole: one model reset, whatever the count.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QStringListModel
from PySide6.QtWidgets import QComboBox


def fill_combo(box: QComboBox, texts: Sequence[str], current: int) -> None:
    """Make ``texts`` the items of ``box`` with ``current`` chosen (-1: none).

    No signal says the choice changed: the caller is refilling because the data changed
    and shows the new data itself (an index changed mid-refill would redraw for data
    half replaced)."""
    model = box.model()
    if not isinstance(model, QStringListModel):
        model = QStringListModel(box)
        box.setModel(model)
    blocked = box.blockSignals(True)
    try:
        model.setStringList(list(texts))
        box.setCurrentIndex(current)
    finally:
        box.blockSignals(blocked)
