"""The per-run numbers an experiment can record, named as the results table names them.

Each measure is read from the same ``Metrics`` the Explorer's report shows, so a cell of
the Experimenter's table is the mean of numbers a user can reproduce one run at a time.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from workbench.evaluation.metrics import Metrics


@dataclass(frozen=True)
class Measure:
    """One recordable number; ``nominal_only`` ones are NaN for a numeric class."""

    name: str
    description: str
    read: Callable[[Metrics], float]
    nominal_only: bool = False
    higher_is_better: bool = True
    #: The column WEKA's Experimenter writes it in (``ClassifierSplitEvaluator``'s, or
    #: ``RegressionSplitEvaluator``'s for the correlation), in the same unit: an ARFF
    #: results file names it so, and ``--metric`` accepts either name.
    weka: str = ""


def _weighted(field: str) -> Callable[[Metrics], float]:
    def read(m: Metrics) -> float:
        avg = m.weighted_avg
        return float(getattr(avg, field)) if avg is not None else math.nan
    return read


MEASURES: dict[str, Measure] = {m.name: m for m in (
    Measure("accuracy", "percent correct", lambda m: m.pct_correct, True,
            weka="Percent_correct"),
    Measure("error_rate", "percent incorrect", lambda m: m.pct_incorrect, True,
            higher_is_better=False, weka="Percent_incorrect"),
    Measure("kappa", "Cohen's kappa statistic", lambda m: m.kappa, True,
            weka="Kappa_statistic"),
    Measure("mae", "mean absolute error", lambda m: m.mean_absolute_error,
            higher_is_better=False, weka="Mean_absolute_error"),
    Measure("rmse", "root mean squared error", lambda m: m.root_mean_squared_error,
            higher_is_better=False, weka="Root_mean_squared_error"),
    Measure("rae", "relative absolute error (%)", lambda m: m.relative_absolute_error,
            higher_is_better=False, weka="Relative_absolute_error"),
    Measure("rrse", "root relative squared error (%)",
            lambda m: m.root_relative_squared_error, higher_is_better=False,
            weka="Root_relative_squared_error"),
    Measure("f_measure", "weighted average F-measure", _weighted("f_measure"), True,
            weka="Weighted_avg_F_measure"),
    Measure("auc", "weighted average area under the ROC curve", _weighted("roc_area"),
            True, weka="Weighted_avg_area_under_ROC"),
    Measure("correlation", "correlation coefficient (numeric class)",
            lambda m: m.correlation, weka="Correlation_coefficient"),
)}


# The seconds every run records beside its measures (``runs.TIME_COLUMNS``): they are
# compared too, and less time is better.
TIMES = ("train_seconds", "test_seconds")


#: WEKA's Experimenter's names of the other columns we record: the run's sizes and times
#: (seconds in both).
WEKA_SIZES_AND_TIMES: dict[str, str] = {
    "num_train": "Number_of_training_instances",
    "num_test": "Number_of_testing_instances",
    "train_seconds": "Elapsed_Time_training",
    "test_seconds": "Elapsed_Time_testing",
}


def weka_names() -> dict[str, str]:
    """Our column -> the column WEKA's Experimenter writes the same number in."""
    return {**{m.name: m.weka for m in MEASURES.values()}, **WEKA_SIZES_AND_TIMES}


def our_metric(name: str, columns: Iterable[str]) -> str:
    """The column of ``columns`` that ``name`` means: itself when there, else ours for
    WEKA's name of it (``Percent_correct`` is ``accuracy``), so a WEKA user's measure
    names work on any results table; ``name`` unchanged when neither is there."""
    columns = list(columns)
    if name in columns:
        return name
    ours = {weka.casefold(): mine for mine, weka in weka_names().items()}
    mine = ours.get(name.casefold())
    return mine if mine is not None and mine in columns else name


def higher_is_better(name: str) -> bool:
    """Whether a larger value of ``name`` is better: the measure's own direction, less
    time for the run times, and for an unknown column assume so."""
    if name in TIMES:
        return False
    measure = MEASURES.get(name)
    return measure.higher_is_better if measure is not None else True


def measure_names() -> list[str]:
    return list(MEASURES)


def read_measures(metrics: Metrics, names: tuple[str, ...]) -> dict[str, float]:
    """The chosen measures of one run, NaN where one does not apply to the class type."""
    out: dict[str, float] = {}
    for name in names:
        measure = MEASURES[name]
        if measure.nominal_only and not metrics.nominal:
            out[name] = math.nan
        else:
            out[name] = float(measure.read(metrics))
    return out
