"""WEKA's tokenizer, stop-word and stemmer specifications for StringToWordVector.

A WEKA user writes ``-tokenizer "weka.core.tokenizers.NGramTokenizer -max 2"`` or
``-stopwords-handler weka.core.stopwords.Rainbow``: a class name and its own options, in
one word. Tutorials copy these from WEKA's Explorer, so the filter takes them as written
(the short class names too) and does what those WEKA classes do; a class we do not have
is refused where it is typed, naming the ones we do, rather than quietly ignored.

Tokenizers: ``WordTokenizer`` (split at ``-delimiters``, as Java's StringTokenizer) and
``NGramTokenizer`` (the same words joined into runs of ``-min`` to ``-max`` words, longest
first, as WEKA's). Stop words: ``Null`` (none) and ``Rainbow`` (the Bow toolkit's 525
English words, matched ignoring case). Stemmers: ``NullStemmer`` only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from workbench.core.errors import ParameterError
from workbench.core.resources import resource_dir

WEKA_DELIMITERS = " \r\n\t.,;:'\"()?!"

TOKENIZERS = ("WordTokenizer", "NGramTokenizer")
STOPWORDS = ("Null", "Rainbow")
STEMMERS = ("NullStemmer",)

_PACKAGES = {"tokenizer": "weka.core.tokenizers.", "stopwords": "weka.core.stopwords.",
             "stemmer": "weka.core.stemmers."}
# Java's Utils.unbackQuoteChars, which WEKA applies to a quoted option and to delimiters
_BACKQUOTED = {"\\\\": "\\", "\\'": "'", "\\t": "\t", "\\n": "\n", "\\r": "\r",
               '\\"': '"', "\\%": "%", "\\u001E": "\u001e"}
_BACKQUOTE = re.compile("|".join(re.escape(k) for k in _BACKQUOTED))


def unbackquote(text: str) -> str:
    """``\\t``, ``\\n``, ``\\r``, ``\\\\``, ``\\'``, ``\\"`` written out, as WEKA reads them."""
    return _BACKQUOTE.sub(lambda m: _BACKQUOTED[m.group(0)], text)


def split_options(text: str) -> list[str]:
    """WEKA's ``Utils.splitOptions``: words at white space, a double-quoted part one word
    (backslash escapes inside it read as ``unbackquote``)."""
    words: list[str] = []
    rest = text
    while True:
        rest = rest.lstrip()
        if not rest:
            return words
        if rest[0] == '"':
            i = 1
            while i < len(rest) and rest[i] != '"':
                i += 2 if rest[i] == "\\" else 1
            if i >= len(rest):
                raise ParameterError(f"unbalanced double quote in '{text}'")
            words.append(unbackquote(rest[1:i]))
            rest = rest[i + 1:]
        else:
            match = re.match(r"\S+", rest)
            assert match is not None
            end = match.end()
            words.append(rest[:end])
            rest = rest[end:]


def _class_name(kind: str, word: str, known: tuple[str, ...]) -> str:
    """The WEKA class ``word`` names (full or short, any case), or a refusal naming ours."""
    short = word.rsplit(".", 1)[-1]
    for name in known:
        if short.lower() == name.lower() and word.lower() in (
                name.lower(), (_PACKAGES[kind] + name).lower()):
            return name
    listed = ", ".join(_PACKAGES[kind] + name for name in known)
    raise ParameterError(f"'{word}' is not a {kind} this StringToWordVector has "
                         f"(it has {listed})" + _not_here(kind, short))


def _not_here(kind: str, short: str) -> str:
    if kind == "stemmer":
        return ("; the Lovins, IteratedLovins and Snowball stemmers are not here: leave "
                "-stemmer out (WEKA's default, NullStemmer) or fold case with -L")
    if kind == "stopwords":
        return "; WordsFromFile and Regexp are not here"
    return ""


