"""The Dynamics viewer on real trained networks: what it draws is what was recorded."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from settling import settle

from workbench.classifiers.mlp import MultilayerPerceptron
from workbench.core.progress import ProgressEvent
from workbench.data.io import load_dataset
from workbench.gui.plots.dynamics import (
    DynamicsView,
    has_dynamics,
    layer_colour,
    per_epoch_mean,
)
from workbench.gui.plots.export import save_csv, save_image
from workbench.gui.widgets.access_keys import plain_text
from workbench.gui.workers import Job

DATASETS = Path(__file__).resolve().parents[3] / "workbench" / "resources" / "datasets"


@pytest.fixture(scope="module")
def iris():
    return load_dataset(DATASETS / "iris.arff", class_index=-1)


@pytest.fixture(scope="module")
def sigmoid_mlp(iris):
    """Three sigmoid hidden layers trained by SGD, every step recorded."""
    return MultilayerPerceptron(solver="sgd", hidden_layers="8,8,8", epochs=12,
                                batch_size=16, record_dynamics=1, seed=1).fit(iris)


def _xs(item) -> np.ndarray:
    return np.asarray(item.getOriginalDataset()[0], dtype=np.float64)


def _ys(item) -> np.ndarray:
    """The values given to a line (not the log10 a log axis draws)."""
    return np.asarray(item.getOriginalDataset()[1], dtype=np.float64)


def test_one_line_per_layer_of_the_recorded_numbers(qtbot, sigmoid_mlp):
    view = DynamicsView(sigmoid_mlp)
    qtbot.addWidget(view)
    data = sigmoid_mlp.dynamics_
    names = data.layer_names
    assert len(names) == 4 and view.redraws == 1 and not view.note.isVisible()
    assert [len(items) for items in (view.grad_items, view.ratio_items, view.share_items)] \
        == [4, 4, 4]
    # By default each epoch's mean of the recorded steps is drawn...
    epochs, means = per_epoch_mean(data.epochs, data.grad_norm)
    assert list(epochs) == list(range(1, 13))
    for i in range(4):
        np.testing.assert_allclose(_xs(view.grad_items[i]), epochs)
        np.testing.assert_allclose(_ys(view.grad_items[i]), means[:, i], rtol=1e-12)
    # ...and every record when the user asks for them.
    view.smooth_box.setChecked(False)
    for i in range(4):
        np.testing.assert_allclose(_xs(view.ratio_items[i]), data.epochs)
        np.testing.assert_allclose(_ys(view.ratio_items[i]), data.update_ratio[:, i])
        np.testing.assert_allclose(_ys(view.share_items[i]), data.saturated[:, i])
    # The legend names the layers input side first, coloured dark to light.
    text = view.legend.text()
    positions = [text.index(name.replace(" ", "&nbsp;")) for name in names]
    assert positions == sorted(positions)
    light = [sum(layer_colour(i, 4)) for i in range(4)]
    assert light == sorted(light) and len(set(light)) == 4
    assert view.grad_widget.getPlotItem().getAxis("left").logMode
    assert "first layer" in view.summary.text()


def test_heat_map_follows_the_chosen_layer_and_kind(qtbot, sigmoid_mlp):
    view = DynamicsView(sigmoid_mlp)
    qtbot.addWidget(view)
    data = sigmoid_mlp.dynamics_
    _epochs, edges, shares = view.heat_map()
    assert shares.shape == (12, data.bins) and edges[0] == 0.0 and edges[-1] == 1.0
    np.testing.assert_allclose(shares.sum(axis=1), 1.0)  # shares of each epoch's values
    assert view.heat_rgb.shape == (data.bins, 12, 3)
    np.testing.assert_allclose(shares[0], data.act_hist[data.epochs <= 1, 0, :].mean(axis=0))
    view.layer_box.setCurrentIndex(2)
    _, _, third = view.heat_map()
    np.testing.assert_allclose(third[-1], data.act_hist[data.epochs > 11, 2, :].mean(axis=0))
    assert "3 Dense" in view.heat_widget.getPlotItem().titleLabel.text
    view.kind_box.setCurrentText("weights")
    _, weight_edges, weights = view.heat_map()
    np.testing.assert_allclose(weight_edges, data.weight_edges[2])
    np.testing.assert_allclose(weights[0], data.weight_hist[data.epochs <= 1, 2, :].mean(axis=0))


def test_exports_png_svg_and_the_numbers_drawn(qtbot, sigmoid_mlp, tmp_path):
    view = DynamicsView(sigmoid_mlp)
    qtbot.addWidget(view)
    view.resize(900, 640)
    for name in ("dynamics.png", "dynamics.svg"):
        save_image(view, tmp_path / name)
        assert (tmp_path / name).stat().st_size > 1000
    header, rows = view.table()
    save_csv((header, rows), tmp_path / "dynamics.csv")
    lines = (tmp_path / "dynamics.csv").read_text().splitlines()
    assert lines[0] == "step,epoch,layer,quantity,low,high,value"
    data = sigmoid_mlp.dynamics_
    grad = [r for r in rows if r[3] == "grad_norm" and r[2] == data.layer_names[0]]
    np.testing.assert_allclose([r[6] for r in grad],
                               per_epoch_mean(data.epochs, data.grad_norm)[1][:, 0])
    assert any(r[3] == "saturated" for r in rows)
    assert not any(r[3] == "dead" for r in rows)  # no ReLU layer: nothing is drawn for it
    assert sum(r[3] == "activation share" for r in rows) == 12 * data.bins


def test_relu_layers_show_their_dead_share(qtbot, iris):
    model = MultilayerPerceptron(solver="sgd", hidden_layers="6,6", activation="relu",
                                 epochs=5, batch_size=16, record_dynamics=3,
                                 seed=2).fit(iris)
    view = DynamicsView(model)
    qtbot.addWidget(view)
    view.smooth_box.setChecked(False)
    np.testing.assert_allclose(_ys(view.share_items[0]), model.dynamics_.dead[:, 0])
    assert "dead&nbsp;share" in view.legend.text()


def test_a_run_without_dynamics_says_why_and_how(qtbot, iris):
    plain = MultilayerPerceptron(solver="sgd", epochs=3).fit(iris)
    view = DynamicsView(plain)
    qtbot.addWidget(view)
    assert not has_dynamics(plain)
    assert view.note.isVisibleTo(view) and "record_dynamics" in view.note.text()
    assert not view.plots.isVisibleTo(view)
    assert view.table()[1] == []


def test_an_lbfgs_run_is_drawn_per_iteration(qtbot, iris):
    """Full-batch L-BFGS records one row per iteration: the epoch axes say so."""
    lbfgs = MultilayerPerceptron(solver="lbfgs", record_dynamics=5, seed=1).fit(iris)
    view = DynamicsView(lbfgs)
    qtbot.addWidget(view)
    assert lbfgs.dynamics_.step_unit == "iteration" and view.redraws == 1
    assert not view.note.isVisibleTo(view)
    for widget in (view.grad_widget, view.ratio_widget, view.heat_widget, view.share_widget):
        assert widget.getPlotItem().getAxis("bottom").labelText == "iteration"
    assert "iteration" in view.summary.text() and "epoch" not in view.summary.text()


def test_lbfgs_records_after_the_first_twenty_iterations_are_drawn(qtbot):
    """L-BFGS records each of its first 20 iterations, then every N-th: with "Mean per
    iteration" on, every record is a point of a line that joins them (not a point alone
    between missing iterations, which draws nothing), and the heat map fills an
    iteration without a record from the nearest recorded one rather than a grey stripe."""
    diabetes = load_dataset(DATASETS / "diabetes.arff", class_index=-1)
    lbfgs = MultilayerPerceptron(record_dynamics=10, seed=1).fit(diabetes)
    data = lbfgs.dynamics_
    assert data.step_unit == "iteration" and data.epochs[-1] > 40  # records beyond 20
    view = DynamicsView(lbfgs)
    qtbot.addWidget(view)
    assert view.smooth_box.isChecked()
    for item, values in ((view.grad_items[0], data.grad_norm[:, 0]),
                         (view.share_items[0], data.saturated[:, 0])):
        np.testing.assert_array_equal(_xs(item), data.epochs)
        np.testing.assert_allclose(_ys(item), values)
        assert np.isfinite(_ys(item)).all()
    epochs, _edges, shares = view.heat_map()
    recorded = np.isfinite(shares).all(axis=1)
    assert recorded.sum() == data.records and not recorded.all()  # gaps in the numbers
    rgb = view.heat_rgb  # (bins, iterations, 3)
    assert rgb.shape[1] == len(epochs) == int(data.epochs[-1])
    columns = np.flatnonzero(recorded)
    for i in range(len(epochs)):
        nearest = columns[np.argmin(np.abs(columns - i))]  # the earlier on a tie
        np.testing.assert_array_equal(rgb[:, i], rgb[:, nearest])
    # Save data writes what was recorded, not the filled columns.
    _header, rows = view.table()
    shares_saved = {r[1] for r in rows if r[3] == "activation share"}
    assert shares_saved == {int(e) for e in data.epochs}


def test_a_mean_per_epoch_joins_epochs_without_a_record():
    """An epoch without a record is a NaN row, or (for lines) no row at all."""
    positions = np.array([1.0, 2.0, 5.0, 9.0])
    values = np.array([[1.0], [2.0], [np.nan], [4.0]])
    epochs, means = per_epoch_mean(positions, values)
    assert len(epochs) == 9 and np.isnan(means[2:4]).all()
    epochs, means = per_epoch_mean(positions, values, recorded_only=True)
    np.testing.assert_array_equal(epochs, [1, 2, 5, 9])
    np.testing.assert_array_equal(means[:, 0], [1.0, 2.0, np.nan, 4.0])  # a gap stays


def _tick_labels(widget) -> list[str]:
    """The tick labels the bottom axis draws now (pyqtgraph leaves out one that would
    stick out of the axis)."""
    from PySide6.QtGui import QImage, QPainter

    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = widget.getPlotItem().getAxis("bottom").generateDrawSpecs(painter)
    finally:
        painter.end()
    return [text for _rect, _flags, text in specs[2]]


def test_every_plot_shows_the_last_epoch_in_a_small_window(qtbot, iris):
    """At 640x480 no plot is drawn wider than its widget (a long title used to widen
    the heat map's plot, cutting its axis at epoch 28 of 35), and every axis names the
    last epoch, the one the lessons quote numbers for."""
    model = MultilayerPerceptron(solver="sgd", hidden_layers="16,16,16", epochs=10,
                                 record_dynamics=5, seed=1).fit(iris)
    view = DynamicsView(model)
    qtbot.addWidget(view)
    view.resize(640, 480)
    view.show()
    qtbot.waitExposed(view)
    view.heat_widget.getPlotItem().setTitle("Activations of 1 Conv2D 1-20 3x3 relu per epoch")
    widgets = (view.grad_widget, view.ratio_widget, view.heat_widget, view.share_widget)
    settle(qtbot, lambda: [(w.getPlotItem().geometry(), w.viewport().width(),
                            w.getPlotItem().getViewBox().viewRange(), _tick_labels(w))
                           for w in widgets])
    for widget in widgets:
        plot = widget.getPlotItem()
        assert plot.geometry().width() <= widget.viewport().width() + 1
        low, high = plot.getViewBox().viewRange()[0]
        assert low <= 0 and high > 10
        assert "10" in _tick_labels(widget)
    title = view.heat_widget.getPlotItem().titleLabel
    assert title.text == "Activations of 1 Conv2D 1-20 3x3 relu per epoch"  # cut only when drawn
    assert view.heat.rect[0] + view.heat.rect[2] == 10  # the heat map ends where the lines do


def test_the_dynamics_viewer_opens_at_a_size_that_shows_it_whole(qtbot, explorer, iris):
    """Opened from the result list, the viewer gets room for its four plots (not the
    640x480 every viewer got): the shared viewer size, within the screen's free area."""
    from workbench.evaluation import TestOption, evaluate
    from workbench.gui.explorer.result_menu import viewer_size
    from workbench.gui.widgets.placement import FRAME, VIEWER_SIZE

    tab = explorer.classify
    tab.add_result(evaluate(MultilayerPerceptron(solver="sgd", epochs=2, record_dynamics=2),
                            iris, TestOption.training_set()))
    menu = explorer.results.build_menu(0)
    next(a for a in menu.actions()
         if plain_text(a.text()) == "Visualize training dynamics").trigger()
    view = explorer.results.windows[-1]
    assert isinstance(view, DynamicsView)
    free = explorer.screen().availableGeometry()
    assert view.width() == min(VIEWER_SIZE.width(), free.width() - FRAME.width())
    assert view.height() == min(VIEWER_SIZE.height(), free.height() - FRAME.height())
    assert viewer_size(DynamicsView(None)).width() >= min(1000, free.width() - FRAME.width())


def test_follows_a_model_while_it_trains(qtbot, iris):
    """Drawn from snapshots while a job trains: the view redraws with more records each
    time, without waiting for training to end (it runs until stopped). A tiny network
    on iris hardly leaves the interpreter: run in a plain thread, as this test once
    did, it took 5 to 90 s to get here (``gui_turn`` is why a job's does not)."""
    view = DynamicsView()
    qtbot.addWidget(view)
    assert "Waiting" in view.note.text()
    reports: list[ProgressEvent] = []
    model = MultilayerPerceptron(solver="sgd", hidden_layers="8,8", epochs=100_000,
                                 batch_size=8, record_dynamics=5, seed=3)
    job = Job(lambda progress, cancel: model.fit(iris, reports.append, cancel), "train")
    failures: list[str] = []
    job.failed.connect(lambda message, details: failures.append(message))
    job.start()
    try:
        qtbot.waitUntil(lambda: any("epoch" in e.values and "model" in e.values
                                    for e in reports), timeout=120_000)
        view.on_progress(next(e for e in reports if "model" in e.values))
        assert view.model is model and view.timer.isActive()
        qtbot.waitUntil(lambda: view.data is not None and view.data.records > 0,
                        timeout=120_000)
        first = view.data.records
        # A redraw while training is spread over event-loop turns, one plot per turn:
        # wait for the gradient plot's own turn, not only for the redraw to start.
        qtbot.waitUntil(lambda: view.data.records > first and view.redraws >= 2
                        and view.grad_items[0].getOriginalDataset()[0] is not None,
                        timeout=120_000)
        assert job.running  # drawn while training goes on
        assert len(_xs(view.grad_items[0])) >= 1
    finally:
        job.stop()
        assert job.wait(120)
    assert not failures
    view.stop_live()
    assert not view.timer.isActive()
    assert view.data.records == model.dynamics_.records  # the final state is drawn


def _dynamics_page(view):
    """The Watch window's Dynamics page, shown (None until the window has one)."""
    slot = view.pages.slots.get("Dynamics")
    if slot is None:
        return None
    view.tabs.setCurrentWidget(slot)
    return slot.page


@pytest.mark.timeout(900)
def test_watch_window_records_and_shows_the_dynamics_of_its_run(qtbot, explorer):
    from PySide6.QtCore import Qt

    explorer.open_file(str(DATASETS / "iris.arff"))
    qtbot.waitUntil(lambda: explorer.load_job is None, timeout=60_000)
    tab = explorer.classify
    # Trains until stopped, so every check below happens while it trains.
    tab.choose("mlp", {"solver": "sgd", "hidden_layers": "8,8", "epochs": 1_000_000,
                       "batch_size": 8})
    tab.set_test_options(mode="training")
    assert tab.start()
    qtbot.mouseClick(tab.watch_button, Qt.MouseButton.LeftButton)
    view = tab.live_weights
    # This run started before the window opened: it records nothing, and says how to.
    qtbot.waitUntil(lambda: (page := _dynamics_page(view)) is not None
                    and "Watch window is open" in page.note.text(), timeout=120_000)
    tab.stop()
    qtbot.waitUntil(lambda: not tab.running, timeout=120_000)

    # Started with the window open: this run records, and the tab draws it as it grows.
    assert view.isVisible() and tab.start()
    qtbot.waitUntil(lambda: (page := _dynamics_page(view)) is not None
                    and page.data is not None and page.data.records > 0, timeout=120_000)
    page = _dynamics_page(view)
    first = page.data.records
    qtbot.waitUntil(lambda: _dynamics_page(view).data.records > first, timeout=120_000)
    assert tab.running  # drawn while it trains
    page = _dynamics_page(view)
    assert page.model.record_dynamics == 10 and page.data.every == 10
    assert len(page.grad_items) == 3
    # The run's own copy records: the sheet (and so the next run without the window)
    # keeps record_dynamics at 0.
    assert tab.configured_classifier().record_dynamics == 0
    tab.stop()
    qtbot.waitUntil(lambda: not tab.running, timeout=120_000)


def test_result_menu_and_flow_viewer_open_the_dynamics_viewer(qtbot, explorer, iris,
                                                              sigmoid_mlp):
    from workbench.evaluation import TestOption, evaluate
    from workbench.flow.nodes.dynamics import dynamics_chart
    from workbench.gui.flow_editor.viewers import viewer_widget

    tab = explorer.classify
    recorded = evaluate(MultilayerPerceptron(solver="sgd", epochs=4, record_dynamics=2),
                        iris, TestOption.training_set())
    plain = evaluate(MultilayerPerceptron(solver="sgd", epochs=4), iris,
                     TestOption.training_set())
    tab.add_result(recorded)
    tab.add_result(plain)

    def entry(row):
        menu = explorer.results.build_menu(row)
        return next(a for a in menu.actions()
                    if plain_text(a.text()) == "Visualize training dynamics")

    assert not entry(1).isEnabled()  # nothing recorded: offered, disabled
    action = entry(0)
    assert action.isEnabled()
    before = len(explorer.results.windows)
    action.trigger()
    opened = explorer.results.windows[before:]
    assert len(opened) == 1 and isinstance(opened[0], DynamicsView)
    assert opened[0].data.records == recorded.model.dynamics_.records

    # A flow's DynamicsViewer output opens the same viewer, not a plain chart.
    chart = dynamics_chart(sigmoid_mlp.dynamics_.snapshot(), "test", sigmoid_mlp)
    widget = viewer_widget({"chart": chart})
    qtbot.addWidget(widget)
    assert isinstance(widget, DynamicsView)
    assert widget.data.records == sigmoid_mlp.dynamics_.records


def test_flow_live_view_follows_training_then_shows_the_nodes_output(qtbot, sigmoid_mlp):
    from workbench.flow.nodes.dynamics import dynamics_chart
    from workbench.gui.viewers import live_viewer

    live = live_viewer("dynamics")
    assert live is not None
    view = live.make()
    qtbot.addWidget(view)
    view.on_progress(ProgressEvent(0.5, "epoch 6/12", {"epoch": 6, "model": sigmoid_mlp}))
    assert view.model is sigmoid_mlp and view.timer.isActive()
    qtbot.waitUntil(lambda: view.redraws >= 1, timeout=60_000)
    final = sigmoid_mlp.dynamics_.snapshot()
    assert not live.finish(view, "not a dynamics chart")
    assert live.finish(view, dynamics_chart(final, "run", sigmoid_mlp))
    assert not view.timer.isActive() and view.data is final


def test_a_watched_run_records_at_most_fifty_times_an_epoch():
    from workbench.classifiers.knn import KNearestNeighbours
    from workbench.gui.plots.dynamics import record_while_watched

    small = MultilayerPerceptron(solver="sgd", batch_size=8)
    assert record_while_watched(small, 150) and small.record_dynamics == 10
    big = MultilayerPerceptron(solver="sgd", batch_size=32)
    assert record_while_watched(big, 60_000) and big.record_dynamics == 38  # 1875 steps
    asked = MultilayerPerceptron(record_dynamics=3)
    assert not record_while_watched(asked, 60_000) and asked.record_dynamics == 3
    assert not record_while_watched(KNearestNeighbours(), 150)


def test_a_staged_view_builds_its_plots_over_event_loop_turns(qtbot, sigmoid_mlp):
    view = DynamicsView(sigmoid_mlp, staged=True, export_bar=False)
    qtbot.addWidget(view)
    assert not view.ready and view.redraws == 0  # nothing built or drawn in the constructor
    view.layer_box.setCurrentIndex(1)  # the controls answer before the plots exist
    qtbot.waitUntil(lambda: view.ready and view.redraws == 1, timeout=60_000)
    assert len(view.grad_items) == 4
    np.testing.assert_allclose(_ys(view.grad_items[0]),
                               per_epoch_mean(sigmoid_mlp.dynamics_.epochs,
                                              sigmoid_mlp.dynamics_.grad_norm)[1][:, 0])
    assert view.heat_rgb.shape[1] == 12


def _growing(full, records: int):
    """A recording that holds the first ``records`` rows of ``full``, as a model in
    training would (the same row arrays, appended one by one)."""
    from workbench.engine.dynamics import TrainingDynamics

    live = TrainingDynamics(full.every, full.bins)
    live._names, live._kinds, live._paths = full._names, full._kinds, full._paths
    live._act_edges, live._weight_edges = full._act_edges, full._weight_edges
    _grow(live, full, records)
    return live


def _grow(live, full, records: int) -> None:
    for r in range(live.records, records):
        live._append(full._steps[r], full._epochs[r], full._rows[r])


def test_a_snapshot_since_the_last_finishes_only_the_new_records(sigmoid_mlp, monkeypatch):
    from workbench.engine import dynamics as engine

    full = sigmoid_mlp.dynamics_
    full.grad_norm  # noqa: B018 (the whole run's rows finished before counting)
    finished: list[int] = []
    real = engine._finish
    monkeypatch.setattr(engine, "_finish",
                        lambda raw, *rest: finished.append(len(raw)) or real(raw, *rest))
    live = _growing(full, 50)
    first = live.snapshot()
    np.testing.assert_array_equal(first.grad_norm, full.grad_norm[:50])
    _grow(live, full, 70)
    second = live.snapshot(since=first)
    np.testing.assert_array_equal(second.grad_norm, full.grad_norm[:70])
    np.testing.assert_array_equal(second.act_hist, full.act_hist[:70])
    assert finished == [50, 20]
    # A copy of another recording (or of this one before it restarted) is not reused.
    other = _growing(full, 0)
    for r in range(60):  # equal numbers, but another recording's rows
        other._append(full._steps[r], full._epochs[r], full._rows[r] * 2)
    other = other.snapshot()
    other.grad_norm  # noqa: B018 (finished rows that are not this recording's)
    _grow(live, full, 80)
    third = live.snapshot(since=other)
    np.testing.assert_array_equal(third.dead, full.dead[:80])
    assert finished[-2:] == [60, 80] and first.records == 50  # earlier copies kept


def test_a_redraw_without_new_records_sets_nothing(qtbot, sigmoid_mlp, monkeypatch):
    import pyqtgraph as pg

    view = DynamicsView(sigmoid_mlp)
    qtbot.addWidget(view)
    calls: list[int] = []
    for cls, name in ((pg.PlotDataItem, "setData"), (pg.ImageItem, "setImage")):
        real = getattr(cls, name)
        monkeypatch.setattr(cls, name, lambda self, *a, _real=real, **k:
                            calls.append(1) or _real(self, *a, **k))
    view.refresh()  # nothing new recorded: not even a redraw
    assert view.redraws == 1
    view.redraw()  # asked to draw the same numbers again: every line and image is as shown
    assert view.redraws == 2 and calls == []
    view.smooth_box.setChecked(False)  # each record instead of epoch means: all change
    assert len(calls) == 3 * 4  # three plots of four layers; the heat map stays per epoch


def test_lines_are_thinned_keeping_their_peaks(qtbot, iris):
    from workbench.gui.plots.dynamics_parts import MAX_POINTS, thin

    model = MultilayerPerceptron(solver="sgd", hidden_layers="4", epochs=4, batch_size=1,
                                 record_dynamics=1, seed=2).fit(iris)
    data = model.dynamics_
    assert data.records == 600 > MAX_POINTS
    view = DynamicsView(model)
    qtbot.addWidget(view)
    view.smooth_box.setChecked(False)
    for i, item in enumerate(view.grad_items):
        xs, ys = _xs(item), _ys(item)
        assert 2 <= len(xs) <= MAX_POINTS and np.all(np.diff(xs) > 0)
        assert ys.max() == data.grad_norm[:, i].max() and ys.min() == data.grad_norm[:, i].min()
        assert set(xs) <= set(data.epochs)  # recorded points, none made up
    # A run of missing values stays a gap; short lines are left as they are.
    y = np.arange(1000.0)
    y[300:420] = np.nan
    x, thinned = thin(np.arange(1000.0), y, 100)
    assert len(x) <= 100 and np.isnan(thinned).any() and thinned[-1] == 999.0
    assert thin(np.arange(5.0), np.ones(5), 100)[0].tolist() == [0, 1, 2, 3, 4]


def test_a_hidden_tab_draws_only_when_shown(qtbot, sigmoid_mlp):
    from PySide6.QtWidgets import QLabel, QTabWidget

    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    view = DynamicsView()
    tabs.addTab(QLabel("another page"), "Other")
    tabs.addTab(view, "Dynamics")
    tabs.show()
    qtbot.waitExposed(tabs)
    view.follow(sigmoid_mlp)
    assert view.redraws == 0 and view.data is None  # nobody sees it: not even a snapshot
    tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.redraws == 1)
    assert view.data.records == sigmoid_mlp.dynamics_.records


