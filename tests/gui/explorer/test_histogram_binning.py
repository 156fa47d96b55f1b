"""Histogram bars depend on the data, not on its scale: Normalize or Standardize change
the axis of a Preprocess histogram and nothing else."""

from __future__ import annotations

import numpy as np
import pytest
from explorer_helpers import dataset_path, open_and_wait
from PySide6.QtCore import Qt

from workbench.data.io import load_dataset
from workbench.filters.scaling import Normalize, Standardize
from workbench.gui.explorer.histogram import class_histogram, numeric_bins


@pytest.fixture(scope="module")
def diabetes():
    return load_dataset(dataset_path("diabetes.arff"))


@pytest.mark.parametrize("rescale", [Normalize, Standardize])
def test_bar_counts_survive_a_rescaling_filter(diabetes, rescale):
    scaled = rescale().fit_transform(diabetes)
    for j in range(diabetes.num_attributes - 1):
        _edges, before, _names = class_histogram(diabetes, j, 8)
        _edges, after, _names = class_histogram(scaled, j, 8)
        assert after.tolist() == before.tolist(), diabetes.attributes[j].name


def test_whole_numbers_get_one_bar_per_value_holding_it(diabetes):
    preg = diabetes.column(0)  # 0..17 pregnancies, no woman with 16
    edges, counts, _names = class_histogram(diabetes, 0, 8)
    assert edges.size == 18
    width = edges[1] - edges[0]
    assert np.allclose(np.diff(edges), width) and np.isclose(width, 17 / 18)
    assert np.all((edges <= np.arange(18)) & (np.arange(18) <= edges + width + 1e-9))
    assert counts.sum(axis=0).tolist() == np.bincount(preg.astype(int)).tolist()
    assert counts.sum(axis=0)[16] == 0 and counts.sum(axis=0)[17] == 1


@pytest.mark.parametrize("values", [[0.0, 236.0], [1.0, 2.0, 3.0, 4.0, 5.0], [0.0, 5.0, 10.0]])
def test_bars_stay_between_the_minimum_and_the_maximum(values):
    """A pixel that is 0 in 9999 images and 236 in one was one bar from -118 to 118:
    the picture said pixels take negative values. WEKA's bars stay inside [min, max]."""
    x = np.array([values[0]] * 50 + values)
    edges, bins = numeric_bins(x, 20)
    width = edges[1] - edges[0]
    assert edges[0] == min(values) and np.isclose(edges[-1] + width, max(values))
    assert edges.size == len(values) and sorted(set(bins.tolist())) == list(range(len(values)))
    lefts = edges[bins]
    assert np.all((lefts <= x + 1e-9) & (x <= lefts + width + 1e-9))  # each in its bar


def test_values_on_bin_edges_go_to_the_bin_above_whatever_the_scale():
    # 21 distinct values, more than the 20 bars: equal-width bins of 1 over 0..20, every
    # value on an edge; the last edge belongs to the last bin.
    x = np.arange(21.0)
    for scale, shift in ((1.0, 0.0), (1 / 20, 0.0), (1 / 17, -3.0), (0.1, 0.7)):
        edges, bins = numeric_bins(x * scale + shift, 20)
        assert edges.size == 20
        assert bins.tolist() == [*range(20), 19], (scale, shift)


def test_the_explorer_histogram_keeps_its_bars_after_normalize(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("diabetes.arff"))
    tab = explorer.preprocess
    before = tab.histogram.counts.sum(axis=0).tolist()
    original = explorer.dataset
    tab.filter_chooser.set_current("normalize")
    qtbot.mouseClick(tab.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: explorer.dataset is not original, timeout=20_000)
    assert tab.name_label.text() == "preg"
    assert tab.histogram.counts.sum(axis=0).tolist() == before
