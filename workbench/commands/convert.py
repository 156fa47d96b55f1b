"""``workbench convert IN OUT``: ARFF to CSV and back, chosen by the file extensions.

Reading takes the same options as ``workbench info`` (class, CSV delimiter, types), so
a CSV file whose columns need forcing converts exactly as it would load. Neither ARFF
nor CSV records which attribute is the class; ``-c`` only checks that the named class
exists, so a script fails here rather than at training time.
"""

from __future__ import annotations

import argparse

from workbench.commands._args import file_name
from workbench.commands.info import add_load_arguments, load_from_args
from workbench.core.atomic import check_writable
from workbench.core.errors import WorkbenchError
from workbench.data.io import save_dataset


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="IN", type=file_name, help="the file to read")
    parser.add_argument("output", metavar="OUT", type=file_name,
                        help="the file to write (replaced atomically)")
    add_load_arguments(parser)
    parser.set_defaults(class_="none")


def run(args: argparse.Namespace) -> int:
    check_writable(args.output)   # before reading: a large file read for nothing
    dataset = load_from_args(args)
    try:
        save_dataset(dataset, args.output)
    except WorkbenchError:
        raise
    except OSError as error:   # a full disk names no file, mkstemp our temporary one
        raise WorkbenchError(f"{args.output}: cannot write the file "
                             f"({error.strerror or error})") from None
    print(f"wrote {args.output}: {dataset.num_instances} instances, "
          f"{dataset.num_attributes} attributes")
    return 0
