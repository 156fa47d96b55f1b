"""k-nearest neighbours, as WEKA's IBk computes it, so reports match WEKA's.

Lazy learning: ``fit`` stores the training instances (and, with ``select_k``, picks the
best k up to ``k`` by hold-one-out on the training data); prediction finds each test
instance's neighbours with ``NeighbourSearch`` (range-normalised Euclidean or Manhattan
distance, nominal values differing by 0 or 1, missing values maximally different, every
neighbour tied with the k-th kept) and turns them into a distribution exactly as IBk's
``makeDistribution`` does: each class starts with ``1 / n_train`` (a Laplace-like
correction), each neighbour adds its weight (1, ``1/(d + 0.001)`` or ``1 - d``, where d
is the distance divided by the square root of the number of attributes, times the
instance weight), and the counts are normalised. A numeric class gets the weighted mean.

WEKA's date attributes take no part in the distance (its ``difference`` ignores them) but
count as attributes when distances are scaled; we follow it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from workbench.classifiers import inspection
from workbench.classifiers.base import Classifier
from workbench.classifiers.capabilities import Capabilities
from workbench.classifiers.modelfile import stored_array
from workbench.classifiers.neighbours import Neighbours, NeighbourSearch, attribute_ranges
from workbench.core.errors import ParameterError, WorkbenchError
from workbench.core.params import Param
from workbench.core.progress import CancelToken, ProgressCallback, check, report
from workbench.data.dataset import AttributeType, Dataset


def array_module(device: str) -> Any:
    """NumPy for the CPU, the engine's module (CuPy) for the GPU or "auto"."""
    if device == "cpu":
        return np
    from workbench.engine.backend import get_xp, resolve_device

    return get_xp(resolve_device(device))


