"""What a DBN's first RBM sees: the visible units chosen and the inputs scaled for them.

Bernoulli visible units want values in [0, 1]: non-negative image data (pixel
intensities) are divided by one common factor, other non-negative data are scaled per
column from the training range; data with negative values get Gaussian visible units
and are standardised per column. Images keep their pixels in image order so the RBM's
units can be shown as pictures. Apart from the learner because the same rules serve
fitting, prediction and the viewers' ``encode``.
"""

from __future__ import annotations

import numpy as np

from workbench.classifiers.encoding import Encoder
from workbench.classifiers.geometry import (
    ImageGeometry,
    guessed_too_small,
    infer_geometry,
    parse_shape,
    pixel_scale,
)
from workbench.core.errors import WorkbenchError
from workbench.data.dataset import Dataset


def learn_inputs(data: Dataset, image_shape: str, visible: str
                 ) -> tuple[ImageGeometry | None, str, float, Encoder, np.ndarray | None]:
    """(geometry, visible units, common factor, encoder, image order) learned from
    ``data``; ``image_shape`` and ``visible`` are the user's settings ("auto" or given)."""
    explicit = parse_shape(image_shape)
    geometry: ImageGeometry | None
    try:
        geometry = infer_geometry(data, explicit)
    except WorkbenchError:
        if explicit is not None:
            raise
        geometry = None
    # A DBN takes any table: a few attributes that merely count to a square (iris's
    # four, x1..x9) are not an image; 8x8 is the smallest image we ship.
    if geometry is not None and guessed_too_small(geometry):
        geometry = None
    plain = Encoder("none", "binary").fit(data)
    raw = plain.transform(data)
    finite = raw[np.isfinite(raw)]
    non_negative = finite.size == 0 or float(finite.min()) >= 0.0
    if visible == "auto":
        visible = "bernoulli" if non_negative else "gaussian"
    factor = 1.0
    if visible == "bernoulli" and non_negative and geometry is not None:
        # Pixels share one scale: dividing each by its own column maximum would
        # blow a faint border pixel up to full ink.
        encoder = plain
        factor = pixel_scale(finite)
    else:
        encoder = Encoder("range" if visible == "bernoulli" else "standard",
                          "binary").fit(data)
    order = None
    if geometry is not None:
        where = {int(source): j for j, source in enumerate(encoder.columns_)}
        order = np.asarray([where[c] for c in geometry.columns], np.int64)
    return geometry, visible, factor, encoder, order


def scaled_inputs(data: Dataset, encoder: Encoder, order: np.ndarray | None, factor: float,
                  visible: str) -> np.ndarray:
    """The float32 matrix the first RBM sees (scaled, in image order when an image)."""
    X = encoder.transform(data, np.float64)
    if order is not None:
        X = X[:, order]
    if factor != 1.0:
        X *= factor
    if visible == "bernoulli":
        np.clip(X, 0.0, 1.0, out=X)
    return X.astype(np.float32)