class _Training:
    """A model in training (no ``history_`` yet) whose recording grows as the test says."""

    record_dynamics = 1
    history_ = None

    def __init__(self, dynamics) -> None:
        self.dynamics_ = dynamics

    def set_params(self, **values) -> None:
        pass


def test_while_training_each_plot_is_drawn_on_its_own_event_loop_turn(qtbot, sigmoid_mlp):
    """Qt paints one changed plot before the next changes, never all four in one turn;
    only the new records' lines change, the others are left as drawn."""
    full = sigmoid_mlp.dynamics_
    live = _growing(full, 40)
    view = DynamicsView(_Training(live))
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: not view._steps and view.line_updates == 12)
    _grow(live, full, 60)
    view.refresh()
    assert view.redraws == 2 and view.line_updates == 12  # nothing drawn yet
    view._stepper.stop()
    view._next_step()  # the first turn: the gradient norms only
    assert view.line_updates == 16
    np.testing.assert_allclose(_ys(view.grad_items[0]),
                               per_epoch_mean(full.epochs[:60], full.grad_norm[:60])[1][:, 0])
    assert len(_ys(view.ratio_items[0])) < len(_ys(view.grad_items[0]))  # not yet redrawn
    qtbot.waitUntil(lambda: not view._steps)
    assert view.line_updates == 24 and view.heat_rgb.shape[1] == 6
    assert "60 records" in view.summary.text()


