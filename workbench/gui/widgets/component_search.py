"""Which components a chooser's search field finds for what the user typed.

A learner following a tutorial knows the name ("IBk", "naive Bayes", "SMOTE"), not the
category WEKA filed it under, and a WEKA user knows WEKA's names; walkthrough 13 (K7)
found the Choose menus could be searched only by opening every category. WEKA 3.9's
"Search:" above its tree matches the class name as typed, anywhere in it; here each of
the names the registry knows (display name, registry name, WEKA and other aliases) is
matched the same way, case-insensitively and with spaces, dashes, dots and underscores
left out of both; and the category too, as WEKA's package path is ("tree" finds the
trees), from its start only: with an "r" in "attribute", typing "r" offered every
attribute filter. Entries one of whose names starts with the text come first, then
those with a word that starts with it, then the rest, so "k" offers IBk first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from workbench.classifiers.weka_names import NEAREST
from workbench.core.registry import ComponentInfo


@dataclass(frozen=True)
class Found:
    """One component the search found, and the name it was found by where that is not
    in its display name (a user who typed "lenet" sees why "CNN" came up)."""

    info: ComponentInfo
    found_as: str | None = None


_SEPARATORS = re.compile(r"[\s_.\-]+")


def _squashed(text: str) -> str:
    """``text`` case-folded without spaces, dashes, dots and underscores, so that
    "multilayer perceptron" finds MultilayerPerceptron and "naivebayes" finds
    "Gaussian naive Bayes": WEKA's names run the words together, ours space them."""
    return _SEPARATORS.sub("", text.casefold())


def _word_starts(name: str, query: str) -> bool:
    """Whether ``name`` has a word from which on it starts with ``query`` (squashed):
    "naive" in "Gaussian naive Bayes", "net" not in "LeNet"."""
    return any(_squashed(name[m.start():]).startswith(query)
               for m in re.finditer(r"\w+", name))


def find_components(infos: Sequence[ComponentInfo], text: str) -> list[Found]:
    """The components one of whose names holds ``text`` (or whose category starts
    with it), best first; none for blank text (the chooser then shows its categories)."""
    query = _squashed(text)
    if not query:
        return []
    ranked: list[tuple[int, str, str, Found]] = []
    for info in infos:
        names = [info.display_name, info.name, *info.aliases]
        hits = [n for n in names if query in _squashed(n)]
        if hits:
            if any(_squashed(n).startswith(query) for n in hits):
                rank = 0
            elif any(_word_starts(n, query) for n in hits):
                rank = 1
            else:
                rank = 2
            shown = query in _squashed(info.display_name)
            found = Found(info, None if shown else hits[0])
        elif _squashed(info.category).startswith(query):
            rank, found = 3, Found(info)
        else:
            continue
        ranked.append((rank, info.category, info.display_name.casefold(), found))
    ranked += _nearest(infos, query, {r[3].info.name for r in ranked}, text.strip())
    return [found for *_, found in sorted(ranked, key=lambda r: r[:3])]


def _nearest(infos: Iterable[ComponentInfo], query: str, listed: set[str], typed: str
             ) -> list[tuple[int, str, str, Found]]:
    """Our learner nearest to a WEKA learner we do not have, last: a WEKA user types
    "j48" and the command line already answers "did you mean decision-tree" for it
    (``weka_names.NEAREST``); the search must not answer nothing."""
    wanted = {ours for weka, (ours, _why) in NEAREST.items() if query in _squashed(weka)}
    return [(4, info.category, info.display_name.casefold(),
             Found(info, f"nearest to WEKA's {typed}"))
            for info in infos if info.name in wanted and info.name not in listed]
