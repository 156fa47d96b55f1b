"""How much memory the Explorer's undo steps may hold, and which steps to drop.

Why: each undo step is a whole dataset. Twenty steps (``MAX_UNDO``) held no bound in
bytes, and one Standardize on MNIST's 10 000 x 785 test set adds 61 MB: 1.2 GB for the
twenty, about 7 GB for the 60 000-row training set, memory that training then meets
under the memory ceiling (``core/memory_ceiling.py``). WEKA's Explorer writes its undo
copies to temporary files; here the stack is bounded by bytes as well as by count,
dropping the oldest steps first and always keeping the latest (undoing the last change
is the undo people reach for), and the window says when a step was dropped.

The budget is ``UNDO_SHARE`` of the memory this process could still take when the
window opened (``available_memory``: free RAM, or a cgroup's or ``ulimit``'s room where
smaller), ``FALLBACK_BUDGET`` where that is unknown.

Bytes are counted per buffer, not per dataset: filters that keep the value matrix
(a class change, a rename, a row slice) share it with the step before, so a buffer the
current dataset still uses costs the stack nothing, and one shared by two steps counts
once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
import scipy.sparse as sp

from workbench.core.memory_ceiling import available_memory
from workbench.data.dataset import Dataset

MAX_UNDO = 20
UNDO_SHARE = 0.25
FALLBACK_BUDGET = 1 << 30

Step = tuple[Dataset, str]


def undo_budget() -> int:
    """The bytes the undo steps may hold: ``UNDO_SHARE`` of what is free now."""
    free = available_memory()
    return FALLBACK_BUDGET if free is None else int(free * UNDO_SHARE)


def _buffers(dataset: Dataset) -> Iterator[np.ndarray]:
    """The arrays owning ``dataset``'s memory (a view's base, not the view)."""
    X = dataset.X
    if isinstance(X, np.ndarray):
        arrays = [X]
    else:
        csr = sp.csr_matrix(X)   # the same arrays, not a copy (it is CSR already)
        arrays = [csr.data, csr.indices, csr.indptr]
    for array in [*arrays, dataset.weights]:
        while isinstance(array.base, np.ndarray):
            array = array.base
        yield array


def held_bytes(steps: Iterable[Step], current: Dataset | None) -> int:
    """Bytes the ``steps`` keep alive beyond what ``current`` uses itself."""
    seen = {id(a) for a in _buffers(current)} if current is not None else set()
    total = 0
    for dataset, _what in steps:
        for array in _buffers(dataset):
            if id(array) not in seen:
                seen.add(id(array))
                total += array.nbytes
    return total


def trim(steps: list[Step], current: Dataset | None, budget: int,
         max_steps: int = MAX_UNDO) -> list[Step]:
    """Drop the oldest of ``steps`` (in place) until at most ``max_steps`` remain and
    they hold at most ``budget`` bytes, keeping the latest whatever its size; returns the
    dropped steps, oldest first."""
    dropped: list[Step] = []
    while len(steps) > 1 and (len(steps) > max_steps
                              or held_bytes(steps, current) > budget):
        dropped.append(steps.pop(0))
    return dropped
