"""``workbench flow [FLOW] [--run] [--screenshot PATH]``: open the Knowledge Flow editor.

With ``--screenshot`` the window is drawn offscreen when there is no display, the flow
is opened, with ``--run`` run to the end, and a PNG of the window is saved before the
command exits: how the README's pictures are made, and a check that the editor works on
a machine without a screen.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.core.errors import WorkbenchError

NAME = "flow"
HELP = "open the Knowledge Flow editor (optionally on FLOW; --screenshot PATH saves a " \
       "picture and exits)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("flow", nargs="?", metavar="FLOW", help="a flow file (.kflow.json)")
    parser.add_argument("--run", action="store_true", help="run the flow once it is open")
    parser.add_argument("--screenshot", metavar="PATH",
                        help="save a PNG of the window (after the run) and exit")
    parser.add_argument("--size", default="1200x760", metavar="WxH",
                        help="window size for --screenshot (default: 1200x760)")
    parser.add_argument("--timeout", type=float, default=600.0, metavar="SECONDS",
                        help="longest wait for the run with --screenshot")


def run(args: argparse.Namespace) -> int:
    from workbench.gui.app import application, can_start_qt
    from workbench.gui.screenshot import ensure_offscreen_if_headless

    if args.screenshot:
        ensure_offscreen_if_headless()
    elif not can_start_qt():
        raise WorkbenchError("no display to open a window on (set DISPLAY, or use "
                             "--screenshot PATH to draw offscreen)")
    if args.flow and not Path(args.flow).is_file():
        raise WorkbenchError(f"{args.flow}: no such flow file")
    size = _size(args.size)
    app = application()
    from workbench.flow import load_flow
    from workbench.gui.flow_editor import FlowEditor
    from workbench.gui.screenshot import save_png, wait_until

    flow = load_flow(args.flow) if args.flow else None  # a bad file fails here, clearly
    window = FlowEditor()
    if flow is not None:
        window.set_flow(flow)
    if args.screenshot:
        window.resize(*size)
    window.show()
    if args.run:
        if flow is None:
            raise WorkbenchError("--run needs a FLOW to run")
        window.run_all()
    elif not args.screenshot:
        window.offer_recovery()
    if not args.screenshot:
        return app.exec()
    if args.run and not wait_until(lambda: not window.runner.running, args.timeout):
        window.stop()
        raise WorkbenchError(f"the flow was still running after {args.timeout:g} s; no "
                             f"screenshot written")
    wait_until(lambda: False, 0.2)
    window.view.fit()
    save_png(window, args.screenshot)
    window.undo_stack.setClean()
    window.close()
    print(f"wrote {args.screenshot}")
    failed = window.runner.result.failed if window.runner.result is not None else []
    window.dispose()
    return 1 if failed else 0


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise WorkbenchError(f"--size '{text}': expected WIDTHxHEIGHT, e.g. 1200x760") from None
    if width < 200 or height < 150:
        raise WorkbenchError(f"--size '{text}' is too small (at least 200x150)")
    return width, height
