"""``workbench convert IN OUT``: ARFF to CSV and back, chosen by the file extensions.

Reading takes the same options as ``workbench info`` (class, CSV delimiter, types), so
a CSV file whose columns need forcing converts exactly as it would load. Neither ARFF
nor CSV records which attribute is the class; ``-c`` only checks that the named class
exists, so a script fails here rather than at training time.

Writing CSV takes ``--output-delimiter`` (WEKA's CSVSaver ``-F``); ``--delimiter`` is
the input's, except when only the output is CSV, where it can mean nothing else and so
is the output's (``convert iris.arff x.csv --delimiter ';'``). An existing OUT is
replaced, as WEKA and Unix tools replace it, but never IN itself. CSV has no place for
instance weights: when weights other than 1 are dropped a warning says so.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import numpy as np

from workbench.commands._args import file_name
from workbench.commands._output_files import refuse_output_over_input
from workbench.commands._stdio import data_bytes, is_stdio, shown_name, write_stdout
from workbench.commands.info import add_load_arguments, load_as_read, load_from_args
from workbench.core.atomic import check_writable
from workbench.core.errors import ParameterError, WorkbenchError
from workbench.data.dataset import Dataset
from workbench.data.formats import TAB_SEPARATED
from workbench.data.io import file_format, format_for, save_dataset


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="IN", type=file_name,
                        help="the file to read; - for standard input (ARFF, or CSV with a "
                             "CSV option or when it does not start like ARFF)")
    parser.add_argument("output", metavar="OUT", type=file_name,
                        help="the file to write (replaced atomically; never IN itself); - "
                             "for standard output, in IN's format (a CSV or TSV in its "
                             "own delimiter; CSV with --output-delimiter)")
    add_load_arguments(parser)
    parser.add_argument("--output-delimiter", metavar="CHAR",
                        help="field delimiter of a CSV OUT (default: comma; tab for "
                             ".tsv and .txt; '\\t' for tab); --delimiter means this too when only "
                             "OUT is CSV")
    parser.set_defaults(class_="none")


def run(args: argparse.Namespace) -> int:
    if is_stdio(args.output):
        return _to_stdout(args)
    from workbench.data.catalog import resolve_data_path

    check_writable(args.output)   # before reading: a large file read for nothing
    if not is_stdio(args.file):
        refuse_output_over_input(args.output, "OUT", [("IN", resolve_data_path(args.file))])
    options = _output_options(args)
    dataset = load_from_args(args)
    if "delimiter" in options:
        _warn_dropped_weights(dataset, shown_name(args.file), args.output)
    try:
        save_dataset(dataset, args.output, **options)
    except WorkbenchError:
        raise
    except OSError as error:   # a full disk names no file, mkstemp our temporary one
        raise WorkbenchError(f"{args.output}: cannot write the file "
                             f"({error.strerror or error})") from None
    print(f"wrote {args.output}: {dataset.num_instances} instances, "
          f"{dataset.num_attributes} attributes")
    return 0


def _to_stdout(args: argparse.Namespace) -> int:
    """``convert IN -``: the data on standard output, in IN's format (ARFF for a
    plugin's; a CSV or TSV in the delimiter it was read with), or CSV with
    ``--output-delimiter``, or with ``--delimiter`` when IN is not CSV, as for a CSV
    OUT (``_output_options``); nothing else is printed there."""
    chosen = args.output_delimiter or _output_delimiter_given_as_input(args)
    # (checked before reading: a large file read for nothing)
    delimiter = _checked_delimiter(_delimiter_named(chosen)) if chosen else None
    dataset, kind, read_with = load_as_read(args)
    if delimiter is not None or kind == "csv":
        _warn_dropped_weights(dataset, shown_name(args.file), "standard output")
        write_stdout(data_bytes(dataset, "csv",
                                delimiter or _delimiter_named(read_with or ",")))
    else:
        write_stdout(data_bytes(dataset, "arff"))
    return 0


def _output_delimiter_given_as_input(args: argparse.Namespace) -> str | None:
    """``--delimiter`` when IN is a file that is not CSV, where it can only mean the
    output's (taken off ``args``, so that reading ignores it); else None."""
    from workbench.data.catalog import resolve_data_path

    if (args.delimiter and not is_stdio(args.file)
            and file_format(resolve_data_path(args.file)) != "csv"):
        delimiter, args.delimiter = args.delimiter, None
        return str(delimiter)
    return None


_IN_NUMBERS = frozenset("0123456789.+-eEinfINFa")   # digits, signs, exponents, inf, nan


def _output_options(args: argparse.Namespace) -> dict[str, Any]:
    """The writer's options: the delimiter of a CSV output (``--output-delimiter``, or
    ``--delimiter`` when IN is not CSV, taken off ``args`` so that reading ignores it).
    Given for every CSV output, so the caller knows weights will be dropped."""
    if format_for(args.output, "saver").name != "csv":
        if args.output_delimiter:
            raise ParameterError(f"--output-delimiter applies to a CSV output, and "
                                 f"{args.output} is not one")
        return {}
    # (standard input given a CSV option is read as CSV: --delimiter is its own)
    delimiter = args.output_delimiter or _output_delimiter_given_as_input(args)
    if delimiter is None:
        lowered = args.output.lower()
        delimiter = "\t" if lowered.endswith(TAB_SEPARATED) else ","
    return {"delimiter": _checked_delimiter(_delimiter_named(delimiter))}


def _delimiter_named(delimiter: str) -> str:
    return "\t" if delimiter in ("\\t", "tab") else delimiter


def _checked_delimiter(delimiter: str) -> str:
    if len(delimiter) != 1 or delimiter in "\"'\r\n" or delimiter in _IN_NUMBERS:
        # a character a number is written with ('.', a digit, 'e') would split numbers
        # into fields (5.1 with '.': '5', '1'), and no reader could tell them apart
        raise ParameterError(f"the output delimiter must be one character that is not a "
                             f"quote, a line break or part of a number, got {delimiter!r}")
    return delimiter


def _warn_dropped_weights(dataset: Dataset, source: str, output: str) -> None:
    """One line on stderr when CSV loses weights other than 1 (WEKA's CSVSaver drops
    them without a word; a weighted file then trains differently after a round trip)."""
    weights = np.asarray(dataset.weights)
    dropped = int(np.count_nonzero(weights != 1.0))
    if dropped:
        print(f"workbench: warning: {output}: CSV has no place for instance weights; "
              f"the weights of {dropped} of the {weights.size} instances of {source} are "
              f"not 1 and were not written (write ARFF to keep them)", file=sys.stderr)
