"""Names under the columns of the Visualize tab's scatter-plot matrix.

A column of a 16-attribute matrix at 1280 x 800 is about 35 pixels wide: whole names
such as "pixel_14_0" do not fit, and cut to the width they get they all read "pi…", so
the columns cannot be told apart. Here the labels are made readable, in this order:

1. the whole names, when each fits under its column;
2. the part the names have in common up to a separator ("pixel_14_") said once, beside
   the axis, and each column named by the rest ("0", "1", ... "15");
3. those labels on two alternating lines, so each has the width of two columns, cut
   with an ellipsis only if even that is too narrow.

The whole name of each column is also its tooltip (``VisualizeTab``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics

SEPARATORS = "_-. :/"  # where a shared prefix may end: "pixel_14_", "petal.", "sensor-"


@dataclass(frozen=True)
class ColumnLabels:
    """What the matrix's bottom axis shows: one text per column, the shared ``prefix``
    said once ("" for none), and whether the texts alternate between two lines."""

    texts: list[str]
    prefix: str = ""
    staggered: bool = False

    def ticks(self) -> list[tuple[float, str]]:
        """The axis ticks: column ``c``'s text under its middle (``c + 0.5``), every
        other one on the second line when staggered."""
        return [(c + 0.5, f"\n{text}" if self.staggered and c % 2 else text)
                for c, text in enumerate(self.texts)]

    @property
    def lines(self) -> int:
        """Lines of text under the axis: the labels' one or two, and the prefix's."""
        return (2 if self.staggered else 1) + (1 if self.prefix else 0)


def shared_prefix(names: Sequence[str]) -> str:
    """The start all ``names`` share, up to and including its last separator
    ("pixel_14_" of "pixel_14_0".."pixel_14_15", not "pixel_14_1" of "pixel_14_1" and
    "pixel_14_10"); "" when there is none, fewer than two names, or a name would be left
    with nothing."""
    if len(names) < 2:
        return ""
    first, last = min(names), max(names)  # what these two share, all the others do
    length = next((i for i, (a, b) in enumerate(zip(first, last, strict=False)) if a != b),
                  min(len(first), len(last)))
    common = first[:length]
    cut = max(common.rfind(s) for s in SEPARATORS) + 1
    prefix = common[:cut]
    if not prefix or any(len(name) == len(prefix) for name in names):
        return ""
    return prefix


def column_labels(names: Sequence[str], room: float, metrics: QFontMetrics) -> ColumnLabels:
    """Readable labels for columns ``room`` pixels wide each (see the module docstring)."""

    def fits(texts: Sequence[str], width: float) -> bool:
        return all(metrics.horizontalAdvance(t) <= width for t in texts)

    if fits(names, room):
        return ColumnLabels(list(names))
    prefix = shared_prefix(names)
    texts = [name[len(prefix):] for name in names]
    if fits(texts, room):
        return ColumnLabels(texts, prefix)
    # Staggered, a label may reach halfway into each neighbour: twice the room.
    wide = int(2 * room)
    return ColumnLabels([metrics.elidedText(t, Qt.TextElideMode.ElideRight, wide)
                         for t in texts], prefix, staggered=len(texts) > 1)