class KNearestNeighbours(Classifier, inspection.NearestNeighbours):
    """k-nearest neighbours (WEKA's IBk): predicts from the k most similar training instances.

    Distances use attributes normalised by their training range; ties at the k-th
    distance all vote, and class probabilities follow IBk's formula.
    """

    name = "knn"
    display_name = "IBk (k-nearest neighbours)"
    category = "lazy"
    aliases = ("IBk",)
    capabilities = Capabilities(numeric_class=True)
    k = Param.integer(1, "Number of nearest neighbours that vote", low=1, letter="K")
    distance_weighting = Param.choice(
        "none", ("none", "inverse", "similarity"),
        "How a neighbour's vote depends on its distance d: equally (none), "
        "1/d (inverse, WEKA's -I) or 1-d (similarity, WEKA's -F)",
        flags={"I": "inverse", "F": "similarity"})
    select_k = Param.boolean(False, "Choose the best k between 1 and k by hold-one-out "
                             "evaluation on the training data", letter="X")
    mean_squared = Param.boolean(
        False, "With select_k and a numeric class, minimise the "
        "squared rather than the absolute error", letter="E", group="advanced")
    window_size = Param.integer(0, "Keep only the last this many training instances "
                                "(0 keeps all)", low=0, letter="W", group="advanced")
    distance = Param.choice("euclidean", ("euclidean", "manhattan"),
                            "Distance between normalised instances")
    update_ranges = Param.boolean(
        True, "Widen the normalisation ranges with each test "
        "instance in turn, as WEKA's IBk does (predictions then depend on the "
        "order of the test set, exactly as in WEKA)", group="advanced")
    precision = Param.choice("float32", ("float32", "float64"),
                             "Precision of the distance products that find candidates (candidates "
                             "are always confirmed exactly in float64)", group="advanced",
                             runtime=True)
    device = Param.choice("auto", ("auto", "cpu", "gpu"),
                          "Where the distance products run", group="advanced",
                          runtime=True)
    memory_mb = Param.integer(512, "Largest block of distances computed at once, in MiB",
                              low=1, group="advanced", runtime=True)

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self.k_: int = self.k
        self._search: NeighbourSearch | None = None
        self._y = np.zeros(0)
        self._w = np.zeros(0)
        self._attributes_used = 0.0

    # Learning ---------------------------------------------------------------------------
    def _fit(self, data: Dataset, progress: ProgressCallback | None,
             cancel: CancelToken | None) -> None:
        if self.window_size and data.num_instances > self.window_size:
            data = data.select_rows(slice(data.num_instances - self.window_size, None))
        columns, nominal, used = _distance_columns(data)
        values = data.dense_values()[:, columns]
        self._set_training(values, nominal, data.class_values.copy(), data.weights.copy(),
                           used, attribute_ranges(values))
        self._searcher().prepare()
        # As IBk: a k larger than the training data is the training data. Clamped here,
        # so that no table of k columns per row is ever allocated for a k the data cannot
        # fill (-K 2147483647 asked for 16 GiB).
        self.k_ = max(1, min(self.k, data.num_instances))
        if self.select_k:
            self.k_ = self._hold_one_out(progress, cancel)
        report(progress, 1.0, f"stored {data.num_instances} instances, k = {self.k_}",
               k=self.k_)

    def _set_training(self, values: np.ndarray, nominal: np.ndarray, y: np.ndarray,
                      w: np.ndarray, used: float, ranges: tuple[np.ndarray, np.ndarray]
                      ) -> None:
        self._y, self._w, self._attributes_used = y, w, used
        dtype = np.float32 if self.precision == "float32" else np.float64
        self._search = NeighbourSearch(values, nominal, metric=self.distance,
                                       xp=array_module(self.device), dtype=dtype,
                                       memory_bytes=self.memory_mb << 20, ranges=ranges)

    def _hold_one_out(self, progress: ProgressCallback | None,
                      cancel: CancelToken | None) -> int:
        """IBk's crossValidate: the k in 1..k with the fewest hold-one-out errors."""
        search = self._searcher()
        report(progress, 0.0, "selecting k by hold-one-out")
        # Each row has the others as candidates: a larger k finds no more neighbours,
        # and the first best k is the same.
        k = max(1, min(self.k, search.size - 1))
        found = search.search(search.train, k, exclude_self=True, cancel=cancel)
        check(cancel)
        errors = np.zeros(k)
        squared = np.zeros(k)
        distance = found.distance.copy()
        index = found.index.copy()
        for j in range(k, 0, -1):
            index, distance = _prune_to_k(index, distance, j, self._attributes_used)
            out = self._distribution(Neighbours(index, distance))
            if self.classes_:
                predicted = np.argmax(out, axis=1)
                errors[j - 1] = np.count_nonzero(predicted != self._y)
            else:
                err = out - self._y
                errors[j - 1] = np.abs(err).sum()
                squared[j - 1] = (err * err).sum()
        stats = squared if (not self.classes_ and self.mean_squared) else errors
        return int(np.argmin(stats)) + 1  # the lowest k among equally good ones

    # Prediction -------------------------------------------------------------------------
    def _searcher(self) -> NeighbourSearch:
        if self._search is None:
            raise WorkbenchError(f"{self.title} has no training instances")
        return self._search

    def _neighbours(self, data: Dataset) -> Neighbours:
        search = self._searcher()
        if search.size == 0:
            raise WorkbenchError(f"{self.title}: no training instances to compare with")
        columns, _, _ = _distance_columns(data)
        queries = data.dense_values()[:, columns]
        return search.search(queries, min(self.k_, search.size),
                             update_ranges=self.update_ranges)

    def _predict_proba(self, data: Dataset) -> np.ndarray:
        return self._distribution(self._neighbours(data))

    def _predict_values(self, data: Dataset) -> np.ndarray:
        return self._distribution(self._neighbours(data))

    def neighbours(self, data: Dataset) -> tuple[np.ndarray, np.ndarray]:
        """Training-row indices and distances of each instance's neighbours (-1 padded)."""
        self.check_header(data)
        found = self._neighbours(data)
        return found.index, found.distance

    def _distribution(self, found: Neighbours) -> np.ndarray:
        """IBk's makeDistribution for every query at once."""
        n_train = self._y.shape[0]
        valid = found.index >= 0
        safe_index = np.where(valid, found.index, 0)
        d = np.where(valid, found.distance, 0.0)
        used = self._attributes_used
        d = np.sqrt(d * d / used) if used > 0 else np.zeros_like(d)
        if self.distance_weighting == "inverse":
            weight = 1.0 / (d + 0.001)
        elif self.distance_weighting == "similarity":
            weight = 1.0 - d
        else:
            weight = np.ones_like(d)
        weight = np.where(valid, weight * self._w[safe_index], 0.0)
        q = found.index.shape[0]
        if self.classes_:
            n_classes = len(self.classes_)
            start = 1.0 / max(1, n_train)
            counts = np.full((q, n_classes), start)
            labels = self._y[safe_index].astype(np.intp)
            rows = np.broadcast_to(np.arange(q)[:, None], labels.shape)
            np.add.at(counts, (rows[valid], labels[valid]), weight[valid])
            # WEKA starts the total at numClasses / n and adds the weights one at a
            # time; summing them first rounds differently in the last bit (0.5 against
            # 0.4999999999999999), and WEKA's ROC compares probabilities exactly.
            total = np.full(q, n_classes / max(1, n_train))
            for j in range(weight.shape[1]):
                total += weight[:, j]
            positive = total > 0
            counts[positive] /= total[positive, None]
            return counts
        value, total = np.zeros(q), np.zeros(q)
        targets = self._y[safe_index]
        for j in range(weight.shape[1]):   # in WEKA's order, as above
            value += targets[:, j] * weight[:, j]
            total += weight[:, j]
        return np.where(total > 0, value / np.where(total > 0, total, 1.0), value)

    # Description and model files ----------------------------------------------------
    def _describe(self) -> str:
        weighting = {"inverse": " inverse-distance-weighted",
                     "similarity": " similarity-weighted"}.get(self.distance_weighting, "")
        text = (f"IB1 instance-based classifier\nusing {self.k_}{weighting} nearest "
                f"neighbour(s) for classification\n")
        if self.window_size:
            text += f"using a maximum of {self.window_size} (windowed) training instances\n"
        return text

    def _state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        search = self._searcher()
        return ({"k": self.k_, "attributes_used": self._attributes_used},
                {"train": search.train, "nominal": search.nominal, "y": self._y,
                 "weights": self._w, "low": search.lo, "high": search.hi})

    def _set_state(self, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
        # NaN in the rows and ranges is a missing value (a column never seen has NaN
        # ranges); weights are the instances' own, finite and never negative.
        train = stored_array(arrays, "train", 2).astype(np.float64)
        nominal = stored_array(arrays, "nominal", 1).astype(bool)
        y = stored_array(arrays, "y", 1).astype(np.float64)
        w = stored_array(arrays, "weights", 1, finite=True, nonnegative=True
                         ).astype(np.float64)
        lo = stored_array(arrays, "low", 1).astype(np.float64)
        hi = stored_array(arrays, "high", 1).astype(np.float64)
        n, d = train.shape
        if y.shape != (n,) or w.shape != (n,) or nominal.shape != (d,) or lo.shape != (d,) \
                or hi.shape != (d,):
            raise WorkbenchError("the stored training instances have inconsistent shapes")
        if n == 0:
            raise WorkbenchError("the model holds no training instances (array 'train' "
                                 "is empty); a trained k-NN has at least one")
        _, expected_nominal, expected_used = _distance_columns(self._require_fitted())
        if not np.array_equal(expected_nominal, nominal):
            raise WorkbenchError("the stored instances do not match the training header")
        used = meta["attributes_used"]
        if used != expected_used:
            raise WorkbenchError(f"model.json state.attributes_used is {used!r}; the training "
                                 f"header has {expected_used:g} attributes that count")
        try:
            # the k learned is one the parameter k could have been: its declared range
            # (a string such as "3" is what Param.parse reads, never what we write)
            if isinstance(meta["k"], str):
                raise ParameterError(f"{meta['k']!r} is text, not a number")
            k = type(self).k.validate(meta["k"])
        except ParameterError as error:
            raise WorkbenchError(f"model.json state.k: {error}") from None
        self._set_training(train, nominal, y, w, expected_used, (lo, hi))
        self.k_ = k


def _distance_columns(data: Dataset) -> tuple[list[int], np.ndarray, float]:
    """Columns that enter the distance, which are nominal, and IBk's attribute count."""
    columns, nominal, used = [], [], 0.0
    for i, attribute in enumerate(data.attributes):
        if i == data.class_index:
            continue
        if attribute.type in (AttributeType.NUMERIC, AttributeType.NOMINAL,
                              AttributeType.DATE):
            used += 1.0
        if attribute.type in (AttributeType.NUMERIC, AttributeType.NOMINAL):
            columns.append(i)
            nominal.append(attribute.is_nominal)
    return columns, np.asarray(nominal, dtype=bool), used


def _prune_to_k(index: np.ndarray, distance: np.ndarray, k: int, used: float
                ) -> tuple[np.ndarray, np.ndarray]:
    """IBk's pruneToK: the first k neighbours and any tied with the k-th.

    Ties are judged on IBk's converted distances ``sqrt(d^2 / attributes)``, as it does.
    """
    if index.shape[1] <= k:
        return index, distance
    with np.errstate(invalid="ignore", divide="ignore"):
        converted = np.sqrt(distance * distance / used) if used > 0 else distance * 0
    d = np.where(index >= 0, converted, np.inf)
    kth = d[:, k - 1:k]
    keep = np.zeros(index.shape, dtype=bool)
    keep[:, :k] = True
    keep |= d == kth
    keep &= index >= 0
    return np.where(keep, index, -1), np.where(keep, distance, np.inf)


def register(registry: Any) -> None:
    registry.add(KNearestNeighbours)
