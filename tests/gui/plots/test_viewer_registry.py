"""The viewer registry: which viewer shows what in the Explorer, the flow and the weights."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np
import pytest
from PySide6.QtWidgets import QLabel

from workbench.classifiers.dbn import DeepBeliefNetwork
from workbench.classifiers.knn import KNearestNeighbours
from workbench.classifiers.perceptron import Perceptron
from workbench.classifiers.zeror import ZeroR
from workbench.core.errors import WorkbenchError
from workbench.evaluation import Evaluation
from workbench.flow.nodes.viewers import ConfusionMatrixData, WeightImages
from workbench.gui.plots.confusion import ConfusionMatrixView
from workbench.gui.plots.weights import WeightsView
from workbench.gui.viewers import (
    BUILT_IN,
    ViewContext,
    ViewerRegistry,
    default_registry,
    offered_for,
    register_viewer,
    viewers_for,
)


def _titles(entries):
    return [e.title for e in entries]


def test_every_result_viewer_opens_on_a_real_evaluation(qtbot, mlp_cv):
    context = ViewContext(mlp_cv.dataset)
    offered = offered_for(mlp_cv)
    assert _titles(offered) == [e.title for e in BUILT_IN if e.subject is Evaluation]
    for entry in viewers_for(mlp_cv, context):
        widget = entry.open(mlp_cv, context)
        qtbot.addWidget(widget)
        assert widget.windowTitle() or isinstance(widget, WeightsView), entry.title
    # The MLP trained by epochs: its learning curves and weights are on offer.
    assert {"Visualize learning curves", "Visualize learned weights",
            "Visualize margin histogram"} <= set(_titles(viewers_for(mlp_cv, context)))


def test_a_learner_without_pages_or_history_gets_those_entries_disabled(iris):
    from workbench.evaluation import TestOption, evaluate

    zeror = evaluate(ZeroR(), iris, TestOption.cross_validation(folds=3))
    shown = _titles(viewers_for(zeror, ViewContext(zeror.dataset)))
    assert "Visualize learned weights" not in shown  # ZeroR learned no weights
    assert "Visualize learning curves" not in shown
    assert "Visualize confusion matrix" in shown


def test_model_pages_follow_the_protocols_the_learner_declares(iris, digits_mlp, digits_small):
    knn = KNearestNeighbours(k=3).fit(iris)
    assert _titles(viewers_for(knn)) == []  # Neighbours needs instances to pick from
    assert _titles(viewers_for(knn, ViewContext(iris))) == ["Neighbours"]
    # The MLP's dense pages come first; pages of other protocols it implements (training
    # dynamics) may follow.
    assert _titles(viewers_for(digits_mlp, ViewContext(digits_small)))[:2] == \
        ["Hidden units", "Network"]
    assert _titles(viewers_for(Perceptron().fit(iris))) == ["Perceptron"]
    assert _titles(viewers_for(ZeroR().fit(iris), ViewContext(iris))) == []
    # A DBN before training declares its pages, but cannot fill the dense ones yet.
    assert "Hidden units" not in _titles(viewers_for(DeepBeliefNetwork()))


def test_flow_outputs_open_the_same_viewer_as_the_explorer(qtbot, mlp_cv):
    data = ConfusionMatrixData("m", ("a",), np.zeros((1, 1)), mlp_cv)
    (entry, *_rest) = viewers_for(data)
    widget = entry.open(data)
    qtbot.addWidget(widget)
    assert isinstance(widget, ConfusionMatrixView)
    # Without the evaluation behind it, no shared viewer claims it.
    assert viewers_for(ConfusionMatrixData("m", ("a",), np.zeros((1, 1)))) == []
    assert viewers_for(WeightImages({}, 4)) == []
    assert _titles(viewers_for("some text")) == ["Text"]


@runtime_checkable
class _ShowsBias(Protocol):
    def bias_terms(self) -> np.ndarray: ...


class _BiasLearner(Perceptron, _ShowsBias):
    def bias_terms(self) -> np.ndarray:
        return self.weights_[:, -1]


def test_a_new_model_page_is_one_widget_and_one_registry_line(qtbot, iris):
    registry = ViewerRegistry(BUILT_IN)
    register_viewer("Biases", _ShowsBias,
                    lambda m, c: QLabel(", ".join(f"{b:.3f}" for b in m.bias_terms())),
                    registry=registry, live=True)
    model = _BiasLearner(mode="rosenblatt", epochs=3).fit(iris)
    view = WeightsView(model, iris, registry=registry)
    qtbot.addWidget(view)
    assert list(view.pages) == ["Perceptron", "Biases"]
    assert view.pages["Biases"].text() == ", ".join(f"{b:.3f}" for b in model.weights_[:, -1])
    assert "Biases" in view.live_pages
    assert "Biases" not in _titles(default_registry())  # the default one is untouched
    with pytest.raises(WorkbenchError, match="already registered"):
        register_viewer("Biases", _ShowsBias, lambda m, c: QLabel(), registry=registry)


def test_a_predicate_that_refuses_hides_the_viewer_instead_of_crashing():
    registry = ViewerRegistry()

    def refuse(_obj):
        raise WorkbenchError("not trained yet")

    entry = register_viewer("Never", str, lambda v, c: QLabel(v), accepts=refuse,
                            registry=registry)
    assert not entry.can_show("text")
    assert registry.viewers_for("text") == [] and registry.offered_for("text") == [entry]


def test_live_views_of_flow_nodes_come_from_the_registry(qtbot):
    from workbench.gui.flow_editor.viewers import ViewerWindow
    from workbench.gui.plots.learning import LearningCurveView
    from workbench.gui.viewers import live_viewer, register_live_viewer

    assert live_viewer("weights").make is WeightsView
    assert live_viewer("learning").make is LearningCurveView
    assert live_viewer("no such kind") is None
    with pytest.raises(WorkbenchError, match="already registered"):
        register_live_viewer("weights", WeightsView, lambda view, value: False)
    window = ViewerWindow("w")
    qtbot.addWidget(window)
    from workbench.core.progress import ProgressEvent

    window.follow_training("no such kind", ProgressEvent(0.5, "", {"epoch": 1}))
    assert window.live is None and window.content is None


def test_the_flow_opens_the_most_specific_viewer_wherever_it_was_registered(qtbot):
    from dataclasses import dataclass

    from workbench.flow.nodes.viewers import Chart, Series
    from workbench.gui.viewers import best_viewer

    @dataclass(frozen=True)
    class CountsChart(Chart):
        note: str = ""

    registry = ViewerRegistry(BUILT_IN)
    special = register_viewer("Counts", CountsChart, lambda v, c: QLabel(v.note),
                              registry=registry)
    series = (Series("s", np.arange(3.0), np.ones(3)),)
    counts = CountsChart("t", "x", "y", series, note="three")
    assert _titles(registry.viewers_for(counts)) == ["Chart", "Counts"]  # registration order
    assert best_viewer(counts, registry=registry) is special
    assert best_viewer(Chart("t", "x", "y", series), registry=registry).title == "Chart"
    assert best_viewer(object(), registry=registry) is None
