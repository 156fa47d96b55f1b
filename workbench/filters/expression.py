"""AddExpression: a new numeric attribute computed from others, e.g. ``(a1 - a2) / a3``.

The expression is read by a small recursive-descent parser into a tree and evaluated
with NumPy over whole columns. Nothing is ever passed to ``eval``: a flow file or a
command line from a stranger can only compute arithmetic. The language is WEKA's:
attribute references ``a1``, ``a2``... (1-based), numbers, ``+ - * /``, ``^`` for powers,
parentheses, and the functions ``log exp sqrt abs floor ceil rint sin cos tan``.
A missing operand, a division by zero or a log of a negative gives a missing value.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from workbench.core.errors import ParameterError, WorkbenchWarning
from workbench.core.params import Param
from workbench.data.dataset import Attribute, AttributeType, Dataset
from workbench.data.shown import shown
from workbench.filters.base import Filter, FilterError, dense, unique_name, with_values

_FUNCTIONS = {
    "log": np.log, "exp": np.exp, "sqrt": np.sqrt, "abs": np.abs, "floor": np.floor,
    "ceil": np.ceil, "rint": np.rint, "sin": np.sin, "cos": np.cos, "tan": np.tan,
}
# Deepest nesting of parentheses, function calls, unary signs and powers the parser
# follows. Each level costs a few Python frames, so thousands of nested parentheses
# would overflow the stack; a real formula never comes near this.
MAX_NESTING = 100
_HUGE_INDEX = 1 << 62   # stands for an attribute number too long to be one
_TOKEN = re.compile(r"\s*(?:(?P<number>\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)"
                    r"|(?P<name>[A-Za-z_]\w*)|(?P<op>[-+*/^(),]))")


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    column: int


def _tokens(text: str) -> list[_Token]:
    found, position = [], 0
    stripped_end = len(text.rstrip())
    while position < stripped_end:
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            column = position + len(text[position:]) - len(text[position:].lstrip()) + 1
            raise ParameterError(f"expression '{shown(text)}': cannot read "
                                 f"'{text[column - 1]}' at column {column}")
        kind = match.lastgroup or "op"
        found.append(_Token(kind, match.group(kind), match.start(kind) + 1))
        position = match.end()
    found.append(_Token("end", "", len(text) + 1))
    return found


class _Parser:
    """Grammar: sum := product (('+'|'-') product)*; product := power (('*'|'/') power)*;
    power := unary ('^' power)?; unary := '-' unary | atom; atom := number | aN |
    function '(' sum ')' | '(' sum ')'."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.at = 0
        self.depth = 0

    def _enter(self) -> None:
        """One level deeper; refuses past ``MAX_NESTING`` instead of overflowing."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            token = self._peek()
            raise ParameterError(f"expression '{shown(self.text)}' is nested more than "
                                 f"{MAX_NESTING} levels deep at column {token.column} "
                                 f"(expected a simpler formula)")

    def parse(self) -> tuple[Any, ...]:
        tree = self._sum()
        if self._peek().kind != "end":
            self._fail("expected an operator or the end")
        return tree

    def _peek(self) -> _Token:
        return self.tokens[self.at]

    def _take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def _fail(self, why: str) -> None:
        token = self._peek()
        what = f"unexpected '{shown(token.text)}'" if token.text else "it ends too soon"
        raise ParameterError(f"expression '{shown(self.text)}': {what} at column "
                             f"{token.column} ({why})")

    def _sum(self) -> tuple[Any, ...]:
        tree = self._product()
        while self._peek().text in ("+", "-"):
            tree = (self._take().text, tree, self._product())
        return tree

    def _product(self) -> tuple[Any, ...]:
        tree = self._power()
        while self._peek().text in ("*", "/"):
            tree = (self._take().text, tree, self._power())
        return tree

    def _power(self) -> tuple[Any, ...]:
        base = self._unary()
        if self._peek().text == "^":
            self._take()
            self._enter()
            exponent = self._power()
            self.depth -= 1
            return ("^", base, exponent)
        return base

    def _unary(self) -> tuple[Any, ...]:
        sign = self._peek().text
        if sign in ("-", "+"):
            self._take()
            self._enter()
            operand = self._unary()
            self.depth -= 1
            return ("neg", operand) if sign == "-" else operand
        return self._atom()

    def _group(self) -> tuple[Any, ...]:
        """The sum inside parentheses (or a function's), one level deeper."""
        self._enter()
        inner = self._sum()
        self.depth -= 1
        if self._peek().text != ")":
            self._fail("expected ')'")
        self._take()
        return inner

    def _atom(self) -> tuple[Any, ...]:
        token = self._peek()
        if token.kind == "number":
            self._take()
            return ("num", float(token.text))
        if token.kind == "name":
            self._take()
            lowered = token.text.lower()
            if re.fullmatch(r"a[0-9]+", lowered, re.ASCII):
                # an index of thousands of digits is out of range, not an int() crash
                index = int(lowered[1:]) - 1 if len(lowered) < 19 else _HUGE_INDEX
                if index < 0:
                    raise ParameterError(f"expression '{shown(self.text)}': attributes are "
                                         f"numbered from a1 (column {token.column})")
                return ("attr", index, token.column)
            if lowered in _FUNCTIONS:
                if self._peek().text != "(":
                    self._fail(f"expected '(' after {token.text}")
                self._take()
                return ("call", lowered, self._group())
            raise ParameterError(
                f"expression '{shown(self.text)}': unknown name '{shown(token.text)}' at column "
                f"{token.column} (use a1, a2, ... or one of {', '.join(_FUNCTIONS)})")
        if token.text == "(":
            self._take()
            return self._group()
        self._fail("expected a number, an attribute a1, a2, ..., a function or '('")
        raise AssertionError  # _fail always raises


def parse_expression(text: str) -> tuple[Any, ...]:
    """The expression as a tree of tuples; raises ``ParameterError`` saying where."""
    if not text.strip():
        raise ParameterError("the expression is empty (expected e.g. a1 * 2 + a3)")
    return _Parser(text).parse()


def _references(tree: tuple[Any, ...]) -> list[tuple[int, int]]:
    """Every (attribute index, column) the tree reads, without recursion: a long chain
    such as ``a1+a1+...+a1`` makes a tree as deep as it is long."""
    found, stack = [], [tree]
    while stack:
        node = stack.pop()
        if node[0] == "attr":
            found.append((node[1], node[2]))
        else:
            stack.extend(reversed([p for p in node[1:] if isinstance(p, tuple)]))
    return found


_BINARY = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide, "^": np.power}


