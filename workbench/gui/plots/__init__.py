"""Viewers for results and models: confusion matrix, ROC/PR curves, learning curves,
learned weights and classifier errors. Each is a QWidget built from headless objects
(an ``Evaluation`` or ``Results``, a fitted classifier, a ``History``), so the Explorer
and the flow editor host the same viewers; each saves PNG, SVG and CSV.
"""

from workbench.gui.plots.confusion import ConfusionMatrixView
from workbench.gui.plots.curves import ThresholdCurveView
from workbench.gui.plots.errors import ClassifierErrorsView
from workbench.gui.plots.export import save_csv, save_image, save_png, save_svg
from workbench.gui.plots.learning import LearningCurveView
from workbench.gui.plots.weights import WeightsView

__all__ = [
    "ClassifierErrorsView",
    "ConfusionMatrixView",
    "LearningCurveView",
    "ThresholdCurveView",
    "WeightsView",
    "save_csv",
    "save_image",
    "save_png",
    "save_svg",
]
