"""The results table: one row per finished run, appended and flushed as runs finish.

An experiment of hundreds of runs gets interrupted (a laptop lid, a lost cluster, Stop),
so every finished run is on disk at once, and opening the table again tells the runner
which runs are done. A run killed mid-write leaves at most a torn last line, which is
dropped on reopening (the run is simply redone). Next to the table, ``NAME.spec.json``
records the experiment it belongs to, so a resume never mixes two experiments' rows.
The record also lists where each dataset file was (``dataset_locations``: resolved
paths), so a dataset matches when written the same or when naming the same file:
``mine.arff`` from ``a/`` and ``../a/mine.arff`` from ``b/`` are one dataset, and an
experiment saved into another folder keeps its results without a new record.
Both files may come with a stranger's folder: ``resultsfile`` reads them within limits
and appends only to the very file that was read, never through a link.
Floats are written with ``repr`` so that reading the table back gives the same numbers
bit for bit, whichever backend wrote them. A table named ``.arff`` is written in WEKA's
Experimenter's layout (``weka_results.ArffLayout``: its header is known before the first
run, so each run is one appended line there too, resumed the same way); any other name
is CSV, one line per run under a header line of column names.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import itertools
import json
import math
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from workbench.core.atomic import write_text_atomic
from workbench.core.errors import DataFormatError, WorkbenchError
from workbench.evaluation.experiment import resultsfile
from workbench.evaluation.experiment.resultsfile import (
    TABLE,
    check_table_name,
    existing,
    open_for_append,
    read_record,
    read_table,
    table_text,
)
from workbench.evaluation.experiment.runs import KEY_COLUMNS, RunKey, result_columns
from workbench.evaluation.experiment.spec import (
    ExperimentFileError,
    ExperimentSpec,
    dataset_label,
    write_json_atomic,
)
from workbench.evaluation.experiment.weka_results import ArffLayout, count_rows, is_arff_name

LOCATIONS = "dataset_locations"
#: How a measure with no value is spelled in a results table: an empty field as written
#: now (pandas, a spreadsheet and our CSV reader all take it as missing, so the column
#: stays numbers), ``?`` and ``nan`` as tables written before had it. Never in a key
#: column: a run without its dataset, classifier, repetition or fold is a damaged row.
MISSING_MEASURE = ("", "?", "nan", "NaN")


def spec_sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".spec.json")


def experiment_record(spec: ExperimentSpec) -> dict[str, Any]:
    """What is written beside a table of ``spec``'s runs: the experiment as its file
    lists it, plus where each dataset file is (resolved; a bundled name as is)."""
    return {**spec.to_dict(), LOCATIONS: [spec.dataset_location(ref)
                                          for ref in spec.datasets]}


def same_experiment(recorded: Any, spec: ExperimentSpec) -> bool:
    """Whether a table recorded as ``recorded`` holds ``spec``'s runs: everything the
    same but how datasets are written; each dataset the same name (what rows are
    keyed by), written the same (a project folder moved or given to someone else
    resumes) or naming the same file (an experiment saved into another folder, its
    paths rewritten by ``relocate``). A record written before files were recorded
    (no ``dataset_locations``) is compared by spelling only."""
    if not isinstance(recorded, dict):
        return False
    mine = spec.to_dict()
    if ({k: v for k, v in recorded.items() if k not in ("datasets", LOCATIONS)}
            != {k: v for k, v in mine.items() if k != "datasets"}):
        return False
    datasets, locations = recorded.get("datasets"), recorded.get(LOCATIONS)
    if (not isinstance(datasets, list) or len(datasets) != len(spec.datasets)
            or not all(isinstance(d, str) for d in datasets)):
        return False
    if not isinstance(locations, list) or len(locations) != len(datasets):
        locations = [None] * len(datasets)
    return all(theirs == ref or (dataset_label(theirs) == dataset_label(ref)
                                 and where == spec.dataset_location(ref))
               for theirs, where, ref in zip(datasets, locations, spec.datasets,
                                             strict=True))


def _cannot_write(path: Path, error: OSError) -> str:
    where = Path(error.filename) if error.filename else path.parent
    return (f"cannot write the results file {path} ({where}: "
            f"{error.strerror or error}): choose another results file (--out FILE on "
            f"the command line, Browse... in the Experimenter) or set WORKBENCH_OUTPUT "
            f"to a folder you can write")


class ResultStore:
    """An append-only results table bound to one experiment definition."""

    def __init__(self, path: str | os.PathLike[str], spec: ExperimentSpec,
                 columns: list[str]) -> None:
        self.path = Path(path)
        check_table_name(self.path)
        self.columns = list(columns)
        self.record = experiment_record(spec)
        # A name ending .arff is WEKA's layout (``weka_results``), anything else CSV.
        self.layout = ArffLayout(spec, self.columns) if is_arff_name(self.path) else None
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
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                write_json_atomic(sidecar, self.record)
                _write_atomic(self.path, _line(self.columns) if self.layout is None
                              else self.layout.header())
                fd = open_for_append(self.path)
            except OSError as error:   # a read-only home, a full disk: the
                # user's to change, so say where and how rather than quote errno
                raise WorkbenchError(_cannot_write(self.path, error)) from None
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
        if self.layout is not None:
            self._done = self.layout.keys(text, self.path)
        else:
            self._load_csv(text)
        if complete < len(raw):
            os.ftruncate(fd, complete)  # the same file that was read: never a link

    def _load_csv(self, text: str) -> None:
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
        line = (_line([_text(row[c]) for c in self.columns]) if self.layout is None
                else self.layout.line(row))
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
        nothing changes (the copy is removed) and rows still go to ``self.path``. Not
        safe against a concurrent ``append``: the caller serialises the two."""
        target = Path(target)
        record = self.record if saved is None else _saved_record(self.record, saved)
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
        except (DataFormatError, OSError) as exc:
            _remove_copy(target)
            raise WorkbenchError(f"{target}: cannot append the results there ({exc}); "
                                 f"they stay in {self.path}") from exc
        old = self._fh
        self._fh = os.fdopen(new, "a", encoding="utf-8", newline="")
        self.path, self.record = target, record
        old.close()
        return len(self._done)

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
        recorded = recorded_experiment(path)
    except ExperimentFileError as exc:
        raise WorkbenchError(
            f"{path}: results exist but their experiment record {sidecar} cannot "
            f"be read ({exc}); choose another --out or remove both files") from exc
    if not same_experiment(recorded, spec):
        if _made_with_the_old_split(recorded, spec):
            raise WorkbenchError(
                f"{path}: these results were computed with the percentage split of "
                f"earlier versions, not WEKA's Experimenter's split that runs use now, so "
                f"new runs cannot be added to them; choose another --out to start "
                f"afresh, or remove both files ({path.name} and {sidecar.name}) to "
                f"compute them again")
        raise WorkbenchError(
            f"{path}: these results belong to a different experiment (see "
            f"{sidecar}); choose another --out to start afresh, or run the same "
            f"experiment to resume")


