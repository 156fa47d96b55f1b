"""The results table: one CSV row per finished run, appended and flushed as runs finish.

An experiment of hundreds of runs gets interrupted (a laptop lid, a lost cluster, Stop),
so every finished run is on disk at once, and opening the table again tells the runner
which runs are done. A run killed mid-write leaves at most a torn last line, which is
dropped on reopening (the run is simply redone). Next to the table, ``NAME.spec.json``
records the experiment it belongs to, so a resume never mixes two experiments' rows.
Floats are written with ``repr`` so that reading the table back gives the same numbers
bit for bit, whichever backend wrote them.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench.core.atomic import write_text_atomic
from workbench.core.errors import WorkbenchError
from workbench.core.jsonfile import read_json
from workbench.evaluation.experiment.runs import KEY_COLUMNS, RunKey
from workbench.evaluation.experiment.spec import (
    ExperimentFileError,
    ExperimentSpec,
    dataset_label,
    write_json_atomic,
)


def spec_sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".spec.json")


class ResultStore:
    """An append-only results table bound to one experiment definition."""

    def __init__(self, path: str | os.PathLike[str], spec: ExperimentSpec,
                 columns: list[str]) -> None:
        self.path = Path(path)
        self.columns = list(columns)
        self._done: set[RunKey] = set()
        sidecar = spec_sidecar(self.path)
        if self.path.exists():
            self._check_sidecar(sidecar, spec)
            self._load_existing()
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_json_atomic(sidecar, spec.to_dict())
            _write_atomic(self.path, _line(self.columns))
        self._fh = open(self.path, "a", encoding="utf-8", newline="")  # noqa: SIM115

    # Resuming --------------------------------------------------------------------------
    def _check_sidecar(self, sidecar: Path, spec: ExperimentSpec) -> None:
        try:
            recorded = read_json(sidecar, ExperimentFileError, what="an experiment record")
        except ExperimentFileError as exc:
            raise WorkbenchError(
                f"{self.path}: results exist but their experiment record {sidecar} cannot "
                f"be read ({exc}); choose another --out or remove both files") from exc
        if recorded != spec.to_dict():
            raise WorkbenchError(
                f"{self.path}: these results belong to a different experiment (see "
                f"{sidecar}); choose another --out to start afresh, or run the same "
                f"experiment to resume")

    def _load_existing(self) -> None:
        text = self.path.read_text(encoding="utf-8")
        if text and not text.endswith("\n"):
            # A run interrupted while writing: keep only complete lines.
            text = text[:text.rfind("\n") + 1]
            _write_atomic(self.path, text)
        rows = list(csv.reader(io.StringIO(text)))
        if not rows or rows[0] != self.columns:
            found = ",".join(rows[0]) if rows else "an empty file"
            raise WorkbenchError(f"{self.path}:1: results header does not match the "
                                 f"experiment (expected {','.join(self.columns)}, found "
                                 f"{found})")
        for number, row in enumerate(rows[1:], start=2):
            if len(row) != len(self.columns):
                raise WorkbenchError(f"{self.path}:{number}: expected {len(self.columns)} "
                                     f"values, found {len(row)}")
            try:
                self._done.add((row[0], row[1], int(row[2]), int(row[3])))
            except ValueError as exc:
                raise WorkbenchError(f"{self.path}:{number}: repetition and fold must be "
                                     f"integers, found {row[2]!r}, {row[3]!r}") from exc

    @property
    def done(self) -> frozenset[RunKey]:
        """Keys of the runs already in the table."""
        return frozenset(self._done)

    # Writing ---------------------------------------------------------------------------
    def append(self, row: dict[str, Any]) -> None:
        """Add one finished run and push it to disk before returning."""
        missing = [c for c in self.columns if c not in row]
        if missing:
            raise WorkbenchError(f"result row lacks column(s) {', '.join(missing)}")
        self._fh.write(_line([_text(row[c]) for c in self.columns]))
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._done.add(tuple(row[c] for c in KEY_COLUMNS))

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.close()

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_results(path: str | os.PathLike[str]) -> pd.DataFrame:
    """The results table sorted by its keys (dataset and classifier in first-seen
    order, then repetition and fold), ready for analysis."""
    path = Path(path)
    if not path.is_file():
        raise WorkbenchError(f"{path}: no such results file")
    try:
        table = pd.read_csv(path, dtype={"dataset": str, "classifier": str},
                            keep_default_na=False, na_values=["nan", "NaN"])
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        # pandas' own words ("Error tokenizing data. C error: ...") mean nothing to a
        # user who picked the wrong file; say what the file should be, and where.
        found = re.search(r"line (\d+)", str(exc))
        where = f"{path}:{found.group(1)}" if found else str(path)
        raise WorkbenchError(
            f"{where}: not a results table (expected the CSV file that 'workbench "
            f"experiment run' writes, with columns {', '.join(KEY_COLUMNS)}, ...)"
        ) from exc
    missing = [c for c in KEY_COLUMNS if c not in table.columns]
    if missing:
        raise WorkbenchError(f"{path}:1: not a results table: missing column(s) "
                             f"{', '.join(missing)}")
    table = _numeric(table, path)
    twice = table.duplicated(list(KEY_COLUMNS), keep=False).to_numpy()
    if twice.any():
        first, again = (int(i) for i in twice.nonzero()[0][:2])
        row = table.iloc[first]
        raise WorkbenchError(
            f"{path}:{_line_of(path, again)}: the run (dataset {row['dataset']}, "
            f"classifier {row['classifier']}, repetition {row['repetition']}, fold "
            f"{row['fold']}) is already on line {_line_of(path, first)}; each run may "
            f"appear once")
    return sort_results(table, _recorded_order(path))


def _numeric(table: pd.DataFrame, path: Path) -> pd.DataFrame:
    """The table with every column but the labels as numbers ("nan" allowed), and
    repetition and fold as whole numbers; anything else is refused at its line."""
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
            raise WorkbenchError(f"{path}:{_line_of(path, row)}: column '{column}' holds "
                                 f"{shown}, not {kind}")
        table[column] = numbers
    return table


def _line_of(path: Path, row: int) -> int:
    """The line of the file where data row ``row`` (0 first) starts, as pandas counts
    rows: blank lines skipped, a quoted label may span lines."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        start, seen = 1, -1
        for record in reader:
            if record and seen == row:
                return start
            seen += bool(record)
            start = reader.line_num + 1
    return start


def _recorded_order(path: Path) -> dict[str, list[str]]:
    """Dataset and classifier labels in the order the experiment lists them."""
    try:
        recorded = read_json(spec_sidecar(path), ExperimentFileError)
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


def _text(value: Any) -> str:
    if isinstance(value, float):
        return "nan" if math.isnan(value) else repr(value)
    return str(value)


def _line(values: Iterable[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(list(values))
    return buffer.getvalue()


def _write_atomic(path: Path, text: str) -> None:
    write_text_atomic(path, text, newline="")
