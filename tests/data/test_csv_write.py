"""Writing CSV files: what comes back is what went in."""

from __future__ import annotations

import gzip
import os

import numpy as np
import pytest

from workbench.core.errors import WorkbenchError
from workbench.data.catalog import load_bundled
from workbench.data.csv import dataset_to_csv_text, read_csv, write_csv
from workbench.data.dataset import Attribute, AttributeType, Dataset
from workbench.data.dates import parse_date


def mixed() -> Dataset:
    attributes = [
        Attribute.numeric("x"),
        Attribute.nominal("colour", ["red", "green, dark", 'say "hi"']),
        Attribute.string("note", ["plain", "two\nlines", "a,b"]),
        Attribute.date("when", "yyyy-MM-dd HH:mm:ss"),
    ]
    when = parse_date("2024-03-01 12:30:00", "yyyy-MM-dd HH:mm:ss")
    X = np.array([[1.5, 0, 0, when],
                  [np.nan, 1, 1, np.nan],
                  [-2.25e-7, 2, 2, when + 86400],
                  [3.0, np.nan, np.nan, when]])
    return Dataset("mixed", attributes, X)


def test_write_then_read_gives_the_same_values(tmp_path):
    original = mixed()
    path = tmp_path / "mixed.csv"
    write_csv(original, path)
    back = read_csv(path, string=["note"])
    assert [a.type for a in back.attributes] == [a.type for a in original.attributes]
    assert back.attribute("colour").values == original.attribute("colour").values
    assert back.attribute("when").date_format == "yyyy-MM-dd HH:mm:ss"
    for j in range(4):
        for i in range(4):
            assert back.value_text(i, j) == original.value_text(i, j)


def test_text_uses_labels_question_marks_and_minimal_quotes():
    text = dataset_to_csv_text(mixed())
    lines = text.splitlines()
    assert lines[0] == "x,colour,note,when"
    assert lines[1] == "1.5,red,plain,2024-03-01 12:30:00"
    assert lines[2] == '?,"green, dark","two'
    assert text.endswith('3.0,?,?,2024-03-01 12:30:00\n')


def test_integer_columns_are_written_without_decimals():
    dataset = Dataset("d", [Attribute.numeric("n")], np.array([[1.0], [np.nan], [-7.0]]))
    assert dataset_to_csv_text(dataset) == "n\n1\n?\n-7\n"


def test_bundled_datasets_round_trip_through_csv(tmp_path):
    for name in ("iris", "labor", "credit-g"):
        original = load_bundled(name, class_index=None)
        path = tmp_path / f"{name}.csv"
        write_csv(original, path)
        back = read_csv(path, relation=original.relation)
        for j, (a, b) in enumerate(zip(back.attributes, original.attributes, strict=True)):
            assert a.name == b.name and a.type == b.type
            if a.type is AttributeType.NUMERIC:
                np.testing.assert_array_equal(back.column(j), original.column(j))
            else:
                # Labels come back in order of first appearance, so compare the text.
                assert set(a.values) <= set(b.values)
                assert [back.value_text(i, j) for i in range(len(back))] == \
                    [original.value_text(i, j) for i in range(len(original))]


def test_tsv_and_gzip_are_chosen_by_extension(tmp_path):
    dataset = load_bundled("weather.nominal")
    write_csv(dataset, tmp_path / "w.tsv")
    assert (tmp_path / "w.tsv").read_text().splitlines()[0].count("\t") == 4
    write_csv(dataset, tmp_path / "w.csv.gz")
    text = gzip.decompress((tmp_path / "w.csv.gz").read_bytes()).decode()
    assert text == dataset_to_csv_text(dataset)


def test_writing_is_atomic_and_leaves_no_temporary_files(tmp_path):
    path = tmp_path / "out.csv"
    path.write_text("old contents\n")
    write_csv(load_bundled("iris"), path)
    assert path.read_text().startswith("sepallength,")
    assert sorted(os.listdir(tmp_path)) == ["out.csv"]


def test_relational_attributes_cannot_be_written(tmp_path):
    bag = np.zeros((1, 1))
    dataset = Dataset("r", [Attribute.relational("bag", [Attribute.numeric("v")], [bag])],
                      np.array([[0.0]]))
    with pytest.raises(WorkbenchError, match="relational"):
        write_csv(dataset, tmp_path / "r.csv")
    assert not (tmp_path / "r.csv").exists()
