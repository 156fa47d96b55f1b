"""MultilayerPerceptron under its WEKA name gives WEKA 3.9.7's weights and numbers.

Every expected number below is copied from WEKA 3.9.7's own output
(``java -cp weka.jar weka.classifiers.functions.MultilayerPerceptron -t FILE ...``): the
model text prints each weight in full, and ``-x 10 -s 1`` prints the cross-validation
summary. The weights agree to about 1e-13 (only ``exp`` may round differently from
Java's), the counts exactly.
"""

from __future__ import annotations

import argparse

import numpy as np
import pytest
from classifier_helpers import load

from workbench.classifiers import register
from workbench.classifiers.modelfile import load_model
from workbench.classifiers.weka_mlp import NetworkCannotTrain, WekaMultilayerPerceptron
from workbench.core.errors import ParameterError
from workbench.core.param_args import add_param_arguments, params_from_args
from workbench.core.registry import Registry
from workbench.data.dataset import Attribute, Dataset
from workbench.evaluation import TestOption, evaluate


def weight(model: WekaMultilayerPerceptron, node: int, source: str) -> float:
    """One weight as WEKA's model text names it: node number and "Threshold",
    "Node N" or "Attrib NAME"."""
    lines = model.describe().splitlines()
    start = next(i for i, line in enumerate(lines) if line.endswith(f" Node {node}"))
    for line in lines[start + 2:]:
        if not line.startswith("    "):
            break
        name, _, value = line.strip().rpartition("    ")
        if name == source:
            return float(value)
    raise AssertionError(f"node {node} has no input {source}")


def cv(model: WekaMultilayerPerceptron, dataset: str):
    return evaluate(model, load(dataset), TestOption.cross_validation(10, 1),
                    build_model=False).metrics


def test_two_hidden_layers_with_decay_give_wekas_weights():
    # weka MultilayerPerceptron -t glass.arff -no-cv -H 4,3 -D -N 20 -S 3
    model = WekaMultilayerPerceptron(hidden_layers="4,3", decay=True, epochs=20,
                                     seed=3).fit(load("glass.arff"))
    expected = {(0, "Threshold"): -0.33037729883998374, (0, "Node 11"): -0.20427360024070465,
                (4, "Node 13"): -0.6800426017435507, (6, "Threshold"): -0.8879141033705358,
                (11, "Threshold"): 0.4352746222755138, (11, "Node 10"): 0.22530862337038374}
    for (node, source), value in expected.items():
        assert weight(model, node, source) == pytest.approx(value, rel=1e-11, abs=1e-13)


def test_a_validation_set_stops_training_and_keeps_the_best_weights():
    # weka MultilayerPerceptron -t glass.arff -no-cv -V 30 -E 2 -N 100
    model = WekaMultilayerPerceptron(validation_percent=30, patience=2,
                                     epochs=100).fit(load("glass.arff"))
    assert model.epochs_trained_ < 100
    for source, value in {"Threshold": -2.4311204460127214, "Node 7": -2.6345951514737345,
                          "Node 14": -2.1914470341823167}.items():
        assert weight(model, 0, source) == pytest.approx(value, rel=1e-11)


def test_a_diverging_network_restarts_with_half_the_rate_as_weka_does():
    # weka MultilayerPerceptron -t cpu.arff -no-cv -C -H 0 -L 1 -M 1 -N 5: the epoch
    # error overflows at rate 1, WEKA trains again at 0.5 (and fails with -R).
    options = dict(normalize_class=False, hidden_layers="0", learning_rate=1.0,
                   momentum=1.0, epochs=5)
    model = WekaMultilayerPerceptron(**options).fit(load("cpu.arff"))
    assert model.rate_used_ == 0.5
    assert weight(model, 0, "Threshold") == pytest.approx(1.1474875964527252e88, rel=1e-11)
    assert weight(model, 0, "Attrib MMIN") == pytest.approx(-2.5689259324531847e88,
                                                            rel=1e-11)
    with pytest.raises(NetworkCannotTrain, match=r"Network cannot train\. Try restarting "
                                                 r"with a smaller learning rate\."):
        WekaMultilayerPerceptron(**options, reset=False).fit(load("cpu.arff"))


def test_instance_weights_scale_the_rate_as_in_weka():
    # iris with weights 2, 0.5, 3.25, 1, 2, ... written as ARFF {w}, then
    # weka MultilayerPerceptron -t iris_w.arff -no-cv -N 5 -D
    iris = load("iris.arff")
    weights = np.array([(1, 2, 0.5, 3.25)[(row + 1) % 4] for row in range(150)])
    model = WekaMultilayerPerceptron(epochs=5, decay=True).fit(iris.with_weights(weights))
    assert weight(model, 0, "Threshold") == pytest.approx(0.2582075667893961, rel=1e-12)
    assert weight(model, 0, "Node 3") == pytest.approx(-1.2593271292223789, rel=1e-12)


def test_cross_validation_gives_wekas_counts_after_20_epochs():
    # weka MultilayerPerceptron -t iris.arff -x 10 -s 1 -N 20: 145 correct, kappa 0.95
    metrics = cv(WekaMultilayerPerceptron(epochs=20), "iris.arff")
    assert metrics.correct == 145
    assert metrics.kappa == pytest.approx(0.95, abs=5e-5)
    assert metrics.mean_absolute_error == pytest.approx(0.1475, abs=5e-5)
    assert metrics.root_mean_squared_error == pytest.approx(0.1954, abs=5e-5)


