"""The report's attribute list follows WEKA's Explorer (ClassifierPanel): names are listed
while there are fewer than 100 attributes; from 100 on, "[list of attributes omitted]"."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.classifiers.zeror import ZeroR
from workbench.data.dataset import Attribute, Dataset
from workbench.evaluation import TestOption, evaluate


def _wide(columns: int) -> Dataset:
    rng = np.random.default_rng(0)
    attributes = [Attribute.numeric(f"a{j}") for j in range(columns - 1)]
    attributes.append(Attribute.nominal("class", ["x", "y"]))
    values = np.column_stack([rng.normal(size=(6, columns - 1)), [0, 1, 0, 1, 0, 1]])
    return Dataset("wide", attributes, values, class_index=columns - 1)


@pytest.mark.parametrize(("columns", "listed"), [(99, True), (100, False), (785, False)])
def test_attribute_names_are_listed_below_100_attributes_only(columns, listed):
    report = evaluate(ZeroR(), _wide(columns), TestOption.training_set()).report()
    head = report.split("Test mode:")[0]
    assert f"Attributes:   {columns}\n" in head
    assert ("              a0\n" in head) is listed
    assert ("              [list of attributes omitted]\n" in head) is not listed
    if not listed:
        assert head.count("\n") == 7  # the header lines and the one "omitted" line
