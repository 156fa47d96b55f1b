"""The CNN architecture as one readable line, and the network it stands for.

A user writes the hidden layers the way papers and tutorials draw them::

    conv(20,5)-pool(2)-conv(50,5)-pool(2)-dense(500)

Grammar (whitespace is ignored, names are case-insensitive)::

    spec       := item ( "-" item )*
    item       := name [ "(" number ( "," number )* ")" ]
    conv(f,k[,s[,p]])     f filters of k x k, stride s (1), zero padding p (0; "same"
                          keeps the size for odd k)
    pool(k[,s]) maxpool(k[,s])   max pooling over k x k windows, stride s (k)
    avgpool(k[,s])        average pooling (LeNet's original subsampling)
    dense(n)              n fully connected units (the maps are flattened first)
    dropout(p)            drop a share p of the units while training
    bn | batchnorm        batch normalisation of the channels (or units) before it
    relu | tanh | sigmoid | elu[(alpha)] | leaky_relu[(slope)]   an activation
    gelu | silu | selu    the smooth activations of newer networks

The output layer (one unit per class, softmax) is always added: the spec names the
hidden layers only. A convolution or dense layer not followed by an explicit activation
gets the classifier's default activation, so ``conv(20,5)-pool(2)`` reads as a
tutorial's "conv, ReLU, pool"; with batch normalisation right after the layer the
activation comes after it, so ``conv(16,3)-bn-pool(2)`` is "conv, BN, ReLU, pool", as
the batch-norm paper and the tutorials order them. Errors name the character position,
as a compiler does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from workbench.core.errors import ParameterError
from workbench.engine.layers import (
    ELU,
    GELU,
    SELU,
    AvgPool2D,
    BatchNorm,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    LeakyReLU,
    MaxPool2D,
    Module,
    ReLU,
    Sequential,
    Sigmoid,
    SiLU,
    Tanh,
)

LENET = "conv(20,5)-pool(2)-conv(50,5)-pool(2)-dense(500)"
AUTO = "auto"
# LeNet's two 5x5 convolutions and 2x2 poolings leave a 1x1 map from 16x16 images on.
_LENET_SMALLEST_SIDE = 16
ACTIVATIONS = ("relu", "tanh", "sigmoid", "leaky_relu", "elu", "gelu", "silu", "selu")
# name -> (fewest, most) arguments
_ARITY = {"conv": (2, 4), "pool": (1, 2), "maxpool": (1, 2), "avgpool": (1, 2),
          "dense": (1, 1), "dropout": (1, 1), "relu": (0, 0), "tanh": (0, 0),
          "sigmoid": (0, 0), "elu": (0, 1), "leaky_relu": (0, 1), "gelu": (0, 0),
          "silu": (0, 0), "selu": (0, 0), "bn": (0, 0),
          "batchnorm": (0, 0)}
_BATCH_NORM = ("bn", "batchnorm")
_USAGE = {"conv": "conv(filters,kernel[,stride[,padding]])", "pool": "pool(size[,stride])",
          "maxpool": "maxpool(size[,stride])", "avgpool": "avgpool(size[,stride])",
          "dense": "dense(units)", "dropout": "dropout(p)", "elu": "elu[(alpha)]",
          "leaky_relu": "leaky_relu[(slope)]"}
_TOKEN = re.compile(r"\s*(?:(?P<name>[A-Za-z_][A-Za-z_0-9]*)|(?P<number>\d+(?:\.\d*)?|\.\d+)"
                    r"|(?P<punct>[-(),]))")
# The initialisation each activation is taught with (LEARNING.md).
INIT_FOR = {"relu": "he_uniform", "leaky_relu": "he_uniform", "elu": "he_uniform",
            "gelu": "he_uniform", "silu": "he_uniform", "selu": "lecun_normal",
            "tanh": "glorot_uniform", "sigmoid": "sigmoid_uniform", "none": "glorot_uniform"}


def automatic_architecture(height: int, width: int) -> str:
    """The default hidden layers for images of ``height`` x ``width``: LeNet where it
    fits (both sides at least 16, so MNIST keeps LeNet), else LeNet's shape with 3x3
    'same' convolutions, each pooled while the maps stay at least 2 wide (8x8 digits:
    8 -> 4 -> 2). A fixed LeNet refused every image under 16x16."""
    side = min(height, width)
    if side >= _LENET_SMALLEST_SIDE:
        return LENET
    blocks = []
    for filters in (20, 50):
        block = f"conv({filters},3,1,same)"
        if side >= 4:
            block += "-pool(2)"
            side //= 2
        blocks.append(block)
    return "-".join([*blocks, "dense(500)"])


def resolve_architecture(spec: str, shape: tuple[int, int, int]) -> str:
    """``spec`` as given, or the automatic one for images of ``shape`` (C, H, W)."""
    return automatic_architecture(shape[1], shape[2]) if is_auto(spec) else spec


def is_auto(spec: str) -> bool:
    return spec.strip().lower() == AUTO


@dataclass(frozen=True)
class LayerSpec:
    """One item of a spec: its name, its arguments and where it starts (1-based column)."""

    name: str
    args: tuple[float | str, ...]
    column: int

    @property
    def is_activation(self) -> bool:
        return self.name in ACTIVATIONS

    def text(self) -> str:
        if not self.args:
            return self.name
        return f"{self.name}({','.join(_number_text(a) for a in self.args)})"


def _number_text(value: float | str) -> str:
    return value if isinstance(value, str) else f"{value:g}"


def _error(spec: str, column: int, reason: str) -> ParameterError:
    pointer = " " * (column - 1) + "^"
    return ParameterError(f"architecture '{spec}', column {column}: {reason}\n"
                          f"  {spec}\n  {pointer}")


def _tokens(spec: str) -> list[tuple[str, str, int]]:
    out, position = [], 0
    while position < len(spec):
        match = _TOKEN.match(spec, position)
        if match is None or match.end() == position:
            column = position + 1 + (len(spec[position:]) - len(spec[position:].lstrip()))
            if spec[position:].strip() == "":
                break
            raise _error(spec, column, f"unexpected character "
                                       f"'{spec[column - 1]}'")
        kind = match.lastgroup or ""
        out.append((kind, match.group(kind), match.start(kind) + 1))
        position = match.end()
    return out


def parse_spec(spec: str) -> list[LayerSpec]:
    """The items of an architecture line; ``ParameterError`` with the column on bad input."""
    tokens = _tokens(spec)
    if not tokens:
        raise _error(spec, 1, "the architecture is empty (expected e.g. "
                              f"'{LENET}')")
    items: list[LayerSpec] = []
    i = 0
    end = len(spec) + 1

    def at(k: int) -> tuple[str, str, int]:
        return tokens[k] if k < len(tokens) else ("end", "end of text", end)

    while True:
        kind, text, column = at(i)
        if kind != "name":
            raise _error(spec, column, f"expected a layer name, found '{text}'")
        name = text.lower()
        if name not in _ARITY:
            raise _error(spec, column, f"unknown layer '{text}' (known: "
                                       f"{', '.join(_ARITY)})")
        i += 1
        args: list[float | str] = []
        if at(i)[1] == "(":
            i += 1
            while True:
                kind, text, arg_column = at(i)
                if kind == "number":
                    args.append(float(text))
                elif kind == "name" and text.lower() == "same" and name == "conv" \
                        and len(args) == 3:
                    args.append("same")
                else:
                    raise _error(spec, arg_column, f"expected a number in "
                                                   f"{name}(...), found '{text}'")
                i += 1
                kind, text, sep_column = at(i)
                i += 1
                if text == ")":
                    break
                if text != ",":
                    raise _error(spec, sep_column, f"expected ',' or ')' in {name}(...), "
                                                   f"found '{text}'")
        low, high = _ARITY[name]
        if not low <= len(args) <= high:
            usage = _USAGE.get(name, name)
            raise _error(spec, column, f"{name} takes {low}" +
                         (f" to {high}" if high != low else "") +
                         f" argument(s), got {len(args)} (usage: {usage})")
        items.append(_checked(spec, LayerSpec(name, tuple(args), column)))
        kind, text, column = at(i)
        if kind == "end":
            return items
        if text != "-":
            raise _error(spec, column, f"expected '-' between layers, found '{text}'")
        i += 1


def _checked(spec: str, item: LayerSpec) -> LayerSpec:
    """Argument ranges: whole positive counts, a probability below one."""
    name, args = item.name, item.args
    numbers = [a for a in args if not isinstance(a, str)]
    if name == "dropout":
        if not 0 <= numbers[0] < 1:
            raise _error(spec, item.column, f"dropout({numbers[0]:g}): p must be in [0, 1)")
        return item
    if name in ("elu", "leaky_relu"):
        return item
    whole = [int(a) for a in numbers]
    if any(a != w for a, w in zip(numbers, whole, strict=True)):
        raise _error(spec, item.column, f"{item.text()}: sizes must be whole numbers")
    minimum = [1] * len(numbers)
    if name == "conv" and len(numbers) == 4:
        minimum[3] = 0
    for value, low in zip(whole, minimum, strict=True):
        if value < low:
            raise _error(spec, item.column, f"{item.text()}: sizes must be at least {low}")
    return item


@dataclass
class BuiltNetwork:
    """The engine network and a readable name per layer (conv1, pool1, dense1, output)."""

    network: Sequential
    names: list[str]
    shapes: list[tuple[int, ...]]


def build_network(items: list[LayerSpec], input_shape: tuple[int, int, int], outputs: int,
                  *, activation: str = "relu", dropout: float = 0.0,
                  rng: np.random.Generator | None = None, device: str = "cpu",
                  seed: int | None = None, spec: str = "") -> BuiltNetwork:
    """Layers for ``items`` on ``input_shape`` (C, H, W), ending in ``outputs`` logits.

    Shapes are followed layer by layer so a layer that does not fit ("a 5-wide kernel
    does not fit 3x3 maps") is refused with its column before any training starts.
    ``dropout`` adds a dropout layer before the output layer (on top of any in the spec).
    """
    rng = rng if rng is not None else np.random.default_rng(seed)
    layers: list[Module] = []
    names: list[str] = []
    shapes: list[tuple[int, ...]] = []
    shape: tuple[int, ...] = tuple(input_shape)
    counts: dict[str, int] = {}

    def add(layer: Module, name: str, new_shape: tuple[int, ...]) -> None:
        layers.append(layer)
        names.append(name)
        shapes.append(new_shape)

    def numbered(base: str) -> str:
        counts[base] = counts.get(base, 0) + 1
        return f"{base}{counts[base]}"

    def explicit_activation(k: int) -> str | None:
        """The activation the spec gives layer ``k`` (looking past a batch norm)."""
        k += 1
        if k < len(items) and items[k].name in _BATCH_NORM:
            k += 1
        return items[k].name if k < len(items) and items[k].is_activation else None

    def next_activation(k: int) -> str:
        return explicit_activation(k) or activation

    pending = ""  # the default activation waiting for the batch norm after its layer

    for k, item in enumerate(items):
        name, args = item.name, item.args
        if name == "conv":
            if len(shape) != 3:
                raise _error(spec, item.column, "a convolution cannot follow a dense layer")
            filters, kernel = int(args[0]), int(args[1])
            stride = int(args[2]) if len(args) > 2 else 1
            padding = args[3] if len(args) > 3 else 0
            if padding == "same":
                if kernel % 2 == 0:
                    raise _error(spec, item.column, "'same' padding needs an odd kernel")
                padding = kernel // 2
            padding = int(padding)
            c, h, w = shape
            if kernel > h + 2 * padding or kernel > w + 2 * padding:
                raise _error(spec, item.column, f"{item.text()}: a {kernel}x{kernel} kernel "
                                                f"does not fit {h}x{w} feature maps")
            init = INIT_FOR.get(next_activation(k), "glorot_uniform")
            layer = Conv2D(c, filters, kernel, stride, padding, init=init, rng=rng,
                           device=device)
            shape = (filters, (h + 2 * padding - kernel) // stride + 1,
                     (w + 2 * padding - kernel) // stride + 1)
            add(layer, numbered("conv"), shape)
        elif name in ("pool", "maxpool", "avgpool"):
            if len(shape) != 3:
                raise _error(spec, item.column, "pooling cannot follow a dense layer")
            size = int(args[0])
            stride = int(args[1]) if len(args) > 1 else size
            c, h, w = shape
            if size > h or size > w:
                raise _error(spec, item.column, f"{item.text()}: a {size}x{size} window "
                                                f"does not fit {h}x{w} feature maps")
            pool = AvgPool2D(size, stride) if name == "avgpool" else MaxPool2D(size, stride)
            shape = (c, (h - size) // stride + 1, (w - size) // stride + 1)
            add(pool, numbered("pool"), shape)
        elif name == "dense":
            if len(shape) != 1:
                shape = (int(np.prod(shape)),)
                add(Flatten(), "flatten", shape)
            units = int(args[0])
            init = INIT_FOR.get(next_activation(k), "glorot_uniform")
            add(Dense(shape[0], units, init=init, rng=rng, device=device),
                numbered("dense"), (units,))
            shape = (units,)
        elif name == "dropout":
            add(Dropout(float(args[0]), seed=_child_seed(rng), device=device),
                numbered("dropout"), shape)
        elif name in _BATCH_NORM:
            if not layers or isinstance(layers[-1], Dropout | Flatten):
                raise _error(spec, item.column, f"'{name}' must follow a conv, pool or "
                                                f"dense layer")
            add(BatchNorm(shape[0], device=device), numbered("bn"), shape)
            if pending:
                add(_activation(pending, ()), f"{names[-1]}.{pending}", shape)
                pending = ""
        else:
            if not layers or isinstance(layers[-1], Dropout | Flatten):
                raise _error(spec, item.column, f"'{name}' must follow a conv, pool or "
                                                f"dense layer")
            add(_activation(name, args), f"{names[-1]}.{name}", shape)
        # The default activation after a conv or dense layer the spec left linear
        # (after its batch norm when one follows).
        if name in ("conv", "dense") and explicit_activation(k) is None \
                and activation != "none":
            if k + 1 < len(items) and items[k + 1].name in _BATCH_NORM:
                pending = activation
            else:
                add(_activation(activation, ()), f"{names[-1]}.{activation}", shape)
    if len(shape) != 1:
        shape = (int(np.prod(shape)),)
        add(Flatten(), "flatten", shape)
    if dropout > 0:
        add(Dropout(dropout, seed=_child_seed(rng), device=device), "dropout", shape)
    add(Dense(shape[0], outputs, init="glorot_uniform", rng=rng, device=device), "output",
        (outputs,))
    return BuiltNetwork(Sequential(*layers), names, shapes)


def _activation(name: str, args: tuple[Any, ...]) -> Module:
    if name == "relu":
        return ReLU()
    if name == "tanh":
        return Tanh()
    if name == "sigmoid":
        return Sigmoid()
    if name == "elu":
        return ELU(float(args[0])) if args else ELU()
    if name == "leaky_relu":
        return LeakyReLU(float(args[0])) if args else LeakyReLU()
    if name in ("gelu", "silu", "selu"):
        return {"gelu": GELU, "silu": SiLU, "selu": SELU}[name]()
    raise ParameterError(f"unknown activation '{name}' (known: {', '.join(ACTIVATIONS)})")


def _child_seed(rng: np.random.Generator) -> int:
    return int(rng.integers(0, 2**31 - 1))
