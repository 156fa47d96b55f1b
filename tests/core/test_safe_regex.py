"""Regular expressions a user types are refused when they could backtrack for ever."""

import pytest

from workbench.core.errors import ParameterError
from workbench.core.params import Param
from workbench.core.safe_regex import MAX_PATTERN_CHARS, check_pattern

# Tokenizer patterns from scikit-learn, NLTK's book and everyday use: all accepted.
COMMON = [
    r"(?u)\b\w\w+\b", r"\b\w+\b", r"\w+", r"[A-Za-z]+", r"\S+", r"[^\s]+",
    r"\w+(?:'\w+)?", r"\w+(?:-\w+)*",
    r"""(?:[A-Z]\.)+|\w+(?:-\w+)*|\$?\d+(?:\.\d+)?%?|\.\.\.|[][.,;"'?():_`-]""",
    r"[a-zA-Z]{3,}", r"(?u)\b\w+\b", r"\d+(?:\.\d+)?", r"#\w+", r"@\w+",
    r"https?://\S+", r"[\w']+", r"(?i)\b[a-z]+\b", r"\w+|[^\w\s]+", r"[^\W\d_]+",
    r"(?:\d{1,3},)*\d+", r"[\U0001F600-\U0001F64F]", r"(?:\w+\s+)+",
    r"(?:\b\w+\b\s*)+", r"(\w|\d)+", r"(ab|ac)+", r"(?:a+b)*", r"(?>a+)+b", r"(a++)+b",
    r"(?u)\b\w[\w'-]*\w\b|\b\w\b", r"[A-Z][a-z]+", r"(?:-?\d+)(?:,\d+)*",
]

# Patterns known to take exponential time on text that almost matches.
CATASTROPHIC = [
    r"(a+)+b", r"(a|a)+", r"(a|aa)+", r"(a*)*", r"(a+)*", r"(\w+\s?)*$", r"(.*a){20}",
    r"(x+x+)+y", r"([a-zA-Z]+)*", r"(?:\d+|,)+", r"(?:a?a)+", r"(?:\w+-\w+)+$",
    r"(?:x(a|a)y)*z", r"(.*){1,32000}[bc]", r"(?i)(A+a+)+!", r"(?=(a+)+b)",
    r"((a+)b?)+",
    r"^([a-zA-Z0-9])(([\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}"
    r"(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$",
]


@pytest.mark.parametrize("pattern", COMMON)
def test_common_tokenizer_patterns_are_accepted(pattern):
    assert check_pattern(pattern, "token_pattern").pattern == pattern


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_patterns_that_backtrack_exponentially_are_refused(pattern):
    with pytest.raises(ParameterError, match=r"parameter 'token_pattern': .*exponentially"
                                             r".*possessive"):
        check_pattern(pattern, "token_pattern")


def test_accepted_patterns_stay_quick_on_text_that_almost_matches():
    """The point of the check: what it lets through finishes (measured by the number of
    matches, not the clock: each call returns)."""
    texts = ["a" * 3000 + "!", "ab " * 1000 + "!", "1," * 1000 + "x", "a-" * 1000 + "!"]
    for pattern in COMMON:
        compiled = check_pattern(pattern, "p")
        for text in texts:
            assert isinstance(compiled.findall(text), list)


def test_an_invalid_or_overlong_pattern_is_refused_naming_the_parameter():
    with pytest.raises(ParameterError, match="'name_pattern': '\\(' is not a valid"):
        check_pattern("(", "name_pattern")
    with pytest.raises(ParameterError, match=f"at most {MAX_PATTERN_CHARS}"):
        check_pattern("a" * (MAX_PATTERN_CHARS + 1), "p")


def test_a_pattern_that_can_match_empty_text_is_refused_where_asked():
    assert check_pattern("", "name_pattern").pattern == ""
    for empty in ("", r"\w*", r"\b"):
        with pytest.raises(ParameterError, match="can match empty text"):
            check_pattern(empty, "token_pattern", match_empty=False)


def test_a_regex_param_checks_at_parse_time():
    param = Param.regex(r"\w+", "a pattern", name="pattern")
    assert param.parse(r"[a-z]+") == "[a-z]+"
    assert param.describe_range() == "a regular expression"
    with pytest.raises(ParameterError, match="'pattern': '\\(a\\+\\)\\+b'"):
        param.parse("(a+)+b")
    with pytest.raises(ParameterError):
        param.validate("(a|a)*")
