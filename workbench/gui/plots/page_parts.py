"""Controls and conversions the weights window's pages share: an instance chooser, a row
of controls, flat inputs as image tiles, a model's input image shape."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtWidgets import QHBoxLayout, QSpinBox, QWidget

from workbench.data.dataset import Dataset
from workbench.gui.plots.model_arrays import image_layout


def instance_box(data: Dataset) -> QSpinBox:
    """A 1-based chooser of one of ``data``'s instances, as the user counts them."""
    box = QSpinBox()
    box.setRange(1, max(data.num_instances, 1))
    box.setPrefix("instance ")
    return box


def controls_row(*widgets: QWidget) -> QHBoxLayout:
    """The widgets side by side, pushed to the left."""
    row = QHBoxLayout()
    for w in widgets:
        row.addWidget(w)
    row.addStretch(1)
    return row


def as_images(flat: np.ndarray, shape: tuple[int, int, int] | None) -> np.ndarray | None:
    """``(n, C*H*W)`` rows as ``(n, H, W*C)`` tiles; None when there is no image shape."""
    if shape is None:
        return None
    c, h, w = shape
    images = np.asarray(flat, dtype=np.float64).reshape(-1, c, h, w)
    return np.concatenate(list(images.transpose(1, 0, 2, 3)), axis=2) if c > 1 else \
        images[:, 0]


def geometry_shape(model: Any) -> tuple[int, int, int] | None:
    """(C, H, W) of the model's input image, None when its inputs are not an image."""
    found = image_layout(model)
    return None if found is None else found[0]
