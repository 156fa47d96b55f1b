"""Access keys for menus built from data: one distinct letter per entry."""

from __future__ import annotations

from workbench.gui.widgets.access_keys import _marked_key, plain_text, with_access_keys


def test_word_starts_first_then_any_free_letter():
    texts = with_access_keys(["View in separate window", "Visualize confusion matrix",
                              "Visualize ROC curves", "Save model...", "Save result buffer..."])
    assert texts == ["&View in separate window", "Visualize &confusion matrix",
                     "Visualize &ROC curves", "&Save model...", "Save result &buffer..."]
    assert plain_text(texts[0]) == "View in separate window"


def test_keys_already_marked_are_kept_and_not_reused():
    texts = with_access_keys(["S&top", "Start", "Tab && more"])
    assert texts[0] == "S&top"
    assert _marked_key(texts[1]) not in ("t", None)
    assert plain_text(texts[2]) == "Tab & more"   # a literal ampersand stays one
    keys = [_marked_key(t) for t in texts]
    assert len(set(keys)) == 3


def test_an_entry_with_no_free_letter_is_left_as_it_is():
    assert with_access_keys(["ab", "ba", "ab"]) == ["&ab", "&ba", "ab"]


def test_a_letter_a_later_entry_needs_is_left_to_it():
    # The result menu: "Visualize tree" came in before "Compare selected results",
    # whose letters were all taken but the "a" that the tree's entry then took.
    assert with_access_keys(["cat", "ab", "ca"]) == ["&cat", "a&b", "c&a"]
