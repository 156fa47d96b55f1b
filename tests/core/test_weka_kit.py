"""The core/weka kit: Java's behaviour in one place for every layer."""

from __future__ import annotations

import pytest

from workbench.core.weka.javaformat import java_double_text
from workbench.core.weka.javarandom import JavaRandom


@pytest.mark.parametrize(("value", "java"), [
    (0.001, "0.001"), (123.5, "123.5"), (9999999.0, "9999999.0"), (1e7, "1.0E7"),
    (5e-4, "5.0E-4"), (1.2345e88, "1.2345E88"), (-0.0, "-0.0"), (0.0, "0.0"),
    (-2.5e-7, "-2.5E-7"), (float("nan"), "NaN"), (float("-inf"), "-Infinity"),
])
def test_doubles_read_as_javas_double_to_string_writes_them(value, java):
    assert java_double_text(value) == java


def test_java_random_gives_javas_first_ints():
    # new java.util.Random(42).nextInt() and new Random(0).nextInt(), from a JVM
    assert JavaRandom(42).next_bits(32) == -1170105035
    assert JavaRandom(0).next_bits(32) == -1155484576
