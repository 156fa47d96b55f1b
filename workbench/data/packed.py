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
import zlib
from typing import BinaryIO

from workbench.core.errors import DataFormatError

GZIP_MAGIC = b"\x1f\x8b"
# Large enough for every real dataset we bundle or know of (MNIST as ARFF unpacks to
# about 110 MB), small enough that the values parsed from it fit in memory.
MAX_UNPACKED_BYTES = 512 << 20
_BLOCK = 1 << 20


def unpack_gzip(handle: BinaryIO, display: str, limit: int | None = None) -> bytes:
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
    return bytes(out)


def read_bytes(path: str | os.PathLike[str], display: str, limit: int | None = None
               ) -> bytes:
    """The bytes of the file at ``path``, unpacked when they start with gzip's magic."""
    try:
        with open(path, "rb") as handle:
            if handle.read(2) == GZIP_MAGIC:
                handle.seek(0)
                return unpack_gzip(handle, display, limit)
            handle.seek(0)
            return handle.read()
    except OSError as exc:
        raise DataFormatError(f"cannot read the file: {exc.strerror or exc}",
                              display) from None
