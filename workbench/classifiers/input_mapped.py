"""InputMappedClassifier: a classifier that accepts test data with another header.

Every other classifier refuses data whose header differs from its training data's,
because its numbers would be misread. A separate test file is rarely header-identical,
though (a CSV file lists labels in the order it meets them; Preprocess removals are not
applied to it), and WEKA users reach for this wrapper: it maps whatever it is asked to
predict onto the training header by attribute name (``workbench.data.header_mapping``)
and hands the mapped data to the classifier inside. Its model text ends with the
mapping it used for the last data it predicted whose header differed from the training
data's (the identity mapping before any), as WEKA's model text ends with its mapping.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import numpy as np

from workbench.classifiers.base import Classifier
from workbench.classifiers.capabilities import Capabilities
from workbench.classifiers.model_header import header_from_json, header_to_json
from workbench.core.errors import WorkbenchError
from workbench.core.names import registered_name
from workbench.core.params import Param
from workbench.core.progress import CancelToken, ProgressCallback
from workbench.core.registry import Registry
from workbench.data.dataset import Dataset
from workbench.data.header_mapping import MappingReport, map_to_header
from workbench.filters.spec import component_spec, parse_component


class InputMappedClassifier(Classifier):
    """Maps test data onto the training header by name, then asks ``classifier``.

    Training data is used as it is. Data to predict is matched attribute by attribute
    by name, nominal values by label; what the training data never had becomes missing.
    """

    name = "input-mapped"
    display_name = "InputMappedClassifier"
    category = "misc"
    aliases = ("InputMappedClassifier",)
    # The inner classifier checks the data against its own capabilities; relational
    # attributes cannot be mapped (WEKA disables them here too).
    capabilities = Capabilities(string_attributes=True, relational_attributes=False,
                                numeric_class=True, min_instances=0,
                                infinite_values=True)
    ignore_case = Param.boolean(False, "match attribute names ignoring upper and lower "
                                "case (labels always match exactly)", letter="I")
    suppress_report = Param.boolean(False, "leave the attribute mapping out of the model "
                                    "text", letter="M")
    trim = Param.boolean(False, "ignore blanks at either end of attribute names when "
                         "matching them", letter="trim")
    classifier = Param.spec("zeror", "classifier", "the classifier trained on the training "
                            "data and asked about the mapped test data, with its options "
                            "(e.g. 'NaiveBayes' or 'knn -K 3')", letter="W")

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self.classifier_: Classifier | None = None
        self.mapping_: MappingReport | None = None
        self._registry: Registry | None = None
        self._build()   # refuse a bad inner spec when configured, not mid-evaluation

    @classmethod
    def around(cls, classifier: Classifier, **values: Any) -> InputMappedClassifier:
        """An untrained wrapper around ``classifier`` as configured (its options kept,
        written as WEKA users type them), for a run the Explorer was asked to map."""
        return cls(classifier=registered_name(classifier) or component_spec(classifier),
                   **values)

    @classmethod
    def wrapping(cls, model: Classifier, **values: Any) -> InputMappedClassifier:
        """A wrapper around an already trained ``model`` (a loaded model re-evaluated on
        a test set with another header): nothing is trained again."""
        header = model._require_fitted()
        wrapper = cls(classifier=registered_name(model) or component_spec(model), **values)
        wrapper.classifier_ = model
        wrapper.header_ = header
        wrapper.classes_ = model.classes_
        wrapper.history_ = model.history_
        wrapper.mapping_ = map_to_header(header, header)[1]
        return wrapper

    @property
    def loss_name(self) -> str:
        """The inner classifier's learning curve is the one shown, so its name too."""
        return str(getattr(self.classifier_, "loss_name", "loss"))

    def set_params(self, **values: Any) -> InputMappedClassifier:
        super().set_params(**values)
        if hasattr(self, "classifier_"):
            self._build()
        return self

    def _build(self) -> Classifier:
        inner = parse_component(self.classifier, "classifier", self._registry)
        if not isinstance(inner, Classifier):
            raise WorkbenchError(f"'{self.classifier}' is not a classifier")
        return inner

    def _inner(self) -> Classifier:
        if self.classifier_ is None:
            raise WorkbenchError(f"{self.title} has not been trained yet: call fit() first")
        return self.classifier_

    # Learning ----------------------------------------------------------------------------
    def _fit(self, data: Dataset, progress: ProgressCallback | None,
             cancel: CancelToken | None) -> None:
        inner = self._build()
        inner.fit(data, progress, cancel)
        header = data.header()
        self.classifier_, self.mapping_ = inner, map_to_header(header, header)[1]
        self.history_ = inner.history_

    # Mapping -----------------------------------------------------------------------------
    def map_input(self, dataset: Dataset) -> Dataset:
        """``dataset`` in the training header, mapped by name when its header differs,
        and what was done kept for the model text. Data already in the training header
        (the training data itself, a cross-validation fold) is used as it is and leaves
        the kept mapping alone, so the model text shows the test set's mapping even
        after the command line has also scored the training data."""
        header = self._require_fitted()
        if header.header_matches(dataset) is None:
            return dataset
        mapped, report = map_to_header(dataset, header, ignore_case=self.ignore_case,
                                       trim=self.trim)
        self.mapping_ = report
        return mapped

    def check_header(self, dataset: Dataset) -> None:
        """Any header is welcome: ``map_input`` makes it the training one."""
        self._require_fitted()

    def _predict_proba(self, data: Dataset) -> np.ndarray:
        return self._inner().predict_proba(self.map_input(data))

    def _predict_values(self, data: Dataset) -> np.ndarray:
        return self._inner().predict(self.map_input(data))

    # Reports -----------------------------------------------------------------------------
    def _describe(self) -> str:
        text = "InputMappedClassifier:\n\n" + self._inner().describe().rstrip() + "\n"
        if self.mapping_ is not None and not self.suppress_report:
            text += "\n" + self.mapping_.weka_text()
        return text

    # Model files -------------------------------------------------------------------------
    def _state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        inner = self._inner()
        meta_inner, arrays_inner = inner._state()
        assert inner.header_ is not None
        meta = {"classifier": meta_inner, "classifier_header": header_to_json(inner.header_)}
        json.dumps(meta)  # fail here, not in the archive writer, if a state is odd
        return meta, {f"classifier.{k}": v for k, v in arrays_inner.items()}

    def _set_state(self, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
        inner = self._build()
        saved = meta.get("classifier_header")
        if not isinstance(saved, Mapping):
            raise WorkbenchError("the saved InputMappedClassifier has no header for the "
                                 "classifier inside it")
        inner_header = header_from_json(saved)
        if self._require_fitted().header_matches(inner_header) is not None:
            raise WorkbenchError("the saved InputMappedClassifier's inner classifier was "
                                 "trained on another header than the wrapper")
        inner.header_ = inner_header
        cls = inner_header.class_attribute
        inner.classes_ = tuple(cls.values) if cls is not None and cls.is_nominal else ()
        state = meta.get("classifier")
        if state is not None and not isinstance(state, Mapping):
            raise WorkbenchError("the saved InputMappedClassifier's classifier state is "
                                 "not a JSON object")
        prefix = "classifier."
        inner._set_state(state or {}, {k[len(prefix):]: v for k, v in arrays.items()
                                       if k.startswith(prefix)})
        header = self._require_fitted()
        self.classifier_, self.mapping_ = inner, map_to_header(header, header)[1]
        self.history_ = inner.history_   # the inner learner's curve, as after fit


def register(registry: Registry) -> None:
    """Add the InputMappedClassifier (called by ``workbench.classifiers.register``)."""
    registry.add(InputMappedClassifier)
