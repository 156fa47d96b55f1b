"""The RbmViewer's window compares every connected DBN, as the RBM lesson asks: one tab
per picture (units, reconstructions, samples) holding each DBN, and the weights pages
of any one of them; units in the GUI's weight colours, samples on a fixed grey scale."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from workbench.classifiers.dbn import DeepBeliefNetwork
from workbench.data.io import load_dataset
from workbench.flow.nodes.base import NodeContext
from workbench.flow.nodes.rbm import RbmComparison, RbmViewer
from workbench.flow.ports import BATCH_CLASSIFIER, IMAGE, BatchClassifier, TrainedFold
from workbench.gui.plots.rbm_compare import RbmComparisonView
from workbench.gui.plots.rbm_pages import SamplePage
from workbench.gui.plots.weights import WeightsView
from workbench.gui.viewers import best_viewer

DIGITS = Path(__file__).resolve().parents[3] / "workbench" / "resources" / "datasets" / \
    "digits.arff"


@pytest.fixture(scope="module")
def comparison(tmp_path_factory) -> RbmComparison:
    data = load_dataset(DIGITS, class_index=-1).select_rows(np.arange(200))
    batches = []
    for epochs in (1, 2, 3):
        model = DeepBeliefNetwork(hidden_layers=(12,), pretrain_epochs=(epochs,),
                                  finetune_epochs=1).fit(data)
        fold = TrainedFold(0, 1, model, data, None, "DBN", "", full_data=True)
        batches.append(BatchClassifier("DBN", "", (fold,), fold))
    context = NodeContext("rbm", "RBM", output_dir=tmp_path_factory.mktemp("rbm"))
    node = RbmViewer(units=6, examples=3, samples=2, gibbs_steps=3)
    return node.process({BATCH_CLASSIFIER: batches}, context)[IMAGE]


def test_the_node_hands_every_dbn_to_the_window(comparison):
    assert isinstance(comparison, RbmComparison)
    assert len(comparison.models) == 3 and comparison.model is comparison.models[-1]
    assert comparison.labels == ("pretrain_epochs=1", "pretrain_epochs=2",
                                 "pretrain_epochs=3")
    assert comparison.shape == (8, 8)


def test_each_picture_shows_every_dbn_side_by_side(qtbot, comparison):
    entry = best_viewer(comparison)
    assert entry is not None
    view = entry.open(comparison)
    qtbot.addWidget(view)
    assert isinstance(view, RbmComparisonView)
    titles = [view.tabs.tabText(i) for i in range(view.tabs.count())]
    assert titles == ["Hidden units", "Reconstructions", "Gibbs samples",
                      "One DBN in detail"]
    for picture, tiles in (("Hidden units", 6), ("Reconstructions", 6),
                           ("Gibbs samples", 2)):
        for label in comparison.labels:
            mosaic = view.mosaics[(picture, label)]
            assert mosaic.tile_count == tiles and mosaic.tile_shape == (8, 8)
            assert mosaic.title.text().startswith(label)
    assert "red +, blue -" in view.mosaics[("Hidden units", "pretrain_epochs=1")].title.text()


def test_samples_keep_their_grey_level_instead_of_being_stretched(qtbot, comparison):
    view = RbmComparisonView(comparison)
    qtbot.addWidget(view)
    mosaic = view.mosaics[("Gibbs samples", "pretrain_epochs=1")]
    flat = np.full((1, 8, 8), 0.5)
    mosaic.set_tiles(flat, signed=False, levels=(0.0, 1.0))
    assert mosaic.rgb[1, 1, 0] in (127, 128)  # mid grey, not black or white


def test_the_detail_tab_shows_the_weights_pages_of_the_chosen_dbn(qtbot, comparison):
    view = RbmComparisonView(comparison)
    qtbot.addWidget(view)
    assert view.detail is None  # built when first shown: its sample page starts a run
    assert not view.export_bar.isHidden()
    view.tabs.setCurrentWidget(view.detail_page)
    assert isinstance(view.detail, WeightsView)
    assert view.detail.model is comparison.models[-1]
    # One row of Save buttons: the detail's own, which saves what that tab shows.
    assert view.export_bar.isHidden()
    view.chooser.setCurrentIndex(0)
    assert view.detail.model is comparison.models[0]
    qtbot.waitUntil(lambda: not any(page.sampling
                                    for page in view.findChildren(SamplePage)),
                    timeout=20000)
    view.tabs.setCurrentIndex(0)
    assert not view.export_bar.isHidden()


def test_the_units_title_says_how_many_of_the_rbms_units_it_draws(qtbot, comparison):
    """The node draws 6 of each RBM's 12 units; "6 hidden units" read as the RBM's size
    (the lesson's 24 of 64 were titled "24 hidden units")."""
    view = RbmComparisonView(comparison)
    qtbot.addWidget(view)
    title = view.mosaics[("Hidden units", "pretrain_epochs=1")].title.text()
    assert "the first 6 of 12 hidden units" in title
