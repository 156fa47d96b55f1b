"""Every data reader, fuzzed: a Dataset or a WorkbenchError naming the file, never
anything else, and never a hang or a runaway allocation.

Inputs come from ``fuzzing.py`` (mangled seed files and corpus files, hostile pieces put
where they hurt, relational headers nested deep, damaged gzip, hostile date patterns).
Each read runs in a forked child under a time and a memory limit, so a reader that hangs
or balloons fails its example instead of the whole run. The default suite tries a few
dozen inputs per reader; ``-m slow`` tries many more. ``scripts/fuzz_readers.py`` counts
the outcomes.
"""

from __future__ import annotations

import fuzzing
import pytest
from hypothesis import HealthCheck, given, settings

SETTINGS = dict(deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _check(reader: str, value: object) -> None:
    outcome, detail = fuzzing.run_limited(fuzzing.READERS[reader][1], value)
    assert outcome in fuzzing.CLEAN, f"{reader}: {outcome}\n{detail}"


def _strategy(reader: str):
    strategy, _ = fuzzing.READERS[reader]
    return strategy(fuzzing.seeds_for(reader))


@pytest.mark.parametrize("reader", sorted(fuzzing.READERS))
def test_reader_survives_hostile_input(reader):
    @settings(max_examples=60, **SETTINGS)
    @given(_strategy(reader))
    def run(value):
        _check(reader, value)

    run()


@pytest.mark.slow
@pytest.mark.parametrize("reader", sorted(fuzzing.READERS))
def test_reader_survives_hostile_input_at_length(reader):
    @settings(max_examples=1500, **SETTINGS)
    @given(_strategy(reader))
    def run(value):
        _check(reader, value)

    run()


@pytest.mark.parametrize("case", [
    ("dates", ("zZ" * 8, "x" * 81)),
    ("arff", fuzzing.deep_relational(1000)),
    ("arff", b"@relation r\n@attribute a numeric\n@data\n{\xc2\xb9 1}\n"),
    ("arff", b"@relation '\\ud800'\n@attribute a numeric\n@data\n1\n"),
    ("csv", b'a,b\n"' + b"x" * 140_000 + b'",1\n2,\n'),
], ids=["zone-backtracking", "deep-relational", "superscript-index", "lone-surrogate",
        "long-csv-field"])
def test_the_issues_crashes_are_clean(case):
    reader, value = case
    _check(reader, value)


def test_the_sandbox_reports_a_hang_and_a_crash():
    """The limits themselves work, or the tests above could pass by not looking."""
    def hang(_):
        while True:
            pass

    def crash(_):
        raise KeyError("boom")

    assert fuzzing.run_limited(hang, None, seconds=1)[0] == "timeout"
    outcome, detail = fuzzing.run_limited(crash, None)
    assert outcome == "crash" and "KeyError" in detail


def test_the_sandbox_reports_a_runaway_allocation():
    def balloon(_):
        return str(len(bytearray(3 << 30)))

    assert fuzzing.run_limited(balloon, None, memory=1 << 28)[0] == "memory"
