"""Helpers for the filter tests (a module name no other test folder uses)."""

from __future__ import annotations

from workbench.data.dataset import Dataset


def poisoned(dataset: Dataset, value: float = 1e9) -> Dataset:
    """The same header with every non-class value replaced by a huge number."""
    X = dataset.dense_values().copy()
    for j, attribute in enumerate(dataset.attributes):
        if j != dataset.class_index and attribute.is_numeric:
            X[:, j] = value
    return Dataset(dataset.relation, dataset.attributes, X, dataset.weights,
                   dataset.class_index)


def empty_like(dataset: Dataset) -> Dataset:
    return dataset.header()
