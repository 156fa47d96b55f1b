"""``workbench filter NAME [parameters] -i IN -o OUT [-c CLASS]``: run one filter on files.

Batch mode (``-b -i TRAIN -o TRAIN_OUT -r TEST -s TEST_OUT``) fits the filter on the
training file only and applies the same fitted filter to both, as WEKA's batch filtering
does, so a test file is standardised with training statistics. The filter's parameters
become flags generated from its declaration; ``workbench filter NAME --help`` lists them.
Files are read and written by extension (ARFF or CSV) and keep weights and the class.

As WEKA's filter command line, no attribute is the class unless ``-c`` names one:
``Normalize`` then scales the last attribute too, and ``NominalToBinary`` turns a
nominal last attribute into 0/1 columns (``-c`` used to default to ``last``, and such
files differed from WEKA's). A filter that learns from a class (supervised
Discretize, AttributeSelection, stratified Resample, ...) is refused without ``-c``,
saying to add ``-c last``, where WEKA stops with "Class attribute not set!". The output
relation is the input's with the filter appended, WEKA's way (``relation_name``).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from workbench.commands._args import (
    CommandParser,
    file_name,
    name_and_words,
    unrecognized_message,
)
from workbench.commands._data_argument import read_data_argument
from workbench.commands._encoding import add_encoding_argument
from workbench.commands._output_files import refuse_output_over_input, same_file
from workbench.commands._stdio import (
    data_bytes,
    is_stdio,
    refuse_one_stdin,
    refuse_one_stdout,
    write_stdout,
)
from workbench.core.errors import ParameterError, WorkbenchError
from workbench.core.memory_ceiling import memory_for
from workbench.core.param_args import LineHelp, add_param_arguments, params_from_args
from workbench.core.registry import default_registry
from workbench.data.dataset import Dataset


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = ("The filter's own parameters follow its name; see "
                     "'workbench filter NAME --help' and 'workbench list filters'.")
    # One positional for the name and what follows: argparse dropped a '--' typed right
    # after an optional positional name (``Resample -- -Z 50`` ran with -Z 50) but kept
    # one typed later (refused), so ``name_and_words`` keeps it for ``run`` to refuse.
    parser.add_argument("filter_name", nargs=argparse.REMAINDER,
                        action=name_and_words("filter_name", "filter_options"),
                        metavar="NAME ...",
                        help="the filter, by short name or WEKA name (e.g. standardize, "
                             "Standardize), then its parameters and -i IN -o OUT "
                             "[-c CLASS] or -b -i TRAIN -o TRAIN_OUT -r TEST -s TEST_OUT")
    parser.set_defaults(filter_help=parser, filter_name=None, filter_options=[])


def build_filter_parser(name: str) -> tuple[CommandParser, Any]:
    """The full parser for one filter: file options plus the filter's declared flags."""
    info = default_registry().get("filter", name)
    parser = CommandParser(
        prog=f"workbench filter {info.name}",
        description=f"{info.display_name}: {info.description}",
        formatter_class=LineHelp,   # a line for each choice of -N, as classify's
    )
    # Long names end in -file / -mode so that no filter parameter (``--output`` of
    # StringToWordVector, say) can collide with them.
    files = parser.add_argument_group("files")
    files.add_argument("-i", "--input-file", dest="input", required=True, metavar="IN",
                       type=file_name,
                       help="input file (training file in batch mode), ARFF or CSV, a "
                            "bundled dataset's name such as iris, or - for standard input "
                            "(ARFF, or CSV when it does not start like ARFF)")
    files.add_argument("-o", "--output-file", dest="output", required=True, metavar="OUT",
                       type=file_name,
                       help="output file (filtered training file in batch mode), or - "
                            "for standard output, in the input's format")
    files.add_argument("-c", "--class-attribute", dest="class_attribute", metavar="CLASS",
                       default=None,
                       help="class attribute: 1-based position, first, last or a name; "
                            "0 or none for no class (default: no class, as WEKA's "
                            "filters; supervised filters need one: -c last)")
    files.add_argument("-b", "--batch-mode", dest="batch", action="store_true",
                       help="batch mode: fit on -i, apply to -i and -r")
    files.add_argument("-r", "--test-input-file", dest="test_input", metavar="TEST",
                       type=file_name,
                       help="batch mode: second file, filtered with what -i taught "
                            "(- for standard input)")
    files.add_argument("-s", "--test-output-file", dest="test_output", metavar="TEST_OUT",
                       type=file_name,
                       help="batch mode: where the filtered second file goes (- for "
                            "standard output)")
    files.add_argument("--describe-filter", dest="describe", action="store_true",
                       help="print what the filter learned")
    # No filter parameter is called --encoding (tests/commands check every filter).
    add_encoding_argument(files)
    if info.params:
        try:
            add_param_arguments(parser.add_argument_group("filter parameters"), info.params)
        except argparse.ArgumentError as error:  # a plugin filter reusing -i, -o, ...
            raise WorkbenchError(f"filter '{info.name}' declares an option that clashes "
                                 f"with workbench filter's own: {error}") from None
    return parser, info


