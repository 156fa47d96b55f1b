import warnings

import numpy as np
import pytest

from workbench.core.errors import ParameterError, WorkbenchWarning
from workbench.filters.base import FilterError
from workbench.filters.expression import AddExpression, parse_expression


def test_weka_expression_appends_an_attribute(iris):
    out = AddExpression(expression="(a1 - a2) / a3 ^ 2 * -1",
                        attribute_name="ratio").fit_transform(iris)
    X = iris.X
    assert out.attributes[-1].name == "ratio" and out.class_index == iris.class_index
    assert np.allclose(out.X[:, -1], -((X[:, 0] - X[:, 1]) / X[:, 2] ** 2))


def test_precedence_and_associativity():
    from workbench.data.dataset import Attribute, Dataset

    ds = Dataset("d", [Attribute.numeric("x")], np.array([[2.0]]))
    cases = {"1 + 2 * 3": 7, "2 ^ 3 ^ 2": 512, "-2 ^ 2": 4, "10 - 4 - 3": 3,
             "8 / 4 / 2": 1, "sqrt(a1 * 8)": 4, "abs(-a1) + floor(2.7)": 4, "1e2 + .5": 100.5}
    for text, expected in cases.items():
        out = AddExpression(expression=text).fit_transform(ds)
        assert out.X[0, 1] == pytest.approx(expected), text


def test_bad_values_become_missing(small):
    with pytest.warns(WorkbenchWarning):
        out = AddExpression(expression="log(a1 - 3) / (a1 - 4)").fit_transform(small)
    column = out.X[:, -1]
    assert np.isnan(column[:4]).all()  # log of <= 0, missing a1, division by zero
    assert column[4] == pytest.approx(np.log(2.0))


@pytest.mark.parametrize("text, word", [
    ("a1 + * 2", "unexpected '\\*' at column 6"), ("(a1", "expected '\\)'"),
    ("a1 a2", "expected an operator"), ("__import__(a1)", "unknown name '__import__'"),
    ("a1 ; 2", "cannot read ';' at column 4"), ("", "empty"), ("a0", "numbered from a1")])
def test_syntax_errors_say_where(text, word):
    with pytest.raises(ParameterError, match=word):
        parse_expression(text)


def test_references_are_checked_against_the_data(iris, small):
    with pytest.raises(ParameterError, match="a9 at column 1 does not exist"):
        AddExpression(expression="a9").fit(iris)
    with pytest.raises(FilterError, match="a2 \\('b'\\) is nominal"):
        AddExpression(expression="a2 + 1").fit(small)


def test_name_clash_and_empty_data(iris):
    out = AddExpression(expression="a1", attribute_name="class").fit_transform(iris.header())
    assert out.attributes[-1].name == "class_2" and out.num_instances == 0


@pytest.mark.parametrize("text", ["(" * 5000 + "a1" + ")" * 5000, "-" * 5000 + "a1",
                                  "a1^" * 3000 + "a1", "sqrt(" * 500 + "a1" + ")" * 500])
def test_nesting_past_the_limit_is_a_parameter_error(text):
    """Thousands of nested parentheses overflowed the parser's stack (issue 23)."""
    from workbench.filters.expression import MAX_NESTING

    with pytest.raises(ParameterError, match=f"nested more than {MAX_NESTING}") as info:
        parse_expression(text)
    assert len(str(info.value)) < 300 and "\n" not in str(info.value)


def test_nesting_up_to_the_limit_still_computes():
    from workbench.data.dataset import Attribute, Dataset
    from workbench.filters.expression import MAX_NESTING

    ds = Dataset("d", [Attribute.numeric("x")], np.array([[3.0]]))
    text = "(" * (MAX_NESTING - 1) + "a1 + 1" + ")" * (MAX_NESTING - 1)
    assert AddExpression(expression=text).fit_transform(ds).X[0, 1] == 4.0


def test_a_long_flat_chain_evaluates_without_recursion():
    """A sum of 20 000 terms is a tree 20 000 deep: evaluated with an explicit stack."""
    from workbench.data.dataset import Attribute, Dataset

    ds = Dataset("d", [Attribute.numeric("x")], np.array([[0.5], [2.0]]))
    out = AddExpression(expression=" + ".join(["a1"] * 20_000) + " - 1").fit_transform(ds)
    assert out.X[:, 1].tolist() == [9999.0, 39999.0]


def test_an_attribute_number_of_thousands_of_digits_is_out_of_range(iris):
    with pytest.raises(ParameterError, match="does not exist"):
        AddExpression(expression="a" + "9" * 5000).fit(iris)


def test_results_lost_to_overflow_or_undefined_maths_are_counted_once(small, iris):
    """9^9^9^9 or exp(1000) made every value missing without a word; a missing input
    giving a missing result is expected and not counted."""
    with pytest.warns(WorkbenchWarning) as caught:
        AddExpression(expression="exp(a1 * 1000)", attribute_name="big").fit_transform(iris)
    assert [str(w.message) for w in caught] == [
        "150 of 150 values of big are missing: the expression exp(a1 * 1000) overflowed "
        "or was undefined there"]
    with pytest.warns(WorkbenchWarning, match=r"^3 of 5 values of expression are"):
        AddExpression(expression="log(a1 - 3) / (a1 - 4)").fit_transform(small)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        AddExpression(expression="a1 * 2").fit_transform(small)   # a1 has a gap: fine


def test_an_expression_that_ends_too_soon_says_so_plainly():
    with pytest.raises(ParameterError, match=r"'a1\*\+': it ends too soon at column 5 "
                                             r"\(expected a number"):
        parse_expression("a1*+")
