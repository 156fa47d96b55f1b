"""``--encoding NAME`` on every command that reads data files, and a refusal that
advises it (not the Python API's ``encoding=``, which a command line user cannot pass)."""

from __future__ import annotations

import json

import pytest

from workbench.cli import main
from workbench.commands.filter import build_filter_parser
from workbench.core.registry import default_registry
from workbench.data.io import load_dataset

LATIN1 = "name,city,val\nRené,Köln,1\nJosé,Málaga,2\nZoë,Zürich,3\n".encode("latin-1")


@pytest.fixture
def latin1(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(LATIN1)
    return path


@pytest.mark.parametrize("command", [
    ["info", "{f}"], ["convert", "{f}", "{out}.arff"], ["classify", "-t", "{f}", "ZeroR"],
    ["filter", "Standardize", "-i", "{f}", "-o", "{out}.csv"],
])
def test_each_command_advises_its_own_option(latin1, tmp_path, capsys, command):
    words = [w.format(f=latin1, out=tmp_path / "out") for w in command]
    assert main(words) == 2
    err = capsys.readouterr().err
    assert "latin1.csv:2:4: byte 0xe9 is not utf-8 text" in err
    assert "read it with --encoding latin-1" in err and "encoding=" not in err


def test_info_convert_classify_filter_read_with_encoding(latin1, tmp_path, capsys):
    assert main(["info", str(latin1), "--json", "--encoding", "latin-1"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["attributes"][1]["values"] == ["Köln", "Málaga", "Zürich"]
    out = tmp_path / "out.arff"
    assert main(["convert", str(latin1), str(out), "--encoding", "cp1252"]) == 0
    assert load_dataset(out).value_text(2, "name") == "Zoë"
    assert main(["classify", "-t", str(latin1), "--encoding", "latin1", "-c", "2",
                 "-no-cv", "ZeroR"]) == 0
    assert "Köln" in capsys.readouterr().out
    filtered = tmp_path / "f.arff"
    assert main(["filter", "Standardize", "-i", str(latin1), "-o", str(filtered),
                 "--encoding", "latin-1"]) == 0
    assert load_dataset(filtered).value_text(0, "city") == "Köln"


def test_an_arff_file_takes_encoding_on_the_command_line(tmp_path, capsys):
    path = tmp_path / "a.arff"
    path.write_bytes("@relation r\n@attribute c {Köln,Zürich}\n@data\nKöln\n"
                     .encode("latin-1"))
    assert main(["info", str(path)]) == 2
    assert "--encoding latin-1" in capsys.readouterr().err
    assert main(["info", str(path), "--encoding", "latin-1", "--json"]) == 0


@pytest.mark.parametrize("name", ["klingon", "base64"])
def test_an_unknown_encoding_is_a_usage_error(latin1, capsys, name):
    with pytest.raises(SystemExit) as exit_:
        main(["info", str(latin1), "--encoding", name])
    assert exit_.value.code == 2
    assert f"argument --encoding: unknown text encoding '{name}'" in capsys.readouterr().err


def test_utf16_with_a_mark_reads_and_without_one_is_named(tmp_path, capsys):
    text = "a,b\n1,x\n2,y\n"
    marked, bare = tmp_path / "marked.csv", tmp_path / "bare.csv"
    marked.write_bytes(text.encode("utf-16"))
    bare.write_bytes(text.encode("utf-16-le"))
    assert main(["info", str(marked), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["num_instances"] == 2
    assert main(["info", str(bare)]) == 2
    err = capsys.readouterr().err
    assert "--encoding utf-16-le" in err and "latin-1" not in err


def test_no_filter_parameter_clashes_with_encoding():
    for info in default_registry().list("filter"):
        parser, _ = build_filter_parser(info.name)   # argparse refuses a clash
        assert "--encoding" in parser._option_string_actions
