"""The node types: data preparation, folds, filters without leakage, savers, evaluation
and viewers, each checked against the layer it builds on."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from flow_helpers import DATASETS, iris_path, small_dataset

from workbench.classifiers import load_model
from workbench.data.io import load_dataset
from workbench.evaluation import TestOption, cross_validation_folds, evaluate, percentage_split
from workbench.flow import Executor, Flow, Status
from workbench.flow.nodes.base import NodeContext, NodeError
from workbench.flow.nodes.preprocess import (
    ClassAssigner,
    ClassValuePicker,
    CrossValidationFoldMaker,
    TrainTestSplitMaker,
)
from workbench.flow.ports import whole


def ctx(tmp_path=None) -> NodeContext:
    return NodeContext("n", "node", tmp_path, tmp_path)


@pytest.fixture(scope="module")
def iris():
    return load_dataset(iris_path(), class_index=-1)


@pytest.mark.parametrize(("spec", "expected"), [("last", 4), ("first", 0), ("2", 1),
                                                ("petalwidth", 3), ("none", None)])
def test_class_assigner_takes_weka_words_indices_and_names(iris, spec, expected):
    out = ClassAssigner(class_column=spec).process({"dataSet": iris.with_class(None)}, ctx())
    assert out["dataSet"].class_index == expected


def test_class_assigner_refuses_a_missing_attribute(iris):
    with pytest.raises(NodeError, match=r"outside 1\.\.5"):
        ClassAssigner(class_column="9").process({"dataSet": iris}, ctx())


def test_class_value_picker_moves_the_chosen_value_first_and_recodes(iris):
    out = ClassValuePicker(class_value="Iris-virginica").process({"dataSet": iris}, ctx())
    picked = out["dataSet"]
    assert picked.class_attribute.values == ("Iris-virginica", "Iris-versicolor",
                                             "Iris-setosa")
    before = [iris.value_text(i, 4) for i in range(150)]
    after = [picked.value_text(i, 4) for i in range(150)]
    assert before == after
    with pytest.raises(NodeError, match="no value 'rose'"):
        ClassValuePicker(class_value="rose").process({"dataSet": iris}, ctx())


def test_fold_maker_cuts_wekas_folds(iris):
    out = CrossValidationFoldMaker(folds=5, seed=7).process({"dataSet": iris}, ctx())
    expected = list(cross_validation_folds(iris, 5, 7))
    assert [f.label for f in out["testSet"]] == [f"fold {k} of 5" for k in range(1, 6)]
    for train, test, fold in zip(out["trainingSet"], out["testSet"], expected, strict=True):
        np.testing.assert_array_equal(train.rows, fold.train)
        np.testing.assert_array_equal(test.rows, fold.test)
        assert test.dataset.equals(iris.select_rows(fold.test))
        assert train.source is iris


def test_split_maker_cuts_wekas_percentage_split(iris):
    out = TrainTestSplitMaker(percent=66, seed=3).process({"dataSet": iris}, ctx())
    fold = percentage_split(iris, 66, 3)
    np.testing.assert_array_equal(out["trainingSet"][0].rows, fold.train)
    np.testing.assert_array_equal(out["testSet"][0].rows, fold.test)


def test_filter_node_learns_from_each_training_fold_only(app_registry, iris):
    flow = Flow(app_registry)
    node_type = flow.add_node("filter:standardize").node_type
    folds = CrossValidationFoldMaker(folds=3).process({"dataSet": iris}, ctx())
    out = node_type().process(folds, ctx())
    for train, test, test_out in zip(folds["trainingSet"], folds["testSet"], out["testSet"],
                                     strict=True):
        x_train = train.dataset.column(0)
        expected = (test.dataset.column(0) - x_train.mean()) / x_train.std(ddof=1)
        np.testing.assert_allclose(test_out.dataset.column(0), expected)
        np.testing.assert_array_equal(test_out.rows, test.rows)


def test_a_filter_node_fits_once_per_training_fold_and_never_on_all_the_data(
        app_registry, iris, monkeypatch):
    """The report's header came from one more fit on all the data the folds were cut
    from: a slow filter's 11th fit, and a StringToWordVector vocabulary that included
    the test folds' words, read by a learner as leakage. The source now stays as it
    came (renamed), as FilteredClassifier's report shows the unfiltered header."""
    from workbench.filters.scaling import Standardize

    fitted_rows: list[int] = []
    real_fit = Standardize.fit

    def counting_fit(self, data, *args, **kwargs):
        fitted_rows.append(data.num_instances)
        return real_fit(self, data, *args, **kwargs)

    monkeypatch.setattr(Standardize, "fit", counting_fit)
    node_type = Flow(app_registry).add_node("filter:standardize").node_type
    folds = CrossValidationFoldMaker(folds=3).process({"dataSet": iris}, ctx())
    out = node_type().process(folds, ctx())
    assert fitted_rows == [100, 100, 100]
    source = out["trainingSet"][0].source
    np.testing.assert_array_equal(source.column(0), iris.column(0))
    assert source.relation.startswith("iris-weka.filters.unsupervised.attribute.Standardize")
    assert all(f.source is source for f in (*out["trainingSet"], *out["testSet"]))


