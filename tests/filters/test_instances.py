import numpy as np
import pytest

from workbench.core.errors import ParameterError
from workbench.filters.base import FilterError
from workbench.filters.instances import (
    Randomize,
    RemovePercentage,
    RemoveWithValues,
    Resample,
    StratifiedRemoveFolds,
)


def _counts(ds):
    return np.bincount(ds.class_values.astype(int), minlength=3)


def test_randomize_shuffles_reproducibly(iris):
    a = Randomize(seed=3).fit_transform(iris)
    b = Randomize(seed=3).fit_transform(iris)
    c = Randomize(seed=4).fit_transform(iris)
    assert a.equals(b) and not a.equals(c)
    assert sorted(map(tuple, a.X)) == sorted(map(tuple, iris.X))


def test_instance_filters_pass_a_second_dataset_through(iris):
    train, test = iris.select_rows(slice(0, 100)), iris.select_rows(slice(100, 150))
    f = Resample(sample_size_percent=50).fit(train)
    assert f.transform(train).num_instances == 50
    assert f.transform(test) is test


def test_resample_without_replacement_has_no_duplicates(iris):
    out = Resample(sample_size_percent=40, replacement=False, seed=2).fit_transform(iris)
    assert out.num_instances == 60
    with pytest.raises(ParameterError):
        Resample(sample_size_percent=150, replacement=False).fit(iris)


def test_resample_without_replacement_draws_distinct_rows():
    from workbench.data.dataset import Attribute, Dataset

    ds = Dataset("ids", [Attribute.numeric("id")], np.arange(100.0)[:, None])
    out = Resample(sample_size_percent=30, replacement=False, seed=5).fit_transform(ds)
    assert len(np.unique(out.X[:, 0])) == 30


def test_stratified_resample_keeps_class_proportions(iris):
    out = Resample(sample_size_percent=20, stratified=True).fit_transform(iris)
    assert list(_counts(out)) == [10, 10, 10]


def test_bias_to_uniform_evens_out_classes(iris):
    skewed = iris.select_rows(np.r_[0:50, 50:70, 100:110])
    out = Resample(bias_to_uniform=1.0, seed=1).fit_transform(skewed)
    # WEKA's sizes: (int)(80 / 3) of each class, cut rather than rounded
    assert list(_counts(out)) == [26, 26, 26]
    with pytest.raises(FilterError, match="nominal class"):
        Resample(stratified=True).fit(iris.with_class(None))


def test_remove_percentage_splits_without_overlap(iris):
    first = RemovePercentage(percentage=30, invert=True).fit_transform(iris)
    rest = RemovePercentage(percentage=30).fit_transform(iris)
    assert first.num_instances == 45 and rest.num_instances == 105
    assert np.array_equal(np.vstack([first.X, rest.X]), iris.X)


def test_remove_with_values_numeric_and_nominal(iris, labor):
    out = RemoveWithValues(attribute_index="1", split_point=5.0).fit_transform(iris)
    assert (out.X[:, 0] >= 5.0).all() and out.num_instances == 128
    out = RemoveWithValues(attribute_index="last", nominal_indices="1,3").fit_transform(iris)
    assert list(_counts(out)) == [0, 50, 0]
    kept = RemoveWithValues(attribute_index="last", nominal_indices="1,3",
                            invert=True).fit_transform(iris)
    assert kept.num_instances == 100


def test_remove_with_values_missing(labor):
    j = 1  # wage-increase-first-year has a missing value
    column = labor.column(j)
    out = RemoveWithValues(attribute_index=str(j + 1), split_point=-1.0,
                           match_missing=True).fit_transform(labor)
    assert out.num_instances == int((~np.isnan(column)).sum())


def test_stratified_remove_folds_partition_the_data(iris):
    folds = [StratifiedRemoveFolds(num_folds=5, fold=k, seed=1).fit_transform(iris)
             for k in range(1, 6)]
    assert sum(f.num_instances for f in folds) == 150
    for f in folds:
        assert list(_counts(f)) == [10, 10, 10]
    rest = StratifiedRemoveFolds(num_folds=5, fold=1, seed=1, invert=True).fit_transform(iris)
    assert rest.num_instances == 120
    both = np.vstack([folds[0].X, rest.X])
    assert len(np.unique(both, axis=0)) == len(np.unique(iris.X, axis=0))


def test_fold_outside_range_is_refused(iris):
    with pytest.raises(ParameterError, match="fold 4"):
        StratifiedRemoveFolds(num_folds=3, fold=4).fit(iris)


@pytest.mark.parametrize("cls", [Randomize, Resample, RemovePercentage,
                                 StratifiedRemoveFolds])
def test_instance_filters_on_empty_data(iris, cls):
    assert cls().fit_transform(iris.header()).num_instances == 0


def test_weights_travel_with_rows(small):
    out = Randomize(seed=0).fit_transform(small)
    order = [int(np.flatnonzero(np.all((r == small.X) | (np.isnan(small.X) & np.isnan(r)),
                                       axis=1))[0]) for r in out.X]
    assert np.array_equal(out.weights, small.weights[order])
