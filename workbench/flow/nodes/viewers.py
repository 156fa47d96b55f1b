"""Viewer nodes: they produce what a person looks at — text, curve points, tables,
arrays — and never draw. Drawing is the GUI's job (``workbench.gui.plots``); the command
line writes the same data to files through ``export``.

The outputs of the model and evaluation viewers also carry the headless objects they were
made from (the ``Evaluation``, the trained classifier), so the flow editor opens the same
viewers as the Explorer's result list; ``export`` never writes those.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from workbench.classifiers.inspection import TrainingHistory, weight_arrays
from workbench.core.params import Param
from workbench.data.dataset import Dataset
from workbench.data.stats import summarize
from workbench.evaluation.curves import threshold_curve
from workbench.flow.nodes.base import NodeContext, NodeError, NodeType, write_text_atomic
from workbench.flow.nodes.png import weight_mosaic, write_png
from workbench.flow.ports import (
    BATCH_CLASSIFIER,
    CHART,
    CONFUSION_MATRIX,
    DATA_SET,
    IMAGE,
    SUMMARY,
    TEXT,
    THRESHOLD_DATA,
    VISUALIZABLE_ERROR,
    BatchClassifier,
    PortSpec,
    ThresholdData,
)


@dataclass(frozen=True)
class Series:
    """One curve or point cloud: x and y, and any extra per-point columns."""

    label: str
    x: np.ndarray
    y: np.ndarray
    extra: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass(frozen=True)
class Chart:
    """Several series to draw in one plot, with axis labels."""

    title: str
    x_label: str
    y_label: str
    series: tuple[Series, ...]
    kind: str = "line"  # "line" or "scatter"


@dataclass(frozen=True)
class ThresholdChart(Chart):
    """ROC or precision-recall curves, with the evaluations they come from (in the order
    connected), the ``curve`` kind ("roc" or "prc") and the class they are drawn for."""

    evaluations: tuple[Any, ...] = field(default=(), repr=False, compare=False)
    curve: str = "roc"
    class_label: str = ""


@dataclass(frozen=True)
class LearningChart(Chart):
    """Learning curves, with the trained classifier whose ``history_`` they show; after
    a cross-validation, one model per fold (``folds``, named by ``fold_labels``), each
    with its own curve, and ``classifier`` the last of them."""

    classifier: Any = field(default=None, repr=False, compare=False)
    folds: tuple[Any, ...] = field(default=(), repr=False, compare=False)
    fold_labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConfusionMatrixData:
    """Counts (weighted) with actual classes as rows and predicted as columns: what a
    ConfusionMatrixViewer node outputs and the GUI's ``ConfusionMatrixView`` draws."""

    title: str
    labels: tuple[str, ...]
    matrix: np.ndarray
    evaluation: Any = field(default=None, repr=False, compare=False)


