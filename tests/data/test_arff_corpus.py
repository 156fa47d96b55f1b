"""The shared ARFF corpus: every file loads (or fails with a line number), round-trips,
and agrees with liac-arff on the numbers."""

import io
import math
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from fuzzing import REFERENCE_ABSENT, reference_datasets

from workbench.core.errors import DataFormatError
from workbench.data.arff import _read_arff, read_arff, write_arff
from workbench.data.dataset import AttributeType

DATASETS = reference_datasets()
FILES = sorted(p for folder in ("weka", "corpus") if DATASETS
               for p in (DATASETS / folder).glob("*.arff*")) if DATASETS else []

# Deliberately broken files (SOURCES.md, section 3) and the line each must be reported on.
BROKEN = {
    "scipy-test2.arff": 12,                 # {bla, bla}: a nominal label declared twice
    "scipy-test3.arff": 3,                  # @ATTRIBUTE attr0 crap: unknown type
    "sgpp-dataread-simple-BAD.arff": 7,     # @ATTRIBUTE x4 NUMBERIC: unknown type
    "wdl4j-relational-numeric-EMPTY.arff": 1,  # 0-byte file
}


@pytest.fixture(scope="module")
def datasets() -> Path:
    if DATASETS is None:
        pytest.skip(REFERENCE_ABSENT)
    return DATASETS


def _load(datasets: Path, relative: str, **kwargs):
    return read_arff(datasets / relative, **kwargs)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_corpus_file_loads_or_fails_with_a_line(path, datasets):
    if path.name in BROKEN:
        with pytest.raises(DataFormatError) as info:
            read_arff(path)
        assert info.value.line == BROKEN[path.name]
        assert info.value.path == str(path)
        return
    data = read_arff(path)
    assert data.num_attributes > 0
    assert _read_arff(path, fast=False).equals(data)  # both readers agree


@pytest.mark.parametrize("path", [p for p in FILES if p.name not in BROKEN],
                         ids=lambda p: p.name)
def test_every_loadable_corpus_file_round_trips(path, datasets):
    data = read_arff(path)
    out = io.StringIO()
    write_arff(data, out)
    again = read_arff(io.StringIO(out.getvalue()), name="rt.arff")
    assert again.equals(data)
    assert again.is_sparse == data.is_sparse
    for attribute, other in zip(data.attributes, again.attributes, strict=True):
        assert attribute.date_format == other.date_format


def test_iris(datasets):
    iris = _load(datasets, "weka/iris.arff", class_index=-1)
    assert iris.X.shape == (150, 5)
    assert iris.class_attribute.values == ("Iris-setosa", "Iris-versicolor",
                                           "Iris-virginica")
    assert np.bincount(iris.class_values.astype(int)).tolist() == [50, 50, 50]
    assert iris.X[0, :4].tolist() == [5.1, 3.5, 1.4, 0.2]


def test_instances_test_mixes_dense_and_sparse_rows(datasets):
    data = _load(datasets, "corpus/weka-InstancesTest.arff")
    assert sp.issparse(data.X) and data.X.shape == (21, 6)
    assert data.value_text(19, 0) == "wall"
    assert data.value_text(19, 2) == "4.3"
    assert data.value_text(19, 4) == "d"
    assert data.value_text(19, 1) == "r"          # omitted nominal: the first label
    assert data.value_text(20, 0) == "humpty"     # omitted string: the first string
    assert data.value_text(20, 3) == "lazy"
    assert data.value_text(9, 3) == "?"


def test_simple_time_series_has_two_relational_attributes(datasets):
    data = _load(datasets, "corpus/weka-SimpleTimeSeries.arff")
    kinds = [a.type for a in data.attributes]
    assert kinds.count(AttributeType.RELATIONAL) == 2
    assert AttributeType.DATE in kinds
    for attribute in data.attributes:
        if attribute.type is AttributeType.RELATIONAL:
            column = data.column(attribute.name)
            used = column[~np.isnan(column)].astype(int)
            assert len(attribute.bags) == len(used)
            for bag in attribute.bags:
                assert bag.ndim == 2 and bag.shape[1] == len(attribute.relation)
    strings = _load(datasets, "corpus/weka-SimpleStringTimeSeries.arff")
    bag = strings.attributes[2]
    np.testing.assert_array_equal(bag.bags[0].ravel(), [0, 1, 2, 3, 4, 5])
    assert bag.bags[strings.X[7, 2].astype(int)].shape == (0, 1)   # the "" bag
    assert math.isnan(strings.X[2, 2])                              # a ? bag


def test_airline_dates_are_epoch_seconds_utc(datasets):
    data = _load(datasets, "weka/airline.arff")
    date = data.attributes[1]
    assert date.type is AttributeType.DATE and date.date_format == "yyyy-MM-dd"
    assert data.X[0, 1] == -662688000.0          # 1949-01-01T00:00:00Z
    assert data.value_text(143, 1) == "1960-12-01 00:00:00"


def test_reuters_strings_keep_escaped_quotes_and_newlines(datasets):
    data = _load(datasets, "weka/ReutersCorn-train.arff", class_index=-1)
    assert data.X.shape == (1554, 2)
    texts = data.attributes[0].values
    assert len(texts) > 1000
    assert any("\n" in t for t in texts)
    assert any("'" in t for t in texts)
    assert not any("\\'" in t for t in texts)


def test_supermarket_trailing_comment_after_nominal_values(datasets):
    data = _load(datasets, "weka/supermarket.arff")
    assert data.X.shape == (4627, 217)
    total = data.attribute("total")
    assert total.values == ("low", "high")
    assert np.isnan(data.column(0)).mean() > 0.5   # '?' means not bought


def test_quoted_question_mark_is_a_label_not_missing(datasets):
    data = _load(datasets, "corpus/farff-anneal.arff")
    assert any("?" in a.values for a in data.attributes if a.type is AttributeType.NOMINAL)
    spaces = _load(datasets, "corpus/scipy-quoted_nominal_spaces.arff")
    assert "  yes" in spaces.attributes[1].values or "  yes" in spaces.attributes[0].values


def test_gzipped_file_equals_its_plain_twin(datasets):
    assert _load(datasets, "corpus/sgpp-ripleyGarcke.train.arff.gz").equals(
        _load(datasets, "corpus/sgpp-ripleyGarcke.train.arff"))


def test_wide_sparse_mnist_stays_sparse(datasets):
    data = _load(datasets, "corpus/wdl4j-mnist_784_train_minimal.arff")
    assert sp.issparse(data.X) and data.X.shape == (567, 785)
    assert data.X.nnz < 0.5 * 567 * 785


@pytest.mark.parametrize("relative", ["weka/iris.arff", "weka/diabetes.arff",
                                      "weka/segment-test.arff", "weka/cpu.arff",
                                      "corpus/scipy-missing.arff"])
def test_numbers_agree_with_liac_arff(datasets, relative):
    liac = pytest.importorskip("arff")
    theirs = liac.loads((datasets / relative).read_text(encoding="utf-8"))
    ours = _load(datasets, relative)
    for j, (name, kind) in enumerate(theirs["attributes"]):
        if isinstance(kind, str) and kind.upper() in ("NUMERIC", "REAL", "INTEGER"):
            column = np.array([np.nan if row[j] is None else row[j]
                               for row in theirs["data"]], dtype=float)
            assert ours.attributes[j].name == name
            np.testing.assert_array_equal(ours.column(j), column)
