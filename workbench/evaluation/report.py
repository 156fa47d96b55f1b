"""The WEKA Explorer's report, a JSON report and a predictions CSV, all from one Results.

The text follows WEKA 3.8's ``ClassifierPanel`` and ``Evaluation.toSummaryString`` /
``toClassDetailsString`` / ``toMatrixString`` to the character: labels padded to WEKA's
columns, numbers through WEKA's own formatters (see ``javaformat``), ``?`` for values
WEKA cannot compute. Users diff our output against WEKA's, so no "improvements" here.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from os import PathLike
from typing import Any

import numpy as np

from workbench.core import atomic
from workbench.core.errors import WorkbenchError
from workbench.core.weka.javaformat import (
    double_to_string,
    double_to_string_width,
    format_fixed,
)
from workbench.data.dataset import Dataset, format_value
from workbench.evaluation.metrics import ClassStats, Metrics
from workbench.evaluation.results import Results

_ID_CHARS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class RunInfo:
    """What the "Run information" block and the model section show.

    ``scheme`` is the run's name, the classifier with its non-default options ("IBk -K
    3"); ``scheme_line`` the same with every option, defaults included, which the
    Scheme line shows as WEKA's does (None: ``scheme``); ``model_text`` the fitted
    model's description (None to leave the model section out); ``evaluation_title`` the
    heading of the evaluation section ("Stratified cross-validation", ...);
    ``test_time`` the seconds spent testing, printed where WEKA prints it.
    """

    scheme: str
    dataset: Dataset
    test_mode: str
    evaluation_title: str
    scheme_line: str | None = None
    model_text: str | None = None
    build_time: float = 0.0
    test_time: str | None = None   # e.g. "test split" -> "Time taken to test model on ..."
    test_seconds: float = 0.0
    cost_matrix: np.ndarray | None = None
    warnings: tuple[str, ...] = ()   # see ``diagnosis``: printed after WEKA's text


# Summary ------------------------------------------------------------------------------
def summary_text(metrics: Metrics, title: str = "=== Summary ===\n",
                 complexity: bool = False) -> str:
    """``Evaluation.toSummaryString(title, printComplexityStatistics)``."""
    def num(value: float) -> str:
        return double_to_string_width(value, 12, 4)

    out = [title, "\n"]
    if metrics.num_instances > 0:
        if metrics.nominal:
            out.append(f"Correctly Classified Instances     {num(metrics.correct)}     "
                       f"{num(metrics.pct_correct)} %\n")
            out.append(f"Incorrectly Classified Instances   {num(metrics.incorrect)}     "
                       f"{num(metrics.pct_incorrect)} %\n")
            out.append(f"Kappa statistic                    {num(metrics.kappa)}\n")
            if metrics.total_cost is not None:
                out.append(f"Total Cost                         {num(metrics.total_cost)}\n")
                out.append(f"Average Cost                       "
                           f"{num(metrics.average_cost or 0.0)}\n")
            if complexity and metrics.use_priors:
                out.append(f"K&B Relative Info Score            "
                           f"{num(metrics.kb_relative_information)} %\n")
                out.append(f"K&B Information Score              "
                           f"{num(metrics.kb_information)} bits"
                           f"{num(metrics.kb_mean_information)} bits/instance\n")
        else:
            out.append(f"Correlation coefficient            {num(metrics.correlation)}\n")
        if complexity and metrics.nominal and metrics.use_priors:
            out.append(f"Class complexity | order 0         {num(metrics.prior_entropy)} bits"
                       f"{num(metrics.mean_prior_entropy)} bits/instance\n")
            out.append(f"Class complexity | scheme          {num(metrics.scheme_entropy)} bits"
                       f"{num(metrics.mean_scheme_entropy)} bits/instance\n")
            out.append(f"Complexity improvement     (Sf)    {num(metrics.entropy_gain)} bits"
                       f"{num(metrics.mean_entropy_gain)} bits/instance\n")
        out.append(f"Mean absolute error                {num(metrics.mean_absolute_error)}\n")
        out.append(f"Root mean squared error            "
                   f"{num(metrics.root_mean_squared_error)}\n")
        if metrics.use_priors:
            out.append(f"Relative absolute error            "
                       f"{num(metrics.relative_absolute_error)} %\n")
            out.append(f"Root relative squared error        "
                       f"{num(metrics.root_relative_squared_error)} %\n")
    if metrics.unclassified > 0:
        out.append(f"UnClassified Instances             {num(metrics.unclassified)}     "
                   f"{num(metrics.pct_unclassified)} %\n")
    out.append(f"Total Number of Instances          {num(metrics.num_instances)}\n")
    if metrics.missing_class > 0:
        out.append(f"Ignored Class Unknown Instances            "
                   f"{num(metrics.missing_class)}\n")
    return "".join(out)


# Detailed accuracy by class -----------------------------------------------------------
_COLUMNS = (("tp_rate", "TP Rate  ", 9), ("fp_rate", "FP Rate  ", 9),
            ("precision", "Precision  ", 11), ("recall", "Recall   ", 9),
            ("f_measure", "F-Measure  ", 11), ("mcc", "MCC      ", 9),
            ("roc_area", "ROC Area  ", 10), ("prc_area", "PRC Area  ", 10))


def _stat_row(stats: ClassStats) -> str:
    parts = []
    for field_name, _, width in _COLUMNS:
        value = getattr(stats, field_name)
        parts.append("?".ljust(width) if math.isnan(value) else format_fixed(value, width))
    return "".join(parts)


def class_details_text(metrics: Metrics,
                       title: str = "=== Detailed Accuracy By Class ===\n") -> str:
    """``Evaluation.toClassDetailsString(title)``."""
    head = "".join(label for _, label, _ in _COLUMNS)
    out = [title, "\n                 ", head, "Class\n"]
    for stats in metrics.per_class:
        out.append("                 " + _stat_row(stats) + stats.label + "\n")
    assert metrics.weighted_avg is not None
    out.append("Weighted Avg.    " + _stat_row(metrics.weighted_avg) + "\n")
    return "".join(out)


# Confusion matrix ---------------------------------------------------------------------
def _short_id(num: int, width: int) -> str:
    """``Evaluation.num2ShortID``: a, b, ..., z, aa, ab, ... right-aligned in ``width``."""
    chars = [" "] * width
    i = width - 1
    while i >= 0:
        chars[i] = _ID_CHARS[num % len(_ID_CHARS)]
        num = num // len(_ID_CHARS) - 1
        if num < 0:
            break
        i -= 1
    return "".join(chars)


# The most classes whose confusion matrix a report prints (65 536 cells): WEKA prints
# any, but 10 000 classes make 10^8 cells, gigabytes of text that took minutes to make.
MATRIX_CLASSES_PRINTED = 256


def matrix_text(metrics: Metrics, title: str = "=== Confusion Matrix ===\n") -> str:
    """``Evaluation.toMatrixString(title)``: actual rows, predicted columns (beyond
    ``MATRIX_CLASSES_PRINTED`` classes, a line saying why it is left out)."""
    matrix = metrics.confusion_matrix
    k = len(metrics.class_names)
    if k > MATRIX_CLASSES_PRINTED:
        return (f"{title}\n(not printed: the class has {k} values, a {k} x {k} matrix; "
                f"reports print it for up to {MATRIX_CLASSES_PRINTED} classes)\n")
    maxval = 0.0
    fractional = False
    for value in matrix.ravel():
        current = value * -10 if value < 0 else value
        maxval = max(maxval, current)
        fract = current - _rint(current)
        if not fractional and fract > 0 and math.log(fract) / math.log(10) >= -2:
            fractional = True
    digits = int(math.log(maxval) / math.log(10) + (3 if fractional else 0)) if maxval > 0 \
        else _java_int_of_neg_inf()
    width = 1 + max(digits, int(math.log(k) / math.log(len(_ID_CHARS))) if k > 0 else 0)
    out = [title, "\n"]
    for i in range(k):
        if fractional:
            out.append(" " + _short_id(i, width - 3) + "   ")
        else:
            out.append(" " + _short_id(i, width))
    out.append("   <-- classified as\n")
    for i in range(k):
        for j in range(k):
            out.append(" " + double_to_string_width(matrix[i, j], width,
                                                    2 if fractional else 0))
        out.append(" | " + _short_id(i, width) + " = " + metrics.class_names[i] + "\n")
    return "".join(out)


def _rint(value: float) -> float:
    """Java's ``Math.rint``: round half to even, like Python's ``round``."""
    return float(round(value))


def _java_int_of_neg_inf() -> int:
    """``(int) (Math.log(0) / Math.log(10))`` in Java is Integer.MIN_VALUE; ``max`` then
    picks the label width, which is what an all-zero matrix shows."""
    return -(2 ** 31)


# The whole report ---------------------------------------------------------------------
def weka_report(results: Results, metrics: Metrics, info: RunInfo,
                complexity: bool = False) -> str:
    """The Explorer's output for one classifier run, as WEKA 3.8 prints it."""
    out = [run_information_text(info), "\n"]
    if info.model_text is not None:
        out.append("=== Classifier model (full training set) ===\n\n")
        # As the Explorer: the model's text, a newline, then a blank line and the time.
        out.append(info.model_text + "\n")
        out.append(f"\nTime taken to build model: {double_to_string(info.build_time, 2)} "
                   f"seconds\n\n")
    out.append(f"=== {info.evaluation_title} ===\n")
    if info.test_time is not None:
        out.append(f"\nTime taken to test model on {info.test_time}: "
                   f"{double_to_string(info.test_seconds, 2)} seconds\n\n")
    out.append(summary_text(metrics, complexity=complexity) + "\n")
    if metrics.nominal:
        out.append(class_details_text(metrics) + "\n")
        out.append(matrix_text(metrics) + "\n")
    # After WEKA's own text, so a diff against WEKA's output still lines up.
    out.append(warnings_text(info.warnings))
    return "".join(out)


