"""``workbench classify``: WEKA's command-line evaluation, with WEKA's flags and report.

    workbench classify -t TRAIN [-T TEST] [-x FOLDS | -split-percentage P [-preserve-order]
                       | -no-cv] [-s SEED] [-c CLASS] [-d MODEL_OUT] [-l MODEL_IN]
                       [--json] [--predictions CSV] CLASSIFIER [classifier parameters]

Flag letters are WEKA's where WEKA has one, with WEKA's defaults (10 folds, seed 1, the
last attribute as class). The classifier's own parameters follow its name and come from
its declaration (``workbench classify knn --help`` lists them). A progress bar goes to
the terminal's stderr during long evaluations; Ctrl-C stops cleanly and writes nothing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any

import numpy as np

from workbench.commands._args import file_name
from workbench.core.errors import WorkbenchError, printable
from workbench.core.memory_ceiling import memory_for
from workbench.core.param_args import add_param_arguments, params_from_args
from workbench.core.progress import ProgressEvent
from workbench.core.registry import default_registry
from workbench.data.dataset import Dataset

if TYPE_CHECKING:
    from workbench.evaluation.test_options import TestOptions


def add_arguments(parser: argparse.ArgumentParser) -> None:
    # Written by hand to show which test options exclude each other; it must name every
    # option below (tests/test_cli_classify_usage.py checks that it does).
    parser.usage = ("workbench classify -t TRAIN [-T TEST] [-c CLASS]\n"
                    "       [-x FOLDS | -split-percentage P [-preserve-order] | -no-cv] "
                    "[-s SEED] [--runs N]\n"
                    "       [-d MODEL_OUT] [-l MODEL_IN] [--json] [--predictions CSV] "
                    "[--dynamics CSV]\n"
                    "       [-o] [-k] [-m COST_FILE] [--progress | --no-progress]\n"
                    "       CLASSIFIER [parameters]")
    data = parser.add_argument_group("data")
    data.add_argument("-t", dest="train", metavar="TRAIN", type=file_name,
                      help="training data file (ARFF or CSV), or a bundled dataset's name "
                           "such as iris")
    data.add_argument("-T", dest="test", metavar="TEST", type=file_name,
                      help="test data file (or a bundled dataset's name); without it a "
                           "cross-validation is run")
    data.add_argument("-c", dest="class_index", metavar="CLASS", default=None,
                      help="class attribute: 1-based index, 'first', 'last' or a name "
                           "(default: last)")
    test = parser.add_argument_group("test option")
    test.add_argument("-x", "--folds", dest="folds", type=int, default=None, metavar="FOLDS",
                      help="number of cross-validation folds (default: 10)")
    test.add_argument("-split-percentage", "--split-percentage", dest="split", type=float,
                      default=None, metavar="P",
                      help="train on P%% of the data and test on the rest")
    test.add_argument("-preserve-order", "--preserve-order", dest="preserve_order",
                      action="store_true", help="do not shuffle before a percentage split")
    test.add_argument("-no-cv", "--no-cv", dest="no_cv", action="store_true",
                      help="no cross-validation: evaluate on the training data (with "
                           "-split-percentage, the split is run, as in WEKA)")
    test.add_argument("-s", "--seed", dest="seed", type=int, default=1, metavar="SEED",
                      help="random seed for cross-validation and split (default: 1)")
    test.add_argument("--runs", type=int, default=1, metavar="N",
                      help="repeat the cross-validation or split with seeds SEED..SEED+N-1")
    model = parser.add_argument_group("models")
    model.add_argument("-d", dest="model_out", metavar="MODEL_OUT", type=file_name,
                       help="save the model trained on all training data, as soon as "
                            "it is trained (before the folds, as WEKA)")
    model.add_argument("-l", dest="model_in", metavar="MODEL_IN", type=file_name,
                       help="load a trained model and evaluate it on the test file (-T)")
    out = parser.add_argument_group("output")
    out.add_argument("--json", action="store_true", help="print one JSON object, no report")
    out.add_argument("--predictions", metavar="CSV", type=file_name,
                     help="write every test prediction to this CSV file")
    out.add_argument("--dynamics", metavar="CSV", type=file_name,
                     help="record the final model's training dynamics (network learners; "
                     "every 10 steps unless record_dynamics says otherwise) and write "
                     "them to this CSV, histograms beside it in NAME.histograms.csv (both or "
                     "neither; a file there that an earlier run did not write is "
                     "refused before training, never replaced)")
    out.add_argument("-o", dest="no_model", action="store_true",
                     help="statistics only: leave the classifier model out of the report")
    out.add_argument("-k", dest="complexity", action="store_true",
                     help="also print the information-theoretic (entropy) statistics")
    out.add_argument("-m", dest="cost_matrix", metavar="COST_FILE", type=file_name,
                     help="cost matrix file, WEKA's: a line 'N N', then N rows of N costs "
                          "(or [0 1; 5 0]); rows actual, columns predicted, N the number "
                          "of class values; %% starts a comment")
    out.add_argument("--progress", dest="progress", action="store_true", default=None,
                     help="show the progress bar even when stderr is not a terminal")
    out.add_argument("--no-progress", dest="progress", action="store_false",
                     help="never show the progress bar")
    parser.add_argument("classifier", nargs="?", metavar="CLASSIFIER",
                        help="classifier name or WEKA alias (see: workbench list classifiers)")
    parser.add_argument("classifier_args", nargs=argparse.REMAINDER,
                        help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    saved: list[str] = []   # the model file, once -d has written it
    try:
        return _classify(args, saved)
    except BaseException as error:
        if saved and not isinstance(error, SystemExit):
            # the error follows; the model before it was written, as WEKA's -d
            print(f"workbench: the model was saved to {printable(saved[0])} before the "
                  f"evaluation; what came after it failed", file=sys.stderr)
        raise


def _classify(args: argparse.Namespace, saved: list[str]) -> int:
    from workbench.evaluation import evaluate, write_predictions_csv

    registry = default_registry()
    classifier, loaded = _make_classifier(args, registry)
    if args.model_in and classifier is None:
        classifier = loaded
    if classifier is None:
        raise WorkbenchError("name a classifier after the options, e.g. "
                             "'workbench classify -t iris.arff knn -K 3' "
                             "(see: workbench list classifiers)")
    _check_option_combination(args)
    options = test_options(args)  # before any file is read: a bad -x fails at once
    _check_outputs(args)          # and outputs written after the work, before it starts
    train = _load(args.train, args.class_index) if args.train else None
    test = _load(args.test, args.class_index) if args.test else None
    if test is not None and train is not None:
        why = train.header_matches(test)
        if why is not None:
            raise WorkbenchError(f"train and test file are not compatible: {why}")
    option = options.option(test)
    if train is not None:
        data = train
    elif test is not None:
        data = test.header()
    else:   # _check_option_combination refused this already
        raise WorkbenchError("no training file given (-t), and no test file (-T)")
    cost = _read_cost_matrix(args.cost_matrix, data) if args.cost_matrix else None
    try:   # here, to name the file: the data's relation is often the same in every file
        option.validate(data)
    except WorkbenchError as error:
        raise WorkbenchError(f"{printable(args.train or args.test)}: {error}") from None

    from workbench.classifiers.base import HeaderMismatchError

    bar = ProgressBar(sys.stderr, enabled=args.progress)

    def save(model: Any) -> None:
        """Save the full-data model (``-d``) as soon as it is trained, before the folds,
        as WEKA does: a model too large to save fails before a long cross-validation,
        and Ctrl-C during the folds keeps it."""
        bar.clear()
        model.save(args.model_out)
        saved.append(args.model_out)

    built = save if args.model_out else None
    # Under the memory ceiling, as a flow node runs (core/memory_ceiling.py): settings
    # no estimate foresaw end as our error naming the step, not in the OOM killer.
    step = f"training and testing {classifier.name}"
    try:
        if args.dynamics and option.mode in ("cross_validation", "split"):
            with memory_for(step):
                evaluation = _evaluate_recording_final_model_only(classifier, data, option,
                                                                  bar, cost, built)
        else:
            try:
                with memory_for(step):
                    evaluation = evaluate(classifier, data, option, progress=bar,
                                          model=loaded, cost_matrix=cost, model_built=built)
            except HeaderMismatchError as error:
                if loaded is None or args.test is None:
                    raise
                raise HeaderMismatchError(f"the model {printable(args.model_in)} cannot "
                                          f"test {printable(args.test)}: {error}") from None
    except KeyboardInterrupt:
        bar.clear()
        written = (f"the model was saved to {printable(saved[0])} before the "
                   f"evaluation, nothing else was written") if saved else \
            "nothing was written"
        print(f"workbench: stopped by Ctrl-C; {written}", file=sys.stderr)
        return 130
    finally:
        bar.clear()

    if train is None and test is not None:
        evaluation.dataset = test  # "Run information" describes the data actually used
    if args.model_out and not saved:
        if evaluation.model is None:
            raise WorkbenchError("no model was trained, so there is nothing to save (-d)")
        evaluation.model.save(args.model_out)
    if args.predictions:
        write_predictions_csv(evaluation.results, args.predictions)
    if args.dynamics:
        _write_dynamics(evaluation.model, args.dynamics)
    if args.json:
        print(json.dumps(evaluation.to_json(), indent=2))
    else:
        sys.stdout.write(evaluation.report(with_model=not args.no_model,
                                           complexity=args.complexity))
    return 0


def _make_classifier(args: argparse.Namespace, registry: Any) -> tuple[Any, Any]:
    """The configured classifier from its name and parameters, and a loaded model (-l)."""
    loaded = None
    if args.model_in:
        from workbench.classifiers import load_model

        loaded = load_model(args.model_in)
    if args.classifier is None:
        if args.classifier_args:
            raise WorkbenchError(f"unexpected arguments: {' '.join(args.classifier_args)}")
        return None, loaded
    info = registry.get("classifier", args.classifier)
    sub = argparse.ArgumentParser(
        prog=f"workbench classify [options] {info.name}",
        description=f"{info.display_name}: {info.description}",
        epilog="General options (-t, -T, -x, -s, ...) go before the classifier name.")
    add_param_arguments(sub, info.params)
    parsed, extra = sub.parse_known_args(args.classifier_args)
    if extra:
        _late_output_flags(args, extra, sub)
    given = params_from_args(parsed, info.params)
    if args.dynamics:
        given = _recording_dynamics(given, info, args)
    classifier = info.create(**given)
    if loaded is not None and type(loaded) is not type(classifier):
        raise WorkbenchError(f"the model in {args.model_in} is a {loaded.name}, "
                             f"not a {info.name}")
    return classifier, loaded


def _late_output_flags(args: argparse.Namespace, extra: list[str],
                       sub: argparse.ArgumentParser) -> None:
    """Accept the long output flags after the classifier's parameters too (people type
    ``... knn -K 3 --json``); anything else there is an error of the classifier's."""
    late = argparse.ArgumentParser(add_help=False)
    late.add_argument("--json", action="store_true", default=None)
    late.add_argument("--predictions", default=None)
    late.add_argument("--dynamics", default=None)
    late.add_argument("--progress", dest="progress", action="store_true", default=None)
    late.add_argument("--no-progress", dest="progress", action="store_false")
    found, rest = late.parse_known_args(extra)
    if rest:
        sub.error(f"unrecognized arguments: {' '.join(rest)}")
    for name in ("json", "predictions", "progress", "dynamics"):
        value = getattr(found, name)
        if value is not None:
            setattr(args, name, value)