def _evaluate(tree: tuple[Any, ...], X: np.ndarray) -> np.ndarray | float:
    """The tree's value over the rows of ``X``, in post-order with an explicit stack (a
    long chain of operators makes a deep tree; recursion would overflow on it)."""
    values: list[Any] = []
    stack: list[tuple[tuple[Any, ...], bool]] = [(tree, False)]
    while stack:
        node, ready = stack.pop()
        op = node[0]
        if op == "num":
            values.append(node[1])
        elif op == "attr":
            values.append(X[:, node[1]])
        elif not ready:
            stack.append((node, True))
            children = [node[2]] if op == "call" else list(node[1:])
            stack.extend((child, False) for child in reversed(children))
        elif op == "neg":
            values.append(-values.pop())
        elif op == "call":
            values.append(_FUNCTIONS[node[1]](values.pop()))
        else:
            right = values.pop()
            values.append(_BINARY[op](values.pop(), right))
    return values.pop()


class AddExpression(Filter):
    """Appends a numeric attribute computed from an arithmetic expression over a1, a2, ...

    WEKA's syntax: ``(a1 - a2) / a3``, ``a1^2``, ``log(a4)``. Non-finite results (a
    division by zero, the log of a negative) become missing values.
    """

    name = "add-expression"
    display_name = "AddExpression"
    aliases = ("AddExpression",)
    expression = Param.text("a1", "the formula, over attributes a1, a2, ... (1-based)",
                            letter="E")
    attribute_name = Param.text("expression", "name of the new attribute", letter="N")

    def _fit(self, data: Dataset) -> None:
        self._check(data)

    def _check(self, data: Dataset) -> tuple[Any, ...]:
        tree = parse_expression(self.expression)
        for index, column in _references(tree):
            if index >= data.num_attributes:
                named = f"a{index + 1}" if index < _HUGE_INDEX else "the attribute"
                raise ParameterError(f"expression '{shown(self.expression)}': {named} at "
                                     f"column {column} does not exist (there are "
                                     f"{data.num_attributes} attributes)")
            attribute = data.attributes[index]
            if attribute.type not in (AttributeType.NUMERIC, AttributeType.DATE):
                raise FilterError(f"{self.title}: a{index + 1} ('{attribute.name}') is "
                                  f"{attribute.type}; expressions use numeric attributes")
        return tree

    def _transform(self, data: Dataset) -> Dataset:
        tree = self._check(data)
        X = dense(data)
        with np.errstate(all="ignore"):
            values = np.broadcast_to(np.asarray(_evaluate(tree, X), dtype=np.float64),
                                     (X.shape[0],)).copy()
        undefined = ~np.isfinite(values)
        values[undefined] = np.nan
        name = unique_name(self.attribute_name, {a.name for a in data.attributes})
        # A missing input gives a missing result, as expected; one from present inputs
        # (an overflow, log(-1), 1/0) would otherwise pass unnoticed.
        given = np.ones(X.shape[0], dtype=bool)
        for index, _ in _references(tree):
            given &= ~np.isnan(X[:, index])
        lost = int(np.count_nonzero(undefined & given))
        if lost:
            warnings.warn(f"{lost} of {X.shape[0]} values of {name} are missing: the "
                          f"expression {shown(self.expression)} overflowed or was "
                          f"undefined there", WorkbenchWarning, stacklevel=2)
        return with_values(data, np.c_[X, values], [*data.attributes, Attribute.numeric(name)])

    def _describe(self) -> str:
        return f"Added '{self.attribute_name}' = {self.expression}"
