"""``workbench experiment run|analyse``: WEKA's Experimenter from the command line.

``run`` computes an experiment file's runs into a results table (CSV, or ARFF in WEKA's
Experimenter's layout for a name ending ``.arff``), resuming where an earlier invocation
stopped; ``analyse`` prints the corrected paired t-test table of a results table, ours
or the ARFF one WEKA's Experimenter writes. Both are thin: everything is in
``workbench.evaluation.experiment``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from workbench.commands._args import file_name
from workbench.commands._stdio import STDIN_NAME, is_stdio, refuse_stdio, stdin_data_file
from workbench.core.errors import Cancelled, WorkbenchError
from workbench.core.progress import ProgressEvent
from workbench.core.resources import default_results_path, experiment_spec_path
from workbench.evaluation.experiment import (
    BACKENDS,
    FORMATS,
    compare,
    export,
    load_spec,
    make_backend,
    read_results,
    run_experiment,
)
from workbench.evaluation.experiment.export import csv_notes
from workbench.evaluation.experiment.export_json import comparison_json
from workbench.evaluation.experiment.names import (
    recorded_command_names,
    recorded_names,
    resolve_classifier,
)
from workbench.evaluation.experiment.resultsfile import check_table_name
from workbench.evaluation.experiment.spec import validate_for_run


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    run = sub.add_parser("run", help="compute the runs of SPEC.json (resumes a stopped run)")
    run.add_argument("spec", metavar="SPEC.json", type=file_name,
                     help="experiment definition, or the name of a bundled experiment "
                          "(e.g. optimisers)")
    run.add_argument("--backend", choices=BACKENDS, default="local",
                     help="where runs are computed (default: local, in this process)")
    run.add_argument("--scheduler", metavar="ADDR",
                     help="Dask scheduler address (tcp://host:8786); without it the dask "
                          "backend starts a local cluster on loopback")
    run.add_argument("--workers", type=int, metavar="N",
                     help="worker processes for processes/local dask (default: CPUs, max 8)")
    run.add_argument("--out", metavar="RESULTS", type=file_name,
                     help="results table: CSV, or ARFF as WEKA's Experimenter writes it "
                     "(InstancesResultListener) for a name ending .arff, which WEKA's "
                     "Analyse tab opens; both are appended to and resumed from, so - is "
                     "refused (default: SPEC's name with .results.csv beside it, or in "
                     "~/workbench-output for a bundled experiment)")
    run.add_argument("--quiet", action="store_true", help="no progress lines on stderr")

    analyse = sub.add_parser("analyse", aliases=["analyze"],
                             help="corrected paired t-test table of a results table")
    analyse.add_argument("results", metavar="RESULTS", type=file_name,
                         help="results table: the CSV or ARFF one 'experiment run' "
                              "writes, or the ARFF results of WEKA's Experimenter "
                              "(InstancesResultListener); - for standard input")
    analyse.add_argument("--metric", default="accuracy", help="metric column to compare, "
                         "ours or WEKA's name of it (Percent_correct is accuracy; a WEKA "
                         "file's other columns by WEKA's names; default: accuracy)")
    analyse.add_argument("--baseline", metavar="NAME",
                         help="classifier to test against: its label in the results, "
                              "the name the window shows (IBk -K 3) or its command-line "
                              "name (knn --k 3), labelled or not (default: the first)")
    analyse.add_argument("--significance", type=float, default=0.05,
                         help="significance level, two-tailed (default: 0.05)")
    output = analyse.add_mutually_exclusive_group()
    output.add_argument("--format", choices=FORMATS, default="text",
                        help="output format (default: text); the CSV holds one row per "
                             "dataset and nothing else, the marks' meaning and the "
                             "(v/ /*) counts go to stderr")
    output.add_argument("--json", action="store_true",
                        help="one JSON document: metric, baseline, marks, and per "
                             "dataset and classifier mean, std, runs, mark and p-value "
                             "(numbers as numbers, null for none; fields in "
                             "docs/user-guide/experimenter.md)")
    analyse.add_argument("--precision", type=int, default=2,
                         help="decimals in text and LaTeX (default: 2)")


def run(args: argparse.Namespace) -> int:
    if args.action == "run":
        return _run(args)
    return _analyse(args)


def _run(args: argparse.Namespace) -> int:
    for name, value in (("SPEC", args.spec), ("--out", args.out)):
        if value and "\x00" in value:
            raise WorkbenchError(f"{name}: a file name cannot contain a NUL character")
    # '-' is standard input or output elsewhere; here a file is needed: the experiment's
    # results are kept beside it, and the table is appended to and resumed from.
    refuse_stdio(args.spec, "SPEC", "the experiment is read from a file, whose results "
                 "table is kept beside it: give its file name")
    refuse_stdio(args.out, "--out", "the results table is appended to and resumed from, "
                 "so it must be a file: give a file name")
    spec_path = experiment_spec_path(args.spec)
    if args.out:
        check_table_name(args.out)   # before the runs, not after them
    spec = load_spec(spec_path)
    validate_for_run(spec, source=str(spec_path))  # before a results file exists
    if args.workers is not None and args.workers < 1:
        raise WorkbenchError(f"--workers must be at least 1, got {args.workers}")
    backend = make_backend(args.backend, scheduler=args.scheduler, workers=args.workers)
    out = Path(args.out) if args.out else default_results_path(spec_path)
    last = [-1]

    def progress(event: ProgressEvent) -> None:
        percent = int(100 * (event.fraction or 0.0))
        if percent != last[0]:
            last[0] = percent
            print(f"{percent:3d}% {event.message}", file=sys.stderr, flush=True)

    try:
        summary = run_experiment(spec, out, backend,
                                 progress=None if args.quiet else progress,
                                 source=str(spec_path))
    except (Cancelled, KeyboardInterrupt):
        print(f"stopped; finished runs are kept in {out}, run again to resume",
              file=sys.stderr)
        return 130
    print(f"{summary.executed} runs computed, {summary.skipped} already done, "
          f"{summary.total} in all, {summary.seconds:.1f} s with the {backend.name} backend;"
          f" results in {out}")
    return 0


def _analyse(args: argparse.Namespace) -> int:
    """``analyse RESULTS``; ``-`` reads the table from standard input, CSV or ARFF (no
    record of the experiment comes with it, so classifiers are named by their labels)."""
    if is_stdio(args.results):
        with stdin_data_file() as path:
            return _analyse_table(args, path, STDIN_NAME)
    return _analyse_table(args, Path(args.results), args.results)


def _analyse_table(args: argparse.Namespace, path: Path, named: str) -> int:
    notes: list[str] = []
    table = read_results(path, notes)
    for note in notes:
        print(f"workbench: warning: {note.replace(str(path), named)}", file=sys.stderr)
    if args.precision < 0:
        raise WorkbenchError(f"--precision must be at least 0, got {args.precision}")
    baseline = args.baseline
    names = recorded_names(path)
    if baseline is not None:  # a label, the name the window shows, or the command line's
        baseline = resolve_classifier(baseline, dict.fromkeys(table["classifier"]), names,
                                      recorded_command_names(path))
    comparison = compare(table, args.metric, baseline, args.significance)
    if args.json:   # both names of each classifier: shown, and its results-table label
        # Built whole before a byte is written: a failure never leaves half a
        # document on stdout for a script to half-read.
        document = json.dumps(comparison_json(comparison, names), indent=2,
                              allow_nan=False)
        sys.stdout.write(document + "\n")
        return 0
    # Every format names the classifiers as the window does ("NaiveBayes", "IBk -K 3"),
    # so a CSV from here and one saved from the window have the same columns.
    shown = comparison.renamed(names)
    sys.stdout.write(export(shown, args.format, args.precision))
    if args.format == "csv":
        sys.stdout.flush()
        sys.stderr.write(csv_notes(shown))
    return 0
