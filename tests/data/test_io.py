"""Loading and saving by file extension."""

from __future__ import annotations

import gzip

import numpy as np
import pytest

from workbench.core.errors import DataFormatError, ParameterError
from workbench.data.catalog import bundled_path
from workbench.data.dataset import AttributeType
from workbench.data.io import file_format, load_dataset, save_dataset


@pytest.mark.parametrize(("name", "kind"), [
    ("a.arff", "arff"), ("a.ARFF.gz", "arff"), ("a.csv", "csv"), ("a.csv.gz", "csv"),
    ("a.tsv", "csv"), ("dir.v2/a.tsv.gz", "csv")])
def test_format_follows_the_extension(name, kind):
    assert file_format(name) == kind


def test_unknown_extensions_are_refused_with_the_known_ones(tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_text("x")
    with pytest.raises(DataFormatError, match=r"unknown data file extension '\.xlsx'") as info:
        load_dataset(path)
    assert str(path) in str(info.value) and ".arff.gz" in str(info.value)
    with pytest.raises(DataFormatError, match="extension"):
        save_dataset(load_dataset(bundled_path("iris")), tmp_path / "out.json")


def test_missing_files_and_folders_name_the_path(tmp_path):
    with pytest.raises(DataFormatError, match="no such file") as info:
        load_dataset(tmp_path / "absent.arff")
    assert "absent.arff" in str(info.value)
    folder = tmp_path / "looks.csv"
    folder.mkdir()
    with pytest.raises(DataFormatError, match="folder"):
        load_dataset(folder)


def test_arff_and_csv_load_with_a_class(tmp_path):
    iris = load_dataset(bundled_path("iris"), class_index=-1)
    assert (iris.num_instances, iris.class_attribute.name) == (150, "class")
    save_dataset(iris, tmp_path / "iris.csv")
    again = load_dataset(tmp_path / "iris.csv", class_index="class")
    assert again.class_index == 4
    np.testing.assert_array_equal(again.X, iris.X)  # labels appear in declared order


def test_every_format_round_trips(tmp_path):
    original = load_dataset(bundled_path("weather.numeric"))
    for name in ("w.arff", "w.arff.gz", "w.csv", "w.csv.gz", "w.tsv"):
        save_dataset(original, tmp_path / name)
        back = load_dataset(tmp_path / name)
        assert [a.name for a in back.attributes] == [a.name for a in original.attributes]
        for j in range(original.num_attributes):
            assert [back.value_text(i, j) for i in range(14)] == \
                [original.value_text(i, j) for i in range(14)]
    assert gzip.decompress((tmp_path / "w.arff.gz").read_bytes()).startswith(b"@relation")


def test_reader_options_pass_through_and_unknown_ones_are_refused(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("a;b\n1;2\n")
    dataset = load_dataset(path, nominal=["a"])
    assert dataset.attribute("a").type is AttributeType.NOMINAL
    with pytest.raises(ParameterError, match="no option"):
        load_dataset(path, sparse=True)


def test_a_bad_class_names_the_file(tmp_path):
    with pytest.raises(ParameterError, match=r"iris\.arff.*no attribute named 'species'"):
        load_dataset(bundled_path("iris"), class_index="species")
