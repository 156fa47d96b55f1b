"""``-`` as a file name: standard input for a data file read, standard output for what a
command writes.

A Unix user pipes (``cat iris.arff | workbench classify -t - ZeroR``, ``workbench
filter Normalize -i iris -o - | head``), and before this ``-`` silently became a file
called ``-`` in the current folder, which a later ``rm -`` trips on. ``./-`` still
names such a file.

Standard input is read whole, within the limit a file has (``packed.MAX_UNPACKED_BYTES``),
into a private temporary file named for its format, and read from there by the same
readers, with the same bounds, as any file; errors name ``<stdin>``, never the temporary
file. Its format: CSV when the command was given CSV options (``--delimiter``, ...),
otherwise ARFF, which WEKA's filters read from standard input, unless the first line
that is not blank or a ``%`` comment does not start with ``@`` (``@relation``), which no
ARFF file lacks: then CSV.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from workbench.core.errors import DataFormatError, ParameterError, WorkbenchError

if TYPE_CHECKING:
    from workbench.data.dataset import Dataset

STDIO = "-"
"""The file name that means standard input or standard output."""
STDIN_NAME = "<stdin>"
"""How messages name standard input (Python's and the C compilers' word for it)."""

_SNIFF_BYTES = 1 << 16


def is_stdio(name: object) -> bool:
    """Whether a file argument as typed is ``-`` (``./-`` is a file)."""
    return name == STDIO


def shown_name(name: str) -> str:
    """A file argument as messages name it: ``<stdin>`` for ``-``."""
    return STDIN_NAME if is_stdio(name) else name


def refuse_stdio(name: str | None, option: str, why: str) -> None:
    """Refuse ``-`` for an option that cannot use standard input or output, rather than
    make a file called ``-``; ``why`` says what to do instead."""
    if is_stdio(name):
        raise ParameterError(f"{option} -: {why} (./- names a file called '-')")


def refuse_one_stdin(typed: list[tuple[str, str | None]]) -> None:
    """Refuse ``-`` given to more than one input option: standard input is read once."""
    options = [option for option, name in typed if is_stdio(name)]
    if len(options) > 1:
        raise ParameterError(f"{' and '.join(options)} are both '-', and standard input "
                             f"can be read only once: give one of them a file")


def refuse_one_stdout(typed: list[tuple[str, str | None]]) -> None:
    """Refuse ``-`` given to more than one output: they would be mixed on stdout."""
    options = [option for option, name in typed if is_stdio(name)]
    if len(options) > 1:
        raise ParameterError(f"{' and '.join(options)} both write to standard output "
                             f"('-'), where they would be mixed: give one of them a file")


@contextmanager
def stdin_data_file(csv: bool = False, encoding: str | None = None) -> Iterator[Path]:
    """A temporary file holding standard input, named ``stdin.arff`` or ``stdin.csv``
    by its format (``csv``: the command was given CSV options), for the readers that
    take a path; removed afterwards. A ``WorkbenchError`` raised inside names
    ``<stdin>`` where it named the file."""
    stream = sys.stdin
    if stream is None:
        raise ParameterError("-: there is no standard input to read data from")
    if stream.isatty():
        raise ParameterError("-: standard input is a terminal; pipe a data file in "
                             "(... < iris.arff), or give the file's name")
    data = read_bounded(stream.buffer)
    kind = "csv" if csv or not looks_like_arff(data, encoding) else "arff"
    folder = Path(tempfile.mkdtemp(prefix="workbench-stdin-"))   # private: mode 0700
    path = folder / f"stdin.{kind}"
    try:
        path.write_bytes(data)
        del data
        yield path
    except WorkbenchError as error:
        _name_stdin(error, str(path))
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def read_bounded(stream: BinaryIO) -> bytes:
    """All of ``stream``, refused past the limit a data file has."""
    from workbench.data.packed import MAX_UNPACKED_BYTES

    data = stream.read(MAX_UNPACKED_BYTES + 1)
    if len(data) > MAX_UNPACKED_BYTES:
        raise DataFormatError(f"standard input holds more than {MAX_UNPACKED_BYTES >> 20} "
                              f"MiB, the most read into memory", STDIN_NAME,
                              expected="a smaller file")
    return data


def looks_like_arff(data: bytes, encoding: str | None = None) -> bool:
    """Whether ``data`` reads as ARFF: its first line that is neither blank nor a ``%``
    comment starts with ``@``; gzip is looked into, and no such line means ARFF (the
    reader then says what is missing)."""
    head = data[:_SNIFF_BYTES]
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(wbits=31).decompress(data[:_SNIFF_BYTES], _SNIFF_BYTES)
        except zlib.error:
            return True   # the ARFF reader says it cannot be unpacked
    text = head.decode(encoding or "utf-8", errors="ignore").lstrip("\ufeff")
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("%"):
            return stripped.startswith("@")
    return True


def _name_stdin(error: WorkbenchError, spooled: str) -> None:
    """Name ``<stdin>`` where ``error`` names the temporary file (its message and, for a
    data file's error, the path its fields hold)."""
    if isinstance(error, DataFormatError) and error.path is not None:
        error.path = error.path.replace(spooled, STDIN_NAME)
    error.args = tuple(arg.replace(spooled, STDIN_NAME) if isinstance(arg, str) else arg
                       for arg in error.args)


def write_stdout(data: bytes) -> None:
    """Bytes to standard output, after any text already printed there, all of them: a
    pipe whose reader went away took 64 KiB of 18 MiB and the write said no more (the
    next one raises ``BrokenPipeError``, which the command line ends quietly)."""
    sys.stdout.flush()
    buffer = sys.stdout.buffer
    view = memoryview(data)
    while view:
        written = buffer.write(view)
        if not written:
            raise BrokenPipeError("standard output took no more bytes")
        view = view[written:]
    buffer.flush()


def data_bytes(dataset: Dataset, kind: str, delimiter: str | None = None) -> bytes:
    """``dataset`` as the bytes of an ARFF file (``kind`` ``"arff"``) or a CSV one (any
    other; ``delimiter`` default comma), for standard output."""
    if kind == "arff":
        from workbench.data.arff import arff_text

        return arff_text(dataset).encode("utf-8")
    from workbench.data.csv_write import dataset_to_csv_text

    return dataset_to_csv_text(dataset, delimiter or ",").encode("utf-8")


def refuse_terminal_for_binary(option: str, what: str) -> None:
    """Refuse writing ``what`` (binary) to standard output when it is a terminal."""
    if sys.stdout.isatty():
        raise ParameterError(f"{option} - writes the {what} to standard output, which is "
                             f"a terminal: redirect it (> model.zip) or pipe it, or give "
                             f"a file name")


@contextmanager
def spooled_output(suffix: str) -> Iterator[Path]:
    """A private temporary file for a writer that takes a path (a model), whose bytes
    the caller then copies to standard output; removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="workbench-stdout-"))
    try:
        yield folder / f"out{suffix}"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


__all__ = ["STDIN_NAME", "STDIO", "data_bytes", "is_stdio", "looks_like_arff",
           "read_bounded", "refuse_one_stdin", "refuse_one_stdout", "refuse_stdio",
           "refuse_terminal_for_binary", "shown_name", "spooled_output", "stdin_data_file",
           "write_stdout"]
