import numpy as np
import pytest
from filter_helpers import poisoned

from workbench.filters.base import FilterError
from workbench.filters.select import AttributeSelection


def test_info_gain_on_weather_matches_weka(weather):
    f = AttributeSelection().fit(weather)
    names = [weather.attributes[j].name for j in f.ranking_]
    assert names == ["outlook", "humidity", "windy", "temperature"]
    # WEKA InfoGainAttributeEval: 0.2467, 0.1518, 0.0481, 0.0292
    assert np.allclose(f.merits_, [0.2467, 0.1518, 0.0481, 0.0292], atol=1e-4)


def test_selection_keeps_best_then_class(iris):
    out = AttributeSelection(num_to_select=2).fit_transform(iris)
    assert [a.name for a in out.attributes] == ["petalwidth", "petallength", "class"]
    assert out.class_index == 2


def test_threshold_drops_weak_attributes(weather):
    out = AttributeSelection(threshold=0.1).fit_transform(weather)
    assert [a.name for a in out.attributes] == ["outlook", "humidity", "play"]


def test_correlation_works_with_numeric_class():
    from workbench.data.catalog import load_bundled

    cpu = load_bundled("diabetes").with_class("mass")
    f = AttributeSelection(evaluator="correlation", num_to_select=1).fit(cpu)
    assert f.merits_.size == 8 and (f.merits_ >= 0).all()
    with pytest.raises(FilterError, match="nominal class"):
        AttributeSelection().fit(cpu)


def test_correlation_of_a_class_indicator(iris):
    X = np.c_[iris.X[:, :4], iris.X[:, 4] == 0, iris.X[:, 4]]
    from workbench.data.dataset import Attribute, Dataset

    attributes = [*iris.attributes[:4], Attribute.numeric("setosa"), iris.attributes[4]]
    ds = Dataset("x", attributes, X, class_index=5)
    f = AttributeSelection(evaluator="correlation").fit(ds)
    # |r| with the setosa indicator is 1, with the other two 0.5; each class weighs 1/3
    assert f.merits_[f.ranking_.index(4)] == pytest.approx(2 / 3)


def test_needs_a_class_and_learns_from_training_only(iris):
    with pytest.raises(FilterError, match="class"):
        AttributeSelection().fit(iris.with_class(None))
    f = AttributeSelection(num_to_select=2).fit(iris)
    out = f.transform(poisoned(iris))
    assert [a.name for a in out.attributes] == ["petalwidth", "petallength", "class"]


def test_missing_values_are_handled(labor):
    f = AttributeSelection().fit(labor)
    assert np.isfinite(f.merits_).all() and len(f.ranking_) == 16
