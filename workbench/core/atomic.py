"""Atomic file writes: a temporary file beside the target, renamed onto it when complete.

A crash, an exception or Ctrl-C part-way through never leaves half a file under the real
name: either the old content stays or the new content is there in full. The temporary
file is named ``.NAME.XXXXXX.tmp`` in the target's folder (so the rename never crosses a
file system) and is removed when the write fails. The finished file gets the usual
permissions (``0o666`` less the umask), as a plain ``open`` would give it, not the
``0o600`` that ``tempfile.mkstemp`` makes. No ``fsync`` is done here; a caller that
wants one calls ``os.fsync(handle.fileno())`` inside the block.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

_WRITE_MODES = {"w", "wt", "tw", "wb", "bw"}


def _usual_mode() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def _replacing(path: str | os.PathLike[str]) -> Iterator[tuple[int, str]]:
    """An open descriptor and the name of a new temporary file beside ``path``; on a
    normal exit the file is renamed onto ``path``, on any exception it is removed."""
    target = Path(path)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        yield fd, temp
        os.chmod(temp, _usual_mode())
        os.replace(temp, target)
    except BaseException:
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
