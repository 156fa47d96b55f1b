"""Underlined access keys (``&``) for the entries of a menu built from data.

A menu whose entries come from a registry (the result list's viewers, a plugin's own)
cannot have its letters written by hand. Like KDE's accelerator manager, this gives each
entry a letter no other entry of the menu uses, preferring the first letter of a word
("&Delete result", "Visualize &confusion matrix"), then any letter in the text, so a
keyboard user opens the menu and presses one key. Entries that already have one keep it.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QMenu


def plain_text(text: str) -> str:
    """The text without its access-key marks ("&&" stays a literal "&")."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _marked_key(text: str) -> str | None:
    """The letter ``text`` marks with a single ``&``, lower case, if any."""
    i = 0
    while i < len(text) - 1:
        if text[i] == "&":
            if text[i + 1] != "&":
                return text[i + 1].lower() if text[i + 1].isalnum() else None
            i += 1
        i += 1
    return None


def with_access_keys(texts: Iterable[str]) -> list[str]:
    """``texts`` (as Qt writes them: "&&" a literal "&") with an ``&`` before a letter
    that no other text uses, where one is free: first letters of words first, then any
    other letter or digit, in order."""
    texts = list(texts)
    used = {k for k in (_marked_key(t) for t in texts) if k is not None}
    result = []
    for text in texts:
        if not text or _marked_key(text) is not None:
            result.append(text)
            continue
        literal = text   # Qt's text: a "&&" in it is a literal "&", and stays one
        starts = [i for i, c in enumerate(literal)
                  if c.isalnum() and (i == 0 or not literal[i - 1].isalnum())]
        others = [i for i, c in enumerate(literal) if c.isalnum() and i not in starts]
        for i in starts + others:
            if literal[i].lower() not in used:
                used.add(literal[i].lower())
                literal = f"{literal[:i]}&{literal[i:]}"
                break
        result.append(literal)
    return result


def add_access_keys(menu: QMenu) -> None:
    """Give the entries of ``menu`` (not its submenus' entries) access keys."""
    actions = [a for a in menu.actions() if not a.isSeparator()]
    for action, text in zip(actions, with_access_keys(a.text() for a in actions),
                            strict=True):
        action.setText(text)
