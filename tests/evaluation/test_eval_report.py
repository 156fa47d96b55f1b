# ruff: noqa: W291, E501  (WEKA's report has trailing spaces and 110-column rows)
"""The WEKA text layout, the JSON report and the predictions CSV."""

from __future__ import annotations

import csv
import json
import math

import numpy as np
import pytest
from eval_standins import NearestStandIn, load, nominal_dataset

from workbench.data.dataset import Attribute, Dataset
from workbench.evaluation import TestOption, evaluate
from workbench.evaluation.metrics import compute_metrics
from workbench.evaluation.report import (
    json_report,
    matrix_text,
    predictions_table,
    write_predictions_csv,
)
from workbench.evaluation.results import Results

WEKA_ZEROR_IRIS = """\
=== Stratified cross-validation ===
=== Summary ===

Correctly Classified Instances          50               33.3333 %
Incorrectly Classified Instances       100               66.6667 %
Kappa statistic                          0     
Mean absolute error                      0.4444
Root mean squared error                  0.4714
Relative absolute error                100      %
Root relative squared error            100      %
Total Number of Instances              150     

=== Detailed Accuracy By Class ===

                 TP Rate  FP Rate  Precision  Recall   F-Measure  MCC      ROC Area  PRC Area  Class
                 1.000    1.000    0.333      1.000    0.500      ?        0.500     0.333     Iris-setosa
                 0.000    0.000    ?          0.000    ?          ?        0.500     0.333     Iris-versicolor
                 0.000    0.000    ?          0.000    ?          ?        0.500     0.333     Iris-virginica
Weighted Avg.    0.333    0.333    ?          0.333    ?          ?        0.500     0.333     

=== Confusion Matrix ===

  a  b  c   <-- classified as
 50  0  0 |  a = Iris-setosa
 50  0  0 |  b = Iris-versicolor
 50  0  0 |  c = Iris-virginica
"""


def test_zeror_on_iris_prints_wekas_report_verbatim():
    from workbench.classifiers.zeror import ZeroR

    ev = evaluate(ZeroR(), load("iris.arff"), TestOption.cross_validation(10, seed=1))
    text = ev.report()
    assert text.startswith("=== Run information ===\n\nScheme:       ZeroR\n"
                           "Relation:     iris\nInstances:    150\nAttributes:   5\n"
                           "              sepallength\n")
    assert "Test mode:    10-fold cross-validation\n\n=== Classifier model (full " in text
    assert WEKA_ZEROR_IRIS in text


def test_fractional_confusion_matrix_follows_wekas_layout():
    header = Dataset("w", [Attribute.nominal("c", ["c0", "c1"])], np.zeros((0, 1)),
                     class_index=0)
    results = Results(header, "x", "x")
    results.add_fold(run=0, fold=0, indices=np.arange(3), actual=np.array([0, 1, 1.0]),
                     distribution=np.array([[1.0, 0], [1.0, 0], [0, 1.0]]),
                     weights=np.array([1.5, 0.25, 2.0]), train=None)
    text = matrix_text(compute_metrics(results))
    assert text == ("=== Confusion Matrix ===\n\n a    b      <-- classified as\n"
                    " 1.5  0    |    a = c0\n 0.25 2    |    b = c1\n")


def test_more_than_26_classes_get_two_letter_ids():
    k = 28
    header = Dataset("w", [Attribute.nominal("c", [f"v{i}" for i in range(k)])],
                     np.zeros((0, 1)), class_index=0)
    results = Results(header, "x", "x")
    results.add_fold(run=0, fold=0, indices=np.arange(k), actual=np.arange(k, dtype=float),
                     distribution=np.eye(k), train=None)
    text = matrix_text(compute_metrics(results))
    assert "| aa = v26\n" in text and "| ab = v27\n" in text and "|  a = v0\n" in text
    assert "  y  z aa ab   <-- classified as\n" in text


def test_json_report_has_the_documented_fields_and_no_nan(tmp_path):
    ev = evaluate(NearestStandIn(), nominal_dataset(n=30), TestOption.cross_validation(3))
    report = json_report(ev.results, ev.metrics)
    for key in ("accuracy", "correct", "incorrect", "kappa", "mean_absolute_error",
                "root_mean_squared_error", "relative_absolute_error",
                "root_relative_squared_error", "num_instances", "classes",
                "confusion_matrix", "per_class", "weighted_avg"):
        assert key in report
    assert set(report["per_class"][0]) == {"class", "tp_rate", "fp_rate", "precision",
                                           "recall", "f_measure", "mcc", "roc_area",
                                           "prc_area"}
    text = json.dumps(report, allow_nan=False)
    assert json.loads(text)["accuracy"] == pytest.approx(ev.metrics.pct_correct)


def test_predictions_csv_header_and_rows(tmp_path):
    data = nominal_dataset(n=12, k=2, missing=1)
    ev = evaluate(NearestStandIn(), data, TestOption.cross_validation(3))
    path = tmp_path / "p.csv"
    write_predictions_csv(ev.results, path)
    rows = list(csv.reader(path.open()))
    assert rows[0] == ["instance", "actual", "predicted", "error", "p(c0)", "p(c1)"]
    assert len(rows) == 13
    _header, table = predictions_table(ev.results)
    for row in table:
        index = int(row[0]) - 1
        assert row[1] == ("?" if math.isnan(data.class_values[index])
                          else f"c{int(data.class_values[index])}")
        assert row[3] == ("+" if row[1] != "?" and row[1] != row[2] else "")
    assert not list(tmp_path.glob(".*tmp"))


def test_unclassified_and_unknown_class_lines():
    from workbench.evaluation.report import summary_text

    header = Dataset("u", [Attribute.nominal("c", ["a", "b"])], np.zeros((0, 1)),
                     class_index=0)
    train = Dataset("t", header.attributes, np.array([[0.0], [1.0]]), class_index=0)
    results = Results(header, "x", "x")
    results.add_fold(run=0, fold=0, indices=np.arange(4),
                     actual=np.array([0, 1, 1, np.nan]),
                     distribution=np.array([[1.0, 0], [0, 0], [0.2, 0.8], [1.0, 0]]),
                     train=train)
    text = summary_text(compute_metrics(results))
    assert "Correctly Classified Instances           2               66.6667 %\n" in text
    assert "UnClassified Instances                   1               33.3333 %\n" in text
    assert "Total Number of Instances                3     \n" in text
    assert "Ignored Class Unknown Instances" + " " * 18 + "1     \n" in text