def test_options(args: argparse.Namespace) -> TestOptions:
    """The declared test options the flags ask for (``-T``, ``-split-percentage``,
    ``-no-cv`` or ``-x``), refused in the words every other front uses."""
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
    return TestOptions(**values)


def _recording_dynamics(given: dict[str, Any], info: Any,
                        args: argparse.Namespace) -> dict[str, Any]:
    """The classifier's parameters with dynamics recorded (every 10 steps unless the
    user chose a step count), refusing learners that have none to record."""
    if args.model_in:
        raise WorkbenchError("--dynamics records a model while it trains; a model loaded "
                             "with -l is not trained again")
    if "record_dynamics" not in {param.name for param in info.params}:
        raise WorkbenchError(f"{info.name} records no training dynamics (--dynamics works "
                             f"with the network learners: mlp, cnn, rnn, dbn)")
    if not given.get("record_dynamics"):
        given = {**given, "record_dynamics": 10}
    return given


def _evaluate_recording_final_model_only(classifier: Any, data: Any, option: Any,
                                         bar: ProgressBar, cost: Any,
                                         built: Callable[[Any], None] | None) -> Any:
    """``evaluate`` where only the full-data model records its training dynamics: it is
    the one ``--dynamics`` writes, and recording in every fold model too cost time and
    memory for records thrown away. The run information still names the scheme as
    given (with its record_dynamics) and the build time is the final model's; ``built``
    is called with that model before the folds, as ``evaluate``'s ``model_built``."""
    import time

    from workbench.evaluation import evaluate
    from workbench.evaluation.evaluate import scheme_text

    start = time.perf_counter()
    model = classifier.clone().fit(data, bar)
    build_time = time.perf_counter() - start
    if built is not None:
        built(model)
    folds = classifier.clone().set_params(record_dynamics=0)
    evaluation = evaluate(folds, data, option, progress=bar, model=model, cost_matrix=cost)
    evaluation.scheme = scheme_text(classifier)
    evaluation.build_time = build_time
    return evaluation


