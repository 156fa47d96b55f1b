"""The results table read for analysis: sorted by its keys, every measure a number or
missing, each refusal at the file's line. ``store.py`` writes and resumes the same
table; this only reads it (``experiment analyse``, the Experimenter's Analyse tab). The
table is CSV, or ARFF as WEKA's Experimenter writes it (``weka_results``: told by its
content, so a WEKA user's ``results.arff`` under any name, or on standard input, reads
too)."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.core.errors import WorkbenchError
from workbench.evaluation.experiment.resultsfile import read_table, table_text
from workbench.evaluation.experiment.runs import KEY_COLUMNS
from workbench.evaluation.experiment.spec import ExperimentFileError, dataset_label
from workbench.evaluation.experiment.store import MISSING_MEASURE, recorded_experiment
from workbench.evaluation.experiment.weka_results import (
    entry_schemes,
    looks_like_arff,
    read_arff_results,
)


def read_results(path: str | os.PathLike[str],
                 notes: list[str] | None = None) -> pd.DataFrame:
    """The results table sorted by its keys (dataset and classifier in first-seen
    order, then repetition and fold), ready for analysis. A measure that is not a
    finite number is read as missing, and ``notes`` gets a line saying where."""
    path = Path(path)
    if not path.exists():
        raise WorkbenchError(f"{path}: no such results file")
    raw = read_table(path)   # regular file, size and memory bounded
    notes = notes if notes is not None else []
    if looks_like_arff(raw):
        table, line_of = read_arff_results(raw, path, _recorded_schemes(path), notes)
    else:
        table, line_of = _read_csv(table_text(raw, path), path, notes)
    twice = table.duplicated(list(KEY_COLUMNS), keep=False).to_numpy()
    if twice.any():
        first, again = (int(i) for i in twice.nonzero()[0][:2])
        row = table.iloc[first]
        raise WorkbenchError(
            f"{path}:{line_of(again)}: the run (dataset {row['dataset']}, "
            f"classifier {row['classifier']}, repetition {row['repetition']}, fold "
            f"{row['fold']}) is already on line {line_of(first)}; each run may "
            f"appear once")
    return sort_results(table, _recorded_order(path))


def _read_csv(text: str, path: Path, notes: list[str]
              ) -> tuple[pd.DataFrame, Callable[[int], int]]:
    """The CSV table ``text`` with its measures as numbers, and each row's line."""
    header: list[str] = []
    with contextlib.suppress(csv.Error):   # a broken header is refused below
        header = next(csv.reader(io.StringIO(text)), [])
    # A measure with no value (ZeroR's F-measure) is empty, as written; "?" or "nan" in
    # tables written before. Never in a key: a dataset may be called "?".
    no_value = {c: list(MISSING_MEASURE) for c in header if c not in KEY_COLUMNS}
    try:
        table = pd.read_csv(io.StringIO(text), dtype={"dataset": str, "classifier": str},
                            keep_default_na=False, na_values=no_value)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        # pandas' own words ("Error tokenizing data. C error: ...") mean nothing to a
        # user who picked the wrong file; say what the file should be, and where.
        found = re.search(r"line (\d+)", str(exc))
        where = f"{path}:{found.group(1)}" if found else str(path)
        raise WorkbenchError(
            f"{where}: not a results table (expected the CSV file that 'workbench "
            f"experiment run' writes, with columns {', '.join(KEY_COLUMNS)}, ..., or "
            f"WEKA's Experimenter's ARFF results)"
        ) from exc
    missing = [c for c in KEY_COLUMNS if c not in table.columns]
    if missing:
        raise WorkbenchError(f"{path}:1: not a results table: missing column(s) "
                             f"{', '.join(missing)}")
    return _numeric(table, path, text, notes), lambda row: _line_of(text, row)


