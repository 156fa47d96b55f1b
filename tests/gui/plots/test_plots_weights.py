import numpy as np
import pytest

from workbench.classifiers.cnn import ConvolutionalNetwork
from workbench.classifiers.knn import KNearestNeighbours
from workbench.classifiers.mlp import MultilayerPerceptron
from workbench.classifiers.perceptron import Perceptron
from workbench.classifiers.rnn import RecurrentNetwork
from workbench.core.errors import WorkbenchError
from workbench.core.progress import ProgressEvent
from workbench.engine import backend
from workbench.gui.plots.colormaps import diverging_rgb
from workbench.gui.plots.mosaic import mosaic_rgb
from workbench.gui.plots.weights import WeightsView


def test_mlp_on_digits_shows_one_8x8_tile_per_hidden_unit(qtbot, digits_mlp):
    view = WeightsView(digits_mlp)
    qtbot.addWidget(view)
    assert list(view.pages) == ["Hidden units", "Network"]
    mosaic = view.pages["Hidden units"].mosaic
    assert mosaic.tile_count == 2 and mosaic.tile_shape == (8, 8)
    weight = backend.to_host(digits_mlp.network_[0].weight.data)
    # Tile pixel (r, c) is the weight from attribute pixel_r_c.
    names = digits_mlp.encoder_.names_
    np.testing.assert_allclose(mosaic.tiles[1, 3, 5], weight[1, names.index("pixel_3_5")])
    # Two 8x8 tiles with a 1-pixel gap: 10 x 19 pixels.
    assert mosaic.rgb.shape == (10, 19, 3)
    diagram = view.pages["Network"].diagram
    assert diagram.unit_counts == [64, 2, 10]
    assert diagram.connection_count == 64 * 2 + 2 * 10
    drawn = sum(len(item.getData()[0]) for item in diagram.lines)
    assert drawn == 2 * (64 * 2 + 2 * 10)  # two ends per connection


def test_weights_refresh_live_while_training(qtbot, digits_mlp):
    view = WeightsView(digits_mlp)
    qtbot.addWidget(view)
    first = view.pages["Hidden units"].mosaic.tiles.copy()
    digits_mlp.network_[0].weight.data[...] *= -1.0
    view.on_progress(ProgressEvent(0.5, "fold 2", {"stage": "fold 2"}))
    assert not view.timer.isActive()  # not a training report
    view.on_progress(ProgressEvent(0.5, "", {"epoch": 3, "loss": 0.1}))
    qtbot.waitUntil(lambda: view.refreshes > 0, timeout=60_000)
    view.stop_live()
    np.testing.assert_allclose(view.pages["Hidden units"].mosaic.tiles, -first)
    digits_mlp.network_[0].weight.data[...] *= -1.0


def test_mlp_on_iris_uses_a_hinton_diagram(qtbot, iris):
    model = MultilayerPerceptron(epochs=5, seed=1).fit(iris)
    view = WeightsView(model)
    qtbot.addWidget(view)
    page = view.pages["Hidden units"]
    assert page.hinton is not None and not page.mosaic.isVisible()
    assert page.hinton.weight.shape == (3, 4)
    assert page.hinton.square_count == 12
    page.layer_box.setCurrentIndex(1)
    assert page.hinton.weight.shape == (3, 3)
    header, rows = view.table()
    assert header[-1] == "bias" and len(rows) == 3


def test_cnn_filters_and_feature_maps(qtbot, digits_small):
    model = ConvolutionalNetwork(architecture="conv(4,3)-pool(2)-dense(8)", epochs=1,
                                 dropout=0.0).fit(digits_small)
    view = WeightsView(model, digits_small)
    qtbot.addWidget(view)
    filters = view.pages["Filters"].mosaic
    assert filters.tile_count == 4 and filters.tile_shape == (3, 3)
    maps = view.pages["Feature maps"]
    names = [name for name, _ in maps.maps]
    assert names[0] == "input" and maps.mosaic.tile_shape == (8, 8)
    maps.layer_box.setCurrentIndex(1)
    assert maps.mosaic.tile_count == 4 and maps.mosaic.tile_shape == (6, 6)
    maps.instance.setValue(5)
    np.testing.assert_allclose(maps.maps[0][1], model.feature_maps(digits_small, 4)[0][1])