def _made_with_the_old_split(recorded: Any, spec: ExperimentSpec) -> bool:
    """Whether ``recorded`` is ``spec``'s record as written before the split was WEKA's
    Experimenter's (a split without ``randomize``): the same experiment, whose rows were
    split otherwise, which the message should say rather than "another experiment"."""
    if not isinstance(recorded, dict) or not isinstance(recorded.get("resampling"), dict):
        return False
    sampling = recorded["resampling"]
    if sampling.get("method") != "split" or "randomize" in sampling:
        return False
    return same_experiment({**recorded, "resampling": {**sampling, "randomize": True}},
                           spec)


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
    if is_arff_name(path):
        with contextlib.suppress(WorkbenchError):
            return ArffLayout(spec, result_columns(spec)).keys(text, path)
        return set()
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
    table, or another experiment's record, or ``target`` is ``source``). ``saved`` is
    the experiment as saved when it lists its datasets otherwise than ``spec`` (saved
    into another folder, its relative paths rewritten by ``relocate``): the copy's
    record is ``saved``'s. Records compare datasets by name and file
    (``same_experiment``), so the rows and the record left at ``source`` stay valid
    for both spellings and nothing there is rewritten. ``source`` is copied, not
    moved, so a failure part-way loses nothing; ``target`` is never overwritten (a
    ``WorkbenchError`` says so when something is there)."""
    source, target = Path(source), Path(target)
    if source.resolve() == target.resolve():
        return 0
    recorded = _record_of(source, spec)
    if recorded is None:
        return 0
    raw = read_table(source)
    complete = bytes(raw[:raw.rfind(b"\n") + 1])   # a torn last run is redone anyway
    text = table_text(complete, source)
    record = experiment_record(spec) if saved is None else _saved_record(
        experiment_record(spec), saved)
    _copy_table(source, target, record, complete)
    if is_arff_name(source):
        return count_rows(complete)
    return max(sum(1 for row in csv.reader(io.StringIO(text)) if row) - 1, 0)


def check_carry_target(source: str | os.PathLike[str], target: str | os.PathLike[str],
                       spec: ExperimentSpec) -> None:
    """Raise a ``WorkbenchError`` naming the file when carrying ``spec``'s results
    from ``source`` to ``target`` would meet a file already there (the table or its
    record): for a save to refuse before it writes anything. Nothing to carry (no
    table of ``spec``'s at ``source``, or ``target`` is ``source``) is no refusal."""
    source, target = Path(source), Path(target)
    if source.resolve() == target.resolve() or _record_of(source, spec) is None:
        return
    for path in (target, spec_sidecar(target)):
        if path.exists() or path.is_symlink():
            raise WorkbenchError(
                f"{path}: a file of that name is already there, where the saved "
                f"experiment's results would go (its runs are in {source}); nothing "
                f"was saved: save under another name or folder, or move that file away")


def recorded_experiment(path: Path) -> Any:
    """The record beside the table at ``path`` (an ``ExperimentFileError`` when it
    cannot be read)."""
    return read_record(spec_sidecar(path), ExperimentFileError, "an experiment record")


def _record_of(path: Path, spec: ExperimentSpec) -> Any | None:
    """The record of a table of ``spec``'s runs at ``path``; None when there is no
    table, or its record cannot be read, or it is another experiment's: then there is
    nothing of ``spec``'s to carry, and nothing is touched."""
    if existing(path) is None:
        return None
    try:
        recorded = recorded_experiment(path)
    except ExperimentFileError:
        return None
    return recorded if same_experiment(recorded, spec) else None


def _saved_record(record: dict[str, Any], saved: ExperimentSpec) -> dict[str, Any]:
    """``saved``'s record, for a table recorded as ``record``: refused (a
    ``WorkbenchError``) unless ``saved`` is the same experiment (``same_experiment``:
    the same dataset names and files in the same order), so every row still names its
    run."""
    if not same_experiment(record, saved):
        raise WorkbenchError("the saved experiment is not the one whose runs these are")
    return experiment_record(saved)


def _copy_table(source: Path, target: Path, record: Any, table: bytes) -> None:
    """Write ``record`` and then ``table`` (complete lines) at ``target``, which must
    be free: nothing there is ever overwritten, also not a file that appears while the
    copy is written (each is linked in under its name, which fails when taken), and a
    ``WorkbenchError`` says the results stay in ``source``. The record goes first, so a
    table never stands without the record that a resume checks; when the table
    cannot be placed, the record is removed again."""
    for path in (target, spec_sidecar(target)):
        if path.exists() or path.is_symlink():
            raise WorkbenchError(f"{path}: a file of that name is already there; the "
                                 f"results stay in {source}")
    sidecar = spec_sidecar(target)
    placed: list[Path] = []
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _place_new(sidecar, _json_bytes(record))
        placed.append(sidecar)
        _place_new(target, table)
    except FileExistsError as exc:
        _remove_copy(target, placed)
        raise WorkbenchError(f"{exc.filename or target}: a file of that name is already "
                             f"there; the results stay in {source}") from exc
    except OSError as exc:
        _remove_copy(target, placed)
        raise WorkbenchError(f"{target}: cannot copy the results there: {exc}; they stay "
                             f"in {source}") from exc


def _json_bytes(record: Any) -> bytes:
    """``record`` as ``write_json_atomic`` writes it."""
    return (json.dumps(record, indent=2) + "\n").encode("utf-8")


def _place_new(target: Path, data: bytes) -> None:
    """Write ``data`` as a new file named ``target``, whole or not at all, never
    replacing a file: written to a temporary beside it (named as ``core.atomic``
    names its own, so a killed save's leftover is cleared by the next save there),
    then linked in under the name, which fails (``FileExistsError``) when the name was
    taken meanwhile. Where hard links are not supported, the file is created with
    ``O_EXCL`` and written in place."""
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp",
                                dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        mask = os.umask(0o022)
        os.umask(mask)
        os.chmod(temp, 0o666 & ~mask)
        try:
            os.link(temp, target)
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV,
                                 errno.EMLINK):
                raise
            _create_exclusive(target, data)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)


def _create_exclusive(target: Path, data: bytes) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(target, flags, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(target)
        raise


def _remove_copy(target: Path, placed: list[Path] | None = None) -> None:
    """Remove what a failed copy placed at ``target`` (by default the table and its
    record), so a later save finds the name free."""
    for path in placed if placed is not None else [target, spec_sidecar(target)]:
        with contextlib.suppress(OSError):
            path.unlink()


def _text(value: Any) -> str:
    """A cell as written: a float by ``repr`` (read back bit for bit), a measure with no
    value as an empty field, which pandas, a spreadsheet, our CSV reader and
    ``workbench info`` take as missing (``nan`` was read as a label by our reader,
    making the column nominal; ``?`` made it text in pandas)."""
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    return str(value)


def _line(values: Iterable[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(list(values))
    return buffer.getvalue()


def _write_atomic(path: Path, text: str) -> None:
    write_text_atomic(path, text, newline="")
