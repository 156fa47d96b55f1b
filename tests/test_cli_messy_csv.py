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


def _pandas_style(path, rows=12):
    """A frame written by pandas' to_csv with its default index, sorted by class."""
    lines = [",f1,f2,label"] + [f"{i},{(i * 7) % 5}.5,{(i * 3) % 4},{'ab'[i >= rows // 2]}"
                                for i in range(rows)]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("command, advice", [
    (["info", "{f}"], "to remove it: workbench filter Remove -R 1 -i {f} -o "
                      "sorted-noindex.arff"),
    (["classify", "-t", "{f}", "ZeroR"], "to remove it: workbench filter Remove -R 1 -i {f}"),
])
def test_a_pandas_row_index_is_named_with_the_way_to_remove_it(tmp_path, capsys, command,
                                                               advice):
    path = _pandas_style(tmp_path / "sorted.csv")
    assert main([w.format(f=path) for w in command]) == 0
    err = capsys.readouterr().err
    assert f"warning: {path}: column 1 has no name and counts the rows" in err
    assert "pandas' to_csv without index=False" in err and advice.format(f=path) in err


def test_only_an_unnamed_column_that_counts_the_rows_is_called_an_index(tmp_path, capsys):
    shuffled = tmp_path / "shuffled.csv"   # df.sample(frac=1).to_csv(): R's 1..n too
    shuffled.write_text(",f1,label\n" + "".join(f"{i},{i % 3},x\n" for i in (3, 1, 4, 2)))
    assert main(["info", str(shuffled)]) == 0
    assert "a row index" in capsys.readouterr().err
    named = tmp_path / "named.csv"
    named.write_text("id,f1,label\n" + "".join(f"{i},{i % 3},x\n" for i in range(10)))
    unnamed = tmp_path / "unnamed.csv"
    unnamed.write_text(",f1,label\n" + "".join(f"{i * 2},{i % 3},x\n" for i in range(10)))
    assert main(["info", str(named)]) == 0 and main(["info", str(unnamed)]) == 0
    assert main(["info", str(named), "--no-header", "--skip-lines", "1"]) == 0
    assert "index" not in capsys.readouterr().err


@pytest.mark.parametrize("command, advice", [
    (["info", "{f}"], "if the file has no header row, read it with --no-header"),
    (["classify", "-t", "{f}", "ZeroR", "-no-cv"],
     "if the file has no header row, convert it first: workbench convert {f} emb.arff "
     "--no-header"),
])
def test_a_header_row_that_looks_like_data_is_said(tmp_path, capsys, command, advice):
    path = tmp_path / "emb.csv"
    path.write_text("snowball;1;2;3;4\nchristmas;4;5;6;7\ntree;3;4;5;6\n")
    assert main([w.format(f=path) for w in command]) == 0
    err = capsys.readouterr().err
    assert (f"warning: {path}: the first row was read as column names, but they look "
            f"like data (snowball, 1, 2, 3, 4)") in err
    assert advice.format(f=path) in err
    assert main(["info", str(path), "--no-header"]) == 0
    assert "look like data" not in capsys.readouterr().err


TRAILING = "a,b,class,\n" + "".join(f"{i},{2 * i},{'xy'[i % 2]},\n" for i in range(20))


def test_a_trailing_delimiter_is_said_and_the_class_is_the_last_named_column(tmp_path,
                                                                             capsys):
    path = tmp_path / "trailing.csv"
    path.write_text(TRAILING)
    assert main(["info", str(path), "--json"]) == 0
    captured = capsys.readouterr()
    info = json.loads(captured.out)
    assert [a["name"] for a in info["attributes"]] == ["a", "b", "class"]
    assert info["class_attribute"] == "class"
    assert (f"warning: {path}: column 4 has no name and no values (a ',' at the end of "
            f"every line?): it is left out") in captured.err
    assert main(["classify", "-t", str(path), "NaiveBayes"]) == 0


def test_classify_never_reports_a_run_on_no_instances(tmp_path, capsys):
    """ZeroR "learned" from 0 instances and printed a report with exit status 0."""
    empty_class = tmp_path / "notes.csv"
    empty_class.write_text("a,b,notes\n" + "".join(f"{i},{i + 1},\n" for i in range(12)))
    assert main(["classify", "-t", str(empty_class), "ZeroR"]) == 2
    err = capsys.readouterr().err
    assert (f"the class 'notes' is missing in all 12 instances of {empty_class}: there is "
            f"nothing to learn from") in err
    header_only = tmp_path / "header.csv"
    header_only.write_text("a,b,class\n")
    assert main(["classify", "-t", str(header_only), "ZeroR", "-no-cv"]) == 2
    assert f"{header_only} has no instances: there is nothing to learn from" in \
        capsys.readouterr().err


def test_a_line_break_inside_a_label_keeps_the_info_table_one_row_a_line(tmp_path, capsys):
    path = tmp_path / "quoted.csv"
    path.write_text('id,"the\nnote",class\n1,"line one\nline two",a\n2,plain,"b\tc"\n')
    assert main(["info", str(path)]) == 0
    out = capsys.readouterr().out
    assert "line one\\nline two: 1, plain: 1" in out
    assert "2  the\\nnote " in out
    assert "  b\\tc " in out   # the class distribution's label
    table = out.split("\n\n")[1].splitlines()
    assert len(table) == 4 and all(row[0] in "#123" for row in table)
    assert main(["info", str(path), "--json"]) == 0   # the JSON keeps the text as it is
    assert json.loads(capsys.readouterr().out)["attributes"][1]["name"] == "the\nnote"
