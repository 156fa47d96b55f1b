"""Ensembles of trees from scikit-learn: gradient boosting, extra trees and AdaBoost.

Each declares its parameters once (CLI flags with WEKA letters, the property sheet and the
flow dialog come from that) and says how to build its estimator; encoding, weights,
class mapping and model files are the adapter's (``sklearn_adapter._SklearnBacked``).
Trees need no scaling, so it defaults to none.
"""

from __future__ import annotations

from typing import Any

from workbench.classifiers.capabilities import Capabilities
from workbench.classifiers.sklearn_adapter import _SklearnBacked
from workbench.core.params import Param

_NO_SCALING = Param.choice("none", ("none", "range", "symmetric", "standard"),
                           "How numeric attributes are scaled (trees do not need it)",
                           name="scaling")


class GradientBoosting(_SklearnBacked):
    """Gradient-boosted decision trees (scikit-learn's GradientBoostingClassifier)."""

    name = "gradient-boosting"
    display_name = "Gradient boosting (scikit-learn)"
    category = "trees"
    aliases = ("GradientBoosting",)
    capabilities = Capabilities(numeric_class=True)
    trees = Param.integer(100, "Number of boosting stages", low=1, high=10_000, letter="I")
    learning_rate = Param.number(0.1, "Shrinkage of each tree's contribution",
                                 low=0, low_open=True, letter="L")
    max_depth = Param.integer(3, "Depth of each tree", low=1, high=10_000)
    # 3, not scikit-learn's 1: on 13 training rows (weather.numeric) leaves of one row
    # fit noise and trail ZeroR by 3 instances (docs/defaults.md).
    min_samples_leaf = Param.count(3, "Fewest training instances in a leaf", letter="M")
    scaling = _NO_SCALING
    seed = Param.seed(1, "Seed of the subsampling and feature choices", letter="S")

    def make_estimator(self) -> Any:
        from sklearn.ensemble import GradientBoostingClassifier, GradientBoostingRegressor

        cls = GradientBoostingClassifier if self.classes_ else GradientBoostingRegressor
        return cls(n_estimators=self.trees, learning_rate=self.learning_rate,
                   max_depth=self.max_depth, min_samples_leaf=self.min_samples_leaf,
                   random_state=self.seed)


class ExtraTrees(_SklearnBacked):
    """Extremely randomised trees (scikit-learn's ExtraTreesClassifier)."""

    name = "extra-trees"
    display_name = "Extra trees (scikit-learn)"
    category = "trees"
    aliases = ("ExtraTrees",)
    capabilities = Capabilities(numeric_class=True)
    trees = Param.integer(100, "Number of trees", low=1, high=10_000, letter="I")
    max_depth = Param.integer(None, "Deepest level of each tree; none grows them fully",
                              low=1, high=10_000, nullable=True)
    scaling = _NO_SCALING
    seed = Param.seed(1, "Seed of the random splits", letter="S")

    def make_estimator(self) -> Any:
        from sklearn.ensemble import ExtraTreesClassifier, ExtraTreesRegressor

        cls = ExtraTreesClassifier if self.classes_ else ExtraTreesRegressor
        return cls(n_estimators=self.trees, max_depth=self.max_depth,
                   random_state=self.seed)


class AdaBoost(_SklearnBacked):
    """AdaBoost with decision stumps (scikit-learn's AdaBoostClassifier; WEKA's
    AdaBoostM1 with DecisionStump in spirit)."""

    name = "adaboost"
    display_name = "AdaBoost (scikit-learn)"
    category = "meta"
    aliases = ("AdaBoostM1",)
    capabilities = Capabilities()
    iterations = Param.integer(50, "Number of boosting rounds", low=1, high=1_000_000,
                               letter="I")
    learning_rate = Param.number(1.0, "Weight of each round's learner", low=0,
                                 low_open=True)
    scaling = _NO_SCALING
    seed = Param.seed(1, "Seed of the boosting", letter="S")

    def make_estimator(self) -> Any:
        from sklearn.ensemble import AdaBoostClassifier

        return AdaBoostClassifier(n_estimators=self.iterations,
                                  learning_rate=self.learning_rate, random_state=self.seed)


def register(registry: Any) -> None:
    for learner in (GradientBoosting, ExtraTrees, AdaBoost):
        registry.add(learner)
