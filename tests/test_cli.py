import subprocess
import sys

from workbench import __version__
from workbench.cli import main


def test_no_command_prints_help(capsys):
    assert main([]) == 0
    assert "usage: workbench" in capsys.readouterr().out


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
