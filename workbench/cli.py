"""The ``workbench`` command: one subcommand per module in ``workbench.commands``.

Each command module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and
``run(args) -> int``. Discovering them here keeps this file from becoming a switchboard
that every feature has to edit. Errors meant for the user (``WorkbenchError``) are
printed to stderr with exit status 2 and no traceback unless ``--debug`` is given.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType

from workbench import __version__
from workbench.core.errors import Cancelled, WorkbenchError

EXIT_USAGE = 2


def _command_modules() -> list[ModuleType]:
    import workbench.commands as package

    modules = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        if hasattr(module, "NAME") and hasattr(module, "run"):
            modules.append(module)
    return modules


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser; also used by tests and to generate the README's help."""
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="A machine-learning workbench: Explorer, Knowledge Flow and command line.",
    )
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="show the full traceback when something goes wrong")
    parser.add_argument("--screenshot", dest="launcher_screenshot", metavar="PATH",
                        help="with no command: save a PNG of the GUI chooser and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules():
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        command.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run = getattr(args, "_run", None)
    if run is None:
        # A plain ``workbench`` from a desktop opens the GUI chooser; callers that pass
        # their own argv (scripts, tests) and machines without a display get the help.
        shot = args.launcher_screenshot
        if not (shot or (argv is None and _display_available())):
            parser.print_help()
            return 0
        run = _launcher
    try:
        return int(run(args) or 0)
    except BrokenPipeError:
        # The reader went away (``workbench info ... | head``): not an error of ours.
        # Point stdout at devnull so the interpreter's final flush stays quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except Cancelled as error:
        print(f"workbench: {error}", file=sys.stderr)
        return 130
    except (WorkbenchError, OSError) as error:
        if args.debug:
            raise
        print(f"workbench: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


def _display_available() -> bool:
    if os.environ.get("QT_QPA_PLATFORM", "") in ("offscreen", "minimal"):
        return False
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _launcher(args: argparse.Namespace) -> int:
    try:
        from workbench.gui.app import run_launcher
    except ImportError as error:  # Qt missing or broken: the command line still works
        raise WorkbenchError(f"the GUI cannot start ({error}); run 'workbench --help' "
                             f"for the commands") from None
    return run_launcher(args.launcher_screenshot)


if __name__ == "__main__":
    sys.exit(main())
