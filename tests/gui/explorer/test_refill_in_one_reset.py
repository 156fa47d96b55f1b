"""A new dataset with many attributes (MNIST: 785) on the Explorer's GUI thread.

Every load, filter, Remove and Undo refills the attribute list and three class boxes;
a row or an item at a time (a signal for each) that held the window still, and so did
telling how each of 784 pixels varies before the Visualize tab showed. Now each list is
one model reset and the default columns look only as far as they need to."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from workbench.data.dataset import Attribute, Dataset
from workbench.gui.explorer import visualize
from workbench.gui.explorer.scatter_plot import sample_rows
from workbench.gui.plots.scatter_axes import spread, spreads

PIXELS = 784


def _digits(n: int = 300, seed: int = 0) -> Dataset:
    """An MNIST-shaped dataset: 784 pixels, blank in a border, and a nominal class."""
    rng = np.random.default_rng(seed)
    X = np.zeros((n, PIXELS + 1))
    inner = [r * 28 + c for r in range(4, 24) for c in range(4, 24)]
    X[:, inner] = rng.integers(0, 256, (n, len(inner)))
    X[:, 30] = np.where(rng.random(n) < 0.01, 200.0, 0.0)   # a stroke now and then
    X[:, PIXELS] = rng.integers(0, 10, n)
    attributes = [Attribute.numeric(f"pixel_{j // 28}_{j % 28}") for j in range(PIXELS)]
    attributes.append(Attribute.nominal("class", [str(d) for d in range(10)]))
    return Dataset("mnist-like", attributes, X, class_index=PIXELS)


class _Signals:
    """Counts what a model tells its views."""

    def __init__(self, model) -> None:
        self.resets = self.inserted = self.changed = 0
        model.modelReset.connect(lambda: self._add("resets"))
        model.rowsInserted.connect(lambda *_: self._add("inserted"))
        model.dataChanged.connect(lambda *_: self._add("changed"))

    def _add(self, name: str) -> None:
        setattr(self, name, getattr(self, name) + 1)


def test_the_attribute_list_is_refilled_in_one_reset(qtbot, explorer):
    data = _digits()
    table = explorer.preprocess.table
    seen = _Signals(table.model())
    explorer.set_dataset(data)
    assert (seen.resets, seen.inserted, seen.changed) == (1, 0, 0)
    model = table.model()
    assert model.rowCount() == PIXELS + 1
    assert [model.index(r, 0).data() for r in (0, PIXELS)] == ["1", str(PIXELS + 1)]
    assert model.index(PIXELS, 1).data() == "class"
    assert model.index(3, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    # The number column is as wide as Qt would make it, asking every row.
    width = table.columnWidth(0)
    table.resizeColumnToContents(0)
    assert table.columnWidth(0) == width
    assert table.currentIndex().row() == 0
    assert explorer.preprocess.name_label.text() == "pixel_0_0"


def test_all_none_invert_and_a_click_tick_the_rows_in_one_change(qtbot, explorer):
    explorer.set_dataset(_digits())
    tab = explorer.preprocess
    model = tab.table.model()
    seen = _Signals(model)
    qtbot.mouseClick(tab.all_button, Qt.MouseButton.LeftButton)
    assert tab.checked() == list(range(PIXELS + 1)) and seen.changed == 1
    model.setData(model.index(2, 0), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert 2 not in tab.checked() and seen.changed == 2
    qtbot.mouseClick(tab.invert_button, Qt.MouseButton.LeftButton)
    assert tab.checked() == [2] and seen.changed == 3
    assert model.index(2, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    qtbot.mouseClick(tab.none_button, Qt.MouseButton.LeftButton)
    assert tab.checked() == [] and seen.changed == 4
    # A new dataset starts with nothing ticked.
    qtbot.mouseClick(tab.all_button, Qt.MouseButton.LeftButton)
    explorer.set_dataset(_digits(seed=1))
    assert tab.checked() == []


def test_the_class_boxes_hold_every_attribute_and_never_a_half_filled_choice(qtbot,
                                                                           explorer):
    data = _digits()
    boxes = (explorer.preprocess.colour_box, explorer.classify.class_box,
             explorer.visualize.colour_box)
    indices: list[list[int]] = [[], [], []]
    inserted: list[_Signals] = []
    for box, seen in zip(boxes, indices, strict=True):
        box.currentIndexChanged.connect(seen.append)
        inserted.append(_Signals(box.model()))
    explorer.set_dataset(data)
    typed = [f"(Num) {a.name}" for a in data.attributes[:PIXELS]] + ["(Nom) class"]
    texts = [[box.itemText(k) for k in range(box.count())] for box in boxes]
    assert texts == [["No class", *typed], typed, [a.name for a in data.attributes]]
    assert [box.currentIndex() for box in boxes] == [PIXELS + 1, PIXELS, PIXELS]
    # No item at a time, and no listener sees an index of a box being refilled.
    assert [s.inserted for s in inserted] == [0, 0, 0]
    assert all(seen == [] for seen in indices), indices
    # The class chosen in Classify is kept when the data changes under it.
    explorer.classify.class_box.setCurrentIndex(5)
    explorer.set_dataset(data.remove_attributes([0, 1]))
    assert explorer.classify.class_box.currentText() == "(Num) pixel_0_5"
    assert explorer.preprocess.colour_box.count() == PIXELS - 1 + 1


def test_spreads_tells_each_column_as_spread_tells_one():
    rng = np.random.default_rng(3)
    block = rng.integers(0, 3, (200, 40)).astype(float)
    block[:, 5] = 0.0                                          # constant
    block[:, 6] = np.nan                                       # missing everywhere
    block[:, 7] = np.where(rng.random(200) < 0.03, 1.0, 0.0)   # nearly constant
    block[rng.random(block.shape) < 0.1] = np.nan
    block[:3, 8] = np.inf
    assert list(spreads(block)) == [spread(block[:, j]) for j in range(40)]
    assert list(spreads(np.zeros((0, 3)))) == [0, 0, 0]


def test_the_default_columns_look_only_as_far_as_they_need(monkeypatch):
    data = _digits(1200)
    rows = sample_rows(data.num_instances, visualize.MAX_POINTS)
    looked: list[int] = []
    tell = spreads

    def counting(block: np.ndarray) -> np.ndarray:
        looked.append(block.shape[1])
        return tell(block)

    monkeypatch.setattr(visualize, "spreads", counting, raising=False)
    chosen = visualize.default_columns(data, PIXELS, 5, rows)
    # The same as telling every pixel, one at a time: the first five that vary most.
    tiers = {j: spread(data.column(j)[rows]) for j in range(PIXELS)}
    assert chosen == sorted(sorted(range(PIXELS), key=lambda j: -tiers[j])[:5])
    assert chosen == [116, 117, 118, 119, 120]   # pixel_4_4 on: the border is blank
    assert 0 < sum(looked) < PIXELS
    # Fewer varying attributes than asked for: every one is looked at, and the rarely
    # changing one (pixel_1_2) comes after those that vary.
    few = data.remove_attributes([j for j in range(PIXELS) if j not in (3, 30, 120, 121)])
    looked.clear()
    assert visualize.default_columns(few, few.class_index, 3, rows) == [1, 2, 3]
    assert sum(looked) == 4
