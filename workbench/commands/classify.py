"""``workbench classify``: WEKA's command-line evaluation, with WEKA's flags and report.

    workbench classify -t TRAIN [-T TEST] [-x FOLDS | -split-percentage P [-preserve-order]
                       | -no-cv] [-s SEED] [-c CLASS] [-d MODEL_OUT] [-l MODEL_IN]
                       [--json] [--predictions CSV] CLASSIFIER [classifier parameters]

Flag letters are WEKA's where WEKA has one, with WEKA's defaults (10 folds, seed 1, the
last attribute as class); ``_classify_options`` declares them and reads them on either
side of the classifier's name. The classifier's own parameters follow its name and come
from its declaration (``workbench classify knn --help`` lists them). The report is
WEKA's command line's (``evaluation/cli_report.py``). A progress bar goes to the
terminal's stderr during long evaluations; Ctrl-C stops cleanly and writes nothing.
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import sys
import time
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any

import numpy as np

from workbench.commands._classify_options import (
    WEKA_OPTIONS_NOT_OFFERED,
    add_arguments,
    check_option_combination,
    parse_classifier_args,
    test_options,
)
from workbench.commands._stdio import (
    is_stdio,
    refuse_one_stdin,
    refuse_one_stdout,
    refuse_stdio,
    refuse_terminal_for_binary,
    shown_name,
    spooled_output,
    write_stdout,
)
from workbench.core.errors import WorkbenchError, printable
from workbench.core.memory_ceiling import memory_for
from workbench.core.progress import ProgressEvent
from workbench.core.registry import UnknownComponentError, default_registry
from workbench.data.dataset import Dataset

if TYPE_CHECKING:
    from workbench.evaluation.evaluate import Evaluation

__all__ = ["WEKA_OPTIONS_NOT_OFFERED", "ProgressBar", "add_arguments", "run",
           "test_options"]


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
    from workbench.evaluation.report import predictions_csv_text
    from workbench.evaluation.test_options import TooFewInstancesError

    registry = default_registry()
    classifier, loaded, typed = _make_classifier(args, registry)   # -l - refused there
    if loaded is not None:
        # The loaded model is what is tested, so it is what the Scheme line names ("IBk
        # -K 3"), with or without its name typed (_make_classifier checked the type).
        classifier = loaded
    if classifier is None:
        raise WorkbenchError("name a classifier after the options, e.g. "
                             "'workbench classify -t iris.arff knn -K 3' "
                             "(see: workbench list classifiers)")
    check_option_combination(args)
    options = test_options(args)  # before any file is read: a bad -x fails at once
    _check_outputs(args)          # and outputs written after the work, before it starts
    encoding = getattr(args, "encoding", None)
    train = _load(args.train, args.class_index, encoding) if args.train else None
    test = _load(args.test, args.class_index, encoding) if args.test else None
    # With '-' for -d or --predictions, standard output carries that file alone and
    # the report (or the JSON) goes to stderr, as tar's listing does beside "-f -".
    report_to = sys.stderr if is_stdio(args.model_out) or is_stdio(args.predictions) \
        else sys.stdout
    if test is not None and train is not None and not _maps_input(classifier):
        why = train.header_matches(test)
        if why is not None:
            from workbench.evaluation.evaluate import scheme_text

            raise WorkbenchError(f"train and test file are not compatible: {why}; to "
                                 f"map the test file onto the training file by attribute "
                                 f"name, wrap the classifier: InputMappedClassifier -W "
                                 f"{shlex.quote(scheme_text(classifier))}")
    option = options.option(test)
    if train is not None:
        data = train
    elif test is not None:
        data = test.header()
    else:   # check_option_combination refused this already
        raise WorkbenchError("no training file given (-t), and no test file (-T)")
    cost = _read_cost_matrix(args.cost_matrix, data) if args.cost_matrix else None
    # named by its file: the data's relation is often the same in every file
    try:
        option.validate(data, name=printable(shown_name(args.train or args.test)),
                        trains=loaded is None)
    except TooFewInstancesError as error:
        raise error.way_out(f"use -x {error.instances} (or fewer folds), -no-cv to test "
                            f"on the training data, or -T FILE") from None

    from workbench.classifiers.base import HeaderMismatchError

    bar = ProgressBar(sys.stderr, enabled=args.progress)

    def save(model: Any) -> None:
        """Save the full-data model (``-d``) as soon as it is trained, before the folds,
        as WEKA does: a model too large to save fails before a long cross-validation,
        and Ctrl-C during the folds keeps it."""
        bar.clear()
        _save_model(model, args.model_out)
        saved.append(_output_name(args.model_out))

    built = save if args.model_out else None
    # Under the memory ceiling, as a flow node runs (core/memory_ceiling.py): settings
    # no estimate foresaw end as our error naming the step, not in the OOM killer.
    step = f"training and testing {classifier.name}"
    start = time.perf_counter()
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
        took = time.perf_counter() - start - evaluation.build_time
        training = None
        if train is not None and not (args.no_training_statistics or args.json):
            with memory_for(step):
                training = _on_training_data(evaluation, train, cost)
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
        _save_model(evaluation.model, args.model_out)
    if is_stdio(args.predictions):
        write_stdout(predictions_csv_text(evaluation.results).encode("utf-8"))
    elif args.predictions:
        write_predictions_csv(evaluation.results, args.predictions)
    if args.dynamics:
        _write_dynamics(evaluation.model, args.dynamics)
    if args.json:
        print(json.dumps(evaluation.to_json(), indent=2), file=report_to)
    else:
        from workbench.evaluation.cli_report import cli_report

        report_to.write(cli_report(evaluation, training, with_model=not args.no_model,
                                    complexity=args.complexity, seconds=took,
                                    options=typed, per_class=not args.no_per_class))
    return 0


def _on_training_data(evaluation: Evaluation, train: Dataset,
                      cost: np.ndarray | None) -> Evaluation | None:
    """The full-data model tested on its training data: WEKA's "Error on training data",
    printed before the test's own statistics unless ``-v`` (None where the evaluation is
    on the training data already, or trained no full-data model)."""
    from workbench.evaluation import evaluate
    from workbench.evaluation.evaluate import TestOption

    if evaluation.option.mode == "training" or evaluation.model is None:
        return None
    return evaluate(evaluation.model, train, TestOption.training_set(),
                    model=evaluation.model, cost_matrix=cost)


def _maps_input(classifier: Any) -> bool:
    """True for an InputMappedClassifier, which takes a test file with another header."""
    from workbench.classifiers.input_mapped import InputMappedClassifier

    return isinstance(classifier, InputMappedClassifier)


def _make_classifier(args: argparse.Namespace, registry: Any) -> tuple[Any, Any, str]:
    """The configured classifier from its name and parameters, a loaded model (-l), and
    the parameters typed, as WEKA's "Options:" line shows them ("" for none).

    The words after the name are read first: general options among them (``-l`` too)
    count as if typed before it.
    """
    classifier = info = None
    typed = ""
    if args.classifier is not None:
        info = _classifier_info(registry, args.classifier)
        given = parse_classifier_args(args, info)
        typed = _options_text(info, given)
        if args.model_in and given:
            _refuse_options_for_loaded_model(args, info, given)
        if args.dynamics:
            given = _recording_dynamics(given, info, args)
        classifier = info.create(**given)
    loaded = None
    refuse_stdio(args.model_in, "-l", "a model is read from a file, not from standard "
                 "input: give its file name")
    if args.model_in:
        from workbench.classifiers import load_model
        from workbench.commands._refit_notice import RefitNotice

        # A scikit-learn model is fitted again on load: said when it takes a while.
        with RefitNotice(sys.stderr, enabled=args.progress) as notice:
            loaded = load_model(args.model_in, progress=notice)
    if loaded is not None and info is not None and type(loaded) is not type(classifier):
        raise WorkbenchError(f"the model in {args.model_in} is a {loaded.name}, "
                             f"not a {info.name}")
    return classifier, loaded, typed


def _options_text(info: Any, given: dict[str, Any]) -> str:
    """The parameters given, in the order they are declared, as a user writes them."""
    from workbench.core.names import option_text

    return " ".join(option_text(param, given[param.name]) for param in info.params
                    if param.name in given)


def _refuse_options_for_loaded_model(args: argparse.Namespace, info: Any,
                                     given: dict[str, Any]) -> None:
    """Refuse parameters typed with ``-l``: the model is tested as trained, so a -K 3
    there changed only the Scheme line, never the predictions (WEKA refuses them too:
    "Illegal options: -K 3")."""
    raise WorkbenchError(f"-l {args.model_in} loads a model trained already, so the "
                         f"options after {args.classifier} ({_options_text(info, given)}) "
                         f"would not change it: "
                         f"drop them, or train a new model with -t")


def _classifier_info(registry: Any, name: str) -> Any:
    """The registered classifier called ``name``; a WEKA learner we do not have is
    answered with the nearest one we do (``weka_names``)."""
    from workbench.classifiers.weka_names import nearest_learner, nearest_settings

    try:
        return registry.get("classifier", name)
    except UnknownComponentError as error:
        nearest = nearest_learner(name)
        if nearest is None:
            raise
        ours, differs = nearest
        settings = nearest_settings(name)
        example = f"{ours} {settings}" if settings else ours
        raise UnknownComponentError(
            f"no classifier called '{name}': WEKA's {name.rsplit('.', 1)[-1]} is not "
            f"here; the nearest is '{ours}' ({differs}), e.g. 'workbench classify -t "
            f"iris {example}'; 'workbench list classifiers' lists them all") from error


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
    from workbench.evaluation.evaluate import scheme_line, scheme_text

    start = time.perf_counter()
    model = classifier.clone().fit(data, bar)
    build_time = time.perf_counter() - start
    if built is not None:
        built(model)
    folds = classifier.clone().set_params(record_dynamics=0)
    evaluation = evaluate(folds, data, option, progress=bar, model=model, cost_matrix=cost)
    evaluation.scheme = scheme_text(classifier)
    evaluation.scheme_options = scheme_line(classifier)
    evaluation.build_time = build_time
    return evaluation


def _check_outputs(args: argparse.Namespace) -> None:
    """Refuse before any training what could not be written after it: a model
    (``-d``), ``--predictions`` or ``--dynamics`` file in a missing or read-only folder,
    a file of the user's that ``-d`` or ``--predictions`` would replace (only an earlier
    run's model or predictions, or an empty file, is replaced: ``_output_files``), or
    one at the name the dynamics' histograms take (``check_csv_targets`` says why that
    is refused rather than replaced)."""
    from workbench.commands._output_files import check_model_output, check_predictions_output
    from workbench.engine.dynamics import check_csv_targets

    refuse_stdio(args.cost_matrix, "-m", "the cost matrix is read from a file: give "
                 "its file name")
    refuse_stdio(args.dynamics, "--dynamics", "the dynamics are written with their "
                 "histograms beside them, two files: give a file name")
    refuse_one_stdin([("-t", args.train), ("-T", args.test)])
    refuse_one_stdout([("-d", args.model_out), ("--predictions", args.predictions)])
    if is_stdio(args.model_out):
        refuse_terminal_for_binary("-d", "model")
    elif args.model_out:
        check_model_output(args.model_out)
    if args.predictions and not is_stdio(args.predictions):
        check_predictions_output(args.predictions)
    if args.dynamics:
        check_csv_targets(args.dynamics)


def _write_dynamics(model: Any, path: str) -> None:
    dynamics = getattr(model, "dynamics_", None)
    if dynamics is None or not dynamics.records:
        raise WorkbenchError(f"the final model recorded no training dynamics, so {path} "
                             f"was not written")
    dynamics.to_csv(path)


def _load(typed: str, class_spec: str | None, encoding: str | None = None) -> Dataset:
    from workbench.commands._data_argument import read_data_argument

    read = read_data_argument(typed, encoding)
    dataset, path = read.dataset, read.shown
    if dataset.num_attributes == 0:
        raise WorkbenchError(f"{path}: the file declares no attributes")
    return dataset.with_class(_class_index(class_spec, dataset, path))


def _save_model(model: Any, target: str) -> None:
    """``-d``: the model to its file, or its bytes to standard output for ``-``."""
    if not is_stdio(target):
        model.save(target)
        return
    with spooled_output(".model") as path:
        model.save(path)
        write_stdout(path.read_bytes())


def _output_name(target: str) -> str:
    return "standard output" if is_stdio(target) else target


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
