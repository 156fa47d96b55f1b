"""The results table: one CSV row per finished run, appended and flushed as runs finish.

An experiment of hundreds of runs gets interrupted (a laptop lid, a lost cluster, Stop),
so every finished run is on disk at once, and opening the table again tells the runner
which runs are done. A run killed mid-write leaves at most a torn last line, which is
dropped on reopening (the run is simply redone). Next to the table, ``NAME.spec.json``
records the experiment it belongs to, so a resume never mixes two experiments' rows.
Both files may come with a stranger's folder: ``resultsfile`` reads them within limits
and appends only to the very file that was read, never through a link.
Floats are written with ``repr`` so that reading the table back gives the same numbers
bit for bit, whichever backend wrote them.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import math
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench.core.atomic import write_bytes_atomic, write_text_atomic
from workbench.core.errors import DataFormatError, WorkbenchError
from workbench.evaluation.experiment import resultsfile
from workbench.evaluation.experiment.resultsfile import (
    TABLE,
    existing,
    open_for_append,
    read_record,
    read_table,
    table_text,
)
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
        self.record = spec.to_dict()
        self._done: set[RunKey] = set()
        sidecar = spec_sidecar(self.path)
        found = existing(self.path)
        if found is not None:
            self._check_sidecar(sidecar, spec)
            fd = open_for_append(self.path, found)
            try:
                self._load_existing(fd)
            except BaseException:
                os.close(fd)
                raise
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_json_atomic(sidecar, spec.to_dict())
            _write_atomic(self.path, _line(self.columns))
            fd = open_for_append(self.path)
        self._size = os.fstat(fd).st_size
        self._fh = os.fdopen(fd, "a", encoding="utf-8", newline="")

    # Resuming --------------------------------------------------------------------------
    def _check_sidecar(self, sidecar: Path, spec: ExperimentSpec) -> None:
        check_record(self.path, spec)

    def _load_existing(self, fd: int) -> None:
        """Read the keys of the runs in the table open as ``fd``; a torn last line (a
        run killed while writing) is cut off, and its run simply redone."""
        raw = read_table(self.path)
        read, now = os.fstat(fd), os.lstat(self.path)
        if (read.st_dev, read.st_ino) != (now.st_dev, now.st_ino):
            raise DataFormatError("was replaced by another file while it was read",
                                  self.path, expected=TABLE)
        complete = raw.rfind(b"\n") + 1
        text = table_text(raw[:complete], self.path)
        reader = csv.reader(io.StringIO(text))
        labels: dict[str, str] = {}   # one string per label, not one per row
        start = 1
        try:
            for record in reader:
                if start == 1:
                    self._check_header(record)
                else:
                    self._done.add(self._key(record, start, labels))
                start = reader.line_num + 1
        except csv.Error as exc:
            raise DataFormatError(str(exc), self.path, reader.line_num,
                                  expected=TABLE) from None
        if start == 1:
            self._check_header(None)
        if complete < len(raw):
            os.ftruncate(fd, complete)  # the same file that was read: never a link

    def _check_header(self, header: list[str] | None) -> None:
        if header != self.columns:
            found = ",".join(header) if header is not None else "an empty file"
            raise DataFormatError("results header does not match the experiment", self.path,
                                  1, expected=f"{','.join(self.columns)}, found {found}")

    def _key(self, row: list[str], line: int, labels: dict[str, str]) -> RunKey:
        if len(row) != len(self.columns):
            raise DataFormatError(f"expected {len(self.columns)} values, found {len(row)}",
                                  self.path, line)
        try:
            repetition, fold = int(row[2]), int(row[3])
        except ValueError:
            raise DataFormatError(f"repetition and fold must be integers, found "
                                  f"{row[2][:40]!r}, {row[3][:40]!r}", self.path,
                                  line) from None
        return (labels.setdefault(row[0], row[0]), labels.setdefault(row[1], row[1]),
                repetition, fold)

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
        line = _line([_text(row[c]) for c in self.columns])
        size = self._size + len(line.encode("utf-8"))
        if size > resultsfile.MAX_RESULTS_BYTES:
            # Past it the table could not be read back: stop while every row counts.
            raise WorkbenchError(
                f"{self.path}: the results table would pass "
                f"{resultsfile.MAX_RESULTS_BYTES >> 20} MiB, the most that is read back to "
                f"resume or analyse; the {len(self._done)} runs in it are kept: split the "
                f"experiment into smaller ones (fewer datasets or classifiers each)")
        self._fh.write(line)
        self._size = size
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._done.add(tuple(row[c] for c in KEY_COLUMNS))

    def move_to(self, target: str | os.PathLike[str],
                saved: ExperimentSpec | None = None) -> int:
        """Copy the table and its record to ``target`` and append there from now on;
        the number of runs copied. For an experiment saved under a new name while it
        runs (``destination.Destination``): the rows already written are copied, the
        rows still to come go to ``target`` only, so the saved experiment gets every run
        once. ``saved`` is the experiment as saved when it lists its datasets otherwise
        (``relocate``: another folder); its record goes with the copy. The table left
        behind keeps the runs it had, as ``carry_results`` leaves it. Read through this
        store's own descriptor (the very file appended to, never a link); on failure
        nothing changes and rows still go to ``self.path``. Not safe against a
        concurrent ``append``: the caller serialises the two."""
        target = Path(target)
        record = self.record if saved is None else _same_runs(self.record, saved)
        self._fh.flush()
        fd = self._fh.fileno()
        chunks, offset = [], 0
        while offset < self._size:
            chunk = os.pread(fd, self._size - offset, offset)
            if not chunk:
                break
            chunks.append(chunk)
            offset += len(chunk)
        _copy_table(self.path, target, record, b"".join(chunks))
        try:
            new = open_for_append(target, existing(target))
        except DataFormatError as exc:
            raise WorkbenchError(f"{target}: cannot append the results there ({exc}); "
                                 f"they stay in {self.path}") from exc
        old = self._fh
        self._fh = os.fdopen(new, "a", encoding="utf-8", newline="")
        self.path, self.record = target, record
        old.close()
        return len(self._done)

    def record_as(self, saved: ExperimentSpec) -> None:
        """The table stays where it is, for ``saved``: the same experiment listing its
        datasets otherwise (saved into another folder while it runs, its results in a
        file the user chose); its record is rewritten (``record_results_as``)."""
        self.record = _same_runs(self.record, saved)
        _rewrite_record(self.path, self.record)

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.close()

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def check_record(path: Path, spec: ExperimentSpec) -> None:
    """Refuse results at ``path`` whose record is not ``spec``'s (or cannot be read):
    resuming must never mix two experiments' rows."""
    sidecar = spec_sidecar(path)
    try:
        recorded = read_record(sidecar, ExperimentFileError, "an experiment record")
    except ExperimentFileError as exc:
        raise WorkbenchError(
            f"{path}: results exist but their experiment record {sidecar} cannot "
            f"be read ({exc}); choose another --out or remove both files") from exc
    if recorded != spec.to_dict():
        raise WorkbenchError(
            f"{path}: these results belong to a different experiment (see "
            f"{sidecar}); choose another --out to start afresh, or run the same "
            f"experiment to resume")


