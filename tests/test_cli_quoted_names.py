"""An error stays one honest line whatever the names it quotes (walkthrough 13a, D10):
a line break in a file name is shown as ``\\n``, never obeyed (it could forge a second
"workbench: error:" line); a huge date format is quoted cut short; a device named as a
dataset is said to be one."""

from __future__ import annotations

import json

from workbench.cli import main


def _error_lines(capsys) -> list[str]:
    return capsys.readouterr().err.splitlines()


def test_a_line_break_in_a_file_name_stays_inside_the_one_error_line(capsys, tmp_path):
    name = str(tmp_path / "nl\nworkbench: error: forged\x1b[2J.arff")
    assert main(["info", name]) == 2
    lines = _error_lines(capsys)
    assert len(lines) == 1 and lines[0].startswith("workbench: error: ")
    assert "nl\\nworkbench: error: forged\\x1b[2J.arff: no such file" in lines[0]


def test_an_experiments_dataset_that_is_a_device_is_said_to_be_one(capsys, tmp_path):
    spec = tmp_path / "zero.experiment.json"
    spec.write_text(json.dumps({"version": 1, "datasets": ["/dev/zero"],
                                "classifiers": [{"name": "zeror"}],
                                "resampling": {"method": "cross_validation", "folds": 2},
                                "repetitions": 1}))
    assert main(["experiment", "run", str(spec), "--out", str(tmp_path / "r.csv")]) == 2
    lines = _error_lines(capsys)
    assert len(lines) == 1
    assert "'/dev/zero' is not a regular file" in lines[0]
    assert "nor an existing file" not in lines[0]


def test_a_huge_date_format_is_quoted_cut_short(capsys, tmp_path):
    pattern = "yyyy'yyyy'" * 10_000     # 100 000 characters
    path = tmp_path / "date.arff"
    path.write_text(f"@relation r\n@attribute d date \"{pattern}\"\n@data\n2020\n")
    assert main(["info", str(path)]) == 2
    lines = _error_lines(capsys)
    assert len(lines) == 1 and len(lines[0]) < 600, len(lines[0])
    assert "does not match the date format 'yyyy'yyyy'" in lines[0]
    assert "(100000 characters)" in lines[0]