def test_rnn_hidden_state_heat_map(qtbot, digits_small):
    model = RecurrentNetwork(cell="simple", hidden_size=6, epochs=1).fit(digits_small)
    view = WeightsView(model, digits_small)
    qtbot.addWidget(view)
    page = view.pages["Hidden state"]
    assert page.states.shape == (8, 6) and len(page.steps) == 8
    assert page.image.image.shape == (6, 8, 3)


def test_knn_neighbours_of_an_instance(qtbot, digits_small):
    model = KNearestNeighbours(k=5).fit(digits_small)
    view = WeightsView(model, digits_small)
    qtbot.addWidget(view)
    page = view.pages["Neighbours"]
    page.instance.setValue(3)
    assert [r[0] for r in page.rows] == [1, 2, 3, 4, 5]
    assert page.rows[0][1] == 3 and page.rows[0][2] == pytest.approx(0.0)
    distances = [r[2] for r in page.rows]
    assert distances == sorted(distances)
    assert page.mosaic.tile_count == 6 and page.mosaic.tile_shape == (8, 8)


def test_perceptron_weight_bars_and_decision_boundary(qtbot, iris):
    two = iris.select_attributes(["petallength", "petalwidth", "class"]).with_class("class")
    model = Perceptron(mode="rosenblatt", epochs=10).fit(two)
    view = WeightsView(model, two)
    qtbot.addWidget(view)
    page = view.pages["Perceptron"]
    assert page.weights.shape == (3, 3)  # one unit per class, two inputs and a bias
    assert page.regions.shape == (120, 120)
    assert set(np.unique(page.regions)) <= {0.0, 1.0, 2.0}
    header, rows = page.table()
    assert header == ["unit", "petallength", "petalwidth", "bias"]
    assert [r[0] for r in rows] == list(model.classes_)
    # One vector per class, the highest score wins: no unit is "vs rest".
    assert _legend_labels(page.bars.getPlotItem().legend) == list(model.classes_)
    assert _legend_labels(page.legend) == list(model.classes_)


def _legend_labels(legend):
    return [label.text for _sample, label in legend.items]


def test_a_two_class_perceptron_is_one_class_against_the_other_with_a_colour_key(qtbot):
    # XOR, rosenblatt: the bars' legend said "1 vs rest" for a two-class unit, and the
    # decision regions did not say which colour is which class.
    from workbench.data.dataset import Attribute, Dataset

    attributes = [Attribute.numeric("x1"), Attribute.numeric("x2"),
                  Attribute.nominal("class", ["0", "1"])]
    xor = Dataset("xor", attributes, np.array([[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]],
                                              dtype=float), class_index=2)
    model = Perceptron(mode="rosenblatt").fit(xor)
    view = WeightsView(model, xor)
    qtbot.addWidget(view)
    page = view.pages["Perceptron"]
    assert _legend_labels(page.bars.getPlotItem().legend) == ["1 vs 0"]
    assert _legend_labels(page.legend) == ["0", "1"]
    assert page.table()[1][0][0] == "1 vs 0"


def test_colour_maps_and_refusal():
    rgb = diverging_rgb(np.array([-2.0, 0.0, 2.0]))
    assert tuple(rgb[1]) == (247, 247, 247) and rgb[0, 2] > rgb[0, 0] and rgb[2, 0] > rgb[2, 2]
    assert mosaic_rgb(np.zeros((5, 4, 4))).shape == (2 * 4 + 3, 3 * 4 + 4, 3)
    with pytest.raises(WorkbenchError, match="not been trained"):
        WeightsView(MultilayerPerceptron())


