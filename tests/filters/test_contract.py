"""Every built-in filter keeps the contract: registered, no leakage, saved state, empties."""

import json

import numpy as np
import pytest
from filter_helpers import poisoned

from workbench.core.registry import default_registry
from workbench.data.catalog import load_bundled
from workbench.filters import builtin_filters, parse_filters
from workbench.filters.base import Filter

ATTRIBUTE_FILTERS = [cls for cls in builtin_filters() if cls.category == "attribute"]
ALL_NAMES = [cls.name for cls in builtin_filters()]


def _data_for(cls: type[Filter]):
    if cls.name in ("string-to-word-vector", "weka-string-to-word-vector"):
        return load_bundled("sentiment").select_rows(slice(0, 200))
    if cls.name == "image-augment":
        return load_bundled("digits").select_rows(slice(0, 50))
    return load_bundled("labor")  # numeric and nominal attributes, many missing values


def _options(cls: type[Filter]) -> dict:
    # labor's class is last, which the two Merge filters refuse (as WEKA's do)
    return {"numeric-to-nominal": {"max_values": 100},
            "merge-two-values": {"attribute_index": "16"},
            "merge-many-values": {"attribute_index": "16"},
            "rename-nominal-values": {"selected_attributes": "first-last",
                                      "value_replacements": "none:nil,full:half"},
            }.get(cls.name, {})


def test_every_family_is_registered_with_its_weka_alias():
    registry = default_registry()
    expected = {"standardize", "normalize", "replace-missing-values", "nominal-to-binary",
                "numeric-to-nominal", "discretize", "remove", "reorder", "pca", "zca",
                "string-to-word-vector", "attribute-selection", "randomize", "resample",
                "remove-percentage", "remove-with-values", "stratified-remove-folds"}
    assert expected <= {info.name for info in registry.list("filter")}
    for cls in builtin_filters():
        # WEKA's name goes to the filter that reproduces WEKA (string-to-word-vector's
        # scikit-learn defaults have none).
        info = registry.get("filter", cls.aliases[0] if cls.aliases else cls.name)
        assert info.factory is cls and cls.category in ("attribute", "instance")
        assert info.description, cls.name


@pytest.mark.parametrize("cls", ATTRIBUTE_FILTERS, ids=lambda c: c.name)
def test_test_rows_never_reach_the_learned_state(cls):
    data = _data_for(cls)
    train, test = data.select_rows(slice(0, len(data) // 2)), data.select_rows(
        slice(len(data) // 2, None))
    f = cls(**_options(cls)).fit(train)
    state = json.dumps(f.get_state()[0], sort_keys=True)
    arrays = {k: v.copy() for k, v in f.get_state()[1].items()}
    f.transform(poisoned(test))
    f.transform(test)
    assert json.dumps(f.get_state()[0], sort_keys=True) == state
    after = f.get_state()[1]
    assert all(np.array_equal(arrays[k], after[k], equal_nan=True) for k in arrays)


@pytest.mark.parametrize("cls", ATTRIBUTE_FILTERS, ids=lambda c: c.name)
def test_saved_state_restores_the_same_transform(cls):
    data = _data_for(cls)
    f = cls(**_options(cls)).fit(data)
    meta, arrays = f.get_state()
    meta = json.loads(json.dumps(meta))  # what a model file holds
    restored = cls(**f.get_params())
    restored.set_state(meta, arrays, data.header())
    assert restored.transform(data).equals(f.transform(data))
    assert restored.describe() == f.describe()


@pytest.mark.parametrize("cls", ATTRIBUTE_FILTERS, ids=lambda c: c.name)
def test_input_untouched_weights_and_class_kept(cls):
    data = _data_for(cls)
    data = data.with_weights(np.linspace(1, 2, len(data)))
    before = data.dense_values().copy()
    out = cls(**_options(cls)).fit_transform(data)
    assert np.array_equal(data.dense_values(), before, equal_nan=True)
    assert np.array_equal(out.weights, data.weights)
    assert out.class_attribute == data.class_attribute
    assert np.array_equal(out.class_values, data.class_values, equal_nan=True)


@pytest.mark.parametrize("name", ALL_NAMES)
def test_empty_dataset_is_filtered(name):
    cls = default_registry().get("filter", name).factory
    data = _data_for(cls).header()
    out = cls(**_options(cls)).fit_transform(data)
    assert out.num_instances == 0


@pytest.mark.parametrize("name", ALL_NAMES)
def test_spec_round_trips(name):
    cls = default_registry().get("filter", name).factory
    f = cls(**_options(cls))
    again = parse_filters(f.spec_text())[0]
    assert type(again) is cls and again.get_params() == f.get_params()
    assert f.clone().get_params() == f.get_params()


def test_chains_parse_with_quotes_and_pipes():
    chain = parse_filters("remove -E 'a|b' |standardize| pca --max-components 2")
    assert [type(f).__name__ for f in chain] == ["Remove", "Standardize", "PCA"]
    assert chain[0].name_pattern == "a|b" and chain[2].max_components == 2
    assert parse_filters("   ") == []


def test_empty_results_flow_on_through_a_chain(iris):
    chain = parse_filters("remove-with-values -C last -L first-last | standardize | "
                          "discretize | nominal-to-binary")
    data = iris
    for item in chain:
        data = item.fit_transform(data)
    assert data.num_instances == 0 and data.class_attribute.name == "class"
    nothing = parse_filters("remove -V")[0].fit_transform(iris)
    assert nothing.num_attributes == 0 and nothing.num_instances == 150
    assert parse_filters("standardize")[0].fit_transform(nothing).num_attributes == 0
