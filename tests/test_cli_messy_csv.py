"""Messy CSV files users bring (a repeated column name, a trailing delimiter, a pandas
row index, a header row that is data): every command says what it read and what to
type, and never hands a learner data it made up."""

from __future__ import annotations

import json

import pytest

from workbench.cli import main

REPEATED = "a,a,,b,class\n" + "".join(f"{i},{i + 1},{i + 2},{i + 3},{'lk'[i % 2]}\n"
                                       for i in range(10))


@pytest.fixture
def repeated(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text(REPEATED)
    return path


def test_a_repeated_name_is_refused_with_the_flags_that_read_it(repeated, capsys):
    assert main(["info", str(repeated)]) == 2
    err = capsys.readouterr().err
    assert "dup.csv:1: column 2 repeats the name 'a'" in err
    assert "--no-header --skip-lines 1" in err
    assert main(["info", str(repeated), "--no-header", "--skip-lines", "1", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["num_instances"] == 10
    assert [a["type"] for a in info["attributes"]] == ["numeric"] * 4 + ["nominal"]


def test_classify_advises_converting_a_file_with_a_repeated_name(repeated, capsys):
    assert main(["classify", "-t", str(repeated), "ZeroR"]) == 2
    err = capsys.readouterr().err
    assert (f"convert it first: workbench convert {repeated} dup.arff --no-header "
            f"--skip-lines 1)") in err


@pytest.mark.parametrize("flags, reason", [
    (["--nominal", "nosuch"], "nominal column 'nosuch' is not in the file"),
    (["--nominal", "9"], "nominal column 9 is outside 1..3"),
    (["--nominal", "1", "--string", "1"], "column 'a' is asked to be both nominal and string"),
])
def test_a_column_option_the_file_cannot_take_is_refused_naming_the_file(tmp_path, capsys,
                                                                         flags, reason):
    path = tmp_path / "small.csv"
    path.write_text("a,b,c\n1,2,x\n")
    assert main(["info", str(path), *flags]) == 2
    assert f"error: {path}: {reason}" in capsys.readouterr().err
