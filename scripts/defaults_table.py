"""Every registered classifier with default parameters on every bundled dataset.

    .venv/bin/python scripts/defaults_table.py [--out docs/defaults.md] [--jobs 2]
        [--limit 600] [--mnist] [--learners a,b] [--datasets x,y] [--json FILE]

A new user's first run uses default parameters on a small, well-known dataset. This
script runs exactly that for each registered classifier and each bundled dataset:
10-fold cross-validation with seed 1, as WEKA's Explorer does, and writes a Markdown
table (accuracy, ZeroR's accuracy, time, refusals with their message) to
``docs/defaults.md``. A learner that refuses a dataset must refuse with our own error and
a message; anything else (a traceback) is a defect, and so is accepting a dataset and
doing more than 2 points worse than ZeroR, or more than one instance worse on data so
small that one instance weighs more than 2 points (on the 14-row weather files one
instance is 7.14 points, and WEKA 3.9.7's own NaiveBayes, IBk and VotedPerceptron are one
instance below ZeroR there). The summary at the top of the table says whether any cell
is either.

``--update FILE.json`` reruns only ``--learners`` (and ZeroR) and takes every other cell
from a JSON file an earlier run wrote with ``--json``, so changing one learner's defaults
does not cost the whole table. The committed table's cells are in ``docs/defaults.json``:

    .venv/bin/python scripts/defaults_table.py --learners decision-tree \
        --update docs/defaults.json --json docs/defaults.json --limit-for weka-mlp=60

Cells run in parallel processes (``--jobs``); each has a time limit (``--limit`` seconds,
cancelled through the learner's cancel token). ``mnist-test`` (10 000 28x28 digits) is
left out unless ``--mnist`` is given: its cross-validations take hours on two cores.
For a numeric class the cell shows the correlation and RMSE beside ZeroR's RMSE (no
bundled dataset has one today; a plugin's may).

``tests/classifiers/test_defaults.py`` runs ``run_cell`` and ``problems`` on a fast subset.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from workbench.core.errors import Cancelled, WorkbenchError  # noqa: E402

FOLDS, SEED = 10, 1
# A learner may trail ZeroR by this many accuracy points before the table flags it, or
# by one instance where one instance weighs more (``tolerance``).
TOLERANCE = 2.0
SLOW_DATASETS = ("mnist-test",)
# A learner that reproduces a WEKA 3.9.7 learner exactly keeps WEKA's defaults: its promise
# is WEKA's numbers. Where WEKA's own result trails ZeroR, the cell is marked, not fixed:
# (learner, dataset) -> (WEKA's correct count, instances, what to use instead).
WEKAS_OWN = {
    ("weka-mlp", "breast-cancer"): (185, 286, "WEKA 3.9.7's MultilayerPerceptron gets the "
                                              "same 185 of 286; our `mlp` gets 70.98 %"),
    ("naive-bayes-multinomial", "diabetes"): (
        460, 768, "WEKA 3.9.7's NaiveBayesMultinomial gets the same 460 of 768 (the "
                  "measurements are not word counts); `naive-bayes` gets 76.30 %"),
}


@dataclass
class Cell:
    """One learner on one dataset: an accuracy (nominal class) or correlation and RMSE
    (numeric class), a refusal, a time-out or a traceback."""

    learner: str
    dataset: str
    status: str  # "ok", "refused", "timeout" or "error"
    seconds: float = 0.0
    accuracy: float | None = None
    correlation: float | None = None
    rmse: float | None = None
    message: str = ""
    instances: int | None = None


def run_cell(learner: str, dataset: str, limit: float | None = None,
             params: dict | None = None) -> Cell:
    """10-fold CV (seed 1) of ``learner`` with default parameters (or ``params``) on the
    bundled ``dataset``; never raises: a refusal, a time-out or a traceback is a result."""
    from workbench.core.progress import CancelToken
    from workbench.core.registry import default_registry
    from workbench.data.catalog import load_bundled
    from workbench.evaluation.evaluate import TestOption, evaluate

    token = CancelToken()
    timer = threading.Timer(limit, token.cancel) if limit else None
    start = time.perf_counter()
    try:
        data = load_bundled(dataset)
        instances = data.num_instances
        classifier = default_registry().create("classifier", learner, **(params or {}))
        if timer is not None:
            timer.start()
        result = evaluate(classifier, data, TestOption.cross_validation(FOLDS, SEED),
                          cancel=token, build_model=False)
        metrics = result.metrics
        seconds = time.perf_counter() - start
        if metrics.nominal:
            return Cell(learner, dataset, "ok", seconds, accuracy=metrics.pct_correct,
                        instances=instances)
        return Cell(learner, dataset, "ok", seconds, correlation=metrics.correlation,
                    rmse=metrics.root_mean_squared_error, instances=instances)
    except Cancelled:
        return Cell(learner, dataset, "timeout", time.perf_counter() - start,
                    message=f"stopped after the {limit:g} s limit")
    except WorkbenchError as error:
        return Cell(learner, dataset, "refused", time.perf_counter() - start,
                    message=" ".join(str(error).split()))
    except Exception as error:  # the defect this table exists to find
        return Cell(learner, dataset, "error", time.perf_counter() - start,
                    message=f"{type(error).__name__}: {error}\n{traceback.format_exc()}")
    finally:
        if timer is not None:
            timer.cancel()


def _run_cell_fields(learner: str, dataset: str, limit: float | None) -> dict:
    """``run_cell`` as plain fields: the worker processes do not share this module."""
    return asdict(run_cell(learner, dataset, limit))


def learner_names() -> list[str]:
    """Every registered classifier, by its registry name."""
    from workbench.core.registry import default_registry

    return [info.name for info in default_registry().list("classifier")]


def dataset_names(mnist: bool = False) -> list[str]:
    from workbench.data.catalog import bundled_names

    return [n for n in bundled_names() if mnist or n not in SLOW_DATASETS]


def run_all(learners: Sequence[str], datasets: Sequence[str], jobs: int,
            limit: float | None, limits: dict[str, float] | None = None,
            partial: Path | None = None) -> list[Cell]:
    """Every cell, ZeroR's included, in ``jobs`` processes; ``limits`` overrides the limit
    per learner, and ``partial`` (a JSON file) holds the cells done so far."""
    from joblib import Parallel, delayed

    limits = limits or {}
    pairs = [(learner, dataset) for learner in dict.fromkeys(["zeror", *learners])
             for dataset in datasets]
    done = Parallel(n_jobs=jobs, verbose=0, return_as="generator")(
        delayed(_run_cell_fields)(learner, dataset, limits.get(learner, limit))
        for learner, dataset in pairs)
    cells = []
    for fields in done:
        cell = Cell(**fields)
        cells.append(cell)
        if partial is not None:
            partial.write_text(json.dumps([asdict(c) for c in cells]), encoding="utf-8")
        print(f"{cell.learner:>18} {cell.dataset:<18} {cell.status:<8} "
              f"{_score(cell):>8} {cell.seconds:7.1f} s", flush=True)
    return cells


def tolerance(base: Cell) -> float:
    """Points a learner may trail ZeroR's ``base`` cell by: 2, or one instance's weight
    where that is more. Below 50 rows a 10-fold cross-validation cannot show a smaller
    difference than one instance, so a 2-point rule there would flag WEKA's own learners
    for a single instance on 14 rows."""
    one_instance = 100.0 / base.instances if base.instances else 0.0
    return max(TOLERANCE, one_instance) + 1e-9


def trails(cell: Cell, base: Cell | None) -> bool:
    """Whether ``cell`` trails ZeroR's accuracy by more than ``tolerance``."""
    return (cell.accuracy is not None and base is not None and base.accuracy is not None
            and cell.accuracy < base.accuracy - tolerance(base))


