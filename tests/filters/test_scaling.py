import numpy as np
import pytest
from filter_helpers import poisoned

from workbench.filters.base import FilterError, NotFittedFilterError
from workbench.filters.scaling import Normalize, Standardize


def test_normalize_maps_training_range_to_unit_interval(iris):
    out = Normalize().fit_transform(iris)
    X = out.X[:, :4]
    assert np.allclose(X.min(axis=0), 0) and np.allclose(X.max(axis=0), 1)
    assert np.array_equal(out.class_values, iris.class_values)
    assert out.attributes == iris.attributes


def test_normalize_scale_and_translation(iris):
    out = Normalize(scale=2.0, translation=-1.0).fit_transform(iris)
    assert np.allclose(out.X[:, :4].min(axis=0), -1) and np.allclose(out.X[:, :4].max(axis=0), 1)


def test_standardize_gives_zero_mean_unit_std(iris):
    out = Standardize().fit_transform(iris)
    assert np.allclose(out.X[:, :4].mean(axis=0), 0, atol=1e-12)
    assert np.allclose(out.X[:, :4].std(axis=0, ddof=1), 1)
    assert np.array_equal(out.X[:, 4], iris.X[:, 4])


def test_missing_and_nominal_values_pass_through(small):
    out = Standardize().fit_transform(small)
    assert np.isnan(out.X[2, 0]) and np.isnan(out.X[3, 1])
    assert np.array_equal(out.X[:, 1:], small.X[:, 1:], equal_nan=True)
    assert np.array_equal(out.weights, small.weights)
    assert out.class_index == small.class_index


def test_standardize_uses_instance_weights(small):
    f = Standardize().fit(small)
    a = small.X[:, 0]
    known = ~np.isnan(a)
    expected = np.average(a[known], weights=small.weights[known])
    assert f.mean_[0] == pytest.approx(expected)


@pytest.mark.parametrize("cls", [Normalize, Standardize])
def test_test_rows_never_change_what_was_learned(iris, cls):
    f = cls().fit(iris)
    learned = [np.copy(getattr(f, field)) for field in cls.state_fields]
    out = f.transform(poisoned(iris))
    after = [getattr(f, field) for field in cls.state_fields]
    assert all(np.array_equal(a, b) for a, b in zip(learned, after, strict=True))
    assert np.all(np.abs(out.X[:, :4]) > 1e3)  # mapped with training statistics


@pytest.mark.parametrize("cls", [Normalize, Standardize])
def test_empty_dataset_fits_and_transforms(iris, cls):
    empty = iris.header()
    out = cls().fit_transform(empty)
    assert out.num_instances == 0
    f = cls().fit(empty)
    assert f.transform(iris).num_instances == 150


def test_constant_attribute_is_centred_not_divided(iris):
    X = iris.X.copy()
    X[:, 0] = 3.0
    data = type(iris)("c", iris.attributes, X, class_index=4)
    assert np.all(Standardize().fit_transform(data).X[:, 0] == 0)
    assert np.all(Normalize().fit_transform(data).X[:, 0] == 0)


def test_transform_before_fit_and_wrong_header_are_refused(iris, small):
    with pytest.raises(NotFittedFilterError):
        Standardize().transform(iris)
    with pytest.raises(FilterError, match="cannot filter 'small'"):
        Standardize().fit(iris).transform(small)


def test_describe_names_the_learned_statistics(iris):
    text = Standardize().fit(iris).describe()
    assert text.startswith("standardize") and "sepallength: mean 5.84" in text
