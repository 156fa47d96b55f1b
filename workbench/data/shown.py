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
