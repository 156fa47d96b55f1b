"""Counting things in a person's words, as every message does."""

from workbench.core.counts import counted


def test_one_is_singular_and_other_numbers_plural():
    assert [counted(n, "run") for n in (0, 1, 2)] == ["0 runs", "1 run", "2 runs"]
    assert counted(2, "repetition", "repetitions") == "2 repetitions"
    assert counted(3, "analysis", "analyses") == "3 analyses"
