"""``workbench explorer [FILE] [--run] [--screenshot PATH]``: open the Explorer.

With ``--screenshot`` the window is drawn offscreen when there is no display, the file is
loaded, with ``--run`` the chosen classification runs to the end, and a PNG of the
window is saved before the command exits: how the README's pictures are made, and a
check that the whole GUI path works on a machine without a screen.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from workbench.commands._args import (
    add_csv_arguments,
    csv_arguments_checked,
    csv_reader_arguments,
    file_name,
)
from workbench.commands._encoding import add_encoding_argument
from workbench.commands._window import add_screenshot_arguments, refuse_without_qt, start_qt
from workbench.core.errors import WorkbenchError
from workbench.data.catalog import resolve_data_path

if TYPE_CHECKING:
    from workbench.gui.explorer import ExplorerWindow
    from workbench.gui.explorer.load_options import LoadOptions

TABS = ("preprocess", "classify", "visualize", "log")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", metavar="FILE", type=file_name,
                        help="ARFF or CSV file to open, or a bundled dataset's name such as "
                             "iris")
    parser.add_argument("--run", action="store_true",
                        help="start the classification once the file is loaded")
    parser.add_argument("--classifier", metavar="NAME", default=None,
                        help="classifier to choose (name or WEKA alias; default: ZeroR, as "
                             "in WEKA)")
    parser.add_argument("--set", dest="values", action="append", default=[],
                        metavar="NAME=VALUE",
                        help="set a classifier parameter, e.g. --set k=3 (repeatable)")
    parser.add_argument("--test", choices=("cv", "split", "training"), default=None,
                        help="test option: cross-validation (default), percentage split "
                             "or the training set")
    parser.add_argument("--folds", type=int, default=None, metavar="N",
                        help="cross-validation folds (default: 10)")
    parser.add_argument("--tab", choices=TABS, default=None,
                        help="tab to show (default: classify with --run, else preprocess)")
    # How to read FILE: the options of `workbench info`, which File > Open with
    # options... offers in the window (and remembers for the file, as these are)
    csv = parser.add_argument_group("reading FILE (CSV files; --encoding ARFF too)")
    add_csv_arguments(csv)
    add_encoding_argument(csv)
    add_screenshot_arguments(parser, "1100x760", "loading and running")


def load_options(args: argparse.Namespace) -> LoadOptions | None:
    """The options FILE is read with, as the window's *Open with options...* holds
    them; None when none was typed (the window then reads the file as it last did)."""
    from workbench.data.number_format import separator_typed
    from workbench.gui.explorer.load_options import LoadOptions

    csv_arguments_checked(args, args.file)
    csv_reader_arguments(args)   # a bad separator or date format, before any window
    options = LoadOptions(encoding=args.encoding or "", delimiter=args.delimiter or "",
                          header=not args.no_header, skip_lines=args.skip_lines,
                          nominal=args.nominal or "", string=args.string or "",
                          numeric=args.numeric or "", date=args.date or "",
                          date_format=args.date_format or "",
                          # (each --missing is comma-separated, as the window's field)
                          missing=",".join(t for t in args.missing or () if t.strip()),
                          decimal=separator_typed(args.decimal or ""),
                          thousands=separator_typed(args.thousands or ""))
    return None if options.is_default() else options


def run(args: argparse.Namespace) -> int:
    if args.file:
        args.file = str(resolve_data_path(args.file))  # before any window: a typo fails fast
    if args.folds is not None:  # the bounds every front uses, before any window too
        from workbench.evaluation.test_options import TestOptions

        TestOptions(folds=args.folds)
    refuse_without_qt()   # load_options imports the window's package
    options = load_options(args)   # a bad option fails before any window, too
    app, size = start_qt(args)
    from workbench.gui.explorer import ExplorerWindow
    from workbench.gui.screenshot import dispose, save_png, wait_until

    window = ExplorerWindow()
    if args.classifier:
        window.classify.choose(args.classifier)
    if args.values:
        window.classify.choose(window.classify.chooser.current_name() or "zeror",
                               _values(args.values, window.classify.chooser.current()))
    if args.test is not None:
        {"cv": window.classify.use_cv, "split": window.classify.use_split,
         "training": window.classify.use_training}[args.test].setChecked(True)
    if args.folds is not None:
        window.classify.set_test_options(folds=args.folds)
    if args.screenshot:
        window.resize(*size)
    window.show()
    try:
        if args.file:
            window.open_file(args.file, options)
            if args.screenshot or args.run:
                if not wait_until(lambda: window.load_job is None, args.timeout):
                    raise WorkbenchError(f"{args.file}: still loading after {args.timeout:g} s")
                if window.dataset is None:
                    raise WorkbenchError(window.preprocess.message.text() or
                                         _offered(window, args.file) or
                                         f"{args.file}: could not be loaded")
            if args.run:
                window.tabs.setCurrentWidget(window.classify)
                if not window.classify.start():
                    raise WorkbenchError(window.classify.progress_label.text())
        elif args.run:
            raise WorkbenchError("--run needs a FILE to classify")
        tab = args.tab or ("classify" if args.run else None)
        if tab is not None:
            window.tabs.setCurrentIndex(TABS.index(tab))
        if not args.screenshot:
            return app.exec()
        if args.run:
            if not wait_until(lambda: not window.classify.running, args.timeout):
                window.classify.stop()
                raise WorkbenchError(f"the classification was still running after "
                                     f"{args.timeout:g} s; no screenshot written")
            if not window.classify.evaluations:
                raise WorkbenchError(window.classify.progress_label.text() or "the run failed")
        wait_until(lambda: False, 0.3)
        save_png(window, args.screenshot)
        window.save_settings()
        dispose(window)
        print(f"wrote {args.screenshot}")
        return 0
    except WorkbenchError:
        # a one-shot run that failed leaves no window behind (nor the options dialog
        # a failed read offers, modal over it), in-process callers included
        dispose(window)
        raise


def _offered(window: ExplorerWindow, path: str) -> str:
    """Why a one-shot run read nothing when the window offered its options dialog
    instead: options kept for an earlier file at ``path`` are offered, not applied, and
    no one is there to check them."""
    from workbench.gui.explorer.csv_options import CsvOptionsDialog

    dialog = window.options_dialog
    if not isinstance(dialog, CsvOptionsDialog):
        return ""
    return (f"{path}: the file has changed since the Explorer read it with "
            f"{dialog.options().summary()}; give the options on the command line, or "
            f"open it in the window to check them")


def _values(items: list[str], info) -> dict:
    """``NAME=VALUE`` texts read through the classifier's own declaration."""
    params = {p.name: p for p in info.params}
    values = {}
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip().replace("-", "_")
        if not sep or name not in params:
            known = ", ".join(params) or "none"
            raise WorkbenchError(f"--set '{item}': expected NAME=VALUE with NAME one of "
                                 f"{info.name}'s parameters ({known})")
        values[name] = params[name].parse(text)
    return values

