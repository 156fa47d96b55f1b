"""Where a model's inputs sit, for the weight viewers: names, classes, the pixel layout.

What a model learned comes from the protocols of ``workbench.classifiers.inspection``
(``weight_arrays``, ``dense_layers``, ``input_geometry``); this module only maps input
columns to names and image pixels, so a unit's weights can be drawn as a picture even
when the model did not say its inputs are an image (an MLP whose encoder reordered them).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from workbench.classifiers.geometry import infer_geometry
from workbench.classifiers.inspection import EncodedInputs, InputGeometry
from workbench.core.errors import WorkbenchError


def input_names(model: Any) -> list[str]:
    """Names of the network's input columns (encoded attributes), when known."""
    names = model.input_names() if isinstance(model, EncodedInputs) else []
    if names:
        return names
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
    declared = model.input_geometry if isinstance(model, InputGeometry) else None
    if declared is not None:
        c, h, w = (int(s) for s in declared)
        return (c, h, w), np.arange(c * h * w)
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
    if not isinstance(model, EncodedInputs):
        return geometry.shape, np.asarray(geometry.columns) - _offset(header, geometry)
    attributes = model.input_attributes()
    if attributes is None:  # one-hot columns: the weights do not map onto the pixels
        return None
    column_of = {int(a): i for i, a in enumerate(attributes)}
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
