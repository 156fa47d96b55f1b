"""CART's own pruning: the cost-complexity parameter chosen by cross-validation.

A fully grown CART tree memorises small data (on breast-cancer and credit-g it trails
ZeroR by 5.6 and 2.6 points). Breiman et al. (1984, ch. 3) prune it back along the
weakest-link sequence and pick the subtree by cross-validation with the one-standard-error
rule: the simplest tree whose error is within one standard error of the best. R's rpart
does the same by default. scikit-learn computes the sequence
(``cost_complexity_pruning_path``) and prunes to a given ``ccp_alpha`` but does not choose
it, so the choice is written here; everything else is scikit-learn's.

Imported only when a decision tree is trained, so registering learners does not import
scikit-learn.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

# Candidate alphas per tree: the whole path has up to one per internal node; twenty
# spread along it find the same subtree size to within a step or two at a twentieth of
# the cost (measured on the bundled datasets).
MAX_CANDIDATES = 20


def candidate_alphas(path_alphas: np.ndarray) -> np.ndarray:
    """Breiman's representatives of the pruning intervals: the geometric midpoint of each
    pair of consecutive path alphas (0 for the unpruned tree, the last for the root),
    thinned evenly to ``MAX_CANDIDATES``."""
    alphas = np.unique(np.maximum(path_alphas, 0.0))
    if alphas.size < 2:
        return np.zeros(1)
    middles = np.sqrt(alphas[:-1] * alphas[1:])
    candidates = np.unique(np.concatenate([[0.0], middles, alphas[-1:]]))
    if candidates.size > MAX_CANDIDATES:
        keep = np.unique(np.linspace(0, candidates.size - 1, MAX_CANDIDATES).round())
        candidates = candidates[keep.astype(np.intp)]
    return candidates


def one_standard_error_choice(errors: np.ndarray, candidates: np.ndarray) -> float:
    """The largest alpha (simplest tree) whose mean error is within one standard error of
    the lowest mean; ``errors`` is (candidates, folds)."""
    mean = errors.mean(axis=1)
    folds = errors.shape[1]
    spread = errors.std(axis=1, ddof=1) / np.sqrt(folds) if folds > 1 else np.zeros_like(mean)
    best = int(np.argmin(mean))
    within = np.flatnonzero(mean <= mean[best] + spread[best] + 1e-12)
    return float(candidates[within.max()])


class _PrunedTree(BaseEstimator):
    """A CART tree pruned at the cross-validated alpha (``alpha_`` after fitting)."""

    _tree_class: Any = DecisionTreeClassifier

    def __init__(self, criterion: str = "gini", max_depth: int | None = None,
                 min_samples_leaf: int = 1, folds: int = 5,
                 random_state: int | None = None) -> None:
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_leaf = min_samples_leaf
        self.folds = folds
        self.random_state = random_state

    def _tree(self, alpha: float) -> Any:
        return self._tree_class(criterion=self.criterion, max_depth=self.max_depth,
                                min_samples_leaf=self.min_samples_leaf, ccp_alpha=alpha,
                                random_state=self.random_state)

    def _splits(self, X: np.ndarray, y: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        raise NotImplementedError

    def _loss(self, tree: Any, X: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
        raise NotImplementedError

    def fit(self, X: np.ndarray, y: np.ndarray,
            sample_weight: np.ndarray | None = None) -> _PrunedTree:
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y)
        w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)
        path = self._tree(0.0).cost_complexity_pruning_path(X, y, sample_weight=w)
        candidates = candidate_alphas(path.ccp_alphas)
        splits = self._splits(X, y) if candidates.size > 1 else []
        # A fold whose training or test rows all weigh 0 says nothing about any alpha
        # (its error would be 0/0): the choice is made on the others.
        splits = [(train, test) for train, test in splits
                  if w[train].sum() > 0 and w[test].sum() > 0]
        if splits:
            errors = np.empty((candidates.size, len(splits)))
            for j, (train, test) in enumerate(splits):
                for i, alpha in enumerate(candidates):
                    tree = self._tree(float(alpha)).fit(X[train], y[train],
                                                        sample_weight=w[train])
                    errors[i, j] = self._loss(tree, X[test], y[test], w[test])
            self.alpha_ = one_standard_error_choice(errors, candidates)
        else:
            self.alpha_ = 0.0
        self.tree_ = self._tree(self.alpha_).fit(X, y, sample_weight=w)
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.tree_.predict(X)


class PrunedTreeClassifier(ClassifierMixin, _PrunedTree):
    _tree_class = DecisionTreeClassifier

    def _splits(self, X: np.ndarray, y: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        counts = np.unique(y, return_counts=True)[1]
        folds = min(self.folds, int(counts.min()))
        if folds >= 2:
            maker: Any = StratifiedKFold(folds, shuffle=True, random_state=self.random_state)
            return list(maker.split(X, y))
        folds = min(self.folds, len(y))
        if folds < 2:
            return []
        return list(KFold(folds, shuffle=True, random_state=self.random_state).split(X))

    def _loss(self, tree: Any, X: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
        wrong = tree.predict(X) != y
        return float(np.dot(w, wrong) / w.sum())

    def fit(self, X: np.ndarray, y: np.ndarray,
            sample_weight: np.ndarray | None = None) -> PrunedTreeClassifier:
        super().fit(X, y, sample_weight)
        self.classes_ = self.tree_.classes_
        return self

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return self.tree_.predict_proba(X)


class PrunedTreeRegressor(RegressorMixin, _PrunedTree):
    _tree_class = DecisionTreeRegressor

    def __init__(self, criterion: str = "squared_error", max_depth: int | None = None,
                 min_samples_leaf: int = 1, folds: int = 5,
                 random_state: int | None = None) -> None:
        super().__init__(criterion, max_depth, min_samples_leaf, folds, random_state)

    def _splits(self, X: np.ndarray, y: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        folds = min(self.folds, len(y))
        if folds < 2:
            return []
        return list(KFold(folds, shuffle=True, random_state=self.random_state).split(X))

    def _loss(self, tree: Any, X: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
        return float(np.dot(w, (tree.predict(X) - y) ** 2) / w.sum())
