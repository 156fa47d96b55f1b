"""An experiment whose files and datasets carry HTML in their names shows them as text
in the setup, the run log and the analysis (walkthrough 13a, D6: Qt reads the file an
``<img src=PATH>`` names when it renders one)."""

from __future__ import annotations

import json

from rich_text_probe import HOSTILE, assert_no_leaks, hostile_arff

BOLD = "<b>bold"   # a file name cannot hold "/": the tag opened, never closed


def test_hostile_names_show_as_text_in_the_experimenter(window, qtbot, tmp_path):
    data = hostile_arff(tmp_path)
    broken = tmp_path / f"{BOLD}broken.arff"
    broken.write_text(f"@relation '{HOSTILE}'\n@attribute a numeric\n"
                      f"@attribute class {{yes,no}}\n@data\n1,yes\n2,'{HOSTILE}'\n")
    results = tmp_path / f"{BOLD}results.csv"
    spec = tmp_path / f"{BOLD}exp.experiment.json"
    spec.write_text(json.dumps({"version": 1, "datasets": [str(data), str(broken)],
                                "classifiers": [{"name": "zeror"},
                                                {"name": "naive-bayes"}],
                                "resampling": {"method": "cross_validation", "folds": 2},
                                "repetitions": 1}),
                    encoding="utf-8")
    window.show()
    assert window.open_spec(spec) is not None
    qtbot.waitUntil(lambda: not window.setup.checking_datasets(), timeout=20_000)
    assert list(window.setup.broken_datasets()) == [str(broken)]
    assert_no_leaks("opened")
    assert not window.start()          # the broken dataset: the refusal names it
    assert_no_leaks("refused")
    window.setup.datasets.item_for(str(broken)).setSelected(True)
    window.setup.remove_selected_datasets()
    window.setup.results.setText(str(results))
    assert window.start(), window.run.last_error
    qtbot.waitUntil(lambda: not window.running, timeout=60_000)
    assert window.run.summary is not None and window.run.summary.complete
    for tab in range(window.tabs.count()):
        window.tabs.setCurrentIndex(tab)
        qtbot.wait(50)
        assert_no_leaks(window.tabs.tabText(tab))
    assert window.analyse.analyse() is not None
    assert_no_leaks("analysed")
