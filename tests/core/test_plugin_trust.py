"""Plugin folders are trusted the way ssh trusts its configuration: absolute, owned by
the user (or root) and written by nobody else; anything else is refused, out loud."""

import logging
import os
import textwrap

import pytest

from workbench.cli import main
from workbench.core import plugins
from workbench.core.registry import Registry, reset_default_registry

pytestmark = pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX owners and modes")

_PLUGIN = textwrap.dedent("""
    from pathlib import Path
    Path(__file__).with_suffix(".ran").write_text("ran")
    def register(registry):
        pass
""")


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("WORKBENCH_PLUGIN_PATH", raising=False)
    reset_default_registry()
    yield tmp_path
    reset_default_registry()


def _plugin_in(folder, name="probe"):
    folder.mkdir(mode=0o755, parents=True, exist_ok=True)
    path = folder / f"{name}.py"
    path.write_text(_PLUGIN)
    path.chmod(0o644)
    return path


def _load(monkeypatch, entry):
    monkeypatch.setenv("WORKBENCH_PLUGIN_PATH", entry)
    registry = Registry()
    plugins.load_plugins(registry)
    return registry


def test_a_relative_entry_is_ignored_with_a_warning_saying_how(home, monkeypatch, capsys):
    """The README's own example was WORKBENCH_PLUGIN_PATH=plugins: every command then ran
    the *.py of ./plugins in whatever folder the user was in."""
    plugin = _plugin_in(home / "download" / "plugins")
    monkeypatch.chdir(home / "download")
    registry = _load(monkeypatch, "plugins")
    assert not plugin.with_suffix(".ran").exists()
    assert registry.sources == []
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "'plugins' is relative and was ignored" in err
    assert "WORKBENCH_PLUGIN_PATH=$PWD/plugins" in err


def test_an_absolute_entry_owned_by_the_user_loads_and_is_logged(home, monkeypatch,
                                                                  caplog, capsys):
    plugin = _plugin_in(home / "mine")
    with caplog.at_level(logging.INFO, logger="workbench"):
        registry = _load(monkeypatch, str(home / "mine"))
    assert plugin.with_suffix(".ran").exists()
    assert [s.ok for s in registry.sources] == [True]
    assert [r.getMessage() for r in caplog.records] == [f"loaded plugin {plugin}"]
    assert capsys.readouterr().err == ""   # normal output stays clean


@pytest.mark.parametrize("mode", [0o777, 0o775, 0o757])
def test_a_folder_others_can_write_is_refused(home, monkeypatch, capsys, mode):
    plugin = _plugin_in(home / "shared")
    (home / "shared").chmod(mode)
    registry = _load(monkeypatch, str(home / "shared"))
    assert not plugin.with_suffix(".ran").exists()
    assert any("was not loaded" in p and "can be written by" in p and "chmod go-w" in p
               for p in registry.problems)
    assert "was not loaded" in capsys.readouterr().err


def test_a_plugin_file_others_can_write_is_refused(home, monkeypatch):
    plugin = _plugin_in(home / "mine")
    plugin.chmod(0o666)
    registry = _load(monkeypatch, str(home / "mine"))
    assert not plugin.with_suffix(".ran").exists()
    assert any(f"{plugin} can be written by others" in p for p in registry.problems)


def test_a_folder_above_others_can_write_is_refused_unless_sticky(home, monkeypatch):
    plugin = _plugin_in(home / "open" / "mine")
    (home / "open").chmod(0o777)
    registry = _load(monkeypatch, str(home / "open" / "mine"))
    assert not plugin.with_suffix(".ran").exists()
    assert any(f"{home / 'open'} can be written by others" in p for p in registry.problems)
    (home / "open").chmod(0o1777)   # as /tmp: others cannot rename what is in it
    registry = _load(monkeypatch, str(home / "open" / "mine"))
    assert plugin.with_suffix(".ran").exists()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="changing a file's owner needs root")
def test_a_plugin_file_owned_by_another_user_is_refused(home, monkeypatch):
    plugin = _plugin_in(home / "mine")
    os.chown(plugin, 65534, 65534)
    registry = _load(monkeypatch, str(home / "mine"))
    assert not plugin.with_suffix(".ran").exists()
    assert any("owned by another user (uid 65534)" in p for p in registry.problems)


def test_workbench_plugins_says_which_entries_were_not_searched(home, monkeypatch, capsys):
    monkeypatch.setenv("WORKBENCH_PLUGIN_PATH", "plugins")
    assert main(["plugins"]) == 0
    out = capsys.readouterr().out
    assert "not searched: WORKBENCH_PLUGIN_PATH entry 'plugins' is relative" in out
