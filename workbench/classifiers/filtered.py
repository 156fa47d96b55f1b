"""FilteredClassifier: a chain of filters and a classifier that act as one classifier.

Because the filters are fitted inside ``fit``, every cross-validation fold fits them on
its own training part only and applies them, unchanged, to its test part: a test fold's
statistics never leak into the standardisation, the PCA or the attribute ranking it is
judged with. That is the reason WEKA has a FilteredClassifier, and ours behaves the same.

Filters and the inner classifier are declared as plain text parameters (component specs,
see ``workbench.filters.spec``): ``--filters "replace-missing-values | standardize"
--classifier "knn -K 3"``, so the command line, the property sheet and saved flows need
nothing special, and the scheme line names the filters as WEKA's does.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import numpy as np

from workbench.classifiers.base import Classifier
from workbench.classifiers.capabilities import (
    Capabilities,
    CapabilityError,
    whole_number_class_hint,
)
from workbench.classifiers.model_header import header_from_json, header_to_json
from workbench.core.errors import WorkbenchError
from workbench.core.params import Param
from workbench.core.progress import CancelToken, ProgressCallback, check, report
from workbench.core.registry import Registry
from workbench.data.dataset import AttributeType, Dataset
from workbench.filters.base import Filter, quote
from workbench.filters.spec import component_spec, parse_component, parse_filters


class FilteredClassifier(Classifier):
    """Runs data through filters fitted on the training data, then a classifier.

    ``filters`` is a chain of filter specs separated by ``|`` (empty for none);
    ``classifier`` is the inner classifier's spec. Instance filters (Resample, ...) change
    only the training data, never the data predicted.
    """

    name = "filtered"
    display_name = "FilteredClassifier"
    category = "meta"
    aliases = ("FilteredClassifier",)
    # What the data may hold depends on the chain; the inner classifier checks the
    # filtered data against its own capabilities, which gives the precise refusal.
    capabilities = Capabilities(string_attributes=True, relational_attributes=True,
                                numeric_class=True, min_instances=0,
                                infinite_values=True)
    filters = Param.spec("standardize", "filters", "filters applied first, separated by "
                         "'|' (e.g. 'replace-missing-values | standardize')", letter="F")
    classifier = Param.spec("knn", "classifier", "the classifier trained on the filtered "
                            "data, with its options (e.g. 'knn -K 3')", letter="W")

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self.filters_: list[Filter] = []
        self.classifier_: Classifier | None = None
        self._registry: Registry | None = None
        # Parse now so a bad spec is refused when the classifier is configured, not
        # half-way through a cross-validation.
        self._build()

    @property
    def loss_name(self) -> str:
        """What the inner classifier's learning curve measures (the perceptron's is its
        "error rate"): the curve is the inner one's, so its name must come with it."""
        return str(getattr(self.classifier_, "loss_name", "loss"))

    def set_params(self, **values: Any) -> FilteredClassifier:
        super().set_params(**values)
        if hasattr(self, "filters_"):
            self._build()
        return self

    def _build(self) -> tuple[list[Filter], Classifier]:
        filters = parse_filters(self.filters, self._registry)
        inner = parse_component(self.classifier, "classifier", self._registry)
        if not isinstance(inner, Classifier):
            raise WorkbenchError(f"'{self.classifier}' is not a classifier")
        return filters, inner

    # Learning ----------------------------------------------------------------------------
    def _fit(self, data: Dataset, progress: ProgressCallback | None,
             cancel: CancelToken | None) -> None:
        filters, inner = self._build()
        current = data
        steps = len(filters) + 1
        for i, item in enumerate(filters):
            check(cancel)
            report(progress, i / steps, f"filter {i + 1}/{len(filters)}: {item.title}")
            current = item.fit_transform(current)
            item.release_data()  # predictions are never resampled, even of training data
            if current.class_index is None:
                raise WorkbenchError(f"filter '{item.spec_text()}' removed the class "
                                     f"attribute; the classifier needs it")
            _check_class_kept(data, current, item)
        check(cancel)
        _refuse_numeric_class(data, current, inner)

        def inner_progress(event: Any) -> None:
            if progress is not None and event.fraction is not None:
                report(progress, (len(filters) + event.fraction) / steps, event.message,
                       **event.values)
            elif progress is not None:
                progress(event)

        inner.fit(current, inner_progress if progress is not None else None, cancel)
        self.filters_, self.classifier_ = filters, inner
        self.history_ = inner.history_

    def filtered(self, dataset: Dataset) -> Dataset:
        """The dataset as the inner classifier sees it (after every fitted filter)."""
        self.check_header(dataset)
        current = dataset
        for item in self.filters_:
            if not item.is_instance_filter:  # they change training data only
                current = item.transform(current)
        return current

    def _inner(self) -> Classifier:
        if self.classifier_ is None:
            raise WorkbenchError(f"{self.title} has not been trained yet: call fit() first")
        return self.classifier_

    def _predict_proba(self, data: Dataset) -> np.ndarray:
        return self._inner().predict_proba(self.filtered(data))

    def _predict_values(self, data: Dataset) -> np.ndarray:
        return self._inner().predict(self.filtered(data))

    # Reports -----------------------------------------------------------------------------
    def options_text(self) -> str:
        """The scheme line's options: always the filters and the classifier, as WEKA's
        FilteredClassifier shows ``-F`` and ``-W``, quoted so that it can be pasted back."""
        return f"--filters {quote(self.filters)} --classifier {quote(self.classifier)}"

    def _describe(self) -> str:
        inner = self._inner()
        chain = " | ".join(f.spec_text() for f in self.filters_) or "no filters"
        lines = [f"FilteredClassifier using {component_spec(inner)} on data filtered "
                 f"through {chain}", ""]
        for item in self.filters_:
            lines.append(item.describe().rstrip())
            lines.append("")
        last = self.filters_[-1].output_header_ if self.filters_ else self.header_
        if last is not None:
            lines.append("Filtered Header")
            lines.append(f"@relation {last.relation}")
            for attribute in last.attributes:
                lines.append(f"@attribute {attribute.name} {attribute.type}")
            lines.append("")
        lines.append("Classifier Model")
        lines.append(inner.describe().rstrip())
        return "\n".join(lines)

    # Model files -------------------------------------------------------------------------
    def _state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        inner = self._inner()
        meta_inner, arrays_inner = inner._state()
        arrays = {f"classifier.{k}": v for k, v in arrays_inner.items()}
        filters_meta = []
        for i, item in enumerate(self.filters_):
            meta, filter_arrays = item.get_state()
            filters_meta.append(meta)
            arrays.update({f"filter{i}.{k}": v for k, v in filter_arrays.items()})
        assert inner.header_ is not None
        meta_all = {"filters": filters_meta, "classifier": meta_inner,
                    "classifier_header": header_to_json(inner.header_)}
        json.dumps(meta_all)  # fail here, not in the archive writer, if a state is odd
        return meta_all, arrays

    def _set_state(self, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
        filters, inner = self._build()
        header = self._require_fitted()
        saved = meta.get("filters")
        if not isinstance(saved, list) or len(saved) != len(filters):
            raise WorkbenchError("the saved filters do not match the filter chain")
        current = header
        for i, (item, filter_meta) in enumerate(zip(filters, saved, strict=True)):
            prefix = f"filter{i}."
            item.set_state(filter_meta, {k[len(prefix):]: v for k, v in arrays.items()
                                         if k.startswith(prefix)}, current)
            assert item.output_header_ is not None
            current = item.output_header_
        inner_header = header_from_json(meta["classifier_header"])
        inner.header_ = inner_header
        cls = inner_header.class_attribute
        inner.classes_ = tuple(cls.values) if cls is not None and cls.is_nominal else ()
        prefix = "classifier."
        inner._set_state(meta.get("classifier") or {},
                         {k[len(prefix):]: v for k, v in arrays.items()
                          if k.startswith(prefix)})
        self.filters_, self.classifier_ = filters, inner
        self.history_ = inner.history_   # the inner learner's curve, as after fit


def register_filtered(registry: Registry) -> None:
    """Add the FilteredClassifier (called by ``workbench.classifiers.register``)."""
    registry.add(FilteredClassifier)


register = register_filtered


def _check_class_kept(before: Dataset, after: Dataset, item: Any) -> None:
    """Refuse a filter that changed the class attribute, as WEKA's FilteredClassifier
    does ("... has modified the class attribute!"): the inner classifier would learn
    another target, and its answers (a numeric class's values turned into label
    numbers 0, 1, 2 by NumericToNominal's default range) would be scored as the
    original class's predictions."""
    old, new = before.class_attribute, after.class_attribute
    assert old is not None and new is not None
    if (old.name, old.type, old.values if old.is_nominal else ()) != \
            (new.name, new.type, new.values if new.is_nominal else ()):
        change = (f"made the {old.type.value} class '{old.name}' {new.type.value}"
                  if old.type != new.type else f"changed the class attribute '{old.name}'")
        raise WorkbenchError(f"filter '{item.spec_text()}' {change}, so the classifier "
                             f"would learn another target (as WEKA's FilteredClassifier, "
                             f"this is refused); leave the class out of the filter's "
                             f"attribute range")


def _refuse_numeric_class(given: Dataset, filtered: Dataset, inner: Classifier) -> None:
    """The inner classifier's refusal of a numeric class, told about the data the user
    gave: its hint ("NumericToNominal -R 2") must name the class's position in the
    user's file, not in the filtered data, where StringToWordVector has moved it to the
    front and "-R 1" would convert the wrong attribute and leave the class numeric."""
    cls = filtered.class_attribute
    if cls is None or cls.is_nominal or inner.capabilities.numeric_class:
        return
    if cls.type is not AttributeType.NUMERIC:
        return
    raise CapabilityError(f"{inner.title} cannot handle a numeric class: class attribute "
                          f"'{cls.name}' is {cls.type}" + whole_number_class_hint(given))
