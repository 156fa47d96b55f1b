"""A plugin is someone else's code: whatever it does, it cannot stop a command, take a
built-in's name, or leave half its components behind."""

import subprocess
import sys
import textwrap

import pytest

from workbench.core import plugins
from workbench.core.registry import Registry, default_registry, reset_default_registry


@pytest.fixture
def plugin_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_PLUGIN_PATH", str(tmp_path))
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    reset_default_registry()
    yield tmp_path
    reset_default_registry()


def _write(folder, name, body):
    (folder / name).write_text(textwrap.dedent(body))


@pytest.mark.parametrize("statement", ["import sys; sys.exit(3)", "raise SystemExit('bye')"])
def test_a_plugin_that_exits_on_import_is_reported_not_obeyed(plugin_folder, statement):
    _write(plugin_folder, "quitter.py", statement + "\n")
    registry = Registry()
    plugins.load_plugins(registry)
    assert any("quitter.py" in p for p in registry.problems)


def test_ctrl_c_while_a_plugin_loads_stops_the_command(plugin_folder):
    """A KeyboardInterrupt while a plugin's file runs is the user's Ctrl-C (nothing tells
    it from one the plugin raised): recorded as the plugin's failure, the command ran on
    as if never stopped (walkthrough 13d, D5)."""
    _write(plugin_folder, "slow.py", "raise KeyboardInterrupt\n")
    registry = Registry()
    with pytest.raises(KeyboardInterrupt):
        plugins.load_plugins(registry)
    assert "workbench_plugin_slow" not in sys.modules


def test_a_plugin_that_exits_in_register_is_reported_not_obeyed(plugin_folder):
    _write(plugin_folder, "quitter.py", """
        import sys
        def register(registry):
            sys.exit(4)
    """)
    registry = Registry()
    plugins.load_plugins(registry)
    assert any("quitter" in p and "SystemExit" in p for p in registry.problems)


def test_a_command_still_runs_and_exits_zero_beside_an_exiting_plugin(plugin_folder):
    _write(plugin_folder, "quitter.py", "import sys; sys.exit(7)\n")
    done = subprocess.run([sys.executable, "-m", "workbench", "list", "classifiers"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "IBk" in done.stdout


def test_a_plugin_cannot_take_a_builtin_flow_node_name(plugin_folder):
    _write(plugin_folder, "usurper.py", """
        from workbench.flow.nodes.base import NodeType
        class Fake(NodeType):
            '''Pretends to be IBk.'''
            name = "classifier:knn"
        def register(registry):
            registry.add(Fake)
    """)
    registry = default_registry()
    node = registry.get("flow", "classifier:knn")
    assert node.origin == "built-in" and node.factory.__name__ != "Fake"
    builtin_failures = [s for s in registry.sources if s.origin == "built-in" and not s.ok]
    assert builtin_failures == []
    assert any("usurper" in p and "already taken" in p for p in registry.problems)


def test_a_plugin_registers_all_of_its_components_or_none(plugin_folder):
    _write(plugin_folder, "half.py", """
        from workbench.core.params import Configurable
        class First(Configurable):
            '''A new filter.'''
            kind = "filter"
            name = "first-of-two"
        class Second(Configurable):
            '''Collides with a built-in classifier.'''
            kind = "classifier"
            name = "IBk"
        def register(registry):
            registry.add(First)
            registry.add(Second)
    """)
    registry = default_registry()
    assert registry.find("filter", "first-of-two") is None
    assert registry.find("flow", "filter:first-of-two") is None
    assert any("half" in p for p in registry.problems)


def test_plugin_components_still_get_their_flow_nodes(plugin_folder):
    _write(plugin_folder, "echo.py", """
        from workbench.core.params import Configurable
        class Echo(Configurable):
            '''Returns its input.'''
            kind = "classifier"
            name = "echo-learner"
        def register(registry):
            registry.add(Echo)
    """)
    registry = default_registry()
    assert registry.find("flow", "classifier:echo-learner") is not None


def test_each_plugin_records_how_long_it_took(plugin_folder):
    _write(plugin_folder, "sleepy.py", """
        import time
        time.sleep(0.05)
        def register(registry):
            pass
    """)
    registry = Registry()
    plugins.load_plugins(registry)
    status = next(s for s in registry.sources if s.module.endswith("sleepy"))
    assert status.ok and status.seconds >= 0.05


def test_a_plugin_component_that_cannot_become_a_node_is_reported_not_raised(plugin_folder):
    _write(plugin_folder, "odd.py", """
        from workbench.core.params import Configurable
        class Meta(type):
            @property
            def params(cls):
                raise RuntimeError("no parameters today")
        Broken = Meta("Broken", (Configurable,), {"kind": "classifier", "name": "broken",
                                                  "__doc__": "Broken."})
        def register(registry):
            registry.add(Broken)
    """)
    registry = default_registry()
    assert any("broken" in p and "cannot be a flow node" in p for p in registry.problems)
    assert registry.find("flow", "classifier:knn") is not None
