"""WEKA's "Select Attributes" for the Visualize tab: tick the attributes the scatter-plot
matrix shows.

A list of check boxes, one per attribute, with a filter box, because MNIST has 785 of
them and a user looking for the centre pixels types "pixel_14" rather than scrolling.
"Select all" and "Select none" act on the attributes the filter shows, so "pixel_14"
then "Select all" ticks one row of the image.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class AttributeSelection(QDialog):
    """Tick boxes for ``names``, the ``chosen`` ones ticked; ``limit`` is how many the
    matrix draws, said in the count line so a user knows what ticking 200 will show."""

    def __init__(self, names: Sequence[str], chosen: Sequence[str], limit: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Select attributes")
        self.limit = limit
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by name, e.g. pixel_14")
        self.filter.setClearButtonEnabled(True)
        self.list = QListWidget()
        ticked = set(chosen)
        for name in names:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name in ticked
                               else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.count = QLabel()
        all_button, none_button = QPushButton("Select all"), QPushButton("Select none")
        all_button.clicked.connect(lambda: self._tick_shown(True))
        none_button.clicked.connect(lambda: self._tick_shown(False))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(all_button)
        row.addWidget(none_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        layout.addWidget(self.count)
        layout.addWidget(self.buttons)
        self.filter.textChanged.connect(self._filter)
        self.list.itemChanged.connect(self._counted)
        self._counted()
        self.resize(360, 480)
        ticked_items = [self.list.item(k) for k in range(self.list.count())
                        if self.list.item(k).checkState() == Qt.CheckState.Checked]
        if ticked_items:  # MNIST's shown pixels are rows down a list of 785
            self.list.scrollToItem(ticked_items[0], QListWidget.ScrollHint.PositionAtTop)

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        for k in range(self.list.count()):
            item = self.list.item(k)
            item.setHidden(bool(needle) and needle not in item.text().lower())

    def _tick_shown(self, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        self.list.blockSignals(True)  # one count update, not 785
        for k in range(self.list.count()):
            item = self.list.item(k)
            if not item.isHidden():
                item.setCheckState(state)
        self.list.blockSignals(False)
        self._counted()

    def chosen(self) -> list[str]:
        """The ticked names, in the dataset's order."""
        return [self.list.item(k).text() for k in range(self.list.count())
                if self.list.item(k).checkState() == Qt.CheckState.Checked]

    def _counted(self, *_: object) -> None:
        n = len(self.chosen())
        text = f"{n} of {self.list.count()} selected"
        if n > self.limit:
            text += f"; the matrix shows the first {self.limit}"
        self.count.setText(text)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(n > 0)
