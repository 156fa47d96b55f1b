"""SMOTE: synthetic minority-class instances, wrapping imbalanced-learn.

imbalanced-learn's ``SMOTE`` and ``SMOTENC`` (numeric plus nominal attributes) are the
well-kept implementations of Chawla et al.'s algorithm, so we translate a ``Dataset``
to their arrays and back rather than write our own. It is an instance filter: only the
data it is fitted on grows, so a test set or a cross-validation test fold inside a
filtered classifier is never oversampled. Synthetic instances get weight 1 and are
appended after the originals, as WEKA's SMOTE package does.
"""

from __future__ import annotations

import warnings

import numpy as np

from workbench.core.errors import WorkbenchWarning
from workbench.core.params import Param
from workbench.data.dataset import AttributeType, Dataset
from workbench.filters.base import Filter, FilterError, dense
from workbench.filters.growth import check_growth, row_bytes

# The most synthetic instances asked for, as a percentage of the smallest class: a
# thousandfold, enough to balance a 1:1000 imbalance (0 balances any).
MAX_PERCENTAGE = 100_000.0


class Smote(Filter):
    """Oversamples minority classes with synthetic instances between near neighbours.

    ``percentage`` is how many synthetic instances to add for the smallest class, as a
    percentage of its size (WEKA's -P; 100 doubles it); 0 instead balances every class
    up to the largest one. ``percentage`` is at most 100 000 (a thousandfold), and an
    output that would not fit in free memory is refused before it is made.
    """

    name = "smote"
    display_name = "SMOTE"
    category = "instance"
    aliases = ("SMOTE",)
    needs_nominal_class = True
    percentage = Param.number(100.0, "synthetic instances for the smallest class, as a "
                              "percentage of its size (0: balance every class to the "
                              "largest; at most 100 000)", low=0.0, high=MAX_PERCENTAGE,
                              letter="P")
    neighbours = Param.integer(5, "nearest neighbours to interpolate between", low=1,
                               letter="K")
    seed = Param.seed(1, "random seed", letter="S")

    def _check(self, data: Dataset) -> tuple[np.ndarray, np.ndarray, list[int], int]:
        """The values, class codes, feature columns and number of class values, or a
        FilterError saying why SMOTE cannot run on ``data``."""
        cls = data.class_attribute
        if cls is None or not cls.is_nominal:
            raise FilterError(f"{self.title}: needs a nominal class in '{data.relation}'")
        X = dense(data)
        features = [j for j in range(data.num_attributes) if j != data.class_index]
        for j in features:
            kind = data.attributes[j].type
            if kind not in (AttributeType.NUMERIC, AttributeType.NOMINAL):
                raise FilterError(f"{self.title}: cannot interpolate the {kind} attribute "
                                  f"'{data.attributes[j].name}'; remove it first")
        if np.isnan(X).any():
            raise FilterError(f"{self.title}: '{data.relation}' has missing values; apply "
                              "replace-missing-values first")
        return X, X[:, data.class_index].astype(np.intp), features, cls.num_values

    def _fit(self, data: Dataset) -> None:
        _, y, _, num_classes = self._check(data)
        target = self._target(np.bincount(y, minlength=num_classes))
        if target is None:
            return
        added = sum(target.values()) - data.num_instances
        rows = data.num_instances + added
        # The output, and on the way imbalanced-learn's copy of the features, its
        # synthetic rows and their temporaries (measured on digits: 3 times the output
        # and 65 MB more at 100 000 %).
        result = rows * row_bytes(data, dense=True)
        asked = (f"{self.percentage:g} % of the smallest class" if self.percentage > 0
                 else "0 (every class as large as the largest)")
        check_growth(self, self.title, "percentage", asked, rows, data.num_attributes,
                     result, 4 * result)

    def _target(self, counts: np.ndarray) -> dict[int, int] | None:
        """How many instances each class present should have; None when fewer than
        two classes are present (nothing to oversample)."""
        present = np.flatnonzero(counts)
        if present.size < 2:
            return None
        if self.percentage > 0:
            smallest = present[np.argmin(counts[present])]
            target = {int(k): int(counts[k]) for k in present}
            target[int(smallest)] += round(counts[smallest] * self.percentage / 100.0)
            return target
        return {int(k): int(counts.max()) for k in present}

    def _apply(self, data: Dataset) -> Dataset:
        from imblearn.over_sampling import SMOTE, SMOTEN, SMOTENC

        X, y, features, num_classes = self._check(data)
        counts = np.bincount(y, minlength=num_classes)
        present = np.flatnonzero(counts)
        target = self._target(counts)
        if target is None:
            return data
        neighbours = min(self.neighbours, int(counts[present].min()) - 1)
        if neighbours < 1:
            raise FilterError(f"{self.title}: a class has a single instance; SMOTE needs "
                              "at least two to interpolate")
        if neighbours < self.neighbours:
            warnings.warn(f"{self.title}: neighbours {self.neighbours} lowered to "
                          f"{neighbours}: the smallest class has {neighbours + 1} "
                          f"instances, and an instance is not its own neighbour",
                          WorkbenchWarning, stacklevel=2)
        nominal = [i for i, j in enumerate(features) if data.attributes[j].is_nominal]
        options = {"sampling_strategy": target, "k_neighbors": neighbours,
                   "random_state": self.seed}
        # SMOTE-NC needs a numeric attribute; all-nominal data (contact-lenses) is
        # SMOTE-N's, which, like WEKA's SMOTE, measures nominal distances by VDM.
        sampler = (SMOTE(**options) if not nominal else
                   SMOTEN(**options) if len(nominal) == len(features) else
                   SMOTENC(categorical_features=nominal, **options))
        Xf, yf = sampler.fit_resample(X[:, features], y)
        added = Xf.shape[0] - X.shape[0]
        synthetic = np.empty((added, data.num_attributes))
        synthetic[:, features] = Xf[X.shape[0]:]
        synthetic[:, data.class_index] = yf[X.shape[0]:]
        return Dataset(data.relation, data.attributes, np.vstack([X, synthetic]),
                       np.concatenate([data.weights, np.ones(added)]), data.class_index)

    def _describe(self) -> str:
        amount = (f"{self.percentage:g}% more instances of the smallest class"
                  if self.percentage > 0 else "every class balanced to the largest")
        return f"SMOTE with {self.neighbours} neighbours: {amount}"
