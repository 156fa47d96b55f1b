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
    """Refuse a NUL character, naming its line and column (in characters, lines ended by
    LF, CRLF or a lone CR). No text format we read has one, so it means UTF-16 text, a
    binary file or a damaged one; a parser in C would stop at it silently (``2\\0`` would
    read as 2)."""
    if isinstance(content, str):
        at = content.find("\0")
        before = content[:max(at, 0)]
    else:
        at = content.find(b"\0")
        if at >= 0 and _looks_utf16(content):
            raise DataFormatError("this is UTF-16 text", display, 1, 1,
                                  "UTF-8 text; re-save the file as UTF-8")
        before = bytes(content[:max(at, 0)]).decode("utf-8", errors="replace")
    if at < 0:
        return
    lines = before.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    raise DataFormatError("a NUL byte: this is not a text file, or it is damaged", display,
                          len(lines), len(lines[-1]) + 1, "text with no NUL bytes")


def _looks_utf16(content: bytes | bytearray) -> bool:
    """A UTF-16 byte-order mark, or text whose every other byte is NUL (ASCII in UTF-16
    without a mark), as Windows tools write it."""
    if content[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    head = bytes(content[:64])
    return len(head) >= 4 and (head[1::2].count(0) == len(head[1::2])
                               or head[0::2].count(0) == len(head[0::2]))