def test_a_filter_node_names_its_output_as_weka_and_workbench_filter_do(app_registry,
                                                                       iris):
    """WEKA's Knowledge Flow, its Explorer and ``workbench filter`` append the filter to
    the relation name; a flow's filter did not, so its report and saved files hid it."""
    from workbench.filters.relation_name import filtered_relation

    flow = Flow(app_registry)
    node_type = flow.add_node("filter:standardize").node_type
    expected = filtered_relation(iris.relation, app_registry.create("filter", "standardize"))
    assert expected.startswith("iris-weka.filters.unsupervised.attribute.Standardize")
    assert node_type().process({"dataSet": iris}, ctx())["dataSet"].relation == expected
    folds = CrossValidationFoldMaker(folds=3).process({"dataSet": iris}, ctx())
    out = node_type().process(folds, ctx())
    assert {f.dataset.relation for f in (*out["trainingSet"], *out["testSet"])} == {expected}
    assert out["trainingSet"][0].source.relation == expected


def test_savers_write_files_that_read_back(app_registry, tmp_path, iris):
    flow = Flow(app_registry, path=tmp_path / "f.kflow.json")
    flow.add_node("ArffLoader", node_id="load", params={"file": str(iris_path())})
    flow.add_node("ArffSaver", node_id="arff", params={"file": "out/iris-copy.arff"})
    flow.add_node("CSVSaver", node_id="csv", params={"file": "out/iris-copy.csv"})
    flow.connect("load", "dataSet", "arff", "dataSet")
    flow.connect("load", "dataSet", "csv", "dataSet")
    result = Executor().run(flow)
    assert result.ok, result.states
    again = load_dataset(tmp_path / "out" / "iris-copy.arff")
    assert again.equals(iris.with_class(None))
    rows = list(csv.reader((tmp_path / "out" / "iris-copy.csv").open()))
    assert len(rows) == 151 and rows[0][0] == "sepallength"
    # savers have side effects: they write again on every run, even when cached
    (tmp_path / "out" / "iris-copy.arff").unlink()
    Executor().run(flow)
    assert (tmp_path / "out" / "iris-copy.arff").exists()


def test_model_saver_saves_the_full_data_model(app_registry, tmp_path, iris):
    flow = Flow(app_registry)
    flow.add_node("ArffLoader", node_id="load", params={"file": str(iris_path())})
    flow.add_node("ClassAssigner", node_id="class")
    flow.add_node("TrainingSetMaker", node_id="train")
    flow.add_node("classifier:knn", node_id="knn", params={"k": 3})
    flow.add_node("ModelSaver", node_id="save", params={"file": "m.model"})
    for a, ap, b, bp in [("load", "dataSet", "class", "dataSet"),
                         ("class", "dataSet", "train", "dataSet"),
                         ("train", "trainingSet", "knn", "trainingSet"),
                         ("knn", "batchClassifier", "save", "batchClassifier")]:
        flow.connect(a, ap, b, bp)
    result = Executor().run(flow, output_dir=tmp_path)
    assert result.ok, result.states
    model = load_model(tmp_path / "m.model")
    fitted = result.outputs["knn"]["batchClassifier"].final.classifier
    np.testing.assert_array_equal(model.predict_proba(iris), fitted.predict_proba(iris))


