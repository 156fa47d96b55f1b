"""The record of files flow runs wrote (``flow.writes.WriteRecord``) at scale: a run
saves it a few times, not once per file, and one run cannot push every other run's
files out of it."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

from workbench.cli import main
from workbench.flow import writes
from workbench.flow.writes import WriteGuard, WriteRecord

ROOT = Path(__file__).resolve().parents[2]
CV = ROOT / "workbench" / "resources" / "flows" / "cross-validation.kflow.json"
IRIS = ROOT / "workbench" / "resources" / "datasets" / "iris.arff"


def _flow_with_viewers(folder: Path, count: int) -> Path:
    """The cross-validation template plus ``count`` unconnected text viewers: each one
    is a file ``workbench run --out`` writes."""
    flow = json.loads(CV.read_text())
    flow["nodes"][0]["parameters"]["file"] = str(IRIS)
    flow["nodes"].extend({"id": f"t{i}", "type": "TextViewer", "title": "t",
                          "parameters": {}} for i in range(count))
    path = folder / "many.kflow.json"
    path.write_text(json.dumps(flow))
    return path


def _record() -> Path:
    return Path(os.environ["WORKBENCH_HOME"]) / "flow-writes.json"


def test_a_run_saves_the_record_once_not_once_per_file(tmp_path, monkeypatch, capsys):
    saves: list[Path] = []
    real_write = writes.write_text_atomic

    def counting(path, text, *args, **kwargs):
        saves.append(Path(path))
        return real_write(path, text, *args, **kwargs)

    monkeypatch.setattr(writes, "write_text_atomic", counting)
    flow = _flow_with_viewers(tmp_path, 30)
    assert main(["run", "--no-progress", "--out", str(tmp_path / "out"), str(flow)]) == 0
    capsys.readouterr()
    assert len(list((tmp_path / "out").glob("*.txt"))) == 31
    assert saves == [_record()]
    assert len(json.loads(_record().read_text())) == 31
    # The re-run replaces its own files without asking, and saves once again.
    assert main(["run", "--no-progress", "--out", str(tmp_path / "out"), str(flow)]) == 0
    assert saves == [_record(), _record()]


def test_one_run_cannot_push_other_runs_files_out_of_the_record(tmp_path, monkeypatch,
                                                                capsys):
    monkeypatch.setattr(writes, "MAX_RECORDED", 20)
    monkeypatch.setattr(writes, "MAX_PER_RUN", 10, raising=False)
    earlier = {f"/elsewhere/result{i}.csv": [i, i] for i in range(20)}
    _record().write_text(json.dumps(earlier))
    flow = _flow_with_viewers(tmp_path, 30)
    assert main(["run", "--no-progress", "--out", str(tmp_path / "out"), str(flow)]) == 0
    err = capsys.readouterr().err
    assert len(list((tmp_path / "out").glob("*.txt"))) == 31
    kept = json.loads(_record().read_text())
    assert len(kept) == 20
    # The oldest ten of the earlier runs' files went; the newest ten stay.
    assert [k for k in kept if k in earlier] == list(earlier)[10:]
    assert "21 of the files this run wrote are not remembered" in err
    assert "--allow-outside-writes" in err


def test_a_file_written_earlier_in_a_batched_run_may_be_replaced_by_it(tmp_path):
    record = WriteRecord(tmp_path / "record.json")
    guard = WriteGuard((tmp_path,), record=record)
    target = tmp_path / "a.csv"
    with guard.batch():
        guard.check(target, "saver")
        target.write_text("one\n")
        guard.done(target)
        assert not record.path.exists()  # not saved yet...
        assert guard.check(target, "saver") == target  # ...yet the run's own file
    assert record.wrote(target)
    target.write_text("changed by hand\n")
    assert not guard.wrote(target)


def test_a_batch_saves_what_it_has_when_it_fails(tmp_path):
    guard = WriteGuard((tmp_path,), record=WriteRecord(tmp_path / "record.json"))
    target = tmp_path / "a.csv"
    try:
        with guard.batch():
            target.write_text("one\n")
            guard.done(target)
            raise RuntimeError("a node failed")
    except RuntimeError:
        pass
    assert WriteRecord(tmp_path / "record.json").wrote(target)


def _add_many(record: str, folder: str, worker: int) -> None:
    for i in range(25):
        path = Path(folder) / f"w{worker}-{i}.csv"
        path.write_text("x")
        WriteRecord(Path(record)).add([path])


def test_runs_in_several_processes_keep_each_others_entries(tmp_path):
    record = tmp_path / "record.json"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_add_many, args=(str(record), str(tmp_path), w))
               for w in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert len(json.loads(record.read_text())) == 100


def test_a_save_merges_into_the_file_as_it_is_even_when_the_cache_looks_current(tmp_path):
    # On a filesystem with coarse timestamps another process's save can leave the file's
    # (inode, size, mtime) as this process cached it: a save must read the file anyway,
    # or it would drop that process's entries.
    path = tmp_path / "record.json"
    ours, theirs = WriteRecord(path), WriteRecord(path)
    ours.save({"/a": [1, 1]})
    stale = dict(ours._load())
    theirs.save({"/b": [2, 2]})
    ours._cache = (ours._signature(), stale)   # the cache claims to be current
    ours.save({"/c": [3, 3]})
    assert set(json.loads(path.read_text())) == {"/a", "/b", "/c"}
