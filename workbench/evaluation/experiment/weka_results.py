"""WEKA's Experimenter results as ARFF: its ``InstancesResultListener`` file, read and
written.

A WEKA user's experiments are ``results.arff`` files that WEKA's Experimenter wrote:
relation ``InstanceResultListener``, one row per run, keyed by ``Key_Dataset``,
``Key_Run``, ``Key_Fold`` (cross-validation only: a percentage split has none) and the
scheme (``Key_Scheme``, ``Key_Scheme_options``, ``Key_Scheme_version_ID``, which
together are one "result set" in WEKA's tester), then every number WEKA records.
``read_arff_results`` reads such a file into the table ``analyse`` and the Analyse tab
take, through the ARFF reader (its limits, its errors at file, line and column):
WEKA's columns for the numbers we record become ours (``Percent_correct`` is
``accuracy``, ``Number_of_training_instances`` is ``num_train``: ``measures``), the
others keep WEKA's names and can be compared too, as WEKA's Analyse tab offers them.
A scheme is labelled by its class's last part and its options ("J48 -C 0.25 -M 2"),
which a ``--baseline`` can name; WEKA's whole key when two would read alike.

``ArffLayout`` writes ours in the same layout, so WEKA's Analyse tab (or
``weka.experiment.PairedCorrectedTTester``) reads our runs: the same relation and
attribute names and types for the numbers we have, ``Key_Scheme`` a WEKA class where
ours is one (``knn`` is ``weka.classifiers.lazy.IBk``), our menu name otherwise,
``Key_Scheme_options`` our options as WEKA users write them (``-K 3``), and
``Key_Scheme_version_ID`` ``workbench``: WEKA's is a Java class's serialVersionUID,
which our classifiers have none of, and a version number would change between
releases and split one scheme into two result sets in a resumed table. Every
nominal value is known from the experiment before the first run (its datasets,
classifiers, repetitions and folds), so the header is written once and each run is
one line appended, as the CSV table is, and a stopped ARFF run resumes alike.
"""

from __future__ import annotations

import io
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench.core.errors import DataFormatError, WorkbenchError
from workbench.data.arff import arff_header_text, read_arff
from workbench.data.arff_header import parse_header
from workbench.data.arff_tokens import quote
from workbench.data.dataset import Attribute, AttributeType, Dataset
from workbench.evaluation.experiment.measures import weka_names
from workbench.evaluation.experiment.names import built_entries
from workbench.evaluation.experiment.resultsfile import table_text
from workbench.evaluation.experiment.runs import KEY_COLUMNS, RunKey
from workbench.evaluation.experiment.spec import ExperimentSpec

RELATION = "InstanceResultListener"   # sic: WEKA's relation name, without the "s"
DATASET, RUN, FOLD = "Key_Dataset", "Key_Run", "Key_Fold"
SCHEME, OPTIONS, VERSION = "Key_Scheme", "Key_Scheme_options", "Key_Scheme_version_ID"
#: What WEKA's tester needs of a results file: the dataset, the run, the scheme and the
#: sizes its corrected t-test divides.
REQUIRED = (DATASET, RUN, SCHEME, "Number_of_training_instances",
            "Number_of_testing_instances")
#: Columns that are neither keys nor numbers to compare (WEKA writes the date as a
#: number, yyyyMMdd.HHmm).
NOT_MEASURES = frozenset({DATASET, RUN, FOLD, SCHEME, OPTIONS, VERSION, "Date_time"})
OUR_VERSION_ID = "workbench"
EXPECTED = ("the CSV file that 'workbench experiment run' writes, or ARFF results as "
            "WEKA's Experimenter (InstancesResultListener) and 'workbench experiment run "
            "--out NAME.arff' write them, with attributes " + ", ".join(REQUIRED))

#: The WEKA class of each of our classifiers that implements one (registry name ->
#: class); the rest are named as our menus name them.
WEKA_CLASSES: dict[str, str] = {
    "naive-bayes": "weka.classifiers.bayes.NaiveBayes",
    "weka-logistic": "weka.classifiers.functions.Logistic",
    "voted-perceptron": "weka.classifiers.functions.VotedPerceptron",
    "weka-mlp": "weka.classifiers.functions.MultilayerPerceptron",
    "knn": "weka.classifiers.lazy.IBk",
    "adaboost": "weka.classifiers.meta.AdaBoostM1",
    "filtered": "weka.classifiers.meta.FilteredClassifier",
    "input-mapped": "weka.classifiers.misc.InputMappedClassifier",
    "zeror": "weka.classifiers.rules.ZeroR",
}

