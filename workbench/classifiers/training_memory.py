"""What a network learner will need in memory, estimated before anything is built.

Why: a learner's settings come from a stranger as often as from the user (a flow file,
a pasted command line, a sheet typed into), and each setting is in range on its own
while their product is not: ``rnn --layers 100000`` built its layers one by one up to
9.7 GB, ``mlp -H 20000,20000`` on iris took 6.3 GB before its first epoch,
``cnn --architecture "conv(100000,3)"`` grew past 6 GB, ``dbn`` pre-trained a 100 000-unit
layer for minutes before its second layer asked for 80 GB. Linux hands the memory out
(overcommit) and the OOM killer ends the process, the Explorer with the user's work in
it. So each network learner states its size here first, from its settings and the
data's shape, and a network that cannot fit in the memory free now is refused with
the sizes, before a single array is allocated.

The estimate counts what training keeps alive at once:

- the parameters, times the copies training keeps of each: the weights, their
  gradients and up to two optimizer slots (Adam's two moments; SGD with momentum has
  one, and the estimate takes the larger so that it never depends on the optimizer);
- the activations of one batch: each layer's output and its gradient for the backward
  pass, times a small factor for the work arrays of the layer (a convolution's unfolded
  input, a recurrent cell's gates);
- where training keeps more (L-BFGS's history of full-size vectors, the stack of RBMs a
  DBN pre-trains), the learner adds it.

It is an estimate, meant to stop requests for tens of gigabytes at once, not to count
megabytes: what it misses is caught by the memory ceiling the commands and the Explorer
train under (``core.memory_ceiling.limited_memory``), which turns an allocation past
what is free into our "not enough memory" error.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from workbench.core.errors import WorkbenchError
from workbench.core.memory_ceiling import available_memory, describe_bytes, swap_room

# Copies of each parameter training keeps: weights, gradients, two optimizer slots.
PARAMETER_COPIES = 4
# Per activation number: the output, its gradient, and the layer's work arrays.
ACTIVATION_COPIES = 3


class NetworkTooLargeError(WorkbenchError):
    """A network whose training would need more memory than is free: refused before
    anything is allocated, with the sizes that made it so."""


@dataclass(frozen=True)
class TrainingFootprint:
    """The numbers a network's training keeps alive at once.

    ``parameters``: learned numbers; ``activations``: numbers one batch's forward pass
    produces (summed over the layers); ``extra_bytes``: what the learner keeps besides
    (an L-BFGS history, pre-trained RBMs); ``itemsize``: bytes per number."""

    parameters: int
    activations: int
    itemsize: int = 4
    extra_bytes: int = 0

    @property
    def parameter_bytes(self) -> int:
        return self.parameters * self.itemsize * PARAMETER_COPIES

    @property
    def activation_bytes(self) -> int:
        return self.activations * self.itemsize * ACTIVATION_COPIES

    @property
    def total_bytes(self) -> int:
        return self.parameter_bytes + self.activation_bytes + self.extra_bytes


def dense_parameters(widths: list[int]) -> int:
    """Weights and biases of fully connected layers joining ``widths`` in turn."""
    return sum(a * b + b for a, b in itertools.pairwise(widths))


def check_fits(learner: str, footprint: TrainingFootprint, what: str,
               free: int | None = None) -> None:
    """Refuse (``NetworkTooLargeError``) a network whose training needs more than the
    memory free now (``free``, default what is free of RAM and swap, the ceiling the
    training runs under); ``what`` describes the network in the user's terms ("hidden
    layers of 100000 units"). Where the free memory is unknown (not Linux) nothing is
    refused here."""
    if free is None:
        free = available_memory()
        free = None if free is None else free + swap_room()
    need = footprint.total_bytes
    if free is None or need <= free:
        return
    parts = [f"{_count(footprint.parameters)} parameters "
             f"({describe_bytes(footprint.parameter_bytes)} with their gradients and "
             f"optimizer state)",
             f"{describe_bytes(footprint.activation_bytes)} of activations per batch"]
    if footprint.extra_bytes:
        parts.append(f"{describe_bytes(footprint.extra_bytes)} besides")
    raise NetworkTooLargeError(
        f"{learner}: {what} would need about {describe_bytes(need)} to train "
        f"({', '.join(parts)}), more than the {describe_bytes(free)} of memory free; "
        f"expected a smaller network (fewer or narrower layers) or a smaller batch size")


def _count(number: int) -> str:
    """A parameter count for a message: ``1.2 million``, ``30 billion``."""
    for size, word in ((10**9, "billion"), (10**6, "million")):
        if number >= size:
            value = number / size
            return f"{value:.3g} {word}" if value < 1000 else f"{value:,.0f} {word}"
    return f"{number:,}".replace(",", " ")


def product(shape: tuple[int, ...]) -> int:
    """Numbers in an array of ``shape`` (Python ints: no overflow at any size)."""
    return math.prod(int(s) for s in shape)
