"""``workbench classify``'s options as a WEKA user types them, and its WEKA report.

Walkthrough 7: WEKA's ``-p 0`` was read as ``-preserve-order``, options after the
classifier's name were refused, WEKA options we lack got no hint, ``J48`` no pointer, and
the report said "as WEKA's command line does" in the Explorer's layout. The expected
report is checked against WEKA 3.9.7's own output (``java weka.classifiers.lazy.IBk -t
iris.arff -x 10 -s 1 -o``), with its timings replaced by ``T``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workbench.cli import main

# WEKA 3.9.7's output, timings as T (tests/fixtures/weka-cli/README.md says how it was made)
WEKA_IBK_IRIS_CV = (Path(__file__).parent / "fixtures" / "weka-cli"
                    / "ibk-iris-x10-s1-o.txt").read_text()


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of ``workbench classify ARGV``; a parser's own
    refusal (SystemExit) counts as its exit status."""
    try:
        code = main(["classify", "--no-progress", *argv])
    except SystemExit as stop:
        code = int(stop.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _after_run_information(report: str) -> str:
    """The report below its "Run information" block, timings as ``T``."""
    body = report[report.index("Test mode:"):].split("\n", 1)[1]
    return re.sub(r"(Time taken [^:]*): \S+ seconds", r"\1: T seconds", body)


# -- item 2: no abbreviations; WEKA's -p --------------------------------------------
@pytest.mark.parametrize("argv", [
    ["-t", "iris", "-p", "0", "IBk"],                          # was "no classifier '0'"
    ["-t", "iris", "-split-percentage", "66", "-p", "IBk"],    # ran with -preserve-order
    ["-t", "iris", "IBk", "-p", "0"],
])
def test_wekas_p_is_refused_pointing_to_predictions(capsys, argv):
    code, out, err = _run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1, err
    assert "-p: WEKA's -p N prints the predictions; here --predictions CSV" in err


def test_a_prefix_of_a_long_option_is_not_taken_for_it(capsys):
    code, _, err = _run(capsys, "-t", "iris", "-split-percentage", "66", "-preserve",
                        "IBk")
    assert code == 2 and "-preserve: did you mean -preserve-order?" in err
    assert "Correctly Classified" not in err


# -- item 8: the general options after the classifier's name -------------------------
def test_general_options_after_the_name_are_read_as_before_it(capsys):
    before = _run(capsys, "-t", "iris", "-x", "3", "-o", "IBk", "-K", "3")
    after = _run(capsys, "-t", "iris", "IBk", "-K", "3", "-x", "3", "-o")
    assert before[0] == after[0] == 0, after[2]
    assert _strip_times(after[1]) == _strip_times(before[1])
    assert "3-fold cross-validation" in after[1]
    assert "=== Classifier model" not in after[1]          # -o was read
    assert "Scheme:       IBk -K 3" in after[1]


def test_the_training_file_may_follow_the_name_too(capsys):
    code, out, err = _run(capsys, "IBk", "-t", "iris", "-x", "2", "--json")
    assert code == 0, err
    assert '"test_mode": "2-fold cross-validation"' in out


def test_a_flag_the_classifier_has_stays_the_classifiers_and_help_says_so(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["classify", "mlp", "--help"])
    assert stop.value.code == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "go before the classifier's name or after its parameters" in help_text
    assert "After the name, --seed is mlp's own parameter, not the general option " \
           "(-s still sets the evaluation's seed)." in help_text


def _strip_times(text: str) -> str:
    return re.sub(r"(Time taken [^:]*): \S+ seconds", r"\1: T seconds", text)


# -- item 9: WEKA options not offered here --------------------------------------------
@pytest.mark.parametrize(("option", "hint"), [
    ("-i", "-i: WEKA 3.9 refuses it too; the per-class statistics"),
    ("-r", "-r: the cumulative margin distribution is not offered here"),
    ("-g", "-g: printing the classifier's graph is not offered here"),
    ("-no-predictions", "-no-predictions: predictions are kept only for --predictions"),
])
@pytest.mark.parametrize("after_name", [False, True])
def test_weka_options_we_lack_get_a_one_line_hint(capsys, option, hint, after_name):
    argv = ["-t", "iris", "zeror", option] if after_name else \
        ["-t", "iris", option, "zeror"]
    code, out, err = _run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1, err
    assert hint in err
    assert "did you mean --predictions" not in err


# -- options after '--': applied to an inner classifier, or refused; never dropped ----
def test_options_after_dashes_go_to_the_inner_classifier_as_in_weka(capsys):
    code, out, err = _run(capsys, "-t", "iris", "-o", "filtered", "-W", "IBk", "--",
                          "-K", "3")
    assert code == 0, err
    assert "Scheme:       FilteredClassifier -F standardize -W 'IBk -K 3'\n" in out


def test_options_after_dashes_reach_the_default_inner_classifier(capsys):
    code, out, err = _run(capsys, "-t", "iris", "-o", "filtered", "--", "-K", "3")
    assert code == 0, err
    assert "-W 'knn -K 3'" in out


@pytest.mark.parametrize("argv", [
    ["IBk", "--", "-K", "3"],              # argparse used to drop this '--' and apply -K
    ["IBk", "-o", "--", "-K", "3"],        # ... and refuse this one as "-W's"
    ["-x", "5", "IBk", "-K", "2", "--", "-K", "3"],
])
def test_options_after_dashes_without_an_inner_classifier_are_refused(capsys, argv):
    code, out, err = _run(capsys, "-t", "iris", *argv)
    assert code == 2 and out == "" and err.count("\n") == 1, err
    assert "IBk has none, so '-K 3' would not be read" in err
    assert "give them straight after the name: 'IBk" in err
    assert "did you mean -K" not in err


def test_a_lone_dashes_after_the_name_is_refused(capsys):
    code, _, err = _run(capsys, "-t", "iris", "IBk", "-K", "3", "--")
    assert code == 2 and "drop the '--'" in err


def test_dashes_before_the_name_only_end_the_general_options(capsys):
    code, out, err = _run(capsys, "-t", "iris", "-o", "--", "IBk", "-K", "3")
    assert code == 0, err
    assert "Scheme:       IBk -K 3" in out


def test_an_option_left_after_dashes_is_not_suggested_to_itself():
    from workbench.commands._args import CommandParser, unrecognized_message

    parser = CommandParser(prog="p")
    parser.add_argument("-K")
    message = unrecognized_message(parser, ["--", "-K", "3"], {})
    assert "did you mean -K" not in message
    assert "-K: it follows '--', which ends the options" in message


def _ibk_model(capsys, tmp_path: Path, *options: str) -> str:
    path = str(tmp_path / "ibk.model")
    code, _, err = _run(capsys, "-t", "iris", "-no-cv", "-o", "-d", path, "IBk", *options)
    assert code == 0, err
    return path


def test_a_loaded_model_refuses_options_it_would_ignore(capsys, tmp_path):
    # They used to be shown on the Scheme line while the model, trained with K=1, ran.
    model = _ibk_model(capsys, tmp_path)
    code, out, err = _run(capsys, "-l", model, "-T", "iris", "IBk", "-K", "3")
    assert code == 2 and out == ""
    assert "loads a model trained already" in err and "(-K 3)" in err


def test_a_loaded_model_is_what_the_scheme_line_names(capsys, tmp_path):
    model = _ibk_model(capsys, tmp_path, "-K", "3")
    code, out, err = _run(capsys, "-l", model, "-T", "iris", "-o", "IBk")
    assert code == 0, err
    assert "Scheme:       IBk -K 3" in out


def test_the_nearest_option_suggested_is_never_the_opposite(capsys):
    code, _, err = _run(capsys, "-t", "iris", "--no-dynamics", "zeror")
    assert code == 2 and "unrecognized arguments: --no-dynamics" in err
    assert "did you mean --dynamics" not in err


# -- item 10: WEKA learners we have under another name, or not at all -----------------
@pytest.mark.parametrize("name", ["J48", "weka.classifiers.trees.J48"])
def test_j48_points_to_the_decision_tree(capsys, name):
    code, _, err = _run(capsys, "-t", "iris", name)
    assert code == 2
    assert f"no classifier called '{name}': WEKA's J48 is not here; the nearest is " \
           "'decision-tree' (a CART tree" in err


def test_a_full_weka_class_name_of_a_learner_we_have_works(capsys):
    code, out, _ = _run(capsys, "-t", "iris", "-x", "10", "-s", "1",
                        "weka.classifiers.lazy.IBk", "--json")
    assert code == 0 and '"correct": 143.0' in out


# -- items 11/12: WEKA's command-line sections ----------------------------------------
def test_the_report_has_wekas_command_line_sections_to_the_character(capsys):
    code, out, _ = _run(capsys, "-t", "iris", "-x", "10", "-s", "1", "-o", "IBk")
    assert code == 0
    assert out.startswith("=== Run information ===\n")
    assert _after_run_information(out) == WEKA_IBK_IRIS_CV


def test_v_leaves_out_the_training_statistics(capsys):
    code, out, _ = _run(capsys, "-t", "iris", "-x", "10", "-s", "1", "-o", "-v", "IBk")
    assert code == 0
    expected = WEKA_IBK_IRIS_CV[WEKA_IBK_IRIS_CV.index("\nTime taken to perform"):]
    assert _after_run_information(out) == expected


@pytest.mark.parametrize(("argv", "title"), [
    (["-T", "iris"], "=== Error on test data ==="),
    (["-split-percentage", "66"], "=== Error on test split ==="),
])
def test_a_test_set_and_a_split_carry_wekas_titles(capsys, argv, title):
    code, out, _ = _run(capsys, "-t", "iris", *argv, "-o", "NaiveBayes")
    assert code == 0
    assert out.index("=== Error on training data ===") < out.index(title)
    assert "=== Summary ===" not in out and "=== Evaluation on" not in out


# -- item 20: --runs with a single test -----------------------------------------------
@pytest.mark.parametrize(("argv", "words"), [
    (["-T", "iris", "--runs", "3"], "but a test file (-T) tests once"),
    (["-no-cv", "--runs", "3"], "but -no-cv tests once"),
])
def test_runs_with_a_single_test_is_refused(capsys, argv, words):
    code, out, err = _run(capsys, "-t", "iris", *argv, "zeror")
    assert code == 2 and out == ""
    assert f"--runs 3 repeats a cross-validation or split with new seeds, {words}" in err


def test_runs_with_a_split_under_no_cv_still_runs(capsys):
    code, out, _ = _run(capsys, "-t", "iris", "-no-cv", "-split-percentage", "50",
                        "--runs", "2", "-o", "zeror")
    assert code == 0 and "2 runs" in out


# -- item 21: -l with only -t ---------------------------------------------------------
def test_a_loaded_model_with_only_a_training_file_says_how_to_test_it_there(capsys,
                                                                            tmp_path):
    # WEKA 3.9.7 refuses it as well ("no test file provided: can't use model file").
    model = str(tmp_path / "z.model")
    assert _run(capsys, "-t", "iris", "-no-cv", "-d", model, "zeror")[0] == 0
    code, _, err = _run(capsys, "-l", model, "-t", "iris")
    assert code == 2
    assert "give -T (-T with the training file tests it on that)" in err
    code, out, _ = _run(capsys, "-l", model, "-T", "iris", "-o")
    assert code == 0 and "=== Error on test data ===" in out


# -- item 24: wording -----------------------------------------------------------------
@pytest.mark.parametrize(("argv", "words"), [
    (["-split-percentage", "150"], "error: -split-percentage: 150.0 is not allowed"),
    (["-x", "1"], "error: -x: 1 is not allowed"),
    (["-x", "200"], "error: iris has 150 instances, fewer than the 200 folds"),
])
def test_test_option_errors_name_the_flag_and_the_file_once(capsys, argv, words):
    code, _, err = _run(capsys, "-t", "iris", *argv, "zeror")
    assert code == 2 and words in err
    assert "parameter '" not in err and "'iris' has" not in err


def test_a_file_smaller_than_the_default_folds_is_refused_with_the_way_out(capsys,
                                                                          tmp_path):
    # The first thing a learner types on a 4-row XOR file: name the flags that run it.
    xor = tmp_path / "xor.arff"
    xor.write_text("@relation xor\n@attribute x1 numeric\n@attribute x2 numeric\n"
                   "@attribute class {0,1}\n@data\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n")
    code, out, err = _run(capsys, "-t", str(xor), "perceptron")
    assert code == 2 and out == "" and "Traceback" not in err
    assert "has 4 instances, fewer than the 10 folds asked for: use -x 4" in err
    assert "-no-cv" in err and "-T FILE" in err
    code, out, _ = _run(capsys, "-t", str(xor), "-x", "4", "perceptron")
    assert code == 0 and "Stratified cross-validation" in out


def test_a_model_in_a_missing_folder_is_said_once(capsys, tmp_path):
    target = tmp_path / "no" / "m.model"
    code, _, err = _run(capsys, "-t", "iris", "-d", str(target), "zeror")
    assert code == 2
    # refused before training, by the check of every output file, and said once
    assert f"{target}: cannot write there: the folder {target.parent} does " \
           "not exist" in err
    assert err.count("cannot write") == 1


def test_a_folder_given_as_data_is_called_a_folder(capsys, tmp_path):
    code, _, err = _run(capsys, "-t", str(tmp_path), "zeror")
    assert code == 2
    assert f"{tmp_path}: is a folder, not a data file" in err
    assert "extension" not in err


def test_argparse_errors_are_one_line_naming_the_help(capsys):
    code, _, err = _run(capsys, "-t", "iris", "-x", "three", "zeror")
    assert code == 2 and err.count("\n") == 1
    assert err.startswith("workbench classify: error: argument -x/--folds: invalid int")
    assert err.rstrip().endswith("(see 'workbench classify --help')")
    code, _, err = _run(capsys, "-t", "iris", "knn", "-K")
    assert code == 2 and err.count("\n") == 1
    assert "(see 'workbench classify knn --help')" in err


# -- item 25: the "no better than ZeroR" advice ---------------------------------------
def test_no_learning_rate_advice_for_a_learner_without_one(capsys):
    code, out, _ = _run(capsys, "-t", "weather.nominal", "-x", "10", "-o", "NaiveBayes")
    assert code == 0
    warning = out[out.index("=== Warnings ==="):]
    assert "did no better than ZeroR" in warning
    assert "learning rate" not in warning and "gradient descent" not in warning


def test_learning_rate_advice_for_a_learner_with_one(capsys):
    code, out, _ = _run(capsys, "-t", "iris", "-x", "2", "-o", "-v", "mlp", "-N", "2",
                        "--learning-rate", "1e6")
    assert code == 0
    assert "try a smaller learning rate" in out[out.index("=== Warnings ==="):]


# -- WEKA's "Options:" line and NaiveBayes's last blank line (WEKA 3.9.7's own text) --
# java weka.classifiers.lazy.IBk -t iris.arff -x 10 -s 1 -K 3 -I  prints, first:
WEKA_IBK_OPTIONS_HEAD = ("\nOptions: -K 3 -I \n\n=== Classifier model (full training "
                         "set) ===\n\nIB1 instance-based classifier\nusing 3 inverse-"
                         "distance-weighted nearest neighbour(s) for classification\n\n\n"
                         "Time taken to build model: T seconds\n")
# java weka.classifiers.bayes.NaiveBayes -t iris.arff -x 10 -s 1: the model's last lines
WEKA_NAIVE_BAYES_MODEL_END = ("petalwidth\n"
                              "  mean                   0.2743          1.3097          2.0343\n"
                              "  std. dev.              0.1096          0.1915          0.2646\n"
                              "  weight sum                 50              50              50\n"
                              "  precision              0.1143          0.1143          0.1143\n"
                              "\n\n\nTime taken to build model: T seconds\n")


def test_the_options_typed_are_printed_above_the_model_as_weka_does(capsys):
    code, out, err = _run(capsys, "-t", "iris", "-x", "10", "-s", "1", "IBk", "-K", "3",
                          "-I")
    assert code == 0, err
    assert _after_run_information(out).startswith(WEKA_IBK_OPTIONS_HEAD)


@pytest.mark.parametrize("argv", [["IBk"], ["-o", "IBk", "-K", "3"]])
def test_no_options_line_without_options_or_without_the_model(capsys, argv):
    # WEKA prints it only for options typed, and -o leaves it out with the model.
    code, out, err = _run(capsys, "-t", "iris", "-x", "2", *argv)
    assert code == 0, err
    assert "Options:" not in out


def test_naive_bayes_model_ends_with_wekas_blank_line(capsys):
    code, out, err = _run(capsys, "-t", "iris", "-x", "10", "-s", "1", "NaiveBayes")
    assert code == 0, err
    assert WEKA_NAIVE_BAYES_MODEL_END in _after_run_information(out)
