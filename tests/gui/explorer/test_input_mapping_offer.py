"""A supplied test set with another header: the Explorer asks, as WEKA's does, whether
to wrap the classifier in an InputMappedClassifier, for Start and for Re-evaluate."""

from __future__ import annotations

from pathlib import Path

from explorer_helpers import open_and_wait, run_classifier

from workbench.data.io import load_dataset

TRAIN = "colour,class\nred,yes\nred,yes\nblue,no\nred,no\n"
# columns and labels in another order, an extra column, a colour the model never saw
TEST = "class,colour,extra\nno,blue,1\nyes,red,2\nno,green,3\n"


def _open_pair(qtbot, explorer, tmp_path: Path) -> None:
    (tmp_path / "train.csv").write_text(TRAIN)
    (tmp_path / "test.csv").write_text(TEST)
    open_and_wait(qtbot, explorer, str(tmp_path / "train.csv"))
    explorer.classify.set_test_set(load_dataset(str(tmp_path / "test.csv")), "test")


def _answer(monkeypatch, explorer, yes: bool) -> list[str]:
    asked: list[str] = []

    def answer(why: str) -> bool:
        asked.append(why)
        return yes

    monkeypatch.setattr(explorer.classify, "ask_map_test_set", answer)
    return asked


WHY = "attribute 'colour' has the label 'green' (1 row), which the training data does not have"


def test_start_asks_and_yes_runs_the_classifier_wrapped(qtbot, explorer, tmp_path,
                                                        monkeypatch):
    _open_pair(qtbot, explorer, tmp_path)
    asked = _answer(monkeypatch, explorer, yes=True)
    run_classifier(qtbot, explorer, "NaiveBayes")
    assert asked == [WHY]
    report = explorer.classify.report.toPlainText()
    assert "Scheme:       InputMappedClassifier -I -trim -W NaiveBayes" in report
    assert "Correctly Classified Instances           2               66.6667 %" in report
    assert "'green' (1 row)" in report            # the mapping, in the model text
    assert explorer.classify.results_list.item(0).text().endswith(
        "InputMappedClassifier -I -trim -W NaiveBayes")


def test_no_refuses_the_run_naming_the_attribute_and_the_label(qtbot, explorer, tmp_path,
                                                               monkeypatch):
    _open_pair(qtbot, explorer, tmp_path)
    _answer(monkeypatch, explorer, yes=False)
    explorer.classify.choose("NaiveBayes")
    assert not explorer.classify.start()
    assert not explorer.classify.evaluations
    text = explorer.classify.report.toPlainText()
    assert f"the test set does not match the training data: {WHY}" in text


def test_reevaluating_a_model_offers_the_mapping_and_never_suggests_start(
        qtbot, explorer, tmp_path, monkeypatch):
    _open_pair(qtbot, explorer, tmp_path)
    explorer.classify.set_test_options(mode="training")
    run_classifier(qtbot, explorer, "NaiveBayes")
    explorer.classify.set_test_options(mode="test_set")
    asked = _answer(monkeypatch, explorer, yes=False)
    explorer.results.reevaluate(explorer.classify.evaluations[0])
    assert asked == [WHY]
    assert len(explorer.classify.evaluations) == 1
    text = explorer.classify.report.toPlainText()
    assert WHY in text and "Start" not in text and "Re-evaluate" in text

    _answer(monkeypatch, explorer, yes=True)
    explorer.results.reevaluate(explorer.classify.evaluations[0])
    qtbot.waitUntil(lambda: not explorer.classify.running, timeout=30_000)
    assert len(explorer.classify.evaluations) == 2, explorer.log.text()
    report = explorer.classify.report.toPlainText()
    assert "Scheme:       InputMappedClassifier -I -trim -W NaiveBayes" in report
    assert "Correctly Classified Instances           2               66.6667 %" in report
    assert "Instances:    3" in report            # the mapped test rows
    assert explorer.classify.results_list.item(1).text().endswith(" re-evaluated on test")
