"""Resample's -V (invert): the rows a sample without replacement leaves out, as WEKA.

WEKA users split a file in two disjoint parts with ``Resample -S 1 -Z 50
-no-replacement`` and the same with ``-V``; ``workbench filter Resample`` had no -V.
The expected rows are WEKA 3.9.7's output (``java weka.filters.unsupervised.instance.
Resample -S 1 -Z 50 -no-replacement -V -i iris.arff``, and ``supervised`` with ``-c
last``), as 0-based rows of iris in WEKA's output order.
"""

import numpy as np
import pytest

from workbench.cli import main
from workbench.core.errors import ParameterError
from workbench.data.io import load_dataset
from workbench.filters.instances import Resample

WEKA_UNSUPERVISED_V = [
    139, 1, 2, 3, 145, 5, 6, 106, 8, 9, 75, 81, 12, 140, 132, 98, 16, 17, 18, 79, 83, 21,
    22, 23, 76, 25, 149, 120, 28, 29, 107, 31, 125, 33, 138, 102, 36, 34, 110, 39, 40, 105,
    123, 43, 127, 45, 126, 47, 48, 49, 143, 51, 99, 53, 54, 92, 91, 121, 101, 59, 82, 77,
    118, 142, 64, 65, 66, 116, 68, 69, 70, 71, 86, 73, 144]
WEKA_SUPERVISED_V = [
    45, 36, 2, 3, 25, 5, 43, 47, 8, 32, 38, 40, 12, 33, 14, 15, 16, 17, 27, 19, 20, 48, 22,
    23, 24, 81, 51, 52, 53, 54, 80, 78, 57, 58, 99, 89, 61, 77, 86, 95, 94, 66, 67, 68, 69,
    84, 71, 93, 73, 74, 139, 101, 145, 103, 132, 131, 133, 107, 108, 109, 137, 111, 138,
    126, 141, 115, 136, 146, 118, 129, 128, 142, 122, 123, 124]


@pytest.mark.parametrize("stratified, expected", [(False, WEKA_UNSUPERVISED_V),
                                                  (True, WEKA_SUPERVISED_V)])
def test_inverted_sample_is_wekas_rows_in_wekas_order(iris, stratified, expected):
    out = Resample(sample_size_percent=50, replacement=False, seed=1, invert=True,
                   stratified=stratified).fit_transform(iris)
    np.testing.assert_array_equal(out.X, iris.X[expected])


def test_the_sample_and_its_inverse_split_the_data(iris):
    keep = Resample(sample_size_percent=30, replacement=False, seed=7).fit_transform(iris)
    rest = Resample(sample_size_percent=30, replacement=False, seed=7,
                    invert=True).fit_transform(iris)
    assert keep.num_instances + rest.num_instances == iris.num_instances
    both = sorted(map(tuple, np.vstack([keep.X, rest.X])))
    assert both == sorted(map(tuple, iris.X))


def test_invert_with_replacement_is_refused_as_weka_refuses_it(iris):
    with pytest.raises(ParameterError, match="add -no-replacement"):
        Resample(invert=True).fit(iris)


def test_the_command_line_takes_wekas_v_and_names_it_in_the_relation(tmp_path):
    out = tmp_path / "rest.arff"
    assert main(["filter", "Resample", "-S", "1", "-Z", "50", "-no-replacement", "-V",
                 "-i", "iris", "-o", str(out)]) == 0
    rest = load_dataset(out)
    assert rest.relation == ("iris-weka.filters.unsupervised.instance.Resample-S1-Z50.0"
                             "-no-replacement-V")
    assert rest.num_instances == 75
