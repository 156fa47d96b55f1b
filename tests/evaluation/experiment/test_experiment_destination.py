"""A results table moved while a run appends to it (Save... during a run): every row
ends up in the new table exactly once, whole, whenever the move falls."""

from __future__ import annotations

import csv
import threading
from pathlib import Path

import pytest

from workbench.core.errors import WorkbenchError
from workbench.evaluation.experiment import spec_from_dict
from workbench.evaluation.experiment.destination import Destination
from workbench.evaluation.experiment.runs import result_columns
from workbench.evaluation.experiment.store import finished_keys, spec_sidecar

ROWS = 400
DEFINITION = {"datasets": ["iris"], "classifiers": ["zeror"],
              "resampling": {"method": "cross_validation", "folds": 10},
              "repetitions": ROWS // 10, "seed": 1, "metrics": ["accuracy"]}
SPEC = spec_from_dict(DEFINITION)
COLUMNS = result_columns(SPEC)


def _row(i: int) -> dict[str, object]:
    row: dict[str, object] = dict.fromkeys(COLUMNS, 0.25)
    row.update(dataset="iris", classifier="zeror", repetition=i // 10 + 1,
               fold=i % 10 + 1, num_train=135, num_test=15)
    return row


def _keys(path: Path) -> list[tuple[str, ...]]:
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == COLUMNS
    assert all(len(row) == len(COLUMNS) for row in rows)   # no torn or merged line
    return [tuple(row[:4]) for row in rows[1:]]


def test_rows_appended_while_the_table_moves_are_each_in_the_new_table_once(tmp_path):
    """The worker appends without pause; the move lands part-way, between two rows
    or while one is being written: the lock puts each row before the copy or after.
    The worker waits after half the rows until the move has returned, so the move
    always meets the open table (a fast disk or a busy machine once let the worker
    finish first, and the move became a plain copy of all the rows)."""
    old, new = tmp_path / "old.results.csv", tmp_path / "new.results.csv"
    destination = Destination(old, SPEC)
    written = threading.Semaphore(0)
    moved_now = threading.Event()

    def work() -> None:
        with destination.open(COLUMNS) as store:
            for i in range(ROWS):
                store.append(_row(i))
                written.release()
                if i + 1 == ROWS // 2:
                    assert moved_now.wait(30)

    worker = threading.Thread(target=work)
    worker.start()
    for _ in range(ROWS // 4):
        assert written.acquire(timeout=30)
    try:
        carried = destination.move(new, SPEC)
    finally:
        moved_now.set()
    worker.join(30)
    assert not worker.is_alive()

    moved = _keys(new)
    assert len(moved) == ROWS and len(set(moved)) == ROWS
    assert ROWS // 4 <= carried <= ROWS // 2
    assert _keys(old) == moved[:carried]   # the old table: the runs it had at the save
    assert destination.path == new
    assert len(finished_keys(new, SPEC)) == ROWS   # a resume there has nothing left


def test_a_move_before_the_run_opens_its_table_sends_the_run_there(tmp_path):
    old, new = tmp_path / "old.results.csv", tmp_path / "new.results.csv"
    destination = Destination(old, SPEC)
    assert destination.move(new, SPEC) == 0
    with destination.open(COLUMNS) as store:
        store.append(_row(0))
    assert not old.exists() and _keys(new) == [("iris", "zeror", "1", "1")]
    assert spec_sidecar(new).is_file()


def test_a_move_after_the_run_closed_its_table_copies_it(tmp_path):
    old, new = tmp_path / "old.results.csv", tmp_path / "new.results.csv"
    destination = Destination(old, SPEC)
    with destination.open(COLUMNS) as store:
        for i in range(3):
            store.append(_row(i))
    assert destination.move(new, SPEC) == 3
    assert _keys(new) == _keys(old)


def test_another_experiment_saved_during_the_run_moves_nothing(tmp_path):
    """The setup was changed since Start: the run computes the experiment it started."""
    old, new = tmp_path / "old.results.csv", tmp_path / "new.results.csv"
    other = spec_from_dict({**DEFINITION, "seed": 2})
    destination = Destination(old, SPEC)
    with destination.open(COLUMNS) as store:
        store.append(_row(0))
        assert destination.move(new, other) == 0
        store.append(_row(1))
    assert not new.exists() and len(_keys(old)) == 2


def test_a_taken_name_leaves_the_run_writing_where_it_was(tmp_path):
    old, new = tmp_path / "old.results.csv", tmp_path / "new.results.csv"
    new.write_text("user data\n")
    destination = Destination(old, SPEC)
    with destination.open(COLUMNS) as store:
        store.append(_row(0))
        with pytest.raises(WorkbenchError, match="already there; the results stay in"):
            destination.move(new, SPEC)
        store.append(_row(1))
    assert new.read_text() == "user data\n" and len(_keys(old)) == 2
    assert destination.path == old


def test_a_copy_that_cannot_be_opened_is_removed(tmp_path, monkeypatch):
    """The copy is placed but cannot be opened for appending: it is removed again
    (it used to stay, and block the next save with "already there")."""
    from workbench.core.errors import DataFormatError
    from workbench.evaluation.experiment import store as store_module

    old, new = tmp_path / "old.results.csv", tmp_path / "new.results.csv"
    real = store_module.open_for_append

    def refuse_new(path, *args):
        if Path(path) == new:
            raise DataFormatError("was replaced while it was read", path)
        return real(path, *args)

    monkeypatch.setattr(store_module, "open_for_append", refuse_new)
    destination = Destination(old, SPEC)
    with destination.open(COLUMNS) as store:
        store.append(_row(0))
        with pytest.raises(WorkbenchError, match="cannot append the results there"):
            destination.move(new, SPEC)
        store.append(_row(1))
    assert not new.exists() and not spec_sidecar(new).exists()
    assert len(_keys(old)) == 2 and destination.path == old


def test_a_file_appearing_during_the_copy_is_never_replaced(tmp_path, monkeypatch):
    """Someone writes the table's name between the check and the placing: their file
    stays, and the record already placed for the copy is removed."""
    from workbench.evaluation.experiment import store as store_module

    old, new = tmp_path / "old.results.csv", tmp_path / "new.results.csv"
    real = store_module._place_new

    def race(target, data):
        if target == new:
            new.write_text("theirs\n")
        real(target, data)

    monkeypatch.setattr(store_module, "_place_new", race)
    destination = Destination(old, SPEC)
    with destination.open(COLUMNS) as store:
        store.append(_row(0))
        with pytest.raises(WorkbenchError, match="already there; the results stay in"):
            destination.move(new, SPEC)
    assert new.read_text() == "theirs\n" and not spec_sidecar(new).exists()
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