def _evaluated_flow(app_registry, classifiers):
    flow = Flow(app_registry)
    flow.add_node("ArffLoader", node_id="load", params={"file": str(iris_path())})
    flow.add_node("ClassAssigner", node_id="class")
    flow.add_node("TrainTestSplitMaker", node_id="split")
    flow.add_node("ModelPerformanceChart", node_id="chart",
                  params={"class_value": "Iris-versicolor"})
    flow.connect("load", "dataSet", "class", "dataSet")
    flow.connect("class", "dataSet", "split", "dataSet")
    for name, params in classifiers.items():
        flow.add_node(f"classifier:{name}", node_id=name, params=params)
        flow.add_node("ClassifierPerformanceEvaluator", node_id=f"e_{name}")
        flow.connect("split", "trainingSet", name, "trainingSet")
        flow.connect("split", "testSet", name, "testSet")
        flow.connect(name, "batchClassifier", f"e_{name}", "batchClassifier")
        flow.connect(f"e_{name}", "thresholdData", "chart", "thresholdData")
    return flow


def test_chart_overlays_the_curves_of_several_classifiers(app_registry, tmp_path):
    flow = _evaluated_flow(app_registry, {"knn": {"k": 5}, "zeror": {}})
    flow.add_node("ConfusionMatrixViewer", node_id="matrix")
    flow.connect("e_knn", "visualizableError", "matrix", "visualizableError")
    result = Executor().run(flow)
    assert result.ok, result.states
    chart = result.outputs["chart"]["chart"]
    assert chart.title == "ROC curves, class Iris-versicolor"
    assert len(chart.series) == 2
    evaluation = result.outputs["e_knn"]["visualizableError"]
    curve = evaluation.metrics.curves[1]
    np.testing.assert_array_equal(chart.series[0].x, curve.fpr)
    np.testing.assert_array_equal(chart.series[0].y, curve.tpr)
    assert f"AUC {curve.roc_area():.4f}" in chart.series[0].label
    assert evaluation.results.test_mode == "split 66.0% train, remainder test"
    matrix = result.outputs["matrix"]["confusionMatrix"]
    np.testing.assert_array_equal(matrix.matrix, evaluation.metrics.confusion_matrix)
    written = flow.nodes["matrix"].create().export(result.outputs["matrix"], tmp_path, "cm")
    rows = list(csv.reader(written[0].open()))
    assert rows[0][1:] == list(evaluation.metrics.class_names)
    assert sum(float(v) for row in rows[1:] for v in row[1:]) == \
        evaluation.results.num_predictions


def test_prediction_appender_adds_the_predicted_class(app_registry):
    flow = _evaluated_flow(app_registry, {"zeror": {}})
    flow.add_node("PredictionAppender", node_id="append",
                  params={"append_probabilities": True})
    flow.connect("zeror", "batchClassifier", "append", "batchClassifier")
    result = Executor().run(flow)
    data = result.outputs["append"]["dataSet"]
    assert [a.name for a in data.attributes][-4:] == [
        "predicted_class", "p(Iris-setosa)", "p(Iris-versicolor)", "p(Iris-virginica)"]
    assert data.num_instances == 51
    np.testing.assert_allclose(data.dense_values()[:, -3:].sum(axis=1), 1.0)


def test_data_viewers_summarise_and_scatter(app_registry, tmp_path, iris):
    from workbench.flow.nodes.viewers import AttributeSummarizer, DataVisualizer

    summary = AttributeSummarizer().process({"dataSet": iris}, ctx())["summary"]
    assert [s.name for s in summary] == [a.name for a in iris.attributes]
    chart = DataVisualizer(x_attribute="petallength", y_attribute="4").process(
        {"dataSet": iris}, ctx())["chart"]
    assert [s.label for s in chart.series] == list(iris.class_attribute.values)
    assert sum(len(s.x) for s in chart.series) == 150
    assert (chart.x_label, chart.y_label) == ("petallength", "petalwidth")
    paths = DataVisualizer().export({"chart": chart}, tmp_path, "scatter")
    assert len(paths[0].read_text().splitlines()) == 151


def test_weight_viewer_shows_weight_vectors_and_refuses_learners_without(app_registry):
    if "perceptron" not in {i.name for i in app_registry.list("classifier")}:
        pytest.skip("the perceptron is not registered")
    data = small_dataset(40)
    from workbench.flow.nodes.viewers import WeightViewer

    for name, params, ok in (("perceptron", {"mode": "rosenblatt"}, True),
                             ("perceptron", {"mode": "voted"}, False), ("knn", {}, False)):
        node_type = Flow(app_registry).add_node(f"classifier:{name}").node_type
        batch = node_type(**params).process({"trainingSet": (whole(data),)}, ctx())
        if ok:
            images = WeightViewer().process(batch, ctx())["image"]
            assert images.arrays and all(a.size for a in images.arrays.values())
            assert images.num_inputs == 2
        else:
            with pytest.raises(NodeError, match="exposes no weights"):
                WeightViewer().process(batch, ctx())


