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


def _candidates(text: str) -> list[int]:
    """Where ``text`` may take its key, in order of preference: the first letters of
    words, then any other letter or digit."""
    starts = [i for i, c in enumerate(text)
              if c.isalnum() and (i == 0 or not text[i - 1].isalnum())]
    return starts + [i for i, c in enumerate(text) if c.isalnum() and i not in starts]


def with_access_keys(texts: Iterable[str]) -> list[str]:
    """``texts`` (as Qt writes them: "&&" a literal "&") with an ``&`` before a letter
    that no other text uses, where one is free: first letters of words first, then any
    other letter or digit, in order. A letter that is the last one free to a later
    text is left to it where another will do: "Visualize tree" took the "a" that
    "Compare selected results", further down, had left, and Compare went without."""
    texts = list(texts)
    used = {k for k in (_marked_key(t) for t in texts) if k is not None}
    open_texts = [i for i, t in enumerate(texts) if t and _marked_key(t) is None]
    letters = {i: [texts[i][p].lower() for p in _candidates(texts[i])] for i in open_texts}
    result = list(texts)
    for order, index in enumerate(open_texts):
        text = texts[index]   # Qt's text: a "&&" in it is a literal "&", and stays one
        free = [p for p in _candidates(text) if text[p].lower() not in used]
        if not free:
            continue
        last_of_later = {next(iter(left)) for left in
                         ({c for c in letters[j] if c not in used}
                          for j in open_texts[order + 1:]) if len(left) == 1}
        spared = [p for p in free if text[p].lower() not in last_of_later]
        place = (spared or free)[0]
        used.add(text[place].lower())
        result[index] = f"{text[:place]}&{text[place:]}"
    return result


def add_access_keys(menu: QMenu) -> None:
    """Give the entries of ``menu`` (not its submenus' entries) access keys."""
    actions = [a for a in menu.actions() if not a.isSeparator()]
    for action, text in zip(actions, with_access_keys(a.text() for a in actions),
                            strict=True):
        action.setText(text)
