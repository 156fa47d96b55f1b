"""The lesson templates run headless and leave their pictures and numbers behind; the
LearningCurveOverlay and RbmViewer nodes label runs by the parameters that differ."""

from __future__ import annotations

import csv
import json
from collections import defaultdict

import numpy as np
import pytest
from flow_helpers import DATASETS, FLOWS

from workbench.evaluation.experiment.spec import load_spec
from workbench.flow.nodes.base import NodeContext, NodeError
from workbench.flow.nodes.dynamics import LearningCurveOverlay, OverlayChart, run_labels
from workbench.flow.nodes.rbm import RbmViewer
from workbench.flow.ports import BATCH_CLASSIFIER, CHART, IMAGE, BatchClassifier, TrainedFold


def _batch(model, data, title="MLP"):
    fold = TrainedFold(0, 1, model, data, None, title, "", full_data=True)
    return BatchClassifier(title, "", (fold,), fold)


def _iris():
    from workbench.data.io import load_dataset

    return load_dataset(DATASETS / "iris.arff", class_index=-1)


def test_runs_are_labelled_by_the_parameters_that_differ():
    from workbench.classifiers.mlp import MultilayerPerceptron

    models = [MultilayerPerceptron(optimizer="sgd", learning_rate=0.1),
              MultilayerPerceptron(optimizer="adam", learning_rate=0.1)]
    assert run_labels(models, ["a", "b"]) == ["optimizer=sgd", "optimizer=adam"]
    assert run_labels(models[:1], ["MLP"]) == ["MLP"]
    assert run_labels([MultilayerPerceptron(), MultilayerPerceptron()], ["M", "M"]) == \
        ["M 1", "M 2"]


def test_runs_are_labelled_by_their_nodes_titles_when_the_user_named_them():
    """The lesson and the canvas say "MLP (plain)", "MLP (dropout 0.5)"; the curves said
    "weight_decay=0.0, dropout=0.0". Default titles ("MLP", "MLP2") name nothing."""
    from workbench.classifiers.mlp import MultilayerPerceptron

    models = [MultilayerPerceptron(dropout=0.0), MultilayerPerceptron(dropout=0.5)]
    named = ["MLP (plain)", "MLP (dropout 0.5)"]
    assert run_labels(models, ["MLP", "MLP"], named) == named
    assert run_labels(models, ["MLP", "MLP"], ["MLP", "MLP2"]) == ["dropout=0.0",
                                                                   "dropout=0.5"]
    assert run_labels(models, ["MLP", "MLP"], ["same", "same"]) == ["dropout=0.0",
                                                                    "dropout=0.5"]