def test_learning_curve_needs_a_training_history(app_registry):
    from workbench.flow.nodes.viewers import LearningCurveViewer

    node_type = Flow(app_registry).add_node("classifier:zeror").node_type
    batch = node_type().process({"trainingSet": (whole(small_dataset()),)}, ctx())
    with pytest.raises(NodeError, match="keeps no training history"):
        LearningCurveViewer().process(batch, ctx())


def test_the_perceptrons_learning_curve_is_its_error_rate_per_epoch(app_registry):
    from workbench.flow.nodes.viewers import LearningCurveViewer

    node_type = Flow(app_registry).add_node("classifier:perceptron").node_type
    batch = node_type(mode="rosenblatt", epochs=7).process(
        {"trainingSet": (whole(small_dataset()),)}, ctx())
    chart = LearningCurveViewer().process(batch, ctx())["chart"]
    model = batch["batchClassifier"].final.classifier
    loss = next(s for s in chart.series if s.label == "error rate")  # as the window names it
    np.testing.assert_allclose(loss.y, model.history_.loss)
    assert len(loss.y) == len(model.epoch_mistakes_[0])


def test_loader_reports_a_missing_file_as_a_node_error(app_registry, tmp_path):
    flow = Flow(app_registry)
    flow.add_node("ArffLoader", node_id="load", params={"file": str(tmp_path / "no.arff")})
    flow.add_node("CSVLoader", node_id="csv", params={"file": str(DATASETS / "iris.arff")})
    result = Executor().run(flow)
    assert result.states["load"].status is Status.ERROR
    assert "no such file" in result.states["load"].message
    assert "not a .csv" in result.states["csv"].message


def test_numeric_class_is_evaluated_with_correlation_and_filters_per_fold(app_registry):
    cpu = Path(__file__).resolve().parents[1] / "fixtures" / "datasets" / "cpu.arff"
    flow = Flow(app_registry)
    flow.add_node("ArffLoader", node_id="l", params={"file": str(cpu)})
    flow.add_node("ClassAssigner", node_id="c")
    flow.add_node("CrossValidationFoldMaker", node_id="cv", params={"folds": 5})
    flow.add_node("filter:standardize", node_id="std")
    flow.add_node("classifier:knn", node_id="k", params={"k": 3})
    flow.add_node("ClassifierPerformanceEvaluator", node_id="e")
    for a, ap, b, bp in [("l", "dataSet", "c", "dataSet"), ("c", "dataSet", "cv", "dataSet"),
                         ("cv", "trainingSet", "std", "trainingSet"),
                         ("cv", "testSet", "std", "testSet"),
                         ("std", "trainingSet", "k", "trainingSet"),
                         ("std", "testSet", "k", "testSet"),
                         ("k", "batchClassifier", "e", "batchClassifier")]:
        flow.connect(a, ap, b, bp)
    result = Executor().run(flow)
    assert result.ok, result.states
    evaluation = result.outputs["e"]["visualizableError"]
    assert evaluation.results.num_predictions == 209
    assert evaluation.metrics.correlation > 0.8
    assert "Correlation coefficient" in result.outputs["e"]["text"]
    assert result.outputs["e"]["thresholdData"].curves == ()


@pytest.mark.parametrize("node", ["filter:supervised-discretize", "classifier:knn"])
def test_data_without_a_class_is_refused_with_how_the_flow_gets_one(app_registry, node):
    flow = Flow(app_registry)
    flow.add_node("ArffLoader", node_id="l", params={"file": str(iris_path())})
    flow.add_node("CrossValidationFoldMaker", node_id="cv", params={"folds": 3})
    flow.add_node(node, node_id="n")
    flow.connect("l", "dataSet", "cv", "dataSet")
    flow.connect("cv", "trainingSet", "n", "trainingSet")
    flow.connect("cv", "testSet", "n", "testSet")
    result = Executor(cache=False).run(flow)
    message = result.states["n"].message
    assert "needs a class attribute" in message and "insert a ClassAssigner" in message