def _numeric(table: pd.DataFrame, path: Path, text: str, notes: list[str]) -> pd.DataFrame:
    """The table with every column but the labels as numbers (missing allowed), and
    repetition and fold as whole numbers; anything else is refused at its line.

    An infinite measure (``inf``: a hand edit, or a relative error over a fold whose
    prior error is 0) is read as missing, with a line in ``notes``: as a number it
    made every mean it entered infinite and the t-test call it significant, as WEKA's
    tester does (a spread of NaN, so its p-value is 0). Missing, it is left out of
    the test with its pair, as WEKA's tester leaves out a missing value."""
    table = table.copy()
    for column in table.columns:
        if column in ("dataset", "classifier"):
            continue
        values = table[column]
        numbers = pd.to_numeric(values, errors="coerce")
        bad = np.array(numbers.isna() & values.notna(), dtype=bool)
        if column in ("repetition", "fold"):
            whole = numbers.to_numpy(np.float64)
            with np.errstate(invalid="ignore"):
                bad |= ~np.isfinite(whole) | (whole % 1 != 0)
        if bad.any():
            row = int(bad.nonzero()[0][0])
            kind = "a whole number" if column in ("repetition", "fold") else "a number"
            value = values.iloc[row]
            shown = repr(value) if isinstance(value, str) else str(value)
            raise WorkbenchError(f"{path}:{_line_of(text, row)}: column '{column}' holds "
                                 f"{shown}, not {kind}")
        infinite = np.isinf(numbers.to_numpy(np.float64))
        if infinite.any():
            rows = infinite.nonzero()[0]
            more = f" (and {len(rows) - 1} more rows)" if len(rows) > 1 else ""
            notes.append(f"{path}:{_line_of(text, int(rows[0]))}: column '{column}' holds "
                         f"{numbers.iloc[int(rows[0])]}{more}, not a finite number: read "
                         f"as missing, so those runs are left out of its means and tests")
            numbers = numbers.mask(pd.Series(infinite, index=numbers.index))
        table[column] = numbers
    return table


def _line_of(text: str, row: int) -> int:
    """The line of the table ``text`` where data row ``row`` (0 first) starts, as
    pandas counts rows: blank lines skipped, a quoted label may span lines."""
    reader = csv.reader(io.StringIO(text))
    start, seen = 1, -1
    with contextlib.suppress(csv.Error):  # a field past csv's limit: pandas took it
        for record in reader:
            if record and seen == row:
                return start
            seen += bool(record)
            start = reader.line_num + 1
    return start


def _recorded_schemes(path: Path) -> dict[str, tuple[str, str]]:
    """Label -> WEKA scheme of the classifiers recorded beside the table (an ARFF table
    of ours names them as WEKA does); empty without a record."""
    try:
        return entry_schemes(recorded_experiment(path)["classifiers"])
    except (ExperimentFileError, KeyError, TypeError, AttributeError):
        return {}


def _recorded_order(path: Path) -> dict[str, list[str]]:
    """Dataset and classifier labels in the order the experiment lists them."""
    try:
        recorded = recorded_experiment(path)
        return {"dataset": [dataset_label(d) for d in recorded["datasets"]],
                "classifier": [c["label"] for c in recorded["classifiers"]]}
    except (ExperimentFileError, KeyError, TypeError, AttributeError):
        return {}  # the order is a nicety: without the record, the table's own order


def sort_results(table: pd.DataFrame,
                 order: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """Rows in a canonical order (the experiment's dataset and classifier order, else
    first seen; then repetition and fold), so tables written in any completion order
    compare equal."""
    order = order or {}
    cats: dict[str, pd.Categorical] = {}
    for c in ("dataset", "classifier"):
        known = [v for v in order.get(c, []) if v in set(table[c])]
        cats[c] = pd.Categorical(table[c], categories=list(dict.fromkeys(
            [*known, *table[c]])))
    keyed = table.assign(_d=cats["dataset"].codes, _c=cats["classifier"].codes)
    keyed = keyed.sort_values(["_d", "_c", "repetition", "fold"], kind="stable")
    return keyed.drop(columns=["_d", "_c"]).reset_index(drop=True)
