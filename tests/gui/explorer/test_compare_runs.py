"""Compare runs: several results overlaid, labelled by the parameters that differ."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QItemSelectionModel

from workbench.classifiers.knn import KNearestNeighbours
from workbench.classifiers.mlp import MultilayerPerceptron
from workbench.core.errors import WorkbenchError
from workbench.data.io import load_dataset
from workbench.evaluation import TestOption, evaluate
from workbench.gui.explorer.compare_action import MENU_TEXT
from workbench.gui.plots.colormaps import series_symbol
from workbench.gui.plots.compare import CompareRunsView, run_labels
from workbench.gui.plots.dynamics import per_epoch_mean
from workbench.gui.plots.export import save_csv, save_image
from workbench.gui.widgets.access_keys import plain_text

DATASETS = Path(__file__).resolve().parents[3] / "workbench" / "resources" / "datasets"


@pytest.fixture(scope="module")
def iris():
    return load_dataset(DATASETS / "iris.arff", class_index=-1)


def _mlp(activation: str, record: int = 1) -> MultilayerPerceptron:
    return MultilayerPerceptron(solver="sgd", hidden_layers="6,6,6", activation=activation,
                                epochs=8, batch_size=16, validation_percent=20,
                                record_dynamics=record, seed=1)


@pytest.fixture(scope="module")
def sigmoid_and_relu(iris):
    return [evaluate(_mlp(a), iris, TestOption.split(66.0, 1)) for a in ("sigmoid", "relu")]


def test_labels_are_the_parameters_that_differ():
    assert run_labels([_mlp("sigmoid"), _mlp("relu")]) == ["activation=sigmoid",
                                                           "activation=relu"]
    adam = MultilayerPerceptron(optimizer="adam", dropout=0.5)
    sgd = MultilayerPerceptron()
    assert run_labels([sgd, adam]) == ["optimizer=sgd, dropout=0", "optimizer=adam, dropout=0.5"]
    # Recording dynamics changes what is watched, not what is learned: runs that differ
    # only there keep the result list's names.
    same = run_labels([_mlp("relu", 0), _mlp("relu", 5)], ["10:00 - MLP", "10:05 - MLP"])
    assert same == ["10:00 - MLP", "10:05 - MLP"]
    assert run_labels([_mlp("relu", 0), _mlp("relu", 0)]) == ["run 1", "run 2"]
    # Different learners: named first, then the parameters they do not share where
    # they are not at their defaults (walkthrough 13b: every one of the MLP's 30
    # parameters made the legend a paragraph and the window 2271 px wide).
    mixed = run_labels([MultilayerPerceptron(), KNearestNeighbours(k=3)])
    assert mixed == ["mlp", f"{KNearestNeighbours.name}, k=3"]
    mixed = run_labels([MultilayerPerceptron(epochs=3), KNearestNeighbours()])
    assert mixed == ["mlp, epochs=3", KNearestNeighbours.name]


def test_curves_and_dynamics_of_each_run_overlaid(qtbot, sigmoid_and_relu, tmp_path):
    view = CompareRunsView(sigmoid_and_relu)
    qtbot.addWidget(view)
    assert view.labels == ["activation=sigmoid", "activation=relu"]
    for run, evaluation in enumerate(sigmoid_and_relu):
        history = evaluation.model.history_
        x, y = view.points("curve", run, "loss")
        np.testing.assert_allclose(x, np.arange(1, history.epochs + 1))
        np.testing.assert_allclose(y, history.loss)
        np.testing.assert_allclose(view.points("curve", run, "val_accuracy")[1],
                                   history.val_accuracy)
        data = evaluation.model.dynamics_
        epochs, means = per_epoch_mean(data.epochs, data.grad_norm)
        first = view.points("dynamics", run, "first layer grad_norm")
        last = view.points("dynamics", run, "last layer grad_norm")
        np.testing.assert_allclose(first[0], epochs)
        np.testing.assert_allclose(first[1], means[:, 0])
        np.testing.assert_allclose(last[1], means[:, -1])
        # Each run has one colour in every plot.
        colours = {view.items[key].opts["pen"].color().name()
                   for key in view.items if key[1] == run}
        assert len(colours) == 1
    assert view.grad_widget.isVisibleTo(view) and not view.note.isVisibleTo(view)
    assert "activation=sigmoid" in view.legend.text().replace("&nbsp;", " ")
    header, rows = view.table()
    assert header == ["run", "series", "epoch", "value"]
    assert {r[0] for r in rows} == set(view.labels)
    save_csv((header, rows), tmp_path / "compare.csv")
    save_image(view, tmp_path / "compare.png")
    assert (tmp_path / "compare.png").stat().st_size > 1000


def test_runs_without_dynamics_or_history_are_said_so(qtbot, iris):
    runs = [_mlp("relu", 0).fit(iris), _mlp("tanh", 0).fit(iris)]
    view = CompareRunsView(runs)
    qtbot.addWidget(view)
    assert not view.grad_widget.isVisibleTo(view)
    assert "record_dynamics" in view.note.text()
    knn = KNearestNeighbours().fit(iris)
    view = CompareRunsView([runs[0], knn])
    qtbot.addWidget(view)
    assert "no learning curve" in view.note.text()
    with pytest.raises(WorkbenchError):
        CompareRunsView(runs[:1])


def _menu_action(menu, text):
    return next(a for a in menu.actions() if plain_text(a.text()) == text)


def test_compare_selected_in_the_result_list(qtbot, explorer, sigmoid_and_relu, iris):
    tab = explorer.classify
    for evaluation in sigmoid_and_relu:
        tab.add_result(evaluation)
    tab.add_result(evaluate(KNearestNeighbours(), iris, TestOption.split(66.0, 1)))
    results = tab.results_list
    # Each new result is selected alone; one result selected: nothing to compare.
    assert explorer.compare.selected_rows() == [2]
    results.setCurrentRow(0, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    assert not _menu_action(explorer.results.build_menu(0), MENU_TEXT).isEnabled()
    # Ctrl-click adds the second (and the k-NN result, which has no curves to overlay).
    selection = results.selectionModel()
    for row in (1, 2):
        selection.select(results.model().index(row, 0),
                         QItemSelectionModel.SelectionFlag.Select)
    assert explorer.compare.selected_rows() == [0, 1, 2]
    assert explorer.compare.comparable() == [0, 1]
    action = _menu_action(explorer.results.build_menu(1), MENU_TEXT)
    assert action.isEnabled()
    before = len(explorer.results.windows)
    action.trigger()
    opened = explorer.results.windows[before:]
    assert len(opened) == 1 and isinstance(opened[0], CompareRunsView)
    assert opened[0].labels == ["activation=sigmoid", "activation=relu"]
    assert opened[0].isVisible()
    # The menu's own entries are still there.
    texts = [plain_text(a.text()) for a in explorer.results.build_menu(1).actions()]
    assert "Visualize learning curves" in texts and texts.count(MENU_TEXT) == 1


def test_the_result_menu_takes_sections_without_being_replaced(qtbot, explorer,
                                                               sigmoid_and_relu):
    from workbench.gui.explorer.result_menu import ResultActions

    actions = explorer.results
    assert "build_menu" not in vars(actions)  # "Compare selected" is a section, no patch
    explorer.classify.add_result(sigmoid_and_relu[0])
    seen: list[int] = []

    def section(menu, row):
        seen.append(row)
        menu.addAction("Another entry")

    actions.add_menu_section(section)
    texts = [plain_text(a.text()) for a in ResultActions.build_menu(actions, 0).actions()]
    assert seen == [0]
    # Sections come after the menu's own entries, in the order they were added.
    assert texts.index(MENU_TEXT) < texts.index("Another entry") == len(texts) - 1
    assert texts.index("Visualize learning curves") < texts.index(MENU_TEXT)


def _bottom(widget) -> str:
    return widget.getPlotItem().getAxis("bottom").labelText


def test_lbfgs_runs_are_drawn_against_iterations(qtbot, iris):
    """L-BFGS counts iterations (``step_unit``), as the single-run learning curve says;
    the comparison labelled them "epoch" and said L-BFGS records no dynamics, while it
    does (every one of its first 20 iterations, then every N-th)."""
    lbfgs = [MultilayerPerceptron(solver="lbfgs", hidden_layers="6,6,6", activation=a,
                                  max_iterations=60, record_dynamics=5, seed=1).fit(iris)
             for a in ("sigmoid", "tanh")]
    assert all(m.dynamics_.records > 20 for m in lbfgs)
    view = CompareRunsView(lbfgs)
    qtbot.addWidget(view)
    for widget in (view.loss_widget, view.acc_widget, view.grad_widget):
        assert _bottom(widget) == "iteration"
    assert view.grad_widget.isVisibleTo(view) and not view.note.isVisibleTo(view)
    # Every recorded iteration is drawn, the sparse ones after the first 20 too.
    x, y = view.points("dynamics", 0, "first layer grad_norm")
    assert x[-1] > 40 and np.isfinite(y).all()
    assert len(x) == len(set(np.ceil(lbfgs[0].dynamics_.epochs - 1e-9)))


def test_runs_that_counted_epochs_and_iterations_say_so(qtbot, iris):
    sgd, lbfgs = _mlp("relu").fit(iris), MultilayerPerceptron(
        solver="lbfgs", hidden_layers="6,6,6", activation="tanh", max_iterations=30,
        seed=1).fit(iris)
    view = CompareRunsView([sgd, lbfgs])
    qtbot.addWidget(view)
    assert _bottom(view.loss_widget) == "epoch or iteration"
    note = view.note.text()
    assert "activation=tanh" in note and "L-BFGS iterations" in note
    # The L-BFGS run recorded nothing: why is the setting, not the solver.
    assert "record_dynamics was 0" in note and "L-BFGS)" not in note
    assert _bottom(view.grad_widget) == "epoch"


def test_a_perceptrons_error_rate_is_not_drawn_as_a_loss(qtbot, iris):
    """The perceptron's curve is its training error rate (``loss_name``): on the loss
    plot beside an MLP's cross-entropy it read as a loss (review M1)."""
    from workbench.classifiers.perceptron import Perceptron

    runs = [_mlp("relu", 0).fit(iris), Perceptron(epochs=5).fit(iris)]
    view = CompareRunsView(runs)
    qtbot.addWidget(view)
    assert ("curve", 0, "loss") in view.items
    assert not [key for key in view.items if key[1] == 1 and "loss" in key[2]]
    assert ("curve", 1, "accuracy") in view.items
    assert "training error rate, not a loss" in view.note.text()


