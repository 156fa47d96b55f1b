"""The one record of an evaluation: every prediction, per classifier, run and fold.

DESIGN.md asks that the summary, the confusion matrix, the curves, the WEKA report and
the JSON report all be computed from one object, so they can never disagree. ``Results``
is that object. It keeps, for each fold, which instances were tested (row indices into
the evaluated dataset), their actual class, the predicted class or value, the class
distribution, the instance weights, and the class prior of that fold's training data
(Laplace-smoothed counts for a nominal class, weighted sum and weight for a numeric one),
which WEKA's relative errors are measured against.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from workbench.core.errors import WorkbenchError
from workbench.data.dataset import Dataset


@dataclass(frozen=True)
class FoldResult:
    """Predictions for one test fold.

    ``distribution`` is ``(n, n_classes)`` for a nominal class (a row of zeros means the
    classifier made no prediction) and None for a numeric one. ``predicted`` holds class
    indices or values, NaN for no prediction. ``prior`` is what ``Evaluation.setPriors``
    keeps for the fold's training data: per-class counts starting at 1 (nominal), or
    ``[sum of weight * value]`` (numeric); ``prior_sum`` is their total weight.
    """

    run: int
    fold: int
    indices: np.ndarray
    actual: np.ndarray
    predicted: np.ndarray
    distribution: np.ndarray | None
    weights: np.ndarray
    prior: np.ndarray
    prior_sum: float

    @property
    def prior_probabilities(self) -> np.ndarray:
        """The prior class distribution (nominal) or the training mean (numeric)."""
        if self.prior_sum <= 0:
            return np.full_like(self.prior, np.nan, dtype=np.float64)
        return self.prior / self.prior_sum


@dataclass
class Results:
    """All predictions of one classifier under one test option.

    ``header`` is the evaluated dataset's header (attributes, class). ``test_mode`` is
    the text of WEKA's "Test mode:" line; ``classifier`` names the learner for overlaying
    several classifiers' curves; ``use_priors`` is False when no training data was seen
    (a loaded model on a test set), which disables RAE and RRSE as in WEKA.
    """

    header: Dataset
    classifier: str
    test_mode: str
    folds: list[FoldResult] = field(default_factory=list)
    use_priors: bool = True

    # Shape of the problem -------------------------------------------------------------
    @property
    def nominal(self) -> bool:
        cls = self.header.class_attribute
        return cls is not None and cls.is_nominal

    @property
    def class_names(self) -> tuple[str, ...]:
        cls = self.header.class_attribute
        return tuple(cls.values) if cls is not None and cls.is_nominal else ()

    @property
    def num_classes(self) -> int:
        return len(self.class_names) if self.nominal else 1

    # Adding predictions ---------------------------------------------------------------
    def add_fold(self, *, run: int, fold: int, indices: np.ndarray, actual: np.ndarray,
                 predicted: np.ndarray | None = None, distribution: np.ndarray | None = None,
                 weights: np.ndarray | None = None, train: Dataset | None = None) -> FoldResult:
        """Record one fold; priors come from ``train`` (None: no priors, as a loaded model).

        For a nominal class give ``distribution``; ``predicted`` is then derived as WEKA
        does (first most probable class, none when every probability is zero). For a
        numeric class give ``predicted`` values.
        """
        # Copies, never views: ``actual`` arrives as a column of the test rows
        # (``Dataset.class_values``), and a view would keep every one of those rows alive
        # as long as the result (a 10-fold cross-validation on MNIST: 63 MB of copied
        # test rows per result-list entry, for 80 kB of class values).
        indices = np.array(indices, dtype=np.intp)
        actual = np.array(actual, dtype=np.float64)
        n = len(indices)
        weights = np.ones(n) if weights is None else np.array(weights, dtype=np.float64)
        if actual.shape != (n,) or weights.shape != (n,):
            raise WorkbenchError(f"fold {fold}: {n} indices but {actual.shape} actual values "
                                 f"and {weights.shape} weights")
        if self.nominal:
            if distribution is None:
                raise WorkbenchError("a nominal class needs class distributions")
            distribution = clean_distribution(distribution, self.num_classes)
            if distribution.shape[0] != n:
                raise WorkbenchError(f"fold {fold}: {n} instances but "
                                     f"{distribution.shape[0]} distributions")
            predicted = predicted_from_distribution(distribution)
        else:
            if predicted is None:
                raise WorkbenchError("a numeric class needs predicted values")
            predicted = np.array(predicted, dtype=np.float64).reshape(n)
            distribution = None
        if train is None:
            self.use_priors = False
            prior, prior_sum = np.zeros(self.num_classes), 0.0
        else:
            prior, prior_sum = class_prior(train, self.nominal, self.num_classes)
        result = FoldResult(run, fold, indices, actual, predicted, distribution, weights,
                            prior, prior_sum)
        self.folds.append(result)
        return result

    # Pooled views ---------------------------------------------------------------------
    def _cat(self, name: str) -> np.ndarray:
        parts = [getattr(f, name) for f in self.folds]
        if not parts:
            return np.zeros(0)
        return np.concatenate(parts)

    @property
    def num_predictions(self) -> int:
        return sum(len(f.indices) for f in self.folds)

    @property
    def indices(self) -> np.ndarray:
        return self._cat("indices").astype(np.intp)

    @property
    def actual(self) -> np.ndarray:
        return self._cat("actual")

    @property
    def predicted(self) -> np.ndarray:
        return self._cat("predicted")

    @property
    def weights(self) -> np.ndarray:
        return self._cat("weights")

    @property
    def distribution(self) -> np.ndarray:
        if not self.nominal:
            raise WorkbenchError("a numeric class has no class distributions")
        if not self.folds:
            return np.zeros((0, self.num_classes))
        return np.concatenate([f.distribution for f in self.folds])

    @property
    def fold_ids(self) -> np.ndarray:
        return np.concatenate([np.full(len(f.indices), f.fold) for f in self.folds]
                              ) if self.folds else np.zeros(0, dtype=int)

    @property
    def run_ids(self) -> np.ndarray:
        return np.concatenate([np.full(len(f.indices), f.run) for f in self.folds]
                              ) if self.folds else np.zeros(0, dtype=int)

    @property
    def priors(self) -> np.ndarray:
        """Per prediction, its fold's prior distribution (nominal) or training mean."""
        table, rows = self.prior_table()
        return table[rows]

    def prior_table(self) -> tuple[np.ndarray, np.ndarray]:
        """``priors`` without a row per prediction: each fold's prior distribution
        (folds, k) and, per prediction, the row of its fold; at many classes the
        per-prediction table is as large as the distributions."""
        if not self.folds:
            return np.zeros((0, self.num_classes)), np.zeros(0, dtype=np.intp)
        table = np.stack([np.asarray(f.prior_probabilities, dtype=np.float64)
                          for f in self.folds])
        rows = np.concatenate([np.full(len(f.indices), i, dtype=np.intp)
                               for i, f in enumerate(self.folds)])
        return table, rows

    @property
    def runs(self) -> list[int]:
        return sorted({f.run for f in self.folds})

    def select_runs(self, runs: Sequence[int]) -> Results:
        """The same results restricted to some runs (per-run metrics of repeated runs)."""
        wanted = set(runs)
        return Results(self.header, self.classifier, self.test_mode,
                       [f for f in self.folds if f.run in wanted], self.use_priors)


