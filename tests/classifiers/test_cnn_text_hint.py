"""``cnn`` refuses text; the refusal says where text convolution lives (walkthrough F7:
a learner building a tutorial's text CNN read only "cannot handle string
attributes" and never learned of ``rnn --conv-filters``)."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.classifiers.capabilities import CapabilityError
from workbench.classifiers.cnn import ConvolutionalNetwork
from workbench.data.dataset import Attribute, Dataset


def _data(first: Attribute) -> Dataset:
    return Dataset("t", [first, Attribute.nominal("class", ["a", "b"])],
                   np.array([[0.0, 0.0], [1.0, 1.0]]), class_index=1)


def test_a_string_attribute_refusal_points_to_the_text_learners():
    with pytest.raises(CapabilityError) as refused:
        ConvolutionalNetwork.capabilities.check(
            _data(Attribute.string("sentence", ["good film", "bad film"])), "CNN")
    message = str(refused.value)
    assert message.startswith("CNN cannot handle string attributes: attribute 1 "
                              "'sentence' is string; for text: rnn with --conv-filters")
    assert "FilteredClassifier with StringToWordVector" in message


def test_other_refusals_carry_no_text_hint():
    with pytest.raises(CapabilityError) as refused:
        ConvolutionalNetwork.capabilities.check(
            _data(Attribute.nominal("colour", ["red", "blue"])), "CNN")
    assert "rnn" not in str(refused.value)
