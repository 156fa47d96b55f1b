import pytest

from workbench.core.errors import ParameterError
from workbench.filters.ranges import format_range, parse_range


def test_weka_range_with_first_last_and_spans():
    assert parse_range("first-3,5,last", 8) == [0, 1, 2, 4, 7]


def test_inversion_selects_the_rest():
    assert parse_range("first-3,5,last", 8, invert=True) == [3, 5, 6]
    assert parse_range("", 3, invert=True) == [0, 1, 2]


def test_order_is_kept_and_spans_may_run_backwards():
    assert parse_range("last-first", 4, keep_order=True) == [3, 2, 1, 0]
    assert parse_range("2-last,1", 3, keep_order=True) == [1, 2, 0]


def test_a_repeated_position_is_refused_in_an_ordering():
    with pytest.raises(ParameterError, match="twice"):
        parse_range("1,2,1", 3, keep_order=True)


@pytest.mark.parametrize("text, word", [("9", "does not exist"), ("0", "start at 1"),
                                        ("a-b", "cannot read 'a'"), ("1,,2", "empty part")])
def test_bad_ranges_say_which_part(text, word):
    with pytest.raises(ParameterError, match=word):
        parse_range(text, 5)


def test_no_attributes_means_nothing_selected():
    assert parse_range("first-last", 0) == []


def test_format_range_round_trips():
    indices = [0, 1, 2, 4, 7]
    assert format_range(indices) == "1-3,5,8"
    assert parse_range(format_range(indices), 8) == indices
