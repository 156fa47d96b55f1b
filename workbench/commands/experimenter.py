"""``workbench experimenter [SPEC.json|NAME] [--run] [--tab T] [--screenshot PATH]``:
open the Experimenter window, on an experiment file or a bundled experiment by name
(``optimisers``), as ``workbench experiment run`` takes either.

With ``--screenshot`` the window is drawn offscreen when there is no display, the spec is
opened, with ``--run`` the experiment runs to the end (its results then fill the Analyse
tab), and a PNG of the chosen tab is saved before the command exits.
"""

from __future__ import annotations

import argparse

from workbench.commands._args import file_name
from workbench.commands._window import add_screenshot_arguments, start_qt
from workbench.core.errors import WorkbenchError
from workbench.core.resources import experiment_spec_path

TABS = ("setup", "run", "analyse")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", nargs="?", metavar="SPEC.json", type=file_name,
                        help="experiment definition to open, or the name of a bundled "
                             "experiment (e.g. optimisers)")
    parser.add_argument("--out", metavar="RESULTS", type=file_name,
                        help="results table: CSV, or ARFF as WEKA's Experimenter writes "
                             "it for a name ending .arff (default: SPEC's name with "
                             ".results.csv beside it, or in ~/workbench-output for a "
                             "bundled one)")
    parser.add_argument("--run", action="store_true",
                        help="start the experiment once the window is open")
    parser.add_argument("--tab", choices=TABS, default=None,
                        help="tab to show (default: analyse with --run, else setup)")
    add_screenshot_arguments(parser, "1000x720", "the run")


def run(args: argparse.Namespace) -> int:
    spec_path = experiment_spec_path(args.spec) if args.spec else None  # before a window
    app, size = start_qt(args)
    from workbench.gui.experimenter import Experimenter
    from workbench.gui.screenshot import dispose, save_png, wait_until

    window = Experimenter()
    if spec_path is not None and window.open_spec(spec_path) is None:
        raise WorkbenchError(window.setup.message.text())
    if args.out:
        window.setup.results.setText(args.out)
    if args.screenshot:
        window.resize(*size)
    window.show()
    if args.run:
        if not args.spec:
            raise WorkbenchError("--run needs a SPEC.json to run")
        # A dataset file is checked on a worker thread as the experiment opens, and
        # Start refuses while a check is still reading ("Start again in a moment").
        if not wait_until(lambda: not window.setup.checking_datasets(), args.timeout):
            still = ", ".join(window.setup.checking_datasets())
            raise WorkbenchError(f"the dataset checks ({still}) were still running after "
                                 f"{args.timeout:g} s; nothing was run")
        if not window.start():
            raise WorkbenchError(window.run.last_error or "the experiment did not start")
    tab = args.tab or ("analyse" if args.run else "setup")
    if not args.screenshot:
        window.tabs.setCurrentIndex(TABS.index(tab))
        return app.exec()
    if args.run:
        if not wait_until(lambda: not window.running, args.timeout):
            window.stop()
            raise WorkbenchError(f"the experiment was still running after "
                                 f"{args.timeout:g} s; no screenshot written")
        if window.run.summary is None:
            raise WorkbenchError(window.run.last_error or "the experiment did not finish")
    window.tabs.setCurrentIndex(TABS.index(tab))
    wait_until(lambda: False, 0.3)
    save_png(window, args.screenshot)
    dispose(window)
    print(f"wrote {args.screenshot}")
    return 0
