"""Hints a learner classifying text meets: the numeric-class advice inside a
FilteredClassifier names the class's position in the user's file (it said ``-R 1``, the
position after StringToWordVector, which converts the text column and leaves the class
numeric), and notices a first row read as the header; SMO's pointer gives SMO's
settings."""

import numpy as np
import pytest

from workbench.classifiers.capabilities import CapabilityError
from workbench.classifiers.filtered import FilteredClassifier
from workbench.cli import main
from workbench.data.dataset import Attribute, Dataset


def _headerless_sentences():
    """A sentiment file read with its first row as the header: the text column is
    called 'Wow... Loved this place.' and the class '1', holding 0 and 1."""
    texts = ["Crust is not good.", "Not tasty and the texture was just nasty.",
             "Stopped by during the late May bank holiday.", "The selection was great."]
    X = np.column_stack([np.arange(4, dtype=float), [0.0, 0.0, 1.0, 1.0]])
    return Dataset("yelp", [Attribute.string("Wow... Loved this place.", texts),
                            Attribute.numeric("1")], X, class_index=1)


def test_inside_a_filtered_classifier_the_hint_names_the_users_column():
    learner = FilteredClassifier(filters="StringToWordVector", classifier="naive-bayes")
    with pytest.raises(CapabilityError) as refused:
        learner.fit(_headerless_sentences())
    message = str(refused.value)
    assert "NumericToNominal -R 2" in message
    assert "-R 1" not in message


def test_names_that_look_like_a_row_of_data_point_to_the_missing_header_row():
    learner = FilteredClassifier(filters="StringToWordVector", classifier="naive-bayes")
    with pytest.raises(CapabilityError, match=r"'Wow\.\.\. Loved this place\.', '1'\) "
                                              r"look like a row of data.*--no-header"):
        learner.fit(_headerless_sentences())


def test_smo_points_to_svm_with_smos_linear_kernel_and_scaling(capsys):
    assert main(["classify", "-t", "iris", "weka.classifiers.functions.SMO"]) == 2
    assert "'workbench classify -t iris svm -K linear --scaling range'" in (
        capsys.readouterr().err)