def run_information_text(info: RunInfo) -> str:
    """The Explorer's "Run information" block, without the blank line that ends it."""
    data = info.dataset
    out = ["=== Run information ===\n\n"]
    out.append(f"Scheme:       {info.scheme_line or info.scheme}\n")
    out.append(f"Relation:     {data.relation}\n")
    out.append(f"Instances:    {data.num_instances}\n")
    out.append(f"Attributes:   {data.num_attributes}\n")
    if data.num_attributes < 100:
        out.extend(f"              {a.name}\n" for a in data.attributes)
    else:
        out.append("              [list of attributes omitted]\n")
    out.append(f"Test mode:    {info.test_mode}\n")
    if info.cost_matrix is not None:
        out.append("Evaluation cost matrix:\n" + cost_matrix_text(info.cost_matrix) + "\n")
    return "".join(out)


def warnings_text(warnings: tuple[str, ...]) -> str:
    """The "Warnings" block printed after WEKA's text (empty when there are none)."""
    if not warnings:
        return ""
    return "=== Warnings ===\n\n" + "".join(f"{w}\n" for w in warnings) + "\n"


def cost_matrix_text(cost: np.ndarray) -> str:
    """``CostMatrix.toString()``-like: right-aligned columns of the cost values."""
    cells = [[double_to_string(v, 4) for v in row] for row in np.asarray(cost)]
    width = max((len(c) for row in cells for c in row), default=1)
    return "".join(" " + " ".join(c.rjust(width) for c in row) + "\n" for row in cells)


