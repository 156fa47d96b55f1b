"""A results table that comes with a stranger's folder: resuming reads it within limits,
never hangs, never appends through a link, and refuses bad bytes at their line."""

from __future__ import annotations

import gzip
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.core.errors import DataFormatError, WorkbenchError
from workbench.evaluation.experiment import read_results, run_experiment, spec_from_dict

DEFINITION = {"datasets": ["iris"], "classifiers": ["zeror"],
              "resampling": {"method": "cross_validation", "folds": 2},
              "repetitions": 2, "seed": 1, "metrics": ["accuracy"]}
# The most a results table may hold (``resultsfile.MAX_RESULTS_BYTES``).
LIMIT = 64 << 20
HEADER = b"dataset,classifier,repetition,fold,num_train,num_test,accuracy,"


def _finished(folder: Path) -> tuple[Path, Path]:
    """A spec file and the results table (with its record) a finished run left beside
    it, as a shared folder would bring them."""
    spec_file = folder / "exp.json"
    spec_file.write_text(json.dumps(DEFINITION))
    results = folder / "exp.results.csv"
    run_experiment(spec_from_dict(DEFINITION, base_dir=str(folder)), results)
    return spec_file, results


def _run_command(spec_file: Path) -> subprocess.CompletedProcess[str]:
    """``workbench experiment run`` in a child with a time and memory limit, so a
    reader that blocks or never stops fails this test instead of hanging the suite."""
    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    try:
        return subprocess.run(
            [sys.executable, "-m", "workbench", "experiment", "run", "--quiet",
             str(spec_file)], capture_output=True, text=True, timeout=90,
            preexec_fn=limit_memory, env={**os.environ, "PYTHONPATH": os.pathsep.join(
                [str(Path(__file__).parents[3]), os.environ.get("PYTHONPATH", "")])})
    except subprocess.TimeoutExpired:
        pytest.fail("workbench experiment run did not finish: it blocked on the file")


@pytest.mark.parametrize("which, make, message", [
    ("exp.results.csv", os.mkfifo, "exp.results.csv: is not a regular file"),
    ("exp.results.csv", lambda p: os.symlink("/dev/zero", p),
     "exp.results.csv: is a symbolic link (to /dev/zero)"),
    # The record was refused before too (core.jsonfile): kept so it stays refused.
    ("exp.results.csv.spec.json", os.mkfifo, "not a regular file"),
    ("exp.results.csv.spec.json", lambda p: os.symlink("/dev/zero", p),
     "not a regular file"),
])
def test_a_fifo_or_endless_device_is_refused_not_read(tmp_path, which, make, message):
    spec_file, _results = _finished(tmp_path)
    (tmp_path / which).unlink()
    make(tmp_path / which)
    done = _run_command(spec_file)
    assert done.returncode == 2, done.stderr
    assert f"{which}: " in done.stderr and message in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1


def test_bytes_that_are_not_utf8_are_refused_at_their_line(tmp_path, capsys):
    from workbench.cli import main

    spec_file, results = _finished(tmp_path)
    with results.open("ab") as handle:
        handle.write(b"iris,zer\xff\xfe,9,1,75,75,33.3,0.1,0.1\n")
    assert main(["experiment", "run", "--quiet", str(spec_file)]) == 2
    err = capsys.readouterr().err
    assert f"{results}:6: byte 0xff is not UTF-8 text" in err and "Traceback" not in err
    with pytest.raises(DataFormatError, match=r"exp\.results\.csv:6: byte 0xff"):
        read_results(results)


def test_a_torn_last_line_cut_inside_a_character_is_dropped(tmp_path):
    _spec_file, results = _finished(tmp_path)
    lines = results.read_bytes().splitlines(keepends=True)
    results.write_bytes(b"".join(lines[:-1]) + b"iris,Z\xc3")  # killed mid-character
    summary = run_experiment(spec_from_dict(DEFINITION), results)
    assert (summary.skipped, summary.executed) == (3, 1)
    assert results.read_bytes().splitlines()[:-1] == [line.rstrip(b"\n")
                                                     for line in lines[:-1]]


def test_a_link_to_a_file_elsewhere_is_never_appended_to(tmp_path):
    _spec_file, results = _finished(tmp_path)
    elsewhere = tmp_path / "outside"
    elsewhere.mkdir()
    victim = elsewhere / "victim.csv"
    victim.write_bytes(results.read_bytes().splitlines(keepends=True)[0])
    before = victim.read_bytes()
    results.unlink()
    results.symlink_to(victim)
    with pytest.raises(WorkbenchError, match=rf"exp\.results\.csv: is a symbolic link "
                                             rf"\(to {victim}\)"):
        run_experiment(spec_from_dict(DEFINITION), results)
    assert victim.read_bytes() == before and results.is_symlink()


