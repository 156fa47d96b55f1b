"""Refusing a filter's output before it is built when it cannot fit in memory.

Why: a few filters make data bigger by a factor that a parameter sets (Resample's
``sample_size_percent``, SMOTE's ``percentage``, ImageAugment's ``copies``) or that the
header sets (NominalToBinary: one column per declared value). Each value can be in range
and the product still ask for more memory than the machine has: a 2 KB flow asking for
200 000 % of the bundled digits made 3.6 million rows, and the cross-validation after it
reached 7.2 GB; ``smote -P 5000000`` on digits took 4.9 GB. Linux overcommits, so the
allocation succeeds and the OOM killer ends the application, the GUI with unsaved work.

So each such filter bounds its parameter (generously for real use: see the
declarations) and, before building anything, calls ``check_growth`` with the rows and
columns it would make and what it builds on the way (measured per filter with
``tracemalloc`` on digits; the factors are in the callers), plus the result once more
for whatever uses it. The total is compared with what is free
(``core.memory_ceiling.available_memory``: ``MemAvailable``, or the room left under a
cgroup limit, a ``ulimit`` or a flow run's ceiling), and the refusal names the filter,
the parameter and the sizes, as ``data.packed.check_parse_cost`` does for a data file.
Where free memory cannot be read nothing is refused.
"""

from __future__ import annotations

from workbench.core.memory_ceiling import available_memory, describe_bytes
from workbench.core.params import Configurable
from workbench.data.dataset import Dataset
from workbench.filters.base import FilterError

# Below this no one asks the kernel: the filter is small beside the program itself.
ALWAYS_AFFORDABLE = 64 * 2**20
VALUE_BYTES = 8   # a float64 value, an instance weight, a row index


def row_bytes(data: Dataset, *, dense: bool = False) -> float:
    """Bytes one row of ``data`` takes as held (``dense``: as a dense row, what filters
    that compute on the values make of it): its values (the stored ones of a sparse row,
    with their column indices) and its weight."""
    rows = max(data.num_instances, 1)
    values = None if dense else getattr(data.X, "nnz", None)
    if values is not None:   # CSR: a float and an int32 index per stored value
        return (values * (VALUE_BYTES + 4)) / rows + 2 * VALUE_BYTES
    return (data.num_attributes + 1) * VALUE_BYTES


def check_growth(component: Configurable, title: str, parameter: str, asked: str,
                 rows: int, columns: int, result_bytes: float, peak_bytes: float) -> None:
    """Refuse, before it is built, a result of ``rows`` x ``columns`` taking
    ``result_bytes`` (``peak_bytes`` while it is built) when building it and using it
    do not fit in free memory; ``asked`` says what made it so big ("200000 % of 1797
    instances") and ``parameter`` is the parameter of ``component`` to lower.

    Using it counts as one more copy of the result: whatever takes the output (a
    learner's training copy, a cross-validation's folds, a saver's text) needs at least
    that, and a filter that may fill what is free leaves the next step to fail (a
    10 000 % sample of MNIST's test set, 5.9 GiB, fitted in 7.2 GiB; writing it did not).
    """
    needed = peak_bytes + result_bytes
    if needed <= ALWAYS_AFFORDABLE:
        return
    free = available_memory()
    if free is None or needed <= free:
        return
    declared = {p.name: p for p in component.params}.get(parameter)
    flag = ""
    if declared is not None:
        flag = f" (-{declared.letter})" if declared.letter else f" ({declared.flag})"
    raise FilterError(
        f"{title}: {parameter} {asked} would make {rows:,} instances x {columns:,} "
        f"attributes, {describe_bytes(int(result_bytes))}; building and using it take "
        f"about {describe_bytes(int(needed))}, more than the {describe_bytes(free)} of "
        f"memory free; lower {parameter}{flag} or use less data")
