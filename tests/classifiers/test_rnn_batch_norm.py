"""The RNN's batch_norm: normalisation after the convolution over the steps (before its
ReLU) and on the last state before the output layer; running statistics reach the model
file, padding still never changes a prediction, and no hidden host transfers."""

from __future__ import annotations

import numpy as np
from test_rnn import bags, reviews

from workbench.classifiers import load_model
from workbench.classifiers.rnn import RecurrentClassifierNet, RecurrentNetwork
from workbench.engine import backend
from workbench.engine.layers import BatchNorm


def test_conv_and_state_are_normalised_and_the_file_keeps_the_statistics(tmp_path):
    train, test = reviews(300, 0), reviews(100, 1)
    model = RecurrentNetwork(cell="lstm", hidden_size=16, embedding_dim=8, epochs=8,
                             conv_filters=12, conv_kernel=3, batch_norm=True,
                             learning_rate=0.01, seed=3).fit(train)
    net = model.network_
    assert isinstance(net.conv_norm, BatchNorm) and net.conv_norm.num_features == 12
    assert isinstance(net.state_norm, BatchNorm) and net.state_norm.num_features == 16
    # the running statistics followed the batches
    assert np.abs(net.state_norm.running_mean).max() > 1e-3
    assert np.abs(net.conv_norm.running_var - 1).max() > 1e-3
    assert np.mean(model.predict(test) == test.class_values) >= 0.9
    text = model.describe()
    assert "12 filters of 3 steps, batch normalisation, ReLU" in text
    assert "batch normalisation of the last state" in text
    model.save(tmp_path / "bn-rnn.model")
    again = load_model(tmp_path / "bn-rnn.model")
    assert again.batch_norm and again.network_.batch_norm
    for layer in ("conv_norm", "state_norm"):
        for buffer in ("running_mean", "running_var"):
            np.testing.assert_array_equal(
                getattr(getattr(again.network_, layer), buffer),
                getattr(getattr(net, layer), buffer))
    np.testing.assert_array_equal(again.predict(test), model.predict(test))
    np.testing.assert_allclose(again.predict_proba(test), model.predict_proba(test),
                               rtol=1e-6)


def test_without_a_convolution_only_the_last_state_is_normalised(tmp_path):
    data = bags(60, 2)
    model = RecurrentNetwork(cell="gru", hidden_size=5, epochs=4, batch_norm=True,
                             bidirectional=True, validation_fraction=0.25, patience=2,
                             seed=1).fit(data)
    net = model.network_
    assert not hasattr(net, "conv_norm")
    assert net.state_norm.num_features == 10  # both directions' states
    model.save(tmp_path / "bn-bags.model")
    np.testing.assert_allclose(load_model(tmp_path / "bn-bags.model").predict_proba(data),
                               model.predict_proba(data), rtol=1e-6)


def test_batch_norm_off_adds_no_layer():
    net = RecurrentClassifierNet(input_size=3, classes=2, hidden_size=4, conv_filters=2)
    assert not any(isinstance(m, BatchNorm) for m in net.modules())
    assert not list(net.named_buffers())
    assert net.config()["batch_norm"] is False


# Padding with batch norm on: test_rnn_conv.py's padding test runs with it on and off.


def test_batch_norm_training_makes_no_hidden_host_transfers():
    data = reviews(40, 0)
    with backend.strict_transfers():
        model = RecurrentNetwork(cell="lstm", hidden_size=4, embedding_dim=3,
                                 conv_filters=3, batch_norm=True, epochs=2).fit(data)
        proba = model.predict_proba(data)
    assert proba.shape == (40, 2)