def test_runs_of_different_learners_fit_a_small_screen(qtbot):
    """An MLP beside a CNN differ in every setting: the legend listed them all with
    non-breaking spaces and forced the window 2287 px wide on a 1280 px screen. It
    wraps between ``name=value`` entries; the whole labels are its tooltip."""
    from workbench.classifiers.cnn import ConvolutionalNetwork

    view = CompareRunsView([MultilayerPerceptron(), ConvolutionalNetwork()])
    qtbot.addWidget(view)
    assert view.minimumSizeHint().width() < 800
    assert "learning_rate=0.3" in view.labels[0] and "epochs=auto" in view.labels[1]
    assert view.legend.toolTip().splitlines() == view.labels
    assert view.legend.text().count("&nbsp;") < 20  # spaces between entries may break


def test_a_run_of_one_epoch_is_drawn_as_a_dot(qtbot, iris):
    """A line through one point draws nothing: a 1-epoch CNN or RNN vanished from the
    comparison. Short series get a dot at each point, as the live curve has."""
    one = MultilayerPerceptron(solver="sgd", hidden_layers="4", epochs=1, seed=1).fit(iris)
    two = MultilayerPerceptron(solver="sgd", hidden_layers="4", epochs=2, seed=1).fit(iris)
    view = CompareRunsView([one, two])
    qtbot.addWidget(view)
    assert len(view.points("curve", 0, "loss")[0]) == 1
    # Each run its own marker, so the runs differ by shape as well as colour.
    assert [view.items[("curve", run, "loss")].opts["symbol"] for run in (0, 1)] == [
        series_symbol(0), series_symbol(1)]
    assert series_symbol(0) != series_symbol(1)