def test_the_plots_share_the_epoch_axis_and_keep_a_users_zoom(qtbot, sigmoid_mlp):
    full = sigmoid_mlp.dynamics_
    live = _growing(full, 40)
    view = DynamicsView(_Training(live))
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: not view._steps and view.line_updates == 12)
    widgets = (view.grad_widget, view.ratio_widget, view.heat_widget, view.share_widget)
    ends = {round(w.getPlotItem().getViewBox().viewRange()[0][1]) for w in widgets}
    assert ends == {5}  # epoch 4 of a run in training: the axis ends at 5, on all four
    # The user zooms the update ratios (as pyqtgraph's wheel and drag handlers do).
    box = view.ratio_widget.getPlotItem().getViewBox()
    box.setXRange(2.0, 3.0, padding=0)
    box.sigRangeChangedManually.emit([True, False])
    assert view.user_zoomed
    for widget in widgets:
        np.testing.assert_allclose(widget.getPlotItem().getViewBox().viewRange()[0], [2, 3])
    _grow(live, full, 100)  # training goes on past epoch 5: the zoom stays
    view.refresh()
    qtbot.waitUntil(lambda: not view._steps)
    for widget in widgets:
        np.testing.assert_allclose(widget.getPlotItem().getViewBox().viewRange()[0], [2, 3])


