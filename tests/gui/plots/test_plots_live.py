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


def test_dbn_units_are_drawn_while_the_rbms_pre_train(qtbot, digits_small):
    from workbench.classifiers.dbn import DeepBeliefNetwork
    from workbench.core.progress import ProgressEvent

    model = DeepBeliefNetwork(hidden_layers="12,6", pretrain_epochs=40, finetune_epochs=5,
                              seed=1)
    view = WeightsView(None, digits_small)
    qtbot.addWidget(view)
    view.show()
    assert not view.pages and view.empty_label.isVisible()
    during: list[tuple[str, int, bool]] = []

    def follow(event: ProgressEvent) -> None:
        # Called in the training thread itself (no worker), so each report is looked at
        # while the model is exactly in that state; the timer's redraw is done by hand.
        view.on_progress(event)
        if event.values.get("phase") == "pretrain" and "batch" not in event.values:
            view.refresh()  # at each epoch's end (its batches report too)
            units = view.pages["RBM units"]
            recon = view.pages.slots["Reconstructions"]
            recon.ensure()
            during.append((units.layer_box.currentText(), units.mosaic.tile_count,
                           recon.page is None))

    model.fit(digits_small, follow)
    assert len(during) == 80  # 40 epochs of each RBM
    # Layer 1's 12 units were tiles before pre-training ended; reconstructions needed
    # the finished stack and said so.
    assert during[0][:2] == ("RBM 1", 12) and during[0][2]
    assert "Not available yet" in view.pages.slots["Reconstructions"].note.text()
    view.stop_live(model, digits_small)
    assert view.model is model
    assert view.pages["RBM units"].layer_box.count() == 2
    assert view.pages["Reconstructions"] is not None
    np.testing.assert_allclose(view.pages["RBM units"].mosaic.tiles[5],
                               model.rbm_weights(0)[5].reshape(8, 8), rtol=1e-6)


def test_the_training_line_says_whether_the_run_kept_a_model(qtbot, digits_small):
    """After Stop (or a run that kept no model) the line must not claim the pictures are
    of "the model the run kept": the main window says no result was kept."""
    from workbench.core.progress import ProgressEvent
    from workbench.gui.plots.weights import FINISHED_KEPT, FINISHED_NONE

    model = MultilayerPerceptron(hidden_layers="4", epochs=2, seed=1).fit(digits_small)
    for kept in (None, model):
        view = WeightsView(model, digits_small)
        qtbot.addWidget(view)
        view.show()
        view.on_progress(ProgressEvent(0.5, "epoch 1/2", {"epoch": 1, "model": model}))
        assert view.live_label.isVisible() and "Training" in view.live_label.text()
        view.stop_live(kept, digits_small if kept is not None else None)
        assert view.live_label.isVisibleTo(view)  # the line keeps its place
        assert view.live_label.text() == (FINISHED_KEPT if kept is not None
                                          else FINISHED_NONE)


def test_an_mlp_without_validation_draws_its_training_accuracy_live(qtbot, digits_small):
    """The live pane said the MLP "reports only its loss" while the finished result had
    a training-accuracy curve: the accuracy the history keeps arrives each epoch."""
    model = MultilayerPerceptron(hidden_layers="4", epochs=3, seed=2, solver="sgd")
    curves = LearningCurveView()
    qtbot.addWidget(curves)
    model.fit(digits_small, curves.on_progress)
    curves.stop_live()
    np.testing.assert_allclose(curves.points("accuracy")[1], model.history_.accuracy)
    assert curves.acc_widget.isVisibleTo(curves) and not curves.acc_note.isVisibleTo(curves)