def _check_outputs(args: argparse.Namespace) -> None:
    """Refuse before any training what could not be written after it: a model
    (``-d``), ``--predictions`` or ``--dynamics`` file in a missing or read-only folder,
    a file of the user's that ``-d`` or ``--predictions`` would replace (only an earlier
    run's model or predictions, or an empty file, is replaced: ``output_files``), or
    one at the name the dynamics' histograms take (``check_csv_targets`` says why that
    is refused rather than replaced)."""
    from workbench.commands.output_files import check_model_output, check_predictions_output
    from workbench.engine.dynamics import check_csv_targets

    if args.model_out:
        check_model_output(args.model_out)
    if args.predictions:
        check_predictions_output(args.predictions)
    if args.dynamics:
        check_csv_targets(args.dynamics)


def _write_dynamics(model: Any, path: str) -> None:
    dynamics = getattr(model, "dynamics_", None)
    if dynamics is None or not dynamics.records:
        raise WorkbenchError(f"the final model recorded no training dynamics, so {path} "
                             f"was not written")
    dynamics.to_csv(path)


def _check_option_combination(args: argparse.Namespace) -> None:
    """Refuse what WEKA refuses, with its reasons."""
    if not args.train and not (args.model_in and args.test):
        raise WorkbenchError("no training file given (-t), and no model (-l) with a test "
                             "file (-T)")
    if args.model_in and not args.test:
        raise WorkbenchError("a loaded model (-l) is evaluated on a test file: give -T")
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


