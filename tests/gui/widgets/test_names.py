"""Configured components are named as the menus name them, with WEKA's option letters."""

from workbench.core.names import configured_name
from workbench.core.registry import default_registry


def _name(kind: str, name: str, **values) -> str:
    registry = default_registry()
    info = registry.get(kind, name)
    return configured_name(info.create(**values), info, registry)


def test_names_read_as_the_menu_with_weka_letters():
    assert _name("classifier", "knn", k=3) == "IBk -K 3"
    assert _name("classifier", "knn", k=3, distance_weighting="inverse") == "IBk -K 3 -I"
    assert _name("classifier", "naive-bayes") == "NaiveBayes"
    assert _name("classifier", "weka-mlp", epochs=50) == "MultilayerPerceptron -N 50"
    assert _name("classifier", "mlp", epochs=50) == "MLP -N 50"
    assert _name("classifier", "filtered", classifier="knn -K 3") == \
        "FilteredClassifier -W 'knn -K 3'"


def test_a_menu_name_the_command_line_cannot_read_falls_back_to_the_alias():
    # "Decision tree (scikit-learn CART)" is not a name 'workbench classify' knows.
    assert _name("classifier", "decision-tree") == "DecisionTree"


def test_every_name_resolves_back_to_its_component_on_the_command_line():
    registry = default_registry()
    for info in registry.list("classifier"):
        shown = configured_name(info.create(), info, registry)
        assert registry.get("classifier", shown.split()[0]).name == info.name, shown


def test_a_setting_the_others_leave_unread_is_not_named():
    # Momentum belongs to plain sgd: under the momentum optimizer (0.9 of its own) or
    # Adam, "-M 0.0" would read as a momentum of 0.
    assert _name("classifier", "mlp", momentum=0.0) == "MLP -M 0.0"
    assert "-M" not in _name("classifier", "mlp", momentum=0.0, optimizer="momentum")
    assert "momentum" not in _name("classifier", "cnn", momentum=0.5)   # Adam by default
    assert "--momentum 0.5" in _name("classifier", "cnn", momentum=0.5, optimizer="sgd")
    assert "finetune" not in _name("classifier", "dbn", finetune_momentum=0.5)
    assert "0.5" in _name("classifier", "dbn", finetune_momentum=0.5, optimizer="sgd")
