"""Atomic file writes: a temporary file beside the target, renamed onto it when complete.

A crash, an exception or Ctrl-C part-way through never leaves half a file under the real
name: either the old content stays or the new content is there in full. The temporary
file is named ``.NAME.XXXXXX.tmp`` in the target's folder (so the rename never crosses a
file system) and is removed when the write fails. The finished file gets the usual
permissions (``0o666`` less the umask), as a plain ``open`` would give it, not the
``0o600`` that ``tempfile.mkstemp`` makes. No ``fsync`` is done here; a caller that
wants one calls ``os.fsync(handle.fileno())`` inside the block.

This is the one writer every save goes through, so two safety rules live here:

- Only a regular file (or nothing) is ever replaced. ``os.replace`` onto a device node,
  a FIFO or a socket would swap the node for our file (as root, ``/dev/full`` became a
  zip); such a target raises ``NotRegularFileError`` before anything is written. A
  symbolic link is replaced as a link: what it pointed to is never touched.
- A save killed by ``kill -9`` or a power cut cannot remove its temporary file. The
  name carries the writer's process id (``.NAME.PID.XXXXXXXX.tmp``), and the next save
  to the same target removes such files whose process is gone.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from workbench.core.errors import WorkbenchError

_WRITE_MODES = {"w", "wt", "tw", "wb", "bw"}


def _usual_mode() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


class NotRegularFileError(WorkbenchError, OSError):
    """The target exists and is not a regular file (a device, FIFO, socket or folder):
    writing would replace it, so nothing is written."""


def check_replaceable(path: str | os.PathLike[str]) -> None:
    """Raise ``NotRegularFileError`` unless ``path`` is missing, a regular file or a
    symbolic link (which a rename replaces without touching what it points to)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError:
        return  # e.g. a folder we cannot search: the write itself reports it
    if stat.S_ISREG(mode) or stat.S_ISLNK(mode):
        return
    kind = ("a folder" if stat.S_ISDIR(mode) else "a device" if stat.S_ISCHR(mode)
            or stat.S_ISBLK(mode) else "a FIFO" if stat.S_ISFIFO(mode) else "a socket"
            if stat.S_ISSOCK(mode) else "not a regular file")
    raise NotRegularFileError(f"{os.fspath(path)}: is {kind}, not a regular file; "
                              f"nothing was written")


class NotWritableError(WorkbenchError, OSError):
    """A file cannot be written where the user asked (no such folder, a folder we may
    not write into, a read-only file system): said before any work is done."""


def check_writable(path: str | os.PathLike[str]) -> None:
    """Raise ``NotWritableError`` (or ``NotRegularFileError``) naming ``path`` unless a
    file could be written there now: its folder exists, is a folder this process may
    create files in, is not on a read-only file system, and ``path`` is missing or a
    regular file. For outputs written after long work (``--predictions``), checked
    before that work starts, as a model file (``-d``) is."""
    target = Path(path)
    check_replaceable(target)
    folder = target.parent if str(target.parent) else Path(".")
    name, where = os.fspath(path), os.fspath(folder)
    if not folder.is_dir():
        raise NotWritableError(f"{name}: cannot write there: the folder {where} does not "
                               f"exist")
    read_only = False
    with contextlib.suppress(OSError, AttributeError):   # no statvfs: Windows
        read_only = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    if read_only:
        raise NotWritableError(f"{name}: cannot write there: the folder {where} is on a "
                               f"read-only file system")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise NotWritableError(f"{name}: cannot write there: no permission to create "
                               f"files in the folder {where}")


def _renamed(error: OSError, temp: str, target: str | os.PathLike[str]) -> OSError:
    """``error`` with the user's file name where it names our temporary file (a
    read-only folder refuses ``mkstemp`` with the temporary's name, which the user never
    gave and cannot find)."""
    if error.filename != temp and not (error.filename or "").startswith(
            os.path.join(os.path.dirname(temp), ".")):
        return error
    return OSError(error.errno, error.strerror, os.fspath(target))


def _temporary_pattern(name: str) -> re.Pattern[str]:
    return re.compile(re.escape(f".{name}.") + r"(\d+)\.[A-Za-z0-9_]{6,12}\.tmp")


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # exists under another user, or cannot tell: keep its file
    return True


def remove_stale_temporaries(path: str | os.PathLike[str]) -> list[Path]:
    """Remove temporary files left beside ``path`` by our saves whose process has gone
    (killed mid-save); returns what was removed. Files of a running save are kept."""
    target = Path(path)
    pattern = _temporary_pattern(target.name)
    removed: list[Path] = []
    try:
        entries = list(os.scandir(target.parent if str(target.parent) else "."))
    except OSError:
        return removed
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match is None or _process_alive(int(match.group(1))):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


