"""The CNN architecture mini-language: parsing, errors with positions, built shapes."""

from __future__ import annotations

import pytest

from workbench.classifiers.cnn_spec import (
    LENET,
    automatic_architecture,
    build_network,
    parse_spec,
    resolve_architecture,
)
from workbench.core.errors import ParameterError
from workbench.engine.layers import AvgPool2D, Conv2D, Dense, Dropout, MaxPool2D, ReLU, Tanh


def test_lenet_parses_and_prints_back():
    items = parse_spec(LENET)
    assert [i.text() for i in items] == ["conv(20,5)", "pool(2)", "conv(50,5)", "pool(2)",
                                         "dense(500)"]
    assert [i.column for i in items] == [1, 12, 20, 31, 39]


def test_whitespace_case_and_optional_arguments():
    items = parse_spec(" Conv(8, 3, 1, same) - AVGPOOL(2,1) - leaky_relu(0.1) - dropout(.25)")
    assert [i.name for i in items] == ["conv", "avgpool", "leaky_relu", "dropout"]
    assert items[0].args == (8.0, 3.0, 1.0, "same")
    assert items[3].args == (0.25,)


@pytest.mark.parametrize(("spec", "column", "reason"), [
    ("conv(20)", 1, "conv takes 2 to 4 argument"),
    ("conv(20,5)-", 12, "expected a layer name"),
    ("conv(20,5)--pool(2)", 12, "expected a layer name, found '-'"),
    ("conv(20,5)-poo(2)", 12, "unknown layer 'poo'"),
    ("conv(20,5.5)", 1, "whole numbers"),
    ("conv(3 3)", 8, "expected ',' or ')'"),
    ("conv(3,3)-pool(2)$", 18, "unexpected character '$'"),
    ("dense(10)-dropout(1.5)", 11, "p must be in [0, 1)"),
    ("conv(0,3)", 1, "at least 1"),
    ("", 1, "empty"),
    ("relu(2)", 1, "relu takes 0 argument"),
    ("conv(4,3,1,same", 16, "expected ',' or ')'"),
])
def test_syntax_errors_name_the_column(spec, column, reason):
    with pytest.raises(ParameterError) as caught:
        parse_spec(spec)
    message = str(caught.value)
    assert f"column {column}:" in message
    assert reason in message
    # The caret line points at the same column under the echoed spec.
    assert message.splitlines()[-1].index("^") == column + 1


def test_lenet_shapes_and_default_activation_after_conv_and_dense():
    built = build_network(parse_spec(LENET), (1, 28, 28), 10, seed=0)
    assert built.names == ["conv1", "conv1.relu", "pool1", "conv2", "conv2.relu", "pool2",
                           "flatten", "dense1", "dense1.relu", "output"]
    assert built.shapes[5] == (50, 4, 4)
    assert built.shapes[-1] == (10,)
    layers = list(built.network)
    assert isinstance(layers[0], Conv2D) and isinstance(layers[1], ReLU)
    assert isinstance(layers[2], MaxPool2D)
    assert isinstance(layers[-1], Dense) and layers[-1].weight.data.shape == (10, 500)


def test_explicit_activation_replaces_the_default_and_same_padding_keeps_size():
    spec = "conv(4,3,1,same)-tanh-avgpool(2)-dense(6)-dropout(0.5)"
    built = build_network(parse_spec(spec), (2, 8, 8), 3, activation="relu", dropout=0.25,
                          seed=0)
    assert built.names == ["conv1", "conv1.tanh", "pool1", "flatten", "dense1",
                           "dense1.relu", "dropout1", "dropout", "output"]
    layers = list(built.network)
    assert isinstance(layers[1], Tanh) and not any(isinstance(x, ReLU) for x in layers[:3])
    assert isinstance(layers[2], AvgPool2D)
    assert built.shapes[0] == (4, 8, 8)
    assert isinstance(layers[6], Dropout) and layers[6].p == 0.5
    assert isinstance(layers[7], Dropout) and layers[7].p == 0.25


def test_activation_none_leaves_layers_linear():
    built = build_network(parse_spec("conv(2,3)-dense(4)"), (1, 5, 5), 2,
                          activation="none", seed=0)
    assert built.names == ["conv1", "flatten", "dense1", "output"]


