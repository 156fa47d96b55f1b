"""The decision tree's model text shows the tree, in J48's layout."""

from __future__ import annotations

import io

from workbench.classifiers.sklearn_adapter import DecisionTree
from workbench.classifiers.tree_text import tree_text
from workbench.data.arff import read_arff
from workbench.data.catalog import load_bundled

# Every split and leaf of scikit-learn's fully grown CART tree on weather.nominal,
# written as J48 writes a tree with binary splits; windy {TRUE,FALSE} lists TRUE first,
# as WEKA 3.9.7's J48 does on this file with and without -B (humidity {high,normal}:
# high first), whichever of windy's two indicator columns the tree split on.
WEATHER_TREE = """outlook = overcast: yes (4.0)
outlook != overcast
|   humidity = high
|   |   outlook = sunny: no (3.0)
|   |   outlook != sunny
|   |   |   windy = TRUE: no (1.0)
|   |   |   windy = FALSE: yes (1.0)
|   humidity = normal
|   |   windy = TRUE
|   |   |   temperature = cool: no (1.0)
|   |   |   temperature != cool: yes (1.0)
|   |   windy = FALSE: yes (3.0)"""


def test_the_model_text_has_the_whole_tree():
    model = DecisionTree(pruning="none").fit(load_bundled("weather.nominal"))
    text = model.describe()
    assert "CART unpruned tree\n------------------\n\n" + WEATHER_TREE + "\n" in text
    assert "Number of Leaves  : \t7" in text


def test_numeric_thresholds_are_in_the_datas_units_and_leaves_count_errors():
    # Scaled to mean 0 and sd 1 for the tree, yet the thresholds read as petal widths.
    model = DecisionTree(scaling="standard").fit(load_bundled("iris"))
    assert ("petalwidth <= 0.8: Iris-setosa (50.0)\n"
            "petalwidth > 0.8\n"
            "|   petalwidth <= 1.75: Iris-versicolor (54.0/5.0)\n"
            "|   petalwidth > 1.75: Iris-virginica (46.0/1.0)\n") in model.describe()


def test_a_numeric_class_shows_the_predicted_value_and_dates_show_as_dates():
    data = read_arff(io.StringIO(
        "@relation d\n@attribute day date yyyy-MM-dd\n@attribute y numeric\n@data\n"
        "2024-01-01,1\n2024-01-03,1\n2024-03-01,5\n2024-03-05,7\n"))
    model = DecisionTree(pruning="none", max_depth=1).fit(data.with_class(1))
    assert ("day <= 2024-02-01 00:00:00: 1 (2.0)\n"
            "day > 2024-02-01 00:00:00: 6 (2.0)\n") in model.describe()


def test_a_huge_tree_is_cut_with_a_count_of_what_was_left_out():
    model = DecisionTree(pruning="none").fit(load_bundled("weather.nominal"))
    text = tree_text(model.estimator_, model.encoder_, model._require_fitted(),
                     model.classes_, max_lines=3)
    assert text.splitlines() == [
        "outlook = overcast: yes (4.0)", "outlook != overcast", "|   humidity = high",
        "... 9 more nodes not shown (the tree has 13; a smaller max_depth or a larger "
        "min_samples_leaf gives a tree that fits)"]


def test_a_tree_without_a_split_is_one_leaf():
    data = load_bundled("weather.nominal").select_rows([0, 1, 5])  # no, no, no
    text = DecisionTree(pruning="none").fit(data).describe()
    assert "------------------\n\n: no (3.0)\n" in text


def test_a_two_valued_attribute_lists_its_first_declared_label_first():
    # vote's attributes are all {n,y}: WEKA's J48 writes "physician-fee-freeze = n"
    # before "= y" (and "!= n" with -B); the tree here split on the "=y" column at the
    # root and once printed "= y" first.
    text = DecisionTree(pruning="none", max_depth=4).fit(load_bundled("vote")).describe()
    lines = text.split("------------------\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert lines[0] == "physician-fee-freeze = n"
    for i, line in enumerate(lines):
        if line.split(":")[0].endswith(" = y"):
            indent = line[:len(line) - len(line.lstrip("| "))]
            sibling = line.split(" = y")[0] + " = n"
            earlier = [previous for previous in lines[:i]
                       if previous.startswith(indent) and not previous.startswith(indent
                                                                                  + "|")]
            assert earlier and earlier[-1].split(":")[0] == sibling, line
