"""The ``workbench`` command: one subcommand per module in ``workbench.commands``.

Each command module defines ``add_arguments(parser)`` and ``run(args) -> int``; its name
and summary are listed in ``workbench.commands.COMMANDS``. Only the module of the command
being run is imported, so ``workbench --version`` and ``--help`` start in the time
Python itself needs and ``workbench info`` does not pay for scikit-learn or scipy.stats
(``benchmarks/startup.py`` measures it). Errors meant for the user (``WorkbenchError``)
are printed to stderr with exit status 2 and no traceback unless ``--debug`` is given.
Warnings from the libraries underneath (scikit-learn's "has not converged") are said
once each, on one line, in the same voice. ``EXIT_STATUSES`` lists every exit status a
script can meet; ``workbench --help`` prints it.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
import warnings
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn, TextIO

from workbench import __version__
from workbench.commands import COMMANDS
from workbench.commands._args import CommandParser, unrecognized_message
from workbench.core.errors import Cancelled, WorkbenchError, printable

EXIT_USAGE = 2
# Line breaks and tabs lay out a multi-line message (a list of refused targets).
_LAYOUT = "\n\t"

EXIT_STATUSES = """exit status:
  0    done
  1    workbench run: a node of the flow failed (each named on stderr)
  2    bad input: a file, an option or a value (one line on stderr, file:line:column
       where there is one)
  130  stopped by Ctrl-C (one line on stderr)
  141  the reader of standard output went away before the output was all written
       (workbench convert mnist-test - | head -1): the output was cut short, nothing
       is said (output that fits the pipe's buffer is all written: status 0)

'-' as a file name means standard input (a data file: ARFF, or CSV when its first line
that is not blank or a % comment does not start with @) or standard output (what the
command writes: the data, the predictions, a model when stdout is not a terminal; the
report then goes to stderr); ./- names a file called '-'."""
"""Printed under ``workbench --help``: what a script can tell from the status alone."""

EXIT_BROKEN_PIPE = 141   # 128 + SIGPIPE, what a shell reports for a tool SIGPIPE ended
EXIT_STOPPED = 130       # 128 + SIGINT
_STOPPED = "workbench: stopped by Ctrl-C; no file was left half-written"
# Commands that write no file: their stop says only that they stopped.
_WRITE_NOTHING = frozenset({"info", "list", "plugins"})


def build_parser(only: Collection[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser; by default with every command's options (tests, generated help).

    ``main`` passes only the command it found on the command line (or none), so only that
    command's module is imported; the others appear in ``--help`` by name and summary.
    """
    parser = CommandParser(
        prog="workbench",
        description="A machine-learning workbench: Explorer, Knowledge Flow and command line.",
        epilog=EXIT_STATUSES, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="show the full traceback when something goes wrong, and log "
                             "each plugin loaded")
    parser.add_argument("--screenshot", dest="launcher_screenshot", metavar="PATH",
                        help="with no command: save a PNG of the GUI chooser and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, summary in COMMANDS.items():
        parser_of_command = sub.add_parser(name, help=summary, description=summary)
        parser_of_command.set_defaults(_parser=parser_of_command)
        if only is None or name in only:
            module = importlib.import_module(f"workbench.commands.{name}")
            module.add_arguments(parser_of_command)
            # WEKA options a command does not offer, each with what to use instead.
            not_offered = getattr(module, "WEKA_OPTIONS_NOT_OFFERED", {})
            parser_of_command.set_defaults(_run=module.run, _not_offered=not_offered)
            if isinstance(parser_of_command, CommandParser):   # kept whole, refused
                parser_of_command.not_offered = not_offered
    return parser


def command_in(argv: Sequence[str]) -> str | None:
    """The command an argument list names: its first word that is not a global option."""
    words = iter(argv)
    for word in words:
        if word == "--screenshot":
            next(words, None)
        elif word == "--":
            return next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command ``argv`` names (default: the process's arguments).

    Ctrl-C is answered with one line and status 130 at any moment, while the command's
    modules are still being imported too (a Ctrl-C in the first second printed
    Python's traceback); a reader that closes the pipe early ends the command quietly
    with status 141, as a Unix tool that SIGPIPE ends."""
    try:
        status = _run_command(argv)
        sys.stdout.flush()   # a closed pipe is found here, not at the interpreter's exit
        return status
    except BrokenPipeError:
        # The reader went away (``workbench info ... | head``): not an error of ours.
        # Point stdout at devnull so the interpreter's final flush stays quiet.
        try:
            stdout = sys.stdout.fileno()
        except (AttributeError, OSError, ValueError):   # a stream with no descriptor
            return EXIT_BROKEN_PIPE
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stdout)
        os.close(devnull)
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        # Commands that write as they go say what they wrote themselves (classify,
        # run, experiment). The others write each file whole (a temporary file, then a
        # rename) once their work is done, so a stop leaves no half-written file.
        words = sys.argv[1:] if argv is None else list(argv)
        reading = command_in(words) in _WRITE_NOTHING
        print("workbench: stopped by Ctrl-C" if reading else _STOPPED, file=sys.stderr)
        return EXIT_STOPPED


def _run_command(argv: Sequence[str] | None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    command = command_in(words)
    parser = build_parser([command] if command else [])
    args, extra = parser.parse_known_args(words)
    if extra:
        # Say it in the command's own words (its usage, not the top level's), with the
        # nearest option it has.
        _unrecognized(getattr(args, "_parser", parser), extra,
                      getattr(args, "_not_offered", {}))
    run = getattr(args, "_run", None)
    if run is None:
        # A plain ``workbench`` from a desktop opens the GUI chooser; without a display
        # it is refused in one line, as the window commands refuse (the help is one
        # ``--help`` away). Callers that pass their own argv (scripts, tests) never
        # open a window: they get the help.
        if not args.launcher_screenshot:
            if argv is not None:
                parser.print_help()
                return 0
            if not _display_available():
                print("workbench: error: no display to open the GUI chooser on (set "
                      "DISPLAY, or use --screenshot PATH to draw it offscreen); "
                      "'workbench --help' lists the commands", file=sys.stderr)
                return EXIT_USAGE
        run = _launcher
    try:
        with _terminal_guard(), _debug_log(args.debug), \
                _warnings_said_once(quiet=not args.debug):
            return int(run(args) or 0)
    except BrokenPipeError:
        raise   # an OSError, but not the user's: main ends it quietly
    except Cancelled as error:
        print(f"workbench: {printable(str(error), keep=_LAYOUT)}", file=sys.stderr)
        return EXIT_STOPPED
    except (WorkbenchError, OSError) as error:
        if args.debug:
            raise
        # Messages quote file names and values as typed: escape what a terminal would
        # obey (ESC sequences) or cannot print (a file name's undecodable bytes).
        print(f"workbench: error: {printable(str(error), keep=_LAYOUT)}", file=sys.stderr)
        return EXIT_USAGE
    except MemoryError as error:
        # A request too large for this machine (a 10^6-unit layer, a huge dense table):
        # the user's to change, so it is reported like any other refusal.
        if args.debug:
            raise
        detail = f": {error}" if str(error) else ""
        print(f"workbench: error: not enough memory for this command{detail}; use "
              f"smaller settings or less data", file=sys.stderr)
        return EXIT_USAGE


@contextmanager
def _terminal_guard() -> Iterator[None]:
    """While the command runs, what it prints to a terminal shows the escapes of the
    characters a terminal would obey (a name from a file holding ESC[2J or U+202E);
    to a file or a pipe it is written exactly. Why, and why only there:
    ``core/terminal.py``."""
    from workbench.core.terminal import guarded

    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = guarded(out), guarded(err, keep_carriage_return=True)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


@contextmanager
def _debug_log(on: bool) -> Iterator[None]:
    """With ``--debug``, our own log lines (each plugin loaded) on stderr as
    ``workbench: ...`` for this command only; the libraries' loggers are left as they
    are. The handler goes when the command ends: ``main`` called again in one process
    (tests, a script) must not keep writing to a stream that has since been closed."""
    if not on:
        yield
        return
    logger = logging.getLogger("workbench")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("workbench: %(message)s"))
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


@contextmanager
def _warnings_said_once(quiet: bool) -> Iterator[None]:
    """Show each library warning once, as ``workbench: warning: ...`` on one line.

    Why one line and once: ``core/library_warnings.py``. ``--debug`` keeps Python's
    form. The hook is the process's while the command runs (the command line owns its
    process) and is put back after, so a caller of ``main`` gets its own back.
    """
    if not quiet:
        yield
        return
    from workbench.core.library_warnings import warning_text

    said: set[str] = set()

    def show(message: Warning | str, category: type[Warning], filename: str, lineno: int,
             file: TextIO | None = None, line: str | None = None) -> None:
        text = warning_text(message, category)
        if text not in said:
            said.add(text)
            print(f"workbench: warning: {text}", file=file or sys.stderr)

    saved: Callable[..., Any] = warnings.showwarning
    warnings.showwarning = show
    try:
        yield
    finally:
        warnings.showwarning = saved


def _unrecognized(parser: argparse.ArgumentParser, extra: Sequence[str],
                  not_offered: Mapping[str, str]) -> NoReturn:
    parser.error(unrecognized_message(parser, extra, not_offered))


def _display_available() -> bool:
    # Imported here: display_check imports no Qt, but the help and the commands that
    # read files should not even load the gui package.
    from workbench.gui.display_check import windows_can_show

    return windows_can_show()


def _launcher(args: argparse.Namespace) -> int:
    from workbench.commands._window import refuse_without_qt

    refuse_without_qt()   # Qt's libraries missing: one line naming the package
    try:
        from workbench.gui.app import run_launcher
    except ImportError as error:  # Qt missing or broken: the command line still works
        raise WorkbenchError(f"the GUI cannot start ({error}); run 'workbench --help' "
                             f"for the commands") from None
    return run_launcher(args.launcher_screenshot)


if __name__ == "__main__":
    sys.exit(main())
