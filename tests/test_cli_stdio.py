"""``-`` as a file name: standard input where a data file is read, standard output where
a command writes (walkthrough 13d, D6: ``--predictions -`` and ``-d -`` made a file
called ``-``; ``info -`` and ``-t -`` said "-: no such file").
"""

from __future__ import annotations

import io
import json
import sys
import zipfile

import pytest

from workbench.cli import main
from workbench.data.catalog import bundled_path

IRIS = bundled_path("iris").read_bytes()
CSV = b"a,b,class\n1.5,2,x\n2.5,3,y\n3.5,1,x\n4.5,0,y\n"


class _Stdin:
    """A piped standard input: bytes, not a terminal."""

    def __init__(self, data: bytes, tty: bool = False) -> None:
        self.buffer = io.BytesIO(data)
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


@pytest.fixture
def piped(monkeypatch, tmp_path):
    """Runs in an empty folder (so a file called '-' would show) with ``stdin`` given."""
    monkeypatch.chdir(tmp_path)

    def pipe(data: bytes, tty: bool = False) -> None:
        monkeypatch.setattr(sys, "stdin", _Stdin(data, tty))

    return pipe


def _code(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as stop:
        return int(stop.code or 0)


def test_info_reads_arff_from_standard_input(piped, tmp_path, capsys):
    piped(IRIS)
    assert main(["info", "-", "--json"]) == 0
    described = json.loads(capsys.readouterr().out)
    assert described["relation"] == "iris" and described["num_instances"] == 150
    assert list(tmp_path.iterdir()) == []


def test_csv_on_standard_input_is_read_as_csv(piped, capsys):
    piped(CSV)
    assert main(["info", "-", "--json"]) == 0
    described = json.loads(capsys.readouterr().out)
    assert [a["type"] for a in described["attributes"]] == ["numeric", "numeric", "nominal"]


def test_an_error_in_standard_input_names_it_and_its_line(piped, capsys):
    piped(b"@relation r\n@attribute a numeric\n@data\n1\nfoo\n")
    assert main(["info", "-"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("workbench: error: <stdin>:5:1: 'foo' is not a number"), err
    assert "workbench-stdin" not in err and err.count("\n") == 1


def test_a_terminal_is_not_read_as_data(piped, capsys):
    piped(b"", tty=True)
    assert main(["info", "-"]) == 2
    assert "standard input is a terminal" in capsys.readouterr().err


def test_classify_trains_on_standard_input_as_on_the_file(piped, capsys):
    assert main(["classify", "--no-progress", "-t", "iris", "-o", "NaiveBayes"]) == 0
    from_file = capsys.readouterr().out
    piped(IRIS)
    assert main(["classify", "--no-progress", "-t", "-", "-o", "NaiveBayes"]) == 0
    from_stdin = capsys.readouterr().out
    summary = from_file[from_file.index("=== Stratified"):]
    assert summary == from_stdin[from_stdin.index("=== Stratified"):]


def test_standard_input_is_read_once(piped, capsys):
    piped(IRIS)
    assert _code(["classify", "-t", "-", "-T", "-", "ZeroR"]) == 2
    assert "-t and -T are both '-'" in capsys.readouterr().err


def test_predictions_to_standard_output_and_the_report_to_stderr(piped, tmp_path, capsys):
    assert main(["classify", "--no-progress", "-t", "iris", "--predictions", "-",
                 "ZeroR"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0].startswith("instance,actual,predicted,error,p(Iris-setosa)")
    assert len(lines) == 151
    assert "=== Stratified cross-validation ===" in captured.err
    assert list(tmp_path.iterdir()) == []      # no file called '-'


def test_a_model_to_standard_output_that_is_a_pipe(piped, tmp_path, capsysbinary):
    assert main(["classify", "--no-progress", "-t", "iris", "-d", "-", "-o", "ZeroR"]) == 0
    captured = capsysbinary.readouterr()
    assert list(tmp_path.iterdir()) == []
    assert b"=== Stratified cross-validation ===" in captured.err
    saved = tmp_path / "saved.model"
    saved.write_bytes(captured.out)
    assert zipfile.is_zipfile(saved)
    assert main(["classify", "--no-progress", "-l", str(saved), "-T", "iris", "-o"]) == 0


def test_a_model_is_not_written_to_a_terminal(piped, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["classify", "-t", "iris", "-d", "-", "ZeroR"]) == 2
    assert "-d - writes the model to standard output, which is a terminal" in \
        capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("argv", "words"), [
    (["classify", "-t", "iris", "-l", "-", "-T", "iris", "ZeroR"], "-l -: a model is read"),
    (["classify", "-t", "iris", "-m", "-", "ZeroR"], "-m -: the cost matrix"),
    (["classify", "-t", "iris", "-d", "-", "--predictions", "-", "ZeroR"],
     "-d and --predictions both write to standard output"),
    (["filter", "Normalize", "-i", "iris", "-o", "-", "--describe-filter"],
     "--describe-filter prints to standard output"),
])
def test_what_cannot_use_standard_input_or_output_says_so(piped, tmp_path, capsys, argv,
                                                          words):
    piped(b"")
    assert _code(argv) == 2
    assert words in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_filter_reads_standard_input_and_writes_standard_output(piped, tmp_path, capsys):
    piped(IRIS)
    assert main(["filter", "Normalize", "-i", "-", "-o", "-"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("@relation iris-weka.filters.unsupervised.attribute.Normalize")
    assert out.count("\n") > 150 and list(tmp_path.iterdir()) == []


def test_filter_writes_csv_input_as_csv(piped, capsys):
    piped(CSV)
    assert main(["filter", "Normalize", "-i", "-", "-o", "-"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "a,b,class" and len(lines) == 5
    assert [float(v) for v in lines[1].split(",")[:2]] == pytest.approx([0, 2 / 3])


@pytest.mark.parametrize(("argv", "first"), [
    (["convert", "iris", "-"], "@relation iris"),
    (["convert", "iris", "-", "--output-delimiter", ";"],
     "sepallength;sepalwidth;petallength;petalwidth;class"),
    # as for "convert iris out.csv --delimiter ';'": an ARFF IN has no delimiter
    (["convert", "iris", "-", "--delimiter", ";"],
     "sepallength;sepalwidth;petallength;petalwidth;class"),
])
def test_convert_to_standard_output(piped, tmp_path, capsys, argv, first):
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == first and "wrote" not in out
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_convert_writes_a_csv_in_the_delimiter_it_came_in(piped, tmp_path, capsys,
                                                          delimiter):
    """ "In IN's format": a TSV came out comma-separated."""
    piped(CSV.replace(b",", delimiter.encode()))
    assert main(["convert", "-", "-"]) == 0
    assert capsys.readouterr().out.encode() == CSV.replace(b",", delimiter.encode())
    tsv = tmp_path.parent / f"{tmp_path.name}-data.tsv"
    tsv.write_bytes(CSV.replace(b",", b"\t"))
    assert main(["convert", str(tsv), "-"]) == 0
    assert capsys.readouterr().out.encode() == CSV.replace(b",", b"\t")
    assert list(tmp_path.iterdir()) == []


def test_convert_from_standard_input(piped, tmp_path, capsys):
    piped(CSV)
    assert main(["convert", "-", "out.arff"]) == 0
    assert (tmp_path / "out.arff").read_text().startswith("@relation stdin")


RESULTS = ("dataset,classifier,repetition,fold,num_train,num_test,accuracy,"
           "train_seconds,test_seconds\n" + "".join(
               f"iris,{learner},{r},1,99,51,{accuracy + r},0.1,0.1\n"
               for learner, accuracy in (("zeror", 30), ("knn", 90)) for r in (1, 2, 3))
           ).encode()


@pytest.mark.parametrize(("argv", "words"), [
    (["experiment", "run", "three-learners", "--out", "-"],
     "--out -: the results table is appended to and resumed from, so it must be a file"),
    (["experiment", "run", "-"], "SPEC -: the experiment is read from a file"),
])
def test_an_experiments_results_table_is_a_file(piped, tmp_path, capsys, argv, words):
    """``--out -`` wrote files called '-' and '-.spec.json' (walkthrough review, M6)."""
    piped(b"")
    assert _code(argv) == 2
    assert words in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_experiment_analyse_reads_the_results_table_from_standard_input(
        piped, tmp_path, capsys):
    piped(RESULTS)
    assert main(["experiment", "analyse", "-", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    means = {r["label"]: r["mean"] for r in document["datasets"][0]["results"]}
    assert means == {"zeror": 32.0, "knn": 92.0}
    piped(RESULTS.replace(b"knn,2,1,99,51,92", b"knn,2,1,99,51,x"))
    assert main(["experiment", "analyse", "-"]) == 2
    assert "<stdin>:6: column 'accuracy' holds 'x', not a number" in \
        capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_file_called_dash_is_still_reachable_as_dot_slash_dash(piped, tmp_path, capsys):
    assert main(["classify", "--no-progress", "-t", "iris", "-d", "./-", "-o",
                 "ZeroR"]) == 0
    assert "=== Stratified cross-validation ===" in capsys.readouterr().out
    assert zipfile.is_zipfile(tmp_path / "-")
