"""Linear discriminant analysis (scikit-learn's LinearDiscriminantAnalysis).

Gaussian classes sharing one covariance matrix: a fast, strong baseline on numeric data
with few instances per attribute, where shrinkage keeps the covariance invertible.
"""

from __future__ import annotations

from typing import Any

from workbench.classifiers.capabilities import Capabilities
from workbench.classifiers.sklearn_adapter import _SklearnBacked
from workbench.core.params import Param


class LinearDiscriminant(_SklearnBacked):
    """Linear discriminant analysis: Gaussian classes sharing one covariance matrix."""

    name = "lda"
    display_name = "Linear discriminant analysis (scikit-learn)"
    category = "functions"
    aliases = ("LDA",)
    capabilities = Capabilities()
    shrinkage = Param.number(None, "Ledoit-Wolf style shrinkage in [0, 1]; none "
                             "uses the plain covariance", low=0, high=1, nullable=True)
    scaling = Param.choice("none", ("none", "range", "symmetric", "standard"),
                           "How numeric attributes are scaled before the estimator sees them")

    def make_estimator(self) -> Any:
        from sklearn.discriminant_analysis import LinearDiscriminantAnalysis

        if self.shrinkage is None:
            return LinearDiscriminantAnalysis()
        return LinearDiscriminantAnalysis(solver="lsqr", shrinkage=self.shrinkage)


def register(registry: Any) -> None:
    registry.add(LinearDiscriminant)
