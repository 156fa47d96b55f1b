import numpy as np
import pytest
from classifier_helpers import load
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from workbench.classifiers.sklearn_adapter import (
    SklearnClassifier,
    WorkbenchEstimator,
    resolve_estimator,
)
from workbench.core.errors import ParameterError


@pytest.mark.parametrize("path", ["os.system", "subprocess.Popen", "sklearn", "sklearn..svm",
                                  "sklearn.svm._base.BaseSVC", "sklearn.svm.SVC; import os",
                                  "builtins.eval"])
def test_only_public_sklearn_classes_can_be_named(path):
    with pytest.raises(ParameterError):
        resolve_estimator(path)


def test_any_sklearn_classifier_runs_by_path_with_options():
    iris = load("iris.arff")
    model = SklearnClassifier(estimator="sklearn.neighbors.KNeighborsClassifier",
                              options='{"n_neighbors": 1}').fit(iris)
    assert np.mean(model.predict(iris) == iris.class_values) == 1.0
    with pytest.raises(ParameterError, match="not valid JSON"):
        SklearnClassifier(options="{n_neighbors: 1}").fit(iris)
    with pytest.raises(Exception, match="not a regressor"):
        SklearnClassifier().fit(load("cpu.arff"))


def test_a_regressor_predicts_a_numeric_class():
    cpu = load("cpu.arff")
    model = SklearnClassifier(estimator="sklearn.linear_model.Ridge").fit(cpu)
    assert np.corrcoef(model.predict(cpu), cpu.class_values)[0, 1] > 0.9


def test_probabilities_cover_classes_missing_from_training():
    iris = load("iris.arff")
    two = iris.select_rows(iris.class_values < 2)
    model = SklearnClassifier().fit(two)
    proba = model.predict_proba(iris)
    assert proba.shape == (150, 3)
    np.testing.assert_array_equal(proba[:, 2], 0.0)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_workbench_classifiers_work_inside_pipeline_and_grid_search():
    iris = load("iris.arff")
    X = iris.X[:, :4]
    y = np.array(iris.class_attribute.values)[iris.class_values.astype(int)]
    pipe = make_pipeline(StandardScaler(), WorkbenchEstimator("knn"))
    search = GridSearchCV(pipe, {"workbenchestimator__k": [1, 7]}, cv=3).fit(X, y)
    assert search.best_params_["workbenchestimator__k"] in (1, 7)
    assert set(search.predict(X[:5])) <= set(y)
    scores = cross_val_score(WorkbenchEstimator("IBk", k=3), X, y, cv=5)
    assert scores.mean() > 0.9
    proba = WorkbenchEstimator("zeror").fit(X, y).predict_proba(X)
    np.testing.assert_allclose(proba, 1 / 3)


def test_a_classifier_that_is_no_name_is_refused_in_words():
    # Its text names a classifier, but only names are looked up: once this reached
    # None(**params), a TypeError that said nothing about the classifier.
    class Spelled:
        def __str__(self):
            return "zeror"

    X, y = np.zeros((4, 1)), np.array(["a", "b", "a", "b"])
    with pytest.raises(ParameterError, match="classifier must be a name"):
        WorkbenchEstimator(Spelled()).fit(X, y)


