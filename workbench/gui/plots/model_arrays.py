"""What a fitted classifier learned, as plain arrays a weight viewer can draw.

Classifiers expose their learning differently: the CNN has ``weight_arrays()`` and
``input_geometry``, the MLP keeps an engine ``Sequential`` in ``network_`` and an input
``Encoder``, the perceptron a weight row per one-vs-rest problem. This module reads
each into the same shapes (dense layers as ``(out, in)`` matrices, the pixel layout of
the inputs) so the viewers stay free of per-classifier special cases beyond ``hasattr``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from workbench.classifiers.geometry import infer_geometry
from workbench.core.errors import WorkbenchError
from workbench.engine import backend


@dataclass(frozen=True)
class DenseLayer:
    """One fully connected layer: ``weight`` is ``(out, in)``, ``bias`` ``(out,)``."""

    name: str
    weight: np.ndarray
    bias: np.ndarray | None


def dense_layers(model: Any) -> list[DenseLayer]:
    """The fully connected layers of a network classifier, input side first."""
    arrays: dict[str, np.ndarray] = {}
    if hasattr(model, "weight_arrays"):
        arrays = dict(model.weight_arrays())
    elif getattr(model, "network_", None) is not None:
        for name, param in model.network_.named_parameters():
            arrays[name] = np.array(backend.to_host(param.data), dtype=np.float64)
    layers = []
    for name, value in arrays.items():
        if name.endswith("weight") and np.ndim(value) == 2:
            prefix = name[: -len("weight")]
            label = prefix.rstrip(".") or name
            if label.isdigit():  # an unnamed Sequential position
                label = f"dense layer {len(layers) + 1}"
            layers.append(DenseLayer(label, np.asarray(value, float),
                                     arrays.get(prefix + "bias")))
    return layers


def input_names(model: Any) -> list[str]:
    """Names of the network's input columns (encoded attributes), when known."""
    encoder = getattr(model, "encoder_", None)
    if encoder is not None and getattr(encoder, "names_", None):
        return list(encoder.names_)
    header = getattr(model, "header_", None)
    if header is None:
        return []
    return [a.name for i, a in enumerate(header.attributes) if i != header.class_index]


def output_names(model: Any) -> list[str]:
    classes = getattr(model, "classes_", ())
    return list(classes) if classes else ["value"]


def image_layout(model: Any) -> tuple[tuple[int, int, int], np.ndarray] | None:
    """The input image shape (C, H, W) and, per pixel in image order, the input column
    that holds it; None when the inputs are not an image."""
    shape = getattr(model, "input_geometry", None)
    if shape is not None:
        shape = tuple(int(s) for s in shape)
        return shape, np.arange(int(np.prod(shape)))  # type: ignore[return-value]
    header = getattr(model, "header_", None)
    if header is None:
        return None
    try:
        geometry = infer_geometry(header)
    except WorkbenchError:
        return None
    # A handful of attributes is never an image, even when their number is a square.
    if geometry.source == "square" and geometry.size < 49:
        return None
    encoder = getattr(model, "encoder_", None)
    if encoder is None:
        return geometry.shape, np.asarray(geometry.columns) - _offset(header, geometry)
    if np.any(encoder.sizes_ != 1):
        return None
    column_of = {int(a): i for i, a in enumerate(encoder.columns_)}
    try:
        positions = np.array([column_of[a] for a in geometry.columns])
    except KeyError:
        return None
    return geometry.shape, positions


def _offset(header: Any, geometry: Any) -> np.ndarray:
    """Attribute index to input column: skip the class attribute when it comes first."""
    ci = header.class_index
    cols = np.asarray(geometry.columns)
    return (cols > ci).astype(int) if ci is not None else np.zeros_like(cols)


def unit_images(weight: np.ndarray, layout: tuple[tuple[int, int, int], np.ndarray]
                ) -> np.ndarray:
    """First-layer weights ``(units, inputs)`` as ``(units, H, W)`` images (channels
    side by side when there are several)."""
    (c, h, w), positions = layout
    pixels = weight[:, positions].reshape(weight.shape[0], c, h, w)
    return np.concatenate(list(pixels.transpose(1, 0, 2, 3)), axis=2) if c > 1 else \
        pixels[:, 0]


def perceptron_weights(model: Any) -> np.ndarray | None:
    """Per one-vs-rest problem, the weight vector with the bias last; None when the
    model is not linear in its inputs (a voted perceptron with a polynomial kernel)."""
    weights = getattr(model, "weights_", None)
    if weights is not None and np.size(weights):
        return np.asarray(weights, dtype=np.float64)
    support = getattr(model, "support_", None)
    if not support or getattr(model, "exponent", 1.0) != 1.0:
        return None
    rows = []
    for s, signs in zip(support, model.signs_, strict=True):
        s = np.asarray(s, dtype=np.float64)
        signs = np.asarray(signs, dtype=np.float64)
        if s.size == 0:
            rows.append(np.zeros(model.encoder_.width + 1))
            continue
        # The final perceptron of the voted sequence: (x.y + 1) kernel gives the bias.
        rows.append(np.append(signs @ s, signs.sum()))
    return np.vstack(rows)
