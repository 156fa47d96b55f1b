"""Attribute summaries checked against numpy and pandas, and against WEKA's own figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from workbench.core.errors import WorkbenchError
from workbench.data.catalog import load_bundled
from workbench.data.dataset import Attribute, AttributeType, Dataset
from workbench.data.stats import AttributeSummaries, class_distribution, summarize


def test_iris_matches_wekas_preprocess_panel():
    s = summarize(load_bundled("iris"))[0]  # sepallength
    assert (s.missing, s.distinct, s.unique, round(s.unique_percent)) == (0, 35, 9, 6)
    assert (s.minimum, s.maximum) == (4.3, 7.9)
    assert s.mean == pytest.approx(5.843, abs=5e-4)
    assert s.std == pytest.approx(0.828, abs=5e-4)


@pytest.mark.parametrize("name", ["labor", "credit-g", "vote", "glass"])
def test_counts_and_moments_agree_with_pandas(name):
    dataset = load_bundled(name)
    for s in summarize(dataset):
        col = pd.Series(dataset.column(s.index))
        counts = col.value_counts(dropna=True)
        assert s.missing == int(col.isna().sum())
        assert s.missing_percent == pytest.approx(100 * col.isna().mean())
        assert s.distinct == len(counts)
        assert s.unique == int((counts == 1).sum())
        if s.type is AttributeType.NUMERIC and s.distinct:
            assert s.minimum == col.min() and s.maximum == col.max()
            assert s.mean == pytest.approx(col.mean())
            assert s.std == pytest.approx(col.std(ddof=1), nan_ok=True)
        if s.type is AttributeType.NOMINAL:
            expected = np.bincount(col.dropna().astype(int), minlength=len(s.labels))
            assert list(s.counts) == expected.tolist()
            assert s.labels == dataset.attributes[s.index].values


def weighted() -> Dataset:
    X = np.array([[1.0, 0], [2.0, 1], [2.0, 1], [np.nan, np.nan], [5.0, 0]])
    attributes = [Attribute.numeric("x"), Attribute.nominal("c", ["a", "b", "z"])]
    return Dataset("w", attributes, X, weights=np.array([1.0, 2.0, 0.5, 4.0, 1.5]),
                   class_index=1)


def test_numeric_moments_are_weighted_as_in_weka_3_8():
    x = summarize(weighted())[0]
    values, w = np.array([1.0, 2.0, 2.0, 5.0]), np.array([1.0, 2.0, 0.5, 1.5])
    mean = np.dot(w, values) / w.sum()
    assert x.mean == pytest.approx(mean)
    assert x.std == pytest.approx(np.sqrt(np.dot(w, (values - mean) ** 2) / (w.sum() - 1)))
    assert (x.missing, x.distinct, x.unique) == (1, 3, 2)  # counts stay unweighted


def test_nominal_counts_and_weights_per_label():
    c = summarize(weighted())[1]
    assert c.counts == (2, 2, 0)
    assert c.weights == (2.5, 2.5, 0.0)
    assert c.to_dict()["values"] == ["a", "b", "z"]


def test_sparse_summaries_equal_dense_ones():
    rng = np.random.default_rng(3)
    dense = rng.integers(0, 4, size=(60, 6)).astype(float)
    dense[rng.random(dense.shape) < 0.5] = 0.0
    dense[5, 2] = np.nan
    attributes = [Attribute.numeric(f"n{j}") for j in range(5)] + [
        Attribute.nominal("c", ["p", "q", "r", "s"])]
    weights = rng.random(60) + 0.5
    a = Dataset("d", attributes, dense, weights=weights)
    b = Dataset("d", attributes, sp.csr_matrix(dense), weights=weights)
    for x, y in zip(summarize(a), summarize(b), strict=True):
        assert (x.missing, x.distinct, x.unique, x.counts) == \
            (y.missing, y.distinct, y.unique, y.counts)
        for key in ("minimum", "maximum", "mean", "std"):
            assert getattr(x, key) == pytest.approx(getattr(y, key))
        assert x.weights == pytest.approx(y.weights)


def _mixed_pair() -> tuple[Dataset, Dataset]:
    rng = np.random.default_rng(5)
    dense = rng.integers(0, 4, size=(40, 5)).astype(float)
    dense[rng.random(dense.shape) < 0.4] = 0.0
    dense[3, 1] = dense[7, 4] = np.nan
    attributes = [Attribute.numeric("n0"), Attribute.numeric("n1"), Attribute.date("d", "yyyy"),
                  Attribute.string("s", ["u", "v", "w", "x"]),
                  Attribute.nominal("c", ["p", "q", "r", "s"])]
    weights = rng.random(40) + 0.5
    return (Dataset("d", attributes, dense, weights=weights),
            Dataset("d", attributes, sp.csr_matrix(dense), weights=weights))


@pytest.mark.parametrize("sparse", [False, True])
def test_one_attribute_at_a_time_gives_the_whole_matrix_figures(sparse):
    """The Explorer summarises the attribute it shows, not all 785 of MNIST at once:
    each one alone must read exactly as the whole-matrix summary does."""
    dataset = _mixed_pair()[sparse]
    whole = summarize(dataset)
    lazy = AttributeSummaries(dataset)
    assert len(lazy) == len(whole) == 5
    assert lazy[4] == whole[4] and lazy[-1] == whole[-1]   # asked out of order, and again
    assert list(lazy) == whole and lazy[1:3] == whole[1:3]
    with pytest.raises(IndexError):
        lazy[5]


def test_string_and_date_attributes():
    attributes = [Attribute.string("s", ["u", "v"]), Attribute.date("d", "yyyy")]
    X = np.array([[0, 0.0], [0, 100.0], [1, np.nan]])
    s, d = summarize(Dataset("t", attributes, X))
    assert (s.distinct, s.unique, s.minimum) == (2, 1, None)
    assert (d.minimum, d.maximum, d.missing) == (0.0, 100.0, 1)


def test_empty_and_all_missing_columns():
    empty = summarize(Dataset("e", [Attribute.numeric("a")], np.empty((0, 1))))[0]
    assert (empty.missing, empty.distinct, empty.minimum, empty.missing_percent) == \
        (0, 0, None, 0.0)
    gone = summarize(Dataset("m", [Attribute.numeric("a")], np.full((3, 1), np.nan)))[0]
    assert (gone.missing, gone.distinct, gone.mean) == (3, 0, None)


def test_class_distribution_weighted_and_counted():
    dataset = weighted()
    assert class_distribution(dataset) == {"a": 2.5, "b": 2.5, "z": 0.0}
    assert class_distribution(dataset, weighted=False) == {"a": 2.0, "b": 2.0, "z": 0.0}
    assert class_distribution(load_bundled("iris")) == {
        "Iris-setosa": 50, "Iris-versicolor": 50, "Iris-virginica": 50}


def test_class_distribution_needs_a_nominal_class():
    with pytest.raises(WorkbenchError, match="no class"):
        class_distribution(weighted().with_class(None))
    with pytest.raises(WorkbenchError, match="not nominal"):
        class_distribution(weighted().with_class(0))


def test_summaries_of_a_wide_dataset_cover_every_attribute():
    dataset = load_bundled("digits")
    summaries = summarize(dataset)
    assert len(summaries) == dataset.num_attributes
    assert summaries[0].distinct == 1  # the corner pixel is always 0
    assert summaries[-1].counts == tuple(np.bincount(dataset.class_values.astype(int)))


def test_a_dates_spread_reads_as_a_length_of_time_not_a_date():
    from workbench.data.stats import duration_text, spread_text, value_text

    day = 86400.0
    attributes = [Attribute.date("d", "yyyy-MM-dd"), Attribute.numeric("x")]
    X = np.array([[0.0, 1.0], [100 * day, 2.0], [400 * day, 3.0]])
    dataset = Dataset("dates", attributes, X)
    s = summarize(dataset)[0]
    assert value_text(dataset, 0, s.minimum) == "1970-01-01"  # points in time stay dates
    text = spread_text(dataset, 0, s.std)
    assert text == f"{s.std / day:.4g} days" and not text.startswith("19")
    assert spread_text(dataset, 1, 1.0) == "1"  # a numeric spread is a plain number
    assert spread_text(dataset, 0, None) == ""
    assert duration_text(90.0) == "1.5 minutes"
    assert duration_text(5 * 3600.0) == "5 hours"
    assert duration_text(400 * day) == "400 days"  # "1.095 years" reads worse
    assert duration_text(3 * 365.2425 * day) == "3 years"
    assert duration_text(0.25) == "0.25 seconds"


def test_decimal_text_writes_wekas_three_decimals():
    from workbench.data.stats import decimal_text

    assert decimal_text(15232.79) == "15232.79"
    assert decimal_text(50290.72131) == "50290.721"
    assert decimal_text(14160.0) == "14160"
    assert decimal_text(5.61349e-17) == "0" and decimal_text(-7.5e-16) == "0"
    assert decimal_text(1234567.891) == "1234567.891"   # no 1.23457e+06
