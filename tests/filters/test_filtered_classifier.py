import numpy as np
import pytest
from filter_helpers import poisoned

from workbench.classifiers import load_model
from workbench.classifiers.filtered import FilteredClassifier, register_filtered
from workbench.core.errors import WorkbenchError
from workbench.core.registry import Registry, default_registry
from workbench.filters.scaling import Standardize


def test_registered_under_weka_name():
    info = default_registry().get("classifier", "FilteredClassifier")
    assert info.factory is FilteredClassifier and info.category == "meta"
    registry = Registry()
    register_filtered(registry)
    assert registry.get("classifier", "filtered").factory is FilteredClassifier


def test_filters_are_fitted_on_training_data_only(iris):
    train, test = iris.select_rows(np.arange(0, 150, 2)), iris.select_rows(np.arange(1, 150, 2))
    model = FilteredClassifier(filters="standardize", classifier="knn").fit(train)
    standardize = model.filters_[0]
    assert np.allclose(standardize.mean_, train.X[:, :4].mean(axis=0))
    before = standardize.mean_.copy()
    model.predict(poisoned(test))
    assert np.array_equal(before, standardize.mean_)


def test_each_cross_validation_fold_fits_its_own_filters(iris, monkeypatch):
    from workbench.evaluation.evaluate import TestOption, evaluate

    seen: list[int] = []
    original = Standardize._fit

    def spy(self, data):
        seen.append(data.num_instances)
        return original(self, data)

    monkeypatch.setattr(Standardize, "_fit", spy)
    evaluation = evaluate(FilteredClassifier(filters="standardize", classifier="knn -K 3"),
                          iris, TestOption.cross_validation(10, seed=1))
    assert seen[0] == 150  # the full-data model
    assert seen[1:] == [135] * 10  # one fit per fold, on the 9/10 training part
    assert evaluation.metrics.correct == 143


def test_scheme_line_and_model_name_the_filters(iris):
    from workbench.evaluation.evaluate import TestOption, evaluate

    classifier = FilteredClassifier(filters="replace-missing-values | pca -R 0.9",
                                    classifier="knn -K 3")
    evaluation = evaluate(classifier, iris, TestOption.cross_validation(3, seed=1))
    report = evaluation.report()
    assert ("Scheme:       FilteredClassifier -F 'replace-missing-values | pca -R 0.9' "
            "-W 'knn -K 3'\n") in report
    assert "on data filtered through replace-missing-values | pca --variance-covered 0.9" \
        in report


def test_instance_filters_change_training_data_only(iris):
    model = FilteredClassifier(filters="resample -Z 50", classifier="zeror").fit(iris)
    assert model.classifier_.header_ is not None
    assert model.predict(iris).shape == (150,)


def test_save_and_load_predict_the_same(iris, labor, tmp_path):
    for data, filters in [(iris, "discretize --method mdl | nominal-to-binary"),
                          (labor, "replace-missing-values | nominal-to-binary | "
                                  "standardize | pca | attribute-selection -N 3 -E correlation"),
                          (iris, "zca | normalize")]:
        model = FilteredClassifier(filters=filters, classifier="knn -K 3").fit(data)
        path = tmp_path / "model.wbm"
        model.save(path)
        loaded = load_model(path)
        assert np.array_equal(loaded.predict_proba(data), model.predict_proba(data))
        assert loaded.describe() == model.describe()


def test_text_filter_in_a_model_file(tmp_path):
    from workbench.data.catalog import load_bundled

    data = load_bundled("sentiment").select_rows(slice(0, 300))
    model = FilteredClassifier(filters="string-to-word-vector --output tfidf | remove -T "
                               "nominal", classifier="knn").fit(data)
    path = tmp_path / "text.wbm"
    model.save(path)
    assert np.array_equal(load_model(path).predict(data), model.predict(data))


def test_bad_specs_are_refused_when_configured():
    with pytest.raises(WorkbenchError, match="no filter called 'nosuch'"):
        FilteredClassifier(filters="nosuch")
    with pytest.raises(WorkbenchError, match="unrecognized arguments"):
        FilteredClassifier(filters="standardize --bins 3")
    with pytest.raises(WorkbenchError, match="no classifier called"):
        FilteredClassifier(classifier="standardize")


def test_a_filter_removing_the_class_is_reported(iris):
    with pytest.raises(WorkbenchError, match="removed the class"):
        FilteredClassifier(filters="remove -R last", classifier="zeror").fit(iris)


def test_clone_is_unfitted_with_same_parameters(iris):
    model = FilteredClassifier(filters="normalize", classifier="knn -K 5").fit(iris)
    copy = model.clone()
    assert copy.get_params() == model.get_params() and not copy.is_fitted


def test_nested_filtered_classifier_scheme_reads_back():
    import shlex

    inner = "filtered -F 'nominal-to-binary | pca' -W 'knn -K 3'"
    model = FilteredClassifier(filters="replace-missing-values", classifier=inner)
    text = model.options_text()
    assert text == f'--filters replace-missing-values --classifier "{inner}"'
    assert shlex.split(text) == ["--filters", "replace-missing-values", "--classifier", inner]


def test_the_inner_learning_curve_keeps_its_name(iris):
    """The curve of a FilteredClassifier is its inner classifier's: a perceptron's is its
    training error rate, and it said "loss" once wrapped (review M2), so the flow's
    overlay drew it on the loss panel."""
    from workbench.evaluation.learning import learning_curve

    model = FilteredClassifier(filters="standardize", classifier="perceptron").fit(iris)
    curve = learning_curve(model)
    assert curve is not None and curve.loss_name == "error rate"
    assert FilteredClassifier(classifier="mlp").loss_name == "loss"   # unfitted: default


def test_a_crafted_spec_of_megabytes_is_refused_at_once():
    """A model or flow file may carry a wrapper's inner classifier as a 5 MB line: shlex
    and argparse took 457 s over it before refusing (review 2, M1). Refused by length
    before any parsing, for every wrapper and filter chain that reads spec lines."""
    from workbench.classifiers.input_mapped import InputMappedClassifier
    from workbench.filters.spec import MAX_SPEC_CHARACTERS, parse_filters

    crafted = "knn " + "-K 3 " * (MAX_SPEC_CHARACTERS // 5 + 1)
    with pytest.raises(WorkbenchError, match="characters"):
        FilteredClassifier(classifier=crafted)   # parses its spec when configured
    with pytest.raises(WorkbenchError, match="characters"):
        InputMappedClassifier(classifier=crafted)._build()
    with pytest.raises(WorkbenchError, match="characters"):
        parse_filters(crafted)


def test_a_loaded_wrapper_keeps_its_inner_learning_curve(iris, tmp_path):
    """After loading, a FilteredClassifier or InputMappedClassifier had no learning curve
    although its inner model kept one (review 2, L3)."""
    from workbench.classifiers.input_mapped import InputMappedClassifier
    from workbench.evaluation.learning import learning_curve

    for wrapper in (FilteredClassifier(filters="standardize", classifier="perceptron"),
                    InputMappedClassifier(classifier="perceptron")):
        wrapper.fit(iris)
        path = tmp_path / f"{wrapper.name}.model"
        wrapper.save(path)
        loaded = load_model(path)
        curve = learning_curve(loaded)
        assert curve is not None and curve.loss_name == "error rate"
        np.testing.assert_array_equal(curve.series["loss"], learning_curve(wrapper).series["loss"])
