"""NaiveBayes -K (kernel density) and -D (supervised discretisation), checked against
WEKA 3.9.7's own output: `java weka.classifiers.bayes.NaiveBayes -K|-D -t FILE -x 10 -s 1`
gives these correct counts, kappas and mean absolute errors (10-fold CV, seed 1)."""

import pytest

from workbench.classifiers.modelfile import load_model
from workbench.core.errors import WorkbenchError
from workbench.core.registry import default_registry
from workbench.data.catalog import load_bundled
from workbench.evaluation.evaluate import TestOption, evaluate

WEKA = {  # (dataset, option): (correct, kappa, mean absolute error) as WEKA prints them
    ("iris", "kernel"): (145, "0.95", "0.0365"),
    ("iris", "discretize"): (139, "0.89", "0.0456"),
    ("diabetes", "kernel"): (577, "0.4253", "0.2825"),
    ("diabetes", "discretize"): (571, "0.429", "0.2992"),
    ("glass", "kernel"): (108, "0.3276", "0.1445"),
    ("glass", "discretize"): (151, "0.5959", "0.1049"),
    ("ionosphere", "kernel"): (322, "0.8208", "0.0855"),
    ("ionosphere", "discretize"): (313, "0.7614", "0.1085"),
}


@pytest.mark.parametrize("dataset, option", sorted(WEKA))
def test_counts_kappa_and_error_equal_wekas(dataset, option):
    learner = default_registry().create("classifier", "weka.classifiers.bayes.NaiveBayes",
                                        **{option: True})
    result = evaluate(learner, load_bundled(dataset), TestOption.cross_validation(10, 1))
    correct, kappa, mae = WEKA[dataset, option]
    metrics = result.metrics
    assert round(metrics.correct) == correct
    assert f"{metrics.kappa:.4f}".rstrip("0") == kappa
    assert f"{metrics.mean_absolute_error:.4f}" == mae


def test_kernel_and_discretize_together_are_refused_as_weka_does():
    learner = default_registry().create("classifier", "NaiveBayes", kernel=True,
                                        discretize=True)
    with pytest.raises(WorkbenchError, match="not both"):
        learner.fit(load_bundled("iris"))


@pytest.mark.parametrize("option", ["kernel", "discretize"])
def test_saved_models_predict_the_same(tmp_path, option):
    data = load_bundled("glass")
    model = default_registry().create("classifier", "NaiveBayes", **{option: True}).fit(data)
    model.save(tmp_path / "nb.model")
    again = load_model(tmp_path / "nb.model")
    assert (again.predict_proba(data) == model.predict_proba(data)).all()
    assert again.describe() == model.describe()


def test_the_kernel_model_text_lists_each_kernel_as_weka_does():
    text = default_registry().create("classifier", "NaiveBayes", kernel=True).fit(
        load_bundled("iris")).describe()
    assert "  [# kernels]                      14              20              20" in text
    assert "  K1: mean (weight)        4.3412 (1)      4.8706 (1)      4.8706 (1)" in text
    assert "  K15: mean (weight)               --      6.4588 (1)         7.2 (3)" in text
