"""Thousands of class values: the evaluation's tables are made a block at a time, the
report leaves out a matrix too large to print, and a task whose tables cannot fit is
refused before training (a 2 MB file with 100 000 class values once asked for 80 GB)."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

import workbench.evaluation.metrics as metrics_module
from workbench.core.errors import WorkbenchError
from workbench.core.registry import default_registry
from workbench.data.dataset import Attribute, Dataset
from workbench.evaluation import TestOption, evaluate
from workbench.evaluation.report import MATRIX_CLASSES_PRINTED

# (the package exports a function of the same name)
evaluate_module = importlib.import_module("workbench.evaluation.evaluate")


def _one_row_per_class(k: int) -> Dataset:
    values = [f"c{i}" for i in range(k)]
    X = np.column_stack([np.arange(k, dtype=float), np.arange(k, dtype=float)])
    return Dataset("many", [Attribute.numeric("x"), Attribute.nominal("class", values)],
                   X).with_class(1)


def _knn_cv(data: Dataset):
    return evaluate(default_registry().create("classifier", "knn"), data,
                    TestOption.cross_validation(5, 1))


def test_blockwise_error_sums_equal_the_whole_table(monkeypatch):
    data = _one_row_per_class(300)
    whole = _knn_cv(data).metrics
    monkeypatch.setattr(metrics_module, "_BLOCK_CELLS", 700)   # blocks of 2 rows
    blocks = _knn_cv(data).metrics
    for name in ("mean_absolute_error", "root_mean_squared_error",
                 "relative_absolute_error", "root_relative_squared_error",
                 "kb_information"):
        assert getattr(blocks, name) == getattr(whole, name), name


def test_curves_beyond_the_limit_are_measured_not_kept(monkeypatch):
    data = _one_row_per_class(50)
    kept = _knn_cv(data).metrics
    monkeypatch.setattr(metrics_module, "CURVE_POINTS_KEPT", 10)
    measured = _knn_cv(data).metrics
    assert len(kept.curves) == 50 and measured.curves == ()
    assert [c.roc_area for c in measured.per_class] == [c.roc_area for c in kept.per_class]


def test_the_flow_chart_draws_its_class_from_results_that_keep_no_curves(monkeypatch):
    # A large result keeps no curves (a two-class set of 500 000 predictions, say): the
    # chart draws the one class it shows from the predictions, as when they were kept.
    from workbench.data.catalog import load_bundled
    from workbench.flow.nodes.base import NodeContext
    from workbench.flow.nodes.viewers import ModelPerformanceChart
    from workbench.flow.ports import THRESHOLD_DATA, ThresholdData

    evaluation = evaluate(default_registry().create("classifier", "naive-bayes"),
                          load_bundled("diabetes"), TestOption.cross_validation(5, 1))
    kept = ThresholdData("NB", "d", tuple(evaluation.metrics.curves), evaluation)
    monkeypatch.setattr(metrics_module, "CURVE_POINTS_KEPT", 10)
    bare_evaluation = evaluate(default_registry().create("classifier", "naive-bayes"),
                               load_bundled("diabetes"), TestOption.cross_validation(5, 1))
    assert bare_evaluation.metrics.curves == ()
    bare = ThresholdData("NB", "d", (), bare_evaluation)
    chart = ModelPerformanceChart()
    drawn = [next(iter(chart.process({THRESHOLD_DATA: [data]},
                                     NodeContext("c", "Chart")).values()))
             for data in (kept, bare)]
    assert drawn[0].title == drawn[1].title
    (first,), (second,) = drawn[0].series, drawn[1].series
    assert first.label == second.label and len(first.x) > 2
    assert np.array_equal(first.x, second.x) and np.array_equal(first.y, second.y)


def test_a_report_leaves_out_a_matrix_too_large_to_print():
    k = MATRIX_CLASSES_PRINTED + 1
    report = evaluate(default_registry().create("classifier", "zeror"),
                      _one_row_per_class(k), TestOption.training_set()).report()
    assert f"(not printed: the class has {k} values, a {k} x {k} matrix" in report
    assert "<-- classified as" not in report
    small = evaluate(default_registry().create("classifier", "zeror"),
                     _one_row_per_class(5), TestOption.training_set()).report()
    assert "<-- classified as" in small


def test_tables_that_cannot_fit_are_refused_before_training(monkeypatch):
    monkeypatch.setattr(evaluate_module, "available_memory", lambda: 50 << 20)
    trained = []
    classifier = default_registry().create("classifier", "zeror")
    monkeypatch.setattr(type(classifier), "_fit",
                        lambda self, *args: trained.append(1))
    with pytest.raises(WorkbenchError, match=r"the class 'class' has 3000 values: "
                       r"evaluating 3000 predictions .* a 3000 x 3000 confusion matrix, "
                       r"about \d+ MiB, more than the 50 MiB of memory free"):
        evaluate(classifier, _one_row_per_class(3000), TestOption.cross_validation(10, 1))
    assert trained == []
