"""What the viewers accept: an ``Evaluation``, its ``Results``, or a list of them.

The Explorer's result list holds ``Evaluation`` objects, the flow's viewer nodes pass
``Results`` along a link; both should open the same viewer, so viewers call these
helpers instead of checking types themselves.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from workbench.core.errors import WorkbenchError
from workbench.data.dataset import Dataset
from workbench.evaluation.results import Results


def as_results(source: Any) -> Results:
    """The ``Results`` inside an ``Evaluation`` or the ``Results`` itself."""
    results = getattr(source, "results", source)
    if not isinstance(results, Results):
        raise WorkbenchError(f"expected evaluation results, got {type(source).__name__}")
    return results


def as_dataset(source: Any, dataset: Dataset | None) -> Dataset | None:
    """The evaluated data: given explicitly, or carried by an ``Evaluation``."""
    if dataset is not None:
        return dataset
    data = getattr(source, "dataset", None)
    return data if isinstance(data, Dataset) else None


def confusion_counts(results: Results) -> np.ndarray:
    """Weighted ``(actual, predicted)`` counts; unclassified and missing-class rows are
    left out, as WEKA's matrix does."""
    if not results.nominal:
        raise WorkbenchError(f"{results.classifier}: a confusion matrix needs a nominal "
                             f"class")
    k = results.num_classes
    actual, predicted, weights = results.actual, results.predicted, results.weights
    ok = ~np.isnan(actual) & ~np.isnan(predicted)
    matrix = np.zeros((k, k))
    np.add.at(matrix, (actual[ok].astype(np.intp), predicted[ok].astype(np.intp)), weights[ok])
    return matrix