def wekas_own(cell: Cell) -> bool:
    """Whether ``cell`` is WEKA's own result of the learner it reproduces (``WEKAS_OWN``),
    to the instance."""
    known = WEKAS_OWN.get((cell.learner, cell.dataset))
    return (known is not None and cell.accuracy is not None
            and abs(cell.accuracy - 100.0 * known[0] / known[1]) < 1e-6)


def _zeror(cells: Iterable[Cell]) -> dict[str, Cell]:
    return {c.dataset: c for c in cells if c.learner == "zeror"}


def problems(cells: Sequence[Cell]) -> list[str]:
    """What the table must not show: tracebacks, and accepted datasets where a learner
    trails ZeroR by more than 2 accuracy points, or one instance where that is more (or
    has a larger RMSE)."""
    zeror = _zeror(cells)
    found = []
    for cell in cells:
        if cell.status == "error":
            found.append(f"{cell.learner} on {cell.dataset}: traceback "
                         f"{cell.message.splitlines()[0]}")
            continue
        base = zeror.get(cell.dataset)
        if cell.status != "ok" or base is None or base.status != "ok":
            continue
        if trails(cell, base) and not wekas_own(cell):
            found.append(f"{cell.learner} on {cell.dataset}: {cell.accuracy:.2f} % against "
                         f"ZeroR's {base.accuracy:.2f} %")
        if cell.rmse is not None and base.rmse is not None and cell.rmse > base.rmse:
            found.append(f"{cell.learner} on {cell.dataset}: RMSE {cell.rmse:.4g} against "
                         f"ZeroR's {base.rmse:.4g}")
    return found


