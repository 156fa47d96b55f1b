"""The command line starts fast because it imports only the command it runs.

What is checked is which modules a fresh interpreter has loaded, not how long it took:
the time is measured by ``benchmarks/startup.py``.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import pytest

import workbench.commands
from workbench.cli import build_parser, command_in
from workbench.commands import COMMANDS

# What no command that merely reads a file should pay for: the learners' libraries, the
# Experimenter's statistics, Qt, and the layers above data.
HEAVY = ("scipy.stats", "sklearn", "pandas", "PySide6", "workbench.classifiers",
         "workbench.evaluation", "workbench.flow", "workbench.gui")


def _modules_loaded_by(*argv: str) -> set[str]:
    """The modules a fresh interpreter holds after ``workbench ARGV`` ran."""
    code = ("import json, sys\n"
            "from workbench.cli import main\n"
            "try:\n"
            f"    main({list(argv)!r})\n"
            "except SystemExit:\n"
            "    pass\n"
            "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def _loaded(modules: set[str], prefix: str) -> bool:
    return any(m == prefix or m.startswith(prefix + ".") for m in modules)


@pytest.mark.parametrize("argv", [("--version",), ("--help",), ()])
def test_version_and_help_import_no_command_and_no_science_library(argv):
    modules = _modules_loaded_by(*argv)
    # (workbench.commands._args holds the parser class every command shares)
    assert not [m for m in modules if m.startswith("workbench.commands.")
                and m != "workbench.commands._args"]
    assert not [name for name in (*HEAVY, "numpy", "scipy") if _loaded(modules, name)]


def test_info_imports_only_its_own_command_and_no_learner_library():
    modules = _modules_loaded_by("info", "iris")
    assert "workbench.commands.info" in modules
    # (workbench.commands._args holds the argument types every command shares,
    # _encoding the --encoding option of every command that reads data files, _stdio
    # FILE '-', _missing_words the NA warning every command reading CSV gives,
    # _separated_numbers its decimal-comma warning and _csv_layout its notes on the
    # file's layout: a header that looks like data, a row-index column)
    assert not [m for m in modules if m.startswith("workbench.commands.")
                and m not in ("workbench.commands.info", "workbench.commands._args",
                              "workbench.commands._encoding", "workbench.commands._stdio",
                              "workbench.commands._missing_words",
                              "workbench.commands._separated_numbers",
                              "workbench.commands._csv_layout")]
    assert not [name for name in HEAVY if _loaded(modules, name)]


def test_every_command_module_is_listed_and_every_listed_command_has_one():
    modules = {m.name for m in pkgutil.iter_modules(workbench.commands.__path__)
               if not m.name.startswith("_")}
    assert modules == set(COMMANDS)


def test_the_full_parser_still_knows_every_command_and_its_options():
    parser = build_parser()
    for name in COMMANDS:
        args = parser.parse_args([name, *_minimal(name)])
        assert args.command == name and callable(args._run)


def _minimal(name: str) -> list[str]:
    """The fewest arguments each command parses without error."""
    return {"info": ["iris"], "convert": ["a.csv", "b.arff"],
            "experiment": ["analyse", "r.csv"], "run": ["cross-validation"]}.get(name, [])


@pytest.mark.parametrize(("argv", "command"), [
    (["info", "iris"], "info"), (["--debug", "classify", "-t", "iris"], "classify"),
    (["--screenshot", "x.png"], None), (["--screenshot", "list", "run"], "run"),
    (["--version"], None), ([], None)])
def test_the_command_is_the_first_word_that_is_not_a_global_option(argv, command):
    assert command_in(argv) == command
