"""``--missing`` as WEKA's CSVLoader ``-M``: it takes the place of ``?`` and the empty
field stays missing; a column of numbers that a few words made nominal is named on
stderr with the flags that read it as numbers (walkthrough 12, items 1 and 8)."""

from __future__ import annotations

import json

import pytest

from workbench.cli import main

MESSY = "age,smoker,class\n35,Yes,a\nNA,,b\n,no,a\n41,Yes,b\nNA,no,a\n50,no,b\n"


def _write(tmp_path, text=MESSY):
    path = tmp_path / "messy.csv"
    path.write_text(text)
    return path


def _attributes(capsys):
    return {a["name"]: a for a in json.loads(capsys.readouterr().out)["attributes"]}


def test_missing_na_keeps_empty_cells_missing(tmp_path, capsys):
    assert main(["info", str(_write(tmp_path)), "--json", "--missing", "NA"]) == 0
    attributes = _attributes(capsys)
    assert attributes["age"]["type"] == "numeric" and attributes["age"]["missing"] == 3
    assert attributes["smoker"]["missing"] == 1
    assert attributes["smoker"]["distinct"] == 2   # no label '' beside Yes and no


def test_numbers_with_na_are_named_with_the_flags_that_read_them(tmp_path, capsys):
    path = _write(tmp_path)
    assert main(["info", str(path), "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["attributes"][0]["type"] == "nominal"   # as read
    assert (f"workbench: warning: {path}: age: numbers except 'NA' (2 cells), so read "
            f"as nominal; to read them as missing values: --missing NA --missing '?'"
            in captured.err)
    assert "smoker" not in captured.err and "class" not in captured.err


def test_no_warning_for_a_column_forced_nominal_or_read_with_the_marker(tmp_path, capsys):
    path = _write(tmp_path)
    assert main(["info", str(path), "--nominal", "age"]) == 0
    assert "warning" not in capsys.readouterr().err
    out = tmp_path / "messy.arff"
    assert main(["convert", str(path), str(out), "--missing", "NA"]) == 0
    assert "warning" not in capsys.readouterr().err
    assert "@attribute age numeric" in out.read_text().lower()


def test_a_dash_word_is_flagged_so_it_reads_back_and_many_columns_are_summed_up(
        tmp_path, capsys):
    """'--missing -' is read as an option; and a file from R with NA in thousands of
    columns printed a warning line for each (review 2, L1 and L2)."""
    dashed = _write(tmp_path, "x,c\n1,a\n-,b\n2,a\n3,b\n-,a\n")
    assert main(["info", str(dashed)]) == 0
    err = capsys.readouterr().err
    assert "--missing=- --missing '?'" in err
    assert main(["info", str(dashed), "--missing=-", "--missing", "?", "--json"]) == 0
    assert _attributes(capsys)["x"]["type"] == "numeric"
    columns = 8
    header = ",".join(f"v{k}" for k in range(columns)) + ",c"
    rows = [",".join(["NA"] * columns) + ",a"] + [
        ",".join(str(r + k) for k in range(columns)) + ",b" for r in range(4)]
    wide = _write(tmp_path, "\n".join([header, *rows]) + "\n")
    assert main(["info", str(wide)]) == 0
    err = capsys.readouterr().err
    assert err.count("workbench: warning:") == 6
    assert "and 3 more columns like these" in err


# -- walkthrough 13d, D8: classify and filter read such a column without a word -------
@pytest.mark.parametrize("command", [
    ["classify", "--no-progress", "-x", "2", "-o", "-t", "{path}", "NaiveBayes"],
    ["classify", "--no-progress", "-x", "2", "--json", "-t", "{path}", "NaiveBayes"],
    ["filter", "Normalize", "-i", "{path}", "-o", "{out}"],
])
def test_classify_and_filter_warn_as_info_does_with_the_convert_that_reads_it(
        tmp_path, capsys, command):
    path = _write(tmp_path, "age,weight,class\n" + "".join(
        f"{'NA' if i % 7 == 3 else 20 + i},{50 + i},{'ab'[i % 2]}\n" for i in range(30)))
    argv = [word.format(path=path, out=tmp_path / "out.arff") for word in command]
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert err.count("workbench: warning:") == 1, err
    assert (f"workbench: warning: {path}: age: numbers except 'NA' (4 cells), so read as "
            f"nominal; to read them as missing values, convert it first: workbench "
            f"convert {path} messy.arff --missing NA --missing '?'") in err