@dataclass(frozen=True)
class Tokenizer:
    """A parsed ``-tokenizer``: the kind, n-gram sizes and delimiters (None: the
    filter's own ``delimiters``)."""

    kind: str
    min_words: int = 1
    max_words: int = 1
    delimiters: str | None = None

    def splitter(self, default_delimiters: str) -> Callable[[str], list[str]]:
        """The function that turns a document into its tokens."""
        delimiters = self.delimiters if self.delimiters is not None else default_delimiters
        if not delimiters:
            raise ParameterError("delimiters must name at least one character")
        pattern = re.compile("[" + re.escape(delimiters) + "]")

        def words(text: str) -> list[str]:
            return [w for w in pattern.split(text) if w]

        if self.kind == "WordTokenizer":
            return words
        low, high = self.min_words, self.max_words

        def ngrams(text: str) -> list[str]:
            found = words(text)
            out: list[str] = []
            for n in range(min(high, len(found)), low - 1, -1):
                out += [" ".join(found[i:i + n]) for i in range(len(found) - n + 1)]
            return out

        return ngrams


def parse_tokenizer(spec: str) -> Tokenizer:
    """``-tokenizer`` as WEKA writes it, e.g. ``NGramTokenizer -max 2 -min 1``."""
    words = split_options(spec)
    if not words:
        raise ParameterError("the tokenizer is empty (WEKA's default is "
                             "weka.core.tokenizers.WordTokenizer)")
    kind = _class_name("tokenizer", words[0], TOKENIZERS)
    options = _options(words[1:], {"-delimiters"} | (
        {"-max", "-min"} if kind == "NGramTokenizer" else set()), kind)
    delimiters = options.get("-delimiters")
    # WEKA's NGramTokenizer: 3 and 1 by default, below 1 read as 1
    low = max(1, _whole(options.get("-min", "1"), "-min"))
    high = max(1, _whole(options.get("-max", "3"), "-max"))
    if kind == "WordTokenizer":
        low = high = 1
    elif low > high:
        raise ParameterError(f"NGramTokenizer's -min {low} is above its -max {high}, "
                             f"which makes no words")
    return Tokenizer(kind, low, high,
                     None if delimiters is None else unbackquote(delimiters))


def check_tokenizer(spec: str) -> None:
    parse_tokenizer(spec)


def stopword_set(spec: str) -> frozenset[str]:
    """The stop words of ``-stopwords-handler`` (lower case; empty for ``Null``)."""
    words = split_options(spec)
    if not words:
        return frozenset()
    kind = _class_name("stopwords", words[0], STOPWORDS)
    _options(words[1:], set(), kind)
    return _rainbow() if kind == "Rainbow" else frozenset()


def check_stopwords(spec: str) -> None:
    stopword_set(spec)


def check_stemmer(spec: str) -> None:
    """Only WEKA's default stemmer, which leaves words as they are."""
    words = split_options(spec)
    if words:
        _class_name("stemmer", words[0], STEMMERS)
        _options(words[1:], set(), "NullStemmer")


@cache
def _rainbow() -> frozenset[str]:
    path = resource_dir("stopwords") / "rainbow.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip()
                     and not line.startswith("#"))


def _options(words: list[str], allowed: set[str], owner: str) -> dict[str, str]:
    """``-name value`` pairs of a WEKA class's own options, refusing others."""
    found: dict[str, str] = {}
    i = 0
    while i < len(words):
        word = words[i]
        if word not in allowed:
            offered = ", ".join(sorted(allowed)) or "none"
            raise ParameterError(f"{owner} has no option '{word}' (its options here: "
                                 f"{offered})")
        if i + 1 >= len(words):
            raise ParameterError(f"{owner}'s {word} needs a value")
        found[word] = words[i + 1]
        i += 2
    return found


def _whole(text: str, option: str) -> int:
    if not re.fullmatch(r"[+-]?[0-9]{1,9}", text.strip()):
        raise ParameterError(f"NGramTokenizer's {option} takes a whole number, not "
                             f"'{text}'")
    return int(text)
