"""The RbmViewer's window: what the first RBM of several DBNs learned, side by side.

The RBM lesson compares DBNs pre-trained for 1, 3 and 15 epochs, so each of its three
pictures gets a tab that stacks every DBN, in the order linked: their hidden units,
their inputs above their reconstructions, their Gibbs samples. The tiles are the ones
the node computed for its PNG (``RbmComparison.arrays``), so the window and the picture
show the same units, digits and samples. A fourth tab opens the weights viewer's pages
(every RBM layer, new samples) of the one DBN chosen there; it is built when first
shown, because its sample page starts a Gibbs run.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtWidgets import QComboBox, QLabel, QTabWidget, QVBoxLayout, QWidget

from workbench.flow.nodes.rbm import RbmComparison
from workbench.gui.plots.export import ExportBar
from workbench.gui.plots.mosaic import MosaicView
from workbench.gui.plots.page_parts import controls_row
from workbench.gui.plots.weights import WeightsView

# (tab title, the arrays each DBN shows there, signed, how a DBN's mosaic is titled)
_PICTURES = (
    ("Hidden units", ("units",), True, "{units} hidden units (red +, blue -)"),
    ("Reconstructions", ("inputs", "reconstructions"), False,
     "top: training digits; bottom: their reconstructions"),
    ("Gibbs samples", ("samples",), False, "{n} Gibbs samples"),
)
UNITS_PER_ROW = 12


class RbmComparisonView(QWidget):
    """One tab per picture, every DBN stacked in it; a last tab for one DBN's pages."""

    def __init__(self, images: RbmComparison, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.images = images
        self.tabs = QTabWidget()
        self.mosaics: dict[tuple[str, str], MosaicView] = {}  # (tab, DBN label) -> view
        for title, kinds, signed, caption in _PICTURES:
            page = self._picture_page(title, kinds, signed, caption)
            if page is not None:
                self.tabs.addTab(page, title)
        self.chooser = QComboBox()
        self.chooser.addItems(list(images.labels))
        self.chooser.setCurrentIndex(len(images.labels) - 1)
        self.detail: QWidget | None = None
        self.detail_page = QWidget()
        self.detail_layout = QVBoxLayout(self.detail_page)
        self.detail_layout.addLayout(controls_row(QLabel("DBN:"), self.chooser))
        self.tabs.addTab(self.detail_page, "One DBN in detail")
        self.chooser.currentIndexChanged.connect(lambda _i: self._show_detail())
        self.tabs.currentChanged.connect(lambda _i: self._show_detail())
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        # The detail tab's weights view has its own bar, which saves what that tab
        # shows: two rows of the same buttons would leave the user guessing which
        # saves what, so this one steps aside there.
        self.export_bar = ExportBar(self, self.table)
        layout.addWidget(self.export_bar)
        self.setObjectName("viewer_rbm_comparison")

    def _picture_page(self, title: str, kinds: tuple[str, ...], signed: bool,
                      caption: str) -> QWidget | None:
        """The tab of one picture: a titled mosaic per DBN; None when no DBN has it."""
        page = QWidget()
        layout = QVBoxLayout(page)
        for index, label in enumerate(self.images.labels):
            found = [self.images.arrays.get(f"{label}: {kind}") for kind in kinds]
            arrays = [a for a in found if a is not None and len(a)]
            if len(arrays) < len(kinds):
                continue
            tiles = np.concatenate([self._tiles(a) for a in arrays])
            columns = len(arrays[0]) if len(kinds) > 1 else min(len(tiles), UNITS_PER_ROW)
            view = MosaicView()
            # Pixel probabilities on one grey scale (0 black, 1 white), as the picture
            # draws them: a sample still at the grey average then looks grey.
            levels = (0.0, 1.0) if not signed and tiles.min() >= 0 and tiles.max() <= 1 \
                else None
            view.set_tiles(tiles, columns=columns, signed=signed, levels=levels)
            units = self._units(index, len(tiles))
            view.title.setText(f"{label}: {caption.format(n=len(tiles), units=units)}")
            self.mosaics[(title, label)] = view
            layout.addWidget(view, 1)
        return page if layout.count() else None

    def _units(self, index: int, shown: int) -> str:
        """How many of DBN ``index``'s first-RBM units are drawn: "the first 24 of 64"
        when the node draws fewer than there are (a bare "24" read as the RBM's size)."""
        models = self.images.models
        rbms = getattr(models[index], "rbms_", None) if index < len(models) else None
        total = int(rbms[0].weight.shape[0]) if rbms else shown
        return f"the first {shown} of {total}" if total > shown else str(shown)

    def _tiles(self, rows: np.ndarray) -> np.ndarray:
        """Input-sized rows as image tiles, or as one-pixel-high strips without an image
        shape."""
        rows = np.asarray(rows, dtype=np.float64)
        shape = self.images.shape
        if shape is not None and rows.shape[1] == shape[0] * shape[1]:
            return rows.reshape(-1, *shape)
        return rows[:, None, :]

    def _show_detail(self) -> None:
        """Build (or rebuild for another DBN) the weights viewer's pages, once shown."""
        on_detail = self.tabs.currentWidget() is self.detail_page
        self.export_bar.setVisible(not on_detail)
        if not on_detail:
            return
        index = self.chooser.currentIndex()
        model = self.images.models[index] if 0 <= index < len(self.images.models) else None
        if model is None or (self.detail is not None and self.detail.property("dbn") == index):
            return
        data = self.images.datasets[index] if index < len(self.images.datasets) else None
        if self.detail is not None:
            self.detail_layout.removeWidget(self.detail)
            self.detail.deleteLater()
        self.detail = WeightsView(model, data)
        self.detail.setProperty("dbn", index)
        self.detail_layout.addWidget(self.detail, 1)

    def table(self) -> tuple[list[str], list[list[Any]]]:
        """Every tile drawn: DBN, picture, tile number and its values."""
        width = max((a.shape[1] for a in self.images.arrays.values() if a.ndim == 2),
                    default=0)
        rows: list[list[Any]] = []
        for key, array in self.images.arrays.items():
            label, _, kind = key.rpartition(": ")
            for i, values in enumerate(np.asarray(array, dtype=np.float64)):
                rows.append([label, kind, i, *values.tolist()])
        return ["dbn", "picture", "tile", *[f"v{j}" for j in range(width)]], rows
