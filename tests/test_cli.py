import subprocess
import sys

from workbench import __version__, cli
from workbench.cli import main


def test_no_command_prints_help_to_a_script(capsys):
    # A caller passing its own argv never opens the chooser window.
    assert main([]) == 0
    assert "usage: workbench" in capsys.readouterr().out


def test_no_command_and_no_display_is_a_one_line_refusal(capsys, monkeypatch):
    # As explorer/flow/experimenter refuse; it printed the whole help and exit 0.
    monkeypatch.setattr(sys, "argv", ["workbench"])
    monkeypatch.setattr(cli, "_display_available", lambda: False)
    assert main() == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("workbench: error: no display to open the GUI chooser")
    assert "'workbench --help' lists the commands" in captured.err


def test_list_rejects_an_unknown_kind_with_exit_status_2(capsys):
    assert main(["list", "gadgets"]) == 2
    err = capsys.readouterr().err
    assert "unknown kind 'gadgets'" in err and "Traceback" not in err


def test_python_dash_m_runs_the_same_command_line():
    done = subprocess.run([sys.executable, "-m", "workbench", "--version"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == f"workbench {__version__}"


def test_a_request_too_large_for_memory_is_a_refusal_not_a_traceback(capsys, monkeypatch):
    # (Not a real 7 TiB request: where the kernel overcommits it would be granted and
    # the test killed while filling it.)
    from workbench.commands import info

    def too_big(args):
        raise MemoryError("Unable to allocate 7.28 TiB for an array")

    monkeypatch.setattr(info, "run", too_big)
    assert main(["info", "iris"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("workbench: error: not enough memory for this command: Unable")
    assert "Traceback" not in err
