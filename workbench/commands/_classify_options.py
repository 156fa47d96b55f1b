"""``workbench classify``'s options: declared once, read on either side of the name.

WEKA takes its options in any order (``IBk -t iris.arff -K 3 -o``), so the general
options (``-t``, ``-x``, ``-o``, ``--json``, ...) are read before the classifier's name
and again among its parameters. They are declared here once, by ``add_general_options``,
for both parsers. Where a classifier's own parameter has the same flag (``--seed`` of
the network learners), after the name the flag is the classifier's, and its ``--help``
says so. WEKA options this command does not offer are answered with what to type
instead (``WEKA_OPTIONS_NOT_OFFERED``), and contradicting test options are refused
before any file is read.
"""

from __future__ import annotations

import argparse
import shlex
from typing import TYPE_CHECKING, Any

from workbench.commands._args import (
    CommandParser,
    file_name,
    name_and_words,
    unrecognized_message,
)
from workbench.commands._encoding import ENCODING_HELP, encoding_name
from workbench.core.errors import ParameterError, WorkbenchError
from workbench.core.param_args import LineHelp, add_param_arguments, params_from_args

if TYPE_CHECKING:
    from workbench.core.registry import ComponentInfo
    from workbench.evaluation.test_options import TestOptions

USAGE = ("workbench classify -t TRAIN [-T TEST] [-c CLASS] [--encoding NAME]\n"
         "       [-x FOLDS | -split-percentage P [-preserve-order] | -no-cv] "
         "[-s SEED] [--runs N]\n"
         "       [-d MODEL_OUT] [-l MODEL_IN] [--json] [--predictions CSV] "
         "[--dynamics CSV]\n"
         "       [-o] [-v] [-k] [-do-not-output-per-class-statistics] [-m COST_FILE]\n"
         "       [--progress | --no-progress]\n"
         "       CLASSIFIER [parameters] [options]")

# WEKA's evaluation options that this command does not offer, with the answer a WEKA
# user needs: what to type here instead, or why nothing is needed.
WEKA_OPTIONS_NOT_OFFERED: dict[str, str] = {
    "-p": "WEKA's -p N prints the predictions; here --predictions CSV writes them "
          "(with the class probabilities) to a CSV file, or to standard output with "
          "--predictions -",
    "-classifications": "WEKA's prediction output; here --predictions CSV writes the "
                        "predictions to a CSV file (--predictions - to standard output)",
    "-distribution": "the --predictions CSV file always has the class probabilities",
    "-no-predictions": "predictions are kept only for --predictions CSV; without it "
                       "there are none to turn off",
    "-i": "WEKA 3.9 refuses it too; the per-class statistics (Detailed Accuracy By "
          "Class) are printed unless -do-not-output-per-class-statistics",
    "-r": "the cumulative margin distribution is not offered here",
    "-g": "printing the classifier's graph is not offered here",
    "-z": "printing the classifier as source code is not offered here",
    "-xml": "options from XML are not read here; give them on the command line",
    "-synopsis": "'workbench classify CLASSIFIER --help' describes the classifier and "
                 "its parameters",
    "-info": "'workbench classify CLASSIFIER --help' describes the classifier and its "
             "parameters",
    "-threshold-file": "threshold curves are in the Explorer (Visualize threshold "
                       "curve), not on this command line",
    "-threshold-label": "threshold curves are in the Explorer (Visualize threshold "
                        "curve), not on this command line",
    "-force-batch-training": "every classifier here trains in batch already",
    "-toggle": "every metric is printed; pick from the --json output instead",
    "-output-models-for-training-splits": "not offered; -d MODEL saves the model "
                                          "trained on all the training data",
    "-continue-iterating": "a model loaded with -l is tested as it was saved; train "
                           "it longer with -t and more epochs",
    "-clean-up": "a model loaded with -l is tested as it was saved; nothing to clean up",
    "-output-debug-info": "not offered; --debug shows the traceback of an error",
    "-do-not-check-capabilities": "not offered; what a classifier cannot learn from is "
                                  "refused before training, with the reason",
    "-num-decimal-places": "not offered; the model is printed with WEKA's default "
                           "number of decimals",
    "-batch-size": "not offered; predictions are computed for the whole test set at "
                   "once",
}
"""Every WEKA ``Evaluation`` option (``java weka.classifiers.rules.ZeroR -h``, 3.9.7) that
this command does not honour, WEKA's classifier-wide ones (``-batch-size``, ...) too:
a long one among them was read as a short option plus a value (``-d istribution``)
before ``CommandParser`` took it whole."""

