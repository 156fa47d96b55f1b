"""Bad parameters of the functional ops end in our errors, named for the op that was
called; NaN fails every range check (``not x >= 0``, never ``x < 0``)."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.core.errors import InvalidDataError, ParameterError
from workbench.engine import functional as F
from workbench.engine.tensor import Tensor


@pytest.mark.parametrize("beta", [float("nan"), -1.0])
def test_smooth_l1_refuses_a_nan_or_negative_beta(beta):
    with pytest.raises(ParameterError, match="beta >= 0"):
        F.smooth_l1_loss(np.zeros(2), np.ones(2), beta=beta)


@pytest.mark.parametrize("momentum", [float("nan"), -0.1, 1.5])
def test_batch_norm_refuses_a_momentum_outside_0_1(momentum):
    x = np.ones((4, 2))
    with pytest.raises(ParameterError, match="momentum"):
        F.batch_norm(x, np.zeros(2), np.ones(2), training=True, momentum=momentum)


@pytest.mark.parametrize(("options", "words"), [
    ({"groups": 3}, "conv1d: groups must be"),
    ({"stride": 0}, "conv1d: stride must be at least 1"),
    ({"padding": -1}, "conv1d: padding must be at least 0"),
    ({"dilation": 0}, "conv1d: dilation must be at least 1"),
    ({}, "conv1d: a 5-wide window does not fit")])
def test_conv1d_errors_name_conv1d(options, words):
    x = np.zeros((1, 2, 4), dtype=np.float32)
    k = 2 if options else 5
    weight = np.zeros((2, 2, k), dtype=np.float32)
    with pytest.raises(ParameterError) as raised:
        F.conv1d(x, weight, **options)
    assert words in str(raised.value) and "conv2d" not in str(raised.value)


def test_conv1d_channel_mismatch_names_conv1d():
    with pytest.raises(ParameterError, match=r"^conv1d: input has 3 channels"):
        F.conv1d(np.zeros((1, 3, 4), dtype=np.float32), np.zeros((2, 2, 1), dtype=np.float32))


@pytest.mark.parametrize(("index", "shown"), [(5, "5"), (-1, "-1")])
def test_an_embedding_index_outside_the_table_is_our_error(index, shown):
    weight = Tensor(np.arange(10.0).reshape(5, 2), requires_grad=True)
    with pytest.raises(InvalidDataError, match=rf"index {shown} is outside the table of 5 "
                                               r"rows \(0\.\.4\)"):
        F.embedding(np.array([[0, index]]), weight)
    assert F.embedding(np.array([0, 4]), weight).data.tolist() == [[0.0, 1.0], [8.0, 9.0]]
    assert F.embedding(np.zeros((0,), dtype=np.int64), weight).data.shape == (0, 2)


def test_batch_norm_without_affine_returns_an_array_backward_does_not_read():
    # Training mode: its backward reads xhat (evaluation mode's does not).
    rng = np.random.default_rng(1)
    data, gy = rng.standard_normal((6, 3)), rng.standard_normal((6, 3))

    def gradient(change_in_place: bool) -> np.ndarray:
        x = Tensor(data.copy(), requires_grad=True)
        y = F.batch_norm(x, np.zeros(3), np.ones(3), training=True)
        if change_in_place:
            y.data[...] = 1e6  # a caller changing the result in place
        (y * Tensor(gy)).sum().backward()
        return x.grad

    np.testing.assert_allclose(gradient(True), gradient(False))
