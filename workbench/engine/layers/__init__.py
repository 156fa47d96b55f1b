"""Layers: modules that hold parameters and call functional ops (see ``base.Module``).

Importing this package registers every built-in layer type, which is what lets
``build_module`` rebuild the networks stored in model files.
"""

from workbench.engine.layers.activation import (
    ELU,
    GELU,
    SELU,
    LeakyReLU,
    LogSoftmax,
    ReLU,
    Sigmoid,
    SiLU,
    Softmax,
    Tanh,
)
from workbench.engine.layers.base import LAYER_TYPES, Module, build_module, module_spec
from workbench.engine.layers.batchnorm import BatchNorm
from workbench.engine.layers.conv import (
    AvgPool1D,
    AvgPool2D,
    Conv1D,
    Conv2D,
    Flatten,
    MaxPool1D,
    MaxPool2D,
)
from workbench.engine.layers.dense import Dense
from workbench.engine.layers.dropout import Dropout
from workbench.engine.layers.embedding import Embedding
from workbench.engine.layers.layernorm import LayerNorm
from workbench.engine.layers.recurrent import GRU, LSTM, SimpleRNN
from workbench.engine.layers.sequential import Sequential

__all__ = [
    "ELU",
    "GELU",
    "GRU",
    "LAYER_TYPES",
    "LSTM",
    "SELU",
    "AvgPool1D",
    "AvgPool2D",
    "BatchNorm",
    "Conv1D",
    "Conv2D",
    "Dense",
    "Dropout",
    "Embedding",
    "Flatten",
    "LayerNorm",
    "LeakyReLU",
    "LogSoftmax",
    "MaxPool1D",
    "MaxPool2D",
    "Module",
    "ReLU",
    "Sequential",
    "SiLU",
    "Sigmoid",
    "SimpleRNN",
    "Softmax",
    "Tanh",
    "build_module",
    "module_spec",
]
