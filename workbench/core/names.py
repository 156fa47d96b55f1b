"""The names a user sees for a configured component: "IBk -K 3", not "knn --k 3".

The menus list components by their display names (IBk, NaiveBayes, MultilayerPerceptron),
so the result list, viewer titles and curve legends use the same words, with the options
written as WEKA users type them: the WEKA letter where there is one (``-K 3``, a
value-less ``-I``), the long flag otherwise. The text is also what ``workbench classify``
accepts, so it can be copied from the window to a shell. The report's "Scheme:" line
lists every option of the model, defaults included, as WEKA's does (``full_name``), in
the same syntax, so the command line, the Explorer and a flow print the same report;
settings of how the work runs (device, block size) only when set.
"""

from __future__ import annotations

import shlex
from typing import Any

from workbench.core.params import Param
from workbench.core.registry import ComponentInfo, Registry


def short_name(info: ComponentInfo, registry: Registry) -> str:
    """The menu's name without its explanation ("IBk (k-nearest neighbours)" -> "IBk").

    Only a name the registry resolves back to the same component is used, so the text
    stays valid on the command line; otherwise WEKA's alias, otherwise the plain name.
    """
    head = info.display_name.split(" (")[0].strip()
    for candidate in (head, *info.aliases):
        found = registry.find(info.kind, candidate) if candidate else None
        if found is not None and found.name == info.name:
            return candidate
    return info.name


def option_text(param: Param, value: Any) -> str:
    """One non-default option as a WEKA user writes it."""
    for letter, flagged in param.flags.items():
        if flagged == value:
            return f"-{letter}"
    if param.kind == "bool":
        if value:
            return f"-{param.letter}" if param.letter else param.flag
        return f"--no-{param.flag[2:]}"
    # None as the sheet's and the help's word: "auto" where None lets the learner choose
    # (a DBN's "--hidden-layers none" read as "no hidden layers"), "none" where it means
    # without; a tab in the delimiters as "\t", as WEKA writes it.
    shown = param.text_of(value)
    return f"{'-' + param.letter if param.letter else param.flag} {shlex.quote(shown)}"


def configured_name(component: Any, info: ComponentInfo, registry: Registry) -> str:
    """``short_name`` and every option that differs from its default and is read.

    A component may say which of its settings its others make unread (``inert_params``:
    an MLP's momentum under Adam); naming one would tell the user it matters ("MLP -M 0.0
    --optimizer momentum" reads as momentum 0, while that optimizer uses 0.9).
    """
    parts = [short_name(info, registry)]
    inert = getattr(component, "inert_params", None)
    unread = set(inert()) if callable(inert) else set()
    for param in getattr(component, "params", ()):
        value = getattr(component, param.name, param.default)
        if value != param.default and param.name not in unread:
            parts.append(option_text(param, value))
    return " ".join(parts)


def full_name(component: Any, info: ComponentInfo, registry: Registry) -> str:
    """``short_name`` and every option, defaults included: the report's Scheme line.

    WEKA's Scheme line lists the scheme's whole option string, and WEKA users compare
    those lines between runs; a line of non-default options alone hid what the defaults
    were (they differ between versions, and from WEKA's). Written in the syntax
    ``workbench classify`` reads, so the line pasted back gives an equal classifier.
    A false switch whose default is false is left out, as WEKA leaves out its unset
    flags (NaiveBayes lists no -K); one whose default is true is written ``--no-...``.
    A runtime setting (``Param.runtime``: the device, a block size) is named only when
    set, as WEKA names ``-batch-size`` only when set: left at its default it says
    nothing about the model, and would make the same scheme read differently between
    versions that add such settings. Left out, it pastes back as its default.
    """
    parts = [short_name(info, registry)]
    for param in getattr(component, "params", ()):
        value = getattr(component, param.name, param.default)
        if (param.kind == "bool" and not value and not param.default
                and False not in param.flags.values()):
            continue
        if param.runtime and value == param.default:
            continue
        parts.append(option_text(param, value))
    return " ".join(parts)


def registered_name(component: Any, registry: Registry | None = None) -> str | None:
    """``configured_name`` of a component the (default) registry knows, else None."""
    found = _registered(component, registry)
    return None if found is None else configured_name(component, *found)


def registered_full_name(component: Any, registry: Registry | None = None) -> str | None:
    """``full_name`` of a component the (default) registry knows, else None."""
    found = _registered(component, registry)
    return None if found is None else full_name(component, *found)


def _registered(component: Any, registry: Registry | None
                ) -> tuple[ComponentInfo, Registry] | None:
    if registry is None:
        from workbench.core.registry import default_registry

        registry = default_registry()
    kind, name = getattr(component, "kind", None), getattr(component, "name", None)
    info = registry.find(kind, name) if kind and name else None
    # a factory may be a function: then nothing is an instance of it
    if info is None or not (isinstance(info.factory, type)
                            and isinstance(component, info.factory)):
        return None
    return info, registry
