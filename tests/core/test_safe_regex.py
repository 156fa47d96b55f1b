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
    # everyday patterns with several repeats in a row, kept apart by a character, a
    # '\b' or '^', or at the end where nothing after them can fail
    r"\s*,\s*", r"^\s*(\w+)\s*=\s*(.*)$", r"\d+(\.\d+)?", r".*foo.*", r"\s*=\s*(.*)$",
    r"[\w.+-]+@[\w-]+\.[\w.-]+", r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b",
    r"\b(?:\d{1,3}\.){3}\d{1,3}\b",
    r"\b(?:(?:25[0-5]|2[0-4]\d|[01]?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d?\d)\b",
    r"[-+]?\d*\.?\d+([eE][-+]?\d+)?", r"\d+(?:\.\d+)?(?:[eE][-+]?\d+)?", r"\b\d+\.?\d*\b",
    r"\$\d+(?:,\d{3})*(?:\.\d{2})?", r"(\w+)\s*:\s*(\w+)", r"^\s+|\s+$", r"<[^>]+>",
    r"[A-Z][a-z]+(?:\s[A-Z][a-z]+)*", r".*_id$", r"^.*$", r"(?i)^[a-z_][a-z0-9_]*$",
]

# Patterns known to take exponential time on text that almost matches.
CATASTROPHIC = [
    r"(a+)+b", r"(a|a)+", r"(a|aa)+", r"(a*)*", r"(a+)*", r"(\w+\s?)*$", r"(.*a){20}",
    r"(x+x+)+y", r"([a-zA-Z]+)*", r"(?:\d+|,)+", r"(?:a?a)+", r"(?:\w+-\w+)+$",
    r"(?:x(a|a)y)*z", r"(.*){1,32000}[bc]", r"(?i)(A+a+)+!", r"(?=(a+)+b)",
    r"((a+)b?)+", r"(?:a|a){20}!",
    r"^([a-zA-Z0-9])(([\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}"
    r"(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$",
]

# Repeats in a row that can split one run of a character: polynomial, yet a search on a
# few hundred characters takes seconds ('.*.*.*=' on 400 'a's: 2.5 s; '\w+\s*\w*x' on
# 2 000: 10 s).
POLYNOMIAL = [
    r".*.*.*.*.*.*=", r"\s*\s*\s*\s*\s*\s*\s*x", r".*.*.*", r"\d+\d+\d+x", r"=.*=.*=.*!",
    r"a(?:\s*\s*\s*)b", r"\s*(?:\s*)?\s*y", r"(?:x|\s*\s*\s*)", r"(?=\s*\s*\s*x)",
    r"\s{0,100}\s{0,100}\s{0,100}x", r"\s*+\s*\s*\s*x",
    # two are enough where a search may start anywhere in the run and the end can fail
    r"\w+\s*\w*x", r"\d+\.?\d*%", r"\s*\s*x", r".*.*=", r"(?m)^\s*\s*x", r"(?:\s*|y)\s*x",
    # narrow bounded repeats multiply their ways (review 3: over 20 s on 2 000 digits)
    r"\d{0,7}" * 7 + "x", "^" + r"\d{0,3}" * 13 + "x",
    # a back-reference takes whatever its group took, of any length
    r"(.+)\1\1x", r"(.+)\1\1\1\1\1x",
    # runs of a text of several characters: the literals between the repeats sit at
    # every period of the run (seconds on 2 000 characters of their own literals)
    r".*foo.*bar.*", r".*foo.*x", r".*foo.*bar", r".*ab.*ab.*ab.*x", r".*ab.*cd.*",
    r".*foo.*bar.*baz.*x", r"^.*foo.*bar.*$", r"ab.*.*y", r"x(?:.*foo.*y|z)",
    r".*a,.*^", r"\b.*.*x", r"\b.*foo.*x",
]


@pytest.mark.parametrize("pattern", COMMON)
def test_common_tokenizer_patterns_are_accepted(pattern):
    assert check_pattern(pattern, "token_pattern").pattern == pattern


@pytest.mark.parametrize("pattern", POLYNOMIAL)
def test_repeats_in_a_row_that_share_a_run_are_refused(pattern):
    with pytest.raises(ParameterError, match=r"parameter 'token_pattern': .*repeats in a "
                                             r"row that can (all|both) match a run of .*"
                                             r"power of its length.*write one repeat"):
        check_pattern(pattern, "token_pattern")


