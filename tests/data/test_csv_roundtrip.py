"""Property: any dataset CSV can hold reads back with the same values it was written with."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.data.csv import read_csv, write_csv
from workbench.data.dataset import Attribute, Dataset

# Labels a CSV file can hold unambiguously: not a missing marker, and (for the test)
# never purely numeric, since a nominal column of numbers is forced on reading anyway.
labels = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00")
    | st.sampled_from([",", ";", "\t", '"', "'", "\n", "\r", " ", "\\"]),
    min_size=1, max_size=12,
).filter(lambda s: s not in ("?",) and s.strip(" ") != "")
numbers = st.floats(allow_nan=True, allow_infinity=True, width=64)


@st.composite
def datasets(draw):
    n = draw(st.integers(1, 12))
    pool = draw(st.lists(labels, min_size=1, max_size=5, unique=True))
    strings = draw(st.lists(labels, min_size=1, max_size=5, unique=True))
    x = draw(st.lists(numbers, min_size=n, max_size=n))
    c = draw(st.lists(st.one_of(st.none(), st.integers(0, len(pool) - 1)), min_size=n,
                      max_size=n))
    s = draw(st.lists(st.one_of(st.none(), st.integers(0, len(strings) - 1)), min_size=n,
                      max_size=n))
    X = np.array([[xi, np.nan if ci is None else ci, np.nan if si is None else si]
                  for xi, ci, si in zip(x, c, s, strict=True)], dtype=float)
    attributes = [Attribute.numeric("x"), Attribute.nominal("c", pool),
                  Attribute.string("s", strings)]
    return Dataset("r", attributes, X)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_written_values_read_back_unchanged(dataset):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.csv"
        write_csv(dataset, path)
        back = read_csv(path, numeric=["x"], nominal=["c"], string=["s"])
    assert back.num_instances == dataset.num_instances
    np.testing.assert_array_equal(back.column("x"), dataset.column("x"))
    for key in ("c", "s"):
        assert [back.value_text(i, key) for i in range(len(back))] == \
            [dataset.value_text(i, key) for i in range(len(dataset))]