def test_chart_names_curves_as_the_report_does_and_apart_per_evaluator(app_registry):
    """Legends read the report's Scheme line ("IBk -K 5"), never the registry key "knn";
    two evaluators of one scheme add their titles, in the CSV and in the GUI's curves."""
    flow = _evaluated_flow(app_registry, {"knn": {"k": 5}, "zeror": {}})
    flow.add_node("classifier:knn", node_id="knn2", params={"k": 5})
    flow.add_node("ClassifierPerformanceEvaluator", node_id="e_knn2",
                  title="ClassifierPerformanceEvaluator2")
    flow.connect("split", "trainingSet", "knn2", "trainingSet")
    flow.connect("split", "testSet", "knn2", "testSet")
    flow.connect("knn2", "batchClassifier", "e_knn2", "batchClassifier")
    flow.connect("e_knn2", "thresholdData", "chart", "thresholdData")
    result = Executor().run(flow)
    assert result.ok, result.states
    chart = result.outputs["chart"]["chart"]
    names = [s.label.split(" (AUC")[0] for s in chart.series]
    assert names == ["IBk -K 5 [ClassifierPerformanceEvaluator]", "ZeroR",
                     "IBk -K 5 [ClassifierPerformanceEvaluator2]"]
    assert [e.results.classifier for e in chart.evaluations] == names
    # The evaluator's own result keeps its name, which `workbench run --json` prints.
    assert result.outputs["e_knn"]["visualizableError"].results.classifier == "knn"


def test_a_text_viewer_heads_each_of_several_reports_with_its_source(app_registry):
    flow = _evaluated_flow(app_registry, {"knn": {"k": 5}, "zeror": {}})
    flow.add_node("TextViewer", node_id="text")
    flow.set_title("e_knn", "Evaluator (IBk)")
    for source in ("e_knn", "e_zeror"):
        flow.connect(source, "text", "text", "text")
    executor = Executor()
    text = executor.run(flow).outputs["text"]["text"]
    assert text.startswith("=== Evaluator (IBk) ===\n\n=== Run information ===\n\n"
                           "Scheme:       IBk -K 5 --distance-weighting none ")
    assert "\n=== ClassifierPerformanceEvaluator ===\n\n=== Run information ===\n\n" \
           "Scheme:       ZeroR\n" in text
    # A renamed source renames its heading on the next run, though nothing else changed.
    flow.set_title("e_zeror", "Evaluator (ZeroR)")
    text = executor.run(flow).outputs["text"]["text"]
    assert "\n=== Evaluator (ZeroR) ===\n" in text
    # One report alone is the very text `workbench classify` prints: no heading.
    flow.remove_link(flow.links_into("text")[1])
    text = executor.run(flow).outputs["text"]["text"]
    assert text.startswith("=== Run information ===\n\nScheme:       IBk -K 5 ")


def _split_flow(registry, classifier: str, params: dict | None = None) -> Flow:
    """loader -> ClassAssigner -> TrainTestSplitMaker -> classifier -> evaluator."""
    flow = Flow(registry)
    flow.add_node("ArffLoader", node_id="load", params={"file": str(iris_path())})
    flow.add_node("ClassAssigner", node_id="class")
    flow.add_node("TrainTestSplitMaker", node_id="split", params={"percent": 66, "seed": 1})
    flow.add_node(classifier, node_id="model", params=params or {})
    flow.add_node("ClassifierPerformanceEvaluator", node_id="eval")
    for a, ap, b, bp in [("load", "dataSet", "class", "dataSet"),
                         ("class", "dataSet", "split", "dataSet"),
                         ("split", "trainingSet", "model", "trainingSet"),
                         ("split", "testSet", "model", "testSet"),
                         ("model", "batchClassifier", "eval", "batchClassifier")]:
        flow.connect(a, ap, b, bp)
    return flow


def test_a_classifier_after_a_split_trains_once_on_its_training_set(iris):
    """WEKA's Knowledge Flow trains once per training set: a split's classifier fits
    its training split and no second model on all the data (an MLP on MNIST trained
    twice). The model it shows and saves is the one the test split evaluated."""
    from flow_helpers import CountingZeroR, make_registry

    flow = _split_flow(make_registry(), "classifier:counting", {"tag": 7})
    messages: list[str] = []
    result = Executor().run(flow, lambda event: messages.append(event.message or ""))
    assert result.ok, result.states
    assert CountingZeroR.fits == [7]
    batch = result.outputs["model"]["batchClassifier"]
    training = percentage_split(iris, 66, 1).train
    assert batch.full is None and len(batch.folds) == 1
    assert batch.final.train.num_instances == len(training)
    assert not any("full data" in m for m in messages)
    assert "=== Classifier model (training set) ===" in result.outputs["model"]["text"]


