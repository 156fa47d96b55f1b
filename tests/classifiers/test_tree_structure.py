"""The decision tree's nodes and branches: what "Visualize tree" draws, in the text's
order, found inside the wrappers a tree may run in."""

from __future__ import annotations

from workbench.classifiers.filtered import FilteredClassifier
from workbench.classifiers.input_mapped import InputMappedClassifier
from workbench.classifiers.knn import KNearestNeighbours
from workbench.classifiers.sklearn_adapter import DecisionTree
from workbench.classifiers.tree_structure import has_tree, model_tree
from workbench.classifiers.tree_text import tree_lines
from workbench.data.catalog import load_bundled


def test_the_weather_tree_has_every_node_in_the_texts_order():
    model = DecisionTree(pruning="none").fit(load_bundled("weather.nominal"))
    tree = model.decision_tree()
    assert len(tree.nodes) == 13 and tree.leaf_count == 7 and tree.depth == 4
    root = tree.nodes[0]
    assert root.attribute == "outlook"
    assert [b.test for b in root.branches] == ["= overcast", "!= overcast"]
    assert tree.nodes[root.branches[0].child].leaf == "yes (4.0)"
    # windy {TRUE,FALSE}: TRUE's branch first, as WEKA's J48 lists it.
    windy = [node for node in tree.nodes if node.attribute == "windy"]
    assert windy and all([b.test for b in node.branches] == ["= TRUE", "= FALSE"]
                         for node in windy)
    parents = tree.parents()
    assert parents[0] == -1
    assert all(parents[i] < i and tree.nodes[i].depth == tree.nodes[parents[i]].depth + 1
               for i in range(1, len(tree.nodes)))
    # The text is written from the same nodes.
    assert tree_lines(tree) in model.describe()


def test_a_numeric_split_lists_the_lower_branch_first_in_the_datas_units():
    tree = DecisionTree(scaling="standard").fit(load_bundled("iris")).decision_tree()
    root = tree.nodes[0]
    assert (root.attribute, [b.test for b in root.branches]) == \
        ("petalwidth", ["<= 0.8", "> 0.8"])
    assert tree.nodes[root.branches[0].child].leaf == "Iris-setosa (50.0)"


def test_the_tree_is_found_inside_a_filtered_or_input_mapped_classifier():
    data = load_bundled("weather.nominal")
    tree = DecisionTree(pruning="none").fit(data)
    filtered = FilteredClassifier(filters="", classifier="decision-tree --pruning none")
    filtered.fit(data)
    mapped = InputMappedClassifier.wrapping(filtered)
    for model in (tree, filtered, mapped):
        assert has_tree(model)
        found = model_tree(model)
        assert found is not None and found == tree.decision_tree()


def test_other_models_and_untrained_trees_have_no_tree():
    data = load_bundled("weather.nominal")
    for model in (KNearestNeighbours().fit(data), DecisionTree(),
                  FilteredClassifier(filters="", classifier="knn").fit(data),
                  FilteredClassifier(filters="", classifier="decision-tree"), None):
        assert not has_tree(model)
        assert model_tree(model) is None
