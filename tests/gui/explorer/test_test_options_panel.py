"""The Classify tab's Test options: WEKA's radio buttons over the declared TestOptions,
refusing what the command line refuses, in its words."""

from __future__ import annotations

import pytest
from explorer_helpers import dataset_path, open_and_wait
from PySide6.QtCore import Qt

from workbench.core.errors import ParameterError
from workbench.evaluation.test_options import TestOptions
from workbench.gui.explorer.test_options_panel import TestOptionsPanel


def _declared_refusal(**values) -> str:
    with pytest.raises(ParameterError) as info:
        TestOptions(**values)
    return str(info.value)


def _type(qtbot, panel: TestOptionsPanel, name: str, text: str) -> None:
    editor = panel.sheets[name].editor(name)
    editor.selectAll()
    qtbot.keyClicks(editor, text)


@pytest.fixture
def panel(qtbot):
    panel = TestOptionsPanel()
    qtbot.addWidget(panel)
    panel.show()
    return panel


def test_the_panel_opens_on_the_declared_defaults(panel):
    assert panel.use_cv.isChecked()
    assert panel.values() == {name: value for name, value in TestOptions().get_params()
                              .items() if name != "runs"}
    assert panel.sheets["folds"].editor("folds").text() == "10"
    assert panel.sheets["percent"].editor("percent").text() == "66.0"


def test_a_field_is_editable_while_its_option_is_chosen(panel):
    folds, percent = panel.sheets["folds"], panel.sheets["percent"]
    assert folds.isEnabled() and not percent.isEnabled()
    panel.use_split.setChecked(True)
    assert percent.isEnabled() and not folds.isEnabled() and panel.preserve_order.isEnabled()
    panel.use_training.setChecked(True)
    assert not percent.isEnabled() and not folds.isEnabled()


def test_a_refused_field_says_why_in_the_declared_words(qtbot, panel):
    _type(qtbot, panel, "folds", "1")
    shown = panel.sheets["folds"].errors()["folds"]
    assert shown == _declared_refusal(folds=1)
    with pytest.raises(Exception, match="fix the test options first: parameter 'folds'"):
        panel.options()
    # The refused field belongs to cross-validation: another option still runs.
    panel.use_training.setChecked(True)
    assert panel.options().mode == "training"


def test_a_fractional_percentage_and_preserved_order_reach_the_run(qtbot, panel):
    panel.use_split.setChecked(True)
    _type(qtbot, panel, "percent", "66.6")
    panel.preserve_order.setChecked(True)
    _type(qtbot, panel, "seed", "7")
    options = panel.options()
    assert (options.mode, options.percent, options.seed, options.preserve_order) == (
        "split", 66.6, 7, True)


def test_set_values_shows_a_stale_value_without_raising(panel):
    panel.set_values({"mode": "split", "folds": "0", "percent": 80})
    assert panel.use_split.isChecked()
    assert "folds" in panel.sheets["folds"].errors()
    assert panel.options().percent == 80.0


def test_start_refuses_more_folds_than_rows_before_a_worker_starts(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("weather.nominal.arff"))
    tab = explorer.classify
    tab.choose("zeror")
    tab.use_cv.setChecked(True)
    tab.set_test_options(folds=15)
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    assert not tab.running
    assert tab.progress_label.text() == (
        "Error: 'weather.symbolic' has 14 instances, fewer than the 15 folds asked for: "
        "set Folds to 14 or fewer, or choose Use training set")
    tab.set_test_options(folds=14)  # an edit clears the stale refusal
    assert tab.progress_label.text() == "Ready"


def test_a_fractional_split_runs_and_says_so_in_the_report(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    tab = explorer.classify
    tab.choose("zeror")
    tab.use_split.setChecked(True)
    tab.set_test_options(percent=66.6)
    assert tab.start()
    qtbot.waitUntil(lambda: len(tab.evaluations) == 1, timeout=30_000)
    assert "Test mode:    split 66.6% train, remainder test" in tab.report.toPlainText()


def test_the_folds_setting_survives_a_restart_and_a_bad_one_is_shown(qtbot, settings):
    from workbench.gui.explorer.window import ExplorerWindow

    settings.setValue("folds", "1")
    window = ExplorerWindow(settings=settings)
    qtbot.addWidget(window)
    assert "folds" in window.classify.testing.errors()


def test_the_cost_matrix_field_is_checked_like_a_cost_file():
    # The field used to take NaN and inf ("Total Cost NaN"); it now goes through the
    # reader of classify -m, so both refuse the same things in the same words.
    from workbench.core.errors import WorkbenchError
    from workbench.gui.explorer.test_options_panel import parse_cost_matrix

    assert parse_cost_matrix("", 2) is None
    assert parse_cost_matrix("[0 1; 5 0]", 2).tolist() == [[0, 1], [5, 0]]
    assert parse_cost_matrix("0 1; 5 0", 2).tolist() == [[0, 1], [5, 0]]
    with pytest.raises(WorkbenchError, match="'nan' is not a finite number at character 4"):
        parse_cost_matrix("[0 nan; 5 0]", 2)
    with pytest.raises(WorkbenchError, match="the class 'play' has 3 values"):
        parse_cost_matrix("[0 1; 5 0]", 3, "play")
    with pytest.raises(WorkbenchError, match="row 2 has 1 value"):
        parse_cost_matrix("[0 1; 5]", 2)