# The WEKA letter of an inner classifier's spec (FilteredClassifier's -W "IBk -K 3"):
# WEKA passes the options after '--' to it (``-W IBk -- -K 3``).
_INNER_LETTER = "W"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The whole command line before the classifier's name: the general options, the
    name, and what follows it (read by ``parse_classifier_args``)."""
    # Written by hand to show which test options exclude each other; it must name every
    # option (tests/test_cli_classify_usage.py checks that it does).
    parser.usage = USAGE
    parser.epilog = ("The general options may also follow the classifier's parameters, "
                     "as in WEKA (see 'workbench classify CLASSIFIER --help'). The report "
                     "is WEKA's command line's: the model, 'Error on training data' (-v "
                     "leaves it out), then the cross-validation, test split or test data; "
                     "the Explorer's 'Run information' comes first.")
    add_general_options(parser)
    _take_not_offered(parser)
    # One positional for the name and all that follows it: argparse dropped a '--' typed
    # right after an optional positional name (``IBk -- -K 3`` read as ``IBk -K 3``) but
    # kept one typed later, so the same words meant two things (``name_and_words``).
    parser.add_argument("classifier", nargs=argparse.REMAINDER,
                        action=name_and_words("classifier", "classifier_args"),
                        metavar="CLASSIFIER ...",
                        help="classifier name, WEKA alias or WEKA class name (see: "
                             "workbench list classifiers), then its parameters")
    parser.set_defaults(classifier=None, classifier_args=[])


def add_general_options(parser: argparse.ArgumentParser,
                        after_name: bool = False) -> list[str]:
    """Declare the general options on ``parser``; returns the flags left out.

    ``after_name``: for the classifier's parser, which already holds its parameters. A
    flag one of them has stays the parameter's (left out here and returned); the others
    are hidden from its help and set only what was typed (no defaults, so a value given
    before the name is kept).
    """
    taken = set(parser._option_string_actions) if after_name else set()
    dropped: list[str] = []

    def add(group: Any, *flags: str, **options: Any) -> None:
        kept = [flag for flag in flags if flag not in taken]
        dropped.extend(flag for flag in flags if flag in taken)
        if not kept:
            return
        if after_name:
            options["help"] = argparse.SUPPRESS
            options["default"] = argparse.SUPPRESS
        group.add_argument(*kept, **options)

    data = parser.add_argument_group("data")
    add(data, "-t", dest="train", metavar="TRAIN", type=file_name,
        help="training data file (ARFF or CSV), a bundled dataset's name such as iris, "
             "or - for standard input (ARFF, or CSV when it does not start like ARFF)")
    add(data, "-T", dest="test", metavar="TEST", type=file_name,
        help="test data file (or a bundled dataset's name, or - for standard input); "
             "without it a cross-validation is run")
    add(data, "-c", dest="class_index", metavar="CLASS", default=None,
        help="class attribute: 1-based index, 'first', 'last' or a name (default: last)")
    add(data, "--encoding", dest="encoding", metavar="NAME", type=encoding_name,
        default=None, help=ENCODING_HELP)
    test = parser.add_argument_group("test option")
    add(test, "-x", "--folds", dest="folds", type=int, default=None, metavar="FOLDS",
        help="number of cross-validation folds (default: 10)")
    add(test, "-split-percentage", "--split-percentage", dest="split", type=float,
        default=None, metavar="P", help="train on P%% of the data and test on the rest")
    add(test, "-preserve-order", "--preserve-order", dest="preserve_order",
        action="store_true", help="do not shuffle before a percentage split")
    add(test, "-no-cv", "--no-cv", dest="no_cv", action="store_true",
        help="no cross-validation: evaluate on the training data (with "
             "-split-percentage, the split is run, as in WEKA)")
    add(test, "-s", "--seed", dest="seed", type=int, default=1, metavar="SEED",
        help="random seed for cross-validation and split (default: 1)")
    add(test, "--runs", type=int, default=1, metavar="N",
        help="repeat the cross-validation or split with seeds SEED..SEED+N-1 (not with "
             "-T or -no-cv, which test once)")
    model = parser.add_argument_group("models")
    add(model, "-d", dest="model_out", metavar="MODEL_OUT", type=file_name,
        help="save the model trained on all training data, as soon as it is trained "
             "(before the folds, as WEKA); - writes it to standard output when that is "
             "not a terminal, and the report to stderr")
    add(model, "-l", dest="model_in", metavar="MODEL_IN", type=file_name,
        help="load a trained model and evaluate it on the test file (-T; -T TRAIN tests "
             "it on its training file)")
    out = parser.add_argument_group("output")
    add(out, "--json", action="store_true", help="print one JSON object, no report")
    add(out, "--predictions", metavar="CSV", type=file_name,
        help="write every test prediction to this CSV file (WEKA's -p); - writes "
             "them to standard output, and the report to stderr")
    add(out, "--dynamics", metavar="CSV", type=file_name,
        help="record the final model's training dynamics (network learners; every 10 "
             "steps unless record_dynamics says otherwise) and write them to this CSV, "
             "histograms beside it in NAME.histograms.csv (both or neither; a file there "
             "that an earlier run did not write is refused before training, never "
             "replaced)")
    add(out, "-o", dest="no_model", action="store_true",
        help="statistics only: leave the classifier model out of the report")
    add(out, "-v", dest="no_training_statistics", action="store_true",
        help="leave out the statistics on the training data ('Error on training data') "
             "that come before the cross-validation, split or test-set ones, as WEKA's "
             "-v (on a large file it saves testing the model on every training row)")
    add(out, "-k", dest="complexity", action="store_true",
        help="also print the information-theoretic (entropy) statistics")
    add(out, "-do-not-output-per-class-statistics", dest="no_per_class",
        action="store_true",
        help="leave out 'Detailed Accuracy By Class' (WEKA's option of that name)")
    add(out, "-m", dest="cost_matrix", metavar="COST_FILE", type=file_name,
        help="cost matrix file, WEKA's: a line 'N N', then N rows of N costs (or "
             "[0 1; 5 0]); rows actual, columns predicted, N the number of class "
             "values; %% starts a comment")
    add(out, "--progress", dest="progress", action="store_true", default=None,
        help="show the progress bar even when stderr is not a terminal")
    add(out, "--no-progress", dest="progress", action="store_false",
        help="never show the progress bar")
    return dropped


def classifier_parser(info: ComponentInfo) -> tuple[CommandParser, list[str]]:
    """The parser of what follows the classifier's name: its parameters, then the
    general options it does not shadow; also the general flags it shadows."""
    parser = CommandParser(prog=f"workbench classify [options] {info.name}",
                           description=f"{info.display_name}: {info.description}",
                           formatter_class=LineHelp)
    add_param_arguments(parser, info.params)
    shadowed = add_general_options(parser, after_name=True)
    _take_not_offered(parser)
    epilog = ("General options (-t, -T, -x, -s, -o, -v, --json, ...) go before the "
              "classifier's name or after its parameters, in any order, as in WEKA.")
    if shadowed:
        epilog += (f" After the name, {', '.join(shadowed)} "
                   f"{'is' if len(shadowed) == 1 else 'are'} {info.name}'s own "
                   f"parameter, not the general option"
                   + (" (-s still sets the evaluation's seed)" if "--seed" in shadowed
                      else "") + ".")
    parser.epilog = epilog
    return parser, shadowed


def _take_not_offered(parser: argparse.ArgumentParser) -> None:
    """WEKA's ``-help`` as ``--help``, and WEKA's options this command does not offer
    kept whole (``-distribution`` is not ``-d istribution``) to be refused with their
    advice."""
    if "-help" not in parser._option_string_actions:
        parser.add_argument("-help", action="help", help=argparse.SUPPRESS)
    if isinstance(parser, CommandParser):
        parser.not_offered = WEKA_OPTIONS_NOT_OFFERED


def parse_classifier_args(args: argparse.Namespace, info: ComponentInfo) -> dict[str, Any]:
    """The classifier's parameters from the words after its name; the general options
    among them are set on ``args`` (they win over the same option before the name).

    Words after a ``--`` are, as in WEKA, the inner classifier's options (``filtered -W
    IBk -- -K 3`` is ``-W "IBk -K 3"``); a classifier with no inner classifier refuses
    them (WEKA says "Illegal options: -- -K 3"), so no option is ever left unread.
    """
    parser, _ = classifier_parser(info)
    words = list(args.classifier_args)
    inner_words: list[str] = []
    if "--" in words:
        at = words.index("--")
        words, inner_words = words[:at], words[at + 1:]
        if _inner_classifier(info) is None:
            parser.error(_no_inner_classifier_message(args.classifier or info.name,
                                                       words, inner_words))
    parsed, extra = parser.parse_known_args(words)
    if extra:
        parser.error(unrecognized_message(parser, extra, WEKA_OPTIONS_NOT_OFFERED))
    for name, value in vars(parsed).items():
        if not name.startswith("param__"):
            setattr(args, name, value)
    given = params_from_args(parsed, info.params)
    inner = _inner_classifier(info)
    if inner_words and inner is not None:
        spec = given.get(inner.name, inner.default)
        given[inner.name] = f"{spec} {shlex.join(inner_words)}"
    return given


def _inner_classifier(info: ComponentInfo) -> Any:
    """The parameter holding an inner classifier's spec (WEKA's ``-W``), or None."""
    for param in info.params:
        if param.letter == _INNER_LETTER and param.kind == "str":
            return param
    return None


def _no_inner_classifier_message(name: str, before: list[str], after: list[str]) -> str:
    """What to type instead of ``NAME ... -- OPTIONS`` for a classifier without -W."""
    if not after:
        return (f"'--' passes the options after it to an inner classifier (WEKA's -W), "
                f"and {name} has none: drop the '--'")
    return (f"'--' passes the options after it to an inner classifier (WEKA's -W), and "
            f"{name} has none, so '{shlex.join(after)}' would not be read; give them "
            f"straight after the name: '{shlex.join([name, *before, *after])}'")


def test_options(args: argparse.Namespace) -> TestOptions:
    """The declared test options the flags ask for (``-T``, ``-split-percentage``,
    ``-no-cv`` or ``-x``), refused in the words every other front uses, naming the flag
    the user typed."""
    from workbench.evaluation.test_options import TestOptions

    if args.test:
        mode = "test_set"
    elif args.split is not None:
        mode = "split"
    elif args.no_cv:
        mode = "training"
    else:
        mode = "cross_validation"
    values: dict[str, Any] = {"mode": mode, "seed": args.seed, "runs": args.runs,
                              "preserve_order": args.preserve_order}
    if args.folds is not None:
        values["folds"] = args.folds
    if args.split is not None:
        values["percent"] = args.split
    try:
        return TestOptions(**values)
    except ParameterError as error:
        raise ParameterError(_in_flag_words(str(error))) from None


# The declared test options' names and the flags that set them here.
_FLAGS = {"percent": "-split-percentage", "folds": "-x", "seed": "-s", "runs": "--runs"}


def _in_flag_words(message: str) -> str:
    """``parameter 'percent': 150.0 is not allowed`` as ``-split-percentage: ...``."""
    for name, flag in _FLAGS.items():
        message = message.replace(f"parameter '{name}'", flag)
    return message


def check_option_combination(args: argparse.Namespace) -> None:
    """Refuse what WEKA refuses, with its reasons, and what WEKA would silently
    ignore."""
    if not args.train and not (args.model_in and args.test):
        raise WorkbenchError("no training file given (-t), and no model (-l) with a test "
                             "file (-T)")
    if args.model_in and not args.test:
        # WEKA 3.9.7 refuses it too ("no test file provided: can't use model file").
        raise WorkbenchError("a loaded model (-l) is evaluated on a test file: give -T "
                             "(-T with the training file tests it on that)")
    if args.model_in and (args.split is not None or args.folds is not None):
        raise WorkbenchError("cannot run a percentage split or cross-validation with a "
                             "loaded model (-l)")
    if args.split is not None:
        if args.folds is not None:
            raise WorkbenchError("a percentage split cannot be combined with "
                                 "cross-validation (-x)")
        if args.test:
            raise WorkbenchError("cannot run a percentage split when a test file (-T) "
                                 "is given")
    if args.preserve_order and args.split is None:
        raise WorkbenchError("-preserve-order needs -split-percentage")
    if args.no_cv and args.test:
        raise WorkbenchError("-no-cv makes no sense with a test file (-T)")
    # WEKA reads these and then ignores -x without a word (a test file, then a split,
    # then -no-cv win over it); asking for folds that are never made is a mistake.
    if args.folds is not None and args.test:
        raise WorkbenchError(f"-x {args.folds} asks for cross-validation, but a test file "
                             f"(-T) is given and is what the model is tested on: drop one")
    if args.folds is not None and args.no_cv:
        raise WorkbenchError(f"-x {args.folds} asks for cross-validation and -no-cv turns "
                             f"it off: drop one (-no-cv tests on the training data)")
    testing_once = "a test file (-T)" if args.test else \
        "-no-cv" if args.no_cv and args.split is None else None
    if args.runs != 1 and testing_once:
        raise WorkbenchError(f"--runs {args.runs} repeats a cross-validation or split "
                             f"with new seeds, but {testing_once} tests once, the same "
                             f"way each time: drop --runs")
    if args.no_training_statistics and args.no_cv and args.split is None:
        raise WorkbenchError("-v leaves out the statistics on the training data, and "
                             "-no-cv asks for nothing else: drop one")