_ARFF_START = re.compile(rb"\A(?:\xef\xbb\xbf)?(?:[ \t]*(?:%[^\n]*)?\r?\n)*[ \t]*@")
_DATA_LINE = re.compile(rb"^[ \t]*@data\b", re.IGNORECASE | re.MULTILINE)
_LINE_BREAK = re.compile(rb"\r\n|\r|\n")


def is_arff_name(path: str | Path) -> bool:
    """Whether ``path`` names an ARFF results file (``.arff``, any case)."""
    return str(path).lower().endswith(".arff")


def looks_like_arff(raw: bytes | bytearray) -> bool:
    """Whether a results file's bytes are ARFF: its first line that is not blank or a
    ``%`` comment starts with ``@`` (``@relation``), which no CSV table's header does."""
    return _ARFF_START.match(bytes(raw[:1 << 16])) is not None


# Schemes ------------------------------------------------------------------------------
def weka_scheme(classifier: Any) -> tuple[str, str]:
    """``Key_Scheme`` and ``Key_Scheme_options`` of one of our classifiers: WEKA's class
    where ours is one, else our menu name; the options as the Experimenter window
    shows them (``scheme_text``: "IBk -K 3" gives ``-K 3``)."""
    from workbench.evaluation.evaluate import scheme_text

    shown, _, options = scheme_text(classifier).partition(" ")
    return WEKA_CLASSES.get(getattr(classifier, "name", ""), shown), options


def entry_schemes(entries: Iterable[Mapping[str, Any]],
                  registry: Any = None) -> dict[str, tuple[str, str]]:
    """For each classifier entry (``{"name", "params", "label"}``) the registry can
    build: its results-table label -> its ``weka_scheme``."""
    from workbench.evaluation.experiment.names import made_up_label

    return {entry.get("label") or made_up_label(classifier): weka_scheme(classifier)
            for entry, classifier in built_entries(entries, registry)}


# Writing ------------------------------------------------------------------------------
class ArffLayout:
    """The ARFF results table of one experiment: its header, a run's line, and the runs
    an existing table holds (for a resume). ``columns`` are the table's
    (``runs.result_columns``); each but the keys has a WEKA name (``measures``)."""

    def __init__(self, spec: ExperimentSpec, columns: list[str]) -> None:
        self.columns = list(columns)
        self.schemes = entry_schemes(c.to_dict() for c in spec.classifiers)
        missing = [c.label for c in spec.classifiers if c.label not in self.schemes]
        if missing:
            raise WorkbenchError(f"classifier '{missing[0]}' cannot be built, so its WEKA "
                                 f"scheme name is not known")
        self.labels = _one_label_per_scheme(self.schemes)
        self.folded = spec.resampling.method == "cross_validation"
        names = weka_names()
        self.numbers = [c for c in self.columns if c not in KEY_COLUMNS]
        unknown = [c for c in self.numbers if c not in names]
        if unknown:
            raise WorkbenchError(f"WEKA's results have no column for {', '.join(unknown)}")
        datasets = list(dict.fromkeys(spec.dataset_label(r) for r in spec.datasets))
        keys = [Attribute.nominal(DATASET, datasets),
                Attribute.nominal(RUN, [str(r) for r in range(1, spec.repetitions + 1)])]
        if self.folded:
            keys.append(Attribute.nominal(FOLD, [str(f) for f in range(
                1, spec.resampling.folds_per_repetition + 1)]))
        keys += [
            Attribute.nominal(SCHEME, dict.fromkeys(s for s, _ in self.schemes.values())),
            Attribute.nominal(OPTIONS, dict.fromkeys(o for _, o in self.schemes.values())),
            Attribute.nominal(VERSION, [OUR_VERSION_ID])]
        self.attributes = (*keys, *(Attribute.numeric(names[c]) for c in self.numbers))

    def header(self) -> str:
        """The file's ``@relation`` ... ``@data`` lines, as WEKA's listener writes them."""
        empty = np.empty((0, len(self.attributes)))
        return arff_header_text(Dataset(RELATION, self.attributes, empty))

    def line(self, row: Mapping[str, Any]) -> str:
        """One finished run's data line (with its newline)."""
        scheme, options = self.schemes[row["classifier"]]
        keys = [quote(str(row["dataset"])), str(row["repetition"])]
        if self.folded:
            keys.append(str(row["fold"]))
        keys += [quote(scheme), quote(options), OUR_VERSION_ID]
        return ",".join([*keys, *(_number(row[c]) for c in self.numbers)]) + "\n"

    def keys(self, text: str, path: Path) -> set[RunKey]:
        """The runs in the table ``text`` (complete lines only), after checking that its
        header is this experiment's; a refusal names the file and line."""
        data = read_arff(io.StringIO(text), name=str(path))
        if _declared(data.attributes) != _declared(self.attributes):
            raise DataFormatError(
                "results header does not match the experiment", path, 1,
                expected="the attributes 'workbench experiment run' writes for it: "
                         + ", ".join(a.name for a in self.attributes))
        runs = _Runs(data, path, text.encode("utf-8"))
        done: set[RunKey] = set()
        for i, (dataset, repetition, fold, result_set) in enumerate(runs.keys()):
            label = self.labels.get(result_set[:2])
            if label is None:   # declared in the header, so only a hand-made row
                raise DataFormatError("a scheme this experiment does not have", path,
                                      runs.line_of(i))
            done.add((dataset, label, repetition, fold))
        return done


