"""The command line's CSV reading options for a user's own files (walkthrough csv F1,
F4, F5, F11, F13): ``--decimal``/``--thousands`` and the hint that names them,
``--numeric``/``--date``/``--date-format`` with WEKA's ranges, ``.txt`` files,
comma-separated ``--missing`` and what ``--encoding`` applies to."""

from __future__ import annotations

import json

import pytest

from workbench.cli import main
from workbench.data.catalog import bundled_path

# German Excel: ';', decimal commas, '.' between thousands, CRLF, cp1252.
GERMAN = ("Name;Größe;Gewicht;Klasse\r\n" + "".join(
    f"P{i};1,{50 + i};{1 + i % 3}.0{i % 10}2,{i % 10};{'ja' if i % 2 else 'nein'}\r\n"
    for i in range(12)))


@pytest.fixture
def german(tmp_path):
    path = tmp_path / "de.csv"
    path.write_bytes(GERMAN.encode("cp1252"))
    return path


def _types(capsys) -> dict[str, str]:
    report = json.loads(capsys.readouterr().out)
    return {a["name"]: a["type"] for a in report["attributes"]}


def test_decimal_commas_are_hinted_with_the_option_that_reads_them(german, capsys):
    assert main(["info", str(german), "--encoding", "cp1252", "--json"]) == 0
    captured = capsys.readouterr()
    assert ("Größe, Gewicht: numbers written with a decimal comma and '.' between "
            "thousands ('1,50'), so read as nominal; to read them as numbers: --decimal , "
            "--thousands .") in captured.err
    assert main(["info", str(german), "--encoding", "cp1252", "--json", "--decimal", ",",
                 "--thousands", "."]) == 0
    assert _types(capsys) == {"Name": "nominal", "Größe": "numeric", "Gewicht": "numeric",
                              "Klasse": "nominal"}
    assert "warning" not in capsys.readouterr().err


def test_classify_hints_the_convert_that_reads_them(german, capsys):
    assert main(["classify", "-t", str(german), "--encoding", "cp1252", "ZeroR"]) == 0
    err = capsys.readouterr().err
    assert (f"convert it first: workbench convert {german} de.arff --decimal , "
            f"--thousands . --encoding cp1252") in err


def test_convert_reads_the_numbers_and_writes_them_with_points(german, tmp_path, capsys):
    out = tmp_path / "de_out.csv"
    assert main(["convert", str(german), str(out), "--encoding", "cp1252",
                 "--decimal", ",", "--thousands", "."]) == 0
    name, size, weight, label = out.read_text(encoding="utf-8").splitlines()[1].split(",")
    assert (name, float(size), float(weight), label) == ("P0", 1.5, 1002.0, "nein")


def test_french_thousands_spaces_by_the_word_space(tmp_path, capsys):
    path = tmp_path / "fr.csv"
    path.write_text("nom;montant\nn0;7 994,97\nn1;9\u00a0410,29\n", encoding="utf-8")
    assert main(["info", str(path), "--json"]) == 0
    assert "--decimal , --thousands ' '" in capsys.readouterr().err
    assert main(["info", str(path), "--json", "--decimal", ",", "--thousands", "space"]) == 0
    assert _types(capsys)["montant"] == "numeric"


def test_bad_separators_are_refused_before_reading(german, capsys):
    assert main(["info", str(german), "--decimal", ",", "--thousands", ","]) == 2
    assert "must differ" in capsys.readouterr().err


MIXED = ("id,date_eu,stamp,code,class\n"
         "1,01/02/2024,3/14/2024 10:22:01,7,a\n2,15/03/2024,3/14/2024 11:02:54,8,b\n")


@pytest.fixture
def mixed(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text(MIXED, encoding="utf-8")
    return path


def test_date_and_numeric_overrides_take_names_and_weka_ranges(mixed, capsys):
    assert main(["info", str(mixed), "--json", "--date", "date_eu", "--date-format",
                 "dd/MM/yyyy", "--nominal", "first,4-4"]) == 0
    assert _types(capsys) == {"id": "nominal", "date_eu": "date", "stamp": "nominal",
                              "code": "nominal", "class": "nominal"}
    assert main(["info", str(mixed), "--json", "--date", "3", "--date-format",
                 "M/d/yyyy H:mm:ss"]) == 0
    assert _types(capsys)["stamp"] == "date"


def test_a_cell_that_is_not_its_forced_type_is_refused_with_line_and_column(mixed, capsys):
    assert main(["info", str(mixed), "--numeric", "2-last"]) == 2
    err = capsys.readouterr().err
    assert f"{mixed}:2: column 2 ('date_eu'): '01/02/2024' is not a number" in err
    assert "Traceback" not in err
    assert main(["info", str(mixed), "--date", "2"]) == 2
    assert "'01/02/2024' does not match the date format" in capsys.readouterr().err
    assert main(["info", str(mixed), "--date-format", "dd/MM/yyyy"]) == 2
    assert "--date COLUMNS" in capsys.readouterr().err


def test_missing_markers_are_comma_separated_as_in_the_explorer(tmp_path, capsys):
    path = tmp_path / "na.csv"
    # (';': a bare n,a is a marker; a quoted one is a value, as a quoted ? is)
    path.write_text("x;y\n1;NA\n2;NaN\n3;n,a\n4;5\n5;6\n6;7\n", encoding="utf-8")
    assert main(["info", str(path), "--json", "--missing", "NA,NaN", "--missing",
                 "n\\,a"]) == 0
    report = json.loads(capsys.readouterr().out)
    y = report["attributes"][1]
    assert (y["type"], y["missing"]) == ("numeric", 3)


def test_tab_separated_txt_files_open(tmp_path, capsys):
    path = tmp_path / "sheet.txt"
    path.write_text("a\tb\tclass\n0.5\t1\tp\n0.25\t2\tq\n", encoding="utf-8")
    assert main(["info", str(path), "--json"]) == 0
    assert _types(capsys) == {"a": "numeric", "b": "numeric", "class": "nominal"}
    assert main(["classify", "-t", str(path), "ZeroR", "-x", "2"]) == 0
    capsys.readouterr()
    out = tmp_path / "iris.txt"
    assert main(["convert", str(bundled_path("iris")), str(out)]) == 0
    assert out.read_text().splitlines()[0].count("\t") == 4


def test_encoding_help_says_it_is_the_inputs_and_output_is_utf8(capsys):
    with pytest.raises(SystemExit):
        main(["convert", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "text encoding of the data files read, the input" in help_text
    assert "Files written are always UTF-8" in help_text
    for flag in ("--decimal", "--thousands", "--numeric", "--date", "--date-format"):
        assert f"{flag} " in help_text


def test_the_explorer_takes_the_options_as_the_window_keeps_them():
    import argparse

    from workbench.commands import explorer

    parser = argparse.ArgumentParser()
    explorer.add_arguments(parser)
    args = parser.parse_args(["x.csv", "--missing", "NA,NaN", "--missing", "n\\,a",
                              "--decimal", ",", "--thousands", "space", "--date", "2",
                              "--date-format", "dd/MM/yyyy", "--numeric", "first-3"])
    options = explorer.load_options(args)
    assert options is not None
    assert (options.missing, options.decimal, options.thousands) == ("NA,NaN,n\\,a", ",", " ")
    assert (options.date, options.date_format, options.numeric) == ("2", "dd/MM/yyyy",
                                                                     "first-3")
    assert options.reader_options("x.csv")["missing"] == ("NA", "NaN", "n,a")
