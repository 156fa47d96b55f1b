"""The corrected resampled paired t-test against a hand computation, and WEKA's table."""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from workbench.core.errors import WorkbenchError
from workbench.evaluation.experiment import compare, corrected_paired_ttest, export
from workbench.evaluation.experiment.export import csv_notes as export_notes

BASE = [80.0, 82.0, 85.0, 79.0, 84.0]
OTHER = [78.0, 80.0, 80.0, 79.0, 81.0]


def test_t_statistic_matches_a_hand_computation() -> None:
    # d = 2, 2, 5, 0, 3: mean 2.4; squared deviations .16 .16 6.76 5.76 .36 sum to 13.2,
    # sample variance 3.3; corrected t = 2.4 / sqrt((1/5 + 1/9) * 3.3) = 2.368626...
    result = corrected_paired_ttest(np.array(BASE), np.array(OTHER), 1 / 9, 0.05)
    assert result.count == 5
    assert result.mean_difference == pytest.approx(2.4)
    assert result.t == pytest.approx(2.4 / math.sqrt((1 / 5 + 1 / 9) * 3.3), rel=1e-12)
    assert result.t == pytest.approx(2.368626, abs=1e-6)
    assert result.p_value == pytest.approx(2 * stats.t.sf(2.368626, 4), rel=1e-5)
    # t(4) two-tailed critical values: 2.776 at 0.05, 2.132 at 0.10.
    assert result.significance == 0 and result.marker == ""
    at_ten = corrected_paired_ttest(np.array(BASE), np.array(OTHER), 1 / 9, 0.10)
    assert at_ten.significance == 1 and at_ten.marker == "*"
    swapped = corrected_paired_ttest(np.array(OTHER), np.array(BASE), 1 / 9, 0.10)
    assert swapped.significance == -1 and swapped.marker == "v"


def test_correction_is_what_makes_the_difference_insignificant() -> None:
    # The plain paired t-test (ratio 0) gives t = 2.4 / sqrt(3.3 / 5) = 2.954 > 2.776.
    plain = corrected_paired_ttest(np.array(BASE), np.array(OTHER), 0.0, 0.05)
    assert plain.t == pytest.approx(2.4 / math.sqrt(3.3 / 5))
    assert plain.significance == 1


def test_zero_variance_follows_weka() -> None:
    same = corrected_paired_ttest(np.ones(4), np.ones(4), 0.5)
    assert same.p_value == 1.0 and same.significance == 0
    shifted = corrected_paired_ttest(np.full(4, 2.0), np.ones(4), 0.5)
    assert shifted.p_value == 0.0 and shifted.significance == 1


def _table() -> pd.DataFrame:
    """Two datasets, 2 repetitions x 5 folds, four schemes around the baseline."""
    rng = np.random.default_rng(0)
    rows = []
    for dataset in ("alpha", "beta"):
        for rep in (1, 2):
            for fold in range(1, 6):
                noise = rng.normal(0, 0.5)
                values = {"base": 80 + noise, "better": 90 + noise + rng.normal(0, 0.3),
                          "worse": 70 + noise + rng.normal(0, 0.3),
                          "same": 80 + noise + rng.normal(0, 2.0)}
                if dataset == "beta":
                    values["better"] = 80 + noise + rng.normal(0, 0.3)  # a tie there
                for clf, value in values.items():
                    rows.append({"dataset": dataset, "classifier": clf, "repetition": rep,
                                 "fold": fold, "num_train": 90, "num_test": 10,
                                 "accuracy": value, "rmse": 1 - value / 100,
                                 "train_seconds": 0.0, "test_seconds": 0.0})
    return pd.DataFrame(rows)


def test_comparison_marks_significant_wins_and_losses_as_weka() -> None:
    comparison = compare(_table(), "accuracy", "base", 0.05)
    assert comparison.classifiers == ["base", "better", "worse", "same"]
    markers = {key: cell.marker for key, cell in comparison.cells.items()}
    assert markers[("alpha", "better")] == "v"
    assert markers[("alpha", "worse")] == "*"
    assert markers[("alpha", "same")] == ""
    assert markers[("beta", "better")] == ""
    assert markers[("alpha", "base")] == ""
    assert comparison.counts("better") == (1, 1, 0)
    assert comparison.counts("worse") == (0, 0, 2)
    cell = comparison.cells[("alpha", "worse")]
    values = _table().query("dataset == 'alpha' and classifier == 'worse'")["accuracy"]
    assert cell.count == 10
    assert cell.mean == pytest.approx(values.mean())
    assert cell.std == pytest.approx(values.std(ddof=1))
    assert comparison.ranking[0].classifier == "better"
    assert comparison.ranking[-1].classifier == "worse"