def _declared(attributes: Iterable[Attribute]) -> list[tuple[str, AttributeType,
                                                              tuple[str, ...]]]:
    return [(a.name, a.type, a.values) for a in attributes]


def _one_label_per_scheme(schemes: Mapping[str, tuple[str, str]]
                          ) -> dict[tuple[str, str], str]:
    """``(Key_Scheme, Key_Scheme_options)`` -> label; two classifiers that are one
    scheme to WEKA (the same learner and options under two labels) are refused, since
    WEKA's tester would take their runs for one scheme's."""
    labels: dict[tuple[str, str], str] = {}
    for label, scheme in schemes.items():
        if scheme in labels:
            raise WorkbenchError(
                f"classifiers '{labels[scheme]}' and '{label}' are the same scheme to "
                f"WEKA ({scheme[0]} '{scheme[1]}'), which tells result sets apart by "
                f"scheme and options alone: write the results as CSV, or keep one")
        labels[scheme] = label
    return labels


def _number(value: Any) -> str:
    """A number as WEKA reads it back and we read it bit for bit; ``?`` for none."""
    if isinstance(value, int | np.integer):
        return str(int(value))
    number = float(value)
    if math.isnan(number):
        return "?"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    return repr(number)


# Reading ------------------------------------------------------------------------------
class _Runs:
    """The keys of an ARFF results file's rows, each refused at its line when it is
    not one (a missing value, a run that is not a whole number)."""

    def __init__(self, data: Dataset, path: Path, raw: bytes | bytearray) -> None:
        self.data, self.path, self.raw = data, path, raw
        self.names = [a.name for a in data.attributes]
        self._lines: list[int] | None = None
        self.X = data.dense_values()

    def line_of(self, row: int) -> int:
        """The file's line of data row ``row`` (0 first)."""
        if self._lines is None:
            self._lines = _data_lines(self.raw)
        return self._lines[row] if row < len(self._lines) else 1

    def texts(self, name: str, default: str | None = None) -> list[str]:
        """Column ``name`` as the text of each row; ``default`` for a column the file
        lacks (otherwise refused), a missing value refused at its line."""
        if name not in self.names:
            if default is not None:
                return [default] * self.X.shape[0]
            raise DataFormatError("not a results table", self.path, self.header_end(),
                                  expected=f"{EXPECTED}; it has no {name}")
        j = self.names.index(name)
        attribute, column = self.data.attributes[j], self.X[:, j]
        missing = np.isnan(column)
        if missing.any():
            raise DataFormatError(f"{name} has no value ('?'): every run needs one",
                                  self.path, self.line_of(int(missing.argmax())))
        if attribute.type in (AttributeType.NOMINAL, AttributeType.STRING):
            return [attribute.values[int(c)] for c in column.tolist()]
        if attribute.type is AttributeType.NUMERIC:
            return [_number(v) for v in column.tolist()]
        raise DataFormatError(f"{name} is a {attribute.type.value} attribute", self.path,
                              self.header_end(), expected="a nominal, string or numeric "
                              "attribute, as WEKA writes it")

    def whole(self, name: str, default: str | None = None) -> list[int]:
        out = []
        for i, text in enumerate(self.texts(name, default)):
            try:
                out.append(int(text))
            except ValueError:
                raise DataFormatError(f"{name} holds {text[:40]!r}, not a whole number",
                                      self.path, self.line_of(i)) from None
        return out

    def keys(self) -> Iterable[tuple[str, int, int, tuple[str, str, str]]]:
        """Each row's dataset, run, fold (1 without ``Key_Fold``: a split) and result
        set (``Key_Scheme``, ``Key_Scheme_options``, ``Key_Scheme_version_ID``)."""
        datasets, runs = self.texts(DATASET), self.whole(RUN)
        folds = self.whole(FOLD, default="1")
        schemes = zip(self.texts(SCHEME), self.texts(OPTIONS, default=""),
                      self.texts(VERSION, default=""), strict=True)
        return zip(datasets, runs, folds, schemes, strict=True)

    def header_end(self) -> int:
        """The line of ``@data``, where the attributes end (1 when there is none)."""
        found = _DATA_LINE.search(self.raw)
        return 1 if found is None else self.raw.count(b"\n", 0, found.start()) + 1


