"""``workbench run FLOW``: run a Knowledge Flow headless, as the editor's Run button does.

    workbench run FLOW [--set NODE.PARAM=VALUE ...] [--out DIR] [--json]
                       [--allow-outside-writes]

FLOW is a flow file or the name of a bundled template (``workbench run
cross-validation``). Prints the text of every TextViewer; only with ``--out DIR`` does it
write every viewer's output there (without it a note on stderr names the viewers whose
output was not written) (text as ``.txt``, curve points, matrices and weights as ``.csv``,
and weights that look at an image's pixels also as a ``.png`` mosaic; charts are not
drawn, that needs the GUI libraries), except a viewer that writes its own files (a
DynamicsViewer, RbmViewer or LearningCurveOverlay with ``file`` set). Saver nodes write
relative file names there, or without ``--out`` next to the flow file (a bundled
template's into a per-user folder, ``~/workbench-output/NAME``); every file written is
listed on stderr. A flow that names a file outside that folder, or an existing file it
did not write itself, is refused before anything runs unless ``--allow-outside-writes``
is given; a device, FIFO or folder is never written (``workbench.flow.writes``).
``--json`` prints, instead of the text, JSON Lines: one JSON object per line for each
ClassifierPerformanceEvaluator, in flow order, with the fields of ``workbench classify
--json`` (``node`` and ``title`` name the evaluator). JSON Lines rather than one document
because a flow with one evaluator then prints exactly the one object it always printed
(a script's ``json.loads`` of it keeps working), and the format stays the same however
many evaluators a flow has: read every line, ``jq -s .`` for a list,
``python -m json.tool --json-lines``, or ``pandas.read_json(..., lines=True)``.
A learner with a training history has
its ``learning_curve`` (``epochs``, ``loss``, ``accuracy``, ``val_loss``,
``val_accuracy``, ``lr``, ``best_epoch``, and ``loss_name``, what ``loss`` measures:
"loss", or the perceptron's "error rate") where one model made every prediction (a
split, a training and a test set); after a cross-validation, which trains one model
per fold and none on all the data, ``learning_curves`` instead lists each fold's, as
``{"fold": 1, "epochs": [...], ...}``, the curves the LearningCurveViewer offers fold by
fold.
A loader's file given with ``--set`` is relative to the current folder or names a bundled
dataset (``--set loader.file=diabetes``), as on every command line; a file named inside the
flow is relative to the flow's folder, or a bundled dataset's name (as the templates name
theirs). A loader whose file is missing is refused before anything runs.
Exit status: 0 when every node ran, 1 when a node failed (its message on stderr), 2 for
a bad flow file or ``--set``, a missing data file, or writes that need consent, 130 when
stopped by Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from workbench.commands._args import file_name
from workbench.core.errors import ParameterError, WorkbenchError, printable
from workbench.core.progress import CancelToken
from workbench.core.resources import bundled_flow_path, resource_dir
from workbench.data.catalog import bundled_names, bundled_path
from workbench.flow import Executor, Flow, Status, load_flow
from workbench.flow import writes as flow_writes
from workbench.flow.fileformat import EXTENSION, FlowFileError
from workbench.flow.nodes.base import NodeContext
from workbench.flow.nodes.evaluation import ClassifierPerformanceEvaluator
from workbench.flow.nodes.sources import DataLoader, bundled_name
from workbench.flow.nodes.viewers import TextViewer
from workbench.flow.ports import TEXT, VISUALIZABLE_ERROR
from workbench.flow.writes import WRITE_PARAM, PlannedWrite, WriteGuard, planned_writes

NAME = "run"
HELP = "run a Knowledge Flow file headless and print its reports"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("flow", metavar="FLOW", type=file_name,
                        help="a flow file (.kflow.json), or the name of a bundled "
                             "template (e.g. cross-validation)")
    parser.add_argument("--set", dest="settings", action="append", default=[],
                        metavar="NODE.PARAM=VALUE",
                        help="change a node's parameter for this run (NODE is its id or "
                             "title); may be repeated")
    parser.add_argument("--out", metavar="DIR", type=file_name,
                        help="also write every viewer's output (text, CSV, weight PNGs) "
                             "into DIR; without it viewers write nothing (TextViewers' "
                             "text is printed), except one whose own 'file' is set. "
                             "Savers write relative file names into DIR too, without it "
                             "next to the flow file (a bundled template's into "
                             "~/workbench-output/NAME)")
    parser.add_argument("--allow-outside-writes", action="store_true",
                        help="let savers write outside that folder and over existing "
                             "files they did not write (never over a device or FIFO)")
    parser.add_argument("--json", action="store_true",
                        help="print JSON Lines instead of the text: one JSON object per "
                             "line for each evaluator, in flow order (as workbench "
                             "classify --json), so a flow with two evaluators prints two "
                             "lines: read each line, or 'jq -s .' for one list, or "
                             "'python -m json.tool --json-lines'; after a cross-validation, "
                             "learning_curves holds each fold's learning curve "
                             "({\"fold\": 1, \"epochs\": [...], \"loss\": [...], ...}) "
                             "where one model's run has learning_curve")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="after the run, list every node's status and log on stderr")
    parser.add_argument("--nodes", action="store_true",
                        help="list the flow's nodes and their parameters (what --set can "
                             "change) and exit without running")
    parser.add_argument("--progress", dest="progress", action="store_true", default=None,
                        help="show a progress bar even when stderr is not a terminal")
    parser.add_argument("--no-progress", dest="progress", action="store_false",
                        help="never show the progress bar")


def flow_location(name: str) -> Path:
    """The flow file ``name`` names: a path, else a bundled template of that name."""
    if "\x00" in name:
        raise FlowFileError("a file name cannot contain a NUL character",
                            name.replace("\x00", "\\0"))
    path = Path(name)
    if path.exists() or path.name != name:
        return path
    template = bundled_flow_path(name.removesuffix(EXTENSION))
    if template is not None:
        return template
    known = sorted(p.name.removesuffix(EXTENSION)
                   for p in resource_dir("flows").glob(f"*{EXTENSION}"))
    raise FlowFileError(f"no such flow file, nor a bundled template of that name "
                        f"(templates: {', '.join(known)})", path)


def check_writes(plan: list[PlannedWrite], allowed: bool) -> None:
    """Refuse, before anything runs, a flow that would write a device or FIFO, or (without
    the user's consent) outside its folder or over a file it did not write."""
    refused = [p for p in plan if p.refused]
    unconsented = [] if allowed else [p for p in plan if p.needs_consent]
    if not refused and not unconsented:
        return
    # One line each: a flow's title or path holding a line break cannot add a line.
    lines = [f"  {printable(p.describe())}" for p in refused + unconsented]
    advice = ("" if not unconsented else
              "\nrun again with --allow-outside-writes to write there anyway, or change "
              "the savers' file (--set NODE.file=NAME)")
    raise WorkbenchError("the flow would write where it may not:\n" + "\n".join(lines)
                         + advice)


def apply_settings(flow: Flow, settings: list[str]) -> None:
    """``NODE.PARAM=VALUE`` assignments, each checked against the node's declaration.

    A loader's file given here is a command-line path, so it is relative to the current
    folder (a name in the flow file is relative to the flow's folder) or names a bundled
    dataset; it is stored absolute, so the flow's folder cannot change its meaning."""
    for setting in settings:
        target, equals, value = setting.partition("=")
        node_key, dot, param = target.rpartition(".")
        if not equals or not dot or not node_key or not param:
            raise ParameterError(f"--set '{setting}': expected NODE.PARAM=VALUE")
        node = flow.find(node_key.strip())
        param = param.strip()
        if (node.node_type is not None and issubclass(node.node_type, DataLoader)
                and param == "file"):
            value = command_line_data_file(value, setting, flow.base_dir)
        flow.set_params(node.id, **{param: value})


def command_line_data_file(value: str, setting: str,
                           flow_dir: Path | None = None) -> str:
    """The absolute path a loader's ``--set`` file means: a file (relative to the current
    folder), else a bundled dataset by name, else (as before the current folder came
    first, so scripts written then keep working) a file beside the flow, with a note;
    anything else is refused here, in one line."""
    if not value or "\x00" in value:
        return value  # the loader's own check says what is wrong
    path = Path(os.path.expanduser(value))
    if path.exists():
        return os.path.abspath(path)
    name = bundled_name(value)
    if name is not None:
        return str(bundled_path(name))
    beside = None if path.is_absolute() or flow_dir is None else Path(flow_dir) / path
    if beside is not None and beside.exists():
        print(f"workbench: note: --set {setting}: no {value} in the current folder; "
              f"using the one beside the flow ({beside})", file=sys.stderr)
        return os.path.abspath(beside)
    where = "" if path.is_absolute() else f" in the current folder ({Path.cwd()})"
    raise ParameterError(f"--set {printable(setting)}: {printable(value)}: no such file"
                         f"{where}, nor a bundled "
                         f"dataset of that name (bundled: {', '.join(bundled_names())})")


def check_ready(flow: Flow) -> None:
    """Refuse, before anything runs, a flow with a node that cannot work whatever its
    inputs (a loader whose file is missing or of the wrong kind): one line naming the
    node and the file, instead of that node's failure and every node waiting on it."""
    for node in flow:
        if node.is_placeholder:
            continue
        context = NodeContext(node.id, f"node '{node.title}' ({node.id})", flow.base_dir)
        node.create().check_ready(context)


def print_nodes(flow: Flow) -> None:
    """Each node in run order: id, title, type, and its parameters as ``--set`` names them."""
    for node_id in flow.topological_order():
        node = flow.nodes[node_id]
        status = f"  [missing: {node.missing}]" if node.is_placeholder else ""
        print(f"{node.id}  '{node.title}'  ({node.type_name}){status}")
        for name, value in node.params.items():
            if isinstance(value, bool):
                shown = "true" if value else "false"
            elif isinstance(value, list):
                shown = ",".join(map(str, value))
            else:
                shown = "none" if value is None else str(value)
            print(f"    {node.id}.{name}={shown}")


def run(args: argparse.Namespace) -> int:
    from workbench.commands.classify import ProgressBar

    flow = load_flow(flow_location(args.flow))
    apply_settings(flow, args.settings)
    if args.nodes:
        print_nodes(flow)
        return 0
    for node in flow.placeholders():
        print(f"workbench: warning: node '{node.id}': {node.missing}; it and the nodes "
              f"depending on it will not run", file=sys.stderr)
    check_ready(flow)
    if args.out and "\x00" in args.out:
        raise WorkbenchError("--out: a folder name cannot contain a NUL character")
    out_dir = Path(args.out) if args.out else None
    check_writes(planned_writes(flow, out_dir), args.allow_outside_writes)
    if out_dir is not None:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise WorkbenchError(f"--out {out_dir}: cannot make the folder: "
                                 f"{error.strerror or error}") from None
    bar = ProgressBar(sys.stderr, enabled=args.progress)
    cancel = CancelToken()
    try:
        evaluators = [n.id for n in flow if n.node_type is ClassifierPerformanceEvaluator]
        result = Executor(cache=False).run(flow, bar, cancel, output_dir=out_dir,
                                           keep=evaluators,
                                           allow_outside_writes=args.allow_outside_writes)
    except KeyboardInterrupt:
        cancel.cancel()
        bar.clear()
        print("workbench: stopped by Ctrl-C", file=sys.stderr)
        return 130
    finally:
        bar.clear()

    order = [n for n in flow.topological_order() if n in result.outputs]
    if args.json:
        for node_id in order:
            node = flow.nodes[node_id]
            if node.node_type is ClassifierPerformanceEvaluator:
                report: dict[str, Any] = {"node": node_id, "title": node.title}
                report.update(result.outputs[node_id][VISUALIZABLE_ERROR].to_json())
                print(json.dumps(report))   # one line each: JSON Lines
    else:
        texts = [result.outputs[n][TEXT] for n in order
                 if flow.nodes[n].node_type is TextViewer]
        sys.stdout.write("\n".join(texts))
    unrecorded = result.unrecorded
    if out_dir is not None:
        # One run's share of the record covers the savers' files and these together.
        recorded = len(set(result.written)) - result.unrecorded
        export_guard = WriteGuard((out_dir,), allow_outside=args.allow_outside_writes,
                                  max_recorded=max(flow_writes.MAX_PER_RUN - recorded, 0))
        with export_guard.batch():
            _export(flow, result.outputs, order, export_guard)
        unrecorded += export_guard.unrecorded
    for path in dict.fromkeys(result.written):
        print(f"workbench: wrote {path}", file=sys.stderr)
    if out_dir is None:
        unwritten = [f"'{flow.nodes[n].title}'"
                     for n in unexported_viewers(flow, order, args.json)]
        if unwritten:
            names = (", ".join(unwritten[:-1]) + " and " if len(unwritten) > 1 else "") \
                + unwritten[-1]
            print(f"workbench: note: the output of {names} was not "
                  f"written: give --out DIR to write it", file=sys.stderr)
    if unrecorded:
        print(f"workbench: warning: {unrecorded} of the files this run wrote are not "
              f"remembered (the record keeps at most {flow_writes.MAX_PER_RUN} files of "
              f"one run), so a re-run will not replace them without "
              f"--allow-outside-writes", file=sys.stderr)

    if args.verbose:
        for node_id in flow.topological_order():
            state = result.states.get(node_id)
            if state is None:
                continue
            print(f"{node_id}: {state}", file=sys.stderr)
            for line in state.log:
                print(f"    {line.rstrip()}", file=sys.stderr)
        print(f"workbench: run finished: {result.summary(len(flow.nodes))}", file=sys.stderr)
    status = 0
    for node_id, state in result.states.items():
        title = flow.nodes[node_id].title
        if state.status is Status.ERROR:
            print(f"workbench: node '{title}' ({node_id}) failed: {state.message}",
                  file=sys.stderr)
            status = 1
        elif state.status is Status.BLOCKED:
            print(f"workbench: node '{title}' ({node_id}) did not run: {state.message}",
                  file=sys.stderr)
            status = 1
    if result.cancelled:
        return 130
    return status


def unexported_viewers(flow: Flow, order: list[str], as_json: bool) -> list[str]:
    """The viewers that ran whose output only ``--out`` writes: not a TextViewer whose text
    was printed, nor a viewer writing its own files (``file`` set)."""
    return [node_id for node_id in order
            if (node_type := flow.nodes[node_id].node_type) is not None and node_type.viewer
            and not flow.nodes[node_id].params.get(WRITE_PARAM)
            and (as_json or node_type is not TextViewer)]


def _export(flow: Flow, outputs: dict[str, dict[str, Any]], order: list[str],
             guard: WriteGuard) -> None:
    """The viewers' outputs (``NODE.txt``, ``.csv``, ``.png``) into ``--out`` under the
    savers' rules: a file an earlier run did not write is not replaced without consent.
    Each viewer writes into a scratch folder first, since only then are its names known."""
    folder = guard.base
    for node_id in order:
        node = flow.nodes[node_id]
        if node.node_type is None or not node.node_type.viewer:
            continue
        if node.params.get(WRITE_PARAM):
            continue  # it wrote its own picture and CSVs (DynamicsViewer's file=...)
        try:
            with tempfile.TemporaryDirectory(dir=folder, prefix=".export-") as scratch:
                for made in node.create().export(outputs[node_id], Path(scratch), node_id):
                    target = guard.check(folder / made.name, f"'{node.title}'")
                    os.replace(made, target)
                    guard.done(target)
        except OSError as error:
            raise WorkbenchError(f"cannot write the output of '{node.title}' to {folder}: "
                                 f"{error.strerror or error}") from None
