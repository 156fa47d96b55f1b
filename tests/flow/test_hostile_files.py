"""Hypothesis fuzzing of the flow, experiment and model readers (issue 23).

Each input is read in a forked child under a time and a memory limit
(``hostile_files.run_limited``): it must load (and then be used as the commands use it)
or end in a WorkbenchError naming the file. A bounded number of examples runs in the
default suite; ``-m slow`` runs many more. ``scripts/fuzz_readers.py`` prints the counts.
"""

from __future__ import annotations

import pytest
from hostile_files import CLEAN, READERS, run_limited
from hypothesis import HealthCheck, given, seed, settings

DEFAULT_EXAMPLES = {"flow": 40, "spec": 25, "model": 30}
SLOW_EXAMPLES = 400


def _fuzz(reader: str, examples: int) -> None:
    strategy, function = READERS[reader]
    failures: list[str] = []

    @seed(23)
    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy())
    def probe(value: bytes) -> None:
        outcome, detail = run_limited(function, value)
        if outcome not in CLEAN:
            failures.append(f"{outcome}: {detail.strip()[-400:]}")

    probe()
    assert failures == []


@pytest.mark.parametrize("reader", sorted(READERS))
def test_every_hostile_file_loads_or_is_refused_naming_the_file(reader):
    _fuzz(reader, DEFAULT_EXAMPLES[reader])


@pytest.mark.slow
@pytest.mark.parametrize("reader", sorted(READERS))
def test_many_hostile_files_load_or_are_refused_naming_the_file(reader):
    _fuzz(reader, SLOW_EXAMPLES)
