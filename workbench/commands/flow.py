"""``workbench flow [FLOW] [--run] [--screenshot PATH]``: open the Knowledge Flow editor.

With ``--screenshot`` the window is drawn offscreen when there is no display, the flow
is opened, with ``--run`` run to the end, and a PNG of the window is saved before the
command exits: how the README's pictures are made, and a check that the editor works on
a machine without a screen.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.commands._args import file_name
from workbench.commands._window import add_screenshot_arguments, start_qt
from workbench.core.errors import WorkbenchError
from workbench.core.resources import bundled_flow_path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("flow", nargs="?", metavar="FLOW", type=file_name,
                        help="a flow file (.kflow.json), or the name of a bundled template "
                             "such as cross-validation")
    parser.add_argument("--run", action="store_true", help="run the flow once it is open")
    add_screenshot_arguments(parser, "1200x760", "the run")


def run(args: argparse.Namespace) -> int:
    if args.flow and not Path(args.flow).is_file():
        template = bundled_flow_path(args.flow)
        if template is None:
            raise WorkbenchError(f"{args.flow}: no such flow file, nor a bundled template of "
                                 f"that name (the editor lists them under File > Templates)")
        args.flow = str(template)
    app, size = start_qt(args)
    from workbench.gui.flow_editor import FlowEditor
    from workbench.gui.flow_editor.document import read_flow
    from workbench.gui.screenshot import save_png, wait_until

    # A bad file fails here, clearly; what the reader warns of (a node placed anew) is
    # the window's to say, in its log and status bar, not the terminal's as well.
    flow, notes = read_flow(args.flow) if args.flow else (None, [])
    window = FlowEditor()
    if flow is not None:
        window.show_read_flow(flow, notes)
    if args.screenshot:
        window.resize(*size)
    window.show()
    if args.run:
        if flow is None:
            raise WorkbenchError("--run needs a FLOW to run")
        if args.screenshot:  # nobody to ask: writes outside the flow's folder are refused
            window.confirm_writes = lambda parent, targets: False
        if not window.run_all() and args.screenshot:
            raise WorkbenchError("the flow would write outside its folder or over files it "
                                 "did not write; see workbench run --allow-outside-writes")
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

