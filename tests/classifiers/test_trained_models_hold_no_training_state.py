"""A trained network keeps its weights and what its viewers read, nothing of training.

The Explorer's result list keeps each run's model for as long as the entry; a model
that held its gradients, an optimizer's slots, its RBMs' velocities or (through an
empty view) the training rows themselves made every run on MNIST cost memory for good.
"""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest
from classifier_helpers import load

from workbench.core.registry import default_registry
from workbench.data.dataset import Dataset
from workbench.engine.optim import Optimizer
from workbench.engine.tensor import Tensor

LEARNERS = [
    ("mlp", {"epochs": 1, "solver": "sgd", "optimizer": "adam", "hidden_layers": "8"}),
    ("mlp", {"solver": "lbfgs", "max_iterations": 3, "hidden_layers": "8"}),
    ("cnn", {"epochs": 1, "architecture": "conv(4,3)-pool(2)-dense(8)"}),
    ("rnn", {"epochs": 1, "hidden_size": 8}),
    ("dbn", {"hidden_layers": [8], "pretrain_epochs": [1], "finetune_epochs": 1}),
]


def _reachable(root: object) -> list[object]:
    """Everything reachable from ``root`` (modules and classes not followed)."""
    found: list[object] = []
    seen: set[int] = set()
    stack = [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, (type, str, bytes, int, float)):
            continue
        seen.add(id(obj))
        found.append(obj)
        stack.extend(gc.get_referents(obj))
    return found


@pytest.fixture(scope="module")
def digits() -> Dataset:
    data = load("digits.arff")
    return data.select_rows(np.arange(200))


@pytest.mark.parametrize(("name", "values"), LEARNERS, ids=lambda v: str(v))
def test_a_trained_network_keeps_no_training_state(digits, name, values):
    train = digits.select_rows(np.arange(150))   # rows of its own, a fresh copy
    rows = weakref.ref(train.X)
    model = default_registry().create("classifier", name, **values).fit(train)
    held = _reachable(model)
    assert [t.shape for t in held if isinstance(t, Tensor) and t.grad is not None] == []
    assert [o for o in held if isinstance(o, Optimizer)] == []
    for rbm in getattr(model, "rbms_", []):
        assert rbm._velocity == {} and rbm._decay_term is None and rbm._chain is None
    del train, held
    gc.collect()
    assert rows() is None, "the model keeps the training rows alive"
    # still a working model
    assert model.predict_proba(digits.select_rows(np.arange(150, 160))).shape == (10, 10)
