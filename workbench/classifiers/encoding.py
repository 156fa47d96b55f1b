"""From a dataset to the matrix a learner wants, learned on training data and kept.

Learners on arrays (perceptron, MLP, scikit-learn models) need numbers only. The
``Encoder`` learns from the training set what WEKA's filters would: the mean or mode
that replaces a missing value (``ReplaceMissingValues``), how nominal values become
indicator columns (``NominalToBinary``: one 0/1 column for a two-valued attribute, one
column per value otherwise, or always one per value), and how numeric columns are scaled
(none, to [0, 1], to [-1, 1] as WEKA's MultilayerPerceptron does, or to mean 0 and
standard deviation 1). It is stored in the model file, so a reloaded model encodes new
data exactly as the training data were encoded.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from workbench.classifiers.modelfile import stored_array
from workbench.core.errors import WorkbenchError
from workbench.data.dataset import AttributeType, Dataset

SCALINGS = ("none", "range", "symmetric", "standard")
NOMINAL_CODINGS = ("binary", "onehot")


class Encoder:
    """Turns the non-class attributes of a dataset into a float matrix.

    ``scaling`` is how numeric (and date) columns are scaled: ``none``, ``range`` (to
    [0, 1]), ``symmetric`` (to [-1, 1]) or ``standard`` (mean 0, standard deviation 1);
    a constant column becomes 0. ``nominal`` is ``binary`` (WEKA's NominalToBinary) or
    ``onehot``. Missing values become the training mean or mode before anything else.
    """

    def __init__(self, scaling: str = "none", nominal: str = "binary") -> None:
        if scaling not in SCALINGS:
            raise WorkbenchError(f"unknown scaling '{scaling}' (expected one of "
                                 f"{', '.join(SCALINGS)})")
        if nominal not in NOMINAL_CODINGS:
            raise WorkbenchError(f"unknown nominal coding '{nominal}' (expected one of "
                                 f"{', '.join(NOMINAL_CODINGS)})")
        self.scaling = scaling
        self.nominal = nominal
        self.columns_ = np.zeros(0, dtype=np.int64)   # source attribute per input column
        self.is_nominal_ = np.zeros(0, dtype=bool)
        self.sizes_ = np.zeros(0, dtype=np.int64)      # output width per input column
        self.fill_ = np.zeros(0)                       # mean or mode per input column
        self.offset_ = np.zeros(0)
        self.scale_ = np.zeros(0)
        self.names_: list[str] = []

    @property
    def width(self) -> int:
        """Number of output columns."""
        return int(self.sizes_.sum())

    def fit(self, data: Dataset) -> Encoder:
        """Learn fills, codings and scales from the training data (weights respected)."""
        columns, nominal, sizes, fills, offsets, scales, names = [], [], [], [], [], [], []
        X = data.dense_values()
        w = data.weights
        for i, attribute in enumerate(data.attributes):
            if i == data.class_index:
                continue
            if attribute.type not in (AttributeType.NUMERIC, AttributeType.NOMINAL,
                                      AttributeType.DATE):
                raise WorkbenchError(f"attribute '{attribute.name}' is {attribute.type}; "
                                     f"only numeric, date and nominal attributes can be "
                                     f"encoded as numbers")
            column = X[:, i]
            known = ~np.isnan(column)
            columns.append(i)
            if attribute.is_nominal:
                counts = np.zeros(max(attribute.num_values, 1))
                np.add.at(counts, column[known].astype(np.intp), w[known])
                fills.append(float(np.argmax(counts)))
                width = attribute.num_values
                # A two-valued attribute is one 0/1 column under WEKA's NominalToBinary;
                # a single-valued one (hypothyroid's 'TBG measured' {f}) is one column of
                # zeros in either coding, and an empty one ({}) adds no column at all.
                if width == 1 or (self.nominal == "binary" and width == 2):
                    width = 1
                nominal.append(True)
                sizes.append(width)
                offsets.append(0.0)
                scales.append(1.0)
                if width == 1:
                    names.append(f"{attribute.name}={attribute.values[-1]}")
                else:
                    names.extend(f"{attribute.name}={v}" for v in attribute.values)
                continue
            values, weights = column[known], w[known]
            total = weights.sum()
            mean = float(np.dot(weights, values) / total) if total > 0 else 0.0
            fills.append(mean)
            offset, scale = 0.0, 1.0
            if values.size and self.scaling != "none":
                lo, hi = float(values.min()), float(values.max())
                if self.scaling == "range":
                    offset, scale = lo, (1.0 / (hi - lo) if hi > lo else 0.0)
                elif self.scaling == "symmetric":
                    offset, scale = (hi + lo) / 2, (2.0 / (hi - lo) if hi > lo else 0.0)
                else:
                    var = float(np.dot(weights, (values - mean) ** 2) / total) if total else 0
                    offset, scale = mean, (1.0 / np.sqrt(var) if var > 0 else 0.0)
            nominal.append(False)
            sizes.append(1)
            offsets.append(offset)
            scales.append(scale)
            names.append(attribute.name)
        self.columns_ = np.asarray(columns, dtype=np.int64)
        self.is_nominal_ = np.asarray(nominal, dtype=bool)
        self.sizes_ = np.asarray(sizes, dtype=np.int64)
        self.fill_ = np.asarray(fills, dtype=np.float64)
        self.offset_ = np.asarray(offsets, dtype=np.float64)
        self.scale_ = np.asarray(scales, dtype=np.float64)
        self.names_ = names
        return self

    def transform(self, data: Dataset, dtype: Any = np.float64) -> np.ndarray:
        """The encoded ``(n, width)`` matrix; data must have the training header."""
        X = data.dense_values()
        n = X.shape[0]
        out = np.zeros((n, self.width), dtype=dtype)
        position = 0
        for j, source in enumerate(self.columns_):
            column = X[:, source]
            column = np.where(np.isnan(column), self.fill_[j], column)
            size = int(self.sizes_[j])
            if self.is_nominal_[j]:
                codes = column.astype(np.intp)
                if size == 1:
                    out[:, position] = codes == 1
                else:
                    inside = (codes >= 0) & (codes < size)
                    out[np.flatnonzero(inside), position + codes[inside]] = 1.0
            else:
                out[:, position] = (column - self.offset_[j]) * self.scale_[j]
            position += size
        return out

    def fit_transform(self, data: Dataset, dtype: Any = np.float64) -> np.ndarray:
        return self.fit(data).transform(data, dtype)

    # Model files ------------------------------------------------------------------------
    def state(self, prefix: str = "encoder") -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        meta = {"scaling": self.scaling, "nominal": self.nominal, "names": self.names_}
        arrays = {f"{prefix}.columns": self.columns_, f"{prefix}.is_nominal": self.is_nominal_,
                  f"{prefix}.sizes": self.sizes_, f"{prefix}.fill": self.fill_,
                  f"{prefix}.offset": self.offset_, f"{prefix}.scale": self.scale_}
        return meta, arrays

    @classmethod
    def from_state(cls, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray],
                   header: Dataset, prefix: str = "encoder") -> Encoder:
        """Rebuild a fitted encoder and check it fits the training header."""
        encoder = cls(str(meta["scaling"]), str(meta["nominal"]))
        encoder.columns_ = stored_array(arrays, f"{prefix}.columns", 1).astype(np.int64)
        encoder.is_nominal_ = stored_array(arrays, f"{prefix}.is_nominal", 1).astype(bool)
        encoder.sizes_ = stored_array(arrays, f"{prefix}.sizes", 1).astype(np.int64)
        encoder.fill_ = stored_array(arrays, f"{prefix}.fill", 1).astype(np.float64)
        encoder.offset_ = stored_array(arrays, f"{prefix}.offset", 1).astype(np.float64)
        encoder.scale_ = stored_array(arrays, f"{prefix}.scale", 1).astype(np.float64)
        encoder.names_ = [str(n) for n in meta.get("names", [])]
        count = encoder.columns_.shape[0]
        if any(a.shape != (count,) for a in (encoder.is_nominal_, encoder.sizes_,
                                            encoder.fill_, encoder.offset_, encoder.scale_)):
            raise WorkbenchError("the stored input encoding has inconsistent shapes")
        for j, source in enumerate(encoder.columns_):
            if not 0 <= source < header.num_attributes or source == header.class_index:
                raise WorkbenchError("the stored input encoding names a wrong attribute")
            attribute = header.attributes[source]
            if attribute.is_nominal != bool(encoder.is_nominal_[j]) or (
                    attribute.is_nominal and encoder.sizes_[j] not in (1, attribute.num_values)):
                raise WorkbenchError(f"the stored encoding of '{attribute.name}' does not "
                                     f"match the training header")
        return encoder
