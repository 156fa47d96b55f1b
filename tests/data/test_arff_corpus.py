"""The reference ARFF corpus: every file loads (or fails with a line number), round-trips,
and agrees with liac-arff on the numbers.

The corpus is the repository's fixtures (``tests/fixtures/reference``) unless
``WORKBENCH_REFERENCE_DATA`` names the full one; see ``fuzzing.reference_datasets``.
"""

import gzip
import io
import math
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from fuzzing import read_reference_bytes, reference_datasets, reference_file

from workbench.core.errors import DataFormatError
from workbench.data.arff import _read_arff, read_arff, write_arff
from workbench.data.dataset import AttributeType

DATASETS = reference_datasets()
FILES = sorted(p for folder in ("weka", "corpus") for p in (DATASETS / folder).glob("*.arff*"))

# Deliberately broken files (the corpus's SOURCES.md, section 3) and the line each must be
# reported on. The sgpp file is only in the full corpus (not vendored: its licence).
BROKEN = {
    "scipy-test2.arff": 12,                 # {bla, bla}: a nominal label declared twice
    "scipy-test3.arff": 3,                  # @ATTRIBUTE attr0 crap: unknown type
    "sgpp-dataread-simple-BAD.arff": 7,     # @ATTRIBUTE x4 NUMBERIC: unknown type
    "wdl4j-relational-numeric-EMPTY.arff": 1,  # 0-byte file
}


def _path(relative: str) -> Path:
    """``relative`` in the corpus, found gzipped when that is how it is stored."""
    path = reference_file(relative)
    assert path is not None, f"{relative} is missing from {DATASETS}"
    return path


def _load(relative: str, **kwargs):
    return read_arff(_path(relative), **kwargs)


def test_the_corpus_is_there_and_holds_every_broken_kind():
    """A corpus that went missing would leave the parametrized tests with nothing to run."""
    assert len(FILES) >= 60
    present = {p.name for p in FILES}
    assert set(BROKEN) - {"sgpp-dataread-simple-BAD.arff"} <= present


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_corpus_file_loads_or_fails_with_a_line(path):
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
def test_every_loadable_corpus_file_round_trips(path):
    data = read_arff(path)
    out = io.StringIO()
    write_arff(data, out)
    again = read_arff(io.StringIO(out.getvalue()), name="rt.arff")
    assert again.equals(data)
    assert again.is_sparse == data.is_sparse
    for attribute, other in zip(data.attributes, again.attributes, strict=True):
        assert attribute.date_format == other.date_format


def test_iris():
    iris = _load("weka/iris.arff", class_index=-1)
    assert iris.X.shape == (150, 5)
    assert iris.class_attribute.values == ("Iris-setosa", "Iris-versicolor",
                                           "Iris-virginica")
    assert np.bincount(iris.class_values.astype(int)).tolist() == [50, 50, 50]
    assert iris.X[0, :4].tolist() == [5.1, 3.5, 1.4, 0.2]


def test_instances_test_mixes_dense_and_sparse_rows():
    data = _load("corpus/weka-InstancesTest.arff")
    assert sp.issparse(data.X) and data.X.shape == (21, 6)
    assert data.value_text(19, 0) == "wall"
    assert data.value_text(19, 2) == "4.3"
    assert data.value_text(19, 4) == "d"
    assert data.value_text(19, 1) == "r"          # omitted nominal: the first label
    assert data.value_text(20, 0) == "humpty"     # omitted string: the first string
    assert data.value_text(20, 3) == "lazy"
    assert data.value_text(9, 3) == "?"


def test_simple_time_series_has_two_relational_attributes():
    data = _load("corpus/weka-SimpleTimeSeries.arff")
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
    strings = _load("corpus/weka-SimpleStringTimeSeries.arff")
    bag = strings.attributes[2]
    np.testing.assert_array_equal(bag.bags[0].ravel(), [0, 1, 2, 3, 4, 5])
    assert bag.bags[strings.X[7, 2].astype(int)].shape == (0, 1)   # the "" bag
    assert math.isnan(strings.X[2, 2])                              # a ? bag


