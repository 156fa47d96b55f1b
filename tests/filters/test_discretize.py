import numpy as np
import pytest
from filter_helpers import poisoned

from workbench.filters.base import FilterError
from workbench.filters.discretize import Discretize, equal_frequency_cuts, interval_labels


def test_equal_width_labels_as_weka(iris):
    out = Discretize(bins=3).fit_transform(iris)
    assert out.attributes[0].values == ("'(-inf-5.5]'", "'(5.5-6.7]'", "'(6.7-inf)'")
    assert out.class_attribute == iris.class_attribute
    codes = out.X[:, 0]
    assert np.array_equal(codes, np.searchsorted([5.5, 6.7], iris.X[:, 0], side="left"))


def test_mdl_finds_wekas_iris_cut_points(iris):
    f = Discretize(method="mdl").fit(iris)
    cuts = [list(np.round(c, 4)) for c in f.cuts_]
    # WEKA 3.9 supervised Discretize on iris.arff
    assert cuts == [[5.55, 6.15], [2.95, 3.35], [2.45, 4.75], [0.8, 1.75]]


def test_mdl_finds_no_cut_when_attribute_is_useless():
    from workbench.data.dataset import Attribute, Dataset

    rng = np.random.default_rng(0)
    X = np.c_[rng.normal(size=200), rng.integers(0, 2, 200)]
    ds = Dataset("noise", [Attribute.numeric("x"), Attribute.nominal("y", ["a", "b"])], X,
                 class_index=1)
    out = Discretize(method="mdl").fit_transform(ds)
    assert out.attributes[0].values == ("'All'",)


def test_mdl_needs_a_nominal_class(iris):
    with pytest.raises(FilterError, match="nominal class"):
        Discretize(method="mdl").fit(iris.with_class(None))


def test_equal_frequency_balances_weight():
    values = np.arange(100.0)
    cuts = equal_frequency_cuts(values, np.ones(100), 4)
    assert list(cuts) == [24.5, 49.5, 74.5]
    counts = np.bincount(np.searchsorted(cuts, values), minlength=4)
    assert list(counts) == [25, 25, 25, 25]


def test_equal_frequency_cuts_are_wekas_on_iris(iris):
    """Cut points written by WEKA 3.9.7 (``Discretize -F -B 3`` and ``-B 5`` on iris,
    run once): its greedy rule, not quantiles (which put petal length's at 4.95)."""
    weka = {3: [[5.45, 6.25], [2.85, 3.15], [2.45, 4.85], [0.8, 1.65]],
            5: [[5.05, 5.55, 6.05, 6.55], [2.75, 2.95, 3.05, 3.35],
                [1.55, 4.05, 4.75, 5.45], [0.25, 1.25, 1.55, 2.05]]}
    for bins, cuts in weka.items():
        f = Discretize(method="equal-frequency", bins=bins).fit(iris)
        assert [np.round(c, 6).tolist() for c in f.cuts_[:4]] == cuts, bins


def test_missing_values_stay_missing(labor):
    out = Discretize().fit_transform(labor)
    j = 1
    assert np.array_equal(np.isnan(out.X[:, j]), np.isnan(labor.X[:, j]))
    assert out.attributes[j].is_nominal


def test_cut_points_come_from_training_only(iris):
    f = Discretize(method="equal-frequency", bins=4).fit(iris)
    before = [c.copy() for c in f.cuts_]
    out = f.transform(poisoned(iris))
    assert all(np.array_equal(a, b) for a, b in zip(before, f.cuts_, strict=True))
    assert (out.X[:, :4] == 3).all()  # huge values fall in the last interval


def test_empty_data_gives_single_interval(iris):
    out = Discretize().fit(iris.header()).transform(iris)
    assert out.attributes[0].values == ("'All'",) and (out.X[:, 0] == 0).all()


def test_interval_labels_stay_distinct_for_close_cuts():
    labels = interval_labels(np.array([1.0000001, 1.0000002]))
    assert len(set(labels)) == 3