# JSON ---------------------------------------------------------------------------------
def _clean(value: Any) -> Any:
    """JSON has no NaN or infinity: they become null."""
    if isinstance(value, float | np.floating):
        value = float(value)
        return None if math.isnan(value) or math.isinf(value) else value
    return value


def json_report(results: Results, metrics: Metrics, info: RunInfo | None = None
                ) -> dict[str, Any]:
    """One JSON-ready object with every summary number, per-class row and the matrix."""
    report: dict[str, Any] = {
        "classifier": results.classifier,
        "test_mode": results.test_mode,
        "relation": results.header.relation,
        "num_instances": _clean(metrics.num_instances),
        "unclassified": _clean(metrics.unclassified),
        "missing_class": _clean(metrics.missing_class),
        "mean_absolute_error": _clean(metrics.mean_absolute_error),
        "root_mean_squared_error": _clean(metrics.root_mean_squared_error),
        "relative_absolute_error": _clean(metrics.relative_absolute_error),
        "root_relative_squared_error": _clean(metrics.root_relative_squared_error),
    }
    if info is not None:
        report["scheme"] = info.scheme
        report["scheme_line"] = info.scheme_line or info.scheme
        report["build_time_seconds"] = info.build_time
        report["warnings"] = list(info.warnings)
    if metrics.nominal:
        report.update({
            "accuracy": _clean(metrics.pct_correct),
            "correct": _clean(metrics.correct),
            "incorrect": _clean(metrics.incorrect),
            "kappa": _clean(metrics.kappa),
            "classes": list(metrics.class_names),
            "confusion_matrix": [[_clean(v) for v in row]
                                 for row in metrics.confusion_matrix],
            "per_class": [{k: _clean(v) for k, v in s.as_dict().items()}
                          for s in metrics.per_class],
            "weighted_avg": {k: _clean(v) for k, v in metrics.weighted_avg.as_dict().items()
                             if k != "class"} if metrics.weighted_avg else None,
            "kb_information": _clean(metrics.kb_information),
            "kb_relative_information": _clean(metrics.kb_relative_information),
            "scheme_entropy": _clean(metrics.scheme_entropy),
            "prior_entropy": _clean(metrics.prior_entropy),
        })
        if metrics.total_cost is not None:
            report["total_cost"] = _clean(metrics.total_cost)
            report["average_cost"] = _clean(metrics.average_cost)
    else:
        report["correlation_coefficient"] = _clean(metrics.correlation)
    return report