def test_a_link_that_points_nowhere_is_replaced_by_a_new_table(tmp_path):
    results = tmp_path / "exp.results.csv"
    target = tmp_path / "never-made.csv"
    results.symlink_to(target)
    summary = run_experiment(spec_from_dict(DEFINITION), results)
    assert summary.executed == 4 and not results.is_symlink() and not target.exists()


def test_a_file_past_the_limit_is_refused_and_left_alone(tmp_path):
    _spec_file, results = _finished(tmp_path)
    with results.open("r+b") as handle:   # sparse: no 64 MiB written to disk
        handle.truncate(LIMIT + 1)
    with pytest.raises(DataFormatError, match=r"exp\.results\.csv: the file is larger "
                                              r"than 64 MiB"):
        run_experiment(spec_from_dict(DEFINITION), results)
    assert results.stat().st_size == LIMIT + 1
    from workbench.evaluation.experiment.resultsfile import MAX_RESULTS_BYTES

    assert MAX_RESULTS_BYTES == LIMIT


def test_a_gzip_table_is_refused_rather_than_damaged_by_plain_lines(tmp_path):
    _spec_file, results = _finished(tmp_path)
    packed = gzip.compress(results.read_bytes())
    results.write_bytes(packed)
    with pytest.raises(DataFormatError, match="is gzip-packed"):
        run_experiment(spec_from_dict(DEFINITION), results)
    assert results.read_bytes() == packed


def test_appending_refuses_a_link_or_another_file_put_there_after_the_look(tmp_path):
    from workbench.evaluation.experiment.resultsfile import open_for_append

    table = tmp_path / "exp.results.csv"
    table.write_bytes(HEADER + b"\n")
    looked = os.lstat(table)
    victim = tmp_path / "victim.csv"
    victim.write_bytes(b"keep\n")
    table.unlink()
    table.symlink_to(victim)
    with pytest.raises(DataFormatError, match="became a symbolic link"):
        open_for_append(table, looked)
    table.unlink()
    table.write_bytes(HEADER + b"\n")
    looked = os.lstat(table)
    os.replace(victim, table)   # another file under the same name
    with pytest.raises(DataFormatError, match="was replaced by another file"):
        open_for_append(table, looked)
    assert table.read_bytes() == b"keep\n"


def test_a_table_stops_growing_before_it_could_not_be_read_back(tmp_path, monkeypatch):
    from workbench.evaluation.experiment import resultsfile

    _spec_file, results = _finished(tmp_path)
    lines = results.read_bytes().splitlines(keepends=True)
    results.write_bytes(b"".join(lines[:3]))        # two runs done, two to go
    monkeypatch.setattr(resultsfile, "MAX_RESULTS_BYTES", len(b"".join(lines[:4])) + 8)
    with pytest.raises(WorkbenchError, match=r"would pass 0 MiB, the most that is read "
                                             r"back to resume or analyse; the 3 runs"):
        run_experiment(spec_from_dict(DEFINITION), results)
    assert len(read_results(results)) == 3        # still readable: resumable, analysable


@pytest.mark.parametrize("occupied", ["table", "record", "link", "dangling", "record-link"])
def test_carrying_results_never_replaces_what_is_at_the_new_name(tmp_path, occupied):
    """Save... copies an experiment's runs beside the saved file: whatever already has
    that name (a user's file, a link to one, a dangling link) is left as it was, and the
    runs stay where they were, told so."""
    from workbench.evaluation.experiment.store import carry_results, spec_sidecar

    spec = spec_from_dict({"datasets": ["iris"], "classifiers": [{"name": "zeror"}],
                           "resampling": {"method": "cross_validation", "folds": 2}},
                          source="x", base_dir=str(tmp_path))
    source = tmp_path / "a.results.csv"
    run_experiment(spec, source)
    victim = tmp_path / "victim.txt"
    victim.write_text("user data\n")
    target = tmp_path / "b.results.csv"
    if occupied == "table":
        target.write_text("user data\n")
    elif occupied == "record":
        spec_sidecar(target).write_text("{}")
    elif occupied == "link":
        target.symlink_to(victim)
    elif occupied == "dangling":
        target.symlink_to(tmp_path / "nowhere.txt")
    else:
        spec_sidecar(target).symlink_to(victim)
    before = {p: (os.readlink(p) if p.is_symlink() else p.read_bytes() if p.exists() else None)
              for p in (target, spec_sidecar(target))}
    with pytest.raises(WorkbenchError, match="already there; the results stay in"):
        carry_results(source, target, spec)
    after = {p: (os.readlink(p) if p.is_symlink() else p.read_bytes() if p.exists() else None)
             for p in (target, spec_sidecar(target))}
    assert after == before and victim.read_text() == "user data\n"
    assert carry_results(source, tmp_path / "c.results.csv", spec) > 0   # a free name
