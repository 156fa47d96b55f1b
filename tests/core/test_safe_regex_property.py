"""Every pattern ``check_pattern`` accepts searches its own adversarial texts in at most
quadratic work: a property over random small patterns, counted in steps, not seconds.

The patterns come from a grammar of literals, sets, anchors, groups, alternatives and
repeats over a few characters. For each accepted one the texts are made of its own
characters: each literal alone, all of them in the order they appear, and a word
character beside a space, repeated, then a ``!``. ``regex_steps.StepCounter`` counts
the steps a backtracking search takes on each text at two lengths, ``n`` and ``2n``.

Why steps and a ratio rather than a clock: the count is the same on any machine however
busy, so the test cannot be flaky. A search the check allows (one repeat with something
after it that can fail, from every start) costs about ``c n^2`` steps: doubling the text
multiplies it by at most 4, a little more where the pattern's own width is subtracted
from ``n``. A cubic search multiplies it by 6 to 8 (measured: '.*foo.*x' 7.2, '.*.*=' 6.0
between 16 and 32 repeats), an exponential one by far more, or passes the budget. So the
property is: the count at ``2n`` is at most 5.5 times the count at ``n``, and at most
``_BUDGET_PER_CHAR2 * (2n)^2``.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from regex_steps import OverBudget, StepCounter

from workbench.core.errors import ParameterError
from workbench.core.safe_regex import check_pattern

_SHORT = 32            # characters of the shorter text (the longer has twice as many)
_MOST_GROWTH = 5.5     # quadratic: at most 4 and a little; cubic: 6 to 8
_BUDGET_PER_CHAR2 = 60
_LITERALS = ["a", "b", ",", " "]
_SETS = [".", r"\w", r"\W", r"\s", "[ab]", "[^a]", "[^,]"]
_REPEATS = ["*", "+", "?", "{0,3}", "{1,2}", "{2,}", "*?", "+?"]

_atoms = st.one_of(st.sampled_from(_LITERALS), st.sampled_from(_SETS),
                   st.sampled_from(["^", "$", r"\b"]))


def _extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, st.sampled_from(_REPEATS)).map(
            lambda t: f"(?:{t[0]}){t[1]}" if len(t[0]) > 1 else t[0] + t[1]),
        st.lists(inner, min_size=2, max_size=4).map("".join),
        st.lists(inner, min_size=2, max_size=3).map(lambda b: f"(?:{'|'.join(b)})"),
        inner.map(lambda body: f"({body})"),
    )


# Repeats of a set or a group with short literals between them: the shape that can
# split a run ('.*ab.*x'), drawn more often than the grammar alone would.
_repeated = st.tuples(st.one_of(st.sampled_from(_SETS),
                                st.recursive(_atoms, _extend, max_leaves=3).map(
                                    lambda body: f"(?:{body})")),
                      st.sampled_from(_REPEATS)).map("".join)
_chains = st.lists(st.one_of(_repeated, st.text("".join(_LITERALS), min_size=1, max_size=3),
                             st.sampled_from(["^", r"\b"])),
                   min_size=2, max_size=6).map("".join)
patterns = st.one_of(st.recursive(_atoms, _extend, max_leaves=8), _chains)


def _texts(pattern: str, length: int) -> list[str]:
    """Runs of the pattern's own characters, ``length`` long or a little more, then a
    character that ends them."""
    chars = [ch for ch in dict.fromkeys(pattern) if ch in "".join(_LITERALS)]
    words = [*chars, "".join(chars), "a "]
    return [_run_of(word, length) for word in dict.fromkeys(words) if word]


def _run_of(word: str, length: int) -> str:
    return word * -(-length // len(word)) + "!"


def _superquadratic(pattern: str, short: str, long: str) -> str:
    """Why the search for ``pattern`` grows faster than quadratic from text ``short``
    to text ``long`` (twice as long), or ""."""
    budget = _BUDGET_PER_CHAR2 * len(long) ** 2
    try:
        small = StepCounter(pattern, budget).findall(short)
        large = StepCounter(pattern, budget).findall(long)
    except OverBudget:
        return f"{pattern!r} on {long!r}: over {budget} steps"
    if large > _MOST_GROWTH * small + 100:
        return f"{pattern!r} on {long!r}: {small} -> {large} steps"
    return ""


def _growth(pattern: str) -> list[str]:
    """The texts on which the pattern's search grows faster than quadratic."""
    pairs = zip(_texts(pattern, _SHORT), _texts(pattern, 2 * _SHORT), strict=True)
    return [why for short, long in pairs if (why := _superquadratic(pattern, short, long))]


def _accepted(pattern: str) -> bool:
    try:
        check_pattern(pattern, "p")
    except ParameterError:
        return False
    return True


def test_the_step_counter_tells_quadratic_from_cubic_and_exponential():
    """The yardstick itself: refused patterns fail the property, accepted ones pass."""
    for refused in (r".*foo.*x", r".*.*=", r"\b.*.*x", r"(a|aa)+c", r"(\w+\s?)*x",
                    r"\d+\.?\d*%", r".*ab.*ab.*ab.*x"):
        assert not _accepted(refused)
    for pattern, word in ((r".*foo.*x", "foo"), (r".*.*=", "a"), (r"(a|aa)+c", "a"),
                          (r"\d+\.?\d*%", "1"), (r"\b.*.*x", "a ")):
        assert _superquadratic(pattern, _run_of(word, _SHORT), _run_of(word, 2 * _SHORT))
    for accepted in (r"\w+c", r"(a|ab)+c", r"\s*,\s*", r".*foo.*", r"(?:\w+\s)+x"):
        assert _accepted(accepted)
        assert _growth(accepted) == []


@seed(1729)
@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(patterns)
def test_accepted_patterns_search_their_own_runs_in_quadratic_steps(pattern):
    if _accepted(pattern):
        assert _growth(pattern) == []


@pytest.mark.slow
@settings(max_examples=2000, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(patterns)
def test_many_accepted_patterns_search_their_own_runs_in_quadratic_steps(pattern):
    if _accepted(pattern):
        assert _growth(pattern) == []