def test_absurd_parameters_are_refused_so_a_model_file_cannot_refit_forever(tmp_path):
    import json
    import zipfile

    from workbench.classifiers import load_model
    from workbench.classifiers.modelfile import ModelFileError
    from workbench.core.errors import ParameterError
    from workbench.core.registry import default_registry

    registry = default_registry()
    with pytest.raises(ParameterError, match="trees"):
        registry.create("classifier", "random-forest", trees=10**9)
    with pytest.raises(ParameterError, match="n_estimators"):
        registry.create("classifier", "sklearn", estimator="sklearn.ensemble.ExtraTreesClassifier",
                        options='{"n_estimators": 1000000000}').make_estimator()
    with pytest.raises(ParameterError, match="nested more than"):
        registry.create("classifier", "sklearn", options="[" * 100 + "]" * 100
                        ).make_estimator()
    with pytest.raises(ParameterError, match="estimator options are not valid JSON"):
        registry.create("classifier", "sklearn", options='{"C": ' + "9" * 5000 + "}"
                        ).make_estimator()
    from classifier_helpers import load

    good = tmp_path / "forest.model"
    registry.create("classifier", "random-forest", trees=3).fit(load("iris.arff")).save(good)
    with zipfile.ZipFile(good) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    document = json.loads(members["model.json"])
    document["params"]["trees"] = 10**9
    members["model.json"] = json.dumps(document).encode()
    evil = tmp_path / "evil.model"
    with zipfile.ZipFile(evil, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with pytest.raises(ModelFileError, match=r"evil\.model: .*trees"):
        load_model(evil)


def test_a_stored_class_code_out_of_range_is_refused_on_load(tmp_path):
    import io
    import json
    import zipfile

    from classifier_helpers import load

    from workbench.classifiers import load_model
    from workbench.classifiers.modelfile import ModelFileError
    from workbench.core.registry import default_registry

    good = tmp_path / "tree.model"
    default_registry().create("classifier", "decision-tree").fit(load("iris.arff")).save(good)
    with zipfile.ZipFile(good) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    y = np.load(io.BytesIO(members["arrays/train.y.npy"]))
    y[0] = 3.0  # iris has classes 0, 1, 2
    buffer = io.BytesIO()
    np.save(buffer, y)
    members["arrays/train.y.npy"] = buffer.getvalue()
    evil = tmp_path / "evil.model"
    with zipfile.ZipFile(evil, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with pytest.raises(ModelFileError, match=r"evil\.model: array 'train\.y' holds class "
                                             r"codes outside 0\.\.2"):
        load_model(evil)
    assert json.loads(members["model.json"])["component"] == "decision-tree"


@pytest.mark.parametrize("pruning", ["cross-validated", "none"])
def test_the_decision_trees_model_text_gives_its_leaves_size_depth_and_alpha(pruning):
    import re

    from workbench.core.registry import default_registry

    model = default_registry().create("classifier", "decision-tree",
                                      pruning=pruning).fit(load("iris.arff"))
    text = model.describe()
    fitted = model.estimator_
    tree = fitted.tree_ if pruning == "cross-validated" else fitted
    numbers = {name: int(value) for name, value in re.findall(
        r"(Number of Leaves|Size of the tree|Depth of the tree)\s*:\s*(\d+)", text)}
    assert numbers == {"Number of Leaves": tree.get_n_leaves(),
                       "Size of the tree": tree.tree_.node_count,
                       "Depth of the tree": tree.get_depth()}
    if pruning == "none":
        assert "Not pruned" in text and numbers["Number of Leaves"] == 9
    else:
        alpha = re.search(r"cost-complexity alpha (\S+)", text).group(1)
        assert float(alpha) == pytest.approx(fitted.alpha_, rel=1e-5) and fitted.alpha_ > 0
        assert numbers["Number of Leaves"] < 9  # pruned below the fully grown tree


def test_the_regression_trees_model_text_counts_leaves_too():
    from workbench.core.registry import default_registry

    data = load("iris.arff").with_class(0)
    text = default_registry().create("classifier", "decision-tree").fit(data).describe()
    assert "Number of Leaves" in text and "cost-complexity alpha" in text


@pytest.mark.parametrize("estimator, options, doing, words", [
    ("sklearn.neighbors.KNeighborsClassifier", '{"n_neighbors": 1000}', "predict",
     "n_neighbors <= n_samples_fit"),
    ("sklearn.neighbors.RadiusNeighborsClassifier", '{"radius": 0.0001}', "predict",
     "No neighbors found"),
    ("sklearn.multiclass.OneVsRestClassifier", '{"estimator": null}', "be trained",
     "AttributeError"),
])
def test_what_an_estimator_refuses_is_our_error_in_its_words(estimator, options, doing, words):
    from workbench.core.errors import InvalidDataError

    iris = load("iris.arff")
    train, test = iris.select_rows(slice(0, 100, 2)), iris.select_rows(slice(1, 100, 2))
    with pytest.raises(InvalidDataError) as caught:
        SklearnClassifier(estimator=estimator, options=options).fit(train).predict(test)
    message = str(caught.value)
    assert message.startswith(f"{estimator.rsplit('.', 1)[1]} could not {doing}: ")
    assert words in message and "\n" not in message and len(message) < 400


def test_an_infinite_option_is_refused():
    with pytest.raises(ParameterError, match="'C': inf is not a finite number"):
        SklearnClassifier(estimator="sklearn.linear_model.LogisticRegression",
                          options='{"C": 1e999}').make_estimator()
