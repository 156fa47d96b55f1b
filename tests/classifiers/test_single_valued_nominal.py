"""hypothyroid.arff declares 'TBG measured' {f}: a nominal attribute with one value. WEKA
trains on it; our encoder used to raise IndexError for every learner on arrays."""

import numpy as np
import pytest

from workbench.classifiers.encoding import Encoder
from workbench.core.registry import default_registry
from workbench.data.dataset import Attribute, Dataset
from workbench.evaluation.evaluate import TestOption, evaluate


def _data(n=60):
    rng = np.random.default_rng(3)
    x = rng.normal(size=n)
    cls = (x > 0).astype(float)
    X = np.column_stack([x, np.zeros(n), np.full(n, np.nan), cls])
    return Dataset("odd-nominals", [Attribute.numeric("x"),
                                    Attribute.nominal("measured", ["f"]),
                                    Attribute.nominal("empty", []),
                                    Attribute.nominal("class", ["no", "yes"])],
                   X, class_index=3)


@pytest.mark.parametrize("coding", ["binary", "onehot"])
def test_single_valued_is_one_zero_column_and_empty_adds_none(coding):
    encoder = Encoder(nominal=coding).fit(_data())
    matrix = encoder.transform(_data())
    assert encoder.names_ == ["x", "measured=f"]
    assert matrix.shape == (60, 2) and not matrix[:, 1].any()


@pytest.mark.parametrize("name", ["perceptron", "voted-perceptron", "mlp", "dbn", "knn",
                                  "naive-bayes", "logistic"])
def test_every_learner_trains_beside_single_valued_and_empty_attributes(name):
    learner = default_registry().create("classifier", name)
    result = evaluate(learner, _data(), TestOption.cross_validation(3, 1))
    assert result.metrics.pct_correct > 60
