"""The classifier contract every learner follows, so they behave alike everywhere.

The Explorer, the Knowledge Flow, the command line and the evaluation code call only what
is defined here: ``fit``, ``predict_proba``, ``predict``, ``describe``, ``clone`` and
``save``. The common work (capability check, dropping instances with a missing class,
remembering the training header, refusing data with another header) happens once in this
base class; a learner writes only the hooks ``_fit``, ``_predict_proba`` (nominal class)
or ``_predict_values`` (numeric class), ``_describe``, and ``_state`` / ``_set_state`` for
model files.
"""

from __future__ import annotations

from collections.abc import Mapping
from os import PathLike
from typing import Any, ClassVar, Protocol, Self, runtime_checkable

import numpy as np

from workbench.classifiers.capabilities import (
    Capabilities,
    CapabilityError,
    infinite_value_problem,
)
from workbench.core.errors import InvalidDataError, WorkbenchError
from workbench.core.params import Configurable
from workbench.core.progress import CancelToken, ProgressCallback, ProgressEvent
from workbench.data.dataset import Dataset


class NotFittedError(WorkbenchError):
    """A classifier was asked to predict or describe before it was trained."""


class HeaderMismatchError(InvalidDataError):
    """Prediction data does not have the attributes the model was trained on."""


class Classifier(Configurable):
    """Base of every classifier: declared parameters, capabilities and the fit/predict cycle.

    Learned state carries a trailing underscore: ``header_`` (the training header, no
    rows), ``classes_`` (class labels of a nominal class, in declared order) and
    ``history_`` (per-epoch training history for learners that have one, else None).
    """

    kind: ClassVar[str] = "classifier"
    name: ClassVar[str] = ""
    display_name: ClassVar[str] = ""
    category: ClassVar[str] = "other"
    aliases: ClassVar[tuple[str, ...]] = ()
    capabilities: ClassVar[Capabilities] = Capabilities()
    # Bumped by a learner when its saved state changes shape, so old files are refused
    # with a clear message rather than misread.
    state_version: ClassVar[int] = 1

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self.header_: Dataset | None = None
        self.classes_: tuple[str, ...] = ()
        self.history_: Any = None

    # The public cycle ------------------------------------------------------------------
    @property
    def title(self) -> str:
        return self.display_name or self.name or type(self).__name__

    @property
    def is_fitted(self) -> bool:
        return self.header_ is not None

    @property
    def nominal_class(self) -> bool:
        """True when the class is nominal (probabilities), False when numeric (values)."""
        header = self._require_fitted()
        cls = header.class_attribute
        return cls is not None and cls.is_nominal

    def prepare_fit(self, dataset: Dataset) -> Dataset:
        """What ``fit`` does before learning, for whoever trains several models at once
        (``weka_mlp_folds``): refuse unsuitable data, remember the header and classes,
        and return the rows to learn from (those whose class is known)."""
        self.capabilities.check(dataset, self.title)
        known = ~np.isnan(dataset.class_values)
        train = dataset if known.all() else dataset.select_rows(known)
        header = dataset.header()
        cls = header.class_attribute
        self.history_ = None
        self.classes_ = tuple(cls.values) if cls is not None and cls.is_nominal else ()
        # The header is set before learning so hooks may ask ``nominal_class``; a failed
        # or cancelled fit leaves the classifier unfitted, never half-fitted.
        self.header_ = header
        return train

    def fit(self, dataset: Dataset, progress: ProgressCallback | None = None,
            cancel: CancelToken | None = None) -> Self:
        """Learn from the dataset and return self; refuses unsuitable data first.

        Instances whose class is missing are dropped before learning, as WEKA does, and
        the header (attributes, class, nominal labels) is kept to check later data.
        End-of-epoch reports carry the classifier itself as ``values["model"]`` (see
        ``following``), so a viewer can draw the weights while they are learned.
        """
        train = self.prepare_fit(dataset)
        try:
            self._fit(train, following(progress, self), cancel)
        except BaseException:
            self.header_ = None
            raise
        return self

    def predict_proba(self, dataset: Dataset) -> np.ndarray:
        """Class probabilities, shape ``(n, n_classes)`` float64, each row summing to 1.

        Only for a nominal class; a numeric class has values, see ``predict``.
        """
        self.check_header(dataset)
        if not self.nominal_class:
            raise WorkbenchError(f"{self.title} predicts a numeric class: there are no "
                                 f"class probabilities, use predict()")
        proba = np.asarray(self._predict_proba(dataset), dtype=np.float64)
        expected = (dataset.num_instances, len(self.classes_))
        if proba.shape != expected:
            raise AssertionError(f"{type(self).__name__} returned probabilities of shape "
                                 f"{proba.shape}, expected {expected}")
        return proba

    def predict(self, dataset: Dataset) -> np.ndarray:
        """Predicted class indices (as float codes) or numeric values; NaN = no prediction."""
        self.check_header(dataset)
        if self.nominal_class:
            proba = self.predict_proba(dataset)
            return predictions_from_proba(proba)
        values = np.asarray(self._predict_values(dataset), dtype=np.float64)
        if values.shape != (dataset.num_instances,):
            raise AssertionError(f"{type(self).__name__} returned values of shape "
                                 f"{values.shape}, expected ({dataset.num_instances},)")
        return values

    def describe(self) -> str:
        """WEKA's "Classifier model" text: what was learned, readable by a person."""
        if not self.is_fitted:
            return f"{self.title}: no model built yet."
        return self._describe().rstrip() + "\n"

    def clone(self) -> Self:
        """An unfitted copy with the same parameters (one per cross-validation fold)."""
        return type(self)(**self.get_params())

    def save(self, path: str | PathLike[str]) -> None:
        """Write the fitted model as JSON plus arrays, atomically (see ``modelfile``)."""
        from workbench.classifiers.modelfile import save_model

        save_model(self, path)

    def __repr__(self) -> str:
        options = self.options_text()
        return f"{type(self).__name__}({options})" if options else f"{type(self).__name__}()"

    # Checks shared by learners ----------------------------------------------------------
    def _require_fitted(self) -> Dataset:
        if self.header_ is None:
            raise NotFittedError(f"{self.title} has not been trained yet: call fit() first")
        return self.header_

    def check_header(self, dataset: Dataset) -> None:
        """Refuse data whose attributes differ from the training data, saying how, and
        test data with values the learner could only turn into a silent wrong answer."""
        header = self._require_fitted()
        why = header.header_matches(dataset)
        if why is not None:
            raise HeaderMismatchError(
                f"{self.title} was trained on '{header.relation}' and cannot predict "
                f"'{dataset.relation}': {why}")
        if not self.capabilities.infinite_values:
            problem = infinite_value_problem(dataset, self.title, class_values=False)
            if problem is not None:
                raise CapabilityError(problem)

    # Hooks for learners -----------------------------------------------------------------
    def _fit(self, data: Dataset, progress: ProgressCallback | None,
             cancel: CancelToken | None) -> None:
        """Learn from ``data`` (capabilities checked, no missing class values)."""
        raise NotImplementedError

    def _predict_proba(self, data: Dataset) -> np.ndarray:
        raise WorkbenchError(f"{self.title} cannot predict a nominal class")

    def _predict_values(self, data: Dataset) -> np.ndarray:
        raise WorkbenchError(f"{self.title} cannot predict a numeric class")

    def _describe(self) -> str:
        return f"{self.title}\n"

    def _state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """The learned state as JSON-ready values and named arrays, for model files."""
        raise WorkbenchError(f"{self.title} cannot be saved to a model file")

    def _set_state(self, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
        """Restore what ``_state`` returned; raise ``WorkbenchError`` on anything odd."""
        raise WorkbenchError(f"{self.title} cannot be loaded from a model file")



@runtime_checkable
class FoldTrainer(Protocol):
    """A learner that trains all folds of a cross-validation together, faster than one
    after the other (WEKA's MultilayerPerceptron: one NumPy call per step for every
    fold's network). The evaluation uses it when a classifier offers it, and each model
    must be exactly what ``clone().fit(train)`` gives, so results never depend on it."""

    def fit_folds(self, trains: list[Dataset], progress: ProgressCallback | None = None,
                  cancel: CancelToken | None = None) -> list[Classifier]:
        """One fitted clone per training set, in order; progress from 0 to 1 over all."""
        ...

def predictions_from_proba(proba: np.ndarray) -> np.ndarray:
    """Index of the most probable class per row (first on ties), NaN for a row of NaN."""
    out = np.full(proba.shape[0], np.nan)
    if proba.shape[0] == 0 or proba.shape[1] == 0:
        return out
    valid = ~np.isnan(proba).any(axis=1)
    out[valid] = np.argmax(proba[valid], axis=1)
    return out


def normalise_rows(counts: np.ndarray) -> np.ndarray:
    """Rows scaled to sum to 1; an all-zero row becomes uniform, as WEKA's Utils.normalize
    would refuse and its classifiers avoid by smoothing."""
    counts = np.asarray(counts, dtype=np.float64)
    sums = counts.sum(axis=1, keepdims=True)
    uniform = np.full_like(counts, 1.0 / max(counts.shape[1], 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        out = counts / sums
    return np.where(sums > 0, out, uniform)


def following(progress: ProgressCallback | None, model: Classifier
              ) -> ProgressCallback | None:
    """``progress`` with ``model`` added to every end-of-epoch report (one with an
    ``epoch`` value), so live viewers know which model to draw while it trains.

    A report that already names a model keeps it: inside a meta-learner the inner
    learner is the one with weights. Batch reports pass through untouched, so the
    per-batch cost is one dictionary lookup.
    """
    if progress is None:
        return None

    def forward(event: ProgressEvent) -> None:
        if "epoch" in event.values and "model" not in event.values:
            event = ProgressEvent(event.fraction, event.message,
                                  {**event.values, "model": model})
        progress(event)

    return forward
