import textwrap

import pytest

from workbench.core import plugins
from workbench.core.params import Configurable, Param
from workbench.core.registry import Registry, UnknownComponentError


class Majority(Configurable):
    """Predicts the most frequent class.

    Longer text that is not part of the description.
    """

    kind = "classifier"
    name = "zeror"
    display_name = "ZeroR"
    category = "rules"
    aliases = ("ZeroR",)
    debug_level = Param.integer(0, low=0)


def test_components_are_found_by_name_or_alias_in_any_case():
    registry = Registry()
    registry.add(Majority)
    assert registry.get("classifier", "ZEROR").factory is Majority
    assert registry.get("classifier", "zeror").description == "Predicts the most frequent class."
    assert registry.create("classifier", "ZeroR", debug_level=2).debug_level == 2
    with pytest.raises(UnknownComponentError, match="known: zeror"):
        registry.get("classifier", "knn")


def test_a_name_cannot_be_taken_twice():
    registry = Registry()
    registry.add(Majority)
    with pytest.raises(Exception, match="already taken"):
        registry.add(Configurable, kind="classifier", name="ZeroR")


def test_plugins_register_like_builtins_and_broken_ones_are_reported(tmp_path, monkeypatch):
    (tmp_path / "good.py").write_text(textwrap.dedent("""
        from workbench.core.params import Configurable
        class Echo(Configurable):
            '''Returns its input.'''
            kind = "filter"
            name = "echo"
        def register(registry):
            registry.add(Echo)
    """))
    (tmp_path / "broken.py").write_text("raise RuntimeError('boom')\n")
    (tmp_path / "silent.py").write_text("x = 1\n")
    monkeypatch.setenv("WORKBENCH_PLUGIN_PATH", str(tmp_path))
    registry = Registry()
    plugins.load_plugins(registry)
    assert registry.get("filter", "echo").origin.endswith("good.py")
    assert any("broken.py" in p and "boom" in p for p in registry.problems)
    assert any("silent" in p and "no register" in p for p in registry.problems)


def test_wekas_supervised_resample_is_not_taken_for_the_unsupervised_one():
    """Supervised Resample stratifies; ours by that short name does not: the WEKA class
    name is refused with what to use, instead of silently drawing other rows."""
    import pytest

    from workbench.core.registry import UnknownComponentError, default_registry

    registry = default_registry()
    with pytest.raises(UnknownComponentError, match="--stratified true"):
        registry.get("filter", "weka.filters.supervised.instance.Resample")
    assert registry.get("filter", "weka.filters.unsupervised.instance.Resample").name \
        == "resample"
    assert registry.get("filter", "weka.filters.supervised.instance.SMOTE").name == "smote"
    assert registry.get("filter", "weka.filters.supervised.attribute.Discretize").name \
        == "supervised-discretize"