def clean_distribution(distribution: np.ndarray, num_classes: int) -> np.ndarray:
    """Distributions as float64 ``(n, k)``; NaN entries (no prediction) become zeros."""
    dist = np.array(distribution, dtype=np.float64, copy=True)
    if dist.ndim != 2 or dist.shape[1] != num_classes:
        raise WorkbenchError(f"expected class distributions with {num_classes} columns, "
                             f"got shape {dist.shape}")
    dist[np.isnan(dist)] = 0.0
    return dist


def predicted_from_distribution(distribution: np.ndarray) -> np.ndarray:
    """WEKA's predicted class: the first class with the highest probability above zero;
    NaN (unclassified) when no probability is above zero."""
    out = np.full(distribution.shape[0], np.nan)
    if distribution.shape[0] == 0:
        return out
    best = np.argmax(distribution, axis=1)
    top = distribution[np.arange(len(best)), best]
    ok = top > 0
    out[ok] = best[ok]
    return out


def class_prior(train: Dataset, nominal: bool, num_classes: int) -> tuple[np.ndarray, float]:
    """``Evaluation.setPriors(train)``: Laplace counts (nominal) or weighted sum (numeric)."""
    y = train.class_values
    w = train.weights
    known = ~np.isnan(y)
    if nominal:
        counts = np.ones(num_classes)
        np.add.at(counts, y[known].astype(np.intp), w[known])
        return counts, float(num_classes + w[known].sum())
    return np.array([float(np.sum(y[known] * w[known]))]), float(w[known].sum())