def finished_keys(path: str | os.PathLike[str], spec: ExperimentSpec) -> set[RunKey]:
    """The keys of the runs already in the results at ``path``, read only (nothing is
    created, cut or appended): what a resume would skip, for counting before a start.
    Empty when there is no table; refused as a resume refuses it when the table is
    another experiment's, not a plain file, or a link. Rows a resume would refuse are
    left for the resume to refuse, with its message."""
    path = Path(path)
    if existing(path) is None:
        return set()
    check_record(path, spec)
    raw = read_table(path)
    text = table_text(raw[:raw.rfind(b"\n") + 1], path)
    keys: set[RunKey] = set()
    with contextlib.suppress(csv.Error):
        for row in itertools.islice(csv.reader(io.StringIO(text)), 1, None):
            if len(row) >= 4 and row[2].isdigit() and row[3].isdigit():
                keys.add((row[0], row[1], int(row[2]), int(row[3])))
    return keys


def carry_results(source: str | os.PathLike[str], target: str | os.PathLike[str],
                  spec: ExperimentSpec, saved: ExperimentSpec | None = None) -> int:
    """Copy the results of ``spec`` at ``source`` (table and record) to ``target``, for
    an experiment saved under a new name, whose results go beside it from then on; the
    number of runs carried (0 when ``source`` holds none of this experiment's: no
    table, or another experiment's record). ``saved`` is the experiment as saved when
    it lists its datasets otherwise than ``spec`` (saved into another folder, its
    relative paths rewritten by ``relocate``): the copy's record is ``saved``'s, so
    reopening the saved file finds its runs; the rows, keyed by the datasets' names,
    are the same. With ``target`` the very file ``source`` (results the user chose,
    which stay), only the record becomes ``saved``'s (``record_results_as``).
    ``source`` is copied, not moved, so a failure part-way loses nothing; ``target``
    is never overwritten (a ``WorkbenchError`` says so when something is there). The
    record is written first, so a table never stands without the record that a
    resume checks."""
    source, target = Path(source), Path(target)
    if source.resolve() == target.resolve():
        if saved is not None:
            record_results_as(source, spec, saved)
        return 0
    if existing(source) is None:
        return 0
    try:
        recorded = read_record(spec_sidecar(source), ExperimentFileError,
                               "an experiment record")
    except ExperimentFileError:
        return 0
    if recorded != spec.to_dict():
        return 0
    raw = read_table(source)
    complete = bytes(raw[:raw.rfind(b"\n") + 1])   # a torn last run is redone anyway
    text = table_text(complete, source)
    record = recorded if saved is None else _same_runs(recorded, saved)
    _copy_table(source, target, record, complete)
    return max(sum(1 for row in csv.reader(io.StringIO(text)) if row) - 1, 0)


