"""The pandas bridge: dtypes out, attribute types in, and round trips."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from workbench.core.errors import ParameterError
from workbench.data.catalog import load_bundled
from workbench.data.dataset import Attribute, AttributeType, Dataset
from workbench.data.dates import parse_date
from workbench.data.frames import from_pandas, text_kind, to_pandas


def mixed() -> Dataset:
    attributes = [Attribute.numeric("x"), Attribute.nominal("c", ["b", "a", "unused"]),
                  Attribute.string("s", ["hello", "world"]),
                  Attribute.date("d", "yyyy-MM-dd")]
    day = parse_date("2020-02-29", "yyyy-MM-dd")
    X = np.array([[1.0, 0, 1, day], [np.nan, 1, np.nan, np.nan], [3.0, np.nan, 0, day + 86400]])
    return Dataset("mixed", attributes, X, weights=np.array([1.0, 2.0, 0.5]), class_index=1)


def test_to_pandas_uses_the_dtypes_a_pandas_user_expects():
    df = to_pandas(mixed())
    assert df["x"].dtype == np.float64
    assert isinstance(df["c"].dtype, pd.CategoricalDtype)
    assert list(df["c"].cat.categories) == ["b", "a", "unused"]
    assert df["c"].tolist()[:2] == ["b", "a"] and pd.isna(df["c"].iloc[2])
    assert df["s"].dtype == object and df["s"].tolist() == ["world", None, "hello"]
    assert str(df["d"].dtype) == "datetime64[ns, UTC]"
    assert df["d"].iloc[0] == pd.Timestamp("2020-02-29", tz="UTC") and pd.isna(df["d"].iloc[1])
    assert df.attrs["relation"] == "mixed" and df.attrs["class"] == "c"


def test_round_trip_keeps_header_values_and_class():
    original = mixed()
    back = from_pandas(to_pandas(original), weights=original.weights)
    # A string pool comes back in order of first appearance; everything else is equal.
    assert back.attribute("s").type is AttributeType.STRING
    assert back.attribute("s").values == ("world", "hello")
    assert [back.value_text(i, "s") for i in range(3)] == ["world", "?", "hello"]
    pool = original.attribute("s").with_values(["world", "hello"])
    X = original.X.copy()
    X[:, 2] = [0, np.nan, 1]
    expected = Dataset("mixed", [*original.attributes[:2], pool, original.attributes[3]],
                       X, original.weights, original.class_index)
    assert back.equals(expected)


@pytest.mark.parametrize("name", ["iris", "labor", "credit-g", "sentiment"])
def test_bundled_datasets_round_trip(name):
    original = load_bundled(name)
    assert from_pandas(to_pandas(original)).equals(original)


def test_sparse_datasets_convert_like_dense_ones():
    dense = Dataset("s", [Attribute.numeric("a"), Attribute.numeric("b")],
                    np.array([[0.0, 1.0], [2.0, 0.0], [np.nan, 0.0]]))
    sparse = Dataset("s", dense.attributes, sp.csr_matrix(dense.X))
    pd.testing.assert_frame_equal(to_pandas(sparse), to_pandas(dense))


def test_from_pandas_maps_each_dtype_to_an_attribute_type():
    df = pd.DataFrame({
        "i": [1, 2, 3],
        "f": [0.5, np.nan, 2.0],
        "b": [True, False, True],
        "cat": pd.Categorical(["lo", "hi", "lo"], categories=["lo", "mid", "hi"]),
        "o": ["x", None, "y"],
        "t": pd.to_datetime(["2021-01-01", None, "2021-01-03"]),
        "tz": pd.to_datetime(["2021-01-01 01:00"] * 3).tz_localize("Europe/Berlin"),
        "nullable": pd.array([1, None, 3], dtype="Int64"),
    })
    dataset = from_pandas(df, relation="r", class_index="cat")
    kinds = {a.name: a.type for a in dataset.attributes}
    assert kinds == {"i": "numeric", "f": "numeric", "b": "nominal", "cat": "nominal",
                     "o": "nominal", "t": "date", "tz": "date", "nullable": "numeric"}
    assert dataset.attribute("b").values == ("false", "true")
    assert dataset.column("b").tolist() == [1, 0, 1]
    assert dataset.attribute("cat").values == ("lo", "mid", "hi")
    assert dataset.column("cat").tolist() == [0, 2, 0]
    assert dataset.value_text(1, "o") == "?"
    assert dataset.column("t")[0] == parse_date("2021-01-01", "yyyy-MM-dd")
    assert dataset.column("tz")[0] == parse_date("2021-01-01", "yyyy-MM-dd")  # 01:00 CET
    assert np.isnan(dataset.column("nullable")[1])
    assert dataset.class_index == 3 and dataset.relation == "r"


def test_from_pandas_makes_long_distinct_text_a_string_attribute():
    text = [f"a reasonably long free-text comment number {i}" for i in range(30)]
    dataset = from_pandas(pd.DataFrame({"comment": text}))
    assert dataset.attribute("comment").type is AttributeType.STRING


def test_text_kind_rule():
    short = [f"k{i}" for i in range(100)]
    long = [f"{'x' * 25}{i}" for i in range(100)]
    assert text_kind(short, 100) is AttributeType.NOMINAL
    assert text_kind(long, 100) is AttributeType.STRING
    assert text_kind(long, 1000) is AttributeType.NOMINAL  # labels repeat: categories
    assert text_kind(long[:10], 10) is AttributeType.NOMINAL  # few labels
    assert text_kind(short, 100, max_nominal=50) is AttributeType.STRING


def test_unsupported_dtypes_are_refused_by_name():
    with pytest.raises(ParameterError, match=r"'z'.*complex"):
        from_pandas(pd.DataFrame({"z": [1 + 2j]}))


def test_weights_are_given_separately():
    dataset = from_pandas(pd.DataFrame({"a": [1.0, 2.0]}), weights=np.array([2.0, 3.0]))
    assert dataset.weights.tolist() == [2.0, 3.0]
