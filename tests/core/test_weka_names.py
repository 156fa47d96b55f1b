"""WEKA users paste full class names and type yes/no options every way WEKA's own help
and ours spell them."""

import argparse

import pytest

from workbench.core.param_args import add_param_arguments, params_from_args
from workbench.core.params import Param
from workbench.core.registry import UnknownComponentError, default_registry


@pytest.mark.parametrize("kind, name, expected", [
    ("classifier", "weka.classifiers.lazy.IBk", "knn"),
    ("classifier", "weka.classifiers.bayes.NaiveBayes", "naive-bayes"),
    ("classifier", "weka.classifiers.rules.ZeroR", "zeror"),
    ("filter", "weka.filters.unsupervised.attribute.Discretize", "discretize"),
])
def test_full_weka_class_names_are_accepted(kind, name, expected):
    assert default_registry().get(kind, name).name == expected


@pytest.mark.parametrize("typed, suggested", [("IBK3", "IBk"), ("NaiveBays", "NaiveBayes"),
                                              ("weka.classifiers.lazy.IBkk", "IBk")])
def test_a_misspelt_name_gets_a_suggestion(typed, suggested):
    with pytest.raises(UnknownComponentError, match=f"did you mean '{suggested}'"):
        default_registry().get("classifier", typed)


def test_nothing_close_gets_no_suggestion():
    with pytest.raises(UnknownComponentError) as caught:
        default_registry().get("classifier", "qqqqqqqqqq")
    assert "did you mean" not in str(caught.value)


@pytest.mark.parametrize("argv, expected", [
    ([], None), (["--update-ranges"], True), (["--update-ranges", "false"], False),
    (["--update-ranges", "No"], False), (["--update-ranges", "true"], True),
    (["--no-update-ranges"], False),
])
def test_yes_no_options_take_every_spelling(argv, expected):
    params = (Param.boolean(True, "widen ranges", name="update_ranges"),)
    parser = argparse.ArgumentParser()
    add_param_arguments(parser, params)
    given = params_from_args(parser.parse_args(argv), params)
    assert given.get("update_ranges") is expected


def test_a_yes_no_option_refuses_other_words():
    params = (Param.boolean(True, "widen ranges", name="update_ranges"),)
    parser = argparse.ArgumentParser(exit_on_error=False)
    add_param_arguments(parser, params)
    with pytest.raises(argparse.ArgumentError, match="invalid choice: 'maybe'"):
        parser.parse_args(["--update-ranges", "maybe"])
