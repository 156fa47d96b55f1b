"""Filters: preprocessing learned on training data and applied to any data with its header.

``register(registry)`` adds every built-in filter, exactly as a plugin would (DESIGN.md
rule 4). ``Filter`` is the contract (see ``base``); ``parse_filters`` reads a chain such
as ``replace-missing-values | standardize``.
"""

from __future__ import annotations

import importlib

from workbench.core.registry import Registry
from workbench.filters.base import Filter, FilterError
from workbench.filters.spec import component_spec, parse_component, parse_filters

__all__ = ["Filter", "FilterError", "component_spec", "parse_component", "parse_filters",
           "register"]

# One module per family; each defines Filter subclasses with a registered name.
_MODULES = (
    "workbench.filters.scaling",
    "workbench.filters.missing",
    "workbench.filters.nominal",
    "workbench.filters.merge_values",
    "workbench.filters.discretize",
    "workbench.filters.remove",
    "workbench.filters.projection",
    "workbench.filters.text",
    "workbench.filters.select",
    "workbench.filters.instances",
    "workbench.filters.expression",
    "workbench.filters.augment",
    "workbench.filters.smote",
)


def builtin_filters() -> list[type[Filter]]:
    """Every built-in filter class, in module order."""
    found: list[type[Filter]] = []
    for module_name in _MODULES:
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, Filter) and value.name
                    and value.__module__ == module_name):
                found.append(value)
    return found


def register(registry: Registry) -> None:
    """Add every built-in filter to ``registry``."""
    for cls in builtin_filters():
        registry.add(cls)
