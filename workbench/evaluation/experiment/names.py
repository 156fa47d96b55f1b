"""A compared classifier's two names: the results table's label and the name shown.

A classifier given no label is keyed in the results table by the label the experiment
makes up from its registry name and options ("knn --k 3", "naive-bayes"), which is what
``workbench experiment run`` and ``analyse`` have always printed and what a resume
matches rows by. A person chose it by its menu name ("IBk -K 3", "NaiveBayes"), which
the window, the saved experiment reopened, and the analysis show. Both are worked out
from the classifier's name and parameters, which the experiment file and the results'
record both hold, so neither is stored twice (a stored copy would go stale when a
parameter is edited by hand, and a new key in the record would make every existing
results file look like another experiment's). Anything that names a classifier (the
command line's ``--baseline``) accepts either name.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from workbench.core.errors import WorkbenchError


def made_up_label(classifier: Any) -> str:
    """The label a classifier without one gets: registry name and options."""
    options = classifier.options_text()
    return f"{classifier.name} {options}".strip() if options else classifier.name


def shown_names(entries: Iterable[Mapping[str, Any]],
                registry: Any = None) -> dict[str, str]:
    """For the classifier entries (``{"name", "params", "label"}``) whose label is the
    made-up one, label -> the name the user chose them by; a label the user gave is
    kept (it is not in the answer), and so is an entry the registry cannot build. Two
    entries that would be shown alike keep their label beside the name."""
    from workbench.core.registry import default_registry
    from workbench.evaluation.evaluate import scheme_text

    registry = registry or default_registry()
    entries = list(entries)
    names: dict[str, str] = {}
    for entry in entries:
        try:
            classifier = registry.create("classifier", entry["name"],
                                         **dict(entry.get("params") or {}))
        except (WorkbenchError, KeyError, TypeError, ValueError):
            continue
        made_up = made_up_label(classifier)
        label = entry.get("label") or made_up
        if label == made_up:
            names[label] = scheme_text(classifier)
    shown = [*names.values(), *(e.get("label") for e in entries if e.get("label"))]
    return {label: name if shown.count(name) == 1 else f"{name} [{label}]"
            for label, name in names.items()}


def recorded_names(results: str | os.PathLike[str], registry: Any = None) -> dict[str, str]:
    """``shown_names`` of the experiment recorded beside a results table; empty when
    the record cannot be read (the labels are then all there is)."""
    from workbench.core.jsonfile import read_json
    from workbench.evaluation.experiment.store import spec_sidecar

    try:
        record = read_json(spec_sidecar(Path(results)), what="an experiment record")
        entries = list(record.get("classifiers", []))
        return shown_names(entries, registry)
    except (WorkbenchError, OSError, AttributeError, TypeError):
        return {}


def resolve_classifier(wanted: str, labels: Iterable[str],
                       names: Mapping[str, str]) -> str:
    """The results-table label of the classifier a person named ``wanted``: its label
    or its shown name, exactly, else either ignoring case and spaces when that names
    just one. Otherwise a ``WorkbenchError`` listing both names of each."""
    labels = list(labels)
    if wanted in labels:
        return wanted
    by_name = [label for label in labels if names.get(label) == wanted]
    if len(by_name) == 1:
        return by_name[0]

    def loose(text: str) -> str:
        return "".join(text.split()).casefold()

    close = [label for label in labels
             if loose(wanted) in (loose(label), loose(names.get(label, label)))]
    if len(close) == 1:
        return close[0]
    known = ", ".join(f"{names[label]} ({label})" if label in names else label
                      for label in labels)
    raise WorkbenchError(f"no classifier '{wanted}' in the results (they have: {known})")
