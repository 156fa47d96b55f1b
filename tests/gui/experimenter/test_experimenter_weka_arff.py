"""The Analyse tab opens WEKA's Experimenter's ARFF results as WEKA's Analyse tab does:
comparing Percent_correct (our accuracy) first, its other numbers offered after ours."""

from __future__ import annotations

import shutil
from pathlib import Path

WEKA = Path(__file__).parents[2] / "fixtures" / "weka-experimenter"


def test_the_analyse_tab_opens_wekas_results_at_accuracy(qtbot, tmp_path):
    from workbench.gui.experimenter import Experimenter

    win = Experimenter()
    qtbot.addWidget(win)
    results = tmp_path / "results.arff"
    shutil.copy(WEKA / "cv-iris-labor.arff", results)
    analyse = win.analyse
    analyse._try_load(str(results))
    assert analyse.table_data is not None, analyse.message.text()
    items = [analyse.metric_box.itemText(i) for i in range(analyse.metric_box.count())]
    assert analyse.metric_box.currentText() == "accuracy"
    assert items.index("rmse") < items.index("Number_correct")
    assert [analyse.baseline.itemText(i) for i in range(2)] == ["ZeroR",
                                                                "J48 -C 0.25 -M 2"]
    shown = analyse.analyse()
    assert shown is not None
    iris = shown.cells[("iris", "J48 -C 0.25 -M 2")]
    assert (round(iris.mean, 4), iris.marker) == (94.6667, "v")