def test_regression_with_nominal_inputs_gives_wekas_errors():
    # weka MultilayerPerceptron -t cpu.with.vendor.arff -x 10 -s 1 -N 5 (vendor: 30
    # values, so 30 indicator inputs scaled to +-1; the class scaled to [-1, 1])
    metrics = cv(WekaMultilayerPerceptron(epochs=5), "cpu.with.vendor.arff")
    assert metrics.correlation == pytest.approx(0.8994, abs=5e-5)
    assert metrics.mean_absolute_error == pytest.approx(41.0665, abs=5e-5)
    assert metrics.root_mean_squared_error == pytest.approx(67.4861, abs=5e-5)


@pytest.mark.slow
@pytest.mark.parametrize("dataset,correct", [("iris.arff", 146), ("glass.arff", 145),
                                             ("diabetes.arff", 579)])
def test_wekas_defaults_give_wekas_cross_validation(dataset, correct):
    # weka MultilayerPerceptron -t FILE -x 10 -s 1 (500 epochs, -L 0.3 -M 0.2 -H a)
    assert cv(WekaMultilayerPerceptron(), dataset).correct == correct


@pytest.mark.slow
def test_wekas_defaults_give_wekas_regression():
    # weka MultilayerPerceptron -t cpu.with.vendor.arff -x 10 -s 1
    metrics = cv(WekaMultilayerPerceptron(), "cpu.with.vendor.arff")
    assert metrics.correlation == pytest.approx(0.9936, abs=5e-5)
    assert metrics.mean_absolute_error == pytest.approx(6.6578, abs=5e-5)
    assert metrics.root_mean_squared_error == pytest.approx(17.7916, abs=5e-5)


def test_a_model_file_predicts_and_reads_as_the_trained_model(tmp_path):
    data = load("cpu.with.vendor.arff")
    model = WekaMultilayerPerceptron(epochs=3, hidden_layers="4,2").fit(data)
    model.save(tmp_path / "mlp.model")
    loaded = load_model(tmp_path / "mlp.model")
    assert isinstance(loaded, WekaMultilayerPerceptron)
    assert np.array_equal(loaded.predict(data), model.predict(data))
    assert loaded.describe() == model.describe()
    iris = load("iris.arff")
    model = WekaMultilayerPerceptron(epochs=3).fit(iris)
    model.save(tmp_path / "iris.model")
    assert np.array_equal(load_model(tmp_path / "iris.model").predict_proba(iris),
                          model.predict_proba(iris))


def test_only_a_class_gives_zeror_as_in_weka():
    cls = Attribute.nominal("class", ("a", "b"))
    data = Dataset("only-class", [cls], np.array([[0.0], [1.0], [1.0]]), class_index=0)
    model = WekaMultilayerPerceptron().fit(data)
    assert np.allclose(model.predict_proba(data), [[0.4, 0.6]] * 3)  # Laplace: 1+1, 1+2
    assert "ZeroR" in model.describe()


def test_missing_values_feed_zero_and_unseen_columns_stay_finite():
    x = Attribute.numeric("x")
    colour = Attribute.nominal("colour", ("red", "green", "blue"))
    cls = Attribute.nominal("class", ("no", "yes"))
    values = np.array([[0.0, 0, 0], [1.0, 1, 1], [np.nan, 2, 1], [2.0, np.nan, 0]])
    data = Dataset("m", [x, colour, cls], values, class_index=2)
    proba = WekaMultilayerPerceptron(epochs=10).fit(data).predict_proba(data)
    assert np.all(np.isfinite(proba)) and np.allclose(proba.sum(axis=1), 1)


def test_the_weka_name_is_this_learner_and_mlp_stays_the_modern_one():
    registry = Registry()
    register(registry)
    for name in ("MultilayerPerceptron", "weka.classifiers.functions.MultilayerPerceptron",
                 "weka-mlp"):
        assert registry.get("classifier", name).factory is WekaMultilayerPerceptron
    assert registry.get("classifier", "mlp").factory is not WekaMultilayerPerceptron


def test_wekas_option_letters_and_flags_set_the_parameters():
    parser = argparse.ArgumentParser()
    add_param_arguments(parser, WekaMultilayerPerceptron.params)
    argv = ["-L", "0.1", "-M", "0.5", "-N", "20", "-V", "10", "-S", "4", "-E", "7",
            "-H", "a,3", "-B", "-C", "-I", "-R", "-D"]
    values = params_from_args(parser.parse_args(argv), WekaMultilayerPerceptron.params)
    assert values == {"learning_rate": 0.1, "momentum": 0.5, "epochs": 20,
                      "validation_percent": 10, "seed": 4, "patience": 7,
                      "hidden_layers": "a,3", "nominal_to_binary": False,
                      "normalize_class": False, "normalize_attributes": False,
                      "reset": False, "decay": True}


def test_rates_weka_would_silently_ignore_are_refused():
    # WEKA keeps its old learning rate when given one outside (0, 1]; we say so instead.
    with pytest.raises(ParameterError):
        WekaMultilayerPerceptron(learning_rate=1000)
    with pytest.raises(ParameterError):
        WekaMultilayerPerceptron(momentum=1.5)