# Predictions CSV ----------------------------------------------------------------------
# The first columns of every predictions CSV: how a file is known to be one of ours.
PREDICTIONS_HEADER = ["instance", "actual", "predicted", "error"]


def predictions_table(results: Results) -> tuple[list[str], list[list[str]]]:
    """Header and rows: instance (1-based row of the evaluated data), actual, predicted,
    error ("+" for a wrong class, predicted - actual for a number), p(<class>) columns."""
    cls = results.header.class_attribute
    assert cls is not None
    header = list(PREDICTIONS_HEADER)
    if results.nominal:
        header += [f"p({label})" for label in results.class_names]
    rows: list[list[str]] = []
    for fold in results.folds:
        for i in range(len(fold.indices)):
            actual, predicted = float(fold.actual[i]), float(fold.predicted[i])
            row = [str(int(fold.indices[i]) + 1), format_value(cls, actual),
                   format_value(cls, predicted)]
            if results.nominal:
                wrong = not math.isnan(actual) and (math.isnan(predicted) or actual != predicted)
                row.append("+" if wrong else "")
                # nominal results always carry their class distributions
                row += [double_to_string(p, 6) for p in fold.distribution[i]]  # type: ignore[index]
            else:
                err = predicted - actual
                row.append("?" if math.isnan(err) else f"{err:.15g}")
            rows.append(row)
    return header, rows


def predictions_csv_text(results: Results) -> str:
    """The predictions table as CSV text (what ``write_predictions_csv`` writes, and
    ``classify --predictions -`` prints)."""
    header, rows = predictions_table(results)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_predictions_csv(results: Results, path: str | PathLike[str]) -> None:
    """Write the predictions table as CSV, atomically (temporary file, then rename)."""
    text = predictions_csv_text(results)
    try:
        write_text_atomic(path, text)
    except WorkbenchError:
        raise
    except OSError as error:   # a full disk names no file: say which one it was
        raise WorkbenchError(f"{path}: cannot write the predictions "
                             f"({error.strerror or error})") from None


def is_predictions_csv(path: str | PathLike[str]) -> bool:
    """Whether ``path`` starts with the header ``write_predictions_csv`` writes, so an
    earlier run's predictions may be replaced and nothing else is."""
    try:
        with open(path, encoding="utf-8", errors="replace", newline="") as handle:
            first = handle.readline(4096).rstrip("\r\n")
    except OSError:
        return False
    return first.split(",")[:4] == PREDICTIONS_HEADER


def write_text_atomic(path: str | PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and a rename,
    so a crash or Ctrl-C never leaves half a file."""
    atomic.write_text_atomic(path, text, newline="")
