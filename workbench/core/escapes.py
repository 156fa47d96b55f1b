"""Control characters written with a backslash, as WEKA's option editors show them.

A tab or a line break typed into a one-line field is impossible, and one shown there is
invisible: WEKA's StringToWordVector delimiters ``" \\r\\n\\t.,;:'\\"()?!"`` looked like
a blank followed by punctuation. WEKA's GenericObjectEditor and its command line write
them as ``\\r\\n\\t`` (``Utils.backQuoteChars``) and read them back
(``Utils.unbackQuoteChars``); a parameter declared with ``escapes`` is shown and read the
same way, here and on our command line.
"""

from __future__ import annotations

import re

_SHOWN = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
# What WEKA's unbackQuoteChars reads: the four above and its quote and percent escapes.
_READ = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r", "'": "'", '"': '"', "%": "%"}
_SEQUENCE = re.compile(r"\\(.)", re.DOTALL)


def escaped(text: str) -> str:
    """``text`` with backslash, tab, line feed and carriage return written ``\\\\``,
    ``\\t``, ``\\n`` and ``\\r``: every character visible and typeable in one line."""
    return "".join(_SHOWN.get(ch, ch) for ch in text)


def unescaped(text: str) -> str:
    """``text`` with those sequences (and WEKA's ``\\'``, ``\\"``, ``\\%``) turned back into
    their characters; a backslash before any other character stays as typed."""
    return _SEQUENCE.sub(lambda m: _READ.get(m.group(1), m.group(0)), text)
