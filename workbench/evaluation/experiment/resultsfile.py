"""The results table and its record on disk: read within limits, appended only to
the very file that was read, and, when resuming, never through a link (``experiment
analyse`` only reads, so it follows one, within the same limits).

The results file sits beside the spec (``NAME.results.csv``, its record
``NAME.results.csv.spec.json``), so resuming reads whatever came in the spec's folder: a
stranger's archive may hold a FIFO there (reading it blocks forever), a link to
``/dev/zero`` (reading never ends), bytes that are not UTF-8, or a link to a file
elsewhere that a resume would append rows to. So:

- Both files are read through ``data.packed.read_bytes``, as the data readers are: a
  regular file only, opened without blocking, at most ``MAX_RESULTS_BYTES`` (the record:
  ``core.jsonfile.MAX_BYTES``, as the spec itself), the parse cost of a table checked
  against free memory. Text that is not UTF-8 or holds a NUL is refused at its line.
- A results file that is a symbolic link is neither read nor appended to by a resume:
  the flow's
  write guard (``flow/writes.py``) never writes through a link in the last part of a
  name either. A write replaces such a link, which is what a new table does to a link
  that points nowhere; a link to a file looks like results someone wants kept, so it is
  refused, naming where it points. Links among the folders are followed, as the flow
  follows them: ``--out`` into a linked folder is the user's own choice, and the default
  table lies in the spec's own folder.
- Appending opens the name with ``O_NOFOLLOW`` and checks that it is the file that was
  looked at (same device and inode), so a link or another file put there meanwhile is
  refused, never written; a torn last line is cut off through that same descriptor.
- A gzip-packed table is refused: ``read_bytes`` would unpack it, and plain lines
  appended after packed bytes would damage it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from workbench.core.errors import DataFormatError, WorkbenchError
from workbench.core.jsonfile import MAX_BYTES as MAX_RECORD_BYTES
from workbench.core.jsonfile import decode_text, parse_json
from workbench.data.packed import GZIP_MAGIC, read_bytes, refuse_nul

# A row holds 4 keys, 2 sizes, the chosen measures (up to 10) and 2 times: about 110
# bytes with accuracy alone, 290 with every measure. 64 MiB is then 230 000 to 600 000
# runs (10 x 10 cross-validation of 2 300 dataset-classifier pairs and more), beyond any
# experiment we know of, while reading one costs a few hundred MB at most.
MAX_RESULTS_BYTES = 64 << 20
TABLE = "the results table (CSV, or ARFF as WEKA's Experimenter writes it) that " \
    "'workbench experiment run' writes"
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NON_BLOCKING = getattr(os, "O_NONBLOCK", 0)


def check_table_name(path: str | os.PathLike[str]) -> None:
    """Refuse a results table named as a gzip-packed ARFF file: the table is appended
    to as runs finish, so it is plain text (``.arff`` gives WEKA's ARFF layout, any other
    name CSV), and a plain file under a ``.gz`` name is one WEKA cannot open, which the
    user would only find out after the runs; said before anything is written."""
    name = Path(path).name
    if name.lower().endswith(".arff.gz"):
        raise WorkbenchError(
            f"{path}: the results table is appended to as runs finish, so it is never "
            f"gzip-packed: name it .arff (e.g. {name[:-len('.arff.gz')]}.arff) for "
            f"WEKA's ARFF results, or .csv")


def existing(path: Path) -> os.stat_result | None:
    """``path``'s own status if a results table is there to resume (None when nothing
    is, or a link that points nowhere, which a new table replaces); anything but a
    regular file is refused, a link to one included."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DataFormatError(f"cannot read the file: {exc.strerror or exc}", path,
                              expected=TABLE) from None
    if stat.S_ISLNK(info.st_mode):
        if not os.path.exists(path):
            return None
        raise DataFormatError(
            f"is a symbolic link (to {os.readlink(path)}); results are never read or "
            f"appended through a link: remove it or choose another --out", path)
    if not stat.S_ISREG(info.st_mode):
        raise DataFormatError("is not a regular file (a device, FIFO, socket or folder is "
                              "never read or written); choose another --out", path)
    return info


def read_table(path: Path) -> bytes | bytearray:
    """The table's bytes, read as the data readers read a file (module docstring)."""
    try:
        return read_bytes(path, str(path), limit=MAX_RESULTS_BYTES)
    except DataFormatError as exc:
        raise _as_table_error(exc) from None


def table_text(raw: bytes | bytearray, path: Path) -> str:
    """``raw`` as text, or a refusal at the line of its first NUL or non-UTF-8 byte."""
    refuse_nul(raw, str(path))
    return decode_text(bytes(raw), path, DataFormatError, what="a results table")


def read_record(path: Path, error: type[DataFormatError], what: str) -> Any:
    """The parsed JSON record beside a table, read within the same limits; ``error``
    (a ``DataFormatError`` class) says every way it fails."""
    try:
        raw = read_bytes(path, str(path), limit=MAX_RECORD_BYTES, costed=False)
    except DataFormatError as exc:
        raise error(exc.reason, path, exc.line, exc.column, what) from None
    return parse_json(decode_text(bytes(raw), path, error, what), path, error, what=what)


def open_for_append(path: Path, read: os.stat_result | None = None) -> int:
    """A descriptor appending to the regular file ``path`` (never through a link; when
    ``read`` is given, only if it is still that file), for ``os.fdopen``."""
    flags = os.O_RDWR | os.O_APPEND | _NO_FOLLOW | _NON_BLOCKING | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if os.path.islink(path):
            raise DataFormatError("became a symbolic link before results were appended; "
                                  "nothing was written", path, expected=TABLE) from None
        raise DataFormatError(f"cannot append to the file: {exc.strerror or exc}", path,
                              expected=TABLE) from None
    try:
        now = os.fstat(fd)
        if not stat.S_ISREG(now.st_mode):
            raise DataFormatError("is not a regular file; nothing was written", path,
                                  expected=TABLE)
        if read is not None and (now.st_dev, now.st_ino) != (read.st_dev, read.st_ino):
            raise DataFormatError("was replaced by another file while it was read; "
                                  "nothing was written", path, expected=TABLE)
        if os.pread(fd, len(GZIP_MAGIC), 0) == GZIP_MAGIC:
            raise DataFormatError("is gzip-packed; results are appended as plain text: "
                                  "unpack it first", path, expected=TABLE)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _as_table_error(exc: DataFormatError) -> DataFormatError:
    """``read_bytes``' refusal in the words of a results table (it speaks of data)."""
    expected = TABLE if exc.expected == "a data file" else exc.expected
    return DataFormatError(exc.reason, exc.path, exc.line, exc.column, expected)
