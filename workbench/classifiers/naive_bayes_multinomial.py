"""Multinomial naive Bayes, as WEKA's ``weka.classifiers.bayes.NaiveBayesMultinomial``
computes it: the text tutorials' classifier for word counts.

A document is a bag of words drawn independently given its class, so each non-class
attribute is a word and its value how often the word occurs (or any non-negative weight:
0/1, TF-IDF). For each class, every word's weight starts at 1 (Laplace) and adds the
document's value times the instance weight; the probability of word w given class c is
that total over (the class's total weight of all words + the number of words). The class
priors are Laplace-corrected too: each class starts at 1 and adds its instance weights.
A document's score for class c is log P(c) + sum over words of value * log P(w | c).

Our own code rather than scikit-learn's ``MultinomialNB`` (which computes the same word
probabilities with ``alpha=1``): its class prior is the plain frequency, where WEKA's is
Laplace-corrected, and WEKA's report prints the model in a layout of its own. The sums
run on the sparse matrix StringToWordVector makes, never a dense copy.

As WEKA's, it takes numeric attributes only (word weights; a nominal one is refused
by the capability check), refuses a negative value when training ("Numeric attribute
values must all be greater or equal to zero", which a standardised column produces), and
has no missing values in training. A missing value in a document to classify counts as
the word's absence, where WEKA's arithmetic would turn every probability into NaN.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import scipy.sparse as sp

from workbench.classifiers.base import Classifier
from workbench.classifiers.capabilities import Capabilities, CapabilityError
from workbench.classifiers.modelfile import stored_array
from workbench.core.errors import WorkbenchError
from workbench.core.params import Param
from workbench.core.progress import CancelToken, ProgressCallback, check
from workbench.core.weka.javaformat import double_to_string
from workbench.data.dataset import Dataset


class NaiveBayesMultinomial(Classifier):
    """Multinomial naive Bayes for word counts (WEKA's NaiveBayesMultinomial):
    Laplace-corrected word frequencies per class; use it after StringToWordVector."""

    name = "naive-bayes-multinomial"
    display_name = "NaiveBayesMultinomial"
    category = "bayes"
    aliases = ("NaiveBayesMultinomial", "multinomial-nb", "MultinomialNB")
    capabilities = Capabilities(nominal_attributes=False, date_attributes=False,
                                missing_values=False, min_instances=0,
                                negative_values=False)
    decimal_places = Param.integer(2, "Decimal places of the probabilities in the model "
                                   "text (WEKA's -num-decimal-places)", low=0, high=16,
                                   letter="num-decimal-places", runtime=True,
                                   group="advanced")

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self.class_counts_ = np.zeros(0)          # Laplace-started class weights
        self.word_counts_ = np.zeros((0, 0))      # [class, word], Laplace-started

    # Learning ---------------------------------------------------------------------------
    def _fit(self, data: Dataset, progress: ProgressCallback | None,
             cancel: CancelToken | None) -> None:
        check(cancel)
        words = _word_matrix(data)
        _refuse_negative(words, data)
        y = data.class_values.astype(np.intp)
        w = data.weights
        n_classes = len(self.classes_)
        self.class_counts_ = np.ones(n_classes)
        np.add.at(self.class_counts_, y, w)
        # one row per class: the weighted sum of its documents' word values
        membership = sp.csr_matrix((w, (y, np.arange(len(y)))),
                                   shape=(n_classes, len(y)))
        self.word_counts_ = 1.0 + np.asarray((membership @ words).todense(),
                                             dtype=np.float64)

    def _log_word_probabilities(self) -> np.ndarray:
        n_words = self.word_counts_.shape[1]
        # WEKA: log(count) - log(words in the class + number of words); the 1 each word
        # started with is part of the count, not of the class total
        totals = self.word_counts_.sum(axis=1) - n_words
        return np.log(self.word_counts_) - np.log(totals + n_words)[:, None]

    def _predict_proba(self, data: Dataset) -> np.ndarray:
        words = _word_matrix(data)
        if words.nnz and np.isnan(words.data).any():
            words = words.copy()
            words.data[np.isnan(words.data)] = 0.0
        log_doc = np.asarray(words @ self._log_word_probabilities().T, dtype=np.float64)
        log_doc = log_doc.reshape(data.num_instances, len(self.classes_))
        prior = self.class_counts_ / self.class_counts_.sum()
        scores = np.exp(log_doc - log_doc.max(axis=1, keepdims=True)) * prior
        return scores / scores.sum(axis=1, keepdims=True)

    # Model text, as WEKA's toString() ------------------------------------------------------
    def describe(self) -> str:
        """WEKA's text to the character: each word's line ends in a tab, which the
        base class's tidying would cut from the last one."""
        return self._describe() if self.is_fitted else super().describe()

    def _describe(self) -> str:
        header = self._require_fitted()
        places = self.decimal_places
        prior = self.class_counts_ / self.class_counts_.sum()
        lines = ["The independent probability of a class",
                 "--------------------------------------"]
        lines += [f"{label}\t{double_to_string(p, places)}"
                  for label, p in zip(self.classes_, prior, strict=True)]
        lines += ["", "The probability of a word given the class",
                  "-----------------------------------------",
                  "\t" + "".join(f"{label}\t" for label in self.classes_)]
        probabilities = np.exp(self._log_word_probabilities())
        names = [a.name for i, a in enumerate(header.attributes) if i != header.class_index]
        for k, name in enumerate(names):
            lines.append(f"{name}\t" + "".join(
                f"{double_to_string(p, places)}\t" for p in probabilities[:, k]))
        return "\n".join(lines) + "\n"

    # Model files --------------------------------------------------------------------------
    def _state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        return {}, {"class_counts": self.class_counts_, "word_counts": self.word_counts_}

    def _set_state(self, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
        header = self._require_fitted()
        n_classes = len(self.classes_)
        n_words = header.num_attributes - (header.class_index is not None)
        counts = stored_array(arrays, "class_counts", 1, finite=True,
                              nonnegative=True).astype(np.float64)
        words = stored_array(arrays, "word_counts", 2, finite=True,
                             nonnegative=True).astype(np.float64)
        if counts.shape != (n_classes,) or words.shape != (n_classes, n_words):
            raise WorkbenchError(f"the stored word counts have shape {words.shape}, "
                                 f"expected ({n_classes}, {n_words})")
        if n_words and not np.all(words >= 1.0):
            raise WorkbenchError("the stored word counts are below their Laplace start "
                                 "of 1; the file is damaged")
        self.class_counts_, self.word_counts_ = counts, words


def _word_matrix(data: Dataset) -> sp.csr_matrix:
    """The non-class attributes as a sparse matrix (rows documents, columns words)."""
    X = data.X
    keep = [j for j in range(data.num_attributes) if j != data.class_index]
    matrix = sp.csr_matrix(X, dtype=np.float64) if sp.issparse(X) else sp.csr_matrix(
        np.asarray(X, dtype=np.float64))
    return sp.csr_matrix(matrix[:, keep])


def _refuse_negative(words: sp.csr_matrix, data: Dataset) -> None:
    """WEKA's refusal of a negative word weight, with where it is and why it happens."""
    negative = np.flatnonzero(words.data < 0)
    if negative.size == 0:
        return
    first = int(negative[0])
    row = int(np.searchsorted(words.indptr, first, side="right")) - 1
    column = int(words.indices[first])
    index = column + (data.class_index is not None and column >= data.class_index)
    raise CapabilityError(
        f"NaiveBayesMultinomial needs word counts or weights of at least 0: attribute "
        f"{index + 1} '{data.attributes[index].name}' is {words.data[first]:g} in "
        f"instance {row + 1} ({negative.size} negative value"
        f"{'s' if negative.size != 1 else ''} in all); it models word counts, which "
        f"are never negative: give it StringToWordVector's output as it is, not "
        f"standardised or centred")


def register(registry: Any) -> None:
    registry.add(NaiveBayesMultinomial)
