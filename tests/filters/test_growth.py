"""Filters that make data bigger bound their parameters and refuse, before building
anything, an output that would not fit in free memory (filters/growth.py).

Free memory is set with monkeypatch, so every refusal here is of a few MB on a machine
said to have less: nothing large is ever allocated.
"""

from __future__ import annotations

import numpy as np
import pytest

import workbench.filters.growth as growth
from workbench.core.errors import ParameterError
from workbench.data.catalog import load_bundled
from workbench.data.dataset import Attribute, Dataset
from workbench.filters.augment import ImageAugment
from workbench.filters.base import FilterError
from workbench.filters.instances import Resample
from workbench.filters.nominal import NominalToBinary
from workbench.filters.smote import Smote

MB = 2**20


@pytest.fixture(scope="module")
def digits() -> Dataset:
    return load_bundled("digits")


@pytest.fixture
def free(monkeypatch):
    """Set what the kernel says is free, in bytes (None: unknown); and charge every
    result, however small, so that a few MB can stand for gigabytes."""
    monkeypatch.setattr(growth, "ALWAYS_AFFORDABLE", 0)

    def set_free(value: int | None) -> None:
        monkeypatch.setattr(growth, "available_memory", lambda: value)
    return set_free


@pytest.mark.parametrize("make", [
    lambda: Resample(sample_size_percent=200_000),      # the probe's flow
    lambda: Resample(sample_size_percent=10_001),
    lambda: Smote(percentage=5_000_000),
    lambda: Smote(percentage=100_001),
    lambda: ImageAugment(copies=20_000),
    lambda: ImageAugment(copies=101),
])
def test_size_parameters_past_their_bound_are_refused(make):
    with pytest.raises(ParameterError, match="is not allowed"):
        make()


def test_the_bounds_leave_real_use_alone(digits):
    assert Resample(sample_size_percent=10_000).fit(digits).is_fitted
    assert Smote(percentage=100_000).get_params()["percentage"] == 100_000
    assert ImageAugment(copies=100).get_params()["copies"] == 100


def test_resample_refuses_a_sample_that_does_not_fit_naming_the_parameter(digits, free):
    # 1000 % of digits: 17 970 rows x 66 values x 8 bytes = 9 MiB, twice to build and use
    free(10 * MB)
    with pytest.raises(FilterError, match=(
            r"^Resample: sample_size_percent 1000 % of 1,797 instances would make 17,970 "
            r"instances x 65 attributes, 9 MiB; building and using it take about 18 MiB, "
            r"more than the 10 MiB of memory free; lower sample_size_percent \(-Z\) or "
            r"use less data$")):
        Resample(sample_size_percent=1000).fit(digits)
    free(40 * MB)
    assert Resample(sample_size_percent=1000).fit_transform(digits).num_instances == 17_970
    free(None)   # unknown: nothing is refused
    assert Resample(sample_size_percent=1000).fit(digits).is_fitted


def test_resample_charges_a_sparse_sample_by_its_stored_values(free):
    import scipy.sparse as sp

    X = sp.random(1000, 10_000, density=0.001, format="csr", random_state=0)
    data = Dataset("sparse", [Attribute.numeric(f"a{j}") for j in range(10_000)], X)
    free(40 * MB)   # dense, 100 000 rows would be 7.5 GiB; as held, 13 MiB
    assert Resample(sample_size_percent=10_000).fit(data).is_fitted
    free(20 * MB)
    with pytest.raises(FilterError, match=r"100,000 instances x 10,000 attributes, 13 MiB"):
        Resample(sample_size_percent=10_000).fit(data)


def test_smote_refuses_before_oversampling(digits, free):
    free(30 * MB)
    with pytest.raises(FilterError, match=r"^SMOTE: percentage 10000 % of the smallest "
                       r"class would make 19,197 instances x 65 attributes, 10 MiB; .*"
                       r"lower percentage \(-P\)"):
        Smote(percentage=10_000).fit(digits)
    free(10 * MB)
    with pytest.raises(FilterError, match=r"percentage 0 \(every class as large as the "
                       r"largest\)"):
        Smote(percentage=0).fit(digits.select_rows(np.tile(np.arange(1797), 4)))


def test_image_augment_refuses_before_copying(digits, free):
    free(20 * MB)
    with pytest.raises(FilterError, match=r"^ImageAugment: copies 10 per image of 1,797 "
                       r"would make 19,767 instances x 65 attributes, 10 MiB; .*lower "
                       r"copies \(-M\)"):
        ImageAugment(copies=10).fit(digits)
    assert ImageAugment(copies=1).fit(digits.select_rows(slice(0, 50))).is_fitted


def test_nominal_to_binary_refuses_a_header_of_many_values(free):
    # 100 rows of one nominal attribute declaring 100 000 values: 76 MiB of indicators
    data = Dataset("wide", [Attribute.nominal("n", [f"v{i}" for i in range(100_000)]),
                            Attribute.nominal("class", ["a", "b"])],
                   np.zeros((100, 2)), class_index=1)
    free(100 * MB)
    with pytest.raises(FilterError, match=r"^NominalToBinary: attribute_indices "
                       r"'first-last' \(one column for each of the 100,000 values of 1 "
                       r"nominal attributes\) would make 100 instances x 100,001 "
                       r"attributes, 76 MiB; .*lower attribute_indices \(-R\)"):
        NominalToBinary().fit_transform(data)
