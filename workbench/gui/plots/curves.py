"""ROC and precision-recall curves: one class against the rest, several results overlaid.

The points are WEKA's ``ThresholdCurve`` points, computed by ``workbench.evaluation``
from the same ``Results`` as the report, so the AUC in the legend is the AUC in the
report. Cross-validation results are pooled over folds (as WEKA's Explorer draws them);
per-fold curves can be added on request. The marker on each curve is where the
classifier's own predictions sit (the class predicted as most probable), the hull is the
ROC convex hull, and hovering reads out the nearest point's threshold and rates.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.evaluation.curves import ThresholdCurve, threshold_curve
from workbench.evaluation.results import Results
from workbench.gui.plots.colormaps import series_colour
from workbench.gui.plots.export import ExportBar
from workbench.gui.plots.sources import as_results
from workbench.gui.widgets.form_names import name_by_label
from workbench.gui.widgets.literal import html_text, plain_label
from workbench.gui.widgets.screen_reader import describe

KINDS = {"roc": ("False Positive Rate", "True Positive Rate", "ROC"),
         "prc": ("Recall", "Precision", "Precision-recall")}


def curve_xy(curve: ThresholdCurve, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """The plotted coordinates of a curve: (FPR, TPR) or (recall, precision)."""
    if kind == "roc":
        return curve.fpr, curve.tpr
    return curve.recall, curve.precision


def curve_area(curve: ThresholdCurve, kind: str) -> float:
    return curve.roc_area() if kind == "roc" else curve.prc_area()


def default_point(results: Results, class_index: int) -> tuple[float, float, float]:
    """(FPR, TPR, precision) of the classifier's own predictions for one class."""
    actual, predicted, w = results.actual, results.predicted, results.weights
    counted = ~np.isnan(actual) & (w >= 0)
    pos = counted & (actual == class_index)
    neg = counted & ~pos
    said = predicted == class_index
    tp, fp = float(w[pos & said].sum()), float(w[neg & said].sum())
    p, n = float(w[pos].sum()), float(w[neg].sum())
    return (fp / n if n else 0.0, tp / p if p else 0.0,
            tp / (tp + fp) if tp + fp else 0.0)


