"""Recurrent layers over (batch, time, features) input: SimpleRNN, LSTM and GRU.

Each layer unrolls its cell over time with ordinary functional ops, so back-propagation
through time is just the autodiff walking the unrolled graph. The layers return the last
hidden state (batch, hidden) or, with ``return_sequences=True``, every state
(batch, time, hidden) for stacking recurrent layers or per-step outputs.

Weight shapes and gate orders follow PyTorch (LSTM gates i, f, g, o; GRU gates r, z, n)
so that weights can be compared with, or copied from, ``torch.nn.LSTM``/``GRU``.
"""

from __future__ import annotations

from typing import Any

from workbench.core.errors import ParameterError
from workbench.engine import functional as F
from workbench.engine import init as initializers
from workbench.engine.backend import array_module
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

    def _time_steps(self, x: Any) -> list[Any]:
        """Split (batch, time, features) into per-step inputs.

        Plain arrays and tensors that need no gradient are sliced as arrays (free);
        a tensor that needs a gradient (an embedding's output) is sliced by the autodiff.
        """
        shape = tuple(x.shape)
        if len(shape) != 3 or shape[2] != self.input_size:
            raise ParameterError(
                f"{type(self).__name__} expects input shaped (batch, time, {self.input_size}), "
                f"got {shape}")
        if shape[1] < 1:
            raise ParameterError("a sequence needs at least one time step")
        if isinstance(x, Tensor) and x.requires_grad:
            return [x[:, t] for t in range(shape[1])]
        data = x.data if isinstance(x, Tensor) else x
        # Time-major and contiguous once, so each step's GEMMs read a dense block.
        time_major = array_module(data).ascontiguousarray(data.swapaxes(0, 1))
        return list(time_major)

    def _initial_state(self, steps: list[Any]) -> Tensor | None:
        """None (the first step skips the recurrent product with s_0 = 0), except for a
        single step: then s_0 = 0 is fed through ``recurrent_weight`` anyway, so that its
        gradient is zeros rather than None (as in torch) and weight decay still sees it.
        Longer sequences reach the weight from step 2 on."""
        if len(steps) != 1:
            return None
        x0 = steps[0]
        data = x0.data if isinstance(x0, Tensor) else x0
        xp = array_module(data)
        return Tensor(xp.zeros((data.shape[0], self.hidden_size), dtype=self.bias.dtype))

    def _finish(self, states: list[Tensor]) -> Tensor:
        return F.stack(states, axis=1) if self.return_sequences else states[-1]

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
        states: list[Tensor] = []
        steps = self._time_steps(x)
        state = self._initial_state(steps)
        for x_t in steps:
            activation = F.linear(x_t, self.input_weight, self.bias)
            if state is not None:
                activation = activation + F.linear(state, self.recurrent_weight)
            state = F.tanh(activation)
            states.append(state)
        return self._finish(states)


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
        h = self.hidden_size
        states: list[Tensor] = []
        cell = None
        steps = self._time_steps(x)
        state = self._initial_state(steps)
        for x_t in steps:
            z = F.linear(x_t, self.input_weight, self.bias)
            if state is not None:
                z = z + F.linear(state, self.recurrent_weight)
            gates_if = F.sigmoid(z[:, :2 * h])
            candidate = F.tanh(z[:, 2 * h:3 * h])
            output_gate = F.sigmoid(z[:, 3 * h:])
            remember = gates_if[:, :h] * candidate
            cell = remember if cell is None else gates_if[:, h:] * cell + remember
            state = output_gate * F.tanh(cell)
            states.append(state)
        return self._finish(states)


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
        h = self.hidden_size
        states: list[Tensor] = []
        steps = self._time_steps(x)
        state = self._initial_state(steps)
        for x_t in steps:
            xi = F.linear(x_t, self.input_weight, self.bias)
            if state is None:
                # h_{-1} = 0: the recurrent term is just its bias.
                hr = self.recurrent_bias
                gates = F.sigmoid(xi[:, :2 * h] + hr[:2 * h])
                new = F.tanh(xi[:, 2 * h:] + gates[:, :h] * hr[2 * h:])
                state = new - gates[:, h:] * new
            else:
                hr = F.linear(state, self.recurrent_weight, self.recurrent_bias)
                gates = F.sigmoid(xi[:, :2 * h] + hr[:, :2 * h])
                new = F.tanh(xi[:, 2 * h:] + gates[:, :h] * hr[:, 2 * h:])
                update = gates[:, h:]
                state = new + update * (state - new)
            states.append(state)
        return self._finish(states)
