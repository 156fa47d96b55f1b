import numpy as np
import pytest

from workbench.filters.base import FilterError
from workbench.filters.nominal import NominalToBinary, NumericToNominal


def test_nominal_to_binary_one_indicator_per_value(small):
    out = NominalToBinary().fit_transform(small)
    names = [a.name for a in out.attributes]
    assert names == ["a", "b=x", "b=y", "b=z", "c=hi", "cls"]
    assert out.class_index == 5 and out.class_attribute.is_nominal
    assert np.array_equal(out.X[1, 1:4], [0, 1, 0])
    assert np.isnan(out.X[3, 1:4]).all()  # a missing value is missing in every indicator
    assert np.array_equal(out.weights, small.weights)


def test_all_values_gives_two_indicators_for_binary(small):
    out = NominalToBinary(all_values=True).fit_transform(small)
    assert [a.name for a in out.attributes][4:6] == ["c=lo", "c=hi"]


def test_range_limits_which_attributes_convert(small):
    out = NominalToBinary(attribute_indices="3").fit_transform(small)
    assert [a.name for a in out.attributes] == ["a", "b", "c=hi", "cls"]


def test_weather_becomes_all_numeric(weather):
    out = NominalToBinary().fit_transform(weather)
    assert all(a.is_numeric for i, a in enumerate(out.attributes) if i != out.class_index)
    assert out.num_instances == 14


def test_numeric_to_nominal_labels_training_values(iris):
    train, test = iris.select_rows(slice(0, 100)), iris.select_rows(slice(100, 150))
    f = NumericToNominal(attribute_indices="1").fit(train)
    out = f.transform(test)
    attribute = out.attributes[0]
    assert attribute.is_nominal
    assert set(attribute.values) == {f"{v:.15g}" for v in np.unique(train.X[:, 0])}
    # a test value never seen in training has no label: missing
    unseen = ~np.isin(test.X[:, 0], train.X[:, 0])
    assert unseen.any() and np.isnan(out.X[unseen, 0]).all()
    seen = ~unseen
    labels = [attribute.values[int(c)] for c in out.X[seen, 0]]
    assert labels == [f"{v:.15g}" for v in test.X[seen, 0]]


def test_numeric_to_nominal_refuses_continuous_explosion(iris):
    with pytest.raises(FilterError, match="distinct values"):
        NumericToNominal(max_values=5).fit(iris)


def test_nominal_filters_on_empty_data(small):
    assert NominalToBinary().fit_transform(small.header()).num_attributes == 6
    out = NumericToNominal().fit(small.header()).transform(small)
    assert out.attributes[0].values == () and np.isnan(out.X[:, 0]).all()
