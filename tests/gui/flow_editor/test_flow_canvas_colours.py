"""The canvas's colours read and tell apart (accessibility walkthrough M4, L1).

Node titles are white on their category's colour, and the palette writes its category
headings in those colours: both are normal-size text, for which WCAG AA asks 4.5:1 (the
DataSinks teal gave 2.3:1, the Evaluation orange 2.4:1). Ports that meet on one node
must differ by more than a hue a deuteranope cannot see (a trainingSet input and a
batchClassifier output were one colour to them), and a blocked node's badge by more than
amber against a cancelled one's grey."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette

from workbench.flow import Flow, NodeState, Status
from workbench.flow.nodes import all_node_types
from workbench.flow.nodes.base import CATEGORIES
from workbench.gui.flow_editor import items
from workbench.gui.flow_editor.palette import heading_colour
from workbench.gui.widgets.colours import contrast_ratio

AA = 4.5


@pytest.mark.parametrize("category", [*CATEGORIES, "a plugin's own"])
def test_node_titles_read_on_their_header(category):
    header = items.category_colour(category)
    assert contrast_ratio(QColor(items.HEADER_TEXT), header) >= AA, header.name()


def _palette(base: str, text: str) -> QPalette:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Base, QColor(base))
    palette.setColor(QPalette.ColorRole.Text, QColor(text))
    return palette


@pytest.mark.parametrize("base, text", [("#ffffff", "#000000"), ("#2b2b2b", "#f0f0f0"),
                                        ("#000000", "#ffffff")],
                         ids=["light", "dark", "high contrast dark"])
def test_category_headings_read_in_the_palette(make_editor, base, text):
    palette = _palette(base, text)
    for category in CATEGORIES:
        colour = heading_colour(category, palette)
        assert contrast_ratio(colour, QColor(base)) >= AA, (category, colour.name())
    # and on the list as the editor shows it
    editor = make_editor()
    tree = editor.node_palette.tree
    back = tree.palette().color(QPalette.ColorRole.Base)
    for category, group in editor.node_palette.groups.items():
        colour = group.foreground(0).color()
        assert contrast_ratio(colour, back) >= AA, (category, colour.name())


def test_category_headers_stay_apart():
    colours = [items.category_colour(c) for c in CATEGORIES]
    for i, one in enumerate(colours):
        for other in colours[i + 1:]:
            assert _delta_e(one, other) >= 15, (one.name(), other.name())


# Machado, Oliveira and Fernandes (2009), deuteranopia at severity 1, in linear RGB
_DEUTERANOPIA = ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                 (-0.011820, 0.042940, 0.968881))


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = [t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116 for t in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def _rgb(colour: QColor, matrix=None) -> tuple[float, float, float]:
    rgb = tuple(_linear(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    if matrix is None:
        return rgb
    return tuple(min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True))))
                 for row in matrix)


def _delta_e(one: QColor, other: QColor, matrix=None) -> float:
    """CIE76 colour difference, as seen by a deuteranope with ``_DEUTERANOPIA``."""
    return math.dist(_lab(_rgb(one, matrix)), _lab(_rgb(other, matrix)))


def test_ports_that_meet_on_a_node_differ_by_shape_or_for_a_deuteranope(registry):
    alike = set()
    for node_type in all_node_types(registry):
        types = sorted({p.type for p in (*node_type.inputs, *node_type.outputs)})
        for i, one in enumerate(types):
            for other in types[i + 1:]:
                (c1, shape1), (c2, shape2) = items.port_style(one), items.port_style(other)
                if shape1 == shape2 and _delta_e(c1, c2, _DEUTERANOPIA) < 15:
                    alike.add((node_type.name, one, other))
    assert not alike


def _badge_glyph(registry, status: Status) -> list[tuple[int, int]]:
    """The white pixels of a node's badge: its glyph, whatever the badge's colour."""
    node = Flow(registry).add_node("TextViewer")
    item = items.NodeItem(node)
    item.set_state(NodeState(status))
    image = QImage(24, 24, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.black)
    painter = QPainter(image)
    item._paint_badge(painter, QRectF(4, 4, 16, 16))
    painter.end()
    return [(x, y) for x in range(24) for y in range(24)
            if QColor(image.pixel(x, y)).lightnessF() > 0.9]


def test_blocked_and_cancelled_badges_differ_by_their_glyph(registry):
    blocked = _badge_glyph(registry, Status.BLOCKED)
    cancelled = _badge_glyph(registry, Status.CANCELLED)
    assert blocked and cancelled and blocked != cancelled
