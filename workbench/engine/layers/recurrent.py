"""Recurrent layers over (batch, time, features) input: SimpleRNN, LSTM and GRU.

Each layer holds the weights and calls one fused whole-sequence op
(``functional/recurrent.py``): no small input GEMM per step, one gate GEMM and a few
in-place array calls per step, and back-propagation through time written out beside the
forward, its weight gradients one GEMM over all steps. The layers return the last
hidden state (batch, hidden) or, with ``return_sequences=True``, every state (batch,
time, hidden) for stacking recurrent layers or per-step outputs.

Weight shapes and gate orders follow PyTorch (LSTM gates i, f, g, o; GRU gates r, z, n)
so that weights can be compared with, or copied from, ``torch.nn.LSTM``/``GRU``.
"""

from __future__ import annotations

from typing import Any

from workbench.core.errors import ParameterError
from workbench.engine import functional as F
from workbench.engine import init as initializers
from workbench.engine.layers.base import Module
from workbench.engine.tensor import Parameter, Tensor


class _Recurrent(Module, register=False):
    gates = 1

    def __init__(self, input_size: int, hidden_size: int, return_sequences: bool,
                 init: str, recurrent_init: str, rng: initializers.RngLike, device: str,
                 dtype: Any) -> None:
        super().__init__()
        if int(input_size) < 1 or int(hidden_size) < 1:
            raise ParameterError(
                f"a recurrent layer needs positive sizes, got {input_size} -> {hidden_size}")
        self.input_size = int(input_size)
        self.hidden_size = int(hidden_size)
        self.return_sequences = bool(return_sequences)
        self.init = init
        self.recurrent_init = recurrent_init
        rng = initializers.as_generator(rng)
        width = self.gates * self.hidden_size
        self.input_weight = Parameter(initializers.get_initializer(init)(
            (width, self.input_size), rng, dtype=dtype, device=device))
        self.recurrent_weight = Parameter(initializers.get_initializer(recurrent_init)(
            (width, self.hidden_size), rng, dtype=dtype, device=device))
        self.bias = Parameter(initializers.zeros((width,), dtype=dtype, device=device))

    def _sequence_input(self, x: Any) -> Any:
        """Check (batch, time, features) before the fused op sees it."""
        shape = tuple(x.shape)
        if len(shape) != 3 or shape[2] != self.input_size:
            raise ParameterError(
                f"{type(self).__name__} expects input shaped (batch, time, {self.input_size}), "
                f"got {shape}")
        if shape[1] < 1:
            raise ParameterError("a sequence needs at least one time step")
        return x

    def config(self) -> dict[str, Any]:
        return {"input_size": self.input_size, "hidden_size": self.hidden_size,
                "return_sequences": self.return_sequences, "init": self.init,
                "recurrent_init": self.recurrent_init}


class SimpleRNN(_Recurrent):
    """The Elman network as taught: ``s_t = tanh(U x_t + W s_{t-1} + b)``, ``s_0 = 0``.

    ``input_weight`` is U (hidden, input), ``recurrent_weight`` is W (hidden, hidden),
    ``bias`` is b.
    """

    def __init__(self, input_size: int, hidden_size: int, return_sequences: bool = False,
                 init: str = "glorot_uniform", recurrent_init: str = "glorot_uniform", *,
                 rng: initializers.RngLike = None, device: str = "cpu",
                 dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, return_sequences, init, recurrent_init,
                         rng, device, dtype)

    def forward(self, x: Any) -> Tensor:
        return F.rnn_tanh(self._sequence_input(x), self.input_weight, self.recurrent_weight,
                          self.bias, sequences=self.return_sequences)


class LSTM(_Recurrent):
    """Long short-term memory (Hochreiter and Schmidhuber), PyTorch's formulation.

    ``i, f, g, o`` gates from ``W_ih x_t + W_hh h_{t-1} + b``;
    ``c_t = f * c_{t-1} + i * g``, ``h_t = o * tanh(c_t)``. The forget-gate bias starts
    at 1 (Jozefowicz et al. 2015) so the cell remembers by default early in training.
    """

    gates = 4

    def __init__(self, input_size: int, hidden_size: int, return_sequences: bool = False,
                 init: str = "glorot_uniform", recurrent_init: str = "glorot_uniform", *,
                 rng: initializers.RngLike = None, device: str = "cpu",
                 dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, return_sequences, init, recurrent_init,
                         rng, device, dtype)
        self.bias.data[self.hidden_size:2 * self.hidden_size] = 1.0

    def forward(self, x: Any) -> Tensor:
        return F.lstm(self._sequence_input(x), self.input_weight, self.recurrent_weight,
                      self.bias, sequences=self.return_sequences)


class GRU(_Recurrent):
    """Gated recurrent unit (Cho et al. 2014), PyTorch's formulation.

    ``r, z`` gates from ``W_i x_t + b_i + W_h h + b_h``;
    ``n = tanh(W_in x_t + b_in + r * (W_hn h + b_hn))``; ``h_t = (1 - z) * n + z * h``.
    The reset gate acts on the recurrent term, so GRU keeps a second bias,
    ``recurrent_bias``.
    """

    gates = 3

    def __init__(self, input_size: int, hidden_size: int, return_sequences: bool = False,
                 init: str = "glorot_uniform", recurrent_init: str = "glorot_uniform", *,
                 rng: initializers.RngLike = None, device: str = "cpu",
                 dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, return_sequences, init, recurrent_init,
                         rng, device, dtype)
        self.recurrent_bias = Parameter(initializers.zeros(
            (self.gates * self.hidden_size,), dtype=dtype, device=device))

    def forward(self, x: Any) -> Tensor:
        return F.gru(self._sequence_input(x), self.input_weight, self.recurrent_weight,
                     self.bias, self.recurrent_bias, sequences=self.return_sequences)
