"""Every CSV file of the reference corpus: each loads, or fails with a precise error.

The corpus is the repository's fixtures unless ``WORKBENCH_REFERENCE_DATA`` names the full
one. The seaborn and SG++ files are not vendored (licences: see
``tests/fixtures/reference/SOURCES.md``): each quirk they carry is also tested on a small
file written at test time, and on the real file when the full corpus is there.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from fuzzing import full_reference_only, reference_datasets

from workbench.core.errors import DataFormatError
from workbench.data.csv import read_csv
from workbench.data.dataset import AttributeType

CORPUS = reference_datasets() / "corpus"

# Files that are not plain CSV as they stand, with the line the error must name.
BROKEN = {"scipy-GLB.Ts+dSST.csv": 2}  # a title line above the header


def _csv_files() -> list[str]:
    return sorted(p.name for p in CORPUS.glob("*.csv"))


def _left_out(name: str) -> Path:
    """A corpus file that only the full corpus has; the test skips without it."""
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(full_reference_only(f"corpus/{name}"))
    return path


def _written(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_the_corpus_has_csv_files_of_every_kind():
    names = _csv_files()
    assert len(names) >= 5 and set(BROKEN) <= set(names)


@pytest.mark.parametrize("name", _csv_files())
def test_every_corpus_csv_loads_or_fails_precisely(name):
    path = CORPUS / name
    if name in BROKEN:
        with pytest.raises(DataFormatError) as info:
            read_csv(path)
        assert info.value.path == str(path) and info.value.line == BROKEN[name]
        return
    dataset = read_csv(path)
    assert dataset.num_instances > 0 and dataset.num_attributes > 0
    for attribute in dataset.attributes:
        if attribute.type in (AttributeType.NOMINAL, AttributeType.STRING):
            codes = dataset.column(attribute.name)
            present = codes[~np.isnan(codes)]
            assert present.min() >= 0 and present.max() < attribute.num_values


def test_quoted_commas_doubled_quotes_and_empty_cells(tmp_path):
    path = _written(tmp_path, "titanic.csv",
                    b'survived,name,sex,age,cabin\r\n'
                    b'0,"Braund, Mr. Owen Harris",male,22,\r\n'
                    b'1,"Nasser, Mrs. Nicholas (""Annie"")",female,,C85\r\n'
                    b'1,"Heikkinen, Miss. Laina",female,,\r\n')
    dataset = read_csv(path, string=["name"])
    assert (dataset.num_instances, dataset.num_attributes) == (3, 5)
    assert dataset.value_text(0, "name") == "Braund, Mr. Owen Harris"
    assert dataset.value_text(1, "name") == 'Nasser, Mrs. Nicholas ("Annie")'
    assert int(np.isnan(dataset.column("age")).sum()) == 2
    assert int(np.isnan(dataset.column("cabin")).sum()) == 2
    assert dataset.attribute("sex").values == ("male", "female")


def test_titanic_quoted_commas_doubled_quotes_and_empty_cells():
    dataset = read_csv(_left_out("seaborn-raw-titanic.csv"))
    assert (dataset.num_instances, dataset.num_attributes) == (891, 11)
    assert dataset.value_text(0, "name") == "Braund, Mr. Owen Harris"
    assert dataset.attribute("name").type is AttributeType.STRING
    assert any('"' in v for v in dataset.attribute("name").values)
    assert int(np.isnan(dataset.column("age")).sum()) == 177
    assert dataset.attribute("sex").values == ("male", "female")


def test_bom_crlf_blank_fill_down_cells_and_no_final_newline(tmp_path):
    path = _written(tmp_path, "seaice.csv",
                    b"\xef\xbb\xbfMonth,Day,1978,1979\r\n"
                    b"January,1,,14.9\r\n, 2,15.2,\r\n,3,,14.8\r\n"
                    b"February,1,15.6,15.4")
    dataset = read_csv(path)
    assert dataset.attributes[0].name == "Month"
    assert dataset.num_instances == 4
    assert dataset.attribute("1978").type is AttributeType.NUMERIC
    assert dataset.attribute("Month").values == ("January", "February")
    assert np.isnan(dataset.column("Month")[1])
    assert dataset.column("1979")[3] == pytest.approx(15.4)


def test_seaice_bom_crlf_and_blank_fill_down_cells():
    dataset = read_csv(_left_out("seaborn-raw-seaice.csv"))
    assert dataset.attributes[0].name == "Month"
    assert dataset.attribute("1978").type is AttributeType.NUMERIC
    assert dataset.attribute("Month").values[:2] == ("January", "February")
    assert np.isnan(dataset.column("Month")[1])


def test_cr_only_line_endings_in_a_built_file(tmp_path):
    path = _written(tmp_path, "exercise.csv",
                    b"id,diet,kind,pulse,time\r1,1,1,85,1\r1,1,1,85,2\r2,1,1,90,1\r")
    dataset = read_csv(path)
    assert (dataset.num_instances, dataset.num_attributes) == (3, 5)
    assert dataset.column("pulse").tolist() == [85, 85, 90]


def test_cr_only_line_endings():
    dataset = read_csv(_left_out("seaborn-raw-exercise.csv"))
    assert (dataset.num_instances, dataset.num_attributes) == (90, 5)


def test_quoted_header_with_unquoted_data_in_a_built_file(tmp_path):
    path = _written(tmp_path, "geyser.csv", b'"eruptions","waiting"\n3.6,79\n1.8,54\n')
    dataset = read_csv(path)
    assert [a.name for a in dataset.attributes] == ["eruptions", "waiting"]
    assert dataset.column("waiting").tolist() == [79, 54]


def test_quoted_header_with_unquoted_data():
    dataset = read_csv(_left_out("seaborn-raw-geyser.csv"))
    assert [a.name for a in dataset.attributes] == ["eruptions", "waiting"]
    assert dataset.num_instances == 272


@pytest.mark.parametrize("name", ["wdl4j-semicolon-sep-emb.csv", "wdl4j-tab-sep-emb.csv"])
def test_semicolon_and_tab_files_without_header(name):
    dataset = read_csv(CORPUS / name, header=False)
    assert (dataset.num_instances, dataset.num_attributes) == (3, 5)
    assert dataset.attribute("att1").values == ("snowball", "christmas", "tree")
    assert dataset.column("att5").tolist() == [4, 7, 6]


def test_tab_content_in_a_csv_file_with_accents_and_dates():
    dataset = read_csv(CORPUS / "orange3-test_asn_data_working.csv")
    assert dataset.num_attributes == 15
    assert dataset.attribute("DATE_ISO").type is AttributeType.DATE
    assert dataset.attribute("DATE").type is AttributeType.NOMINAL  # mixed formats
    assert "Blériot 155" in dataset.attribute("TYPE").values


def test_title_line_and_star_missing_marker_with_options():
    dataset = read_csv(CORPUS / "scipy-GLB.Ts+dSST.csv", skip_lines=1,
                       missing=("***", "?", ""))
    assert dataset.attribute("D-N").type is AttributeType.NUMERIC
    assert np.isnan(dataset.column("D-N")[0])
    assert dataset.column("Year")[0] == 1880


def test_blank_line_mid_file_and_scientific_notation_in_a_built_file(tmp_path):
    path = _written(tmp_path, "simple.csv",
                    b"x1,x2,cl\n0.0,0.1,42.42\n7e-01,-7e-02,7.0\n\n8.0,8,7\n9,9,7e+00\n")
    dataset = read_csv(path)
    assert dataset.num_instances == 4
    assert dataset.column("x1")[1] == pytest.approx(0.7)
    assert dataset.column("x2")[1] == pytest.approx(-0.07)
    assert dataset.column("cl")[3] == 7


def test_blank_line_mid_file_and_scientific_notation():
    dataset = read_csv(_left_out("sgpp-dataread-simple.csv"))
    assert dataset.num_instances == 5
    assert dataset.column("x1")[2] == pytest.approx(0.7)
    assert dataset.column("cl")[4] == 7


def test_backslash_escaped_quotes_file():
    dataset = read_csv(CORPUS / "farff-test_datatable_quotes.csv", header=False)
    assert dataset.value_text(1, "att2") == 'my name is "joe"'
