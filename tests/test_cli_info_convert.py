"""``workbench info`` and ``workbench convert`` through the real command line entry."""

from __future__ import annotations

import json

import pytest

from workbench.cli import main
from workbench.data.catalog import bundled_path
from workbench.data.io import load_dataset

IRIS = str(bundled_path("iris"))


def test_info_json_on_iris(capsys):
    assert main(["info", IRIS, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["relation"] == "iris"
    assert (report["num_instances"], report["num_attributes"]) == (150, 5)
    assert (report["class_index"], report["class_attribute"]) == (4, "class")
    assert len(report["class_values"]) == 3
    assert report["class_distribution"] == {"Iris-setosa": 50.0, "Iris-versicolor": 50.0,
                                             "Iris-virginica": 50.0}
    first, last = report["attributes"][0], report["attributes"][4]
    assert (first["name"], first["type"], first["missing"]) == ("sepallength", "numeric", 0)
    assert first["minimum"] == 4.3 and first["distinct"] == 35
    assert last["values"] == ["Iris-setosa", "Iris-versicolor", "Iris-virginica"]
    assert report["sparse"] is False and report["total_weight"] == 150.0


def test_info_table_is_aligned_and_names_the_class(capsys):
    assert main(["info", str(bundled_path("labor"))]) == 0
    out = capsys.readouterr().out
    assert "Relation:       labor-neg-data" in out and "Instances:      57" in out
    table = [line for line in out.splitlines() if line.lstrip().startswith(("#", "1 ", "17 "))]
    assert table[0].index("Type") == table[1].index("numeric") == table[2].index("nominal")
    assert "class (class)" in out and "Class distribution (class):" in out
    assert "42 (74%)" in out  # wage-increase-third-year's missing values


@pytest.mark.parametrize(("flag", "index"), [("none", None), ("first", 0), ("2", 1),
                                             ("petalwidth", 3), ("last", 4)])
def test_info_class_choices(capsys, flag, index):
    assert main(["info", IRIS, "--json", "-c", flag]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["class_index"] == index
    assert ("class_distribution" in report) == (index == 4)


def test_info_on_csv_with_reading_options(tmp_path, capsys):
    path = tmp_path / "d.csv"
    path.write_text("title line\nid;grade\n1;a\n2;b\n3;a\n")
    assert main(["info", str(path), "--json", "--skip-lines", "1", "--nominal", "1",
                 "-c", "grade"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [a["type"] for a in report["attributes"]] == ["nominal", "nominal"]
    assert report["class_distribution"] == {"a": 2.0, "b": 1.0}


@pytest.mark.parametrize(("option", "words"), [
    # 0 became index -1 and made the LAST column nominal, silently.
    (["--nominal", "0"], "nominal column 0 is outside 1..3: columns are numbered from 1"),
    # the refusal spoke of 0-based columns ("column 98 is outside 0..2")
    (["--nominal", "99"], "nominal column 99 is outside 1..3"),
    (["--string", "-1"], "string column -1 is outside 1..3"),
    (["--skip-lines", "-1"], "--skip-lines -1: the number of title lines to skip is 0 or"),
    # "²" is a digit to str.isdigit() and no number to int(): a ValueError traceback
    (["--nominal", "²"], "nominal column '²' is not in the file"),
])
def test_csv_column_numbers_count_from_1_and_skips_from_0(tmp_path, capsys, option, words):
    path = tmp_path / "d.csv"
    path.write_text("id,grade,score\n1,a,2\n2,b,3\n")
    assert main(["info", str(path), *option]) == 2
    assert words in capsys.readouterr().err


def test_a_column_named_like_a_number_is_taken_by_name(tmp_path, capsys):
    path = tmp_path / "d.csv"
    path.write_text("id,2019,score\n1,3,2\n2,4,3\n")
    assert main(["info", str(path), "--json", "--nominal", "2019,3", "-c", "none"]) == 0
    types = [a["type"] for a in json.loads(capsys.readouterr().out)["attributes"]]
    assert types == ["numeric", "nominal", "nominal"]


def test_convert_arff_to_csv_and_back_keeps_values(tmp_path, capsys):
    csv_path, arff_path = tmp_path / "iris.csv", tmp_path / "iris.arff"
    assert main(["convert", IRIS, str(csv_path)]) == 0
    assert main(["convert", str(csv_path), str(arff_path)]) == 0
    assert "150 instances" in capsys.readouterr().out
    original, back = load_dataset(IRIS), load_dataset(arff_path)
    assert back.X.tolist() == original.X.tolist()
    assert back.attributes[4].values == original.attributes[4].values
    assert csv_path.read_text().splitlines()[1] == "5.1,3.5,1.4,0.2,Iris-setosa"


def test_convert_to_gzip_and_tsv(tmp_path):
    assert main(["convert", str(bundled_path("weather.nominal")), str(tmp_path / "w.tsv")]) == 0
    assert main(["convert", str(tmp_path / "w.tsv"), str(tmp_path / "w.arff.gz")]) == 0
    assert load_dataset(tmp_path / "w.arff.gz").num_instances == 14


def test_a_broken_file_exits_2_with_the_place_and_no_traceback(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n3,4,5\n")
    assert main(["info", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"workbench: error: {bad}:3: this row has 3 fields")
    assert "Traceback" not in err


@pytest.mark.parametrize("argv", [
    ["info", "missing.arff"],
    ["info", "data.xlsx"],
    ["info", IRIS, "-c", "species"],
    ["info", IRIS, "-c", "9"],
    ["info", IRIS, "--delimiter", ";"],
    ["convert", IRIS, "out.json"],
])
def test_user_errors_exit_2_with_a_message(capsys, argv):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("workbench: error: ") and "Traceback" not in err


def test_info_on_a_sparse_file_with_dates(tmp_path, capsys):
    import numpy as np
    import scipy.sparse as sp

    from workbench.data.dataset import Attribute, Dataset
    from workbench.data.dates import parse_date
    from workbench.data.io import save_dataset

    day = parse_date("2001-06-07", "yyyy-MM-dd")
    X = sp.csr_matrix(np.array([[0.0, 0, day], [3.0, 1, 0], [0.0, 0, day]]))
    attributes = [Attribute.numeric("n"), Attribute.nominal("c", ["no", "yes"]),
                  Attribute.date("when", "yyyy-MM-dd")]
    path = tmp_path / "sparse.arff"
    save_dataset(Dataset("sparse", attributes, X), path)
    assert main(["info", str(path), "-c", "c"]) == 0
    out = capsys.readouterr().out
    assert "Instances:      3  (sparse)" in out
    assert "min 1970-01-01  max 2001-06-07" in out
    assert main(["info", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["sparse"] is True and report["class_attribute"] == "when"
    when = report["attributes"][2]
    assert (when["maximum_text"], when["date_format"]) == ("2001-06-07", "yyyy-MM-dd")
    assert report["attributes"][0]["mean"] == 1.0


def test_a_dates_spread_is_a_length_of_time(tmp_path, capsys):
    path = tmp_path / "days.arff"
    path.write_text("@relation days\n@attribute when date yyyy-MM-dd\n@data\n"
                    "2001-01-01\n2001-01-03\n")
    assert main(["info", str(path)]) == 0
    assert "std 1.414 days" in capsys.readouterr().out
    assert main(["info", str(path), "--json"]) == 0
    when = json.loads(capsys.readouterr().out)["attributes"][0]
    assert when["std_text"] == "1.414 days" and when["std"] > 86400


def test_convert_writes_a_csv_with_the_delimiter_asked_for(tmp_path):
    """``--delimiter`` was refused for an ARFF input although the output is CSV."""
    semi, tab = tmp_path / "x.csv", tmp_path / "y.csv"
    assert main(["convert", "iris", str(semi), "--delimiter", ";"]) == 0
    assert semi.read_text().splitlines()[1] == "5.1;3.5;1.4;0.2;Iris-setosa"
    assert main(["convert", str(semi), str(tab), "--output-delimiter", "\\t"]) == 0
    assert tab.read_text().splitlines()[0] == (
        "sepallength\tsepalwidth\tpetallength\tpetalwidth\tclass")
    assert main(["convert", "iris", str(tmp_path / "z.arff"),
                 "--output-delimiter", ";"]) == 2


def test_convert_to_csv_says_when_weights_are_dropped(tmp_path, capsys):
    weighted = tmp_path / "w.arff"
    weighted.write_text("@relation w\n@attribute a numeric\n@data\n1\n2,{2}\n3,{0.5}\n")
    assert main(["convert", str(weighted), str(tmp_path / "w.csv")]) == 0
    err = capsys.readouterr().err
    assert err == (f"workbench: warning: {tmp_path / 'w.csv'}: CSV has no place for "
                   f"instance weights; the weights of 2 of the 3 instances of {weighted} "
                   f"are not 1 and were not written (write ARFF to keep them)\n")
    assert main(["convert", "iris", str(tmp_path / "i.csv")]) == 0
    assert main(["convert", str(weighted), str(tmp_path / "w2.arff")]) == 0
    assert capsys.readouterr().err == ""


def test_class_index_0_means_no_class_as_in_filter(capsys):
    assert main(["info", IRIS, "--json", "-c", "0"]) == 0
    assert json.loads(capsys.readouterr().out)["class_attribute"] is None


@pytest.mark.parametrize("argv", [
    ["info", "cpu-file", "-c", "9"],
    ["convert", "cpu-file", "out.csv", "-c", "9"],
    ["info", "cpu-file", "-c", "abc"],
])
def test_class_errors_name_the_file(tmp_path, monkeypatch, capsys, argv):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "c.arff").write_text("@relation other\n@attribute a numeric\n@data\n1\n")
    argv = [str(tmp_path / "c.arff") if a == "cpu-file" else a for a in argv]
    assert main(argv) == 2
    assert capsys.readouterr().err.startswith(f"workbench: error: {tmp_path / 'c.arff'}: ")


def test_classify_names_the_file_for_an_unknown_class_name(capsys):
    """It named the relation ('weather.symbolic'), which no file is called."""
    assert main(["classify", "-t", "weather.nominal", "-c", "abc", "zeror"]) == 2
    assert capsys.readouterr().err.startswith(
        "workbench: error: weather.nominal: there is no attribute named 'abc'")


@pytest.mark.parametrize("delimiter", ["5", ".", "-", "e", "n"])
def test_a_delimiter_that_numbers_are_written_with_is_refused(tmp_path, capsys, delimiter):
    # '5.1' with '5' or '.' as the delimiter would split into fields no reader could
    # put together again
    assert main(["convert", "iris", str(tmp_path / "o.csv"),
                 "--output-delimiter", delimiter]) == 2
    assert "part of a number" in capsys.readouterr().err
    assert not (tmp_path / "o.csv").exists()
