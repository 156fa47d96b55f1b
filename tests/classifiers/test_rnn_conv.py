"""The RNN's optional 1-D convolution over the steps (conv_filters, conv_kernel): it
learns text, keeps padding invariance, reaches the model file and is refused when even."""

from __future__ import annotations

import numpy as np
import pytest
from test_rnn import masked_frames, reviews

from workbench.classifiers import load_model
from workbench.classifiers.rnn import RecurrentClassifierNet, RecurrentNetwork
from workbench.core.errors import ParameterError
from workbench.engine import backend
from workbench.engine.layers import Conv1D
from workbench.engine.tensor import Tensor, no_grad


def test_conv_lstm_learns_sentences_and_its_file_reloads(tmp_path):
    train, test = reviews(300, 0), reviews(100, 1)
    model = RecurrentNetwork(cell="gru", hidden_size=16, embedding_dim=8, epochs=12,
                             conv_filters=12, conv_kernel=3, learning_rate=0.01,
                             seed=3).fit(train)
    assert isinstance(model.network_.conv, Conv1D)
    assert model.network_.conv.weight.shape == (12, 8, 3)  # over the embedding
    assert np.mean(model.predict(test) == test.class_values) >= 0.9
    assert "convolution over the steps: 12 filters of 3 steps, ReLU" in model.describe()
    assert "conv.weight" in model.weight_arrays()
    states, labels = model.hidden_states(test, 0)
    assert states.shape == (len(labels), 16)
    model.save(tmp_path / "conv-rnn.model")
    again = load_model(tmp_path / "conv-rnn.model")
    np.testing.assert_allclose(again.predict_proba(test), model.predict_proba(test),
                               rtol=1e-6)


@pytest.mark.parametrize("batch_norm", [False, True])
@pytest.mark.parametrize("vocabulary", [0, 7])
def test_padding_never_changes_the_output_with_a_convolution(vocabulary, batch_norm):
    with backend.default_dtype_as(np.float64):
        net = RecurrentClassifierNet(input_size=0 if vocabulary else 3, classes=2,
                                     cell="lstm", hidden_size=3, vocabulary=vocabulary,
                                     embedding_dim=2, masked=True, seed=0,
                                     conv_filters=4, conv_kernel=3, batch_norm=batch_norm)
    if batch_norm:  # statistics a training run could leave: prediction uses them
        rng = np.random.default_rng(0)
        for layer in (net.conv_norm, net.state_norm):
            layer.running_mean[...] = rng.normal(size=layer.num_features)
            layer.running_var[...] = rng.uniform(0.5, 2.0, size=layer.num_features)
    net.eval()
    if vocabulary:
        short = np.array([[3, 1, 4], [2, 0, 0]])
        long = np.concatenate([short, np.zeros((2, 4), dtype=short.dtype)], axis=1)
    else:
        short, long = masked_frames([3, 1], 3), masked_frames([3, 1], 7)
    with no_grad():
        batch = net(Tensor(short)).data
        np.testing.assert_allclose(batch, net(Tensor(long)).data, rtol=1e-12)
        alone = net(Tensor(short[1:2, :1])).data  # the one-step sequence, no padding
    np.testing.assert_allclose(batch[1:2], alone, rtol=1e-12)


def test_an_even_kernel_is_refused():
    with pytest.raises(ParameterError, match="conv_kernel must be odd"):
        RecurrentNetwork(conv_filters=4, conv_kernel=2)
    RecurrentNetwork(conv_filters=0, conv_kernel=2)  # no convolution: nothing to refuse
