import numpy as np
from settling import settle

from workbench.classifiers.mlp import MultilayerPerceptron
from workbench.core.progress import ProgressEvent
from workbench.gui.plots.learning import LearningCurveView


def test_history_of_a_trained_model_is_drawn_with_best_epoch(qtbot, iris):
    model = MultilayerPerceptron(epochs=30, validation_percent=20, patience=5,
                                 seed=1).fit(iris)
    history = model.history_
    view = LearningCurveView(model)
    qtbot.addWidget(view)
    x, y = view.points("loss")
    assert len(x) == history.epochs and x[0] == 1
    np.testing.assert_allclose(y, history.loss)
    _, val = view.points("val_loss")
    np.testing.assert_allclose(val, history.val_loss)
    assert len(view.points("val_accuracy")[1]) == history.epochs
    assert view.best_lines[0].isVisible()
    assert view.best_lines[0].value() == history.best_epoch
    header, rows = view.table()
    assert header[0] == "epoch" and len(rows) == history.epochs


def test_the_perceptrons_curve_is_its_training_error_rate_named_so(qtbot):
    # Visualize learning curves was greyed out for the perceptron: no curve to show that
    # it never stops making mistakes on XOR. Its "loss" is the error rate, and says so.
    from workbench.classifiers.perceptron import Perceptron
    from workbench.data.dataset import Attribute, Dataset

    attributes = [Attribute.numeric("x1"), Attribute.numeric("x2"),
                  Attribute.nominal("class", ["0", "1"])]
    xor = Dataset("xor", attributes, np.array([[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]],
                                              dtype=float), class_index=2)
    model = Perceptron(mode="rosenblatt", epochs=40).fit(xor)
    view = LearningCurveView(model)
    qtbot.addWidget(view)
    x, y = view.points("loss")
    assert len(x) == 40
    np.testing.assert_allclose(y, np.array(model.epoch_mistakes_[0]) / 4)
    assert view.loss_plot.getAxis("left").labelText == "error rate"
    labels = [label.text for _sample, label in view.loss_plot.legend.items]
    assert labels == ["training error rate"]
    assert "training error rate" in view.status.text()
    assert view.table()[0] == ["epoch", "error rate", "accuracy"]
    view.set_history(MultilayerPerceptron(epochs=3, seed=1).fit(xor))  # a network after
    assert view.loss_plot.getAxis("left").labelText == "loss"
    assert [label.text for _sample, label in view.loss_plot.legend.items] == \
        ["training loss"]


def test_live_progress_is_throttled_and_restarts_per_fold(qtbot):
    view = LearningCurveView()
    qtbot.addWidget(view)
    before = view.redraws
    for epoch in range(1, 201):
        view.on_progress(ProgressEvent(epoch / 200, "", {"epoch": epoch, "batch": 3}))
        view.on_progress(ProgressEvent(epoch / 200, "", {
            "epoch": epoch, "loss": 1.0 / epoch, "val_loss": 1.0 / epoch + (epoch > 150),
            "val_accuracy": 0.5}))
    assert view.redraws == before  # nothing drawn synchronously
    qtbot.waitUntil(lambda: view.redraws > before, timeout=60_000)
    assert len(view.points("loss")[0]) == 200
    assert view.best_epoch == 150
    view.on_progress(ProgressEvent(0.0, "", {"epoch": 1, "loss": 2.0}))
    view.stop_live()
    assert view.run == 2 and len(view.points("loss")[0]) == 1


def _x_range(view, qtbot):
    """Redraw as the timer does, let pyqtgraph apply its auto-range (it does so before
    painting) until the range holds still, and read the x range shown."""
    view.redraw()
    box = view.loss_plot.getViewBox()
    settle(qtbot, lambda: box.viewRange())
    return box.viewRange()[0]


def test_the_next_folds_first_point_is_drawn_on_a_positive_axis_named_by_its_fold(qtbot):
    """Glass, MLP (L-BFGS), 10-fold CV: after a 400-iteration fold, fold 6's first point
    stood on an axis from -200 to 200 iterations, and nothing said which fold it was."""
    view = LearningCurveView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    qtbot.waitExposed(view)
    for iteration in range(1, 401):
        view.on_progress(ProgressEvent(0.5, "", {"epoch": iteration, "loss": 1 / iteration,
                                                 "stage": "fold 5/10"}))
    low, high = _x_range(view, qtbot)
    assert low < 50 and high >= 400
    view.on_progress(ProgressEvent(0.6, "", {"epoch": 1, "loss": 1.75,
                                             "stage": "fold 6/10"}))
    low, high = _x_range(view, qtbot)
    assert 0 <= low < 1 < high <= 3
    assert view.status.text().startswith("fold 6/10: 1 epoch,")
    for iteration in range(2, 8):
        view.on_progress(ProgressEvent(0.6, "", {"epoch": iteration, "loss": 1 / iteration,
                                                 "stage": "fold 6/10"}))
    low, high = _x_range(view, qtbot)
    assert 0 <= low <= 1 and 7 <= high < 20
    assert view.status.text().startswith("fold 6/10: 7 ")


def test_a_folds_lone_first_point_is_drawn_as_a_dot(qtbot):
    """At the start of each fold the one point drew no line: a blank plot until the
    second epoch (seconds on diabetes). It shows as a dot; a line takes over after."""
    view = LearningCurveView()
    qtbot.addWidget(view)
    view.on_progress(ProgressEvent(0.1, "", {"epoch": 1, "loss": 0.7}))
    view.redraw()
    item = view.items["loss"]
    assert item.opts["symbol"] is not None and len(item.scatter.data) == 1
    view.on_progress(ProgressEvent(0.2, "", {"epoch": 2, "loss": 0.6}))
    view.redraw()
    assert item.opts["symbol"] is None and len(view.points("loss")[0]) == 2
