"""A messy CSV as a WEKA user opens it (walkthrough 12): numbers with NA cells are
offered a read with NA as a missing marker, the statistics show WEKA's three decimals,
and the Log keeps each filter's and run's full command."""

from __future__ import annotations

from explorer_helpers import dataset_path, open_and_wait, run_classifier
from PySide6.QtCore import Qt

from workbench.data.dataset import AttributeType
from workbench.gui.explorer.load_options import LoadOptions

MESSY = ("age,income,smoker\n35,15232.79,Yes\nNA,90216.23,no\n,14160.02,No\n"
         "41,NA,yes\n52,50000,\nNA,20000,Yes\n")


def _stat_values(tab) -> list[str]:
    return [tab.stats.item(r, 1).text() for r in range(4)]


def test_numbers_with_na_are_offered_a_read_with_na_missing(qtbot, explorer, tmp_path):
    path = tmp_path / "messy.csv"
    path.write_text(MESSY)
    open_and_wait(qtbot, explorer, str(path))
    # read as asked (nothing changes without the user's choice), and said so
    assert explorer.dataset.attribute("age").type is AttributeType.NOMINAL
    log = explorer.log.text()
    assert "age: numbers except 'NA' (2 cells)" in log
    assert "income: numbers except 'NA' (1 cell)" in log
    assert "Missing value markers NA,?" in log
    box = explorer.preprocess.message_box
    assert box.isVisible() and "age: numbers except 'NA'" in box.text()
    assert box.action.text() == "Open with options..."
    qtbot.mouseClick(box.action, Qt.MouseButton.LeftButton)
    dialog = explorer.options_dialog
    assert dialog is not None and dialog.options() == LoadOptions(missing="NA,?")
    assert "age: numbers except 'NA'" in dialog.reason.text()
    dialog.accept()
    qtbot.waitUntil(lambda: explorer.load_job is None, timeout=30_000)
    age = explorer.dataset.attribute("age")
    assert age.type is AttributeType.NUMERIC
    assert explorer.preprocess.summaries[0].missing == 3   # two NA and one empty cell
    assert explorer.preprocess.summaries[2].missing == 1   # the empty smoker cell
    assert not box.isVisible()


def test_statistics_have_three_decimals_as_in_weka(qtbot, explorer, tmp_path):
    path = tmp_path / "money.csv"
    path.write_text("income,small\n15232.79,0.1\n90216.23,0.2\n14160.02,-0.3\n")
    open_and_wait(qtbot, explorer, str(path))
    tab = explorer.preprocess
    tab.table.setCurrentCell(0, 1)
    assert _stat_values(tab) == ["14160.02", "90216.23", "39869.68", "43604.69"]
    tab.table.setCurrentCell(1, 1)
    # a mean of 1.85e-17 is 0 at three decimals, as WEKA shows it after Standardize
    assert _stat_values(tab)[2] == "0"


def test_the_log_keeps_the_filter_command_and_the_runs_cost_matrix(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    original = explorer.dataset
    explorer.preprocess.filter_chooser.set_current("discretize")
    qtbot.mouseClick(explorer.preprocess.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: explorer.dataset is not original, timeout=20_000)
    assert ("Command: weka.filters.unsupervised.attribute.Discretize -B 10 -M -1.0 "
            "-R first-last -precision 6") in explorer.log.text()
    explorer.classify.cost_matrix.setText("[0 1 1; 5 0 1; 1 1 0]")
    run_classifier(qtbot, explorer, "zeror")
    log = explorer.log.text()
    assert "Scheme: ZeroR" in log
    assert "Cost matrix: [0 1 1; 5 0 1; 1 1 0]" in log