@pytest.mark.parametrize(("spec", "reason"), [
    ("conv(2,5)-pool(2)-conv(2,5)", "a 5x5 kernel does not fit 2x2 feature maps"),
    ("pool(9)", "a 9x9 window does not fit 8x8"),
    ("dense(4)-conv(2,3)", "cannot follow a dense layer"),
    ("dense(4)-pool(2)", "pooling cannot follow a dense layer"),
    ("conv(2,2,1,same)", "odd kernel"),
    ("relu-dense(3)", "must follow a conv, pool or dense layer"),
])
def test_layers_that_do_not_fit_are_refused_with_their_column(spec, reason):
    with pytest.raises(ParameterError, match="column") as caught:
        build_network(parse_spec(spec), (1, 8, 8), 2, spec=spec)
    assert reason in str(caught.value)


def test_same_seed_gives_same_initial_weights():
    a = build_network(parse_spec("conv(3,3)-dense(5)-dropout(0.3)"), (1, 6, 6), 2, seed=4)
    b = build_network(parse_spec("conv(3,3)-dense(5)-dropout(0.3)"), (1, 6, 6), 2, seed=4)
    for (name, x), (_, y) in zip(a.network.state_dict().items(),
                                 b.network.state_dict().items(), strict=True):
        assert (x == y).all(), name


def test_automatic_architecture_is_lenet_for_mnist_and_fits_every_smaller_image():
    assert automatic_architecture(28, 28) == LENET
    assert resolve_architecture("auto", (1, 28, 28)) == LENET
    assert resolve_architecture("conv(4,3)-dense(8)", (1, 8, 8)) == "conv(4,3)-dense(8)"
    assert automatic_architecture(8, 8) == ("conv(20,3,1,same)-pool(2)-conv(50,3,1,same)-"
                                            "pool(2)-dense(500)")
    for side in range(1, 33):
        for shape in ((1, side, side), (3, side, side + 3)):
            spec = automatic_architecture(shape[1], shape[2])
            built = build_network(parse_spec(spec), shape, 10, seed=0, spec=spec)
            assert built.shapes[-1] == (10,)
            maps = [s for s in built.shapes if len(s) == 3]
            assert min(min(s[1:]) for s in maps) >= 1


def test_batch_norm_goes_before_the_default_activation():
    from workbench.engine.layers import BatchNorm

    spec = "conv(4,3)-bn-pool(2)-conv(4,3)-batchnorm-tanh-dense(6)-bn"
    built = build_network(parse_spec(spec), (1, 12, 12), 3, seed=0, spec=spec)
    assert built.names == ["conv1", "bn1", "bn1.relu", "pool1", "conv2", "bn2", "bn2.tanh",
                           "flatten", "dense1", "bn3", "bn3.relu", "output"]
    layers = list(built.network)
    assert [layers[i].num_features for i in (1, 5, 9)] == [4, 4, 6]
    assert all(isinstance(layers[i], BatchNorm) for i in (1, 5, 9))
    assert built.shapes[1] == (4, 10, 10) and built.shapes[9] == (6,)
    assert [i.text() for i in parse_spec("conv(2,3)-BN-relu")] == ["conv(2,3)", "bn", "relu"]


def test_an_explicit_activation_before_batch_norm_is_kept_where_written():
    built = build_network(parse_spec("conv(2,3)-relu-bn"), (1, 6, 6), 2, seed=0)
    assert built.names == ["conv1", "conv1.relu", "bn1", "flatten", "output"]


@pytest.mark.parametrize(("spec", "reason"), [
    ("bn-conv(2,3)", "'bn' must follow a conv, pool or dense layer"),
    ("dense(3)-dropout(0.5)-bn", "'bn' must follow a conv, pool or dense layer"),
    ("conv(2,3)-bn(2)", "bn takes 0 argument(s), got 1"),
])
def test_misplaced_batch_norm_is_refused(spec, reason):
    with pytest.raises(ParameterError) as caught:
        build_network(parse_spec(spec), (1, 8, 8), 2, spec=spec)
    assert reason in str(caught.value)
