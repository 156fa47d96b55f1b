"""ZeroR: the baseline every report compares with.

It ignores the attributes. For a nominal class it predicts the class frequencies of the
training data, Laplace-smoothed (each class starts with a count of one, as WEKA's ZeroR
does), so an empty training set gives a uniform distribution. For a numeric class it
predicts the weighted mean, summed instance by instance as WEKA sums it, so its last
digits, which the model text prints, are WEKA's.

The model text is WEKA 3.9.7's ``ZeroR.toString()`` to the character: the predicted
label, or the mean as Java's ``Double.toString`` writes it (``105.622009569378``,
``3.0``, ``1.0E8``), and nothing after it, not even a newline. The class frequencies
are not in it (WEKA prints none); they are what ``predict_proba`` returns.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from workbench.classifiers.base import Classifier
from workbench.classifiers.capabilities import Capabilities
from workbench.classifiers.modelfile import stored_array
from workbench.core.progress import CancelToken, ProgressCallback, check
from workbench.core.weka.javaformat import java_double_text
from workbench.data.dataset import Dataset


class ZeroR(Classifier):
    """Predicts the majority class (nominal) or the mean (numeric); the baseline."""

    name = "zeror"
    display_name = "ZeroR"
    category = "rules"
    aliases = ("ZeroR",)
    capabilities = Capabilities(string_attributes=True, relational_attributes=True,
                                numeric_class=True, min_instances=0,
                                infinite_values=True)
    params = ()

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self.distribution_: np.ndarray = np.zeros(0)
        self.mean_: float = float("nan")

    def _fit(self, data: Dataset, progress: ProgressCallback | None,
             cancel: CancelToken | None) -> None:
        check(cancel)
        y, w = data.class_values, data.weights
        if self.classes_:
            counts = np.ones(len(self.classes_))
            np.add.at(counts, y.astype(np.intp), w)
            self.distribution_ = counts / counts.sum()
        else:
            # running sums, as WEKA's loop adds (np.dot and sum add pairwise, which can
            # change the last digit the model text prints)
            total = float(np.cumsum(w)[-1]) if w.size else 0.0
            weighted = float(np.cumsum(w * y)[-1]) if w.size else 0.0
            self.mean_ = weighted / total if total > 0 else 0.0

    def _predict_proba(self, data: Dataset) -> np.ndarray:
        return np.tile(self.distribution_, (data.num_instances, 1))

    def _predict_values(self, data: Dataset) -> np.ndarray:
        return np.full(data.num_instances, self.mean_)

    def describe(self) -> str:
        """WEKA's text without the newline ``Classifier.describe`` ends with: ZeroR's
        ``toString()`` has none, so WEKA's report shows one blank line between it and
        "Time taken to build model" where most models' texts leave two."""
        text = super().describe()
        return text.rstrip("\n") if self.is_fitted else text

    def _describe(self) -> str:
        self._require_fitted()
        if self.classes_:
            best = int(np.argmax(self.distribution_))   # the first of equals, as WEKA
            return f"ZeroR predicts class value: {self.classes_[best]}"
        return f"ZeroR predicts class value: {java_double_text(self.mean_)}"

    def _state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        return {"mean": self.mean_}, {"distribution": self.distribution_}

    def _set_state(self, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
        self.mean_ = float(meta["mean"])
        self.distribution_ = stored_array(arrays, "distribution", 1, finite=True,
                                          nonnegative=True).astype(np.float64)
        if self.classes_ and self.distribution_.shape != (len(self.classes_),):
            raise ValueError("the class distribution does not match the class labels")