def test_overlay_draws_every_run_and_writes_picture_and_csv(tmp_path):
    from workbench.classifiers.mlp import MultilayerPerceptron

    data = _iris()
    batches = [_batch(MultilayerPerceptron(solver="sgd", epochs=4, dropout=d,
                                           validation_percent=20).fit(data), data)
               for d in (0.0, 0.5)]
    context = NodeContext("curves", "Curves", output_dir=tmp_path)
    chart = LearningCurveOverlay(file="runs").process({BATCH_CLASSIFIER: batches},
                                                       context)[CHART]
    assert isinstance(chart, OverlayChart)
    labels = {s.label for s in chart.series}
    assert {"dropout=0.0: loss", "dropout=0.5: val_loss"} <= labels
    assert (tmp_path / "runs.png").read_bytes().startswith(b"\x89PNG")
    with (tmp_path / "runs.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert {r["series"] for r in rows} == labels and len(rows) == 4 * len(labels)


def test_overlay_and_rbm_viewer_refuse_what_they_cannot_show(tmp_path):
    from workbench.classifiers.knn import KNearestNeighbours

    data = _iris()
    knn = _batch(KNearestNeighbours().fit(data), data, "IBk")
    context = NodeContext("n", "Node", output_dir=tmp_path)
    with pytest.raises(NodeError, match="no training history"):
        LearningCurveOverlay().process({BATCH_CLASSIFIER: (knn,)}, context)
    with pytest.raises(NodeError, match="no RBMs"):
        RbmViewer().process({BATCH_CLASSIFIER: (knn,)}, context)


def test_rbm_viewer_shows_units_reconstructions_and_samples_of_each_dbn(tmp_path):
    from workbench.classifiers.dbn import DeepBeliefNetwork
    from workbench.data.io import load_dataset

    data = load_dataset(DATASETS / "digits.arff", class_index=-1).select_rows(
        np.arange(300))
    batches = [_batch(DeepBeliefNetwork(hidden_layers=(16,), pretrain_epochs=(e,),
                                        finetune_epochs=1).fit(data), data, "DBN")
               for e in (1, 2)]
    context = NodeContext("rbm", "RBM", output_dir=tmp_path)
    images = RbmViewer(file="rbm", units=10, examples=3, samples=2, gibbs_steps=5).process(
        {BATCH_CLASSIFIER: batches}, context)[IMAGE]
    assert images.arrays["pretrain_epochs=1: units"].shape == (10, 64)
    assert images.arrays["pretrain_epochs=2: reconstructions"].shape == (3, 64)
    assert images.arrays["pretrain_epochs=2: samples"].shape == (2, 64)
    assert images.model is batches[-1].final.classifier
    assert images.models == tuple(b.final.classifier for b in batches)  # all, for the GUI
    assert images.labels == ("pretrain_epochs=1", "pretrain_epochs=2")
    assert (tmp_path / "rbm.png").read_bytes().startswith(b"\x89PNG")


def test_rbm_picture_draws_units_in_the_guis_weight_colours():
    from workbench.core.colormaps import diverging_rgb
    from workbench.flow.nodes.rbm import _tile

    weights = np.array([-2.0, 0.0, 1.0, 2.0])
    tile = _tile(weights, (2, 2), 1, True)
    assert tile.reshape(4, 3).tolist() == diverging_rgb(weights).tolist()
    blue, white, _, red = tile.reshape(4, 3)
    assert blue[2] > blue[0] and red[0] > red[2] and white.min() > 240


def _series(path):
    values = defaultdict(list)
    with path.open() as handle:
        for row in csv.DictReader(handle):
            values[row["series"]].append(float(row["value"]))
    return values


@pytest.mark.parametrize("name", ["overfitting", "optimisers-compared", "rbm-what-it-learns"])
def test_lesson_template_runs_headless_and_writes_its_picture(name, template_run):
    out = template_run(name)  # `workbench run` exited 0 (shared with test_cli_run)
    flow = json.loads((FLOWS / f"{name}.kflow.json").read_text())
    notes = flow["ui"]["notes"]
    assert notes and len(notes[0]["text"]) > 200  # each lesson says what to look at
    files = [n["parameters"]["file"] for n in flow["nodes"] if n["parameters"].get("file")
             and n["type"] in ("LearningCurveOverlay", "RbmViewer", "DynamicsViewer")]
    for stem in files:
        assert (out / f"{stem}.png").read_bytes().startswith(b"\x89PNG")
    if name == "overfitting":
        curves = _series(out / "overfitting.csv")
        plain = "MLP (plain)"  # the node's title, as on the canvas
        # The plain network memorises: its training loss ends far below its validation
        # loss, which rises after its best epoch.
        assert curves[f"{plain}: loss"][-1] < 0.1 * curves[f"{plain}: val_loss"][-1]
        assert curves[f"{plain}: val_loss"][-1] > min(curves[f"{plain}: val_loss"])
    if name == "optimisers-compared":
        curves = _series(out / "optimisers.csv")
        final = {k.split("MLP (")[1].split(")")[0]: v[-1] for k, v in curves.items()
                 if k.endswith(": loss")}
        assert set(final) == {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"}
        assert all(final["sgd"] > loss for k, loss in final.items() if k != "sgd")


def test_optimisers_experiment_is_a_valid_spec():
    spec = load_spec(FLOWS.parent / "experiments" / "optimisers.experiment.json")
    assert [c.params["optimizer"] for c in spec.classifiers] == [
        "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]


def test_overlay_keeps_the_perceptrons_error_rate_off_the_loss_panel(tmp_path):
    """The perceptron's "loss" is its training error rate: beside a network's
    cross-entropy on one log-scale loss panel it would read as a loss; it is named for
    what it is and the run is compared on the accuracy panel."""
    from workbench.classifiers.mlp import MultilayerPerceptron
    from workbench.classifiers.perceptron import Perceptron
    from workbench.flow.nodes.dynamics import overlay_panels, overlay_runs

    data = _iris()
    batches = [_batch(MultilayerPerceptron(solver="sgd", epochs=4).fit(data), data, "MLP"),
               _batch(Perceptron(epochs=4).fit(data), data, "Perceptron")]
    context = NodeContext("curves", "Curves", output_dir=tmp_path)
    chart = LearningCurveOverlay().process({BATCH_CLASSIFIER: batches}, context)[CHART]
    mlp, perceptron = overlay_runs(chart)
    measures = {s.label.rpartition(": ")[2] for s in chart.series
                if s.label.startswith(f"{perceptron}: ")}
    assert measures == {"error rate", "accuracy"}
    panels = dict(overlay_panels(chart))
    assert [line.label for line in panels["loss"]] == [f"{mlp} (training)"]
    assert f"{perceptron} (training)" in [line.label for line in panels["accuracy"]]
