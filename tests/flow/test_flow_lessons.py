"""The lesson templates run headless and leave their pictures and numbers behind; the
LearningCurveOverlay and RbmViewer nodes label runs by the parameters that differ."""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict

import numpy as np
import pytest
from flow_helpers import DATASETS, FLOWS, ROOT

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
    "weight_decay=0, dropout=0". Default titles ("MLP", "MLP2") name nothing."""
    from workbench.classifiers.mlp import MultilayerPerceptron

    models = [MultilayerPerceptron(dropout=0.0), MultilayerPerceptron(dropout=0.5)]
    named = ["MLP (plain)", "MLP (dropout 0.5)"]
    assert run_labels(models, ["MLP", "MLP"], named) == named
    assert run_labels(models, ["MLP", "MLP"], ["MLP", "MLP2"]) == ["dropout=0",
                                                                   "dropout=0.5"]
    assert run_labels(models, ["MLP", "MLP"], ["same", "same"]) == ["dropout=0",
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
    assert {"dropout=0: loss", "dropout=0.5: val_loss"} <= labels
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


def _label_ink(pixels: np.ndarray, top: int, width: int = 136) -> np.ndarray:
    """The label column's pixels of one 7-pixel line of text, as dark-or-not."""
    return pixels[top:top + 7, 10:10 + width].min(axis=2) < 200


def test_rbm_picture_says_how_many_of_the_units_it_draws():
    """The lesson's RBMs have 64 hidden units and the picture draws 24 of each: the
    label said "hidden units", read as all of them."""
    from workbench.flow.nodes.chart_png import DARK, Canvas
    from workbench.flow.nodes.rbm import rbm_picture, units_label

    assert units_label(24, 64) == "24 of 64 hidden units"
    assert units_label(64, 64) == "64 hidden units"
    assert units_label(200, 500) == "200 of 500 hidden units"
    arrays = {"DBN: units": np.linspace(-1, 1, 12).reshape(3, 4)}

    def written(text: str, top: int) -> np.ndarray:
        canvas = Canvas(160, top + 10)
        canvas.text(10, top, text, DARK)
        return _label_ink(canvas.pixels, top)

    # The heading takes 24 pixels under the 36-pixel title; the units' name starts 4
    # pixels into their strip, the key to their colours a line below it.
    picture = rbm_picture(arrays, ["DBN"], "RBM", (2, 2), {"DBN": 64})
    assert (_label_ink(picture, 64) == written("3 of 64 hidden units", 64)).all()
    assert (_label_ink(picture, 76) == written("red +, blue -", 76)).all()
    # A name wider than the label column goes on in the next line, not cut short.
    picture = rbm_picture(arrays, ["DBN"], "RBM", (2, 2), {"DBN": 123456})
    assert (_label_ink(picture, 64) == written("3 of 123456 hidden", 64)).all()
    assert (_label_ink(picture, 76) == written("units", 76)).all()
    assert (_label_ink(picture, 88) == written("red +, blue -", 88)).all()


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


def _test_accuracies(report: str) -> dict[str, float]:
    """Each evaluator's percentage of test instances right, by the network in its title
    ("Evaluator (plain)" -> "plain")."""
    found = {}
    for section in report.split("=== Evaluator (")[1:]:
        name = section.split(")", 1)[0]
        right = re.search(r"Correctly Classified Instances\s+\d+\s+([\d.]+)\s*%", section)
        assert right, section[:200]
        found[name] = float(right.group(1))
    return found


def test_overfitting_lesson_quotes_the_numbers_its_run_gives(template_run):
    """lessons.md and the template's canvas note quote the run's numbers; they once
    carried a run on another sample of digits, and nothing noticed. Each number is
    formatted as the page writes it, so a run that drifts, or a page edited without a
    run, fails here with the phrase the page should have."""
    out = template_run("overfitting")
    curves = _series(out / "overfitting.csv")
    right = _test_accuracies((out.parent / "report.txt").read_text())
    nets = {"plain": "MLP (plain)", "dropout": "MLP (dropout 0.5)", "l2": "MLP (L2 0.01)"}
    loss = {k: curves[f"{v}: loss"] for k, v in nets.items()}
    val = {k: curves[f"{v}: val_loss"] for k, v in nets.items()}
    best = {k: (int(np.argmin(v)) + 1, min(v)) for k, v in val.items()}
    accuracy = {"plain": right["plain"], "dropout": right["dropout"], "l2": right["L2"]}
    # The story the page tells: the plain network's validation loss climbs after its best
    # epoch; both cures reach a lower validation loss than it does.
    assert val["plain"][-1] > best["plain"][1] * 1.1
    assert best["dropout"][1] < best["plain"][1] and best["l2"][1] < best["plain"][1]
    quoted = [
        f"training loss to {loss['plain'][-1]:.1g}",
        f"lowest at epoch {best['plain'][0]} ({best['plain'][1]:.2f})",
        f"climbs to {val['plain'][-1]:.2f}",
        f"{accuracy['plain']:.1f} % of the test digits",
        f"({best['dropout'][1]:.2f} at epoch {best['dropout'][0]})",
        f"{val['dropout'][-1]:.2f} at the end",
        f"{accuracy['dropout']:.1f} % right",
        f"training loss at {loss['l2'][-1]:.2g}",
        f"({best['l2'][1]:.2f} at epoch {best['l2'][0]})",
        f"{val['l2'][-1]:.2f} at the end",
        f"{accuracy['l2']:.1f} % right",
    ]
    page = (ROOT / "docs" / "user-guide" / "lessons.md").read_text()
    lesson = " ".join(page.split("## Overfitting and its cures")[1].split("\n## ")[0].split())
    note = json.loads((FLOWS / "overfitting.kflow.json").read_text())["ui"]["notes"][0]["text"]
    for where, text in (("lessons.md", lesson), ("the canvas note", note)):
        missing = [phrase for phrase in quoted if phrase not in text]
        assert not missing, f"{where} should say: {missing}"


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
