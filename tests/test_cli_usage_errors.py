"""Mistakes on the command line are answered in the command's own words."""

import pytest

from workbench.cli import main


def test_an_unknown_option_is_reported_by_its_command_with_the_nearest_one(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["info", "iris", "--jsn"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "workbench info: error: unrecognized arguments: --jsn" in err
    assert "did you mean --json?" in err


def test_classify_takes_folds_and_seed_by_their_long_names(capsys):
    assert main(["classify", "-t", "iris", "--folds", "5", "--seed", "2", "--no-progress",
                 "IBk"]) == 0
    assert "Stratified cross-validation" in capsys.readouterr().out


def test_writing_into_a_missing_folder_names_the_folder_not_a_temporary(tmp_path, capsys):
    target = tmp_path / "no" / "such" / "out.csv"
    assert main(["convert", "iris", str(target)]) == 2
    err = capsys.readouterr().err
    assert f"the folder {target.parent} does not exist" in err and ".tmp" not in err


_NOT_CONVERGING = ["classify", "-t", "iris", "-x", "3", "sklearn", "--estimator",
                   "sklearn.neural_network.MLPClassifier", "--options", '{"max_iter": 5}']


def test_a_library_warning_is_said_once_on_one_line_in_our_voice(capsys):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("always")   # every fold's warning reaches the hook
        before = warnings.showwarning
        assert main(_NOT_CONVERGING) == 0
        assert warnings.showwarning is before   # the caller's hook is put back
    err = capsys.readouterr().err
    said = [line for line in err.splitlines() if line.startswith("workbench: warning:")]
    assert len(said) == 1, err      # four fits (three folds and the full data) warned
    assert "sklearn: Stochastic Optimizer: Maximum iterations (5) reached" in said[0]
    assert said[0].endswith("(ConvergenceWarning)")
    assert "warnings.warn(" not in err and "site-packages" not in err


def test_debug_keeps_pythons_own_warnings(capsys):
    from sklearn.exceptions import ConvergenceWarning

    with pytest.warns(ConvergenceWarning, match="Maximum iterations"):
        assert main(["--debug", *_NOT_CONVERGING]) == 0
    assert "workbench: warning:" not in capsys.readouterr().err


@pytest.mark.parametrize("argv", [
    ["info", ""],                                   # was ".: unknown data file extension"
    ["run", ""],                                    # was ".: is a folder"
    ["convert", "iris", ""],                        # named the output "<input>"
    ["classify", "-t", "", "zeror"],
    ["classify", "-t", "iris", "-m", "", "zeror"],  # was taken as no cost matrix
    ["filter", "standardize", "-i", "iris", "-o", ""],
])
def test_an_empty_file_name_is_refused_naming_the_argument(capsys, argv):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "an empty file name" in err
    assert ".:" not in err and "<input>" not in err


def test_control_characters_in_a_file_name_are_shown_escaped(tmp_path, capsys):
    # An ESC sequence in a name coloured (or could clear) the user's terminal.
    bad = tmp_path / "a\x1b[31mRED\u202e.arff"
    bad.write_text("@relation r\n@attribute a numeric\n@data\nx\n")
    assert main(["info", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\u202e" not in err
    assert "a\\x1b[31mRED\\u202e.arff:4:1: 'x' is not a number" in err
    assert main(["info", str(tmp_path / "missing\x07.arff")]) == 2
    err = capsys.readouterr().err
    assert "\x07" not in err and "missing\\x07.arff" in err


def test_debug_logging_ends_with_the_command(capsys):
    """--debug's log handler is the command's own: main() called again in one process
    must not write to the stream of an earlier call (it may be closed by then)."""
    import logging

    from workbench.cli import main

    logger = logging.getLogger("workbench")
    before = list(logger.handlers), logger.level
    assert main(["--debug", "info", "iris"]) == 0
    assert (list(logger.handlers), logger.level) == before


def test_a_long_option_cut_short_is_not_read_as_a_short_one_with_a_value(capsys):
    """WEKA's '-split 66' is not '-s plit' (an invalid seed 'plit')."""
    from workbench.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["classify", "-t", "iris", "-split", "66", "IBk"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "-split: did you mean -split-percentage?" in err and "plit" not in \
        err.replace("-split", "")
    assert main(["classify", "-t", "iris", "-x5", "-s1", "--json", "IBk"]) == 0
