"""Quoting a value from a file inside an error message.

Error messages are one line (``path:line:column: what (expected what)``), but a value
from a hostile file may hold line breaks or be megabytes long; every reader quotes
values through ``shown`` so that a message stays one readable line.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def shown(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters (saying how long it was), control
    characters as ``\\xNN`` escapes."""
    if len(text) > limit:
        text = text[:limit] + f"... ({len(text)} characters)"
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


# A line break or tab inside a label or name (a quoted CSV value may hold one) broke a
# table's rows (``workbench info``) and a histogram's axis label in two, its second line
# cut off: written as the ARFF writer writes them, \n, \r, \t.
_LAYOUT_ESCAPES = str.maketrans({"\n": "\\n", "\r": "\\r", "\t": "\\t"})


def one_line(text: str) -> str:
    """``text`` for one line of a table or an axis: its line breaks and tabs as escapes,
    the rest as it is (files and JSON keep them as they are)."""
    return text.translate(_LAYOUT_ESCAPES)
