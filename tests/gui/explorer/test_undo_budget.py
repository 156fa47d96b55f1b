"""The Explorer's undo steps are bounded in bytes as well as in number, the oldest go
first, and the status line says when one can no longer be undone."""

from __future__ import annotations

import numpy as np
from explorer_helpers import dataset_path, open_and_wait

from workbench.data.dataset import Attribute, Dataset


def _copy(data: Dataset, shift: float) -> Dataset:
    """A filter's result with its own value matrix, as Standardize gives (the first
    attribute shifted by ``shift``)."""
    X = data.dense_values().copy()
    X[:, 0] += shift
    return Dataset(data.relation, data.attributes, X, data.weights.copy(), data.class_index)


def test_steps_past_the_byte_budget_are_dropped_oldest_first_and_said(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    iris = explorer.dataset
    one_copy = iris.X.nbytes + iris.weights.nbytes
    explorer.undo_budget = int(2.5 * one_copy)        # room for two steps, not three
    steps = [_copy(iris, k) for k in (1.0, 2.0, 3.0)]
    explorer.replace_dataset(steps[0], "applied A")
    explorer.replace_dataset(steps[1], "applied B")
    assert "can no longer be undone" not in explorer.status.activity.text()
    explorer.replace_dataset(steps[2], "applied C")
    assert [what for _data, what in explorer.undo_stack] == ["applied B", "applied C"]
    line = explorer.status.activity.text()
    assert "'applied A' can no longer be undone" in line and "for undo" in line
    explorer.undo()
    explorer.undo()
    assert explorer.dataset is steps[0]
    assert explorer.undo_action.isEnabled() is False   # iris itself was dropped


def test_the_latest_step_is_kept_even_past_the_budget(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    iris = explorer.dataset
    explorer.undo_budget = 10
    explorer.replace_dataset(_copy(iris, 2.0), "applied A")
    explorer.replace_dataset(_copy(iris, 3.0), "applied B")
    assert [what for _data, what in explorer.undo_stack] == ["applied B"]
    explorer.undo()
    assert explorer.dataset.X[0, 0] == iris.X[0, 0] + 2.0


def test_a_step_that_shares_the_values_costs_nothing(qtbot, explorer):
    """A class change or a rename keeps the value matrix: no copy, no bytes counted."""
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    explorer.undo_budget = 10
    for k in range(5):
        explorer.replace_dataset(explorer.dataset.with_relation(f"iris-{k}"), f"step {k}")
    assert len(explorer.undo_stack) == 5


def test_held_bytes_count_a_shared_buffer_once_and_views_by_their_base():
    from workbench.gui.explorer import undo_budget

    X = np.zeros((100, 10))
    data = Dataset("d", [Attribute.numeric(f"a{j}") for j in range(10)], X)
    half = data.select_rows(slice(0, 50))          # a view of X
    other = _copy(data, 2.0)
    steps = [(data, "a"), (half, "b")]
    assert undo_budget.held_bytes(steps, other) == X.nbytes + data.weights.nbytes
    assert undo_budget.held_bytes(steps, data) == 0


def test_the_default_budget_is_a_share_of_the_free_memory(monkeypatch):
    from workbench.gui.explorer import undo_budget

    monkeypatch.setattr(undo_budget, "available_memory", lambda: 8 << 30)
    assert undo_budget.undo_budget() == 2 << 30
    monkeypatch.setattr(undo_budget, "available_memory", lambda: None)
    assert undo_budget.undo_budget() == undo_budget.FALLBACK_BUDGET


def test_a_dropped_step_is_freed_after_apply(qtbot, explorer):
    """The Apply button's job held the dataset it filtered for as long as the window
    lived, so dropping undo steps freed nothing (RSS +61 MB a step on MNIST)."""
    import gc
    import weakref

    from PySide6.QtCore import QCoreApplication, QEvent
    from test_preprocess_filter_panel import apply

    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    explorer.undo_budget = 10          # only the latest step is kept
    apply(qtbot, explorer, "standardize")
    first = weakref.ref(explorer.dataset.X)
    apply(qtbot, explorer, "normalize")
    apply(qtbot, explorer, "standardize")
    assert len(explorer.undo_stack) == 1
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    assert first() is None