def _csv_text(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _shared(names: Sequence[str]) -> set[str]:
    return {name for name in names if names.count(name) > 1}


def distinct_names(names: Sequence[str], sources: Sequence[str]) -> list[str]:
    """``names`` made distinct: a name shared by several inputs gets the title of the node
    each came from ("IBk [Evaluator 2]"), and a number when even those are shared, so
    two curves or reports are never told apart by colour or order alone."""
    shared = _shared(names)
    out = [f"{name} [{sources[i]}]" if name in shared and i < len(sources) else name
           for i, name in enumerate(names)]
    shared = _shared(out)
    return [f"{name} #{i + 1}" if name in shared else name for i, name in enumerate(out)]


def relabelled(evaluation: Any, name: str) -> Any:
    """A shallow copy of an ``Evaluation`` whose results carry ``name``, which curve
    legends and viewer titles read (as the Explorer names a result as the user chose it);
    the evaluator's own output, and so ``workbench run --json``, keep the internal name."""
    if evaluation is None:
        return None
    results = dataclasses.replace(evaluation.results, classifier=name)
    return dataclasses.replace(evaluation, results=results)


def _number(value: Any) -> str:
    value = float(value)
    return "" if np.isnan(value) else f"{value:.10g}"


def chart_csv(chart: Chart) -> str:
    """One row per point: series, x, y and the extra columns of the first series."""
    extras = sorted({k for s in chart.series for k in s.extra})
    rows = []
    for s in chart.series:
        for i in range(len(s.x)):
            rows.append([s.label, _number(s.x[i]), _number(s.y[i])] +
                        [_number(s.extra[k][i]) if k in s.extra else "" for k in extras])
    return _csv_text(["series", chart.x_label, chart.y_label, *extras], rows)


class TextViewer(NodeType):
    """Shows text: reports, model descriptions, logs. Several inputs are shown in the
    order they were connected."""

    name = "TextViewer"
    display_name = "TextViewer"
    category = "Visualization"
    viewer = True
    inputs = (PortSpec(TEXT, TEXT, "text to show", multiple=True),)
    outputs = (PortSpec(TEXT, TEXT, "all the text received"),)

    def process(self, inputs: Mapping[str, Any], context: NodeContext) -> dict[str, Any]:
        texts = tuple(inputs.get(TEXT, ()))
        parts = [t if t.endswith("\n") else t + "\n" for t in texts]
        if len(parts) > 1:
            # Several reports: each under the title of the node it came from, as WEKA's
            # TextViewer lists its results by title. One report stays as it is, the very
            # text `workbench classify` prints.
            titles = context.sources.get(TEXT, ())
            if len(titles) == len(parts):
                parts = [f"=== {name} ===\n\n{part}"
                         for name, part in zip(distinct_names(titles, ()), parts,
                                               strict=True)]
        return {TEXT: "\n".join(parts)}

    def fingerprint(self, context: NodeContext) -> str:
        """The headings name the inputs' nodes: a renamed source changes the text."""
        titles = context.sources.get(TEXT, ())
        return "\x1f".join(titles) if len(titles) > 1 else ""

    def export(self, outputs: Mapping[str, Any], folder: Path, stem: str) -> list[Path]:
        path = folder / f"{stem}.txt"
        write_text_atomic(path, outputs[TEXT])
        return [path]


class ModelPerformanceChart(NodeType):
    """ROC or precision-recall curves of one or more classifiers in one chart, for one
    class value (WEKA's ModelPerformanceChart)."""

    name = "ModelPerformanceChart"
    display_name = "ModelPerformanceChart"
    category = "Visualization"
    viewer = True
    inputs = (PortSpec(THRESHOLD_DATA, THRESHOLD_DATA, "curve points of each classifier",
                       multiple=True),)
    outputs = (PortSpec(CHART, CHART, "the curves to draw"),)
    curve = Param.choice("roc", ("roc", "prc"),
                         "ROC (true vs false positive rate) or precision-recall")
    class_value = Param.text("first",
                             "the class of interest: a label, 'first', 'last' or a 1-based "
                             "index")

    def process(self, inputs: Mapping[str, Any], context: NodeContext) -> dict[str, Any]:
        series = []
        label = ""
        received: tuple[ThresholdData, ...] = tuple(inputs.get(THRESHOLD_DATA, ()))
        # Each curve is named as the report's Scheme line names its classifier ("IBk -K
        # 5"); two evaluators of the same scheme add their own titles to tell them apart.
        names = distinct_names([d.classifier for d in received],
                               context.sources.get(THRESHOLD_DATA, ()))
        for data, shown in zip(received, names, strict=True):
            results = data.evaluation.results if data.evaluation is not None else None
            if data.curves:
                curve = data.curves[self._index([c.label for c in data.curves])]
            elif results is not None and results.nominal:
                # Large results keep no curves (metrics.CURVE_POINTS_KEPT): the one
                # class charted is drawn from the predictions.
                c = self._index(list(results.class_names))
                curve = threshold_curve(results.actual, results.distribution[:, c],
                                        results.weights, c, results.class_names[c],
                                        results.classifier)
            else:
                raise NodeError(f"{context.title}: {shown} predicts a numeric "
                                f"class; curves need a nominal class")
            label = curve.label
            extra = {"threshold": curve.threshold, "tp": curve.tp, "fp": curve.fp,
                     "fn": curve.fn, "tn": curve.tn}
            if self.curve == "roc":
                name = f"{shown} (AUC {curve.roc_area():.4f})"
                series.append(Series(name, curve.fpr, curve.tpr, extra))
            else:
                name = f"{shown} (PRC area {curve.prc_area():.4f})"
                series.append(Series(name, curve.recall, curve.precision, extra))
        evaluations = tuple(relabelled(d.evaluation, shown)
                            for d, shown in zip(received, names, strict=True))
        if any(e is None for e in evaluations):
            evaluations = ()  # curve points without their evaluation: a plain chart
        if self.curve == "roc":
            chart = ThresholdChart(f"ROC curves, class {label}", "False Positive Rate",
                                   "True Positive Rate", tuple(series),
                                   evaluations=evaluations, curve="roc", class_label=label)
        else:
            chart = ThresholdChart(f"Precision-recall curves, class {label}", "Recall",
                                   "Precision", tuple(series), evaluations=evaluations,
                                   curve="prc", class_label=label)
        return {CHART: chart}

    def _index(self, labels: list[str]) -> int:
        spec = self.class_value.strip()
        if spec.lower() == "first":
            return 0
        if spec.lower() == "last":
            return len(labels) - 1
        if spec in labels:
            return labels.index(spec)
        if spec.isdecimal() and 1 <= int(spec) <= len(labels):
            return int(spec) - 1
        raise NodeError(f"no class value '{spec}' (values: {', '.join(labels)})")

    def fingerprint(self, context: NodeContext) -> str:
        """Two curves of one scheme are told apart by their evaluators' titles."""
        return "\x1f".join(context.sources.get(THRESHOLD_DATA, ()))

    def export(self, outputs: Mapping[str, Any], folder: Path, stem: str) -> list[Path]:
        path = folder / f"{stem}.csv"
        write_text_atomic(path, chart_csv(outputs[CHART]))
        return [path]


class ConfusionMatrixViewer(NodeType):
    """The confusion matrix of an evaluation (actual rows, predicted columns)."""

    name = "ConfusionMatrixViewer"
    display_name = "ConfusionMatrixViewer"
    category = "Visualization"
    viewer = True
    inputs = (PortSpec(VISUALIZABLE_ERROR, VISUALIZABLE_ERROR, "an evaluation"),)
    outputs = (PortSpec(CONFUSION_MATRIX, CONFUSION_MATRIX, "the matrix and its labels"),)

    def process(self, inputs: Mapping[str, Any], context: NodeContext) -> dict[str, Any]:
        evaluation = inputs[VISUALIZABLE_ERROR]
        metrics = evaluation.metrics
        if not metrics.nominal:
            raise NodeError(f"{context.title}: a numeric class has no confusion matrix")
        return {CONFUSION_MATRIX: ConfusionMatrixData(
            evaluation.scheme, tuple(metrics.class_names),
            np.asarray(metrics.confusion_matrix, dtype=np.float64), evaluation)}

    def export(self, outputs: Mapping[str, Any], folder: Path, stem: str) -> list[Path]:
        view: ConfusionMatrixData = outputs[CONFUSION_MATRIX]
        rows = [[label, *(_number(v) for v in row)]
                for label, row in zip(view.labels, view.matrix, strict=True)]
        path = folder / f"{stem}.csv"
        write_text_atomic(path, _csv_text(["actual \\ predicted", *view.labels], rows))
        return [path]


class LearningCurveViewer(NodeType):
    """Training (and validation) loss and accuracy per epoch of a classifier that keeps a
    training history (MLP, CNN, RNN, ...)."""

    name = "LearningCurveViewer"
    display_name = "LearningCurveViewer"
    category = "Visualization"
    viewer = True
    live = "learning"
    inputs = (PortSpec(BATCH_CLASSIFIER, BATCH_CLASSIFIER, "a trained classifier"),)
    outputs = (PortSpec(CHART, CHART, "one curve per recorded measure"),)

    def process(self, inputs: Mapping[str, Any], context: NodeContext) -> dict[str, Any]:
        batch: BatchClassifier = inputs[BATCH_CLASSIFIER]
        final = batch.final
        if _history(final.classifier) is None:
            raise NodeError(f"{context.title}: {batch.title} keeps no training history "
                            f"(only learners trained epoch by epoch do)")
        # A cross-validation trains one model per fold and none on all the data (as
        # WEKA's Knowledge Flow): there is no single curve, so each fold's is drawn,
        # named by its fold, rather than the last fold's passing for the model's.
        folds = tuple(f for f in batch.folds if _history(f.classifier) is not None) \
            if batch.full is None and len(batch.folds) > 1 else ()
        if folds:
            series = [s for f in folds for s in _curves(f.classifier, f"{f.label}: ")]
            title = (f"Learning curves of {batch.title}: one model per fold, "
                     f"{len(batch.folds)} folds")
        else:
            series = _curves(final.classifier)
            title = f"Learning curve of {batch.title} ({final.label})"
        return {CHART: LearningChart(title, "epoch", "value", tuple(series),
                                     classifier=final.classifier,
                                     folds=tuple(f.classifier for f in folds),
                                     fold_labels=tuple(f.label for f in folds))}

    def export(self, outputs: Mapping[str, Any], folder: Path, stem: str) -> list[Path]:
        path = folder / f"{stem}.csv"
        write_text_atomic(path, chart_csv(outputs[CHART]))
        return [path]


def _history(model: Any) -> Any:
    """A trained model's training history, or None for a learner that keeps none."""
    return model.history_ if isinstance(model, TrainingHistory) else None


def _curves(model: Any, prefix: str = "") -> list[Series]:
    """One series per measure the model recorded per epoch, named ``prefix`` + measure,
    the loss by what it measures (the perceptron's "error rate"), as the window's
    legend and exported table name it."""
    from workbench.evaluation.learning import loss_name

    history = _history(model)
    name = loss_name(model)
    series = []
    for measure in ("loss", "accuracy", "val_loss", "val_accuracy"):
        values = np.asarray(getattr(history, measure, []) or [], dtype=np.float64)
        if values.size:
            series.append(Series(prefix + measure.replace("loss", name),
                                 np.arange(1, values.size + 1, dtype=float), values))
    return series


class AttributeSummarizer(NodeType):
    """Per-attribute statistics, as WEKA's Preprocess panel shows them."""

    name = "AttributeSummarizer"
    display_name = "AttributeSummarizer"
    category = "Visualization"
    viewer = True
    inputs = (PortSpec(DATA_SET, DATA_SET, "a dataset"),)
    outputs = (PortSpec(SUMMARY, SUMMARY, "one summary per attribute"),)

    def process(self, inputs: Mapping[str, Any], context: NodeContext) -> dict[str, Any]:
        return {SUMMARY: tuple(summarize(inputs[DATA_SET]))}

    def export(self, outputs: Mapping[str, Any], folder: Path, stem: str) -> list[Path]:
        rows = []
        for s in outputs[SUMMARY]:
            rows.append([s.name, s.type, s.missing, s.distinct, s.unique,
                         *(_number(v) if v is not None else "" for v in
                           (s.minimum, s.maximum, s.mean, s.std))])
        path = folder / f"{stem}.csv"
        write_text_atomic(path, _csv_text(["attribute", "type", "missing", "distinct",
                                           "unique", "min", "max", "mean", "std"], rows))
        return [path]


class DataVisualizer(NodeType):
    """A scatter plot of two attributes, coloured by class (WEKA's DataVisualizer)."""

    name = "DataVisualizer"
    display_name = "DataVisualizer"
    category = "Visualization"
    viewer = True
    inputs = (PortSpec(DATA_SET, DATA_SET, "a dataset"),)
    outputs = (PortSpec(CHART, CHART, "the points, one series per class"),)
    x_attribute = Param.text("1", "attribute on the x axis: a name or 1-based "
                             "index")
    y_attribute = Param.text("2", "attribute on the y axis: a name or 1-based "
                             "index")

    def process(self, inputs: Mapping[str, Any], context: NodeContext) -> dict[str, Any]:
        data: Dataset = inputs[DATA_SET]
        jx, jy = _attribute(data, self.x_attribute), _attribute(data, self.y_attribute)
        x, y = data.column(jx), data.column(jy)
        cls = data.class_attribute
        series = []
        if cls is not None and cls.is_nominal:
            codes = data.class_values
            for k, label in enumerate(cls.values):
                rows = codes == k
                series.append(Series(label, x[rows], y[rows]))
            missing = np.isnan(codes)
            if missing.any():
                series.append(Series("?", x[missing], y[missing]))
        else:
            extra = {"class": data.class_values} if cls is not None else {}
            series.append(Series(data.relation, x, y, extra))
        return {CHART: Chart(data.relation, data.attributes[jx].name,
                             data.attributes[jy].name, tuple(series), kind="scatter")}

    def export(self, outputs: Mapping[str, Any], folder: Path, stem: str) -> list[Path]:
        path = folder / f"{stem}.csv"
        write_text_atomic(path, chart_csv(outputs[CHART]))
        return [path]


def _attribute(data: Dataset, spec: str) -> int:
    spec = spec.strip()
    if spec.isdecimal():
        index = int(spec)
        if not 1 <= index <= data.num_attributes:
            raise NodeError(f"attribute {index} is outside 1..{data.num_attributes}")
        return index - 1
    return data.index_of(spec)


@dataclass(frozen=True)
class WeightImages:
    """Named weight arrays of one model; ``num_inputs`` is the number of attributes it
    learned from, so a viewer knows which arrays look at the input image itself.
    ``model`` is the trained classifier and ``dataset`` its training data, for the GUI's
    weights viewer."""

    arrays: dict[str, np.ndarray]
    num_inputs: int
    model: Any = field(default=None, repr=False, compare=False)
    dataset: Dataset | None = field(default=None, repr=False, compare=False)


class WeightViewer(NodeType):
    """The learned weights of the classifier trained on all the data, as arrays (the GUI
    draws them as images, tiles or bars). Exported as CSV, plus a PNG mosaic when each
    unit's inputs form a square image (8x8 digits, MNIST)."""

    name = "WeightViewer"
    display_name = "WeightViewer"
    category = "Visualization"
    viewer = True
    live = "weights"
    inputs = (PortSpec(BATCH_CLASSIFIER, BATCH_CLASSIFIER, "a trained classifier"),)
    outputs = (PortSpec(IMAGE, IMAGE, "named weight arrays"),)

    def process(self, inputs: Mapping[str, Any], context: NodeContext) -> dict[str, Any]:
        batch: BatchClassifier = inputs[BATCH_CLASSIFIER]
        arrays = weight_arrays(batch.final.classifier)
        if not arrays:
            raise NodeError(f"{context.title}: {batch.title} exposes no weights to show")
        header = batch.final.train
        n_inputs = header.num_attributes - (header.class_index is not None)
        return {IMAGE: WeightImages(arrays, n_inputs, batch.final.classifier, header)}

    def export(self, outputs: Mapping[str, Any], folder: Path, stem: str) -> list[Path]:
        written = []
        images: WeightImages = outputs[IMAGE]
        for key, array in images.arrays.items():
            safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in key)
            path = folder / f"{stem}_{safe}.csv"
            matrix = np.atleast_2d(array.reshape(array.shape[0], -1) if array.ndim > 2
                                   else array)
            rows = [[_number(v) for v in row] for row in matrix]
            write_text_atomic(path, _csv_text([f"w{j}" for j in range(matrix.shape[1])],
                                              rows))
            written.append(path)
            image_like = array.ndim == 4 or (array.ndim == 2
                                             and array.shape[1] == images.num_inputs)
            mosaic = weight_mosaic(array) if image_like else None
            if mosaic is not None:  # units looking at an image's pixels: save the picture
                picture = folder / f"{stem}_{safe}.png"
                write_png(picture, mosaic)
                written.append(picture)
        return written


NODE_TYPES = (TextViewer, ModelPerformanceChart, ConfusionMatrixViewer, LearningCurveViewer,
              AttributeSummarizer, DataVisualizer, WeightViewer)
