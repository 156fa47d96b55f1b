"""RemoveUseless removes what WEKA 3.9.7's RemoveUseless removes (`java
weka.filters.unsupervised.attribute.RemoveUseless -c last -i DATA.arff`, and with -M)."""

import numpy as np
import pytest

from workbench.core.registry import default_registry
from workbench.data.catalog import load_bundled
from workbench.data.dataset import Attribute, Dataset
from workbench.filters.base import with_values
from workbench.filters.remove import RemoveUseless

# Attributes WEKA removes with the default -M 99 (every other bundled file: none).
WEKA_REMOVED = {
    "digits": ["pixel_0_0", "pixel_4_0", "pixel_4_7"],
    "ionosphere": ["a02"],
    "segment-challenge": ["region-pixel-count"],
    "iris": [],
    "labor": [],
    "sentiment": [],
}


def _removed(data: Dataset, **params: float) -> list[str]:
    kept = {a.name for a in RemoveUseless(**params).fit_transform(data).attributes}
    return [a.name for a in data.attributes if a.name not in kept]


@pytest.mark.parametrize("name", sorted(WEKA_REMOVED))
def test_removes_what_weka_removes(name):
    assert _removed(load_bundled(name)) == WEKA_REMOVED[name]


def test_max_variance_removes_nominal_attributes_with_many_values(weather):
    # outlook and temperature have 3 values in 14 instances: 21.4 %.
    assert _removed(weather, max_variance=15) == ["outlook", "temperature"]
    assert _removed(weather, max_variance=25) == []
    assert _removed(weather, max_variance=1) == ["outlook", "temperature", "humidity",
                                                 "windy"]  # never the class


def test_all_missing_and_constant_go_numeric_spread_stays():
    X = np.array([[np.nan, 3.0, 1.0, 0, 0], [np.nan, 3.0, 2.0, 1, 1],
                  [np.nan, np.nan, 3.0, 2, 0]])
    data = Dataset("t", [Attribute.numeric("empty"), Attribute.numeric("constant"),
                         Attribute.numeric("spread"), Attribute.nominal("id", "abc"),
                         Attribute.nominal("cls", ["n", "y"])], X, class_index=4)
    assert _removed(data) == ["empty", "constant", "id"]  # id: 3 values in 3 = 100 %


def test_test_data_loses_the_attributes_chosen_on_training_data(iris):
    train = iris.select_rows(np.arange(10))  # one species: class constant, kept
    X = train.X.copy()
    X[:, 1] = 3.0
    f = RemoveUseless().fit(with_values(train, X))
    assert [a.name for a in f.transform(iris).attributes] == [
        "sepallength", "petallength", "petalwidth", "class"]


def test_registered_under_wekas_name():
    info = default_registry().get("filter", "RemoveUseless")
    assert info.factory is RemoveUseless
    assert default_registry().get("filter", "weka.filters.unsupervised.attribute."
                                  "RemoveUseless").factory is RemoveUseless
