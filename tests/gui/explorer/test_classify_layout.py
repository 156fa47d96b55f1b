"""The Classify tab on a laptop screen: what stays in view, what never moves, what a new
dataset clears, and the words the live curves use."""

from __future__ import annotations

import pytest
from explorer_helpers import dataset_path, open_and_wait, settle_classify
from PySide6.QtCore import QPoint, Qt

SEVERAL = 4  # result-list entries that must stay in view


def _rows_in_view(tab) -> int:
    view = tab.results_list
    return view.viewport().height() // (view.fontMetrics().height() + 4)


def _top(widget, window) -> int:
    return widget.mapTo(window, QPoint(0, 0)).y()


@pytest.mark.parametrize("size", [(1100, 760), (1280, 800)])
def test_the_result_list_keeps_several_rows_for_every_classifier(qtbot, explorer, size):
    # 1100 x 760 is the window's first size, which fits a 1280 x 800 screen.
    explorer.resize(*size)
    tab = explorer.classify
    explorer.tabs.setCurrentWidget(tab)
    for name in tab.chooser.names():
        tab.choose(name)
        settle_classify(qtbot, tab)
        assert _rows_in_view(tab) >= SEVERAL, name
    # The MLP's sheet with its advanced parameters unfolded scrolls rather than squeeze
    # the list.
    tab.choose("mlp")
    tab.sheet.advanced_toggle.setChecked(True)
    settle_classify(qtbot, tab)
    assert _rows_in_view(tab) >= SEVERAL
    assert tab.sheet_scroll.verticalScrollBar().maximum() > 0


def test_the_sheet_shows_whole_once_the_window_grows(qtbot, explorer):
    # Chosen in a small window the MLP's sheet scrolls; the window grows and the sheet
    # takes the room, until the user places the handle themself.
    tab = explorer.classify
    explorer.tabs.setCurrentWidget(tab)
    explorer.resize(1100, 640)
    tab.choose("mlp")
    settle_classify(qtbot, tab)
    scroll = tab.sheet_scroll.verticalScrollBar()
    assert scroll.maximum() > 0
    explorer.resize(1100, 800)
    settle_classify(qtbot, tab)
    assert scroll.maximum() == 0
    # The user drags the handle up (setSizes, then the signal only a drag sends).
    splitter = tab.config_splitter
    total = sum(splitter.sizes())
    splitter.setSizes([120, total - 120])
    splitter.splitterMoved.emit(120, 1)
    explorer.resize(1100, 900)
    settle_classify(qtbot, tab)
    assert scroll.maximum() > 0  # the handle was left where they put it, not refitted
    tab.choose("cnn")  # another classifier is fitted again
    settle_classify(qtbot, tab)
    assert scroll.maximum() == 0


@pytest.mark.timeout(600)
def test_the_buttons_stay_put_when_the_live_plots_appear(qtbot, explorer):
    from workbench.gui.plots.learning import MIN_PLOT_HEIGHT

    explorer.resize(1100, 760)
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    tab = explorer.classify
    explorer.tabs.setCurrentWidget(tab)
    # Validation data: its accuracy arrives with the first epoch, its plot below the loss.
    tab.choose("mlp", {"solver": "sgd", "epochs": 1_000_000, "validation_percent": 20,
                       "patience": 1_000_000})
    tab.set_test_options(mode="training")
    settle_classify(qtbot, tab)
    before = [_top(w, explorer) for w in (tab.start_button, tab.stop_button,
                                          tab.watch_button, tab.results_list)]
    sizes = tab.config_splitter.sizes()
    assert tab.start()
    qtbot.waitUntil(lambda: not tab.curve.acc_widget.isHidden()
                    and tab.curve.redraws >= 2, timeout=60_000)
    qtbot.wait(100)
    after = [_top(w, explorer) for w in (tab.start_button, tab.stop_button,
                                         tab.watch_button, tab.results_list)]
    assert after == before
    assert tab.config_splitter.sizes() == sizes
    # The plots get the room; the report pane keeps only its two lines.
    assert tab.curve.loss_widget.height() >= MIN_PLOT_HEIGHT
    assert tab.curve.acc_widget.height() >= MIN_PLOT_HEIGHT
    assert tab.output.report_box.height() < tab.curve.height() // 2
    tab.stop()
    qtbot.waitUntil(lambda: not tab.running, timeout=60_000)


