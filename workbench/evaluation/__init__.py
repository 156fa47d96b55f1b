"""Evaluation layer: WEKA-compatible resampling, predictions, metrics, curves and reports.

Everything a report shows is computed from one ``Results`` (DESIGN.md, Evaluation), so the
summary, the confusion matrix, the curves and the JSON always agree.
"""

from workbench.core.weka.javarandom import JavaRandom
from workbench.evaluation.curves import ThresholdCurve, threshold_curve
from workbench.evaluation.evaluate import Evaluation, TestOption, evaluate, scheme_text
from workbench.evaluation.learning import LearningCurve, learning_curve, overlay_curves
from workbench.evaluation.metrics import ClassStats, Metrics, compute_metrics
from workbench.evaluation.report import (
    RunInfo,
    json_report,
    predictions_table,
    weka_report,
    write_predictions_csv,
)
from workbench.evaluation.resampling import (
    Fold,
    cross_validation_folds,
    percentage_split,
    randomize,
    stratify,
    test_cv,
    train_cv,
)
from workbench.evaluation.results import FoldResult, Results

__all__ = [
    "ClassStats",
    "Evaluation",
    "Fold",
    "FoldResult",
    "JavaRandom",
    "LearningCurve",
    "Metrics",
    "Results",
    "RunInfo",
    "TestOption",
    "ThresholdCurve",
    "compute_metrics",
    "cross_validation_folds",
    "evaluate",
    "json_report",
    "learning_curve",
    "overlay_curves",
    "percentage_split",
    "predictions_table",
    "randomize",
    "scheme_text",
    "stratify",
    "test_cv",
    "threshold_curve",
    "train_cv",
    "weka_report",
    "write_predictions_csv",
]