def _data_lines(raw: bytes | bytearray) -> list[int]:
    """The line numbers of the data rows: after ``@data``, neither blank nor comment."""
    found = _DATA_LINE.search(raw)
    if found is None:
        return []
    first = raw.count(b"\n", 0, found.start()) + 1
    lines = _LINE_BREAK.split(bytes(raw[found.start():]))
    return [first + n for n, line in enumerate(lines)
            if n and line.strip() and not line.lstrip().startswith(b"%")]


def read_arff_results(raw: bytes | bytearray, path: Path,
                      schemes: Mapping[str, tuple[str, str]] | None = None,
                      notes: list[str] | None = None
                      ) -> tuple[pd.DataFrame, Callable[[int], int]]:
    """The results table in ARFF ``raw`` (from ``path``), as the CSV one reads: key
    columns, then every number WEKA recorded (ours renamed to our names, Date_time
    left out), and the file's line of each row for messages. ``schemes`` (label ->
    ``Key_Scheme``, ``Key_Scheme_options``: an experiment record's) give our own
    files' classifiers their labels back. An infinite number is read as missing, with
    a line in ``notes``, as the CSV table's is."""
    _check_attributes(raw, path)
    data = read_arff(io.StringIO(table_text(raw, path)), name=str(path))
    runs = _Runs(data, path, raw)
    rows = list(runs.keys())
    labels = _result_set_labels([r[3] for r in rows], schemes or {})
    table: dict[str, Any] = {
        "dataset": [r[0] for r in rows], "classifier": [labels[r[3]] for r in rows],
        "repetition": np.array([r[1] for r in rows], dtype=np.int64),
        "fold": np.array([r[2] for r in rows], dtype=np.int64)}
    ours = {weka: mine for mine, weka in weka_names().items()}
    for j, attribute in enumerate(data.attributes):
        if attribute.name in NOT_MEASURES or attribute.type is not AttributeType.NUMERIC:
            continue
        name = ours.get(attribute.name, attribute.name)
        if name in table:
            continue   # the same name twice: the first, as pandas would take it
        values = runs.X[:, j].astype(np.float64, copy=True)
        infinite = np.isinf(values)
        if infinite.any():
            where = infinite.nonzero()[0]
            more = f" (and {len(where) - 1} more rows)" if len(where) > 1 else ""
            if notes is not None:
                notes.append(f"{path}:{runs.line_of(int(where[0]))}: {attribute.name} "
                             f"holds {values[where[0]]}{more}, not a finite number: read "
                             f"as missing, so those runs are left out of its means and "
                             f"tests")
            values[infinite] = np.nan
        table[name] = values
    # Ours first (accuracy is what a choice of measure starts at, as WEKA's Analyse
    # tab starts at Percent_correct), WEKA's others after them, each in file order.
    order = sorted(table, key=lambda c: c not in ours.values() and c not in KEY_COLUMNS)
    return pd.DataFrame({c: table[c] for c in order}), runs.line_of


def _check_attributes(raw: bytes | bytearray, path: Path) -> None:
    """Refuse an ARFF file that is not results (a dataset picked by mistake) by its
    header, before its rows: what it lacks says what the file should be."""
    try:
        header = parse_header(raw, str(path))
    except DataFormatError:
        return   # read_arff says what is wrong with the header, and where
    names = {a.name for a in header.attributes}
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise DataFormatError("not a results table", path, header.data_line - 1,
                              expected=f"{EXPECTED}; it has no {', '.join(missing)}")


def _result_set_labels(result_sets: list[tuple[str, str, str]],
                       schemes: Mapping[str, tuple[str, str]]
                       ) -> dict[tuple[str, str, str], str]:
    """Each result set's label: the recorded label of one of our schemes, else the
    class's last part and the options ("J48 -C 0.25 -M 2"); WEKA's whole key
    ("weka.classifiers.trees.J48 '-C 0.25 -M 2' -2177...") for those that would read
    alike."""
    recorded = {scheme: label for label, scheme in schemes.items()}
    short: dict[tuple[str, str, str], str] = {}
    for result_set in dict.fromkeys(result_sets):
        scheme, options, version = result_set
        label = recorded.get((scheme, options)) if version == OUR_VERSION_ID else None
        short[result_set] = label or f"{scheme.rsplit('.', 1)[-1]} {options}".strip()
    alike = Counter(short.values())
    return {rs: label if alike[label] == 1 else f"{rs[0]} {quote(rs[1])} {rs[2]}".strip()
            for rs, label in short.items()}


def count_rows(raw: bytes | bytearray) -> int:
    """How many runs an ARFF results file's complete lines hold."""
    return len(_data_lines(raw))