def test_pages_read_the_data_with_the_class_the_model_was_trained_with(qtbot, digits_small):
    """The Explorer gives the Watch window its data as loaded (no class, or another one),
    while the run trains with the class the user chose: the Hidden state page follows
    the model in training instead of refusing the data ("the class attribute
    differs"), and the window's own data is left as it was given."""
    model = RecurrentNetwork(cell="simple", hidden_size=6, epochs=1).fit(digits_small)
    for given in (digits_small.with_class(None), digits_small.with_class(0)):
        view = WeightsView(None, given)
        qtbot.addWidget(view)
        view.on_progress(ProgressEvent(message="epoch 1", values={"epoch": 1, "model": model}))
        view.refresh()
        view.tabs.setCurrentIndex(view.tabs.indexOf(view.pages.slots["Hidden state"]))
        view.stop_live()   # the page runs the network: it is drawn when training ends
        slot = view.pages.slots["Hidden state"]
        assert slot.page is not None and not slot.note.isVisibleTo(view), slot.note.text()
        assert slot.page.states.shape == (8, 6)
        assert view.dataset is given


def test_waiting_for_the_next_run_drops_the_previous_model(qtbot, digits_small, digits_mlp):
    """Opened before Start, the window says it waits for the run instead of showing the
    last run's model, then follows the model the first training report names."""
    view = WeightsView(None, digits_small)
    qtbot.addWidget(view)
    view.on_progress(ProgressEvent(message="epoch 1", values={"epoch": 1,
                                                              "model": digits_mlp}))
    view.stop_live(digits_mlp)  # a finished run: its model stays on show
    assert view.model is digits_mlp and "MLP" in view.windowTitle()
    view.await_run(digits_small)
    assert view.model is None and len(view.pages) == 0
    assert view.windowTitle() == "Weights: waiting for training"
    assert view.empty_label.isVisibleTo(view) and "Waiting" in view.empty_label.text()
    view.refresh()  # a redraw before the run starts does not bring the old model back
    assert view.model is None
    cnn = ConvolutionalNetwork(epochs=1, seed=1).fit(digits_small)
    view.on_progress(ProgressEvent(message="epoch 1", values={"epoch": 1, "model": cnn}))
    view.refresh()
    assert view.model is cnn and "Filters" in view.pages
    assert not view.empty_label.isVisibleTo(view)
    view.await_run()  # while a run is followed, nothing changes
    assert view.model is cnn


def test_a_page_that_runs_the_model_waits_for_the_end_of_training(qtbot, digits_small):
    # Hidden state runs the network on data: not on the GUI thread while the worker
    # trains it (dropout would draw from the seeded generator), so while training it
    # says when it is drawn, and the end of training draws it from the final weights.
    model = RecurrentNetwork(cell="simple", hidden_size=6, epochs=1).fit(digits_small)
    view = WeightsView(None, digits_small)
    qtbot.addWidget(view)
    view.on_progress(ProgressEvent(0.5, "epoch 1/3", {"epoch": 1, "loss": 0.5,
                                                      "model": model}))
    qtbot.waitUntil(lambda: view.model is model, timeout=60_000)
    slot = view.pages.slots["Hidden state"]
    view.tabs.setCurrentWidget(slot)
    assert slot.page is None and slot.note.text() == weights_module_held()
    view.stop_live()
    assert slot.page is not None
    np.testing.assert_allclose(view.pages["Hidden state"].states,
                               model.hidden_states(digits_small, 0)[0], rtol=1e-6)


def test_a_page_built_before_the_end_is_built_again_from_the_final_model(qtbot, iris):
    # The perceptron's page has no refresh: the end of training builds it afresh.
    model = Perceptron().fit(iris)
    view = WeightsView(model, iris)
    qtbot.addWidget(view)
    first = view.pages["Perceptron"]
    view.on_progress(ProgressEvent(0.5, "", {"epoch": 1, "loss": 0.5}))
    view.stop_live()   # raised AttributeError (no refresh) before
    assert view.pages["Perceptron"] is not first


