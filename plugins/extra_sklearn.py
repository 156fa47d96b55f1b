"""More scikit-learn learners for Workbench: a plugin, and the example for writing one.

A plugin is a Python module with a ``register(registry)`` function, found in the
project's ``plugins/`` folder, in your own ``~/.workbench/plugins`` (or
``$WORKBENCH_HOME/plugins``), in any folder on ``WORKBENCH_PLUGIN_PATH``, or in an
installed package declaring a ``workbench.plugins`` entry point. ``register`` calls
``registry.add(ComponentClass)`` exactly as the built-ins do, so what it adds appears in
``workbench list``, ``workbench classify``, the Explorer's chooser and the Knowledge Flow
palette (as node type ``classifier:<name>``). A plugin that fails to import or register
is listed with its error by ``workbench plugins`` and skipped; it never stops Workbench.

This one adds four scikit-learn classifiers. Each is a subclass of the adapter's
``SklearnClassifier`` that declares its parameters (the declaration is all the CLI
flags, the property sheet and the flow dialog need) and says how to build the estimator.
Flows saved with these learners record ``"plugin": "extra_sklearn"``, so opening such a
flow where this plugin is missing tells the user what to install.
"""

from __future__ import annotations

from typing import Any

from workbench.classifiers.capabilities import Capabilities
from workbench.classifiers.sklearn_adapter import SklearnClassifier
from workbench.core.params import Param
from workbench.core.registry import Registry

_SCALING = Param.choice("scaling", "none", ("none", "range", "symmetric", "standard"),
                        "How numeric attributes are scaled before the estimator sees them")


class _Declared(SklearnClassifier):
    """A scikit-learn learner with declared parameters instead of a class path."""

    @property
    def title(self) -> str:
        return self.display_name


class GradientBoosting(_Declared):
    """Gradient-boosted decision trees (scikit-learn's GradientBoostingClassifier)."""

    name = "gradient-boosting"
    display_name = "Gradient boosting (scikit-learn)"
    category = "trees"
    aliases = ("GradientBoosting",)
    capabilities = Capabilities(numeric_class=True)
    params = (
        Param.int("trees", 100, "Number of boosting stages", low=1, letter="I"),
        Param.float("learning_rate", 0.1, "Shrinkage of each tree's contribution",
                    low=0, low_open=True, letter="L"),
        Param.int("max_depth", 3, "Depth of each tree", low=1),
        _SCALING,
        Param.int("seed", 1, "Seed of the subsampling and feature choices", letter="S"),
    )

    def make_estimator(self) -> Any:
        from sklearn.ensemble import GradientBoostingClassifier, GradientBoostingRegressor

        cls = GradientBoostingClassifier if self.classes_ else GradientBoostingRegressor
        return cls(n_estimators=self.trees, learning_rate=self.learning_rate,
                   max_depth=self.max_depth, random_state=self.seed)


class ExtraTrees(_Declared):
    """Extremely randomised trees (scikit-learn's ExtraTreesClassifier)."""

    name = "extra-trees"
    display_name = "Extra trees (scikit-learn)"
    category = "trees"
    aliases = ("ExtraTrees",)
    capabilities = Capabilities(numeric_class=True)
    params = (
        Param.int("trees", 100, "Number of trees", low=1, letter="I"),
        Param.int("max_depth", None, "Deepest level of each tree; none grows them fully",
                  low=1, nullable=True),
        _SCALING,
        Param.int("seed", 1, "Seed of the random splits", letter="S"),
    )

    def make_estimator(self) -> Any:
        from sklearn.ensemble import ExtraTreesClassifier, ExtraTreesRegressor

        cls = ExtraTreesClassifier if self.classes_ else ExtraTreesRegressor
        return cls(n_estimators=self.trees, max_depth=self.max_depth,
                   random_state=self.seed)


class LinearDiscriminant(_Declared):
    """Linear discriminant analysis: Gaussian classes sharing one covariance matrix."""

    name = "lda"
    display_name = "Linear discriminant analysis (scikit-learn)"
    category = "functions"
    aliases = ("LDA",)
    capabilities = Capabilities()
    params = (
        Param.float("shrinkage", None, "Ledoit-Wolf style shrinkage in [0, 1]; none "
                    "uses the plain covariance", low=0, high=1, nullable=True),
        _SCALING,
    )

    def make_estimator(self) -> Any:
        from sklearn.discriminant_analysis import LinearDiscriminantAnalysis

        if self.shrinkage is None:
            return LinearDiscriminantAnalysis()
        return LinearDiscriminantAnalysis(solver="lsqr", shrinkage=self.shrinkage)


class AdaBoost(_Declared):
    """AdaBoost with decision stumps (scikit-learn's AdaBoostClassifier, WEKA's
    AdaBoostM1 with DecisionStump in spirit)."""

    name = "adaboost"
    display_name = "AdaBoost (scikit-learn)"
    category = "meta"
    aliases = ("AdaBoostM1",)
    capabilities = Capabilities()
    params = (
        Param.int("iterations", 50, "Number of boosting rounds", low=1, letter="I"),
        Param.float("learning_rate", 1.0, "Weight of each round's learner", low=0,
                    low_open=True),
        _SCALING,
        Param.int("seed", 1, "Seed of the boosting", letter="S"),
    )

    def make_estimator(self) -> Any:
        from sklearn.ensemble import AdaBoostClassifier

        return AdaBoostClassifier(n_estimators=self.iterations,
                                  learning_rate=self.learning_rate, random_state=self.seed)


LEARNERS = (GradientBoosting, ExtraTrees, LinearDiscriminant, AdaBoost)


def register(registry: Registry) -> None:
    """Called once by Workbench with the application's registry."""
    for learner in LEARNERS:
        registry.add(learner)