def _stop_a_network_after_zeror(qtbot, explorer):
    """iris: a finished ZeroR in the result list, then an MLP stopped mid-training with
    its curves still shown."""
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    tab = explorer.classify
    tab.choose("zeror")
    tab.set_test_options(mode="training")
    assert tab.start()
    qtbot.waitUntil(lambda: len(tab.evaluations) == 1 and not tab.running,
                    timeout=60_000)
    tab.choose("mlp", {"solver": "sgd", "epochs": 1_000_000})
    assert tab.start()
    qtbot.waitUntil(lambda: len(tab.curve.series["loss"]) >= 2, timeout=60_000)
    tab.stop()
    qtbot.waitUntil(lambda: not tab.running, timeout=60_000)
    return tab


@pytest.mark.timeout(600)
def test_new_data_clears_the_live_view_but_keeps_the_results(qtbot, explorer):
    tab = _stop_a_network_after_zeror(qtbot, explorer)
    assert tab.report.toPlainText().startswith("Stopped")
    assert tab.curve.isVisibleTo(tab)

    open_and_wait(qtbot, explorer, dataset_path("diabetes.arff"))
    assert tab.report.toPlainText() == ""
    assert not tab.curve.isVisibleTo(tab) and tab.curve.series["loss"] == []
    assert tab.progress_label.text() == "Ready"
    assert tab.results_list.count() == 1 and tab.results_list.currentRow() == -1
    tab.results_list.setCurrentRow(0)  # an old entry still shows its report
    assert "ZeroR" in tab.report.toPlainText()


@pytest.mark.timeout(600)
def test_a_chosen_result_replaces_a_stopped_runs_curves(qtbot, explorer):
    # After Stop the cancelled run's curves stay for a look; choosing a result from the
    # list shows that result alone, with the whole pane.
    tab = _stop_a_network_after_zeror(qtbot, explorer)
    assert tab.curve.isVisibleTo(tab)
    # ZeroR is current again after the Stop (the Result menu acts on it), its report
    # not shown; a click on it shows it.
    view = tab.results_list
    assert view.currentRow() == 0
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualItemRect(view.item(0)).center())
    assert "ZeroR" in tab.report.toPlainText()
    assert not tab.curve.isVisibleTo(tab)


@pytest.mark.timeout(600)
def test_watch_opened_before_start_records_the_run(qtbot, explorer, tmp_path):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    tab = explorer.classify
    tab.choose("zeror")
    assert not tab.watch_button.isEnabled()  # nothing to watch
    tab.choose("mlp", {"solver": "sgd", "epochs": 5, "batch_size": 10})
    tab.set_test_options(mode="training")
    assert tab.watch_button.isEnabled() and not tab.running
    view = tab.watch_weights()
    assert view.isVisible()
    assert tab.start()
    qtbot.waitUntil(lambda: len(tab.evaluations) == 1 and not tab.running,
                    timeout=120_000)
    model = tab.evaluations[0].model
    assert model.dynamics_.records > 0
    assert view.model is model
    assert tab.configured_classifier().record_dynamics == 0  # the sheet is unchanged
    # The kept model records no more: saved and loaded again, it trains as configured
    # (the run recorded because it was watched, the model keeps what it recorded).
    assert model.record_dynamics == 0
    target = tmp_path / "watched.model"
    assert explorer.results.save_model(tab.evaluations[0], str(target)) is not None
    qtbot.waitUntil(lambda: explorer.results.saving is None, timeout=30_000)
    from workbench.classifiers.modelfile import load_model

    assert load_model(target).record_dynamics == 0


def test_an_lbfgs_run_is_counted_in_iterations(qtbot):
    from workbench.classifiers.mlp import MultilayerPerceptron
    from workbench.core.progress import ProgressEvent
    from workbench.data.io import load_dataset
    from workbench.gui.plots.learning import LearningCurveView

    iris_data = load_dataset(dataset_path("iris.arff"), class_index=-1)
    model = MultilayerPerceptron(solver="lbfgs", max_iterations=20).fit(iris_data)
    view = LearningCurveView(model)
    qtbot.addWidget(view)
    assert view.acc_plot.getAxis("bottom").labelText == "iteration"
    assert view.status.text().startswith(f"{model.history_.epochs} iterations")
    assert view.table()[0][0] == "iteration"

    live = LearningCurveView()
    qtbot.addWidget(live)
    live.on_progress(ProgressEvent(0.1, "L-BFGS iteration 1/20", {
        "epoch": 1, "loss": 0.5, "accuracy": 0.6, "model": model}))
    live.redraw()
    assert live.acc_plot.getAxis("bottom").labelText == "iteration"
    assert live.status.text().startswith("1 iteration,")
    sgd = MultilayerPerceptron(solver="sgd", epochs=2).fit(iris_data)
    assert LearningCurveView(sgd).acc_plot.getAxis("bottom").labelText == "epoch"


