"""PCA and ZCA whitening: linear maps of the numeric attributes learned from training data.

PCA (WEKA's PrincipalComponents filter) replaces the numeric attributes by the leading
principal components, keeping enough of them to cover a share of the variance or a fixed
number. It wraps scikit-learn's ``PCA`` (full SVD), which does the decomposition well; we
add what a dataset needs around it: standardising first (WEKA's default, so attributes in
large units do not dominate), filling missing values with the training mean, naming the
components by their largest loadings as WEKA does, and keeping the class.

ZCA whitening (the deep-learning tutorials' preprocessing for images) decorrelates the
numeric attributes while staying as close as possible to the original ones:
``W = U diag(1 / sqrt(lambda + epsilon)) U^T`` from the training covariance. scikit-learn
has no ZCA, so it is a few lines of ``numpy.linalg.eigh`` here; ``epsilon`` keeps
directions of almost no variance (blank image borders) from being blown up.

Both are unweighted, as WEKA's PrincipalComponents is: instance weights travel with the
rows but do not shape the projection.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from workbench.core.params import Param
from workbench.data.dataset import Attribute, AttributeType, Dataset
from workbench.filters.base import (
    Filter,
    FilterError,
    dense,
    unique_name,
    with_values,
    working_columns,
)

_NUMERIC = (AttributeType.NUMERIC,)


def _fill(X: np.ndarray, means: np.ndarray) -> np.ndarray:
    """Missing values replaced by the training means (so they project to the centre)."""
    return np.where(np.isnan(X), means, X)


class PCA(Filter):
    """Replaces numeric attributes by principal components (scikit-learn's PCA).

    Keeps the fewest components whose variance reaches ``variance_covered``, at most
    ``max_components``. Other attributes are kept after the components; the class stays
    the class.
    """

    name = "pca"
    display_name = "PrincipalComponents"
    aliases = ("PrincipalComponents", "PCA")
    variance_covered = Param.number(0.95, "share of the variance the kept components "
                                    "must cover", low=0.0, high=1.0, low_open=True, letter="R")
    max_components = Param.integer(None, "keep at most this many components (none: no "
                                   "limit)", low=1, nullable=True, letter="M")
    standardize = Param.boolean(True, "scale attributes to unit variance first (WEKA's "
                                "-C turns it off and only centres)", flags={"C": False})
    state_fields = ("columns_", "center_", "scale_", "components_", "variance_ratio_",
                    "names_")

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self.columns_: list[int] = []
        self.center_ = np.zeros(0)
        self.scale_ = np.zeros(0)
        self.components_ = np.zeros((0, 0))
        self.variance_ratio_ = np.zeros(0)
        self.names_: list[str] = []

    def _fit(self, data: Dataset) -> None:
        from sklearn.decomposition import PCA as SklearnPCA

        self.columns_ = working_columns(data, _NUMERIC)
        d = len(self.columns_)
        if d == 0:
            # WEKA refuses string attributes and binarises nominal ones itself; a PCA
            # with nothing to project would only pretend to have run.
            raise FilterError(
                f"{self.title}: '{data.relation}' has no numeric attribute to project "
                "(besides the class); make some first: 'nominal-to-binary | pca' for "
                "nominal attributes, 'weka-string-to-word-vector | pca' for text")
        X = dense(data)[:, self.columns_]
        n = X.shape[0]
        with np.errstate(all="ignore"):
            known = ~np.isnan(X)
            counts = known.sum(axis=0)
            means = np.where(counts > 0, np.nansum(X, axis=0) / np.maximum(counts, 1), 0.0)
        filled = _fill(X, means)
        std = filled.std(axis=0, ddof=1) if n > 1 else np.ones(d)
        scale = np.where(std > 0, std, 1.0) if self.standardize else np.ones(d)
        self.center_, self.scale_ = means, scale
        if n < 2 or d == 0:
            self.components_ = np.zeros((0, d))
            self.variance_ratio_ = np.zeros(0)
            self.names_ = []
            return
        Z = (filled - means) / scale
        pca = SklearnPCA(svd_solver="full").fit(Z)
        ratio = np.nan_to_num(pca.explained_variance_ratio_)
        covered = np.cumsum(ratio)
        keep = int(np.searchsorted(covered, self.variance_covered - 1e-12) + 1)
        keep = min(keep, ratio.size)
        if self.max_components is not None:
            keep = min(keep, self.max_components)
        # sklearn centres Z itself; fold its (near-zero) mean into ours.
        self.center_ = means + pca.mean_ * scale
        self.components_ = pca.components_[:keep].copy()
        self.variance_ratio_ = ratio[:keep].copy()
        names = [data.attributes[j].name for j in self.columns_]
        self.names_ = [_component_name(row, names) for row in self.components_]

    def _transform(self, data: Dataset) -> Dataset:
        X = dense(data)
        cols = list(self.columns_)
        components = np.asarray(self.components_, dtype=np.float64).reshape(
            len(self.names_), len(cols))
        Z = (_fill(X[:, cols], self.center_) - self.center_) / self.scale_
        projected = Z @ components.T
        kept = [j for j in range(data.num_attributes) if j not in set(cols)
                and j != data.class_index]
        taken = {data.attributes[j].name for j in kept}
        if data.class_index is not None:
            taken.add(data.attributes[data.class_index].name)
        attributes: list[Attribute] = []
        for name in self.names_:
            name = unique_name(name, taken)
            taken.add(name)
            attributes.append(Attribute.numeric(name))
        attributes += [data.attributes[j] for j in kept]
        blocks = [projected, X[:, kept]]
        class_index = None
        if data.class_index is not None:
            class_index = len(attributes)
            attributes.append(data.attributes[data.class_index])
            blocks.append(X[:, [data.class_index]])
        return with_values(data, np.hstack(blocks), attributes, class_index)

    def _describe(self) -> str:
        if not self.names_:
            return "No components (too few instances or no numeric attributes)."
        lines = ["Component  variance  cumulative  name"]
        cumulative = 0.0
        for i, (ratio, name) in enumerate(zip(self.variance_ratio_, self.names_,
                                              strict=True)):
            cumulative += ratio
            lines.append(f"{i + 1:>9}  {ratio:8.4f}  {cumulative:10.4f}  {name}")
        return "\n".join(lines)


def _component_name(loadings: np.ndarray, names: list[str], terms: int = 5) -> str:
    """WEKA's name for a component: its five largest loadings, e.g. ``0.52a+0.38b-...``."""
    order = np.argsort(-np.abs(loadings), kind="stable")[:terms]
    text = ""
    for i in order:
        coefficient = loadings[i]
        sign = "-" if coefficient < 0 else ("+" if text else "")
        text += f"{sign}{abs(coefficient):.3f}{names[i]}"
    return text + ("..." if loadings.size > terms else "")


class ZCA(Filter):
    """Whitens the numeric attributes (ZCA): uncorrelated, unit variance, close to the
    original.

    ``epsilon`` is added to every eigenvalue before the inverse square root, limiting how
    much directions of tiny variance are amplified (0.1 suits pixels scaled to [0, 1]).
    """

    name = "zca"
    display_name = "ZCA whitening"
    aliases = ("ZCAWhitening", "ZCA")
    epsilon = Param.number(0.1, "added to each eigenvalue; larger means gentler "
                           "whitening", low=0.0, letter="E")
    state_fields = ("columns_", "mean_", "whitening_")

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self.columns_: list[int] = []
        self.mean_ = np.zeros(0)
        self.whitening_ = np.zeros((0, 0))

    def _fit(self, data: Dataset) -> None:
        self.columns_ = working_columns(data, _NUMERIC)
        d = len(self.columns_)
        X = dense(data)[:, self.columns_]
        n = X.shape[0]
        with np.errstate(all="ignore"):
            counts = (~np.isnan(X)).sum(axis=0)
            means = np.where(counts > 0, np.nansum(X, axis=0) / np.maximum(counts, 1), 0.0)
        self.mean_ = means
        if n < 2 or d == 0:
            self.whitening_ = np.eye(d)
            return
        Z = _fill(X, means) - means
        covariance = Z.T @ Z / (n - 1)
        eigenvalues, eigenvectors = np.linalg.eigh(covariance)
        eigenvalues = np.maximum(eigenvalues, 0.0)
        with np.errstate(divide="ignore"):
            scale = 1.0 / np.sqrt(eigenvalues + self.epsilon)
        if not np.all(np.isfinite(scale)):
            from workbench.filters.base import FilterError

            raise FilterError(f"{self.title}: an attribute has no variance and epsilon is "
                              f"0; give --epsilon a small positive value")
        self.whitening_ = (eigenvectors * scale) @ eigenvectors.T

    def _transform(self, data: Dataset) -> Dataset:
        X = dense(data).copy()
        cols = list(self.columns_)
        if cols:
            Z = _fill(X[:, cols], self.mean_) - self.mean_
            X[:, cols] = Z @ np.asarray(self.whitening_).T
        return with_values(data, X)

    def _describe(self) -> str:
        return (f"Whitened {len(self.columns_)} numeric attributes "
                f"(epsilon {self.epsilon:g}).")
