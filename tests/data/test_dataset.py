import numpy as np
import pytest
import scipy.sparse as sp

from workbench.core.errors import WorkbenchError
from workbench.data.dataset import Attribute, Dataset


def weather() -> Dataset:
    attributes = [
        Attribute.nominal("outlook", ["sunny", "overcast", "rainy"]),
        Attribute.numeric("temperature"),
        Attribute.string("note", ["hot day", "cold"]),
        Attribute.nominal("play", ["yes", "no"]),
    ]
    X = np.array([[0, 85, 0, 1], [1, np.nan, 1, 0], [2, 70, np.nan, 0]], dtype=float)
    return Dataset("weather", attributes, X, weights=np.array([1.0, 2.0, 0.5]), class_index=-1)


def test_shape_class_and_display_of_values():
    data = weather()
    assert (data.num_instances, data.num_attributes) == (3, 4)
    assert data.class_index == 3 and data.class_attribute.name == "play"
    assert data.value_text(0, "outlook") == "sunny"
    assert data.value_text(1, "temperature") == "?"
    assert data.value_text(1, "note") == "cold"
    assert data.value_text(0, 1) == "85"
    np.testing.assert_array_equal(data.class_values, [1, 0, 0])


def test_operations_return_new_datasets_and_leave_the_old_one_alone():
    data = weather()
    rows = data.select_rows([2, 0])
    assert rows.weights.tolist() == [0.5, 1.0] and rows.value_text(0, 0) == "rainy"
    cols = data.select_attributes(["play", "temperature"])
    assert [a.name for a in cols.attributes] == ["play", "temperature"]
    assert cols.class_index == 0
    assert data.remove_attributes(["play"]).class_index is None
    assert data.with_class("outlook").class_index == 0
    assert data.class_index == 3 and data.num_attributes == 4


def test_mistakes_are_reported_in_the_users_words():
    data = weather()
    with pytest.raises(WorkbenchError, match="no attribute named 'wind'"):
        data.attribute("wind")
    with pytest.raises(WorkbenchError, match="2 attributes but its value matrix has 3"):
        Dataset("r", [Attribute.numeric("a"), Attribute.numeric("b")], np.zeros((2, 3)))
    with pytest.raises(WorkbenchError, match="declares attribute 'a' twice"):
        Dataset("r", [Attribute.numeric("a"), Attribute.numeric("a")], np.zeros((1, 2)))
    with pytest.raises(WorkbenchError, match="has no value 'snowy'"):
        data.attribute("outlook").index_of_value("snowy")


def test_headers_match_ignoring_string_pools_but_not_nominal_values():
    data = weather()
    other = Dataset("weather2", [a.with_values(["x"]) if a.name == "note" else a
                                 for a in data.attributes], data.X, class_index=3)
    assert data.header_matches(other) is None
    changed = Dataset("w", [a.with_values(["no", "yes"]) if a.name == "play" else a
                            for a in data.attributes], data.X, class_index=3)
    assert "has different values" in data.header_matches(changed)


def test_a_label_difference_is_named():
    """A test file told only "has different values" cannot be fixed by its reader: the
    message names the label the training data lacks, the one the test file lacks, or
    where the order of the labels first differs."""
    def header(values):
        return Dataset("r", [Attribute.nominal("region", values)], np.zeros((0, 1)))

    train = header(["East", "South"])
    assert train.header_matches(header(["Central", "East", "South"])) == (
        "attribute 1 'region' has different values: 'Central' is a label here, not in "
        "the training data")
    assert train.header_matches(header(["East"])).endswith(
        "the training data's label 'South' is not a label here")
    assert train.header_matches(header(["South", "East"])).endswith(
        "the labels are in another order (label 1 is 'South' here, 'East' in the "
        "training data)")


def test_sparse_values_stay_sparse_and_read_like_dense():
    X = sp.csr_matrix(np.array([[0.0, 1.0], [2.0, 0.0]]))
    data = Dataset("s", [Attribute.numeric("a"), Attribute.numeric("b")], X)
    assert data.is_sparse and data.select_rows([1]).is_sparse
    np.testing.assert_array_equal(data.column("a"), [0.0, 2.0])
    dense = Dataset("s", data.attributes, X.toarray())
    assert data.equals(dense)


def test_a_dense_copy_larger_than_the_budget_is_refused_before_allocating(monkeypatch):
    from workbench.core.errors import WorkbenchError
    from workbench.data import dataset as module

    X = sp.csr_matrix((1000, 1000))
    data = Dataset("wide", [Attribute.numeric(f"a{j}") for j in range(1000)], X)
    monkeypatch.setattr(module, "dense_budget", lambda: 8 * 1000 * 1000 - 1)
    with pytest.raises(WorkbenchError, match=r"dataset .wide.: .* 1000 rows x 1000 attr"):
        data.dense_values()
    monkeypatch.setattr(module, "dense_budget", lambda: 8 * 1000 * 1000)
    assert data.dense_values().shape == (1000, 1000)


def test_equality_treats_missing_values_as_equal():
    assert weather().equals(weather())
    changed = weather()
    X = changed.X.copy()
    X[0, 1] = 86
    assert not weather().equals(Dataset("weather", changed.attributes, X,
                                        changed.weights, changed.class_index))


def test_a_bag_of_words_asked_for_dense_goes_through_the_same_budget(monkeypatch):
    from workbench.core.errors import WorkbenchError
    from workbench.data import dataset as module
    from workbench.filters.text import StringToWordVector

    texts = Dataset("docs", [Attribute.string("text", ["apple pear", "pear plum", "plum fig"])],
                    np.array([[0.0], [1.0], [2.0]]))
    monkeypatch.setattr(module, "dense_budget", lambda: 8)
    with pytest.raises(WorkbenchError, match="dense table of 3 rows"):
        StringToWordVector(sparse=False).fit_transform(texts)