def _score(cell: Cell) -> str:
    if cell.status != "ok":
        return cell.status
    if cell.accuracy is not None:
        return f"{cell.accuracy:.2f}"
    return f"r={cell.correlation:.3f} rmse={cell.rmse:.4g}"


def _seconds(value: float) -> str:
    return f"{value:.1f} s" if value < 100 else f"{value:.0f} s"


def markdown(cells: Sequence[Cell], learners: Sequence[str], datasets: Sequence[str],
             jobs: int, limit: float | None, elapsed: float,
             limits: dict[str, float] | None = None, rerun: Sequence[str] = ()) -> str:
    """The table, a summary of what is wrong (or that nothing is), and the refusals."""
    by_key = {(c.learner, c.dataset): c for c in cells}
    zeror = _zeror(cells)
    wrong = problems(cells)
    lines = ["# Default parameters on the bundled datasets", "",
             "Generated by `scripts/defaults_table.py` (do not edit by hand): every "
             "registered classifier with its default parameters, 10-fold cross-validation "
             "with seed 1, on every bundled dataset"
             + ("" if "mnist-test" in datasets else " except mnist-test (`--mnist` adds it)")
             + f". Cells ran in {jobs} parallel process(es) on "
             f"the 2-core development machine"
             + (f", each limited to {limit:g} s" if limit else "")
             + "".join(f" ({name}: {seconds:g} s)" for name, seconds in (limits or {}).items())
             + (f"; the cells of {', '.join(rerun)} were run again "
                f"({_seconds(elapsed)}) and the others kept from the previous full run"
                if rerun else f"; the whole run took {_seconds(elapsed)}")
             + ". Times are wall-clock seconds for the ten folds under that load.", "",
             "A cell is the accuracy in percent (time), *refused* with the message below, "
             f"or *time-out*. A learner must not trail ZeroR by more than {TOLERANCE:g} "
             "points where it accepts the data (on data so small that one instance weighs "
             "more, by more than one instance: 7.14 points on the 14-row weather files, "
             "where WEKA 3.9.7's own NaiveBayes, IBk and VotedPerceptron are one instance "
             "below ZeroR), and nothing may end in a traceback.", "",
             "## Summary", ""]
    if wrong:
        lines.append(f"**{len(wrong)} problem(s):**")
        lines += [f"- {w}" for w in wrong]
    else:
        lines.append("No traceback, and no learner more than "
                     f"{TOLERANCE:g} points (or one instance on the smallest data) below "
                     "ZeroR where it accepts the data, but where a learner that reproduces "
                     "WEKA gets WEKA's own number (marked †, listed below).")
    own = [c for c in cells if wekas_own(c) and trails(c, zeror.get(c.dataset))]
    if own:
        lines += ["", "Below ZeroR as in WEKA (†):"]
        lines += [f"- {c.learner} on {c.dataset}: {c.accuracy:.2f} % against ZeroR's "
                  f"{zeror[c.dataset].accuracy:.2f} %: "
                  f"{WEKAS_OWN[(c.learner, c.dataset)][2]}" for c in own]
    late = [c for c in cells if c.status == "timeout"]
    if late:
        lines += ["", "Not measured (stopped at the time limit): "
                  + ", ".join(f"{c.learner} on {c.dataset}" for c in late) + "."]
    lines.append("")
    margins = []
    for learner in learners:
        if learner == "zeror":
            continue
        worst = None
        for dataset in datasets:
            cell, base = by_key.get((learner, dataset)), zeror.get(dataset)
            if cell and base and cell.accuracy is not None and base.accuracy is not None:
                margin = cell.accuracy - base.accuracy
                if worst is None or margin < worst[0]:
                    worst = (margin, dataset)
        if worst is not None:
            margins.append((worst[0], learner, worst[1]))
    if margins:
        lines += ["Worst accuracy against ZeroR, per learner (points; negative is below):",
                  "", "| learner | worst margin | on |", "|---|---:|---|"]
        lines += [f"| {learner} | {margin:+.2f} | {dataset} |"
                  for margin, learner, dataset in sorted(margins)]
        lines.append("")
    lines += ["## Accuracy (%) and time", "",
              "| learner | " + " | ".join(datasets) + " |",
              "|---|" + "---:|" * len(datasets)]
    notes: dict[str, int] = {}
    for learner in ["zeror", *[n for n in learners if n != "zeror"]]:
        row = []
        for dataset in datasets:
            cell = by_key.get((learner, dataset))
            if cell is None:
                row.append("")
            elif cell.status == "ok":
                text = _score(cell)
                if trails(cell, zeror.get(dataset)):
                    text = f"{text} †" if wekas_own(cell) else f"**{text}**"
                row.append(f"{text} ({_seconds(cell.seconds)})")
            else:
                key = cell.message.splitlines()[0] if cell.message else cell.status
                number = notes.setdefault(key, len(notes) + 1)
                label = {"refused": "refused", "timeout": "time-out",
                         "error": "**traceback**"}[cell.status]
                row.append(f"{label} [{number}]")
        lines.append(f"| {learner} | " + " | ".join(row) + " |")
    if notes:
        lines += ["", "## Messages", ""]
        lines += [f"{number}. {text}" for text, number in notes.items()]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(REPO / "docs" / "defaults.md"))
    parser.add_argument("--json", help="also write every cell as JSON here")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--limit", type=float, default=900.0,
                        help="seconds per cell before it is cancelled (0: no limit)")
    parser.add_argument("--limit-for", action="append", default=[], metavar="LEARNER=S",
                        help="another limit for one learner (repeatable)")
    parser.add_argument("--mnist", action="store_true", help="include mnist-test (slow)")
    parser.add_argument("--learners", help="comma-separated registry names (default: all)")
    parser.add_argument("--datasets", help="comma-separated bundled names (default: all)")
    parser.add_argument("--update", metavar="FILE.json",
                        help="rerun only --learners (and ZeroR); take every other cell "
                             "from this JSON, written by an earlier --json run")
    args = parser.parse_args(argv)
    kept: list[Cell] = []
    if args.update:
        if not args.learners:
            parser.error("--update needs --learners: the learners to run again")
        kept = [Cell(**fields) for fields in
                json.loads(Path(args.update).read_text(encoding="utf-8"))]
    rerun = args.learners.split(",") if args.learners else learner_names()
    learners = rerun
    if kept:
        learners = list(dict.fromkeys([*(c.learner for c in kept if c.learner != "zeror"),
                                       *rerun]))
    datasets = args.datasets.split(",") if args.datasets else dataset_names(args.mnist)
    shown = datasets
    if kept:  # the table shows every dataset of the kept cells, in the bundled order
        present = {c.dataset for c in kept} | set(datasets)
        shown = [d for d in dataset_names(mnist=True) if d in present]
    limit = args.limit or None
    limits = {name: float(seconds) for name, seconds in
              (item.split("=", 1) for item in args.limit_for)}
    start = time.perf_counter()
    # An update's partial cells never overwrite the file it keeps the others from.
    partial = Path(args.json) if args.json and not args.update else None
    cells = run_all(rerun, datasets, args.jobs, limit, limits, partial)
    fresh = {(c.learner, c.dataset) for c in cells}
    cells = [c for c in kept if (c.learner, c.dataset) not in fresh] + cells
    elapsed = time.perf_counter() - start
    text = markdown(cells, learners, shown, args.jobs, limit, elapsed, limits,
                    rerun if kept else ())
    Path(args.out).write_text(text, encoding="utf-8")
    if args.json:
        Path(args.json).write_text(json.dumps([asdict(c) for c in cells], indent=1,
                                              allow_nan=True), encoding="utf-8")
    wrong = problems(cells)
    print(f"wrote {args.out}: {len(cells)} cells, {len(wrong)} problem(s) in "
          f"{_seconds(elapsed)}")
    for line in wrong:
        print(f"  {line}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