def roc_hull(fpr: np.ndarray, tpr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Upper convex hull of the ROC points with (0, 0) and (1, 1) (Andrew's chain)."""
    pts = sorted(set(zip(np.r_[0.0, fpr, 1.0].tolist(), np.r_[0.0, tpr, 1.0].tolist(),
                         strict=True)))
    hull: list[tuple[float, float]] = []
    for p in pts:
        while len(hull) >= 2:
            (x1, y1), (x2, y2) = hull[-2], hull[-1]
            if (x2 - x1) * (p[1] - y1) - (y2 - y1) * (p[0] - x1) >= 0:
                hull.pop()
            else:
                break
        hull.append(p)
    xs, ys = zip(*hull, strict=True)
    return np.array(xs), np.array(ys)


def _fold_results(results: Results) -> list[tuple[str, Results]]:
    return [(f"run {f.run + 1} fold {f.fold + 1}",
             Results(results.header, results.classifier, results.test_mode, [f],
                     results.use_priors)) for f in results.folds]


class ThresholdCurveView(QWidget):
    """ROC or precision-recall curves of one class for one or more evaluations.

    ``sources`` is an ``Evaluation``/``Results`` or a sequence of them (same class
    attribute); ``kind`` is "roc" or "prc"; ``label`` picks the first class shown.
    """

    def __init__(self, sources: Any, kind: str = "roc", label: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if kind not in KINDS:
            raise WorkbenchError(f"unknown curve kind '{kind}' (expected roc or prc)")
        many = sources if isinstance(sources, Sequence) else [sources]
        self.results = [as_results(s) for s in many]
        if not self.results:
            raise WorkbenchError("no results to draw curves for")
        for r in self.results:
            if not r.nominal:
                raise WorkbenchError(f"{r.classifier}: threshold curves need a nominal class")
            if r.class_names != self.results[0].class_names:
                raise WorkbenchError(
                    f"cannot overlay {r.classifier} on {self.results[0].classifier}: their "
                    f"classes differ ({', '.join(r.class_names)} vs "
                    f"{', '.join(self.results[0].class_names)})")
        self.kind = kind
        names = self.results[0].class_names
        self.setWindowTitle(f"{KINDS[kind][2]} curves")

        self.class_box = QComboBox()
        self.class_box.addItems(list(names))
        if label is not None:
            if label not in names:
                raise WorkbenchError(f"class '{label}' is not one of {', '.join(names)}")
            self.class_box.setCurrentIndex(names.index(label))
        self.kind_box = QComboBox()
        self.kind_box.addItems(["ROC", "Precision-recall"])
        self.kind_box.setCurrentIndex(0 if kind == "roc" else 1)
        self.hull_box = QCheckBox("Convex hull")
        self.folds_box = QCheckBox("Per-fold curves")
        self.readout = plain_label(" ")
        self.kind_box.setAccessibleName("Curve")
        controls = QHBoxLayout()
        class_label = QLabel("Class:")
        for w in (class_label, self.class_box, self.kind_box, self.hull_box,
                  self.folds_box):
            controls.addWidget(w)
        name_by_label(class_label, self.class_box)
        controls.addStretch(1)

        self.plot = pg.PlotWidget(background="w")
        self.plot.setXRange(0, 1, padding=0.02)
        self.plot.setYRange(0, 1, padding=0.02)
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.legend = self.plot.addLegend(offset=(-10, -10) if kind == "roc" else (-10, 10))
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.readout)
        layout.addWidget(ExportBar(self, self.table))

        self.curves: list[ThresholdCurve] = []
        self.fold_curves: list[ThresholdCurve] = []
        self.points: list[tuple[float, float, float]] = []
        self.hulls: list[tuple[np.ndarray, np.ndarray]] = []
        for box in (self.class_box, self.kind_box):
            box.currentIndexChanged.connect(self.redraw)
        for check in (self.hull_box, self.folds_box):
            check.toggled.connect(self.redraw)
        self.plot.scene().sigMouseMoved.connect(self._hover)
        self.redraw()

    @property
    def class_index(self) -> int:
        return self.class_box.currentIndex()

    def redraw(self) -> None:
        """Recompute and draw every curve for the chosen class and options."""
        self.kind = "roc" if self.kind_box.currentIndex() == 0 else "prc"
        xlabel, ylabel, title = KINDS[self.kind]
        c = self.class_index
        label = self.class_box.currentText()
        self.plot.clear()
        self.legend.clear()
        self.plot.setLabel("bottom", xlabel)
        self.plot.setLabel("left", ylabel)
        self.plot.setTitle(html_text(f"{title}: class {label}"), color="k")  # HTML there
        if self.kind == "roc":
            self.plot.plot([0, 1], [0, 1], pen=pg.mkPen((170, 170, 170), style=pg.QtCore.Qt
                                                        .PenStyle.DashLine))
        self.curves, self.fold_curves, self.points, self.hulls = [], [], [], []
        for i, res in enumerate(self.results):
            colour = series_colour(i)
            if self.folds_box.isChecked():
                for name, part in _fold_results(res):
                    curve = threshold_curve(part.actual, part.distribution[:, c],
                                            part.weights, c, label, name)
                    self.fold_curves.append(curve)
                    x, y = curve_xy(curve, self.kind)
                    self.plot.plot(x, y, pen=pg.mkPen((*colour, 90), width=1))
            curve = threshold_curve(res.actual, res.distribution[:, c], res.weights, c,
                                    label, res.classifier)
            self.curves.append(curve)
            x, y = curve_xy(curve, self.kind)
            area = curve_area(curve, self.kind)
            name = f"{res.classifier} (AUC {area:.3f})" if np.isfinite(area) else \
                f"{res.classifier} (AUC ?)"
            self.plot.plot(x, y, pen=pg.mkPen(colour, width=2), name=name)
            fpr, tpr, precision = default_point(res, c)
            self.points.append((fpr, tpr, precision))
            px, py = (fpr, tpr) if self.kind == "roc" else (tpr, precision)
            self.plot.plot([px], [py], pen=None, symbol="o", symbolSize=9,
                           symbolBrush=colour, symbolPen="k")
            if self.kind == "roc" and self.hull_box.isChecked():
                hx, hy = roc_hull(curve.fpr, curve.tpr)
                self.hulls.append((hx, hy))
                self.plot.plot(hx, hy, pen=pg.mkPen(colour, width=1,
                                                    style=pg.QtCore.Qt.PenStyle.DotLine))
        # The legend, in words: a screen reader's user hears what the eye reads off it.
        areas = [curve_area(curve, self.kind) for curve in self.curves]
        describe(self.plot, f"{title} curves for class {label}",
                 "; ".join(f"{r.classifier}: AUC {a:.3f}" if np.isfinite(a) else
                           f"{r.classifier}: AUC unknown"
                           for r, a in zip(self.results, areas, strict=True)))

    def nearest(self, x: float, y: float) -> tuple[ThresholdCurve, int] | None:
        """The curve point closest to (x, y) in plot coordinates."""
        best: tuple[float, ThresholdCurve, int] | None = None
        for curve in self.curves:
            cx, cy = curve_xy(curve, self.kind)
            if not len(cx):
                continue
            d = (cx - x) ** 2 + (cy - y) ** 2
            i = int(np.argmin(d))
            if best is None or d[i] < best[0]:
                best = (float(d[i]), curve, i)
        return None if best is None else (best[1], best[2])

    def describe_point(self, curve: ThresholdCurve, i: int) -> str:
        return (f"{curve.classifier}: threshold {curve.threshold[i]:.4f}, "
                f"TP rate {curve.tpr[i]:.3f}, FP rate {curve.fpr[i]:.3f}, "
                f"precision {curve.precision[i]:.3f}")

    def _hover(self, pos: Any) -> None:
        box = self.plot.getPlotItem().vb
        if not self.plot.sceneBoundingRect().contains(pos):
            return
        point = box.mapSceneToView(pos)
        found = self.nearest(point.x(), point.y())
        if found is not None:
            self.readout.setText(self.describe_point(*found))

    def table(self) -> tuple[list[str], list[list[Any]]]:
        """Every drawn point of every pooled curve, with WEKA's threshold-curve columns."""
        header = ["classifier", "class", "threshold", "tp", "fp", "fn", "tn", "fpr", "tpr",
                  "precision", "recall"]
        rows = []
        for curve in self.curves:
            for i in range(curve.num_points):
                rows.append([curve.classifier, curve.label, float(curve.threshold[i]),
                             float(curve.tp[i]), float(curve.fp[i]), float(curve.fn[i]),
                             float(curve.tn[i]), float(curve.fpr[i]), float(curve.tpr[i]),
                             float(curve.precision[i]), float(curve.recall[i])])
        return header, rows
