"""One name per run for the legends that compare runs: the Explorer's "Compare selected"
and the Knowledge Flow's LearningCurveOverlay and RbmViewer.

The tutorials' comparisons (sigmoid against ReLU, SGD against Adam, dropout 0 against
0.5) are read from curves side by side, so a run is named by what differs between the
runs and nothing else: "activation=sigmoid" against "activation=relu", however long
the configurations. Values are written as the Explorer's classifier line and WEKA's
options write them ("dropout=0", "learning_rate=0.001", "hidden_layers=8,8"): the two
faces once named the same flow run "dropout=0.0" in the overlay and "dropout=0" in
Compare selected, so they now share this one function.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from workbench.core.errors import WorkbenchError

# Settings that change how a run is watched or where it runs, not what it learns: two
# runs differing only there are the same run to a reader of the legend.
NOT_LEARNING = ("record_dynamics", "device")


def shown(value: Any) -> str:
    """A parameter value as a person would type it ("8,8", "0.5", "0", "adam")."""
    if isinstance(value, tuple | list):
        return ",".join(shown(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    options = getattr(value, "options_text", None)
    if callable(options):  # a component inside a component (a filter, a base learner)
        text = options()
        return f"{getattr(value, 'name', type(value).__name__)}" + (f" {text}" if text else "")
    return str(value)


def _value_text(model: Any, name: str, value: Any) -> str:
    """``shown``, with None in the sheet's word for it ("epochs=auto", not "None")."""
    if value is None:
        find = getattr(model, "param", None)
        try:
            return str(find(name).null_word) if callable(find) else "none"
        except WorkbenchError:
            return "none"
    return shown(value)


def _at_default(model: Any, name: str, value: Any) -> bool:
    """Whether ``value`` is the declared default of ``model``'s parameter ``name``
    (False where the model declares no such parameter)."""
    find = getattr(model, "param", None)
    try:
        return callable(find) and shown(find(name).default) == shown(value)
    except WorkbenchError:
        return False


def named_apart(titles: Sequence[str]) -> bool:
    """True when every title is set, no two alike, and they differ by more than the
    number the flow editor appends to a second node of a type ("MLP", "MLP2")."""
    stems = {re.sub(r"\s*\d+$", "", title.strip()) for title in titles}
    return all(t.strip() for t in titles) and len(set(titles)) == len(titles) \
        and len(stems) > 1


def run_labels(models: Sequence[Any], fallback: Sequence[str] | None = None,
               titles: Sequence[str] = ()) -> list[str]:
    """One legend label per model.

    ``titles`` (the flow nodes that trained them) win when the user named them apart
    ("MLP (plain)", "MLP (dropout 0.5)": the names the canvas and the lesson use).
    Otherwise: the learner's name when the learners differ, then each parameter whose
    value differs between the runs, as ``name=value``. Runs that do not differ at all
    (the same configuration tested twice, or one run) keep their ``fallback`` labels
    (the result list's, the nodes' titles), numbered where those are alike, or are
    numbered ("run 1").
    """
    if len(titles) == len(models) > 1 and named_apart(titles):
        return list(titles)
    params = []
    for model in models:
        get = getattr(model, "get_params", None)
        params.append(get() if callable(get) else {})
    kinds = [getattr(model, "name", type(model).__name__) for model in models]
    keys: list[str] = []
    for values in params:
        keys += [k for k in values if k not in keys and k not in NOT_LEARNING]
    absent = "\0absent"  # a parameter only some learners have differs between them
    differing = [k for k in keys
                 if len({shown(p[k]) if k in p else absent for p in params}) > 1]
    shared = {k for k in keys if all(k in p for p in params)}
    labels = []
    for model, kind, values in zip(models, kinds, params, strict=True):
        parts = [kind] if len(set(kinds)) > 1 else []
        # A parameter only some learners have is named where it is not at its
        # default: runs of different learners listed every parameter the learner has
        # (30 for the MLP), which told nothing and made the legend a paragraph.
        parts += [f"{k}={_value_text(model, k, values[k])}" for k in differing
                  if k in values and (k in shared or not _at_default(model, k, values[k]))]
        labels.append(", ".join(parts))
    if len(set(labels)) < len(labels) or not all(labels):
        names = list(fallback) if fallback is not None and len(fallback) == len(models) \
            else [f"run {i + 1}" for i in range(len(models))]
        if len(set(names)) < len(names):   # two nodes both titled "MLP": "MLP 1", "MLP 2"
            names = [f"{name} {i + 1}" for i, name in enumerate(names)]
        labels = [f"{label} ({name})" if label else name
                  for label, name in zip(labels, names, strict=True)]
    return labels
