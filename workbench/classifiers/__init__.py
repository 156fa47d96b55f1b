"""Classifiers: the contract (``base``), the built-in learners and model files.

``register(registry)`` adds every built-in classifier to a registry, exactly as a plugin
would (docs/ARCHITECTURE.md, rule 4). Each learner's module exposes its own ``register``;
a learner that fails to import is reported in ``registry.problems`` and the others stay
available.
"""

from __future__ import annotations

import importlib

from workbench.classifiers.base import Classifier
from workbench.classifiers.capabilities import Capabilities
from workbench.classifiers.modelfile import load_model
from workbench.core.registry import Registry

__all__ = ["Capabilities", "Classifier", "load_model", "register"]

# Modules that define one or more classifiers and a ``register(registry)`` function.
_MODULES = (
    "workbench.classifiers.zeror",
    "workbench.classifiers.knn",
    "workbench.classifiers.naive_bayes",
    "workbench.classifiers.naive_bayes_multinomial",
    "workbench.classifiers.perceptron",
    "workbench.classifiers.mlp",
    "workbench.classifiers.weka_mlp",
    "workbench.classifiers.sklearn_adapter",
    # after scikit-learn's logistic, which keeps the case-blind spelling (core/registry.py)
    "workbench.classifiers.weka_logistic",
    "workbench.classifiers.ensembles",
    "workbench.classifiers.discriminant",
    "workbench.classifiers.filtered",
    "workbench.classifiers.input_mapped",
    "workbench.classifiers.cnn",
    "workbench.classifiers.dbn",
    "workbench.classifiers.rnn",
)


def register(registry: Registry) -> None:
    """Add every built-in classifier to ``registry``."""
    for module_name in _MODULES:
        _register_module(registry, module_name)


def _register_module(registry: Registry, module_name: str) -> None:
    try:
        module = importlib.import_module(module_name)
    except Exception as error:  # one broken learner must not hide the others
        registry.record("built-in", module_name,
                        f"built-in '{module_name}' failed to import: {error!r}")
        return
    hook = getattr(module, "register", None)
    if hook is not None:
        hook(registry)
        return
    for value in vars(module).values():
        if (isinstance(value, type) and issubclass(value, Classifier) and value.name
                and value.__module__ == module_name):
            registry.add(value)