def test_airline_dates_are_epoch_seconds_utc():
    data = _load("weka/airline.arff")
    date = data.attributes[1]
    assert date.type is AttributeType.DATE and date.date_format == "yyyy-MM-dd"
    assert data.X[0, 1] == -662688000.0          # 1949-01-01T00:00:00Z
    assert data.value_text(143, 1) == "1960-12-01 00:00:00"


def test_reuters_strings_keep_escaped_quotes_and_newlines():
    data = _load("weka/ReutersCorn-train.arff", class_index=-1)
    assert data.X.shape == (1554, 2)
    texts = data.attributes[0].values
    assert len(texts) > 1000
    assert any("\n" in t for t in texts)
    assert any("'" in t for t in texts)
    assert not any("\\'" in t for t in texts)


def test_supermarket_trailing_comment_after_nominal_values():
    data = _load("weka/supermarket.arff")
    assert data.X.shape == (4627, 217)
    total = data.attribute("total")
    assert total.values == ("low", "high")
    assert np.isnan(data.column(0)).mean() > 0.5   # '?' means not bought


def test_quoted_question_mark_is_a_label_not_missing():
    data = _load("corpus/farff-anneal.arff")
    assert any("?" in a.values for a in data.attributes if a.type is AttributeType.NOMINAL)
    spaces = _load("corpus/scipy-quoted_nominal_spaces.arff")
    assert "  yes" in spaces.attributes[1].values or "  yes" in spaces.attributes[0].values


@pytest.mark.parametrize("relative", ["corpus/weka-InstancesTest.arff",
                                      "corpus/weka-SimpleTimeSeries.arff", "weka/iris.arff"])
def test_gzipped_file_equals_its_plain_twin(relative, tmp_path):
    """A fixture gzipped at test time reads as its plain self (sparse and dense rows,
    relational bags, dates)."""
    plain = _path(relative)
    twin = tmp_path / (plain.name + ".gz")
    twin.write_bytes(gzip.compress(plain.read_bytes(), mtime=0))
    assert read_arff(twin).equals(read_arff(plain))


def test_shipped_gzip_twins_equal_their_plain_copies():
    """The corpus's own .arff.gz files (SG++'s, only in the full corpus) and the gzipped
    WEKA fixtures read as their plain bytes do."""
    packed = [p for p in FILES if p.name.endswith(".arff.gz")]
    assert packed, "no .arff.gz file in the corpus"
    for path in packed:
        plain = read_arff(io.BytesIO(read_reference_bytes(path)), name=path.name[:-3])
        assert read_arff(path).equals(plain), path.name


def test_wide_sparse_mnist_stays_sparse():
    data = _load("corpus/wdl4j-mnist_784_train_minimal.arff")
    assert sp.issparse(data.X) and data.X.shape == (567, 785)
    assert data.X.nnz < 0.5 * 567 * 785


@pytest.mark.parametrize("relative", ["weka/iris.arff", "weka/diabetes.arff",
                                      "weka/segment-test.arff", "weka/cpu.arff",
                                      "corpus/scipy-missing.arff"])
def test_numbers_agree_with_liac_arff(relative):
    liac = pytest.importorskip("arff")
    theirs = liac.loads(read_reference_bytes(_path(relative)).decode("utf-8"))
    ours = _load(relative)
    for j, (name, kind) in enumerate(theirs["attributes"]):
        if isinstance(kind, str) and kind.upper() in ("NUMERIC", "REAL", "INTEGER"):
            column = np.array([np.nan if row[j] is None else row[j]
                               for row in theirs["data"]], dtype=float)
            assert ours.attributes[j].name == name
            np.testing.assert_array_equal(ours.column(j), column)
