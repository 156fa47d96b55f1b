"""Gradient boosting, extra trees, AdaBoost and LDA: built in (they were a plugin), so an
installed wheel has them; each learns, reproduces its seed, and survives a model file."""

from __future__ import annotations

import numpy as np
import pytest
from classifier_helpers import load

from workbench.classifiers import load_model
from workbench.core.registry import default_registry

LEARNERS = {"gradient-boosting": {"trees": 20}, "extra-trees": {"trees": 20},
            "adaboost": {"iterations": 20}, "lda": {}}


@pytest.mark.parametrize("name", sorted(LEARNERS))
def test_registered_as_built_ins_learn_iris_and_reload_from_a_model_file(name, tmp_path):
    info = default_registry().get("classifier", name)
    assert info.origin == "built-in"
    iris = load("iris.arff")
    model = info.create(**LEARNERS[name]).fit(iris)
    assert np.mean(model.predict(iris) == iris.class_values) > 0.9
    model.save(tmp_path / "m.model")
    again = load_model(tmp_path / "m.model")
    np.testing.assert_allclose(again.predict_proba(iris), model.predict_proba(iris))


@pytest.mark.parametrize("name", ["gradient-boosting", "extra-trees"])
def test_tree_ensembles_predict_a_numeric_class_and_repeat_with_their_seed(name):
    cpu = load("cpu.arff")
    first = default_registry().create("classifier", name, **LEARNERS[name]).fit(cpu)
    second = default_registry().create("classifier", name, **LEARNERS[name]).fit(cpu)
    assert np.corrcoef(first.predict(cpu), cpu.class_values)[0, 1] > 0.9
    np.testing.assert_array_equal(first.predict(cpu), second.predict(cpu))


def test_lda_shrinkage_is_a_declared_parameter_with_its_range():
    params = {p.name: p for p in default_registry().get("classifier", "lda").params}
    assert params["shrinkage"].default is None
    with pytest.raises(Exception, match="shrinkage"):
        default_registry().create("classifier", "lda", shrinkage=1.5)