def record_results_as(path: str | os.PathLike[str], spec: ExperimentSpec,
                      saved: ExperimentSpec) -> bool:
    """The results of ``spec`` at ``path`` stay there for ``saved``, the same experiment
    listing its datasets otherwise (saved into another folder while its results go to a
    file the user chose): the record is rewritten to ``saved``'s, so Start resumes from
    those runs instead of refusing them as another experiment's. True when rewritten;
    False (nothing touched) when ``path`` holds no table or another experiment's."""
    path = Path(path)
    if existing(path) is None:
        return False
    try:
        recorded = read_record(spec_sidecar(path), ExperimentFileError,
                               "an experiment record")
    except ExperimentFileError:
        return False
    if recorded != spec.to_dict() or recorded == saved.to_dict():
        return False
    _rewrite_record(path, _same_runs(recorded, saved))
    return True


def _same_runs(record: Any, saved: ExperimentSpec) -> dict[str, Any]:
    """``saved``'s record, for a table written under ``record``: refused (a
    ``WorkbenchError``) unless the two differ only in how datasets are written, with
    the same names in the same order, so every row of the table still names its run."""
    new = saved.to_dict()
    old = dict(record) if isinstance(record, dict) else {}
    same = ({k: v for k, v in old.items() if k != "datasets"}
            == {k: v for k, v in new.items() if k != "datasets"}
            and isinstance(old.get("datasets"), list)
            and [dataset_label(d) for d in old["datasets"]]
            == [dataset_label(d) for d in new["datasets"]])
    if not same:
        raise WorkbenchError("the saved experiment is not the one whose runs these are")
    return new


def _rewrite_record(path: Path, record: dict[str, Any]) -> None:
    try:
        write_json_atomic(spec_sidecar(path), record)
    except OSError as exc:
        raise WorkbenchError(f"{spec_sidecar(path)}: cannot record the saved "
                             f"experiment there: {exc}") from exc


def _copy_table(source: Path, target: Path, record: Any, table: bytes) -> None:
    """Write ``record`` and then ``table`` (complete lines) at ``target``, which must
    be free: nothing there is ever overwritten (a ``WorkbenchError`` says the results
    stay in ``source``). The record goes first, so a table never stands without the
    record that a resume checks."""
    for path in (target, spec_sidecar(target)):
        if path.exists() or path.is_symlink():
            raise WorkbenchError(f"{path}: a file of that name is already there; the "
                                 f"results stay in {source}")
    try:
        write_json_atomic(spec_sidecar(target), record)
        write_bytes_atomic(target, table)
    except OSError as exc:
        raise WorkbenchError(f"{target}: cannot copy the results there: {exc}; they stay "
                             f"in {source}") from exc


def read_results(path: str | os.PathLike[str]) -> pd.DataFrame:
    """The results table sorted by its keys (dataset and classifier in first-seen
    order, then repetition and fold), ready for analysis."""
    path = Path(path)
    if not path.exists():
        raise WorkbenchError(f"{path}: no such results file")
    text = table_text(read_table(path), path)  # regular file, size and memory bounded
    try:
        table = pd.read_csv(io.StringIO(text), dtype={"dataset": str, "classifier": str},
                            keep_default_na=False, na_values=["nan", "NaN"])
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
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
    table = _numeric(table, path, text)
    twice = table.duplicated(list(KEY_COLUMNS), keep=False).to_numpy()
    if twice.any():
        first, again = (int(i) for i in twice.nonzero()[0][:2])
        row = table.iloc[first]
        raise WorkbenchError(
            f"{path}:{_line_of(text, again)}: the run (dataset {row['dataset']}, "
            f"classifier {row['classifier']}, repetition {row['repetition']}, fold "
            f"{row['fold']}) is already on line {_line_of(text, first)}; each run may "
            f"appear once")
    return sort_results(table, _recorded_order(path))


def _numeric(table: pd.DataFrame, path: Path, text: str) -> pd.DataFrame:
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
            raise WorkbenchError(f"{path}:{_line_of(text, row)}: column '{column}' holds "
                                 f"{shown}, not {kind}")
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


def _recorded_order(path: Path) -> dict[str, list[str]]:
    """Dataset and classifier labels in the order the experiment lists them."""
    try:
        recorded = read_record(spec_sidecar(path), ExperimentFileError, "an experiment record")
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
