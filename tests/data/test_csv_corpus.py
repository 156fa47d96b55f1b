"""Every CSV file of the shared loader corpus: each loads, or fails with a precise error."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from fuzzing import REFERENCE_ABSENT, reference_datasets

from workbench.core.errors import DataFormatError
from workbench.data.csv import read_csv
from workbench.data.dataset import AttributeType

REFERENCE = reference_datasets()
CORPUS = (REFERENCE or Path("reference-corpus-absent")) / "corpus"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=REFERENCE_ABSENT)

# Files that are not plain CSV as they stand, with the line the error must name.
BROKEN = {"scipy-GLB.Ts+dSST.csv": 2}  # a title line above the header


def _csv_files() -> list[str]:
    return sorted(p.name for p in CORPUS.glob("*.csv")) if CORPUS.is_dir() else []


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


def test_titanic_quoted_commas_doubled_quotes_and_empty_cells():
    dataset = read_csv(CORPUS / "seaborn-raw-titanic.csv")
    assert (dataset.num_instances, dataset.num_attributes) == (891, 11)
    assert dataset.value_text(0, "name") == "Braund, Mr. Owen Harris"
    assert dataset.attribute("name").type is AttributeType.STRING
    assert any('"' in v for v in dataset.attribute("name").values)
    assert int(np.isnan(dataset.column("age")).sum()) == 177
    assert dataset.attribute("sex").values == ("male", "female")


def test_seaice_bom_crlf_and_blank_fill_down_cells():
    dataset = read_csv(CORPUS / "seaborn-raw-seaice.csv")
    assert dataset.attributes[0].name == "Month"
    assert dataset.attribute("1978").type is AttributeType.NUMERIC
    assert dataset.attribute("Month").values[:2] == ("January", "February")
    assert np.isnan(dataset.column("Month")[1])


def test_cr_only_line_endings():
    dataset = read_csv(CORPUS / "seaborn-raw-exercise.csv")
    assert (dataset.num_instances, dataset.num_attributes) == (90, 5)


def test_quoted_header_with_unquoted_data():
    dataset = read_csv(CORPUS / "seaborn-raw-geyser.csv")
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


def test_blank_line_mid_file_and_scientific_notation():
    dataset = read_csv(CORPUS / "sgpp-dataread-simple.csv")
    assert dataset.num_instances == 5
    assert dataset.column("x1")[2] == pytest.approx(0.7)
    assert dataset.column("cl")[4] == 7


def test_backslash_escaped_quotes_file():
    dataset = read_csv(CORPUS / "farff-test_datatable_quotes.csv", header=False)
    assert dataset.value_text(1, "att2") == 'my name is "joe"'
