"""Viewers following a model while a worker trains it, as the Explorer and flow do."""

import numpy as np

from workbench.classifiers.mlp import MultilayerPerceptron
from workbench.engine import backend
from workbench.gui.plots.learning import LearningCurveView
from workbench.gui.plots.weights import WeightsView
from workbench.gui.workers import Job


def test_curves_and_weights_follow_training_in_a_worker(qtbot, digits_small):
    model = MultilayerPerceptron(hidden_layers="4", epochs=40, seed=2,
                                 validation_percent=20, patience=100)
    curves = LearningCurveView()
    qtbot.addWidget(curves)
    views: list[WeightsView] = []

    def follow(event):
        curves.on_progress(event)
        if not views and "loss" in event.values:  # the network exists from epoch 1 on
            view = WeightsView(model)
            qtbot.addWidget(view)
            views.append(view)
        if views:
            views[0].on_progress(event)

    job = Job(lambda progress, cancel: model.fit(digits_small, progress, cancel), "train")
    job.progress.connect(follow)
    with qtbot.waitSignal(job.done, timeout=60000):
        job.start()
    curves.stop_live()
    views[0].stop_live()
    assert len(curves.points("loss")[0]) == model.history_.epochs == 40
    np.testing.assert_allclose(curves.points("val_loss")[1], model.history_.val_loss,
                               rtol=1e-6)
    assert curves.redraws < 40  # throttled: fewer redraws than epochs
    tiles = views[0].pages["Hidden units"].mosaic.tiles
    final = backend.to_host(model.network_[0].weight.data)
    names = model.encoder_.names_
    np.testing.assert_allclose(tiles[3, 4, 4], final[3, names.index("pixel_4_4")],
                               rtol=1e-6)
