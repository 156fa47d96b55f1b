import argparse

import numpy as np
import pytest
from classifier_helpers import load, make_dataset

from workbench.classifiers import Classifier, register
from workbench.classifiers.base import HeaderMismatchError, NotFittedError
from workbench.classifiers.capabilities import Capabilities, CapabilityError
from workbench.classifiers.zeror import ZeroR
from workbench.core.param_args import add_param_arguments, params_from_args
from workbench.core.registry import Registry
from workbench.data.dataset import Attribute, Dataset


def registry() -> Registry:
    reg = Registry()
    register(reg)
    return reg


@pytest.mark.parametrize("alias,name", [
    ("ZeroR", "zeror"), ("IBk", "knn"), ("VotedPerceptron", "voted-perceptron"),
    ("MultilayerPerceptron", "weka-mlp"), ("NaiveBayes", "naive-bayes"),
    ("Logistic", "weka-logistic"),
    ("weka.classifiers.functions.Logistic", "weka-logistic"), ("logistic", "logistic"),
    ("DecisionTree", "decision-tree"), ("svm", "svm"), ("random-forest", "random-forest"),
])
def test_built_ins_are_registered_under_short_and_weka_names(alias, name):
    info = registry().get("classifier", alias)
    assert info.name == name
    assert issubclass(info.factory, Classifier)
    assert info.description


def test_nothing_is_called_j48():
    with pytest.raises(Exception, match="no classifier called 'J48'"):
        registry().get("classifier", "J48")


@pytest.mark.parametrize("name,argv,expected", [
    ("knn", ["-K", "5", "-I", "-X"], {"k": 5, "distance_weighting": "inverse",
                                      "select_k": True}),
    ("knn", ["-F"], {"distance_weighting": "similarity"}),
    ("mlp", ["-L", "0.1", "-M", "0.5", "-N", "20", "-H", "a,3", "-V", "10", "-S", "4",
             "-E", "7"], {"learning_rate": 0.1, "momentum": 0.5, "epochs": 20,
                          "hidden_layers": "a,3", "validation_percent": 10.0, "seed": 4,
                          "patience": 7}),
    ("VotedPerceptron", ["-I", "3", "-E", "2"], {"epochs": 3, "exponent": 2.0}),
])
def test_weka_option_letters_set_the_declared_parameters(name, argv, expected):
    cls = registry().get("classifier", name).factory
    parser = argparse.ArgumentParser()
    add_param_arguments(parser, cls.params)
    values = params_from_args(parser.parse_args(argv), cls.params)
    assert values == expected
    assert cls(**values).get_params() | expected == cls(**values).get_params()


def test_capabilities_refuse_with_a_message_naming_the_attribute():
    caps = Capabilities(missing_values=False)
    data = make_dataset([[1.0], [np.nan]], [0, 1], ("a", "b"))
    with pytest.raises(CapabilityError, match="attribute 1 'x1' is missing in instance 2"):
        caps.check(data, "Thing")
    numeric_class = make_dataset([[1.0]], [2.5])
    with pytest.raises(CapabilityError, match="cannot handle a numeric class"):
        Capabilities().check(numeric_class, "Thing")
    three = make_dataset([[1.0]] * 3, [0, 1, 2], ("a", "b", "c"))
    with pytest.raises(CapabilityError, match="only a binary class: class attribute 'class' "
                                              "has 3 values"):
        Capabilities(binary_class_only=True).check(three, "Thing")
    no_class = Dataset("n", [Attribute.numeric("x")], np.zeros((1, 1)))
    with pytest.raises(CapabilityError, match="needs a class attribute"):
        Capabilities().check(no_class, "Thing")


def test_instances_with_a_missing_class_are_dropped_before_learning():
    data = make_dataset([[0.0], [1.0], [2.0], [3.0]], [0, 1, np.nan, np.nan], ("a", "b"))
    model = ZeroR().fit(data)
    np.testing.assert_allclose(model.distribution_, [0.5, 0.5])


def test_prediction_refuses_another_header_and_an_unfitted_model():
    iris = load("iris.arff")
    with pytest.raises(NotFittedError, match="has not been trained"):
        ZeroR().predict(iris)
    model = ZeroR().fit(iris)
    other = iris.remove_attributes([0])
    with pytest.raises(HeaderMismatchError, match="has 4 attributes"):
        model.predict(other)
    relabelled = Dataset(iris.relation, [*iris.attributes[:4],
                                         iris.attributes[4].with_values(["x", "y", "z"])],
                         iris.X, class_index=4)
    with pytest.raises(HeaderMismatchError, match="attribute 5 'class' has different values"):
        model.predict_proba(relabelled)


def test_clone_copies_parameters_but_not_the_model():
    from workbench.classifiers.knn import KNearestNeighbours

    model = KNearestNeighbours(k=7, distance_weighting="inverse").fit(load("iris.arff"))
    copy = model.clone()
    assert copy.get_params() == model.get_params()
    assert not copy.is_fitted and model.is_fitted


def test_image_geometry_needs_a_square_number_of_attributes():
    caps = Capabilities(image_geometry=True)
    square = make_dataset(np.zeros((2, 16)), [0, 1], ("a", "b"))
    assert caps.handles(square)
    with pytest.raises(CapabilityError, match="the 15 non-class attributes"):
        caps.check(make_dataset(np.zeros((2, 15)), [0, 1], ("a", "b")), "CNN")
