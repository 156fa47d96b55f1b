"""A result keeps its predictions, not the rows they were made on.

Walkthrough: the Explorer grew by about 60 MB for every 10-fold cross-validation on
10 000 MNIST rows, and deleting the result list's entries gave nothing back. Each
fold's actual class values were a column view of that fold's test rows (a copy of
1000 x 785 values), so every fold's rows lived as long as the result; and a header was
an empty view of the whole value matrix.
"""

from __future__ import annotations

import gc
import weakref

import numpy as np

from workbench.core.registry import default_registry
from workbench.data.dataset import Attribute, Dataset
from workbench.evaluation.evaluate import TestOption, evaluate
from workbench.evaluation.results import Results


def _data(rows: int = 60) -> Dataset:
    """A fresh dataset (not the catalogue's copy, which others may hold)."""
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.normal(size=(rows, 3)), np.arange(rows) % 2])
    attributes = [Attribute.numeric(f"x{i}") for i in range(3)]
    attributes.append(Attribute.nominal("class", ["a", "b"]))
    return Dataset("fresh", attributes, X, class_index=3)


def test_a_fold_does_not_keep_the_test_rows_alive():
    test = _data().select_rows(np.arange(0, 60, 3))   # a copy, as a fold's test rows
    rows = weakref.ref(test.X)
    results = Results(test.header(), "zeror", "test")
    results.add_fold(run=0, fold=0, indices=np.arange(20), actual=test.class_values,
                     distribution=np.full((20, 2), 0.5), weights=test.weights)
    del test
    gc.collect()
    assert rows() is None
    assert results.folds[0].actual.tolist() == [0.0, 1.0] * 10   # the values stay


def test_a_header_does_not_keep_the_data_alive():
    data = _data()
    rows = weakref.ref(data.X)
    header = data.header()
    del data
    gc.collect()
    assert rows() is None
    assert header.num_instances == 0 and header.num_attributes == 4
    assert header.class_attribute is not None and header.class_attribute.name == "class"


def _arrays(root: object) -> list[np.ndarray]:
    """Every array reachable from ``root``, and the arrays they are views of."""
    found: list[np.ndarray] = []
    seen: set[int] = set()
    stack = [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, (type, str, bytes, int, float)):
            continue
        seen.add(id(obj))
        if isinstance(obj, np.ndarray):
            found.append(obj)
            if obj.base is not None:
                stack.append(obj.base)
            continue
        stack.extend(gc.get_referents(obj))
    return found


def test_a_cross_validation_result_holds_no_copy_of_the_rows():
    data = _data()
    learner = default_registry().create("classifier", "zeror")
    result = evaluate(learner, data, TestOption.cross_validation(5, 1))
    width = data.num_attributes
    blocks = [a.shape for a in _arrays(result.results)
              if a.ndim == 2 and a.shape[1] == width and a.shape[0] > 0]
    assert blocks == []
    assert result.results.folds and sum(len(f.actual) for f in result.results.folds) == 60
