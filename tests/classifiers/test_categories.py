"""Where the chooser files each learner: WEKA's learners where WEKA files them, the
engine's neural networks together, where a learner following a tutorial looks."""

import pytest

from workbench.core.registry import default_registry


@pytest.mark.parametrize("name, category", [
    ("mlp", "neural"), ("perceptron", "neural"), ("cnn", "neural"), ("dbn", "neural"),
    ("rnn", "neural"),
    ("weka-mlp", "functions"), ("voted-perceptron", "functions"), ("knn", "lazy"),
    ("naive-bayes", "bayes"), ("zeror", "rules"),
])
def test_each_learner_is_filed_where_its_users_look(name, category):
    infos = {info.name: info for info in default_registry().list("classifier")}
    assert infos[name].category == category
