"""Fixtures shared by the readers' tests."""

from __future__ import annotations

import pandas as pd
import pytest


@pytest.fixture
def read_csv_columns(monkeypatch):
    """The number of columns each pandas.read_csv call was asked to make: the wide-file
    readers promise one column of values, never one per attribute."""
    calls: list[int] = []
    original = pd.read_csv

    def counting(*args, **kwargs):
        calls.append(len(kwargs.get("names") or []))
        return original(*args, **kwargs)

    monkeypatch.setattr(pd, "read_csv", counting)
    return calls
