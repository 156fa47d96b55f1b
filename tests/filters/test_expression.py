import numpy as np
import pytest

from workbench.core.errors import ParameterError
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
