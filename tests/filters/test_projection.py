import numpy as np
import pytest
from filter_helpers import poisoned

from workbench.filters.projection import PCA, ZCA


def test_pca_keeps_enough_components_for_the_variance(iris):
    f = PCA(variance_covered=0.95).fit(iris)
    out = f.transform(iris)
    assert out.num_attributes == 3 and out.class_attribute.name == "class"
    assert f.variance_ratio_.sum() >= 0.95
    assert out.attributes[0].name.startswith("0.58")  # WEKA-style name from loadings


def test_pca_matches_sklearn_on_standardized_data(iris):
    from sklearn.decomposition import PCA as Reference

    X = iris.X[:, :4]
    Z = (X - X.mean(axis=0)) / X.std(axis=0, ddof=1)
    expected = Reference(n_components=2, svd_solver="full").fit_transform(Z)
    out = PCA(max_components=2).fit_transform(iris)
    assert np.allclose(np.abs(out.X[:, :2]), np.abs(expected), atol=1e-10)


def test_pca_components_uncorrelated_on_training_data(iris):
    out = PCA(variance_covered=1.0).fit_transform(iris)
    cov = np.cov(out.X[:, :4].T)
    assert np.allclose(cov - np.diag(np.diag(cov)), 0, atol=1e-10)


def test_pca_keeps_nominal_attributes_and_fills_missing(labor):
    out = PCA().fit_transform(labor)
    numeric = [a for a in out.attributes if a.is_numeric]
    assert not np.isnan(out.X[:, :len(numeric)]).any()
    assert out.class_attribute.name == "class"
    nominal = [a.name for a in labor.attributes if a.is_nominal and a.name != "class"]
    assert [a.name for a in out.attributes if a.is_nominal][:-1] == nominal


def test_pca_learns_from_training_only(iris):
    f = PCA().fit(iris)
    components = f.components_.copy()
    f.transform(poisoned(iris))
    assert np.array_equal(components, f.components_)


def test_pca_on_tiny_data_has_no_components(iris):
    out = PCA().fit(iris.select_rows([0])).transform(iris)
    assert [a.name for a in out.attributes] == ["class"]


def test_zca_whitens_to_identity_covariance(iris):
    out = ZCA(epsilon=0.0).fit_transform(iris)
    assert np.allclose(np.cov(out.X[:, :4].T), np.eye(4), atol=1e-8)
    assert [a.name for a in out.attributes] == [a.name for a in iris.attributes]


def test_zca_stays_close_to_the_original(iris):
    # ZCA is the whitening closest to the (centred, scaled) data: each output attribute
    # correlates most with its own input attribute
    out = ZCA(epsilon=1e-6).fit_transform(iris)
    corr = np.corrcoef(out.X[:, :4].T, iris.X[:, :4].T)[:4, 4:]
    assert list(np.argmax(np.abs(corr), axis=1)) == [0, 1, 2, 3]


def test_zca_epsilon_zero_refused_on_constant_attribute(iris):
    from workbench.filters.base import FilterError

    X = iris.X.copy()
    X[:, 1] = 1.0
    data = type(iris)("c", iris.attributes, X, class_index=4)
    with pytest.raises(FilterError, match="epsilon"):
        ZCA(epsilon=0.0).fit(data)
    assert np.isfinite(ZCA().fit_transform(data).X).all()
