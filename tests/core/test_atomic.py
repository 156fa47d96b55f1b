"""core.atomic: one way to write a file so that no reader ever sees half of it."""

from __future__ import annotations

import os
import stat

import pytest

from workbench.core.atomic import (
    atomic_path,
    atomic_write,
    write_bytes_atomic,
    write_text_atomic,
)


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_text_write_creates_the_file(tmp_path):
    target = tmp_path / "a.txt"
    with atomic_write(target) as handle:
        handle.write("héllo\n")
    assert target.read_text(encoding="utf-8") == "héllo\n"
    assert _leftovers(tmp_path) == []


def test_binary_write_replaces_the_old_content(tmp_path):
    target = tmp_path / "a.bin"
    target.write_bytes(b"old")
    with atomic_write(target, "wb") as handle:
        handle.write(b"\x00new\xff")
    assert target.read_bytes() == b"\x00new\xff"
    assert _leftovers(tmp_path) == []


def test_nothing_is_visible_until_the_block_ends(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old")
    with atomic_write(target) as handle:
        handle.write("new")
        handle.flush()
        assert target.read_text() == "old"
        assert len(_leftovers(tmp_path)) == 1
    assert target.read_text() == "new"


@pytest.mark.parametrize("mode", ["w", "wb"])
def test_an_exception_keeps_the_old_content_and_removes_the_temporary(tmp_path, mode):
    target = tmp_path / "a.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError, match="boom"), atomic_write(target, mode) as handle:
        handle.write("new" if mode == "w" else b"new")
        raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert _leftovers(tmp_path) == []


def test_an_exception_on_a_new_file_leaves_nothing(tmp_path):
    with pytest.raises(KeyboardInterrupt), atomic_write(tmp_path / "new.txt"):
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_newline_and_encoding_reach_the_text_file(tmp_path):
    target = tmp_path / "a.csv"
    write_text_atomic(target, "a\nb\n", newline="\r\n")
    assert target.read_bytes() == b"a\r\nb\r\n"
    write_text_atomic(target, "é", encoding="latin-1")
    assert target.read_bytes() == b"\xe9"


def test_helpers_write_text_and_bytes(tmp_path):
    write_text_atomic(str(tmp_path / "t.txt"), "text")
    write_bytes_atomic(tmp_path / "b.bin", b"bytes")
    assert (tmp_path / "t.txt").read_text() == "text"
    assert (tmp_path / "b.bin").read_bytes() == b"bytes"
    assert _leftovers(tmp_path) == []


def test_the_file_gets_the_usual_permissions(tmp_path):
    mask = os.umask(0o022)
    try:
        write_text_atomic(tmp_path / "a.txt", "x")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o644


def test_atomic_path_renames_what_was_written_under_the_temporary_name(tmp_path):
    target = tmp_path / "chart.png"
    with atomic_path(target) as temp:
        assert os.path.dirname(temp) == str(tmp_path)
        with open(temp, "wb") as handle:
            handle.write(b"png")
    assert target.read_bytes() == b"png"
    with pytest.raises(ValueError), atomic_path(target) as temp:
        with open(temp, "wb") as handle:
            handle.write(b"half")
        raise ValueError
    assert target.read_bytes() == b"png"
    assert _leftovers(tmp_path) == []


def test_a_missing_folder_raises_and_a_read_mode_is_refused(tmp_path):
    with pytest.raises(FileNotFoundError), atomic_write(tmp_path / "no" / "a.txt"):
        pass
    with pytest.raises(ValueError, match="mode"), atomic_write(tmp_path / "a.txt", "r"):
        pass
    assert list(tmp_path.iterdir()) == []


def test_a_device_or_fifo_is_never_replaced(tmp_path):
    from workbench.core.atomic import NotRegularFileError
    from workbench.core.errors import WorkbenchError

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(NotRegularFileError, match="FIFO"):
        write_bytes_atomic(fifo, b"zip")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    with pytest.raises(WorkbenchError, match="device"):
        write_text_atomic("/dev/null", "x")
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)
    (tmp_path / "folder").mkdir()
    with pytest.raises(NotRegularFileError, match="folder"):
        write_text_atomic(tmp_path / "folder", "x")
    assert _leftovers(tmp_path) == []


def test_a_symbolic_link_is_replaced_as_a_link_and_its_target_kept(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("keep")
    link = tmp_path / "link.txt"
    link.symlink_to(outside)
    write_text_atomic(link, "new")
    assert outside.read_text() == "keep"
    assert not link.is_symlink() and link.read_text() == "new"


def test_the_next_save_removes_temporaries_of_a_killed_save(tmp_path):
    import subprocess
    import sys

    target = tmp_path / "model.zip"
    # A save killed by kill -9 leaves its temporary file behind, named with its pid.
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    dead = int(child.stdout)
    stale = tmp_path / f".model.zip.{dead}.abcd1234.tmp"
    stale.write_bytes(b"half a model")
    alive = tmp_path / f".model.zip.{os.getpid()}.zzzz9999.tmp"  # a save still running
    alive.write_bytes(b"in progress")
    other = tmp_path / f".other.zip.{dead}.abcd1234.tmp"  # another target's: not ours
    other.write_bytes(b"x")
    write_bytes_atomic(target, b"whole")
    assert target.read_bytes() == b"whole"
    assert not stale.exists()
    assert alive.exists() and other.exists()
