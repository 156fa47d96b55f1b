"""StringToWordVector: string attributes into word counts or TF-IDF weights.

Tokenising, counting and inverse document frequencies are what scikit-learn's
``CountVectorizer`` and ``TfidfTransformer`` do well, so this filter wraps them (the
IDF weights come from ``TfidfTransformer.fit``): the
vocabulary and the IDF weights are learned from the training documents only, and a test
document's words outside that vocabulary are ignored. Around them we add what a dataset
needs: one numeric attribute per word (named with an optional prefix, made unique
against the other attributes), other attributes and the class kept, missing strings
treated as empty documents, and a sparse value matrix, as WEKA's filter produces, since
most words are absent from most documents.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp

from workbench.core.bounded_regex import bounded
from workbench.core.errors import ParameterError
from workbench.core.params import Param
from workbench.core.stoppable import current_token
from workbench.data.dataset import Attribute, AttributeType, Dataset, dense_copy
from workbench.filters.base import Filter, unique_name, with_values
from workbench.filters.ranges import parse_range

_DEFAULT_PATTERN = r"(?u)\b\w\w+\b"


class StringToWordVector(Filter):
    """Turns string attributes into one numeric attribute per word (bag of words or
    TF-IDF).

    ``output`` is ``counts`` (word counts), ``binary`` (present or not, WEKA's default)
    or ``tfidf`` (counts weighted by inverse document frequency, rows scaled to unit
    length). Words in fewer than ``min_frequency`` training documents are dropped, and at
    most ``words_to_keep`` of the most frequent words are kept per attribute.
    """

    name = "string-to-word-vector"
    display_name = "StringToWordVector (scikit-learn)"
    # WEKA's name belongs to WekaStringToWordVector below, which builds WEKA's words.
    aliases: ClassVar[tuple[str, ...]] = ()
    output = Param.choice("binary", ("binary", "counts", "tfidf"),
                          "what each word attribute holds", flags={"C": "counts"})
    lowercase = Param.boolean(True, "fold words to lower case", letter="L")
    # A regex parameter: refused up front when it could backtrack for ever or match
    # empty text (which would make '' a word).
    token_pattern = Param.regex(_DEFAULT_PATTERN, "regular expression a word matches "
                                "(default: runs of two or more letters or digits)",
                                match_empty=False)
    min_frequency = Param.integer(1, "drop words found in fewer training documents",
                                  low=1, letter="M")
    words_to_keep = Param.integer(1000, "keep at most this many of the most frequent "
                                  "words per attribute", low=1, letter="W")
    prefix = Param.text("", "put before every word's attribute name", letter="P")
    attribute_indices = Param.text("first-last", "string attributes to convert (WEKA "
                                   "range)", letter="R")
    sparse = Param.boolean(True, "keep the result as a sparse matrix")
    state_fields = ("columns_", "vocabularies_", "idf_")

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self.columns_: list[int] = []
        self.vocabularies_: list[list[str]] = []
        self.idf_: list[np.ndarray] = []

    def _vectorizer(self, attribute: str, vocabulary: list[str] | None = None) -> Any:
        """scikit-learn's vectorizer for one string attribute. It tokenises with our
        bounded pattern rather than its own ``token_pattern`` (which ``re`` would match
        with no time limit): the same ``findall`` on the same lower-cased text, so the
        same words, but a pattern that backtracks ends in a ``ParameterError`` and Stop
        ends the work between documents."""
        from sklearn.feature_extraction.text import CountVectorizer

        words = bounded(self.token_pattern, "token_pattern", match_empty=False
                        ).tokenizer(attribute, current_token())
        if vocabulary is not None:
            return CountVectorizer(lowercase=self.lowercase, tokenizer=words,
                                   token_pattern=None,
                                   vocabulary={w: i for i, w in enumerate(vocabulary)})
        return CountVectorizer(lowercase=self.lowercase, tokenizer=words, token_pattern=None,
                               min_df=self.min_frequency, max_features=self.words_to_keep)

    def _fit(self, data: Dataset) -> None:
        from sklearn.feature_extraction.text import TfidfTransformer

        if bounded(self.token_pattern, "token_pattern", match_empty=False).groups > 1:
            # scikit-learn refuses it inside the fit, where it would read as "no words"
            raise ParameterError(f"parameter 'token_pattern': '{self.token_pattern}' has "
                                 f"more than one capturing group; make the others "
                                 f"non-capturing with (?:...)")
        chosen = parse_range(self.attribute_indices, data.num_attributes)
        self.columns_ = [j for j in chosen if j != data.class_index
                         and data.attributes[j].type is AttributeType.STRING]
        self.vocabularies_, self.idf_ = [], []
        for j in self.columns_:
            documents = _documents(data, j)
            vectorizer = self._vectorizer(data.attributes[j].name)
            try:
                counts = vectorizer.fit_transform(documents)
                vocabulary = [str(w) for w in vectorizer.get_feature_names_out()]
            except ParameterError:
                raise   # a ValueError too, but the pattern's, not "no words"
            except ValueError:
                # no words at all (empty data, or min_frequency above every count)
                counts, vocabulary = sp.csr_matrix((len(documents), 0)), []
            self.vocabularies_.append(vocabulary)
            idf = TfidfTransformer().fit(counts).idf_ if vocabulary else np.zeros(0)
            self.idf_.append(np.asarray(idf, dtype=np.float64))

    def _transform(self, data: Dataset) -> Dataset:
        if not self.columns_:  # no string attributes: nothing to turn sparse
            return with_values(data, data.X.copy())
        converted = set(self.columns_)
        kept = [j for j in range(data.num_attributes) if j not in converted]
        taken = {data.attributes[j].name for j in kept}
        X = data.X
        blocks: list[sp.csr_matrix] = [sp.csr_matrix(X[:, kept])]
        attributes = [data.attributes[j] for j in kept]
        class_index = kept.index(data.class_index) if data.class_index in kept else None
        for j, vocabulary, idf in zip(self.columns_, self.vocabularies_, self.idf_,
                                      strict=True):
            vocabulary = list(vocabulary)
            if not vocabulary:
                continue
            counts = self._vectorizer(data.attributes[j].name, vocabulary).transform(
                _documents(data, j))
            counts = sp.csr_matrix(counts, dtype=np.float64)
            if self.output == "binary":
                counts.data[:] = 1.0
            elif self.output == "tfidf":
                counts = _tfidf(counts, np.asarray(idf, dtype=np.float64))
            blocks.append(counts)
            for word in vocabulary:
                name = unique_name(self.prefix + word, taken)
                taken.add(name)
                attributes.append(Attribute.numeric(name))
        values = sp.hstack(blocks, format="csr") if blocks else sp.csr_matrix(
            (data.num_instances, 0))
        out: Any = values if self.sparse else dense_copy(values, f"{self.title} on "
                                                              f"'{data.relation}'")
        return with_values(data, out, attributes, class_index)

    def _describe(self) -> str:
        header = self._require_fitted()
        lines = []
        for j, vocabulary in zip(self.columns_, self.vocabularies_, strict=True):
            sample = ", ".join(list(vocabulary)[:10])
            more = ", ..." if len(vocabulary) > 10 else ""
            lines.append(f"  {header.attributes[j].name}: {len(vocabulary)} words "
                         f"({sample}{more})")
        return (f"Word vectors ({self.output}):\n" + "\n".join(lines) if lines
                else "No string attributes.")


def _documents(data: Dataset, j: int) -> list[str]:
    """The strings of column ``j``; a missing string is an empty document."""
    pool = data.attributes[j].values
    column = data.column(j)
    return ["" if np.isnan(code) else pool[int(code)] for code in column]


def _tfidf(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """Counts times the learned IDF, rows scaled to unit length: what scikit-learn's
    ``TfidfTransformer.transform`` computes (norm l2), done here because that refuses an
    empty batch and a transformer rebuilt from a model file."""
    weighted = sp.csr_matrix(counts @ sp.diags(idf))
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return sp.csr_matrix(sp.diags(scale) @ weighted)


WEKA_DELIMITERS = " \r\n\t.,;:'\"()?!"


class WekaStringToWordVector(StringToWordVector, drop=("token_pattern",)):
    """StringToWordVector as WEKA 3.9 builds it, for WEKA's name of the filter.

    WEKA splits at the characters `` \\r\\n\\t.,;:'"()?!`` (its WordTokenizer) without
    folding case, counts how often each word occurs among the documents of each class,
    and keeps per class every word at least as frequent as the ``words_to_keep``-th
    (ties included, so a little more than ``words_to_keep``); the classes' words, class by
    class in Java's string order, become the attributes. Our own
    ``string-to-word-vector`` keeps scikit-learn's modern defaults. Each string attribute
    gets its own dictionary here, where WEKA pools the words of all of them.
    """

    name = "weka-string-to-word-vector"
    display_name = "StringToWordVector (WEKA)"
    aliases = ("StringToWordVector", "weka.filters.unsupervised.attribute.StringToWordVector")
    lowercase = Param.boolean(False, "fold words to lower case", letter="L")
    delimiters = Param.text(WEKA_DELIMITERS, "characters that separate words",
                            letter="delimiters", escapes=True)
    per_class = Param.boolean(True, "keep words_to_keep words for each class value "
                              "(WEKA's default; off: for all documents together)")

    def _tokens(self, text: str) -> list[str]:
        words = [w for w in re.split("[" + re.escape(self.delimiters) + "]", text) if w]
        return [w.lower() for w in words] if self.lowercase else words

    def _vectorizer(self, attribute: str, vocabulary: list[str] | None = None) -> Any:
        from sklearn.feature_extraction.text import CountVectorizer

        return CountVectorizer(tokenizer=self._tokens, token_pattern=None, lowercase=False,
                               vocabulary=None if vocabulary is None else
                               {w: i for i, w in enumerate(vocabulary)})

    def _fit(self, data: Dataset) -> None:
        if not self.delimiters:
            raise ParameterError("delimiters must name at least one character")
        chosen = parse_range(self.attribute_indices, data.num_attributes)
        self.columns_ = [j for j in chosen if j != data.class_index
                         and data.attributes[j].type is AttributeType.STRING]
        cls = data.class_attribute
        per_class = self.per_class and cls is not None and cls.is_nominal
        # WEKA reads a missing class value as class 0 ((int) NaN in Java).
        groups = (np.nan_to_num(data.class_values, nan=0.0).astype(np.intp) if per_class
                  else np.zeros(data.num_instances, dtype=np.intp))
        self.vocabularies_, self.idf_ = [], []
        for j in self.columns_:
            counts: list[dict[str, int]] = [{} for _ in range(int(groups.max(initial=0)) + 1)]
            for document, group in zip(_documents(data, j), groups, strict=True):
                tally = counts[group]
                for word in self._tokens(document):
                    tally[word] = tally.get(word, 0) + 1
            vocabulary: list[str] = []
            seen: set[str] = set()
            for tally in counts:
                frequencies = sorted(tally.values())
                threshold = self.min_frequency if len(frequencies) < self.words_to_keep else (
                    max(self.min_frequency, frequencies[len(frequencies) - self.words_to_keep]))
                # Class by class, each class's new words in Java's string order (UTF-16
                # code units), as WEKA walks its per-class sorted dictionaries.
                for word in sorted(tally, key=lambda w: w.encode("utf-16-be")):
                    if tally[word] >= threshold and word not in seen:
                        seen.add(word)
                        vocabulary.append(word)
            self.vocabularies_.append(vocabulary)
            self.idf_.append(self._idf(data, j, vocabulary))

    def _idf(self, data: Dataset, j: int, vocabulary: list[str]) -> np.ndarray:
        from sklearn.feature_extraction.text import TfidfTransformer

        if not vocabulary:
            return np.zeros(0)
        counts = self._vectorizer(data.attributes[j].name, vocabulary).transform(
            _documents(data, j))
        return np.asarray(TfidfTransformer().fit(counts).idf_, dtype=np.float64)
