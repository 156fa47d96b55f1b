"""Which components a chooser's search field finds for what the user typed.

A learner following a tutorial knows the name ("IBk", "naive Bayes", "SMOTE"), not the
category WEKA filed it under, and a WEKA user knows WEKA's names; walkthrough 13 (K7)
found the Choose menus could be searched only by opening every category. WEKA 3.9's
"Search:" above its tree matches the class name as typed, anywhere in it; here each of
the names the registry knows (display name, registry name, WEKA and other aliases) is
matched the same way, case-insensitively; and the category too, as WEKA's package path
is ("tree" finds the trees), from its start only: with "r" anywhere in "attribute",
typing "r" offered every attribute filter. Entries whose name starts with the text come
first, then those with a word that starts with it, so "k" offers IBk before "Decision
trees".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from workbench.core.registry import ComponentInfo


@dataclass(frozen=True)
class Found:
    """One component the search found, and the name it was found by where that is not
    in its display name (a user who typed "lenet" sees why "CNN" came up)."""

    info: ComponentInfo
    found_as: str | None = None


def _words_start(name: str, query: str) -> bool:
    """Whether a word of ``name`` (both case-folded) starts with ``query``: "naive" in
    "gaussian naive bayes", "net" in "lenet" no, "rnn" in "rnn (recurrent ...)" yes."""
    return any(name[m.start():].startswith(query) for m in re.finditer(r"\w+", name))


def find_components(infos: Iterable[ComponentInfo], text: str) -> list[Found]:
    """The components one of whose names holds ``text`` (or whose category starts
    with it), best first; none for blank text (the chooser then shows its categories)."""
    query = " ".join(text.split()).casefold()
    if not query:
        return []
    ranked: list[tuple[int, str, str, Found]] = []
    for info in infos:
        names = [info.display_name, info.name, *info.aliases]
        hits = [n for n in names if query in n.casefold()]
        if hits:
            if any(n.casefold().startswith(query) for n in hits):
                rank = 0
            elif any(_words_start(n.casefold(), query) for n in hits):
                rank = 1
            else:
                rank = 2
            shown = query in info.display_name.casefold()
            found = Found(info, None if shown else hits[0])
        elif info.category.casefold().startswith(query):
            rank, found = 3, Found(info)
        else:
            continue
        ranked.append((rank, info.category, info.display_name.casefold(), found))
    return [found for *_, found in sorted(ranked, key=lambda r: r[:3])]
