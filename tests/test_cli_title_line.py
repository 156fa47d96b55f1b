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


def test_a_ragged_row_below_a_one_column_file_is_not_called_a_title(tmp_path, capsys):
    """Skipping down to a bad row far below would drop the header and the rows above
    it (review L2): only the first row under the header is taken for a title's sign."""
    path = tmp_path / "one column.csv"
    path.write_text("value\n1\n2\n3\n4,5\n")
    assert main(["info", str(path)]) == 2
    err = capsys.readouterr().err
    assert "one column.csv:5: this row has 2 fields, the header has 1" in err
    assert "skip-lines" not in err


def test_two_title_lines_after_skipping_one_and_a_quoted_path(tmp_path, capsys):
    path = tmp_path / "my data.csv"
    path.write_text("Title\nSubtitle\nlength,width,kind\n1.5,2,a\n")
    assert main(["info", str(path), "--skip-lines", "1"]) == 2
    assert "read it with --skip-lines 2)" in capsys.readouterr().err
    assert main(["classify", "-t", str(path), "ZeroR"]) == 2
    assert f"workbench convert '{path}' 'my data.arff' --skip-lines 2)" in \
        capsys.readouterr().err
