"""Nominal labels under a Preprocess histogram never run into each other: each is cut
to the room between two bars, and where even that is too small only every k-th bar is
labelled (walkthrough 10: "AugustSepte...Octob..Novem..Decem..." on seaice's Month)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from PySide6.QtGui import QImage, QPainter

from workbench.data.dataset import Attribute, Dataset
from workbench.gui.explorer.histogram import ClassHistogram

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def _drawn_label_rects(plot: ClassHistogram) -> list[tuple[float, float, str]]:
    """(left, right, text) of each label as pyqtgraph's axis draws it."""
    axis = plot.getAxis("bottom")
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    text_specs = specs[2] if specs else []
    return sorted((rect.left(), rect.right(), text) for rect, _flags, text in text_specs
                  if text)


def _months(count: int = 12, repeat: int = 1) -> Dataset:
    labels = [m * repeat for m in MONTHS[:count]]
    return Dataset("months", [Attribute.nominal("Month", labels)],
                   np.arange(count, dtype=float).reshape(-1, 1))


@pytest.mark.parametrize(("width", "repeat"), [(600, 1), (420, 1), (300, 1), (900, 3),
                                               (200, 1), (180, 1), (160, 1)])
def test_no_two_drawn_labels_overlap(qtbot, width, repeat):
    plot = ClassHistogram()
    qtbot.addWidget(plot)
    plot.resize(width, 200)
    plot.show()
    qtbot.waitExposed(plot)
    plot.show_attribute(_months(repeat=repeat), 0, None)
    qtbot.wait(50)
    rects = _drawn_label_rects(plot)
    assert rects, "some labels are drawn"
    for (_l1, right, first), (left, _r2, second) in itertools.pairwise(rects):
        assert right < left, f"'{first}' runs into '{second}' at width {width}"
    # and every label chosen is drawn: none reaches past an end of the axis, where
    # pyqtgraph leaves it out (the first month went missing under small plots)
    assert [text for _l, _r, text in rects] == [t for t in plot.tick_texts if t]
    assert rects[0][2].startswith("J")


def test_labels_come_back_whole_when_there_is_room(qtbot):
    plot = ClassHistogram()
    qtbot.addWidget(plot)
    plot.resize(300, 200)
    plot.show()
    plot.show_attribute(_months(), 0, None)
    assert any(t == "" or t.endswith("\u2026") for t in plot.tick_texts)
    plot.resize(1800, 300)
    qtbot.waitUntil(lambda: plot.tick_texts == MONTHS, timeout=10_000)


def test_a_line_break_in_a_label_is_drawn_as_an_escape_on_one_line(qtbot):
    """A quoted CSV value may hold a line break: the axis label wrapped to two lines and
    the second was cut off (walkthrough csv F12); it reads as the ARFF writer writes it."""
    data = Dataset("quoted", [Attribute.nominal("note", ["line one\nline two", "plain"])],
                   np.array([[0.0], [1.0]]))
    plot = ClassHistogram()
    qtbot.addWidget(plot)
    plot.resize(1200, 300)
    plot.show()
    qtbot.waitExposed(plot)
    plot.show_attribute(data, 0, None)
    qtbot.waitUntil(lambda: "line one\\nline two" in plot.tick_texts, timeout=10_000)
    assert not any("\n" in text for _l, _r, text in _drawn_label_rects(plot))
