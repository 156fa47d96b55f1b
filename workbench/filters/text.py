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

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp

from workbench.core.bounded_regex import bounded
from workbench.core.errors import ParameterError
from workbench.core.params import Param
from workbench.core.stoppable import current_token
from workbench.data.dataset import Attribute, AttributeType, Dataset, dense_copy
from workbench.filters.base import Filter, FilterError, unique_name, with_values
from workbench.filters.ranges import parse_range
from workbench.filters.text_specs import (
    WEKA_DELIMITERS,
    check_stemmer,
    check_stopwords,
    check_tokenizer,
    parse_tokenizer,
    stopword_set,
)

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
    state_fields: ClassVar[tuple[str, ...]] = ("columns_", "vocabularies_", "idf_")

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
        for k, (j, vocabulary, idf) in enumerate(zip(self.columns_, self.vocabularies_,
                                                     self.idf_, strict=True)):
            vocabulary = list(vocabulary)
            if not vocabulary:
                continue
            blocks.append(self._word_block(data, j, vocabulary, idf, k))
            for word in vocabulary:
                name = unique_name(self.prefix + word, taken)
                taken.add(name)
                attributes.append(Attribute.numeric(name))
        values = sp.hstack(blocks, format="csr") if blocks else sp.csr_matrix(
            (data.num_instances, 0))
        out: Any = values if self.sparse else dense_copy(values, f"{self.title} on "
                                                              f"'{data.relation}'")
        return with_values(data, out, attributes, class_index)

    def _word_block(self, data: Dataset, j: int, vocabulary: list[str], idf: np.ndarray,
                    k: int) -> sp.csr_matrix:
        """The word attributes of string attribute ``j`` (the ``k``-th converted)."""
        counts = self._vectorizer(data.attributes[j].name, vocabulary).transform(
            _documents(data, j))
        counts = sp.csr_matrix(counts, dtype=np.float64)
        if self.output == "binary":
            counts.data[:] = 1.0
        elif self.output == "tfidf":
            counts = _tfidf(counts, np.asarray(idf, dtype=np.float64))
        return counts

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


