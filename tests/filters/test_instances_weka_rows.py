"""Randomize and Resample pick WEKA's rows for WEKA's seed.

The expected row orders in ``weka_row_orders.json`` were computed once from WEKA 3.9.7
(``java -cp weka.jar weka.filters.unsupervised.instance.Randomize -S 42 -i ...``, and
the unsupervised and supervised Resample with and without replacement, -Z and -B, as
each case's ``weka`` field records) and stored; these tests never run Java.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest

from workbench.data.arff import read_arff
from workbench.data.dataset import Attribute, Dataset
from workbench.filters.instances import Randomize, Resample

_REFERENCE = json.loads((Path(__file__).with_name("weka_row_orders.json"))
                        .read_text(encoding="utf-8"))
_FILTERS = {"randomize": Randomize, "resample": Resample}


def _numbered(name: str, iris: Dataset) -> Dataset:
    """The case's data with its 1-based row number as the first attribute."""
    if name == "ids":
        return read_arff(io.StringIO(_REFERENCE["ids_arff"]), class_index=2, name="ids")
    numbers = np.arange(1, iris.num_instances + 1, dtype=float)[:, None]
    return Dataset(iris.relation, [Attribute.numeric("id"), *iris.attributes],
                   np.hstack([numbers, iris.X]), class_index=iris.num_attributes)


@pytest.mark.parametrize("case", _REFERENCE["cases"], ids=lambda c: c["weka"][5:])
def test_the_rows_are_wekas_for_the_same_seed(case, iris):
    data = _numbered(case["data"], iris)
    out = _FILTERS[case["filter"]](**case["params"]).fit_transform(data)
    assert [int(v) for v in out.X[:, 0]] == case["rows"]
