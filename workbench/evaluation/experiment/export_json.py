"""A ``Comparison`` as one JSON document, for scripts (``experiment analyse --json``).

The text table is for reading and the CSV for a spreadsheet; a script wants every number
as a number, the marks with what they mean, and each classifier by both its names: the
one the window and the tables show ("IBk -K 3") and its key in the results table
("knn --k 3"), which is what it selects rows of the results by. The field names are an
interface (documented in docs/user-guide/experimenter.md): add fields, never rename.
A mean or standard deviation that does not exist (no runs, or one) is ``null``, never
NaN, which JSON does not have.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from workbench.evaluation.experiment.analysis import Comparison
from workbench.evaluation.experiment.measures import higher_is_better

TEST_NAME = "corrected resampled paired t-test (Nadeau & Bengio)"


def comparison_json(comparison: Comparison,
                    names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """``comparison`` (keyed by the results table's labels) as a JSON-ready dict, each
    classifier shown by ``names`` (label -> shown name) as the window shows it."""
    shown = comparison.renamed(names or {})
    label_of = dict(zip(shown.classifiers, comparison.classifiers, strict=True))

    def who(name: str) -> dict[str, str]:
        return {"classifier": name, "label": label_of[name]}

    classifiers = []
    for i, name in enumerate(shown.classifiers):
        better, same, worse = shown.counts(name) if i else (None, None, None)
        classifiers.append({**who(name), "baseline": i == 0, "better": better,
                            "same": same, "worse": worse})
    datasets = []
    for dataset in shown.datasets:
        cells: list[dict[str, Any]] = []
        for name in shown.classifiers:
            cell = shown.cells[(dataset, name)]
            test = shown.tests.get((dataset, name))
            cells.append({**who(name), "mean": _number(cell.mean),
                          "std": _number(cell.std), "runs": cell.count,
                          "mark": cell.marker,
                          "p_value": _number(test.p_value) if test else None})
        runs = max(shown.cells[(dataset, name)].count for name in shown.classifiers)
        datasets.append({"dataset": dataset, "runs": runs, "results": cells})
    return {
        "metric": shown.metric,
        "higher_is_better": higher_is_better(shown.metric),
        "baseline": who(shown.baseline),
        "significance": shown.significance,
        "test": TEST_NAME,
        "marks": {"v": "significantly better than the baseline",
                  "*": "significantly worse than the baseline",
                  "": "no significant difference", "legend": shown.legend},
        "classifiers": classifiers,
        "datasets": datasets,
        "ranking": [{**who(e.classifier), "score": e.score, "wins": e.wins,
                     "losses": e.losses} for e in shown.ranking],
    }


def _number(value: float) -> float | None:
    """A number JSON can hold; null for none (NaN) and for an infinity, which JSON has
    no word for (a mean of values near the float limit can overflow)."""
    return value if math.isfinite(value) else None
