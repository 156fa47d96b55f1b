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
command line's ``--baseline``) accepts either name, and the command-line name of a
classifier the user labelled ("naive-bayes" for the bundled experiment's "NaiveBayes").
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from workbench.core.errors import WorkbenchError


def made_up_label(classifier: Any) -> str:
    """The label a classifier without one gets: registry name and options."""
    options = classifier.options_text()
    return f"{classifier.name} {options}".strip() if options else classifier.name


def built_entries(entries: Iterable[Mapping[str, Any]], registry: Any
           ) -> Iterator[tuple[Mapping[str, Any], Any]]:
    """Each entry with its classifier as the registry builds it; an entry it cannot
    build (a plugin gone, a parameter edited by hand) is left out."""
    from workbench.core.registry import default_registry

    registry = registry or default_registry()
    for entry in entries:
        try:
            yield entry, registry.create("classifier", entry["name"],
                                         **dict(entry.get("params") or {}))
        except (WorkbenchError, KeyError, TypeError, ValueError):
            continue


def shown_names(entries: Iterable[Mapping[str, Any]],
                registry: Any = None) -> dict[str, str]:
    """For the classifier entries (``{"name", "params", "label"}``) whose label is the
    made-up one, label -> the name the user chose them by; a label the user gave is
    kept (it is not in the answer), and so is an entry the registry cannot build. Two
    entries that would be shown alike keep their label beside the name."""
    from workbench.evaluation.evaluate import scheme_text

    entries = list(entries)
    names: dict[str, str] = {}
    for entry, classifier in built_entries(entries, registry):
        made_up = made_up_label(classifier)
        label = entry.get("label") or made_up
        if label == made_up:
            names[label] = scheme_text(classifier)
    shown = [*names.values(), *(e.get("label") for e in entries if e.get("label"))]
    return {label: name if shown.count(name) == 1 else f"{name} [{label}]"
            for label, name in names.items()}


def command_line_names(entries: Iterable[Mapping[str, Any]],
                       registry: Any = None) -> dict[str, str]:
    """For every classifier entry, its results-table label -> its command-line name and
    options ("naive-bayes", "knn --k 3"), the name a classifier has whether or not the
    user labelled it (an entry the registry cannot build is left out)."""
    names: dict[str, str] = {}
    for entry, classifier in built_entries(entries, registry):
        made_up = made_up_label(classifier)
        names[entry.get("label") or made_up] = made_up
    return names


def _recorded_entries(results: str | os.PathLike[str]) -> list[Any]:
    """The classifier entries of the experiment recorded beside a results table."""
    from workbench.core.jsonfile import read_json
    from workbench.evaluation.experiment.store import spec_sidecar

    record = read_json(spec_sidecar(Path(results)), what="an experiment record")
    return list(record.get("classifiers", []))


def recorded_names(results: str | os.PathLike[str], registry: Any = None) -> dict[str, str]:
    """``shown_names`` of the experiment recorded beside a results table; empty when
    the record cannot be read (the labels are then all there is)."""
    try:
        return shown_names(_recorded_entries(results), registry)
    except (WorkbenchError, OSError, AttributeError, TypeError):
        return {}


def recorded_command_names(results: str | os.PathLike[str],
                           registry: Any = None) -> dict[str, str]:
    """``command_line_names`` of the experiment recorded beside a results table; empty
    when the record cannot be read."""
    try:
        return command_line_names(_recorded_entries(results), registry)
    except (WorkbenchError, OSError, AttributeError, TypeError):
        return {}


def resolve_classifier(wanted: str, labels: Iterable[str],
                       names: Mapping[str, str],
                       command_names: Mapping[str, str] | None = None) -> str:
    """The results-table label of the classifier a person named ``wanted``: its label,
    its shown name (``names``) or its command-line name (``command_names``, label ->
    "naive-bayes"; so a labelled classifier answers to the name it was run by too),
    exactly, else ignoring case and spaces, else its learner alone ("J48" for "J48
    -C 0.25 -M 2"), when that names just one. Otherwise a
    ``WorkbenchError`` listing the names of each."""
    labels = list(labels)
    command_names = command_names or {}
    if wanted in labels:
        return wanted

    def all_names(label: str) -> list[str]:
        return list(dict.fromkeys(n for n in (names.get(label), label,
                                              command_names.get(label)) if n))

    exact = [label for label in labels if wanted in all_names(label)]
    if len(exact) == 1:
        return exact[0]

    def loose(text: str) -> str:
        return "".join(text.split()).casefold()

    close = [label for label in labels
             if loose(wanted) in map(loose, all_names(label))]
    if len(close) == 1:
        return close[0]
    # A learner named without its options ("J48" for WEKA's "J48 -C 0.25 -M 2"), when
    # the results hold one such.
    learner = [label for label in labels if not exact and not close and loose(wanted) in
               (loose(name.split(" ", 1)[0]) for name in all_names(label))]
    if len(learner) == 1:
        return learner[0]
    several = exact if len(exact) > 1 else close if len(close) > 1 else learner
    if len(several) > 1:
        raise WorkbenchError(f"'{wanted}' names {len(several)} classifiers in the "
                             f"results ({', '.join(several)}): name one by its label")
    known = ", ".join(
        f"{shown[0]} ({', '.join(shown[1:])})" if len(shown) > 1 else shown[0]
        for shown in map(all_names, labels))
    raise WorkbenchError(f"no classifier '{wanted}' in the results (they have: {known})")