@contextlib.contextmanager
def _replacing(path: str | os.PathLike[str]) -> Iterator[tuple[int, str]]:
    """An open descriptor and the name of a new temporary file beside ``path``; on a
    normal exit the file is renamed onto ``path``, on any exception it is removed."""
    target = Path(path)
    fd, temp = _temporary_beside(target)
    try:
        yield fd, temp
        _put_in_place(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _temporary_beside(target: Path) -> tuple[int, str]:
    """A new temporary file that will replace ``target``, once ``target`` may be
    replaced and its folder exists; earlier runs' leftovers there are cleared first."""
    check_replaceable(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        # Said here, in the user's terms: mkstemp would name our temporary file instead.
        raise FileNotFoundError(f"{os.fspath(target)}: cannot write there: the folder "
                                f"{os.fspath(folder)} does not exist")
    remove_stale_temporaries(target)
    return _create_temporary(target)


def _create_temporary(target: Path) -> tuple[int, str]:
    """A new temporary file beside ``target`` (descriptor, name); a refusal names
    ``target``, not the temporary."""
    prefix = f".{target.name}.{os.getpid()}."
    folder = target.parent if str(target.parent) else Path(".")
    try:
        return tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    except OSError as error:
        raise _renamed(error, os.path.join(folder, prefix), target) from None


def _put_in_place(temp: str, target: Path) -> None:
    """Give the finished temporary the usual permissions and rename it onto ``target``;
    a failure names ``target``."""
    try:
        os.chmod(temp, _usual_mode())
        check_replaceable(target)  # it may have become a device while we wrote
        os.replace(temp, target)
    except NotRegularFileError:
        raise
    except OSError as error:
        raise _renamed(error, temp, target) from None


@contextlib.contextmanager
def atomic_write_all(paths: Sequence[str | os.PathLike[str]], mode: str = "w",
                     encoding: str | None = "utf-8", newline: str | None = None,
                     ) -> Iterator[list[IO[Any]]]:
    """Files opened for writing that replace all of ``paths`` together when the block
    ends normally, or none of them: for outputs that only make sense as a set (a CSV
    and the sidecar it refers to). Every file is written and closed (where a full disk
    or a size limit fails) before the first rename; what follows, the renames within
    their folders, needs no space. A failure after the block names the file it met;
    one inside the block is the caller's to name (it knows which file it was writing).
    """
    if mode not in _WRITE_MODES:
        raise ValueError(f"atomic_write_all: mode must be 'w' or 'wb', got {mode!r}")
    options: dict[str, Any] = {} if "b" in mode else {"encoding": encoding, "newline": newline}
    targets = [Path(path) for path in paths]
    temps: list[str] = []
    handles: list[IO[Any]] = []
    try:
        for target in targets:
            fd, temp = _temporary_beside(target)
            temps.append(temp)
            try:
                handles.append(os.fdopen(fd, mode, **options))
            except BaseException:
                os.close(fd)
                raise
        yield handles
        for handle, target in zip(handles, targets, strict=True):
            try:
                handle.close()
            except OSError as error:
                raise OSError(error.errno, error.strerror, os.fspath(target)) from None
        for temp, target in zip(temps, targets, strict=True):
            _put_in_place(temp, target)
    except BaseException:
        for handle in handles:
            with contextlib.suppress(OSError):
                handle.close()
        for temp in temps:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        raise


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "w", encoding: str | None = "utf-8",
                 newline: str | None = None) -> Iterator[IO[Any]]:
    """A file opened for writing (text for ``"w"``, binary for ``"wb"``) that replaces
    ``path`` when the block ends normally; if the block raises, ``path`` is untouched and
    the temporary file is removed. ``encoding`` and ``newline`` apply to text mode only.
    The target's folder must exist."""
    if mode not in _WRITE_MODES:
        raise ValueError(f"atomic_write: mode must be 'w' or 'wb', got {mode!r}")
    options: dict[str, Any] = {} if "b" in mode else {"encoding": encoding, "newline": newline}
    with _replacing(path) as (fd, _temp):
        try:
            handle = os.fdopen(fd, mode, **options)
        except BaseException:
            os.close(fd)
            raise
        with handle:
            yield handle


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[str]:
    """The name of a temporary file beside ``path`` for writers that want a file name
    rather than a file object (Qt image and SVG writers); renamed onto ``path`` when the
    block ends normally, removed if it raises."""
    with _replacing(path) as (fd, temp):
        os.close(fd)
        yield temp


def write_text_atomic(path: str | os.PathLike[str], text: str, encoding: str = "utf-8",
                      newline: str | None = None) -> None:
    """Write ``text`` to ``path`` atomically."""
    with atomic_write(path, "w", encoding=encoding, newline=newline) as handle:
        handle.write(text)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_write(path, "wb") as handle:
        handle.write(data)