def test_a_split_evaluation_is_the_explorers_without_the_full_data_model(app_registry,
                                                                         iris):
    """Only the full-data fit goes: the test split's numbers are those of
    ``workbench classify`` on the same split, and the report shows no model that the
    flow did not train (WEKA's "full training set")."""
    flow = _split_flow(app_registry, "classifier:knn", {"k": 3})
    result = Executor().run(flow)
    assert result.ok, result.states
    evaluation = result.outputs["eval"]["visualizableError"]
    expected = evaluate(app_registry.create("classifier", "knn", k=3), iris,
                        TestOption.split(66, 1))
    np.testing.assert_array_equal(evaluation.metrics.confusion_matrix,
                                  expected.metrics.confusion_matrix)
    np.testing.assert_array_equal(evaluation.results.indices, expected.results.indices)
    strip = lambda text: [ln for ln in text.splitlines() if "Time taken" not in ln]  # noqa: E731
    text = result.outputs["eval"]["text"]
    assert "full training set" not in text
    assert strip(text) == strip(expected.report(with_model=False))
    batch = result.outputs["model"]["batchClassifier"]
    assert evaluation.model is batch.final.classifier   # the model that was tested


def test_the_classifiers_model_text_has_the_reports_scheme_line(app_registry):
    """The classifier node's text and the evaluator's report print one Scheme line, the
    Explorer's and `workbench classify`'s ("IBk -K 3 ..."), not the registry key and long
    flags ("knn --k 3"); runtime settings left at their defaults are not on it."""
    flow = _split_flow(app_registry, "classifier:knn", {"k": 3})
    result = Executor().run(flow)
    assert result.ok, result.states

    def scheme(text: str) -> str:
        return next(line for line in text.splitlines() if line.startswith("Scheme:"))

    line = scheme(result.outputs["eval"]["text"])
    assert line == "Scheme:       IBk -K 3 --distance-weighting none -W 0 --distance " \
        "euclidean --update-ranges"
    assert scheme(result.outputs["model"]["text"]) == line


def test_a_classifier_after_cross_validation_shows_each_folds_model(app_registry):
    """As WEKA's Knowledge Flow: k folds, k fits, and the text shows each fold's model
    (no model trained on all the data follows)."""
    from flow_helpers import CountingZeroR, make_registry

    flow = _split_flow(make_registry(), "classifier:counting")
    flow.remove_node("split")
    flow.add_node("CrossValidationFoldMaker", node_id="cv", params={"folds": 4})
    flow.connect("class", "dataSet", "cv", "dataSet")
    flow.connect("cv", "trainingSet", "model", "trainingSet")
    flow.connect("cv", "testSet", "model", "testSet")
    result = Executor().run(flow)
    assert result.ok, result.states
    assert len(CountingZeroR.fits) == 4
    text = result.outputs["model"]["text"]
    assert [line for line in text.splitlines() if line.startswith("=== Classifier")] == \
        [f"=== Classifier model (fold {k} of 4) ===" for k in range(1, 5)]
    assert "full training set" not in result.outputs["eval"]["text"]


def test_a_cross_validations_json_has_the_curves_the_viewer_draws_per_fold(app_registry):
    """``learning_curves``: the fold models' own histories, the ones the
    LearningCurveViewer's fold chooser draws, numbered from 1 as "fold k of n"."""
    from workbench.evaluation import learning_curve

    flow = _split_flow(app_registry, "classifier:mlp", {"epochs": 3, "solver": "sgd"})
    flow.remove_node("split")
    flow.add_node("CrossValidationFoldMaker", node_id="cv", params={"folds": 3})
    flow.add_node("LearningCurveViewer", node_id="curves")
    flow.connect("class", "dataSet", "cv", "dataSet")
    flow.connect("cv", "trainingSet", "model", "trainingSet")
    flow.connect("cv", "testSet", "model", "testSet")
    flow.connect("model", "batchClassifier", "curves", "batchClassifier")
    result = Executor().run(flow)
    assert result.ok, result.states
    report = result.outputs["eval"]["visualizableError"].to_json()
    chart = result.outputs["curves"]["chart"]
    assert chart.fold_labels == ("fold 1 of 3", "fold 2 of 3", "fold 3 of 3")
    assert report["learning_curves"] == [{"fold": k + 1, **learning_curve(model).to_dict()}
                                         for k, model in enumerate(chart.folds)]
    assert "learning_curve" not in report


