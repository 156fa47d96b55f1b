"""Where a running experiment writes its rows: a results table that a save may move.

The Experimenter saves an experiment under a new name while it runs, and from then on
the saved file's results belong beside it. Copying the table at that moment is not
enough: the runs still to come would be appended to the old table only, and reopening
the saved experiment would compute them again. So the run appends through a
``Destination``, and the save moves it (``move``): one lock orders every append and the
move, so each row is written either before the copy (and copied) or after it (to the
new table only), never lost, never twice, never torn. Before the run has opened its
table and after it has closed it, a move is a plain ``carry_results`` copy, and a table
the run opens later is opened at the new place.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from workbench.core.errors import WorkbenchError
from workbench.evaluation.experiment.runs import RunKey
from workbench.evaluation.experiment.spec import ExperimentSpec
from workbench.evaluation.experiment.store import (
    ResultStore,
    carry_results,
    experiment_record,
    same_experiment,
)


class Destination:
    """The results table at ``path`` for one run of ``spec``; thread-safe: the run
    appends on its worker thread while the window may ``move`` it."""

    def __init__(self, path: str | os.PathLike[str], spec: ExperimentSpec) -> None:
        self.spec = spec
        self._record = experiment_record(spec)
        self._lock = threading.Lock()
        self._path = Path(path)
        self._store: ResultStore | None = None

    @property
    def path(self) -> Path:
        """Where rows go now (the new place once moved)."""
        with self._lock:
            return self._path

    @contextmanager
    def open(self, columns: list[str]) -> Iterator[Destination]:
        """Open the table where it is now (``ResultStore``: created, or resumed from the
        runs it holds) for the run's appends; closed on leaving."""
        with self._lock:
            self._store = ResultStore(self._path, self.spec, columns)
        try:
            yield self
        finally:
            with self._lock:
                store, self._store = self._store, None
                if store is not None:
                    store.close()

    @property
    def done(self) -> frozenset[RunKey]:
        """Keys of the runs in the open table."""
        with self._lock:
            return self._open().done

    def append(self, row: dict[str, Any]) -> None:
        """Add one finished run to the table, wherever it is now (``ResultStore.append``)."""
        with self._lock:
            self._open().append(row)

    def move(self, target: str | os.PathLike[str], spec: ExperimentSpec,
             saved: ExperimentSpec | None = None) -> int:
        """Copy the runs to ``target`` and send every later row there, for ``spec``
        saved under a new name; the number of runs copied. ``saved`` is the experiment
        as saved when it lists its datasets otherwise (saved into another folder: see
        ``relocate``): the moved table's record is ``saved``'s, and this destination
        follows it from then on; with ``target`` the table's own place (a results file
        the user chose), nothing is copied or rewritten: records compare datasets by
        name and file (``store.same_experiment``), so the table stays valid for both.
        Nothing moves (0) when the run computes another experiment than ``spec`` (the
        setup was changed since Start), and a ``WorkbenchError`` leaves everything
        where it was when ``target`` is taken or cannot be written, as
        ``carry_results`` does."""
        target = Path(target)
        with self._lock:
            if not same_experiment(self._record, spec):
                return 0
            if target.resolve() != self._path.resolve():
                if self._store is None:   # not opened yet, or closed: a plain copy
                    carried = carry_results(self._path, target, spec, saved)
                else:
                    carried = self._store.move_to(target, saved)
                self._path = target
            else:
                carried = 0
            if saved is not None:
                self._follow(saved)
            return carried

    def _follow(self, saved: ExperimentSpec) -> None:
        """From now on the table is ``saved``'s: a later save compares with it, and a
        table opened later is checked against it (the lock is held)."""
        self.spec, self._record = saved, experiment_record(saved)

    def _open(self) -> ResultStore:
        if self._store is None:
            raise WorkbenchError(f"{self._path}: the results table is not open")
        return self._store