def _load(path: str, class_spec: str | None) -> Dataset:
    from workbench.data.catalog import resolve_data_path
    from workbench.data.io import load_dataset

    dataset = load_dataset(resolve_data_path(path))
    if dataset.num_attributes == 0:
        raise WorkbenchError(f"{path}: the file declares no attributes")
    return dataset.with_class(_class_index(class_spec, dataset, path))


def _class_index(spec: str | None, dataset: Dataset, path: str) -> int:
    """WEKA's ``-c``: 1-based index, 'first' or 'last'; we also accept a name."""
    if spec is None or spec.lower() == "last":
        return dataset.num_attributes - 1
    if spec.lower() == "first":
        return 0
    if spec.lstrip("-").isdecimal():
        index = int(spec)
        if not 1 <= index <= dataset.num_attributes:
            raise WorkbenchError(f"{path}: class index {index} is outside "
                                 f"1..{dataset.num_attributes}")
        return index - 1
    if not any(a.name == spec for a in dataset.attributes):
        # The file, not the relation inside it (often the same in every file).
        raise WorkbenchError(f"{path}: there is no attribute named '{spec}' to use as "
                             f"the class (attributes: "
                             f"{', '.join(a.name for a in dataset.attributes)})")
    return dataset.index_of(spec)


def _read_cost_matrix(path: str, data: Dataset) -> np.ndarray:
    """The ``-m`` file, read like a data file and sized to the class before any training
    (WEKA's cost file ``N N`` then rows, or ``[a b; c d]``; see ``cost_file``)."""
    from workbench.evaluation.cost_file import read_cost_matrix

    target = data.class_attribute
    if target is None or not target.is_nominal:
        raise WorkbenchError("a cost matrix (-m) needs a nominal class: "
                             + ("there is no class" if target is None else
                                f"class attribute '{target.name}' is numeric"))
    return read_cost_matrix(path, target.num_values, target.name)


class ProgressBar:
    """A one-line progress bar on a terminal stream, redrawn only when it changes.

    Enabled by default only when the stream is a terminal, so logs and pipes stay clean.
    """

    def __init__(self, stream: IO[str], enabled: bool | None = None, width: int = 30) -> None:
        self.stream = stream
        self.enabled = stream.isatty() if enabled is None else enabled
        self.width = width
        self.shown = ""
        self.started = time.monotonic()

    def __call__(self, event: ProgressEvent) -> None:
        if not self.enabled:
            return
        fraction = min(max(event.fraction or 0.0, 0.0), 1.0)
        filled = round(fraction * self.width)
        bar = "#" * filled + "-" * (self.width - filled)
        elapsed = time.monotonic() - self.started
        columns = shutil.get_terminal_size((80, 20)).columns
        line = f"[{bar}] {fraction * 100:5.1f}% {elapsed:6.1f}s {event.message}"
        line = line[:max(columns - 1, 10)]
        if line != self.shown:
            self.stream.write("\r" + line.ljust(len(self.shown)))
            self.stream.flush()
            self.shown = line

    def clear(self) -> None:
        if self.enabled and self.shown:
            self.stream.write("\r" + " " * len(self.shown) + "\r")
            self.stream.flush()
            self.shown = ""
