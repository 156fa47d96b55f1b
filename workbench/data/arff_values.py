"""Turning one ARFF value token into the float a ``Dataset`` stores, per attribute type.

One decoder per attribute keeps what the column accumulates while rows are read (the
string pool, the relational bags) and hands back the finished ``Attribute`` at the end.
A value that does not fit raises ``BadValue`` with the reason and what was expected; the
row parser adds the line and column.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from workbench.data.dataset import Attribute, AttributeType
from workbench.data.dates import DEFAULT_DATE_FORMAT, DateError, date_format
from workbench.data.shown import shown

MISSING = math.nan


class BadValue(Exception):
    """A value that does not fit its attribute; internal, becomes a DataFormatError."""

    def __init__(self, reason: str, expected: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.expected = expected


def parse_number(text: str) -> float:
    """A numeric ARFF value: Java's number syntax as Python reads it; NaN is missing."""
    try:
        value = float(text)
    except ValueError:
        raise BadValue(f"'{shown(text)}' is not a number", "a number or ? for missing"
                       ) from None
    if "_" in text:
        raise BadValue(f"'{shown(text)}' is not a number", "a number or ? for missing")
    return value


def _listing(values: tuple[str, ...], limit: int = 12) -> str:
    listed = ", ".join(shown(v, 30) for v in values[:limit])
    return listed + (f", ... ({len(values)} values)" if len(values) > limit else "")


class Decoder(ABC):
    """Reads the values of one attribute and remembers what the column needs."""

    def __init__(self, attribute: Attribute) -> None:
        self.attribute = attribute
        self.implicit_zero = False  # a sparse row left this column out (code 0)

    @abstractmethod
    def convert(self, text: str) -> float:
        """The stored float for a value token (``?`` has been handled by the caller)."""

    def finish(self) -> Attribute:
        return self.attribute


class NumericDecoder(Decoder):
    def convert(self, text: str) -> float:
        return parse_number(text)


class NominalDecoder(Decoder):
    def __init__(self, attribute: Attribute) -> None:
        super().__init__(attribute)
        self.codes = {label: float(i) for i, label in enumerate(attribute.values)}

    def convert(self, text: str) -> float:
        code = self.codes.get(text)
        if code is None:
            raise BadValue(f"undeclared value '{shown(text)}' for nominal attribute "
                           f"'{self.attribute.name}'",
                           f"one of {_listing(self.attribute.values)}"
                           if self.attribute.values else "no values: none are declared")
        return code


class StringDecoder(Decoder):
    def __init__(self, attribute: Attribute) -> None:
        super().__init__(attribute)
        self.pool: dict[str, float] = {s: float(i) for i, s in enumerate(attribute.values)}

    def convert(self, text: str) -> float:
        code = self.pool.get(text)
        if code is None:
            code = self.pool[text] = float(len(self.pool))
        return code

    def finish(self) -> Attribute:
        if self.implicit_zero and not self.pool:
            self.pool[""] = 0.0   # code 0 must name a string
        return self.attribute.with_values(self.pool)


class DateDecoder(Decoder):
    def __init__(self, attribute: Attribute) -> None:
        super().__init__(attribute)
        self.format = date_format(attribute.date_format or DEFAULT_DATE_FORMAT)
        self.cache: dict[str, float] = {}

    def convert(self, text: str) -> float:
        value = self.cache.get(text)
        if value is None:
            try:
                value = self.cache[text] = self.format.parse(text)
            except DateError as exc:
                raise BadValue(f"bad date for attribute '{shown(self.attribute.name)}': "
                               f"{exc}", f"a date like '{shown(self.format.format(0))}'"
                               ) from None
        return value


BagReader = Callable[[str, list["Decoder"]], np.ndarray]


class RelationalDecoder(Decoder):
    """Each value is an ARFF data section of its own, read with the nested header."""

    def __init__(self, attribute: Attribute, read_bag: BagReader) -> None:
        super().__init__(attribute)
        self.nested = [make_decoder(a, read_bag) for a in attribute.relation]
        self.read_bag = read_bag
        self.bags: list[np.ndarray] = []

    def convert(self, text: str) -> float:
        self.bags.append(self.read_bag(text, self.nested))
        return float(len(self.bags) - 1)

    def finish(self) -> Attribute:
        if self.implicit_zero and not self.bags:
            self.bags.append(np.empty((0, len(self.nested))))
        return replace(self.attribute, relation=tuple(d.finish() for d in self.nested),
                       bags=tuple(self.bags))


def make_decoder(attribute: Attribute, read_bag: BagReader) -> Decoder:
    kind = attribute.type
    if kind is AttributeType.NUMERIC:
        return NumericDecoder(attribute)
    if kind is AttributeType.NOMINAL:
        return NominalDecoder(attribute)
    if kind is AttributeType.STRING:
        return StringDecoder(attribute)
    if kind is AttributeType.DATE:
        return DateDecoder(attribute)
    return RelationalDecoder(attribute, read_bag)
