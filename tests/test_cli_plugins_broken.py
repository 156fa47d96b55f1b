"""A broken plugin is reported and skipped on every command (walkthrough 7, item 16): one
warning line on stderr per broken plugin, naming its file and the error's one line; the
traceback only with ``--debug``; ``workbench plugins`` lists it as failed."""

from __future__ import annotations

import logging

import pytest

from workbench.cli import main
from workbench.core.registry import reset_default_registry

BROKEN = {
    "imports_nothing.py": ("import workbench_no_such_module\n\ndef register(r):\n    pass\n",
                           "line 1: ModuleNotFoundError: No module named "
                           "'workbench_no_such_module'"),
    "bad_syntax.py": ("def register(registry)\n    pass\n",
                      "line 1: SyntaxError: expected ':'"),
    "raises.py": ("def register(registry):\n    raise ValueError('no\\nway')\n",
                  "failed to register: line 2: ValueError: no way"),
}
GOOD = """
from workbench.classifiers.zeror import ZeroR

class Majority(ZeroR):
    '''The majority class, under another name.'''
    name = "majority-plugin"
    display_name = "Majority"
    aliases = ()

def register(registry):
    registry.add(Majority)
"""


@pytest.fixture
def plugin_folder(tmp_path, monkeypatch):
    folder = tmp_path / "plugins"
    folder.mkdir(mode=0o755)
    for name, (source, _) in BROKEN.items():
        (folder / name).write_text(source)
        (folder / name).chmod(0o644)
    (folder / "good.py").write_text(GOOD)
    (folder / "good.py").chmod(0o644)
    monkeypatch.setenv("WORKBENCH_PLUGIN_PATH", str(folder))
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    reset_default_registry()
    yield folder
    reset_default_registry()


def _warnings(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("workbench: warning:")]


@pytest.mark.parametrize("command", [
    ["info", "weather.nominal"],
    ["classify", "-t", "weather.nominal", "-x", "2", "--no-progress", "majority-plugin"],
])
def test_every_command_says_each_broken_plugin_once_in_one_line(command, plugin_folder,
                                                                 capsys):
    assert main(command) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = _warnings(err)
    assert len(lines) == len(BROKEN), err
    for name, (_, words) in BROKEN.items():
        [line] = [line for line in lines if str(plugin_folder / name) in line]
        assert words in line and "skipped" in line, line


def test_debug_adds_the_traceback(plugin_folder, capsys):
    # --debug adds a handler on stderr (here capsys's stream, closed after this test) to
    # the "workbench" logger: put the logger back as it was for the tests that follow.
    logger = logging.getLogger("workbench")
    handlers, level = list(logger.handlers), logger.level
    try:
        assert main(["--debug", "info", "weather.nominal"]) == 0
    finally:
        for handler in [h for h in logger.handlers if h not in handlers]:
            logger.removeHandler(handler)
        logger.setLevel(level)
    err = capsys.readouterr().err
    assert len(_warnings(err)) == len(BROKEN)
    assert err.count("Traceback (most recent call last):") == len(BROKEN)
    assert f'File "{plugin_folder / "imports_nothing.py"}", line 1' in err
    assert f"loaded plugin {plugin_folder / 'good.py'}" in err


def test_plugins_lists_them_as_failed(plugin_folder, capsys):
    assert main(["plugins"]) == 0
    out = capsys.readouterr().out
    assert out.count("failed  plugin") == len(BROKEN)
    for _, words in BROKEN.values():
        assert words in out
