"""A flow's learning-curve and weight viewers follow the classifier while it trains."""

from __future__ import annotations

import numpy as np

from workbench.engine import backend
from workbench.gui.flow_editor.files import templates
from workbench.gui.plots import LearningCurveView, WeightsView


def _mlp_template(make_editor, epochs: int):
    editor = make_editor()
    editor.open_template(next(p for p in templates() if p.name.startswith("mlp-digits")))
    editor.flow.set_params("mlp", epochs=epochs)
    return editor


def test_open_viewers_follow_training_and_end_on_the_final_model(make_editor, qtbot):
    editor = _mlp_template(make_editor, epochs=150)
    weights = editor.open_viewer("weights")
    curve = editor.open_viewer("curve")
    report = editor.open_viewer("report")  # not a live viewer: waits for the run's end
    assert weights.content is None and curve.content is None
    assert editor.run_all()
    qtbot.waitUntil(lambda: isinstance(weights.live, WeightsView)
                    and weights.live.refreshes >= 1 and "Hidden units" in weights.live.pages,
                    timeout=60_000)
    qtbot.waitUntil(lambda: isinstance(curve.live, LearningCurveView)
                    and curve.live.redraws >= 1, timeout=60_000)
    assert editor.runner.running, "the run ended before the viewers could follow it"
    assert weights.live.live_label.isVisible()
    epochs_seen = len(curve.live.series["loss"])
    assert 1 <= epochs_seen < 150
    assert report.content is None
    live_weights, live_curve = weights.live, curve.live
    qtbot.waitUntil(lambda: not editor.runner.running, timeout=120_000)

    # The same views now show the final model: the curve its whole history, the tiles
    # its final weights; the text viewer got its report.
    assert weights.live is None and weights.content is live_weights
    assert curve.content is live_curve
    model = editor.runner.outputs["weights"]["image"].model
    assert live_weights.model is model
    assert live_weights.live_label.text() == "Finished: showing the model the run kept"
    np.testing.assert_allclose(live_curve.series["loss"], model.history_.loss)
    final = backend.to_host(model.network_[0].weight.data)
    names = model.encoder_.names_
    tiles = live_weights.pages["Hidden units"].mosaic.tiles
    np.testing.assert_allclose(tiles[0, 2, 3], final[0, names.index("pixel_2_3")], rtol=1e-6)
    assert "Correctly Classified" in report.content.toPlainText()


def test_stopping_the_run_leaves_the_live_view_drawn(make_editor, qtbot):
    editor = _mlp_template(make_editor, epochs=100_000)
    weights = editor.open_viewer("weights")
    assert editor.run_all()
    qtbot.waitUntil(lambda: weights.live is not None and weights.live.refreshes >= 1,
                    timeout=60_000)
    editor.stop()
    qtbot.waitUntil(lambda: not editor.runner.running, timeout=10_000)
    assert weights.content is weights.live
    assert not weights.live.timer.isActive()  # no redraws after the run
    assert "Hidden units" in weights.live.pages


def test_closed_viewer_windows_are_not_fed(make_editor, qtbot):
    editor = _mlp_template(make_editor, epochs=30)
    weights = editor.open_viewer("weights")
    weights.close()
    assert editor.run_all()
    qtbot.waitUntil(lambda: not editor.runner.running, timeout=120_000)
    assert weights.live is None
