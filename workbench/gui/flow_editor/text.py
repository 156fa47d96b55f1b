"""Docstrings shown as text: the palette's tooltips and the node dialogs quote the
components' docstrings, which are written in reStructuredText for the API docs; a person
reading a tooltip should see ``.arff.gz``, not two pairs of backquotes around it."""

from __future__ import annotations

import re

_ROLE = re.compile(r":[a-z]+:`([^`]+)`")
_LITERAL = re.compile(r"``(.+?)``")
_INTERPRETED = re.compile(r"`([^`]+)`_{0,2}")
_STRONG = re.compile(r"\*\*(.+?)\*\*")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")


def plain_text(text: str | None) -> str:
    """``text`` without reStructuredText markup (literals, roles, emphasis), its lines
    joined: what a label or tooltip should show."""
    out = " ".join((text or "").split())
    out = _ROLE.sub(r"\1", out)
    out = _LITERAL.sub(r"\1", out)
    out = _INTERPRETED.sub(r"\1", out)
    out = _STRONG.sub(r"\1", out)
    return _EMPHASIS.sub(r"\1", out)


def summary(doc: str | None) -> str:
    """The first paragraph of a docstring, as plain text."""
    return plain_text((doc or "").strip().split("\n\n")[0])
