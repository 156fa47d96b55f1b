"""Watch weights: the Explorer's weights window follows the model while it trains."""

from __future__ import annotations

import numpy as np
import pytest
from explorer_helpers import dataset_path, open_and_wait
from PySide6.QtCore import Qt

from workbench.engine import backend
from workbench.gui.plots import weights as weights_module
from workbench.gui.plots.weights import WeightsView


@pytest.mark.timeout(900)
def test_weights_window_follows_each_model_of_a_cross_validation(qtbot, explorer,
                                                                   monkeypatch):
    followed: list[object] = []
    original = WeightsView.follow

    def spy(view, model, dataset=None):
        if model is not view.model:
            followed.append(model)
        original(view, model, dataset)

    monkeypatch.setattr(WeightsView, "follow", spy)
    # Each of the four models must train for longer than one redraw tick for the window
    # to follow it: a tick of 100 ms rather than 500 lets each train for a second, not
    # four. A loaded machine only makes the training longer, and takes minutes, so the
    # waits below are long (they return as soon as the run ends).
    monkeypatch.setattr(weights_module, "REFRESH_MS", 100)
    open_and_wait(qtbot, explorer, dataset_path("digits.arff"))
    tab = explorer.classify
    tab.choose("mlp", {"epochs": 15, "hidden_layers": (6,)})
    tab.use_cv.setChecked(True)
    tab.set_test_options(folds=3)
    assert tab.watch_button.isEnabled()  # an MLP has weights to watch, before Start too
    assert tab.start()
    qtbot.mouseClick(tab.watch_button, Qt.MouseButton.LeftButton)
    view = tab.live_weights
    assert isinstance(view, WeightsView) and view.isVisible()
    qtbot.waitUntil(lambda: "Hidden units" in view.pages and view.refreshes >= 1,
                    timeout=60_000)
    assert tab.running, "the run ended before the window could follow it"
    assert view.live_label.isVisible() and "epoch" in view.live_label.text()
    first = view.pages["Hidden units"].mosaic.tiles.copy()
    assert first.shape == (6, 8, 8)
    # The tiles change while the same run goes on: they are redrawn, not drawn once.
    qtbot.waitUntil(lambda: not np.array_equal(view.pages["Hidden units"].mosaic.tiles,
                                               first), timeout=60_000)
    qtbot.waitUntil(lambda: len(tab.evaluations) == 1, timeout=800_000)
    qtbot.waitUntil(lambda: not tab.running, timeout=60_000)

    evaluation = tab.evaluations[0]
    # The full-data model and three fold models were followed in turn; the window ends
    # on the model the run kept, drawn as it finally is.
    assert len(followed) >= 4
    assert view.model is evaluation.model
    # the training line stays where it was (the tabs below keep their place), saying so
    assert view.live_label.isVisibleTo(view)
    assert view.live_label.text() == "Finished: showing the model the run kept"
    final = backend.to_host(evaluation.model.network_[0].weight.data)
    names = evaluation.model.encoder_.names_
    np.testing.assert_allclose(view.pages["Hidden units"].mosaic.tiles[2, 5, 1],
                               final[2, names.index("pixel_5_1")], rtol=1e-6)
    assert tab.watch_button.isEnabled()  # ready for the next run


def test_watch_pressed_before_start_waits_for_the_new_run(qtbot, explorer):
    """Watch weights pressed before Start shows that it waits for the run about to start
    (not the previous run's model), then follows the new model once training begins."""
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    tab = explorer.classify
    tab.choose("mlp", {"epochs": 3, "hidden_layers": (4,)})
    assert tab.start()
    qtbot.mouseClick(tab.watch_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.running and len(tab.evaluations) == 1, timeout=120_000)
    view = tab.live_weights
    assert view.model is tab.evaluations[0].model  # the finished run's model on show
    tab.choose("perceptron")
    qtbot.mouseClick(tab.watch_button, Qt.MouseButton.LeftButton)
    assert view.model is None and view.windowTitle() == "Weights: waiting for training"
    assert view.empty_label.isVisibleTo(view)
    assert tab.start()
    qtbot.waitUntil(lambda: not tab.running and len(tab.evaluations) == 2, timeout=120_000)
    assert view.model is tab.evaluations[1].model


def test_a_watched_run_reports_the_configured_scheme(qtbot, explorer):
    """The Watch window turns recording on for its Dynamics tab; the report's Scheme line
    (which pastes back into workbench classify) is still the classifier as configured."""
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    tab = explorer.classify
    tab.choose("mlp", {"epochs": 3, "hidden_layers": (4,)})
    qtbot.mouseClick(tab.watch_button, Qt.MouseButton.LeftButton)   # before Start
    assert tab.start()
    qtbot.waitUntil(lambda: not tab.running and len(tab.evaluations) == 1, timeout=120_000)
    evaluation = tab.evaluations[0]
    assert evaluation.model.dynamics_ is not None   # it did record, for the window
    assert evaluation.scheme_options.startswith("MLP ")
    assert "--record-dynamics" not in evaluation.scheme_options
    report = tab.report.toPlainText()
    assert f"Scheme:       {evaluation.scheme_options}" in report
    assert "--record-dynamics" not in report
