"""What the window commands (explorer, flow, experimenter) share: the screenshot flags
and starting Qt, so each command only says what its window does."""

from __future__ import annotations

import argparse
from typing import Any

from workbench.commands._args import file_name
from workbench.core.errors import WorkbenchError


def add_screenshot_arguments(parser: argparse.ArgumentParser, size: str, wait: str) -> None:
    parser.add_argument("--screenshot", metavar="PATH", type=file_name,
                        help="save a PNG of the window and exit")
    parser.add_argument("--size", default=size, metavar="WxH",
                        help=f"window size for --screenshot (default: {size})")
    parser.add_argument("--timeout", type=float, default=600.0, metavar="SECONDS",
                        help=f"longest wait for {wait} with --screenshot")


def refuse_without_qt() -> None:
    """Refuse, in one line naming the package to install, where Qt's GUI libraries cannot
    load (a server image without libGL): before any window module is imported, since
    importing one is what fails."""
    from workbench.gui.display_check import qt_import_problem

    problem = qt_import_problem()
    if problem is not None:
        raise WorkbenchError(problem)


def start_qt(args: argparse.Namespace) -> tuple[Any, tuple[int, int]]:
    """The QApplication and the window size, or a clear refusal when no window can open.

    With ``--screenshot`` and no display the window is drawn offscreen.
    """
    refuse_without_qt()
    from workbench.gui.app import application, can_start_qt
    from workbench.gui.screenshot import ensure_offscreen_if_headless

    if args.screenshot:
        ensure_offscreen_if_headless()
    elif not can_start_qt():
        raise WorkbenchError("no display to open a window on (set DISPLAY, or use "
                             "--screenshot PATH to draw offscreen)")
    size = window_size(args.size)
    return application(), size


def window_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise WorkbenchError(f"--size '{text}': expected WIDTHxHEIGHT, e.g. 1100x760") from None
    if width < 200 or height < 150:
        raise WorkbenchError(f"--size '{text}' is too small (at least 200x150)")
    return width, height
