"""Reading a data file's bytes, unpacking gzip as it streams, within a size limit.

A gzip file of a megabyte can unpack to gigabytes (a "zip bomb"), and
``gzip.decompress`` would build the whole result before anyone could look at its size.
Here the file is unpacked a block at a time and refused as soon as it passes
``MAX_UNPACKED_BYTES``, so neither the packed nor the unpacked bytes are ever held
twice, and a hostile file costs at most the limit. A plain file is its own measure: its
size on disk is the bytes actually there.
"""

from __future__ import annotations

import gzip
import os
import stat
import zlib
from typing import BinaryIO

from workbench.core.errors import DataFormatError

GZIP_MAGIC = b"\x1f\x8b"
# Large enough for every real dataset we bundle or know of (MNIST as ARFF unpacks to
# about 110 MB), small enough that the values parsed from it fit in memory.
MAX_UNPACKED_BYTES = 512 << 20
_BLOCK = 1 << 20


def unpack_gzip(handle: BinaryIO, display: str, limit: int | None = None) -> bytearray:
    """The unpacked content of the gzip stream ``handle``, refused past ``limit`` bytes
    (default ``MAX_UNPACKED_BYTES``)."""
    limit = MAX_UNPACKED_BYTES if limit is None else limit
    out = bytearray()
    try:
        with gzip.GzipFile(fileobj=handle, mode="rb") as unpacked:
            while True:
                block = unpacked.read(_BLOCK)
                if not block:
                    break
                out += block
                if len(out) > limit:
                    raise DataFormatError(
                        f"the file unpacks to more than {limit >> 20} MiB, the most read "
                        f"from a gzip file", display, expected="a smaller file, or unpack "
                        "it first (gunzip) if it really is this large")
    except (OSError, EOFError, zlib.error) as exc:
        raise DataFormatError(f"the file starts like gzip but cannot be unpacked: {exc}",
                              display, 1, 1, "a complete gzip file") from None
    return out  # a bytearray: bytes(out) would hold a second copy of a big file


def read_bytes(path: str | os.PathLike[str], display: str, limit: int | None = None
               ) -> bytes | bytearray:
    """The bytes of the file at ``path``, unpacked when they start with gzip's magic.

    Only a regular file is read: a FIFO would block the reader forever and a device such
    as /dev/zero never ends. It is opened without blocking (so a FIFO with no writer
    cannot hang the open itself) and checked before a byte is read; a plain file past the
    limit is refused like a gzip that unpacks past it.
    """
    limit = MAX_UNPACKED_BYTES if limit is None else limit
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise DataFormatError("is not a regular file (a device, FIFO or socket "
                                      "is never read)", display, expected="a data file")
            if handle.read(2) == GZIP_MAGIC:
                handle.seek(0)
                return unpack_gzip(handle, display, limit)
            handle.seek(0)
            data = handle.read(limit + 1)
            if len(data) > limit:
                raise DataFormatError(f"the file is larger than {limit >> 20} MiB, the most "
                                      f"read into memory", display,
                                      expected="a smaller file")
            return data
    except OSError as exc:
        raise DataFormatError(f"cannot read the file: {exc.strerror or exc}",
                              display) from None


def refuse_nul(content: bytes | bytearray | str, display: str) -> None:
    """Refuse a NUL character, naming its line and column. No text format we read has
    one, so it means a binary or damaged file, and a parser in C stops at it silently
    (``2\\0`` would read as 2)."""
    nul: bytes | str = "\0" if isinstance(content, str) else b"\0"
    newline: bytes | str = "\n" if isinstance(content, str) else b"\n"
    at = content.find(nul)  # type: ignore[arg-type]
    if at < 0:
        return
    line = content.count(newline, 0, at) + 1  # type: ignore[arg-type]
    column = at - (content.rfind(newline, 0, at) + 1) + 1  # type: ignore[arg-type]
    raise DataFormatError("a NUL byte: this is not a text file, or it is damaged", display,
                          line, column, "text with no NUL bytes")
