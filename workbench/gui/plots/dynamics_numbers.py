"""The Dynamics view's numbers in words and rows: its summary line and what Save data
writes. Plain functions of a recording, so the view's drawing code stays about drawing."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from workbench.engine.dynamics import TrainingDynamics

HEADER = ["step", "epoch", "layer", "quantity", "low", "high", "value"]
LINE_QUANTITIES = ("grad_norm", "update_ratio", "saturated", "dead")


def unit(data: Any) -> str:
    """What the x axis counts: epochs, or full-batch iterations (L-BFGS)."""
    return "iteration" if getattr(data, "step_unit", "batch") == "iteration" else "epoch"


def summary_line(data: TrainingDynamics | None) -> str:
    """The vanishing-gradient reading in one line: first against last layer, over the
    last epoch recorded."""
    if data is None or data.records == 0:
        return ""
    grad = data.last_epoch_mean("grad_norm")
    epoch = math.ceil(float(data.epochs[-1]) - 1e-9)
    counted = unit(data)
    every = f"every {data.every} steps, " if counted == "epoch" else ""
    text = f"{data.records} records ({every}{len(grad)} layers), {counted} {epoch}."
    if len(grad) > 1 and grad[-1] > 0 and np.isfinite(grad[0]):
        ratio = grad[0] / grad[-1]
        text += (f" Mean gradient norm over the last {counted}: first layer "
                 f"{grad[0]:.3g}, last layer {grad[-1]:.3g} (first / last = "
                 f"{ratio:.3g}).")
    return text


def numbers_table(data: TrainingDynamics, lines: tuple[np.ndarray, ...], smooth: bool,
                  heat: tuple[np.ndarray, np.ndarray, np.ndarray], layer_name: str,
                  kind: str) -> list[list[Any]]:
    """The rows of every number drawn, under ``HEADER``: the per-layer ``lines`` (x, then
    one (points, layers) array per ``LINE_QUANTITIES``; each record, or each epoch's
    mean when ``smooth``), then the heat map's shares per epoch and bin (``heat`` is
    ``(epochs, edges, shares)`` of layer ``layer_name``, ``kind`` "activations" or
    "weights")."""
    rows: list[list[Any]] = []
    x, *series = lines
    for r in range(len(x)):
        step: Any = "" if smooth else int(data.steps[r])
        position: Any = int(x[r]) if smooth else float(x[r])
        for i, layer in enumerate(data.layer_names):
            for quantity, values in zip(LINE_QUANTITIES, series, strict=True):
                if np.isfinite(values[r, i]):
                    rows.append([step, position, layer, quantity, "", "",
                                 float(values[r, i])])
    epochs, edges, shares = heat
    quantity = f"{kind[:-1]} share"
    for e, epoch in enumerate(epochs):
        for b in range(shares.shape[1]):
            if np.isfinite(shares[e, b]):
                rows.append(["", int(epoch), layer_name, quantity, float(edges[b]),
                             float(edges[b + 1]), float(shares[e, b])])
    return rows
