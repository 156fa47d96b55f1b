"""The experiment definition: what to compare, on what, and how to resample.

An experiment is data a user writes and shares (JSON), so every mistake in it must be
reported in the user's words, naming the file and the entry, before hours of runs start:
an unknown classifier, a parameter out of range, a dataset that is not there, two
classifiers with the same label. Validation therefore builds each classifier once and
resolves each dataset here, not in the workers; ``validate_for_run`` then loads each
dataset once and checks what only the data can tell (a class attribute, at least as many
instances as folds) before the results file is made. Folds, percentage and seed are
the declared test options' (``evaluation.test_options``), bounded and refused as on the
command line and in the Explorer; repetitions are bounded too (``MAX_REPETITIONS``), and
runs are generated lazily, so a spec asking for 10^12 repetitions is refused instead of
expanding into gigabytes.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from workbench.core.atomic import atomic_write
from workbench.core.errors import DataFormatError, ParameterError, WorkbenchError, printable
from workbench.core.jsonfile import read_json
from workbench.data.catalog import bundled_names, bundled_path
from workbench.evaluation.experiment.measures import MEASURES, measure_names
from workbench.evaluation.test_options import MAX_RUNS, TestOptions

SPEC_VERSION = 1
Method = Literal["cross_validation", "split"]
# WEKA's Experimenter defaults to 10 repetitions of 10 folds; the test options' bounds
# are far above any real experiment and far below what would take forever to enumerate.
MAX_REPETITIONS = MAX_RUNS


class ExperimentFileError(DataFormatError):
    """An experiment file (or its results' record) cannot be read as JSON."""


#: The measures an experiment records when its file names none (WEKA's Experimenter
#: shows percent correct, kappa and RMSE first); the window's New starts with them too.
DEFAULT_METRICS: tuple[str, ...] = ("accuracy", "kappa", "rmse")


@dataclass(frozen=True)
class ClassifierSpec:
    """One compared learner: a registry short name, its parameters, and a unique label."""

    name: str
    params: dict[str, Any] = field(default_factory=dict)
    label: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "params": dict(self.params), "label": self.label}


@dataclass(frozen=True)
class Resampling:
    """WEKA's Experimenter setups: repeated k-fold CV, or a repeated percentage split,
    randomized (stratified, as WEKA's RandomSplitResultProducer) or in the file's order
    (``randomize`` false: WEKA's "order preserved", the same split every repetition)."""

    method: Method = "cross_validation"
    folds: int = 10
    percent: float = 66.0
    randomize: bool = True

    @property
    def folds_per_repetition(self) -> int:
        return self.folds if self.method == "cross_validation" else 1

    def to_dict(self) -> dict[str, Any]:
        if self.method == "cross_validation":
            return {"method": self.method, "folds": self.folds}
        # ``randomize`` always written: a split's record without it is one made before
        # the split was WEKA's Experimenter's, whose rows a resume must not extend.
        return {"method": self.method, "percent": self.percent,
                "randomize": self.randomize}