def test_the_refusal_names_a_character_of_the_run():
    with pytest.raises(ParameterError, match=r"3 repeats in a row that can all match a "
                                             r"run of ' '"):
        check_pattern(r"\s*\s*\s*x", "p")
    with pytest.raises(ParameterError, match=r"2 repeats .* run of 'a'"):
        check_pattern(r"\w+\s*\w*x", "p")


def test_two_repeats_are_accepted_where_the_run_cannot_be_split_many_ways():
    """'^' fixes where the match starts; with nothing after them that can fail the last
    repeat never gives text back; a character only one can match keeps them apart."""
    for pattern in (r"^\s*\s*x", r"\A\w+\s*\w*x", r"\d+\.?\d*", r"a\s*\s*x",
                    r"\b\w+\s*\w*\b", r"\w+\s*-\w*x"):
        assert check_pattern(pattern, "p").pattern == pattern


def test_a_run_of_several_characters_is_named_in_the_refusal():
    with pytest.raises(ParameterError, match=r"3 repeats in a row that can all match a "
                                             r"run of 'foobar' repeated"):
        check_pattern(r".*foo.*bar.*", "p")
    with pytest.raises(ParameterError, match=r"2 repeats .* run of 'foo' repeated, may "
                                             r"start at every 'foo'.*'\[\^,\]\*,'"):
        check_pattern(r".*foo.*x", "p")


def test_repeats_apart_in_every_run_of_their_literals_are_accepted():
    """A separator the run cannot hold ('\b' between two letters, '^' before them, a
    set without the separator) or a last repeat that never gives text back."""
    for pattern in (r".*foo.*", r"^.*foo.*x", r".*a\bb.*x", r"(?m)^.*foo.*x",
                    r"[^,]*,[^,]*,[^,]*x", r"\b\w+\s*\w*x", r"(\w+)=(\w+)&(\w+)=(\w+)x",
                    r"\w+ \w+ \w+x"):
        assert check_pattern(pattern, "p").pattern == pattern


# Repeated alternatives that share a start but split any text into iterations one way
# only (no text of one is the end of another): linear for each start, like '(a)+c'.
ONE_SPLIT = [r"(a|ab)+", r"(?:ab|a)+b", r"(?:foo|fo)+", r"(a|ba)+", r"(ab|b)+",
             r"(\d|\d\.)+%", r"(?:(a|ab){2})+", r"(a|ab)+c"]


@pytest.mark.parametrize("pattern", ONE_SPLIT)
def test_alternatives_that_split_text_one_way_are_accepted(pattern):
    assert check_pattern(pattern, "p").pattern == pattern


def test_alternatives_that_split_text_several_ways_stay_refused():
    for pattern in (r"(a|a)+", r"(a|aa)+", r"(?:a|ab|b)+", r"(?:(a|ab)+)+", r"(?:a?a)+"):
        with pytest.raises(ParameterError, match="exponentially"):
            check_pattern(pattern, "p")


def test_the_rewrite_the_refusal_suggests_for_an_optional_point_is_accepted():
    """'\\d+\\.?\\d*%' is cubic on a run of digits (0.33 s on 500, over 30 s on 2 000):
    refused, and the form the message names is accepted."""
    with pytest.raises(ParameterError, match=r"\\d\+\(\?:\\\.\\d\*\)\?"):
        check_pattern(r"\d+\.?\d*%", "p")
    assert check_pattern(r"\d+(?:\.\d*)?%", "p")


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_patterns_that_backtrack_exponentially_are_refused(pattern):
    with pytest.raises(ParameterError, match=r"parameter 'token_pattern': .*exponentially"
                                             r".*possessive"):
        check_pattern(pattern, "token_pattern")


def test_accepted_patterns_stay_quick_on_text_that_almost_matches():
    """The point of the check: what it lets through finishes (measured by the number of
    matches, not the clock: each call returns)."""
    texts = ["a" * 3000 + "!", "ab " * 1000 + "!", "1," * 1000 + "x", "a-" * 1000 + "!"]
    # a run of the characters repeats take, then one that fails (2 000 each: the
    # patterns above take at most ~0.15 s on all of these together, measured on a busy
    # 2-core machine; a pattern refused here takes seconds on 600)
    texts += [ch * 2000 + end for ch in " a1.=-" for end in ("!", "\x00")]
    for pattern in COMMON + ONE_SPLIT[:-1]:
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
