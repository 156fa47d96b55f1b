"""A CSV file with a title line above its header: every command that reads data files
names what to type, as the Explorer's Open with options dialog fills it in."""

from __future__ import annotations

import pytest

from workbench.cli import main

TITLED = "My measurements 2024\nlength,width,kind\n1.5,2,a\n3.5,4,b\n"


@pytest.fixture
def titled(tmp_path):
    path = tmp_path / "titled.csv"
    path.write_text(TITLED)
    return path


@pytest.mark.parametrize("command", [["info", "{f}"], ["convert", "{f}", "{out}.arff"]])
def test_commands_with_csv_options_advise_skip_lines(titled, tmp_path, capsys, command):
    assert main([w.format(f=titled, out=tmp_path / "out") for w in command]) == 2
    err = capsys.readouterr().err
    assert "titled.csv:2: this row has 3 fields, the header has 1" in err
    assert "a title line above the header? read it with --skip-lines 1)" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("command", [["classify", "-t", "{f}", "ZeroR"],
                                     ["filter", "Standardize", "-i", "{f}", "-o", "{out}.csv"]])
def test_weka_style_commands_advise_converting_first(titled, tmp_path, capsys, command):
    assert main([w.format(f=titled, out=tmp_path / "out") for w in command]) == 2
    err = capsys.readouterr().err
    assert (f"convert it first: workbench convert {titled} titled.arff --skip-lines 1)"
            in err)


def test_the_advice_reads_the_file(titled, tmp_path, capsys):
    out = tmp_path / "titled.arff"
    assert main(["convert", str(titled), str(out), "--skip-lines", "1"]) == 0
    assert main(["classify", "-t", str(out), "-no-cv", "ZeroR"]) == 0
    assert "Instances:    2" in capsys.readouterr().out


def test_other_ragged_rows_get_no_title_advice(tmp_path, capsys):
    path = tmp_path / "ragged.csv"
    path.write_text("a,b\n1,2\n3,4,5\n")
    assert main(["info", str(path)]) == 2
    err = capsys.readouterr().err
    assert "ragged.csv:3: this row has 3 fields, the header has 2" in err
    assert "title" not in err and "skip-lines" not in err