def weights_module_held() -> str:
    from workbench.gui.plots.weights import HELD
    return HELD


def test_a_window_opened_mid_run_holds_the_page_and_the_end_builds_it_once(
        qtbot, digits_small):
    # Watch pressed while a run trains: the window follows the model in training before
    # any progress report has started its timer, on the tab last viewed (Hidden state).
    first = RecurrentNetwork(cell="simple", hidden_size=6, epochs=1).fit(digits_small)
    training = RecurrentNetwork(cell="simple", hidden_size=6, epochs=1, seed=2).fit(
        digits_small)
    view = WeightsView(first, digits_small)
    qtbot.addWidget(view)
    view.tabs.setCurrentWidget(view.pages.slots["Hidden state"])
    assert view.pages.slots["Hidden state"].page is not None
    view.begin_live()
    view.follow(training, digits_small)
    slot = view.pages.slots["Hidden state"]
    assert slot.page is None and slot.note.text() == weights_module_held()
    assert view.table() == (["value"], [])   # exporting does not run it either
    view.stop_live(training, digits_small)
    built = slot.page
    assert built is not None
    view.stop_live()   # the Explorer's second call, when the job is done
    assert slot.page is built


def test_dynamics_tab_of_a_run_that_did_not_record_stays_after_the_run(qtbot, iris):
    """Watch opened while an MLP already trained: the run records nothing, and the
    Dynamics tab says so. When the run ends its finished model (``history_`` set, no
    ``dynamics_``) alone would get no Dynamics tab; the tab stays, with its explanation,
    until the window follows another run."""
    import copy

    final = MultilayerPerceptron(epochs=3, hidden_layers="4", seed=1).fit(iris)
    training = copy.copy(final)
    training.history_ = None  # as a model is while it trains
    view = WeightsView(None, iris)
    qtbot.addWidget(view)
    view.begin_live()
    view.on_progress(ProgressEvent(0.5, "epoch 2", {"epoch": 2, "model": training}))
    view.refresh()
    assert "Dynamics" in view.pages.slots
    view.tabs.setCurrentWidget(view.pages.slots["Dynamics"])
    assert "does not record" in view.pages["Dynamics"].note.text()

    view.stop_live(final, iris)
    assert view.model is final
    assert "Dynamics" in view.pages.slots
    assert view.tabs.tabText(view.tabs.currentIndex()) == "Dynamics"
    assert "does not record" in view.pages["Dynamics"].note.text()

    # A new run's first report forgets the kept tab; so does a window set to wait for
    # the next run, after which the finished model alone shows no Dynamics tab.
    view.on_progress(ProgressEvent(0.1, "epoch 1", {"epoch": 1, "model": training}))
    assert view._kept == set()
    view.stop_live()
    view.await_run(iris)
    view.follow(final)
    assert "Dynamics" not in view.pages.slots


def test_rnn_hidden_state_says_which_instance_and_has_a_colour_scale(qtbot, digits_small):
    """The page names the instance's class and the model's prediction, and shows the
    colour scale with its end values (it showed only "instance 1" and no scale)."""
    model = RecurrentNetwork(cell="simple", hidden_size=6, epochs=1).fit(digits_small)
    view = WeightsView(model, digits_small)
    qtbot.addWidget(view)
    page = view.pages["Hidden state"]
    page.instance.setValue(3)
    cls = digits_small.class_attribute
    actual = cls.values[int(digits_small.class_values[2])]
    predicted = cls.values[int(model.predict(digits_small.select_rows([2]))[0])]
    assert page.about.text() == f"instance 3: class {actual}, predicted {predicted}"
    assert not page.scale_bar.pixmap().isNull()
    left = page.scale_bar.pixmap().toImage().pixelColor(0, 5)
    right = page.scale_bar.pixmap().toImage().pixelColor(159, 5)
    assert left.blue() > left.red() and right.red() > right.blue()  # blue -, red +
    low, high = page.states.min(), page.states.max()
    assert page.range.text() == f"this instance: {low:.2f} to {high:.2f}"
