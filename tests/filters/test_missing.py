import numpy as np
from filter_helpers import poisoned

from workbench.filters.missing import ReplaceMissingValues


def test_gaps_get_weighted_mean_and_mode(small):
    out = ReplaceMissingValues().fit_transform(small)
    a = small.X[:, 0]
    known = ~np.isnan(a)
    assert out.X[2, 0] == np.average(a[known], weights=small.weights[known])
    assert out.X[3, 1] == 1  # b by weight: x 1.5, y 2, z 1
    assert not np.isnan(out.X[:, :3]).any()


def test_mode_is_weighted(small):
    f = ReplaceMissingValues().fit(small)
    # b: x weight 1.5, y weight 2, z weight 1 -> the mode by weight is y
    assert f.fill_[1] == 1


def test_class_is_never_filled(small):
    X = small.X.copy()
    X[0, 3] = np.nan
    data = type(small)("s", small.attributes, X, small.weights, 3)
    out = ReplaceMissingValues().fit_transform(data)
    assert np.isnan(out.X[0, 3])


def test_labor_has_no_gaps_left_except_class(labor):
    out = ReplaceMissingValues().fit_transform(labor)
    cols = [j for j in range(labor.num_attributes) if j != labor.class_index]
    assert not np.isnan(out.X[:, cols]).any()
    assert out.attributes == labor.attributes


def test_fill_values_come_from_training_rows_only(labor):
    f = ReplaceMissingValues().fit(labor)
    before = f.fill_.copy()
    test = poisoned(labor)
    f.transform(test)
    assert np.array_equal(before, f.fill_, equal_nan=True)


def test_median_option(small):
    f = ReplaceMissingValues(numeric_fill="median").fit(small)
    assert f.fill_[0] == 2.0


def test_empty_training_leaves_gaps(small):
    f = ReplaceMissingValues().fit(small.header())
    assert np.isnan(f.transform(small).X[2, 0])
