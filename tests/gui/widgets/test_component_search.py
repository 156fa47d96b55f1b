"""What the chooser's search field finds (walkthrough 13, K7): WEKA's names, words of
the display names, the category, best first; every component by its display name."""

from __future__ import annotations

import pytest

from workbench.core.registry import default_registry
from workbench.gui.widgets.component_search import find_components


@pytest.fixture(scope="module")
def registry():
    return default_registry(plugins=False)


def _names(found) -> list[str]:
    return [f.info.name for f in found]


def test_weka_names_and_words_find_the_learner(registry):
    classifiers = registry.list("classifier")
    assert _names(find_components(classifiers, "ibk"))[0] == "knn"
    assert _names(find_components(classifiers, "  IBK "))[0] == "knn"
    assert set(_names(find_components(classifiers, "naive"))) == {
        "naive-bayes", "gaussian-nb", "naive-bayes-multinomial"}
    assert _names(find_components(classifiers, "multinomial"))[0] == (
        "naive-bayes-multinomial")
    assert _names(find_components(classifiers, "MultilayerPerceptron"))[0] == "weka-mlp"
    lenet = find_components(classifiers, "lenet")
    assert _names(lenet) == ["cnn"] and lenet[0].found_as == "LeNet"
    assert find_components(classifiers, "") == []
    assert find_components(classifiers, "no such learner") == []


def test_spaces_and_dashes_do_not_matter(registry):
    classifiers = registry.list("classifier")
    assert set(_names(find_components(classifiers, "multilayer perceptron"))) >= {
        "mlp", "weka-mlp"}
    assert set(_names(find_components(classifiers, "MultilayerPerceptron"))) >= {
        "mlp", "weka-mlp"}
    assert _names(find_components(classifiers, "naive bayes"))[0] == "naive-bayes"
    assert _names(find_components(classifiers, "k nearest")) == ["knn"]
    assert find_components(classifiers, " - ") == []


def test_a_name_that_starts_with_the_text_comes_first(registry):
    found = _names(find_components(registry.list("classifier"), "k"))
    assert found[0] == "knn"   # "k-nearest", before "scikit-learn" and "trees"


def test_the_category_finds_its_members_after_the_names(registry):
    found = _names(find_components(registry.list("classifier"), "trees"))
    assert {"decision-tree", "random-forest", "extra-trees"} <= set(found)
    assert found[0] == "extra-trees"   # "Extra trees" holds it; the others by category


def test_a_category_is_matched_from_its_start_only(registry):
    filters = registry.list("filter")
    found = _names(find_components(filters, "r"))
    assert "zca" not in found          # ZCA whitening is an "attribute" filter
    assert "remove" in found and "randomize" in found
    assert "zca" in _names(find_components(filters, "attr"))


@pytest.mark.parametrize("kind", ["classifier", "filter"])
def test_every_component_is_found_by_its_display_name(registry, kind):
    infos = registry.list(kind)
    assert infos
    for info in infos:
        assert info.name in _names(find_components(infos, info.display_name)), info.name
        assert info.name in _names(find_components(infos, info.display_name.upper()))


def test_a_weka_learner_we_do_not_have_finds_the_nearest_of_ours():
    """Walkthrough 13e: "j48" found nothing, while the command line points J48 to the
    decision tree; the search offers it last, saying why."""
    from workbench.core.registry import default_registry
    from workbench.gui.widgets.component_search import find_components

    infos = default_registry().list("classifier")
    found = find_components(infos, "j48")
    assert [f.info.name for f in found] == ["decision-tree"]
    assert found[0].found_as == "nearest to WEKA's j48"
    smo = find_components(infos, "SMO")
    assert smo[-1].info.name == "svm" and smo[-1].found_as == "nearest to WEKA's SMO"
