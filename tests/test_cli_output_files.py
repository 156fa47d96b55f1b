"""What ``classify --dynamics/--predictions`` and ``convert`` write, and how a failed
write is reported: the file the user named (never our temporary), a sidecar that is
the user's own never replaced, a pair of files written both or neither, and an output
that cannot be written refused before the training starts."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.core import atomic

FULL = OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def trainings(monkeypatch):
    """How many models the MLP trains (the refusals must come before the first)."""
    from workbench.classifiers.mlp import MultilayerPerceptron

    count = []
    fit = MultilayerPerceptron._fit

    def counted(self, *args, **kwargs):
        count.append(1)
        return fit(self, *args, **kwargs)

    monkeypatch.setattr(MultilayerPerceptron, "_fit", counted)
    return count


def _dynamics(tmp_path: Path, *extra: str) -> int:
    return main(["classify", "-t", "iris", "-x", "2", "-o", "--dynamics",
                 str(tmp_path / "dyn.csv"), *extra, "mlp", "-N", "3"])


def test_a_users_file_at_the_histograms_name_is_refused_before_training(
        tmp_path, capsys, trainings):
    mine = tmp_path / "dyn.histograms.csv"
    mine.write_text("USER DATA\n")
    assert _dynamics(tmp_path) == 2
    err = capsys.readouterr().err
    assert f"{mine} exists and is not a histograms file written by workbench" in err
    assert mine.read_text() == "USER DATA\n"
    assert not (tmp_path / "dyn.csv").exists()
    assert trainings == []


def test_an_earlier_runs_histograms_are_replaced(tmp_path, capsys):
    assert _dynamics(tmp_path) == 0
    first = (tmp_path / "dyn.histograms.csv").read_text()
    assert first.startswith("step,epoch,layer,kind,bin,low,high,share")
    assert _dynamics(tmp_path) == 0
    assert (tmp_path / "dyn.histograms.csv").read_text().startswith("step,epoch,layer")


def test_a_failed_histograms_file_is_named_and_neither_file_is_written(
        tmp_path, capsys, monkeypatch):
    from workbench.engine import dynamics

    (tmp_path / "dyn.csv").write_text("OLD\n")
    real = dynamics.atomic_write_all

    class Full:
        def __init__(self, handle):
            self.handle = handle

        def write(self, text):
            raise FULL

    def second_fills_the_disk(paths, **options):
        from contextlib import contextmanager

        @contextmanager
        def wrapped():
            with real(paths, **options) as handles:
                yield [handles[0], *(Full(h) for h in handles[1:])]
        return wrapped()

    monkeypatch.setattr(dynamics, "atomic_write_all", second_fills_the_disk)
    assert _dynamics(tmp_path) == 2
    err = capsys.readouterr().err
    histograms = tmp_path / "dyn.histograms.csv"
    assert (f"workbench: error: {histograms}: cannot write the training dynamics (No "
            f"space left on device); {tmp_path / 'dyn.csv'} not written either") in err
    assert (tmp_path / "dyn.csv").read_text() == "OLD\n"   # neither was replaced
    assert not histograms.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["dyn.csv"]   # no temporaries


def test_predictions_in_a_folder_that_cannot_be_written_are_refused_before_training(
        tmp_path, capsys, monkeypatch, trainings):
    folder = tmp_path / "ro"
    folder.mkdir()
    access = atomic.os.access
    monkeypatch.setattr(atomic.os, "access",
                        lambda path, mode: False if Path(path) == folder
                        else access(path, mode))
    assert main(["classify", "-t", "iris", "-x", "2", "--predictions",
                 str(folder / "p.csv"), "mlp", "-N", "3"]) == 2
    err = capsys.readouterr().err
    assert err == (f"workbench: error: {folder / 'p.csv'}: cannot write there: no "
                   f"permission to create files in the folder {folder}\n")
    assert trainings == []


def test_predictions_that_fill_the_disk_name_the_file(tmp_path, capsys, monkeypatch):
    from workbench.evaluation import report

    def full(path, text):
        raise FULL

    monkeypatch.setattr(report, "write_text_atomic", full)
    target = tmp_path / "p.csv"
    assert main(["classify", "-t", "iris", "-x", "2", "--predictions", str(target),
                 "zeror"]) == 2
    assert capsys.readouterr().err == (f"workbench: error: {target}: cannot write the "
                                       f"predictions (No space left on device)\n")


def test_convert_names_the_output_not_the_temporary_file(tmp_path, capsys, monkeypatch):
    target = tmp_path / "i.csv"

    def read_only(prefix, suffix, dir):
        raise OSError(errno.EROFS, "Read-only file system",
                      str(Path(dir) / f"{prefix}2m7_01my{suffix}"))

    monkeypatch.setattr(atomic.tempfile, "mkstemp", read_only)
    assert main(["convert", "iris", str(target)]) == 2
    err = capsys.readouterr().err
    assert err == f"workbench: error: {target}: cannot write the file (Read-only file system)\n"
    assert ".tmp" not in err


def test_a_refused_temporary_file_is_reported_by_the_target_name(tmp_path, monkeypatch):
    def read_only(prefix, suffix, dir):
        raise OSError(errno.EROFS, "Read-only file system",
                      str(Path(dir) / f"{prefix}abcdef{suffix}"))

    monkeypatch.setattr(atomic.tempfile, "mkstemp", read_only)
    with pytest.raises(OSError) as refused:
        atomic.write_text_atomic(tmp_path / "out.txt", "x")
    assert refused.value.filename == str(tmp_path / "out.txt")
    assert refused.value.errno == errno.EROFS


def test_files_written_together_replace_all_or_none(tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("old a")
    with pytest.raises(RuntimeError), atomic.atomic_write_all([first, second]) as (a, b):
        a.write("new a")
        b.write("new b")
        raise RuntimeError("stopped")
    assert first.read_text() == "old a" and not second.exists()
    with atomic.atomic_write_all([first, second]) as (a, b):
        a.write("new a")
        b.write("new b")
    assert (first.read_text(), second.read_text()) == ("new a", "new b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv"]


def test_an_output_on_a_read_only_file_system_is_named(tmp_path, monkeypatch):
    class ReadOnly:
        f_flag = atomic.os.ST_RDONLY

    monkeypatch.setattr(atomic.os, "statvfs", lambda path: ReadOnly())
    with pytest.raises(atomic.NotWritableError, match="is on a read-only file system"):
        atomic.check_writable(tmp_path / "p.csv")


@pytest.mark.parametrize("option", ["-d", "--predictions"])
def test_a_users_file_is_not_replaced_by_a_model_or_predictions(
        tmp_path, capsys, trainings, option):
    """``-d victim.csv`` used to turn a data file into a zip, and ``--predictions`` to
    replace any file; now only an earlier run's model or predictions (or an empty file)
    is replaced, as ``--dynamics`` and flows already do, and the refusal comes first."""
    victim = tmp_path / "victim.csv"
    victim.write_text("sepallength,class\n5.1,Iris-setosa\n")
    assert main(["classify", "-t", "iris", "-x", "2", "-o", option, str(victim),
                 "mlp", "-N", "3"]) == 2
    err = capsys.readouterr().err
    assert err == (f"workbench: error: {victim} exists and is not a "
                   f"{'model file' if option == '-d' else 'predictions CSV'} written by "
                   f"workbench; {option} would replace it: delete it or give {option} "
                   f"another name\n")
    assert victim.read_text() == "sepallength,class\n5.1,Iris-setosa\n"
    assert trainings == []


def test_an_earlier_runs_model_and_predictions_and_empty_files_are_replaced(tmp_path):
    from workbench.classifiers import load_model

    model, predictions = tmp_path / "m.model", tmp_path / "p.csv"
    for round_ in range(2):   # the second run replaces what the first wrote
        assert main(["classify", "-t", "iris", "-x", "2", "-o", "-d", str(model),
                     "--predictions", str(predictions), "knn", "-K", str(round_ + 1)]) == 0
        assert load_model(model).k == round_ + 1
        assert predictions.read_text().startswith("instance,actual,predicted,error,")
    empty_model, empty_csv = tmp_path / "e.model", tmp_path / "e.csv"
    empty_model.touch()
    empty_csv.touch()
    assert main(["classify", "-t", "iris", "-x", "2", "-o", "-d", str(empty_model),
                 "--predictions", str(empty_csv), "zeror"]) == 0
    assert empty_model.stat().st_size > 0 and empty_csv.stat().st_size > 0


def test_convert_replaces_an_output_but_never_its_input(tmp_path, capsys):
    data = tmp_path / "d.csv"
    assert main(["convert", "iris", str(data)]) == 0
    before = data.read_bytes()
    assert main(["convert", str(data), str(tmp_path / "." / "d.csv")]) == 2
    assert capsys.readouterr().err == (f"workbench: error: OUT {tmp_path / '.' / 'd.csv'} "
                                       f"is the input file IN reads; writing would replace "
                                       f"the data being read: give OUT another name\n")
    assert data.read_bytes() == before
    out = tmp_path / "out.arff"
    out.write_text("older")
    assert main(["convert", str(data), str(out)]) == 0
    assert out.read_text().startswith("@relation")
