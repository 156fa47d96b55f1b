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