class WekaStringToWordVector(StringToWordVector, drop=("token_pattern",)):
    """StringToWordVector as WEKA 3.9 builds it, for WEKA's name of the filter.

    WEKA splits at the characters `` \\r\\n\\t.,;:'"()?!`` (its WordTokenizer) without
    folding case, counts how often each word occurs among the documents of each class
    (documents whose class is missing add no words), and keeps per class every word at
    least as frequent as the ``words_to_keep``-th (ties included, so a little more than
    ``words_to_keep``); the classes' words, class by class in Java's string order, become
    the attributes. Our own ``string-to-word-vector`` keeps scikit-learn's modern
    defaults. Each string attribute gets its own dictionary here, where WEKA pools the
    words of all of them.

    The weights are WEKA's: ``-T`` replaces a count f by log(1 + f), ``-I`` multiplies
    by log(N / n), N the training documents and n those holding the word (WEKA's n adds
    only the classes in which the word was kept), and ``-N`` rescales each document's
    word vector to the training documents' average length. ``output tfidf`` is WEKA's
    ``-C -T -I``; scikit-learn's TF-IDF is the other filter's.
    """

    name = "weka-string-to-word-vector"
    display_name = "StringToWordVector (WEKA)"
    aliases = ("StringToWordVector", "weka.filters.unsupervised.attribute.StringToWordVector")
    output = Param.choice("binary", ("binary", "counts", "tfidf"),
                          "what each word attribute holds: 0/1, the count, or WEKA's "
                          "TF-IDF (log(1 + count) * log(documents / documents with the "
                          "word), as -C -T -I)", flags={"C": "counts"})
    lowercase = Param.boolean(False, "fold words to lower case", letter="L")
    tf_transform = Param.boolean(False, "replace each word count f by log(1 + f) (WEKA's "
                                 "-T; with 0/1 output a present word is log 2)", letter="T")
    idf_transform = Param.boolean(False, "multiply each word's value by log(training "
                                  "documents / training documents with the word) (WEKA's "
                                  "-I)", letter="I")
    normalize = Param.choice(
        "none", ("none", "all", "test-only"),
        "scale each document's word vector to the average length of the training "
        "documents' vectors", letter="N",
        spellings={"0": "none", "1": "all", "2": "test-only"},
        help_per_choice={
            "none": "leave the values as they are (WEKA's -N 0)",
            "all": "normalise the training and the test documents (WEKA's -N 1)",
            "test-only": "WEKA's -N 2, which WEKA 3.9 treats as -N 1: the training "
                         "documents are normalised too, and so are they here"})
    stopwords_handler = Param.text(
        "weka.core.stopwords.Null", "stop words left out of the dictionary: Null (none) "
        "or Rainbow (525 common English words, any case)", letter="stopwords-handler",
        check=check_stopwords)
    tokenizer = Param.text(
        "weka.core.tokenizers.WordTokenizer", "how a text becomes words: WordTokenizer, "
        "or NGramTokenizer -max N -min M (runs of M to N words); either takes "
        "-delimiters, else the delimiters below", letter="tokenizer",
        check=check_tokenizer)
    stemmer = Param.text("weka.core.stemmers.NullStemmer", "stemmer (only WEKA's default "
                         "NullStemmer, which keeps words as they are)", letter="stemmer",
                         check=check_stemmer)
    delimiters = Param.text(WEKA_DELIMITERS, "characters that separate words",
                            letter="delimiters", escapes=True)
    per_class = Param.boolean(True, "keep words_to_keep words for each class value "
                              "(WEKA's default; off: for all documents together)")
    state_fields: ClassVar[tuple[str, ...]] = ("columns_", "vocabularies_", "idf_",
                                               "doc_lengths_")

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self.doc_lengths_: list[float] = []

    def _split(self) -> Any:
        return parse_tokenizer(self.tokenizer).splitter(self.delimiters)

    def _tokens(self, text: str) -> list[str]:
        words = self._split()(text)
        return [w.lower() for w in words] if self.lowercase else words

    def _vectorizer(self, attribute: str, vocabulary: list[str] | None = None) -> Any:
        from sklearn.feature_extraction.text import CountVectorizer

        split, lowercase = self._split(), self.lowercase

        def tokens(text: str) -> list[str]:
            words = split(text)
            return [w.lower() for w in words] if lowercase else words

        return CountVectorizer(tokenizer=tokens, token_pattern=None, lowercase=False,
                               vocabulary=None if vocabulary is None else
                               {w: i for i, w in enumerate(vocabulary)})

    def _fit(self, data: Dataset) -> None:
        if not self.delimiters:
            raise ParameterError("delimiters must name at least one character")
        split = self._split()
        stopwords = stopword_set(self.stopwords_handler)
        chosen = parse_range(self.attribute_indices, data.num_attributes)
        self.columns_ = [j for j in chosen if j != data.class_index
                         and data.attributes[j].type is AttributeType.STRING]
        cls = data.class_attribute
        per_class = self.per_class and cls is not None and cls.is_nominal
        # WEKA 3.9.7 leaves a document whose class is missing out of the dictionary
        # (and out of N, the document count of -I); without classes every one counts.
        if per_class:
            known = ~np.isnan(data.class_values)
            groups = np.where(known, np.nan_to_num(data.class_values), -1).astype(np.intp)
        else:
            groups = np.zeros(data.num_instances, dtype=np.intp)
        documents_counted = int(np.count_nonzero(groups >= 0))
        self.vocabularies_, self.idf_, self.doc_lengths_ = [], [], []
        for j in self.columns_:
            n_groups = int(groups.max(initial=0)) + 1
            counts: list[dict[str, int]] = [{} for _ in range(n_groups)]
            documents: list[dict[str, int]] = [{} for _ in range(n_groups)]
            for document, group in zip(_documents(data, j), groups, strict=True):
                if group < 0:
                    continue
                tally, holding = counts[group], documents[group]
                seen_here: set[str] = set()
                for word in split(document):
                    if self.lowercase:
                        word = word.lower()
                    if stopwords and word.strip().lower() in stopwords:
                        continue
                    tally[word] = tally.get(word, 0) + 1
                    if word not in seen_here:
                        seen_here.add(word)
                        holding[word] = holding.get(word, 0) + 1
            vocabulary: list[str] = []
            holding_total: dict[str, int] = {}
            for tally, holding in zip(counts, documents, strict=True):
                frequencies = sorted(tally.values())
                threshold = self.min_frequency if len(frequencies) < self.words_to_keep else (
                    max(self.min_frequency, frequencies[len(frequencies) - self.words_to_keep]))
                # Class by class, each class's new words in Java's string order (UTF-16
                # code units), as WEKA walks its per-class sorted dictionaries; a word's
                # document count adds the classes that keep it (WEKA's consolidation).
                for word in sorted(tally, key=lambda w: w.encode("utf-16-be")):
                    if tally[word] >= threshold:
                        if word not in holding_total:
                            vocabulary.append(word)
                            holding_total[word] = 0
                        holding_total[word] += holding[word]
            self.vocabularies_.append(vocabulary)
            df = np.array([holding_total[w] for w in vocabulary], dtype=np.float64)
            self.idf_.append(np.log(documents_counted / df) if vocabulary
                             else np.zeros(0))
            self.doc_lengths_.append(0.0)
            if self.normalize != "none" and vocabulary:
                # WEKA's average length: of the weighted training vectors, every
                # document counted (an empty one as length 0)
                weights = self._weights(self._counts(data, j, vocabulary), self.idf_[-1])
                lengths = np.sqrt(np.asarray(weights.multiply(weights).sum(axis=1)))
                self.doc_lengths_[-1] = float(lengths.mean()) if lengths.size else 0.0

    def _counts(self, data: Dataset, j: int, vocabulary: list[str]) -> sp.csr_matrix:
        counts = self._vectorizer(data.attributes[j].name, vocabulary).transform(
            _documents(data, j))
        return sp.csr_matrix(counts, dtype=np.float64)

    def _weights(self, counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
        """Counts as the options weigh them: 0/1 unless counted, then -T, then -I."""
        weights = counts.copy()
        if self.output == "binary":
            weights.data[:] = 1.0
        if self.tf_transform or self.output == "tfidf":
            weights.data = np.log(weights.data + 1.0)
        if self.idf_transform or self.output == "tfidf":
            weights = sp.csr_matrix(weights @ sp.diags(np.asarray(idf, dtype=np.float64)))
        return weights

    def _word_block(self, data: Dataset, j: int, vocabulary: list[str], idf: np.ndarray,
                    k: int) -> sp.csr_matrix:
        weights = self._weights(self._counts(data, j, vocabulary), idf)
        average = self.doc_lengths_[k] if k < len(self.doc_lengths_) else 0.0
        if self.normalize != "none" and average > 0:
            lengths = np.sqrt(np.asarray(weights.multiply(weights).sum(axis=1)).ravel())
            scale = np.divide(average, lengths, out=np.zeros_like(lengths),
                              where=lengths > 0)
            weights = sp.csr_matrix(sp.diags(scale) @ weights)
        weights.eliminate_zeros()
        return weights

    def set_state(self, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray],
                  input_header: Dataset) -> None:
        """A model saved before -T, -I and -N has no document lengths (it never
        normalised), and its ``idf_`` was scikit-learn's: its binary and count output is
        the same, its tfidf output is not, so that one is refused."""
        if "doc_lengths_" not in meta:
            if self.output == "tfidf":
                raise FilterError(f"{self.title}: this model was saved by an earlier "
                                  f"version, whose tfidf output was scikit-learn's "
                                  f"TF-IDF, not WEKA's; train it again")
            columns = meta.get("columns_", {}).get("value") or []
            meta = {**meta, "doc_lengths_": {"value": [0.0] * len(columns)}}
        super().set_state(meta, arrays, input_header)
