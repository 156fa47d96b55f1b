"""Any Workbench classifier as a scikit-learn estimator on arrays: ``WorkbenchEstimator``.

It is usable in a Pipeline, GridSearchCV or cross_val_score, and passes scikit-learn's
estimator checks (``tests/classifiers/test_sklearn_estimator_checks.py``); the few that
do not apply to a learner's nature are listed, with the reason, by
``expected_failed_checks`` and the estimator tags. NaN in X means a missing value, as in
WEKA; infinity is refused. A fitted estimator pickles for in-memory workflows (joblib,
copies); our model files never use pickle.

It lives apart from the learners because it needs ``sklearn.base`` at class definition,
which costs most of a second at start-up: the command line registers every learner
without importing it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    check_non_negative,
    validate_data,
)

from workbench.classifiers.base import Classifier
from workbench.classifiers.geometry import SMALLEST_GUESSED_IMAGE
from workbench.core.errors import InvalidDataError, ParameterError
from workbench.data.dataset import Attribute, Dataset

_SGD_WEIGHTS = ("trained by stochastic gradient steps over shuffled instances: an instance "
                "of weight 2 is one larger step, two copies are two steps in other batches, "
                "so the fitted weights differ (as for scikit-learn's SGDClassifier)")
_RESAMPLES = ("draws instances by their row, not their weight (bootstrap samples, "
              "boosting rounds): copies and a weight give other draws, as for "
              "scikit-learn's own estimator")
_PER_INSTANCE_UPDATES = ("the perceptron makes one update per instance and pass, in "
                         "order: a weighted instance scales one update where copies make "
                         "several")
_NOT_WEIGHT_EQUIVALENT = {
    "perceptron": _PER_INSTANCE_UPDATES,
    "voted-perceptron": _PER_INSTANCE_UPDATES,
    "weka-mlp": _PER_INSTANCE_UPDATES,
    "weka-logistic": "WEKA's Logistic starts its search from class counts of rows, not "
                     "weights, and stops where its BFGS's tests say: copies and a weight "
                     "start, and so stop, at other points (WEKA's numbers are kept)",
    "lda": "scikit-learn's LinearDiscriminantAnalysis takes no instance weights, so they "
           "are not used",
    "svm": "probabilities are calibrated by internal cross-validation, whose folds split "
           "copies of an instance but not a weighted one",
    "decision-tree": "its pruning is chosen by internal cross-validation, whose folds "
                     "split copies of an instance but not a weighted one",
    "random-forest": _RESAMPLES,
    "gradient-boosting": _RESAMPLES,
    "adaboost": _RESAMPLES,
    "filtered": "its default Standardize filter takes means and deviations over rows, as "
                "WEKA's does, and its default inner learner is IBk (see knn)",
    "knn": "WEKA's IBk starts every class at 1 / (number of training instances) before "
           "adding the neighbours' weights: copies change that count where a weight does "
           "not, so probabilities differ, by up to 0.1 on scikit-learn's check (WEKA's "
           "numbers are kept)",
    "mlp": _SGD_WEIGHTS,
    "dbn": _SGD_WEIGHTS,
    "cnn": _SGD_WEIGHTS,
    "rnn": _SGD_WEIGHTS,
}
_POOR_SCORE = {"zeror": "ZeroR predicts the majority class whatever the attributes say: "
                        "WEKA's baseline, poor by design",
               "naive-bayes-multinomial": "models word counts: the checks' shifted "
                                          "blobs are not counts (scikit-learn tags "
                                          "its MultinomialNB poor_score too)"}


def _learner_class(name: Any) -> type | None:
    """The registered classifier class called ``name`` (or an alias), None if unknown."""
    from workbench.core.registry import default_registry

    info = default_registry().find("classifier", name) if isinstance(name, str) else None
    # A registry factory may be any callable; a classifier's is its class.
    return None if info is None else info.factory  # type: ignore[return-value]


def _array_geometry(learner: type, params: Mapping[str, Any], n_features: int
                    ) -> dict[str, Any]:
    """The shape an image or sequence learner reads plain columns in, when left on auto.

    Arrays carry no pixel_ROW_COL names, so the columns are taken in order: a square count
    of at least 8 x 8 is a square image (the CNN) or its rows as time steps (the RNN),
    as in a data file; any other count is one row of pixels, or one value per step.
    """
    side = math.isqrt(n_features)
    square = side * side == n_features and n_features >= SMALLEST_GUESSED_IMAGE
    name = getattr(learner, "name", "")
    if name == "cnn" and str(params.get("image_shape", "auto")).strip().lower() in ("auto",
                                                                                   ""):
        return {"image_shape": f"1,{side},{side}" if square else f"1,1,{n_features}"}
    if (name == "rnn" and not params.get("steps")
            and params.get("source", "auto") in ("auto", "numeric")):
        return {"steps": side if square else n_features}
    return {}


def expected_failed_checks(estimator: WorkbenchEstimator) -> dict[str, str]:
    """scikit-learn checks that do not apply to the estimator's learner, with the reason.

    Pass it as ``expected_failed_checks`` to ``parametrize_with_checks`` or
    ``check_estimator``. Sample-weight equivalence (weight 2 = the instance twice) holds
    for learners that sum weights over instances (naive Bayes, ZeroR, trees) but not for
    those trained by gradient steps or resampling, nor for IBk's smoothing.
    """
    learner = _learner_class(estimator.classifier)
    name = getattr(learner, "name", "")
    failed = {}
    if name in _NOT_WEIGHT_EQUIVALENT:
        for check in ("check_sample_weight_equivalence_on_dense_data",
                      "check_sample_weight_equivalence_on_sparse_data"):
            failed[check] = _NOT_WEIGHT_EQUIVALENT[name]
    return failed


class WorkbenchEstimator(ClassifierMixin, BaseEstimator):
    """Any Workbench classifier as a scikit-learn classifier on arrays.

    ``WorkbenchEstimator("knn", k=3)`` builds the registered classifier with those
    parameters at ``fit``; columns of ``X`` (dense or sparse CSR) become numeric
    attributes and the labels of ``y`` a nominal class. Parameters are exposed to
    ``get_params``/``set_params``, so GridSearchCV can search them (``{"k": [1, 3, 5]}``).

    Input is checked as scikit-learn's own estimators check it, so bad arrays fail with
    the ``ValueError`` a scikit-learn user expects: NaN in ``X`` is a missing value (as in
    WEKA) where the learner handles them, infinity is refused, ``y`` must hold class
    labels. An instance of weight 0 is left out, as if absent. The CNN and RNN read plain
    columns as described in ``_array_geometry`` unless given their shape.
    """

    def __init__(self, classifier: str = "zeror", **params: Any) -> None:
        self.classifier = classifier
        self._params = dict(params)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {"classifier": self.classifier, **self._params}

    def set_params(self, **params: Any) -> WorkbenchEstimator:
        if "classifier" in params:
            self.classifier = params.pop("classifier")
        self._params.update(params)
        return self

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        learner = _learner_class(self.classifier)
        capabilities = getattr(learner, "capabilities", None)
        tags.input_tags.sparse = True
        tags.input_tags.allow_nan = bool(getattr(capabilities, "missing_values", False))
        tags.input_tags.positive_only = not getattr(capabilities, "negative_values", True)
        # A wrapper (InputMappedClassifier, FilteredClassifier) scores as the learner it
        # wraps: InputMappedClassifier's default inner learner is WEKA's ZeroR.
        inner = getattr(learner, "classifier", None)   # the class's Param: its default
        inner = getattr(inner, "default", inner)
        inner_name = inner.split()[0].lower() if isinstance(inner, str) and inner.split() \
            else ""
        tags.classifier_tags.poor_score = (getattr(learner, "name", "") in _POOR_SCORE
                                           or inner_name in _POOR_SCORE)
        tags.classifier_tags.multi_class = not getattr(capabilities, "binary_class_only",
                                                       False)
        return tags

    def _component(self, n_features: int) -> Classifier:
        learner = _learner_class(self.classifier)
        if learner is None:
            from workbench.core.registry import default_registry

            default_registry().get("classifier", str(self.classifier))  # names the error
            # Reached only when the name is no string but its text is a registered name.
            raise ParameterError(f"classifier must be a name, not {self.classifier!r}")
        params = {**_array_geometry(learner, self._params, n_features), **self._params}
        model = learner(**params)
        if not isinstance(model, Classifier):
            raise ParameterError(f"'{self.classifier}' is not a classifier")
        return model

    def _validated(self, X: Any, *, reset: bool, y: Any = "no_validation",
                   min_samples: int = 1) -> Any:
        learner = _learner_class(self.classifier)
        capabilities = getattr(learner, "capabilities", None)
        finite = "allow-nan" if getattr(capabilities, "missing_values", False) else True
        checked = validate_data(self, X, y, reset=reset, accept_sparse="csr",
                                dtype=np.float64, ensure_all_finite=finite,
                                ensure_min_samples=min_samples)
        if not getattr(capabilities, "negative_values", True):   # counts only: the
            # ValueError scikit-learn's own MultinomialNB raises, before the learner's
            check_non_negative(checked[0] if isinstance(checked, tuple) else checked,
                               f"WorkbenchEstimator({self.classifier!r})")
        return checked

    @staticmethod
    def _dataset(X: Any, codes: np.ndarray | None, n_classes: int) -> Dataset:
        n, m = X.shape
        attributes = [Attribute.numeric(f"x{j + 1}") for j in range(m)]
        attributes.append(Attribute.nominal("class", [str(c) for c in range(n_classes)]))
        column = np.full(n, np.nan) if codes is None else codes.astype(np.float64)
        values = (sp.hstack([X, sp.csr_matrix(column[:, None])], format="csr")
                  if sp.issparse(X) else np.column_stack([X, column]))
        return Dataset("arrays", attributes, values, class_index=m)

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> WorkbenchEstimator:
        """Train the learner on ``X`` and the class labels ``y``; returns self."""
        learner = _learner_class(self.classifier)
        fewest = max(1, getattr(getattr(learner, "capabilities", None), "min_instances", 1))
        X, y = self._validated(X, reset=True, y=y, min_samples=fewest)
        check_classification_targets(y)
        classes, codes = np.unique(y, return_inverse=True)
        if getattr(getattr(learner, "capabilities", None), "binary_class_only", False) \
                and classes.size > 2:
            raise InvalidDataError(f"Only binary classification is supported. "
                                   f"'{self.classifier}' learns two classes, y has "
                                   f"{classes.size}")
        weights = (None if sample_weight is None else
                   _check_sample_weight(sample_weight, X, dtype=np.float64,
                                        ensure_non_negative=True))
        data = self._dataset(X, codes, classes.size)
        if weights is not None:
            data = data.with_weights(weights)
            if (weights == 0).any():
                data = data.select_rows(weights > 0)
        # Set together once trained, so a failed fit never leaves a half-fitted estimator.
        self.model_ = self._component(X.shape[1]).fit(data)
        self.classes_ = classes
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities, one column per label of ``classes_``."""
        check_is_fitted(self)
        X = self._validated(X, reset=False)
        return self.model_.predict_proba(self._dataset(X, None, self.classes_.size))

    def predict(self, X: Any) -> np.ndarray:
        """The most probable label of each row (the first of tied ones)."""
        proba = self.predict_proba(X)  # first: it says when the estimator is not fitted
        return self.classes_[np.argmax(proba, axis=1)]
