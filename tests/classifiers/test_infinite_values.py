"""One infinite value made IBk fall silently from 95 % to 36 % on iris and the MLP blame
its learning rate; learners now refuse it, naming the attribute and instance."""

import numpy as np
import pytest

from workbench.classifiers.capabilities import CapabilityError
from workbench.core.registry import default_registry
from workbench.data.catalog import load_bundled


def _iris_with_inf(row=16, col=2, value=np.inf):
    data = load_bundled("iris")
    X = data.X.copy()
    X[row, col] = value
    return data._new(X=X)


@pytest.mark.parametrize("name", ["knn", "naive-bayes", "perceptron", "mlp", "dbn"])
def test_training_data_with_an_infinite_value_is_refused_with_where_it_is(name):
    learner = default_registry().create("classifier", name)
    with pytest.raises(CapabilityError, match=r"attribute 3 'petallength' is infinity in "
                                              r"instance 17 \(1 such value in all\)"):
        learner.fit(_iris_with_inf())


def test_test_data_with_an_infinite_value_is_refused_at_prediction():
    model = default_registry().create("classifier", "knn").fit(load_bundled("iris"))
    with pytest.raises(CapabilityError, match="attribute 1 'sepallength' is -infinity in "
                                              "instance 5"):
        model.predict(_iris_with_inf(row=4, col=0, value=-np.inf))


def test_zeror_ignores_infinite_attributes_but_not_an_infinite_class():
    zeror = default_registry().create("classifier", "zeror")
    zeror.fit(_iris_with_inf())
    assert zeror.predict(_iris_with_inf()).shape == (150,)
    cpu = load_bundled("iris").with_class("petalwidth")
    X = cpu.X.copy()
    X[3, 3] = np.inf
    with pytest.raises(CapabilityError, match="class 4 'petalwidth' is infinity"):
        zeror.fit(cpu._new(X=X))


def test_sparse_data_is_checked_too():
    data = _iris_with_inf(row=20, col=1)
    sparse = data._new(X=__import__("scipy.sparse", fromlist=["csr_matrix"]).csr_matrix(data.X))
    with pytest.raises(CapabilityError, match="attribute 2 'sepalwidth' is infinity in "
                                              "instance 21"):
        default_registry().create("classifier", "knn").fit(sparse)


def test_values_whose_squares_overflow_are_refused_too():
    with pytest.raises(CapabilityError, match=r"values beyond ±1e\+150 .* attribute 3 "
                                              r"'petallength' is -1e\+300 in instance 17"):
        default_registry().create("classifier", "naive-bayes").fit(_iris_with_inf(value=-1e300))