def test_model_saver_after_cross_validation_saves_each_folds_model(app_registry, tmp_path,
                                                                   iris):
    """WEKA's SerializedModelSaver saves one model per set: m_fold_K.model beside m.model,
    each the model that fold trained."""
    flow = Flow(app_registry)
    flow.add_node("ArffLoader", node_id="load", params={"file": str(iris_path())})
    flow.add_node("ClassAssigner", node_id="class")
    flow.add_node("CrossValidationFoldMaker", node_id="cv", params={"folds": 3})
    flow.add_node("classifier:knn", node_id="knn", params={"k": 3})
    flow.add_node("ModelSaver", node_id="save", params={"file": "m.model"})
    for a, ap, b, bp in [("load", "dataSet", "class", "dataSet"),
                         ("class", "dataSet", "cv", "dataSet"),
                         ("cv", "trainingSet", "knn", "trainingSet"),
                         ("knn", "batchClassifier", "save", "batchClassifier")]:
        flow.connect(a, ap, b, bp)
    result = Executor().run(flow, output_dir=tmp_path)
    assert result.ok, result.states
    folds = result.outputs["knn"]["batchClassifier"].folds
    assert sorted(p.name for p in tmp_path.glob("*.model")) == \
        ["m_fold_1.model", "m_fold_2.model", "m_fold_3.model"]
    for fold in folds:
        model = load_model(tmp_path / f"m_fold_{fold.fold + 1}.model")
        np.testing.assert_array_equal(model.predict_proba(iris),
                                      fold.classifier.predict_proba(iris))
    assert "fold 3 of 3" in result.outputs["save"]["text"]
    # an m.model of an earlier run (a full-data model) is named as such, not left to look
    # current
    assert "m.model itself is not written" in result.outputs["save"]["text"]
    (tmp_path / "m.model").write_bytes((tmp_path / "m_fold_1.model").read_bytes())
    again = Executor().run(flow, output_dir=tmp_path)
    assert "(the file there is from an earlier run)" in again.outputs["save"]["text"]


def test_a_wrapped_classifier_is_scored_on_its_mapped_test_set(app_registry, tmp_path):
    """The evaluator read a test file's classes in its own label order while an
    InputMappedClassifier predicts in the training order: a test file listing the classes
    the other way round scored 33 % in the flow and 100 % with classify -T (review H1)."""
    rows = [(x, "a" if x < 5 else "b") for x in np.linspace(0.1, 9.9, 30)]
    train, test = tmp_path / "train.csv", tmp_path / "test.csv"
    train.write_text("x,cls\n" + "".join(f"{x:.3f},{c}\n" for x, c in rows))
    test.write_text("x,cls\n" + "".join(f"{x:.3f},{c}\n" for x, c in reversed(rows)))
    flow = Flow(app_registry)
    flow.add_node("CSVLoader", node_id="tr", params={"file": str(train)})
    flow.add_node("CSVLoader", node_id="te", params={"file": str(test)})
    for node in ("c1", "c2"):
        flow.add_node("ClassAssigner", node_id=node)
    flow.add_node("TrainingSetMaker", node_id="tsm")
    flow.add_node("TestSetMaker", node_id="esm")
    flow.add_node("classifier:input-mapped", node_id="k", params={"classifier": "knn"})
    flow.add_node("ClassifierPerformanceEvaluator", node_id="e")
    for a, ap, b, bp in [("tr", "dataSet", "c1", "dataSet"), ("te", "dataSet", "c2", "dataSet"),
                         ("c1", "dataSet", "tsm", "dataSet"),
                         ("c2", "dataSet", "esm", "dataSet"),
                         ("tsm", "trainingSet", "k", "trainingSet"),
                         ("esm", "testSet", "k", "testSet"),
                         ("k", "batchClassifier", "e", "batchClassifier")]:
        flow.connect(a, ap, b, bp)
    result = Executor().run(flow)
    assert result.ok, result.states
    evaluation = result.outputs["e"]["visualizableError"]
    assert load_dataset(test, class_index=-1).class_attribute.values == ("b", "a")
    assert evaluation.results.class_names == ("a", "b")
    assert evaluation.metrics.pct_correct == 100.0
