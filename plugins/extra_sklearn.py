"""A scikit-learn learner added by a plugin: the example for writing one.

A plugin is a Python module with a ``register(registry)`` function, found in the
project's ``plugins/`` folder, in your own ``~/.workbench/plugins`` (or
``$WORKBENCH_HOME/plugins``), in any folder on ``WORKBENCH_PLUGIN_PATH``, or in an
installed package declaring a ``workbench.plugins`` entry point. ``register`` calls
``registry.add(ComponentClass)`` exactly as the built-ins do, so what it adds appears in
``workbench list``, ``workbench classify``, the Explorer's chooser and the Knowledge Flow
palette (as node type ``classifier:<name>``). A plugin that fails to import or register
is listed with its error by ``workbench plugins`` and skipped; it never stops Workbench.

This one adds quadratic discriminant analysis. It subclasses the adapter's
``SklearnClassifier``, declares its parameters (the declaration is all the CLI flags, the
property sheet and the flow dialog need) and says how to build the estimator; encoding,
weights, class mapping and model files come with the adapter. Flows saved with it record
``"plugin": "extra_sklearn"``, so opening such a flow where this plugin is missing tells
the user what to install. (The learners this file used to add, gradient boosting, extra
trees, LDA and AdaBoost, are built in now: ``workbench/classifiers/ensembles.py``.)
"""

from __future__ import annotations

from typing import Any

from workbench.classifiers.capabilities import Capabilities
from workbench.classifiers.sklearn_adapter import SklearnClassifier
from workbench.core.params import Param
from workbench.core.registry import Registry


# Not any estimator by path: QDA's own parameters replace the adapter's (scaling moves
# after regularization).
class QuadraticDiscriminant(SklearnClassifier,
                            drop=("estimator", "options", "scaling", "seed")):
    """Quadratic discriminant analysis: Gaussian classes, each with its own covariance."""

    name = "qda"
    display_name = "Quadratic discriminant analysis (scikit-learn)"
    category = "functions"
    aliases = ("QDA",)
    capabilities = Capabilities()  # nominal classes only
    regularization = Param.number(0.0, "Added to each class's covariance diagonal "
                                  "(after scaling it to a correlation); raise it when a class "
                                  "has fewer instances than attributes", low=0, high=1,
                                  letter="R")
    scaling = Param.choice("none", ("none", "range", "symmetric", "standard"),
                           "How numeric attributes are scaled before the estimator sees them")

    @property
    def title(self) -> str:  # SklearnClassifier titles itself by its estimator path
        return self.display_name

    def make_estimator(self) -> Any:
        from sklearn.discriminant_analysis import QuadraticDiscriminantAnalysis

        return QuadraticDiscriminantAnalysis(reg_param=self.regularization)


def register(registry: Registry) -> None:
    """Called once by Workbench with the application's registry."""
    registry.add(QuadraticDiscriminant)
