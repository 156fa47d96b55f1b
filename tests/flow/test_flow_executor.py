"""The executor: WEKA-equal results, caching that re-runs only what changed, failures
that block only their dependants, progress, cancellation, threads."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from flow_helpers import CountingZeroR, cv_flow, iris_path

from workbench.core.progress import CancelToken
from workbench.data.io import load_dataset
from workbench.evaluation import TestOption, evaluate
from workbench.flow import Executor, Flow, FlowError, Status


def test_cross_validation_flow_reports_what_evaluate_reports(app_registry):
    flow = cv_flow(app_registry, {"knn": {"type": "classifier:knn", "params": {"k": 3}}})
    result = Executor().run(flow)
    assert result.ok, result.states
    evaluation = result.outputs["eval_knn"]["visualizableError"]
    data = load_dataset(iris_path(), class_index=-1)
    classifier = app_registry.create("classifier", "knn", k=3)
    expected = evaluate(classifier, data, TestOption.cross_validation(10, 1))
    assert evaluation.metrics.correct == expected.metrics.correct
    np.testing.assert_array_equal(evaluation.metrics.confusion_matrix,
                                  expected.metrics.confusion_matrix)
    np.testing.assert_array_equal(evaluation.results.indices, expected.results.indices)
    strip = lambda text: [ln for ln in text.splitlines() if "Time taken" not in ln]  # noqa: E731
    # As WEKA's Knowledge Flow, a flow trains one model per fold and none on all the
    # data: the report is the Explorer's without the full training set's model.
    assert evaluation.model is None
    assert strip(evaluation.report()) == strip(expected.report(with_model=False))
    assert strip(result.outputs["text"]["text"]) == strip(expected.report(with_model=False))


def test_changing_one_classifier_re_runs_only_its_branch(registry):
    flow = cv_flow(registry, {"left": {"type": "classifier:counting", "params": {"tag": 1}},
                              "right": {"type": "classifier:counting",
                                        "params": {"tag": 2}}}, folds=5)
    executor = Executor()
    first = executor.run(flow)
    assert first.ok
    # one model per fold and none on all the data, per classifier (WEKA's Knowledge Flow)
    assert sorted(CountingZeroR.fits) == [1] * 5 + [2] * 5
    CountingZeroR.fits.clear()

    again = executor.run(flow)
    assert CountingZeroR.fits == []
    assert again.computed == []
    assert all(s.cached for s in again.states.values())

    flow.set_params("right", tag=3)
    third = executor.run(flow)
    assert CountingZeroR.fits == [3] * 5
    assert third.computed == ["right", "eval_right", "text"]
    assert third.states["left"].cached and third.states["eval_left"].cached
    assert not third.states["right"].cached


def test_changing_the_data_file_reloads_it(registry, tmp_path):
    path = tmp_path / "data.arff"
    path.write_text(iris_path().read_text())
    flow = cv_flow(registry, {"k": {"type": "classifier:counting"}}, data=path, folds=3)
    executor = Executor()
    executor.run(flow)
    CountingZeroR.fits.clear()
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:-5]) + "\n")  # drop some instances
    result = executor.run(flow)
    assert "loader" in result.computed and len(CountingZeroR.fits) == 3
    evaluation = result.outputs["eval_k"]["visualizableError"]
    assert evaluation.results.num_predictions < 150


def test_a_failing_node_blocks_its_dependants_and_others_finish(registry):
    flow = cv_flow(registry, {"bad": {"type": "classifier:failing"},
                              "good": {"type": "classifier:counting"}}, folds=3)
    flow.add_node("TextViewer", node_id="only_good")
    flow.connect("eval_good", "text", "only_good", "text")
    result = Executor().run(flow)
    assert result.states["bad"].status is Status.ERROR
    assert "refuses every dataset" in result.states["bad"].message
    assert result.states["eval_bad"].status is Status.BLOCKED
    assert result.states["text"].status is Status.BLOCKED  # it reads from both
    assert result.states["eval_good"].status is Status.DONE
    assert "Correctly Classified" in result.outputs["only_good"]["text"]
    assert result.failed == ["bad"] and not result.ok


def test_unconnected_required_input_is_an_error_naming_the_port(registry):
    flow = Flow(registry)
    flow.add_node("classifier:counting", node_id="k")
    result = Executor().run(flow)
    assert result.states["k"].status is Status.ERROR
    assert "input 'trainingSet'" in result.states["k"].message


def test_observers_see_queued_running_done(registry):
    flow = cv_flow(registry, {"k": {"type": "classifier:counting"}}, folds=3)
    seen: dict[str, list[Status]] = {}
    flow.subscribe(lambda e: seen.setdefault(e.node_id, []).append(e.state.status)
                   if e.kind == "state_changed" else None)
    progress = []
    Executor().run(flow, progress.append)
    assert seen["k"][0] is Status.QUEUED and seen["k"][-1] is Status.DONE
    assert Status.RUNNING in seen["k"]
    fractions = [e.fraction for e in progress if e.fraction is not None]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_cancelling_stops_the_run_and_marks_what_did_not_run(registry):
    flow = cv_flow(registry, {"k": {"type": "classifier:counting"}}, folds=3)
    token = CancelToken()

    def stop_at_classifier(event):
        if event.values.get("node") == "k":
            token.cancel()

    result = Executor().run(flow, stop_at_classifier, token)
    assert result.cancelled
    assert result.states["k"].status is Status.CANCELLED
    assert result.states["eval_k"].status is Status.CANCELLED
    assert result.states["loader"].status is Status.DONE


def test_runs_in_a_thread_and_refuses_a_second_run_at_once(registry):
    flow = cv_flow(registry, {"k": {"type": "classifier:counting"}}, folds=3)
    executor = Executor()
    gate = threading.Event()
    release = threading.Event()

    def hold(event):
        if event.values.get("node") == "k" and not gate.is_set():
            gate.set()
            release.wait(10)

    handle = executor.start(flow, hold)
    assert gate.wait(10)
    with pytest.raises(FlowError, match="already running"):
        executor.run(flow)
    release.set()
    result = handle.wait(30)
    assert result.ok


def test_running_one_node_runs_only_what_it_needs(registry):
    flow = cv_flow(registry, {"a": {"type": "classifier:counting", "params": {"tag": 1}},
                              "b": {"type": "classifier:counting", "params": {"tag": 2}}},
                   folds=3)
    result = Executor().run(flow, nodes=["eval_a"])
    assert set(result.states) == {"loader", "class", "cv", "a", "eval_a"}
    assert set(CountingZeroR.fits) == {1}


def test_without_a_cache_intermediate_results_are_freed(registry):
    flow = cv_flow(registry, {"k": {"type": "classifier:counting"}}, folds=3)
    result = Executor(cache=False).run(flow, keep=["eval_k"])
    assert set(result.outputs) == {"eval_k", "text"}
    cached = Executor()
    cached.run(flow)
    assert set(cached.cached_nodes()) == set(flow.nodes)


def test_removed_nodes_drop_their_cached_results(registry):
    flow = cv_flow(registry, {"k": {"type": "classifier:counting"}}, folds=3)
    executor = Executor()
    executor.run(flow)
    flow.remove_node("text")
    executor.run(flow)
    assert "text" not in executor.cached_nodes()


def test_plugin_node_types_and_late_classifiers_run_like_built_ins(registry):
    from typing import ClassVar

    from workbench.classifiers.zeror import ZeroR
    from workbench.core.params import Param
    from workbench.flow.nodes import NodeType
    from workbench.flow.ports import TEXT, PortSpec

    class Shout(NodeType):
        """Upper-cases text (a plugin's own node type)."""

        name = "Shout"
        category = "Plugins"
        inputs = (PortSpec(TEXT, TEXT),)
        outputs = (PortSpec(TEXT, TEXT),)
        times = Param.integer(1, "how many times", low=1)

        def process(self, inputs, context):
            return {TEXT: inputs[TEXT].upper() * self.times}

    class Late(ZeroR):
        """Registered after the flow nodes, as a plugin's classifier is."""

        name = "late"
        aliases: ClassVar[tuple[str, ...]] = ()

    registry.add(Shout)
    registry.add(Late)
    flow = Flow(registry)
    flow.add_node("ArffLoader", node_id="l", params={"file": str(iris_path())})
    flow.add_node("ClassAssigner", node_id="c")
    flow.add_node("TrainingSetMaker", node_id="t")
    flow.add_node("classifier:late", node_id="z")
    flow.add_node("Shout", node_id="s", params={"times": 2})
    for a, ap, b, bp in [("l", "dataSet", "c", "dataSet"), ("c", "dataSet", "t", "dataSet"),
                         ("t", "trainingSet", "z", "trainingSet"), ("z", "text", "s", "text")]:
        flow.connect(a, ap, b, bp)
    result = Executor().run(flow)
    assert result.ok, result.states
    assert result.outputs["s"]["text"].count("=== CLASSIFIER MODEL (TRAINING SET) ===") == 2