@dataclass(frozen=True)
class ExperimentSpec:
    """A whole experiment. ``datasets`` hold bundled names or paths (relative paths are
    taken from the spec file's folder); repetition ``r`` (1-based) uses seed
    ``seed + r - 1``, which with the default seed 1 is WEKA's run number."""

    datasets: tuple[str, ...]
    classifiers: tuple[ClassifierSpec, ...]
    resampling: Resampling = Resampling()
    repetitions: int = 10
    seed: int = 1
    metrics: tuple[str, ...] = DEFAULT_METRICS
    base_dir: str = field(default=".", compare=False)

    @property
    def total_runs(self) -> int:
        return (len(self.datasets) * len(self.classifiers) * self.repetitions
                * self.resampling.folds_per_repetition)

    def dataset_label(self, ref: str) -> str:
        return dataset_label(ref)

    def dataset_location(self, ref: str) -> str:
        """What a worker loads: a bundled name as is, a path made absolute."""
        if ref in bundled_names():
            return ref
        path = Path(ref)
        if not path.is_absolute():
            path = Path(self.base_dir) / path
        return str(path.resolve())

    def to_dict(self) -> dict[str, Any]:
        return {"version": SPEC_VERSION, "datasets": list(self.datasets),
                "classifiers": [c.to_dict() for c in self.classifiers],
                "resampling": self.resampling.to_dict(), "repetitions": self.repetitions,
                "seed": self.seed, "metrics": list(self.metrics)}

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the spec as JSON, atomically."""
        write_json_atomic(Path(path), self.to_dict())


def dataset_label(ref: str) -> str:
    """The name a dataset goes by in the results table: bundled name or file stem."""
    if ref in bundled_names():
        return ref
    name = Path(ref).name
    for suffix in (".gz", ".arff", ".csv"):
        name = name.removesuffix(suffix)
    return name


def load_spec(path: str | os.PathLike[str]) -> ExperimentSpec:
    """Read and validate an experiment file; errors name the file and the entry."""
    data = read_json(path, ExperimentFileError, what="an experiment file in JSON")
    path = Path(path)
    return spec_from_dict(data, source=str(path), base_dir=str(path.parent))


def spec_from_dict(data: Any, *, source: str = "<experiment>",
                   base_dir: str = ".") -> ExperimentSpec:
    """Build and validate a spec from parsed JSON (``source`` names it in messages)."""

    def fail(message: str) -> WorkbenchError:
        return WorkbenchError(f"{printable(source)}: {message}")

    if not isinstance(data, dict):
        raise fail("an experiment must be a JSON object")
    known = {"version", "datasets", "classifiers", "resampling", "repetitions", "seed",
             "metrics"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise fail(f"unknown key(s) {', '.join(map(repr, unknown))} "
                   f"(expected {', '.join(sorted(known))})")
    version = data.get("version", SPEC_VERSION)
    if version != SPEC_VERSION:
        raise fail(f"experiment version {version!r} is not supported (expected "
                   f"{SPEC_VERSION})")
    datasets = _datasets(data.get("datasets"), fail, base_dir)
    classifiers = _classifiers(data.get("classifiers"), fail)
    resampling = _resampling(data.get("resampling", {}), fail)
    repetitions = _int(data.get("repetitions", 10), "repetitions", 1, fail,
                       MAX_REPETITIONS)
    seed = _test_option("seed", data.get("seed", 1), fail)
    try:  # repetition r uses seed + r - 1: the last one must still be a seed
        TestOptions(seed=seed, runs=repetitions)
    except ParameterError as exc:
        raise fail(str(exc)) from None
    metrics = data.get("metrics", list(DEFAULT_METRICS))
    if (not isinstance(metrics, list) or not metrics
            or not all(isinstance(m, str) for m in metrics)):
        raise fail("'metrics' must be a non-empty list of names")
    for metric in metrics:
        if metric not in MEASURES:
            raise fail(f"unknown metric '{metric}' (expected one of "
                       f"{', '.join(measure_names())})")
    if len(set(metrics)) != len(metrics):
        raise fail("'metrics' lists a metric twice")
    return ExperimentSpec(tuple(datasets), tuple(classifiers), resampling, repetitions,
                          seed, tuple(metrics), base_dir)


def _int(value: Any, key: str, low: int | None, fail: Any, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail(f"'{key}' must be an integer, got {_short(value)}")
    if low is not None and value < low:
        raise fail(f"'{key}' must be at least {low}, got {_short(value)}")
    if high is not None and value > high:
        raise fail(f"'{key}' must be at most {high}, got {_short(value)}")
    return value


def _short(value: Any) -> str:
    """A value from the file as a message shows it: its repr, cut short."""
    return _clip(repr(value))


def _clip(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def _datasets(value: Any, fail: Any, base_dir: str) -> list[str]:
    if not isinstance(value, list) or not value:
        raise fail("'datasets' must be a non-empty list of bundled names or paths")
    labels: dict[str, str] = {}
    probe = ExperimentSpec((), (), base_dir=base_dir)
    for i, ref in enumerate(value):
        if not isinstance(ref, str) or not ref or "\x00" in ref:
            raise fail(f"datasets[{i}] must be a bundled name or a path, got {_short(ref)}")
        if ref in bundled_names():
            bundled_path(ref)  # raises when the bundled file is missing
        elif not Path(probe.dataset_location(ref)).is_file():
            shown = printable(ref)
            if Path(probe.dataset_location(ref)).exists():   # /dev/zero, a FIFO, a folder
                raise fail(f"datasets[{i}]: '{shown}' is not a regular file (a device, "
                           f"FIFO or folder is never read)")
            raise fail(f"datasets[{i}]: '{shown}' is neither a bundled dataset nor an "
                       f"existing file (bundled: {', '.join(bundled_names())})")
        label = probe.dataset_label(ref)
        if label in labels:
            raise fail(f"datasets[{i}]: '{printable(ref)}' has the same name "
                       f"'{printable(label)}' as '{printable(labels[label])}'")
        labels[label] = ref
    return list(value)


def _classifiers(value: Any, fail: Any) -> list[ClassifierSpec]:
    from workbench.core.registry import default_registry

    if not isinstance(value, list) or not value:
        raise fail("'classifiers' must be a non-empty list")
    registry = default_registry()
    out: list[ClassifierSpec] = []
    for i, entry in enumerate(value):
        if isinstance(entry, str):
            entry = {"name": entry}
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise fail(f"classifiers[{i}] must be a name or an object with a 'name'")
        extra = sorted(set(entry) - {"name", "params", "label"})
        if extra:
            raise fail(f"classifiers[{i}]: unknown key(s) {', '.join(map(repr, extra))}")
        params = entry.get("params", {})
        if not isinstance(params, dict):
            raise fail(f"classifiers[{i}]: 'params' must be an object")
        try:
            classifier = registry.create("classifier", entry["name"], **params)
            check = getattr(classifier, "check_configuration", None)
            if callable(check):  # e.g. a scikit-learn class path: resolved now
                check()
        except WorkbenchError as exc:
            raise fail(f"classifiers[{i}] ('{_clip(entry['name'])}'): {exc}") from exc
        except (TypeError, ValueError, OverflowError) as exc:
            raise fail(f"classifiers[{i}] ('{_clip(entry['name'])}'): the parameters "
                       f"are malformed: {exc}") from exc
        label = entry.get("label") or _default_label(classifier)
        if not isinstance(label, str):
            raise fail(f"classifiers[{i}]: 'label' must be a string")
        if any(c.label == label for c in out):
            raise fail(f"classifiers[{i}]: label '{label}' is used twice; give each "
                       f"classifier a distinct 'label'")
        out.append(ClassifierSpec(classifier.name, dict(params), label))
    return out


def _default_label(classifier: Any) -> str:
    from workbench.evaluation.experiment.names import made_up_label

    return made_up_label(classifier)


def _resampling(value: Any, fail: Any) -> Resampling:
    if not isinstance(value, dict):
        raise fail("'resampling' must be an object")
    method = value.get("method", "cross_validation")
    if not isinstance(method, str) or method not in ("cross_validation", "split"):
        raise fail(f"resampling method must be 'cross_validation' or 'split', "
                   f"got {_short(method)}")
    allowed = ({"method", "folds"} if method == "cross_validation"
               else {"method", "percent", "randomize"})
    extra = sorted(set(value) - allowed)
    if extra:
        raise fail(f"resampling: unknown key(s) {', '.join(map(repr, extra))} for "
                   f"{method}")
    if method == "cross_validation":
        return Resampling("cross_validation", folds=_test_option(
            "folds", value.get("folds", 10), fail, "resampling: "))
    randomized = value.get("randomize", True)
    if not isinstance(randomized, bool):
        raise fail(f"resampling: 'randomize' must be true or false, got "
                   f"{_short(randomized)}")
    return Resampling("split", percent=_test_option("percent", value.get("percent", 66.0),
                                                    fail, "resampling: "),
                      randomize=randomized)


def _test_option(name: str, value: Any, fail: Any, where: str = "") -> Any:
    """A value checked by the declared test options, so a spec file, the command line,
    the Explorer and a flow allow the same folds, percentages and seeds."""
    if isinstance(value, str):  # a JSON number, not text that looks like one
        raise fail(f"{where}'{name}' must be a number, got {_short(value)}")
    try:
        return TestOptions.param(name).validate(value)
    except ParameterError as exc:
        raise fail(f"{where}{exc}") from None


def validate_for_run(spec: ExperimentSpec, *, source: str = "<experiment>") -> None:
    """What only the data can tell, checked before any run starts (and before a results
    file is made): every dataset loads, has a class attribute, has at least as many
    instances as folds (a split leaves instances on both sides), and every classifier
    can learn from its kind of attributes and class (NaiveBayes refuses a numeric class:
    its first run would fail after the others had started). Values (missing, infinite)
    are left to the runs: a split's training part may not hold them."""
    from workbench.core.registry import default_registry
    from workbench.evaluation.experiment.runs import load_run_dataset

    registry = default_registry()
    learners = [registry.create("classifier", clf.name, **clf.params)
                for clf in spec.classifiers]
    for i, ref in enumerate(spec.datasets):
        try:
            data = load_run_dataset(spec.dataset_location(ref))
        except WorkbenchError as exc:
            raise WorkbenchError(f"{source}: datasets[{i}] ('{ref}'): {exc}") from None
        where = f"{source}: datasets[{i}] ('{ref}')"
        if data.class_attribute is None:
            raise WorkbenchError(f"{where} has no class attribute")
        if data.num_instances == 0:
            raise WorkbenchError(f"{where} has no instances")
        sampling = spec.resampling
        try:
            TestOptions(mode=sampling.method, folds=sampling.folds,
                        percent=sampling.percent).check(data)
        except WorkbenchError as exc:
            raise WorkbenchError(f"{where}: {exc}") from None
        header = data.header()  # no rows: the kinds of attributes and class only
        for j, (clf, learner) in enumerate(zip(spec.classifiers, learners, strict=True)):
            problems = learner.capabilities.problems(header, learner.title)
            if problems:
                raise WorkbenchError(f"{where}: classifiers[{j}] ('{clf.label}'): "
                                     f"{problems[0]}")


def write_json_atomic(path: Path, data: Any) -> None:
    """JSON to ``path`` through a temporary file and a rename, so no reader sees half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path) as fh:
        json.dump(data, fh, indent=2)
        fh.write("\n")
