"""A flow's loaders read what the Explorer's *Open with options...* and ``workbench
info --encoding/--skip-lines/--no-header`` read: a Windows export, a file with a title
line, a file without a header row; a refusal advises the node's own parameter."""

from __future__ import annotations

import pytest

from workbench.core.errors import ParameterError, WorkbenchError
from workbench.data.text_encoding import TextEncodingError
from workbench.flow.nodes.base import NodeContext, NodeError
from workbench.flow.nodes.sources import ArffLoader, CSVLoader


def ctx(folder) -> NodeContext:
    return NodeContext("csv", "CSVLoader", folder, folder)


def test_a_latin1_csv_reads_with_the_encoding_parameter_and_the_refusal_names_it(
        tmp_path):
    path = tmp_path / "towns.csv"
    path.write_bytes("town,size\nRen\xe9,1\nK\xf6ln,2\n".encode("latin-1"))
    with pytest.raises(TextEncodingError) as refused:
        CSVLoader(file=str(path)).process({}, ctx(tmp_path))
    message = str(refused.value)
    assert "towns.csv:2:4" in message and "it looks like latin-1" in message
    assert "CSVLoader's encoding parameter" in message and "encoding='" not in message
    data = CSVLoader(file=str(path), encoding="latin-1").process({}, ctx(tmp_path))["dataSet"]
    assert data.attribute("town").values == ("René", "Köln")


def test_title_lines_and_a_missing_header_row_are_parameters(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Land-Ocean: Global Means\nyear,jan\n1880,-.19\n1881,-.20\n")
    with pytest.raises(WorkbenchError, match="this row has 2 fields, the header has 1"):
        CSVLoader(file=str(path)).process({}, ctx(tmp_path))
    data = CSVLoader(file=str(path), skip_lines=1).process({}, ctx(tmp_path))["dataSet"]
    assert [a.name for a in data.attributes] == ["year", "jan"] and data.num_instances == 2
    plain = tmp_path / "p.csv"
    plain.write_text("snowball;1;2\nsun;3;4\n")
    data = CSVLoader(file=str(plain), header=False, nominal="1").process(
        {}, ctx(tmp_path))["dataSet"]
    assert [a.name for a in data.attributes] == ["att1", "att2", "att3"]
    assert data.num_instances == 2 and data.attribute("att1").values == ("snowball", "sun")


@pytest.mark.parametrize("loader", [ArffLoader, CSVLoader])
def test_an_unknown_encoding_is_refused_when_it_is_set(loader):
    """Checked against Python's codec registry as ``--encoding`` is, where the value is
    set (the parameter dialog, ``--set``, a flow file), not when a run reaches the
    loader (walkthrough 11c, item 5); a codec that is not a text encoding is refused
    too, and the empty default (UTF-8) and Python's other spellings are taken."""
    for bad in ("klingon", "rot13", "base64"):
        with pytest.raises(ParameterError, match=rf"parameter 'encoding': unknown text "
                                                 rf"encoding '{bad}' \(for example utf-8"):
            loader(encoding=bad)
    for good in ("", "latin-1", "Latin1", "cp1252", "utf_16"):
        assert loader(encoding=good).encoding == good


def test_an_arff_loader_reads_a_utf16_file_it_is_told_of(tmp_path):
    path = tmp_path / "d.arff"
    path.write_bytes("@relation d\n@attribute town {Köln}\n@data\nKöln\n"
                     .encode("utf-16-le"))
    data = ArffLoader(file=str(path), encoding="utf-16-le").process(
        {}, ctx(tmp_path))["dataSet"]
    assert data.attribute("town").values == ("Köln",)


def test_a_csv_loader_reads_a_german_txt_file_with_its_separators_and_dates(tmp_path):
    """Excel's "Text (Tab delimited)" in German: a .txt, decimal commas, day-first
    dates; the loader's parameters are the command line's --decimal/--thousands/--date/
    --date-format/--missing (walkthrough csv F1, F4, F5, F11)."""
    path = tmp_path / "messung.txt"
    path.write_text("wann\twert\tk\n01.02.2024\t1.234,5\ta\n15.03.2024\tNA\tb\n"
                    "16.03.2024\t-\tb\n", encoding="utf-8")
    loader = CSVLoader(file=str(path), decimal=",", thousands=".", date="wann",
                       date_format="dd.MM.yyyy", missing="NA,-")
    loader.check_ready(ctx(tmp_path))
    data = loader.process({}, ctx(tmp_path))["dataSet"]
    assert data.attribute("wann").type.value == "date" and data.column(1)[0] == 1234.5
    assert data.attribute("wert").is_numeric and data.num_instances == 3
    with pytest.raises(NodeError, match="must differ"):
        CSVLoader(file=str(path), decimal=",", thousands=",").check_ready(ctx(tmp_path))
