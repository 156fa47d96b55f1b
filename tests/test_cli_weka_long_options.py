"""Every option of WEKA's command-line evaluation, typed as a WEKA user types it: honoured
with WEKA's meaning or refused with what to type instead, never read as a one-letter
option with the rest of the word as its value (walkthrough 13d, D4: ``-distribution``
was ``-d istribution`` and saved a model file called "istribution", exit status 0).
"""

from __future__ import annotations

import pytest

from workbench.cli import main
from workbench.commands._classify_options import WEKA_OPTIONS_NOT_OFFERED

# ``java -cp weka.jar weka.classifiers.rules.ZeroR -h`` (WEKA 3.9.7): each option, with
# a value where WEKA takes one. The last four are every classifier's (AbstractClassifier).
WEKA_OPTIONS: dict[str, list[str]] = {
    "-h": [], "-help": [], "-synopsis": [], "-info": [],
    "-t": ["iris"], "-T": ["iris"], "-c": ["last"], "-x": ["5"], "-no-cv": [],
    "-force-batch-training": [], "-split-percentage": ["66"], "-preserve-order": [],
    "-s": ["3"], "-m": ["costs.txt"], "-continue-iterating": [], "-clean-up": [],
    "-toggle": ["Correct,Kappa"], "-l": ["model.bin"], "-d": ["model.bin"], "-v": [],
    "-o": [], "-output-models-for-training-splits": [],
    "-do-not-output-per-class-statistics": [], "-k": [],
    "-classifications": ["weka.classifiers.evaluation.output.prediction.CSV"],
    "-p": ["0"], "-distribution": [], "-r": [], "-z": ["MyClass"], "-xml": ["opts.xml"],
    "-threshold-file": ["curve.csv"], "-threshold-label": ["1"], "-no-predictions": [],
    "-output-debug-info": [], "-do-not-check-capabilities": [],
    "-num-decimal-places": ["3"], "-batch-size": ["50"],
}
LONG = [option for option in WEKA_OPTIONS if len(option) > 2]
HONOURED_LONG = {"-help", "-no-cv", "-split-percentage", "-preserve-order",
                 "-do-not-output-per-class-statistics"}


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(["classify", "--no-progress", *argv])
    except SystemExit as stop:
        code = int(stop.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_every_weka_option_is_ours_or_refused_with_advice():
    from workbench.commands._classify_options import classifier_parser
    from workbench.core.registry import default_registry

    parser, _ = classifier_parser(default_registry().get("classifier", "ZeroR"))
    ours = set(parser._option_string_actions)
    for option in WEKA_OPTIONS:
        assert (option in ours) != (option in WEKA_OPTIONS_NOT_OFFERED), option


@pytest.mark.parametrize("option", sorted(set(LONG) - HONOURED_LONG))
@pytest.mark.parametrize("after_name", [False, True])
def test_a_long_weka_option_not_offered_is_refused_whole_and_writes_nothing(
        capsys, tmp_path, monkeypatch, option, after_name):
    monkeypatch.chdir(tmp_path)
    typed = [option, *WEKA_OPTIONS[option]]
    argv = ["-t", "iris", "ZeroR", *typed] if after_name else ["-t", "iris", *typed, "ZeroR"]
    code, out, err = _run(capsys, *argv)
    assert code == 2 and out == "", err
    assert err.count("\n") == 1, err
    assert f"{option}: {WEKA_OPTIONS_NOT_OFFERED[option]}" in err
    assert list(tmp_path.iterdir()) == []      # no "istribution", no "o-not-..."


@pytest.mark.parametrize("typed", [
    ["-no-cv"], ["-split-percentage", "66"], ["-split-percentage", "66", "-preserve-order"],
    ["-do-not-output-per-class-statistics"],
])
def test_the_long_weka_options_offered_keep_their_meaning(capsys, tmp_path, monkeypatch,
                                                          typed):
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(capsys, "-t", "iris", "-o", *typed, "ZeroR")
    assert code == 0, err
    assert list(tmp_path.iterdir()) == []
    assert ("=== Detailed Accuracy By Class ===" in out) == (
        "-do-not-output-per-class-statistics" not in typed)
    assert "=== Confusion Matrix ===" in out


def test_without_per_class_statistics_the_report_is_wekas(capsys):
    """WEKA 3.9.7's ``ZeroR -t iris.arff -o -do-not-output-per-class-statistics``: the
    summary, two blank lines, the confusion matrix."""
    code, out, _ = _run(capsys, "-t", "iris", "-o", "-v",
                        "-do-not-output-per-class-statistics", "ZeroR")
    assert code == 0
    assert ("Total Number of Instances              150     \n\n\n"
            "=== Confusion Matrix ===\n\n  a  b  c   <-- classified as\n") in out


def test_weka_help_is_the_help(capsys):
    code, out, _ = _run(capsys, "-help")
    assert code == 0 and out.startswith("usage: workbench classify")


@pytest.mark.parametrize(("word", "option"), [
    ("-dmodel.bin", "-d"), ("-tiris", "-t"), ("-Tiris", "-T"), ("-clast", "-c"),
    ("-mcosts.txt", "-m"), ("-lmodel.bin", "-l"),
])
def test_a_word_is_never_split_into_a_short_option_and_a_file_or_word(
        capsys, tmp_path, monkeypatch, word, option):
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(capsys, "-t", "iris", word, "ZeroR")
    assert code == 2 and out == ""
    assert (f"{word}: unknown option ({option} takes its value as the next word: "
            f"{option} {word[2:]})") in err
    assert list(tmp_path.iterdir()) == []


def test_numbers_and_bundled_flags_may_still_be_attached(capsys):
    code, out, err = _run(capsys, "-t", "iris", "-x5", "-s1", "-ov", "ZeroR")
    assert code == 0, err
    assert "5-fold cross-validation" in out
    assert "=== Classifier model" not in out and "Error on training data" not in out


def test_a_filter_file_option_is_not_read_out_of_a_longer_word(capsys, tmp_path,
                                                               monkeypatch):
    """``-output x.arff`` was ``-o utput`` and wrote a file called "utput"."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stop:
        main(["filter", "Normalize", "-i", "iris", "-output", "x.arff"])
    assert stop.value.code == 2
    assert "-output" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_filters_option_glued_to_a_range_gets_the_same_hint(capsys, tmp_path,
                                                              monkeypatch):
    """``filter Remove -Rfirst-last`` was refused without the hint ``classify -clast``
    gets: the filter's options were parsed apart, without it."""
    from workbench.cli import main

    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stop:   # argparse's usage error, as before
        main(["filter", "Remove", "-Rfirst-last", "-i", "iris", "-o", "out.arff"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert ("-Rfirst-last: unknown option (-R takes its value as the next word: "
            "-R first-last)") in err
    assert err.count("\n") == 1 and list(tmp_path.iterdir()) == []