def test_markers_follow_the_better_direction_of_a_lower_is_better_measure() -> None:
    comparison = compare(_table(), "rmse", "base")
    # "worse" has the lower accuracy, so the higher rmse: significantly worse, "*";
    # "better" has the lower rmse: significantly better, "v" (WEKA would mark by value).
    assert comparison.cells[("alpha", "worse")].marker == "*"
    assert comparison.cells[("alpha", "better")].marker == "v"
    assert comparison.counts("better") == (1, 1, 0)
    assert comparison.counts("worse") == (0, 0, 2)
    # The test itself stays WEKA's, by value: the baseline's rmse is the lower one.
    assert comparison.tests[("alpha", "worse")].significance == -1
    # The ranking agrees with the marks.
    assert comparison.ranking[0].classifier == "better"
    assert comparison.ranking[-1].classifier == "worse"


@pytest.mark.parametrize("metric", ["error_rate", "mae", "rmse", "rae", "rrse",
                                    "train_seconds", "test_seconds"])
def test_every_lower_is_better_measure_marks_a_lower_value_better(metric: str) -> None:
    table = _table()
    table[metric] = 100 - table["accuracy"]   # the better learner has the lower value
    comparison = compare(table, metric, "base")
    assert comparison.cells[("alpha", "better")].marker == "v"
    assert comparison.cells[("alpha", "worse")].marker == "*"
    assert comparison.legend.endswith(f"lower is better for {metric}")


def test_exports_say_what_the_marks_mean() -> None:
    comparison = compare(_table(), "rmse", "base")
    text = export(comparison, "text")
    assert ("Marks:      v significantly better than (1) base, * significantly worse; "
            "lower is better for rmse") in text
    alpha = next(line for line in text.splitlines() if line.startswith("alpha"))
    assert alpha.split("|")[1].split()[1] == "v"      # (2) better: lower rmse
    latex = export(comparison, "latex")
    assert r"significantly better, worse than (1) base (lower is better for rmse)" in latex
    accuracy = export(compare(_table(), "accuracy", "base"), "text")
    assert "higher is better for accuracy" in accuracy


def test_baseline_moves_to_the_first_column() -> None:
    comparison = compare(_table(), "accuracy", "worse")
    assert comparison.classifiers[0] == "worse"
    assert comparison.cells[("alpha", "base")].marker == "v"


def test_exports_carry_the_markers() -> None:
    comparison = compare(_table(), "accuracy", "base")
    text = export(comparison, "text")
    assert "(v/ /*)" in text and "(1/1/0)" in text and "(0/0/2)" in text
    alpha = next(line for line in text.splitlines() if line.startswith("alpha"))
    assert alpha.count(" v") == 1
    assert " *" in alpha
    csv_text = export(comparison, "csv")
    header, first = csv_text.splitlines()[:2]
    assert header.startswith("dataset,runs,base mean,base std,base marker,better mean")
    assert first.split(",")[7] == "v"
    # what scripts read it with (pandas): a table of data rows only
    frame = pd.read_csv(io.StringIO(csv_text))
    assert list(frame["dataset"]) == comparison.datasets
    assert frame["runs"].dtype.kind == "i" and frame["runs"].sum() > 0
    assert frame["better mean"].dtype.kind == "f"
    assert set(frame["better marker"].fillna("")) <= {"v", "*", ""}
    assert export_notes(comparison) == (
        "marks: v significantly better than (1) base, * significantly worse; higher is "
        "better for accuracy\n(v/ /*): better 1/1/0, worse 0/0/2, same 0/2/0\n")
    latex = export(comparison, "latex")
    assert r"\begin{tabular}" in latex and r"$\circ$" in latex and r"$\bullet$" in latex


def test_a_renamed_comparison_reports_the_names_a_person_chose() -> None:
    comparison = compare(_table(), "accuracy", "base")
    shown = comparison.renamed({"base": "ZeroR", "better": "IBk -K 3"})
    assert shown.classifiers == ["ZeroR", "IBk -K 3", "worse", "same"]
    assert shown.baseline == "ZeroR"
    assert shown.cells[("alpha", "IBk -K 3")] == comparison.cells[("alpha", "better")]
    assert shown.ranking[0].classifier == "IBk -K 3"
    text = export(shown, "text")
    assert "(1) ZeroR" in text and "(2) IBk -K 3" in text and "(1) base" not in text
    # Names that would coincide leave the labels as they are.
    assert comparison.renamed({"base": "x", "better": "x"}) is comparison


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"metric": "speed"}, "no metric 'speed'"),
    ({"baseline": "nobody"}, "no classifier 'nobody'"),
    ({"significance": 1.5}, "significance level"),
])
def test_bad_analysis_requests_are_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(WorkbenchError, match=message):
        compare(_table(), **kwargs)
