"""What a script can tell from the exit status (walkthrough 13d, D5 and D7).

Ctrl-C in a command's first second printed Python's traceback (it came while the
command's modules were imported, outside the handler), or was taken by the registry for
a broken built-in ("no classifier called 'ZeroR' (known: none registered)"), or was lost
and the command ran on; now it is always one line and status 130. A reader that closes
the pipe (``| head -1``) gave status 1, the status of a failed flow; now 141, as a tool
that SIGPIPE ends, with nothing said.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from workbench.cli import main
from workbench.core.registry import Registry

STOPPED = "workbench: stopped by Ctrl-C; no file was left half-written\n"


def _interrupting_module(tmp_path, monkeypatch, name: str, where: str) -> None:
    source = ("raise KeyboardInterrupt\n" if where == "import" else
              "def register(registry):\n    raise KeyboardInterrupt\n")
    (tmp_path / f"{name}.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))


@pytest.mark.parametrize("where", ["import", "register"])
@pytest.mark.parametrize("origin", ["built-in", "plugin /somewhere/p.py"])
def test_ctrl_c_while_a_module_registers_stops_instead_of_being_its_failure(
        tmp_path, monkeypatch, where, origin):
    name = f"wb_ctrl_c_{where}_{origin[:6].replace('-', '_')}"
    _interrupting_module(tmp_path, monkeypatch, name, where)
    registry = Registry()
    with pytest.raises(KeyboardInterrupt):
        registry.register_module(name, origin=origin)
    assert not registry.problems


def test_a_plugins_sys_exit_is_still_its_own_failure(tmp_path, monkeypatch):
    (tmp_path / "wb_exits.py").write_text("import sys\nsys.exit(3)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry = Registry()
    assert registry.register_module("wb_exits", origin="plugin wb_exits.py") is False
    assert "SystemExit" in registry.problems[0]


def test_ctrl_c_while_the_command_is_imported_is_one_line_and_130(monkeypatch, capsys):
    import workbench.cli as cli

    def interrupted(name: str, *args: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli.importlib, "import_module", interrupted)
    assert main(["classify", "-t", "iris", "ZeroR"]) == 130
    captured = capsys.readouterr()
    assert captured.err == STOPPED and captured.out == ""


def test_ctrl_c_while_python_imports_the_command_line_itself(tmp_path):
    """``python -m workbench``: a Ctrl-C before ``workbench.cli`` is even imported."""
    script = textwrap.dedent("""
        import runpy, sys

        class Interrupt:
            def find_spec(self, name, path=None, target=None):
                if name == "workbench.cli":
                    raise KeyboardInterrupt
                return None

        sys.meta_path.insert(0, Interrupt())
        sys.argv = ["workbench", "info", "iris"]
        runpy.run_module("workbench", run_name="__main__", alter_sys=True)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
                          timeout=120)
    assert done.returncode == 130
    assert done.stderr == STOPPED and "Traceback" not in done.stderr


class _ClosedPipe:
    """A standard output whose reader went away."""

    def __init__(self, fd: int) -> None:
        self._fd = fd

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        pass

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return False


def test_a_closed_pipe_ends_quietly_with_141(tmp_path, monkeypatch, capsys):
    with open(tmp_path / "stands-for-stdout", "w") as handle:
        monkeypatch.setattr(sys, "stdout", _ClosedPipe(handle.fileno()))
        assert main(["list", "classifiers"]) == 141
    assert capsys.readouterr().err == ""


def test_the_help_lists_the_exit_statuses(capsys):
    from workbench.cli import build_parser

    build_parser([]).print_help()
    out = capsys.readouterr().out
    for status in ("0 ", "1 ", "2 ", "130", "141"):
        assert f"\n  {status}" in out, status
    assert "'-' as a file name means standard input" in out


def test_ctrl_c_in_a_command_that_writes_no_file_says_only_that_it_stopped(monkeypatch,
                                                                           capsys):
    """Walkthrough 13e: Ctrl-C during `workbench info -` said "no file was left
    half-written", of a command that writes no file."""
    import workbench.cli as cli

    def interrupted(name: str, *args: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli.importlib, "import_module", interrupted)
    assert main(["info", "iris"]) == 130
    assert capsys.readouterr().err == "workbench: stopped by Ctrl-C\n"
