"""The runtime backstop: user patterns matched with ``regex`` under a time limit.

The patterns below were accepted by the static check (review B, R2 and R4) and took
seconds or hung for good under ``re``. A small limit through ``WORKBENCH_REGEX_SECONDS``
keeps these tests quick; they assert the error, never a duration.
"""

from __future__ import annotations

import re

import pytest

from tests.core.test_safe_regex import COMMON
from workbench.core.bounded_regex import ENVIRONMENT, BoundedPattern, check, seconds_allowed
from workbench.core.errors import Cancelled, ParameterError
from workbench.core.progress import CancelToken

# R2: a repeat followed by a look-ahead over the same characters (cubic per search)
LOOKAHEAD = r"\w+(?=\w*x)"
LOOKAHEAD_TEXT = "a" * 4000 + "!"

SAMPLES = [
    "The quick-brown fox's 3.14 jumps; e-mail a.b+c@ex-ample.co.uk http://x.org/a?b=1 #tag",
    "  key = value  ", "$1,234.56 and 192.168.0.1, 1e-3 -12,345 U.S.A. ... \U0001F600 naïve",
    "<b>bold</b> user_id @user", "ab ac abac aab aaab", "Hello World Foo Bar", "x" * 50, "",
]


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setenv(ENVIRONMENT, "0.05")


@pytest.mark.parametrize("pattern", COMMON)
def test_accepted_common_patterns_find_what_re_finds(pattern):
    bounded = BoundedPattern(pattern, "token_pattern")
    compiled = re.compile(pattern)
    assert bounded.groups == compiled.groups
    for text in SAMPLES:
        assert bounded.findall(text, "a sample") == compiled.findall(text)
        assert bounded.matching([text], "sample") == [compiled.search(text) is not None]
        assert bounded.matching([text], "sample", whole=True) == [
            compiled.fullmatch(text) is not None]


def test_a_lookahead_that_backtracks_ends_in_an_error_naming_pattern_and_value(small_limit):
    bounded = BoundedPattern(LOOKAHEAD, "token_pattern")
    with pytest.raises(ParameterError) as caught:
        bounded.findall(LOOKAHEAD_TEXT, "one value of attribute 'review'")
    message = str(caught.value)
    assert message.startswith(f"parameter 'token_pattern': the pattern '{LOOKAHEAD}' took "
                              f"over 0.05 s on one value of attribute 'review': it "
                              f"backtracks")
    assert "simplify it" in message and ENVIRONMENT in message and "\n" not in message


def test_matching_names_shares_one_limit_and_names_the_value(small_limit):
    bounded = BoundedPattern(LOOKAHEAD, "Pattern")
    assert bounded.matching(["ax", "b"], "attribute name") == [True, False]
    with pytest.raises(ParameterError, match=r"on the attribute name 'a{45}\.\.\.a{11}!' "
                                             r"\(4001 characters\)") as raised:
        bounded.matching(["ax", LOOKAHEAD_TEXT], "attribute name")
    assert "a" * 100 not in str(raised.value)   # the middle left out: a window shows it


def test_narrow_repeats_beside_a_wide_one_now_finish(small_limit):
    """R4: '\\d*\\d{0,7}\\d{0,7}x' took over 6 s under re on 5 001 digits; regex's
    matcher needs no backtracking there, so it finishes with the answer."""
    bounded = BoundedPattern(r"\d*\d{0,7}\d{0,7}x", "token_pattern")
    assert bounded.findall("1" * 5000 + "!", "a value") == []
    assert bounded.findall("12x 3", "a value") == ["12x"]


def test_the_tokenizer_checks_the_cancel_token_between_documents():
    token = CancelToken()
    words = BoundedPattern(r"\w+", "token_pattern").tokenizer("text", token)
    assert words("two words") == ["two", "words"]
    token.cancel()
    with pytest.raises(Cancelled):
        words("more words")


def test_the_static_check_still_comes_first():
    with pytest.raises(ParameterError, match="exponentially"):
        BoundedPattern("(a+)+b", "p")


@pytest.mark.filterwarnings("ignore:Possible nested set:FutureWarning")
@pytest.mark.parametrize(("pattern", "shown"), [
    (r"[[:alpha:]]+", "[:alpha:]"), (r"[a[:^digit:]]", "[:^digit:]"),
    (r"(?:ab){e<=1}", "{e<=1}"), (r"a{i}", "{i}"),
])
def test_syntax_that_regex_reads_differently_from_re_is_refused(pattern, shown):
    with pytest.raises(ParameterError, match=re.escape(f"holds '{shown}'")):
        check(pattern, "name_pattern")


@pytest.mark.parametrize("pattern", [r"\[:alpha:\]", r"a\{e<=1\}", r"\N{LATIN SMALL LETTER E}",
                                     r"\d{2,3}", r"[{}]"])
def test_escaped_or_ordinary_braces_and_brackets_are_accepted(pattern):
    check(pattern, "name_pattern")


@pytest.mark.parametrize(("value", "seconds"), [
    ("0.25", 0.25), ("3", 3.0), ("", 1.0), ("soon", 1.0), ("0", 1.0), ("-2", 1.0),
    ("inf", 1.0), ("nan", 1.0),
])
def test_the_limit_comes_from_the_environment_when_it_is_a_positive_number(
        monkeypatch, value, seconds):
    monkeypatch.setenv(ENVIRONMENT, value)
    assert seconds_allowed() == seconds


def test_words_with_combining_marks_stay_whole_as_documented():
    """The one kept difference from re (module docstring): regex's \\w takes combining
    marks, so Hindi, Tamil and decomposed accents are not cut inside a word."""
    bounded = BoundedPattern(r"(?u)\b\w\w+\b", "token_pattern")
    hindi = "\u0939\u093f\u0928\u094d\u0926\u0940 \u092d\u093e\u0937\u093e"
    assert bounded.findall(hindi, "a text") == hindi.split()
    assert re.findall(r"(?u)\b\w\w+\b", hindi) != hindi.split()
    decomposed = "cafe\u0301 and tea"
    assert bounded.findall(decomposed, "a text") == ["cafe\u0301", "and", "tea"]
    assert re.findall(r"(?u)\b\w\w+\b", decomposed)[0] == "cafe"


def test_a_pattern_is_checked_and_compiled_once_per_limit(monkeypatch):
    """Filters ask for their pattern in every fit and transform (each fold, attribute)."""
    from workbench.core.bounded_regex import bounded

    first = bounded(r"\w+", "token_pattern")
    assert bounded(r"\w+", "token_pattern") is first
    monkeypatch.setenv(ENVIRONMENT, "0.5")
    again = bounded(r"\w+", "token_pattern")
    assert again is not first and again.seconds == 0.5