def test_the_overlay_entry_counts_its_results_in_good_english(qtbot, explorer):
    from workbench.gui.explorer.result_menu import overlay_text

    assert overlay_text(3) == "ROC curves of 3 results overlaid"
    assert "1 results" not in overlay_text(1) and "0 results" not in overlay_text(0)


def test_a_free_text_field_shows_its_example_not_the_word_text(qtbot):
    from workbench.classifiers.mlp import MultilayerPerceptron
    from workbench.gui.widgets.param_sheet import ParamSheet

    sheet = ParamSheet(MultilayerPerceptron.params, columns=3)
    qtbot.addWidget(sheet)
    assert sheet.editor("layer_activations").placeholderText() == "e.g. relu,tanh"
    assert sheet.editor("learning_rate").placeholderText() == "a number in (0, inf]"


def test_scrolling_the_sheet_past_a_choice_leaves_the_choice_alone(qtbot):
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    from workbench.classifiers.mlp import MultilayerPerceptron
    from workbench.gui.widgets.param_sheet import ParamSheet

    sheet = ParamSheet(MultilayerPerceptron.params, columns=3)
    qtbot.addWidget(sheet)
    sheet.show()
    solver = sheet.editor("solver")
    before = solver.currentText()
    wheel = QWheelEvent(QPointF(5, 5), QPointF(5, 5), QPoint(0, -120), QPoint(0, -120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(solver, wheel)
    assert solver.currentText() == before
    assert sheet.values()["solver"] == before


@pytest.mark.parametrize("name", ["rnn", "mlp", "cnn", "dbn"])
def test_network_sheets_show_whole_at_the_first_size_without_scrolling(qtbot, explorer,
                                                                       name):
    """At 1100 x 760, the first size on a 1280 x 800 screen, the network learners' sheets
    show every unfolded parameter without a scroll bar: the RNN's 29 parameters scrolled
    (its input options now fold into "Input options"). Folded or not, every option keeps
    its name and stays in the sheet."""
    explorer.resize(1100, 760)
    tab = explorer.classify
    explorer.tabs.setCurrentWidget(tab)
    tab.choose(name)
    settle_classify(qtbot, tab)
    assert tab.sheet_scroll.verticalScrollBar().maximum() == 0, name
    info = tab.chooser.current()
    assert set(tab.sheet.values()) == {p.name for p in info.params}
    if name == "rnn":
        toggle = tab.sheet.section_toggles["input"]
        assert toggle.text() == "Input options"
        tab.choose("rnn", {"tokens": "characters", "max_length": 40})
        assert tab.configured_classifier().tokens == "characters"


def test_number_fields_show_their_value_whole_in_a_narrow_window(qtbot, explorer):
    """At 853 x 670 the DBN's four columns squeezed Weight decay to 45 px, showing
    "0.0002" as ".0002"; a number field is never narrower than its number, and the
    sheet still needs no sideways scrolling there."""
    from PySide6.QtWidgets import QLineEdit, QStyle

    explorer.resize(853, 670)
    tab = explorer.classify
    explorer.tabs.setCurrentWidget(tab)
    for name in ("dbn", "mlp", "cnn", "rnn"):
        tab.choose(name)
        settle_classify(qtbot, tab)
        sheet = tab.chooser_box.sheet
        for param in sheet.params:
            edit = sheet.editor(param.name)
            if param.kind not in ("int", "float") or not isinstance(edit, QLineEdit) \
                    or not edit.isVisibleTo(sheet):
                continue
            frame = edit.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth)
            room = edit.width() - 2 * frame - 4
            assert edit.fontMetrics().horizontalAdvance(edit.text()) <= room, \
                (name, param.name, edit.text(), edit.width())
        assert not tab.chooser_box.sheet_scroll.horizontalScrollBar().isVisible(), name


def test_a_section_just_unfolded_is_scrolled_into_view(qtbot, explorer):
    """At the sheet's tallest, ticking "Input options" grew only a scroll bar and the
    new rows stayed below the fold, as if the tick did nothing: they come into view."""
    explorer.resize(1100, 760)
    tab = explorer.classify
    explorer.tabs.setCurrentWidget(tab)
    tab.choose("rnn")
    settle_classify(qtbot, tab)
    tab.sheet.section_toggles["advanced"].setChecked(True)
    settle_classify(qtbot, tab)
    tab.sheet.section_toggles["input"].setChecked(True)
    settle_classify(qtbot, tab)
    section = tab.sheet.sections["input"]
    viewport = tab.sheet_scroll.viewport()
    top = section.mapTo(viewport, section.rect().topLeft()).y()
    assert tab.sheet_scroll.verticalScrollBar().maximum() > 0   # the case in question
    assert 0 <= top < viewport.height()


def test_a_short_sheet_gives_its_room_to_the_panes_below(qtbot, explorer):
    """ZeroR's "(no parameters)" sat above 50 px of empty grey (a scroll area asks for
    68 px, and the fit only ever grew the sheet): after a tall sheet, a short one
    shrinks back, and the output and result list get the room."""
    explorer.resize(1100, 760)
    tab = explorer.classify
    explorer.tabs.setCurrentWidget(tab)
    tab.choose("mlp")
    settle_classify(qtbot, tab)
    tall = tab.config_splitter.sizes()[0]
    tab.choose("zeror")
    settle_classify(qtbot, tab)
    empty = tab.sheet_scroll.viewport().height() - tab.sheet.sizeHint().height()
    assert empty < 20, empty
    assert tab.config_splitter.sizes()[0] < tall


def test_loading_data_with_long_class_names_keeps_the_window_width(qtbot, explorer):
    # glass's seven class names ("build wind non-float", ...) were the Visualize tab's
    # legend line, one label 1151 px wide at least: loading glass made the Explorer
    # 1173 px wide (walk 6, seen when an MLP run on glass started), for good.
    explorer.resize(1100, 760)
    qtbot.wait(50)
    open_and_wait(qtbot, explorer, dataset_path("glass.arff"))
    explorer.tabs.setCurrentWidget(explorer.visualize)   # drawn once it is shown
    qtbot.wait(50)
    assert "build&nbsp;wind&nbsp;non-float" in explorer.visualize.hint.text()
    assert explorer.visualize.minimumSizeHint().width() <= 1100
    assert explorer.width() == 1100


@pytest.mark.timeout(600)
def test_the_live_curves_keep_the_window_width(qtbot, explorer):
    # The curves' status line grows with the run ("fold 10/10: 500 iterations, training
    # loss ..., validation loss ...; best iteration ..."); drawn in a plain label, its
    # width became the window's minimum while the run went on.
    explorer.resize(1100, 760)
    open_and_wait(qtbot, explorer, dataset_path("diabetes.arff"))
    tab = explorer.classify
    explorer.tabs.setCurrentWidget(tab)
    tab.choose("mlp", {"solver": "sgd", "epochs": 1_000_000, "validation_percent": 20,
                       "patience": 1_000_000})
    tab.set_test_options(mode="training")
    settle_classify(qtbot, tab)
    width, floor = explorer.width(), tab.minimumSizeHint().width()
    assert tab.start()
    qtbot.waitUntil(lambda: tab.curve.isVisible() and tab.curve.redraws >= 2,
                    timeout=60_000)
    tab.stop()  # the stopped run's curves stay in view, and no event rewrites them
    qtbot.waitUntil(lambda: not tab.running, timeout=60_000)
    assert tab.curve.isVisible()
    # The longest line a run's curves write: a cross-validation's last fold, a long
    # run, with validation data.
    tab.curve.stage = "fold 10/10"
    tab.curve.series["loss"] = [0.123456] * 123456
    tab.curve.series["val_loss"] = [0.234567] * 123456
    tab.curve.best_epoch = 123456
    tab.curve.redraw()
    qtbot.wait(100)
    assert len(tab.curve.status.text()) >= 90
    assert tab.minimumSizeHint().width() == floor
    assert explorer.width() == width
