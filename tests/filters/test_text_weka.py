"""StringToWordVector under WEKA's name builds WEKA's words: on ReutersCorn-train WEKA
3.9.7 keeps 1003 words without a class and 2233 with it (1000 per class, ties kept), in
its order; ours had 1001 and lowercased them."""

import numpy as np
import pytest

from workbench.core.registry import default_registry
from workbench.data.dataset import Attribute, Dataset


def _documents(texts, classes=None):
    attributes = [Attribute.string("text", texts)]
    columns = [np.arange(len(texts), dtype=float)]
    if classes is not None:
        attributes.append(Attribute.nominal("class", ["a", "b"]))
        columns.append(np.asarray(classes, dtype=float))
    return Dataset("docs", attributes, np.column_stack(columns),
                   class_index=None if classes is None else 1)


def _words(out):
    return [a.name for a in out.attributes if a.is_numeric]


def test_weka_name_splits_at_wekas_delimiters_and_keeps_case():
    f = default_registry().create("filter", "weka.filters.unsupervised.attribute."
                                            "StringToWordVector")
    out = f.fit_transform(_documents(["Don't stop, Stop!", "x-ray (a) b.c"]))
    assert _words(out) == ["Don", "Stop", "a", "b", "c", "stop", "t", "x-ray"]


def test_ties_at_the_cut_are_kept_and_each_class_keeps_its_own_words():
    texts = ["apple apple banana", "cherry cherry date", "elder fig", "fig grape"]
    f = default_registry().create("filter", "StringToWordVector", words_to_keep=1)
    out = f.fit_transform(_documents(texts, classes=[0, 0, 1, 1]))
    # class a: apple and cherry tie at 2; class b: fig (2) alone; class by class, sorted
    assert _words(out) == ["apple", "cherry", "fig"]
    assert out.attributes[0].name == "class"


def test_binary_output_by_default_and_counts_with_c():
    docs = _documents(["to be or not to be"])
    binary = default_registry().create("filter", "StringToWordVector").fit_transform(docs)
    counts = default_registry().create("filter", "StringToWordVector",
                                       output="counts").fit_transform(docs)
    assert binary.dense_values().tolist() == [[1, 1, 1, 1]]
    assert counts.dense_values().tolist() == [[2, 1, 1, 2]]


@pytest.mark.parametrize("name", ["StringToWordVector", "string-to-word-vector"])
def test_both_variants_are_registered_under_their_names(name):
    assert default_registry().get("filter", name).name in (
        "weka-string-to-word-vector", "string-to-word-vector")
