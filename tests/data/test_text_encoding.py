"""Text encodings of CSV and ARFF files: byte-order marks obeyed, ``encoding=`` used,
and a refusal whose advice fits the bytes (UTF-16 is never called Latin-1)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from workbench.core.errors import ParameterError
from workbench.data.arff import read_arff
from workbench.data.csv import read_csv
from workbench.data.io import load_dataset
from workbench.data.text_encoding import TextEncodingError, guess_encoding

CSV = "name,city,val\nRené,Köln,1\nJosé,Málaga,2\n"
ARFF = "@relation r\n@attribute city {Köln,Málaga}\n@attribute v numeric\n@data\nKöln,1\nMálaga,2\n"


def _file(tmp_path: Path, text: str, encoding: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-32-be",
                                      "utf-8-sig"])
def test_a_byte_order_mark_decides_the_encoding(tmp_path, encoding):
    text = CSV if encoding.endswith(("16", "32", "sig")) else "\ufeff" + CSV
    csv = read_csv(_file(tmp_path, text, encoding))
    assert [a.name for a in csv.attributes] == ["name", "city", "val"]
    assert csv.value_text(1, "city") == "Málaga"
    arff_text = ARFF if encoding.endswith(("16", "32", "sig")) else "\ufeff" + ARFF
    arff = read_arff(_file(tmp_path, arff_text, encoding, "data.arff"))
    assert arff.value_text(1, "city") == "Málaga"


def test_latin1_is_refused_with_advice_and_read_when_named(tmp_path):
    path = _file(tmp_path, CSV, "latin-1")
    with pytest.raises(TextEncodingError) as info:
        read_csv(path)
    assert (info.value.line, info.value.column) == (2, 4)
    assert info.value.suggested == "latin-1"
    assert "read it with encoding='latin-1'" in str(info.value)
    assert read_csv(path, encoding="latin-1").value_text(0, "name") == "René"
    assert load_dataset(path, encoding="latin1").value_text(1, "city") == "Málaga"


def test_an_arff_file_takes_an_encoding_too(tmp_path):
    path = _file(tmp_path, ARFF, "latin-1", "data.arff")
    with pytest.raises(TextEncodingError, match="looks like latin-1") as info:
        read_arff(path)
    assert info.value.line == 2
    assert load_dataset(path, encoding="latin-1").value_text(1, "city") == "Málaga"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_mark_is_never_called_latin1(tmp_path, encoding):
    path = _file(tmp_path, CSV, encoding)
    with pytest.raises(TextEncodingError) as info:
        read_csv(path)
    assert info.value.suggested == encoding
    assert "latin-1" not in str(info.value)
    assert read_csv(path, encoding=encoding).value_text(0, "name") == "René"


def test_windows_quotes_suggest_cp1252(tmp_path):
    path = _file(tmp_path, "a,b\n\u201cx\u201d,1\n", "cp1252")
    with pytest.raises(TextEncodingError, match="looks like cp1252"):
        read_csv(path)
    assert read_csv(path, encoding="cp1252").value_text(0, "a") == "\u201cx\u201d"


@pytest.mark.parametrize("name", ["klingon", "base64", "rot13", ""])
def test_an_unknown_or_non_text_codec_is_a_parameter_error(tmp_path, name):
    with pytest.raises(ParameterError, match="unknown text encoding"):
        read_csv(_file(tmp_path, CSV, "utf-8"), encoding=name)


def test_the_advice_can_be_worded_for_each_place_and_survives_pickling(tmp_path):
    with pytest.raises(TextEncodingError) as info:
        read_csv(_file(tmp_path, CSV, "latin-1"))
    cli = info.value.advised("--encoding latin-1")
    assert str(cli).endswith("it looks like latin-1: read it with --encoding latin-1)")
    assert (cli.path, cli.line, cli.column) == (info.value.path, 2, 4)
    again = pickle.loads(pickle.dumps(cli))
    assert str(again) == str(cli) and again.suggested == "latin-1"


def test_guesses():
    assert guess_encoding("a,b\n".encode("utf-16-le")) == "utf-16-le"
    assert guess_encoding(b"caf\xc3\xa9") == "utf-8"
    assert guess_encoding(b"caf\xe9") == "latin-1"


def test_an_unknown_encoding_is_named_in_at_most_a_line():
    """A flow file from anywhere may hold a megabyte of 'encoding' (review L4)."""
    from workbench.core.errors import ParameterError
    from workbench.data.text_encoding import codec_name

    with pytest.raises(ParameterError) as caught:
        codec_name("x" * 1_000_000 + "\n\x1b[2J")
    assert len(str(caught.value)) < 200 and "xxx..." in str(caught.value)
    with pytest.raises(ParameterError, match="'klingon'"):
        codec_name("klingon")