def run(args: argparse.Namespace) -> int:
    if not args.filter_name:   # a usage error (exit 2), as a missing -i is
        args.filter_help.error("name a filter first, e.g. 'workbench filter Standardize "
                               "-i iris -o out.arff' ('workbench list filters' lists "
                               "them)")
    parser, info = build_filter_parser(args.filter_name)
    if "--" in args.filter_options:
        # WEKA refuses it too ("Illegal options: -- -Z 50"); a filter has no inner scheme
        # to pass options to, and reading them as the filter's would be a guess.
        at = args.filter_options.index("--")
        after = args.filter_options[at + 1:]
        instead = " ".join([args.filter_name, *args.filter_options[:at], *after])
        parser.error(f"'--' ends the options, so '{' '.join(after)}' would not be read; "
                     f"give the filter's options without it: 'workbench filter {instead}'"
                     if after else "'--' ends the options and nothing follows it: drop it")
    options, extra = parser.parse_known_args(args.filter_options)
    if extra:   # with the hints the other commands give (-Rfirst-last: -R first-last)
        parser.error(unrecognized_message(parser, extra, parser.not_offered))
    if options.batch != bool(options.test_input or options.test_output):
        raise ParameterError("batch mode needs all of -b, -r TEST and -s TEST_OUT")
    if options.batch and not (options.test_input and options.test_output):
        raise ParameterError("batch mode needs both -r TEST and -s TEST_OUT")
    if (options.batch and not is_stdio(options.output)
            and same_file(options.output, options.test_output)):
        raise ParameterError(f"-o {options.output} and -s {options.test_output} are the "
                             f"same file: the filtered test file would overwrite the "
                             f"filtered training file; give two different files")
    from workbench.data.catalog import resolve_data_path
    from workbench.filters.relation_name import filtered_relation

    the_filter = info.create(**params_from_args(options, info.params))
    if options.class_attribute is None and the_filter.needs_class():
        raise ParameterError(f"{info.name} learns from the class attribute and none is "
                             f"set: add -c last (or -c NAME, -c INDEX) to say which one "
                             f"it is (WEKA's filters say 'Class attribute not set!')")
    typed_inputs = [("-i", options.input)] + ([("-r", options.test_input)]
                                               if options.batch else [])
    outputs = [("-o", options.output)] + ([("-s", options.test_output)]
                                           if options.batch else [])
    refuse_one_stdin(typed_inputs)
    refuse_one_stdout(outputs)
    if options.describe and any(is_stdio(name) for _, name in outputs):
        raise ParameterError("--describe-filter prints to standard output, where '-' "
                             "writes the filtered data: give the output a file name")
    inputs = [(option, resolve_data_path(name)) for option, name in typed_inputs
              if not is_stdio(name)]
    for option, name in outputs:
        if not is_stdio(name):
            refuse_output_over_input(name, option, inputs)
    train_read = read_data_argument(options.input, options.encoding)
    train = _with_class(train_read.dataset, options.class_attribute, train_read.shown)
    test = None
    if options.batch:
        test_read = read_data_argument(options.test_input, options.encoding)
        test = _with_class(test_read.dataset, options.class_attribute, test_read.shown)
    # Under the memory ceiling (core/memory_ceiling.py): a filter whose settings ask for
    # more than is free ends as our error naming it, not in the OOM killer.
    with memory_for(f"filter {info.name}"):
        filtered = the_filter.fit_transform(train)
        filtered_test = the_filter.transform(test) if test is not None else None
    for difference in the_filter.weka_differences():
        print(f"workbench: note: {difference}", file=sys.stderr)
    _save(filtered.with_relation(filtered_relation(filtered.relation, the_filter)),
          options.output, train_read.format)
    if filtered_test is not None:
        _save(filtered_test.with_relation(
            filtered_relation(filtered_test.relation, the_filter)), options.test_output,
            train_read.format)
    if options.describe:
        print(the_filter.describe(), end="")
    return 0


def _save(dataset: Dataset, output: str, read_as: str) -> None:
    """Write to ``output`` by its extension, or to standard output for ``-`` in the
    format the input was read in (ARFF for a plugin's format)."""
    if is_stdio(output):
        write_stdout(data_bytes(dataset, "csv" if read_as == "csv" else "arff"))
        return
    from workbench.data.io import save_dataset

    save_dataset(dataset, output)


def _with_class(dataset: Dataset, key: str | None, path: str) -> Dataset:
    """The dataset with the class the user named (WEKA's -c: position, first, last)."""
    if key is None:
        return dataset
    text = key.strip()
    lowered = text.lower()
    try:
        if lowered in ("none", "0"):
            return dataset.with_class(None)
        if dataset.num_attributes == 0:
            return dataset
        if lowered == "first":
            index = 0
        elif lowered == "last":
            index = dataset.num_attributes - 1
        elif text.lstrip("-").isdecimal():
            index = int(text) - 1
            if not 0 <= index < dataset.num_attributes:
                raise WorkbenchError(f"class {text} is outside 1..{dataset.num_attributes}")
        else:
            index = dataset.index_of(text)
        return dataset.with_class(index)
    except WorkbenchError as error:
        raise WorkbenchError(f"{path}: cannot use '{key}' as the class: {error}") from None