def test_layer_names_read_whole_in_the_watch_windows_dynamics_tab(qtbot):
    """In the Watch window (760 x 600, the heat map in half its width) the layer chooser
    shows "1 Dense 64-37 sigmoid" whole, its list opens wide enough for every name, and
    the heat map's title is never cut: the whole title where it fits, else a short one
    naming the layer by number, the whole one in its tooltip."""
    from PySide6.QtWidgets import QComboBox

    from workbench.gui.plots.weights import WeightsView

    digits = load_dataset(DATASETS / "digits.arff", class_index=-1).select_rows(
        list(range(200)))
    model = MultilayerPerceptron(solver="sgd", hidden_layers="37", epochs=2, batch_size=20,
                                 record_dynamics=2, seed=1).fit(digits)
    window = WeightsView(model, digits)
    qtbot.addWidget(window)
    window.resize(760, 600)
    window.show()
    window.tabs.setCurrentWidget(window.pages.slots["Dynamics"])
    view = window.pages["Dynamics"]
    qtbot.waitUntil(lambda: view.ready and view.redraws > 0, timeout=30_000)
    box = view.layer_box
    title = view.heat_widget.getPlotItem().titleLabel
    settle(qtbot, lambda: (box.width(), box.view().minimumWidth(), title.item.toPlainText(),
                           title.toolTip(), view.heat_widget.width()))
    assert box.currentText() == "1 Dense 64-37 sigmoid"
    whole = QComboBox()
    whole.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    whole.addItems([box.itemText(i) for i in range(box.count())])
    assert box.width() >= whole.sizeHint().width()
    assert box.view().minimumWidth() >= box.view().sizeHintForColumn(0)
    assert box.itemData(0, Qt.ItemDataRole.ToolTipRole) == "1 Dense 64-37 sigmoid"
    shown = title.item.toPlainText()
    assert "…" not in shown and "..." not in shown
    assert shown in ("Activations of 1 Dense 64-37 sigmoid per epoch",
                     "Activations of layer 1 per epoch")
    assert title.toolTip() in ("", "Activations of 1 Dense 64-37 sigmoid per epoch")
    if shown != title.text:
        assert title.toolTip() == title.text
