"""How big a DBN is and how long it trains when the user leaves it to us.

Sizes follow the data: the hidden layers from the number of input columns, the epochs
of each phase from the number of mini-batches (so a small table gets about as many
weight updates as a large one, a tiny one fewer), early stopping only on small tables
whose epochs are automatic. Per-layer settings are read from text ("0.1" or one value
per RBM), and the fit's progress is shared between phases by their matrix-product work.
Kept apart from the learner (``dbn.py``) because these are the numbers a user tunes and
a test pins, without building a network.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from workbench.core.errors import ParameterError
from workbench.core.progress import ProgressCallback, ProgressEvent

# Automatic sizes (see the module docstring): weight updates each phase gets at least, the
# epochs below which it never goes (MNIST's settings), and the most it takes.
# A tiny table needs fewer: about 20 (fine-tuning) or 10 (pre-training) visits per row.
_FINETUNE_UPDATES, _FINETUNE_PER_ROW, _FINETUNE_LEAST = 3000, 20, 15
_PRETRAIN_UPDATES, _PRETRAIN_PER_ROW, _PRETRAIN_LEAST = 1000, 10, 8
_MOST_EPOCHS = 500
_WIDE_INPUTS, _DEEP_INPUTS = 256, 64
# Below this many labelled rows, automatic early stopping holds a share out: on small,
# noisy tables (breast-cancer) 3000 updates overfit where glass still needs them, and only
# held-out data tells the two apart. MNIST-sized data trains on every row, as before.
# Fewer than 100 rows leave too few to hold out (weather's 14: 3 rows decide the stop).
_SMALL_DATA, _HELD_OUT, _TOO_FEW_TO_HOLD_OUT = 2000, 0.2, 100


def automatic_hidden_layers(inputs: int) -> tuple[int, ...]:
    """Hidden layer sizes for ``inputs`` input columns: 500-500 for images of MNIST's
    size, else about four units per input (20 to 500), in two layers from 64 inputs on."""
    if inputs >= _WIDE_INPUTS:
        return (500, 500)
    width = min(500, max(20, 4 * inputs))
    return (width, width) if inputs >= _DEEP_INPUTS else (width,)


def automatic_epochs(rows: int, batch_size: int, updates: int, least: int,
                     per_row: int = 0) -> int:
    """Epochs that give about ``updates`` mini-batch updates over ``rows`` instances (or
    ``per_row`` times the rows, when that is fewer), never fewer than ``least`` nor more
    than 500."""
    batches = max(1, math.ceil(rows / batch_size))
    if per_row:
        updates = min(updates, per_row * rows)
    return max(least, min(_MOST_EPOCHS, math.ceil(updates / batches)))


def parse_per_layer(text: str, layers: int, what: str, kind: type = float,
                    ) -> list[Any] | None:
    """``"0.1"`` -> the same value for every layer, ``"0.1,0.05"`` -> one per layer;
    ``"auto"`` -> None. Raises ``ParameterError`` naming the text and what it sets."""
    text = text.strip()
    if text.lower() in ("", "auto"):
        return None
    try:
        values = [kind(part) for part in text.replace(" ", "").split(",") if part]
    except ValueError:
        raise ParameterError(f"{what} '{text}' is not understood (expected one number, or "
                             f"one per hidden layer separated by commas)") from None
    if not values or any(not (math.isfinite(v) and v > 0) for v in values):
        raise ParameterError(f"{what} '{text}': every value must be a positive number")
    if len(values) == 1:
        return values * layers
    if len(values) != layers:
        raise ParameterError(f"{what} '{text}' gives {len(values)} values for "
                             f"{layers} hidden layer(s); give one, or one per layer")
    return values


def layer_settings(hidden_layers: Sequence[int] | None, pretrain_epochs: Sequence[int] | None,
                   pretrain_learning_rate: str, finetune_epochs: int | None, batch_size: int,
                   inputs: int | None, pool: int, labelled: int
                   ) -> tuple[list[int], list[int], list[float] | None, int]:
    """Sizes, pre-training epochs and rates per RBM, and fine-tuning epochs, for
    ``inputs`` input columns, ``pool`` pre-training and ``labelled`` fine-tuning rows,
    from the user's settings (None: automatic). With ``inputs`` None (before any data)
    only what the user set is checked."""
    if hidden_layers is not None:
        sizes = list(hidden_layers)
    elif inputs is not None:
        sizes = list(automatic_hidden_layers(inputs))
    else:
        sizes = []
    if (hidden_layers is not None or inputs is not None) and (
            not sizes or any(s < 1 for s in sizes)):
        raise ParameterError(f"hidden layers {','.join(map(str, sizes)) or '(none)'}: "
                             f"a DBN needs at least one RBM and every layer needs units")
    finetune = finetune_epochs or automatic_epochs(
        labelled, batch_size, _FINETUNE_UPDATES, _FINETUNE_LEAST, _FINETUNE_PER_ROW)
    if pretrain_epochs is None:
        epochs = [automatic_epochs(pool, batch_size, _PRETRAIN_UPDATES,
                                   _PRETRAIN_LEAST, _PRETRAIN_PER_ROW)] * len(sizes)
    else:
        epochs = list(pretrain_epochs)
    if not sizes:  # layers still unknown: only the rates' text can be checked yet
        given = [part for part in pretrain_learning_rate.split(",") if part.strip()]
        parse_per_layer(pretrain_learning_rate, max(1, len(given)),
                        "pre-training learning rate")
        return sizes, epochs, None, finetune
    if len(epochs) == 1:
        epochs = epochs * len(sizes)
    elif len(epochs) != len(sizes):
        raise ParameterError(f"pre-training epochs {','.join(map(str, epochs))} give "
                             f"{len(epochs)} values for {len(sizes)} RBM(s); give one, "
                             f"or one per RBM")
    rates = parse_per_layer(pretrain_learning_rate, len(sizes), "pre-training learning rate")
    return sizes, epochs, rates, finetune


def early_stopping(validation_fraction: float | None, patience: int | None,
                   finetune_epochs: int | None, labelled: int, finetune: int
                   ) -> tuple[float, int]:
    """The share held out and the patience: automatic ones hold out 20 % of a small
    dataset (100 to 2000 labelled rows) when the epochs are automatic too (epochs a
    user sets are all trained) and wait a tenth of the epochs (at least 3)."""
    held_out = validation_fraction
    if held_out is None:
        small = _TOO_FEW_TO_HOLD_OUT <= labelled < _SMALL_DATA and finetune_epochs is None
        held_out = _HELD_OUT if small else 0.0
    if patience is None:
        patience = max(3, finetune // 10)
    return held_out, patience


def phase_costs(inputs: int, sizes: list[int], epochs: list[int], finetune: int,
                 classes: int, pool: int, labelled: int) -> list[float]:
    """Shares of the whole fit for each RBM's pre-training and for fine-tuning, by
    matrix-product work (a CD step is four products, a backprop step three)."""
    widths = [inputs, *sizes]
    pairs = list(pairwise(widths))
    work = [4.0 * pool * e * a * b for e, (a, b) in zip(epochs, pairs, strict=True)]
    network = sum(a * b for a, b in pairs) + sizes[-1] * classes
    work.append(3.0 * labelled * finetune * network)
    total = sum(work) or 1.0
    return [w / total for w in work]


def finetune_progress(progress: ProgressCallback | None, start: float
                       ) -> ProgressCallback | None:
    """Fine-tuning's reports mapped onto the last part of the whole fit's progress."""
    if progress is None:
        return None

    def forward(event: ProgressEvent) -> None:
        fraction = None if event.fraction is None else start + (1 - start) * event.fraction
        progress(ProgressEvent(fraction, f"fine-tuning, {event.message}",
                               {**event.values, "phase": "finetune"}))

    return forward
