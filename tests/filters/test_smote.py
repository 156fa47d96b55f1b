import numpy as np
import pytest

from workbench.core.errors import WorkbenchWarning
from workbench.data.catalog import load_bundled
from workbench.data.dataset import Attribute, Dataset
from workbench.data.io import load_dataset
from workbench.filters.base import FilterError
from workbench.filters.smote import Smote

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


def test_smote_doubles_the_smallest_class_and_leaves_test_data_alone():
    data = load_dataset(ROOT / "workbench/resources/datasets/diabetes.arff", class_index=-1)
    counts = np.bincount(data.class_values.astype(int))
    smote = Smote(percentage=100, seed=1).fit(data)
    out = smote.transform(data)
    after = np.bincount(out.class_values.astype(int))
    assert after[1] == 2 * counts[1] and after[0] == counts[0]
    assert out.num_instances == data.num_instances + counts[1]
    np.testing.assert_array_equal(out.X[:data.num_instances], data.X)
    synthetic = out.X[data.num_instances:, :-1]
    lo, hi = data.X[:, :-1].min(axis=0), data.X[:, :-1].max(axis=0)
    assert np.all((synthetic >= lo) & (synthetic <= hi))
    test = data.select_rows(slice(0, 50))
    assert smote.transform(test).equals(test)
    again = Smote(percentage=100, seed=1).fit(data).transform(data)
    assert again.equals(out)


def test_smote_balances_mixed_nominal_data_and_refuses_missing_values():
    attributes = [Attribute.numeric("x"), Attribute.nominal("colour", ["red", "blue"]),
                  Attribute.nominal("class", ["a", "b"])]
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.random(30), rng.integers(0, 2, 30), [0] * 24 + [1] * 6])
    data = Dataset("mixed", attributes, X, class_index=-1)
    out = Smote(percentage=0).fit(data).transform(data)
    assert np.bincount(out.class_values.astype(int)).tolist() == [24, 24]
    assert set(np.unique(out.column("colour"))) <= {0.0, 1.0}
    X[0, 0] = np.nan
    with pytest.raises(FilterError, match="replace-missing-values"):
        Smote().fit(Dataset("mixed", attributes, X, class_index=-1))


def test_neighbours_beyond_the_smallest_class_are_lowered_with_a_note():
    data = load_bundled("contact-lenses")   # all nominal: SMOTE-N; hard has 4 instances
    with pytest.warns(WorkbenchWarning, match="neighbours 2147483647 lowered to 3: the "
                                              "smallest class has 4 instances"):
        out = Smote(neighbours=2**31 - 1).fit(data).transform(data)
    assert out.num_instances == data.num_instances + 4
