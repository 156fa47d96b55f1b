"""The one list of viewers: what each shows, when it can, and how to open it.

Every place that shows a result asks this registry instead of knowing the viewers:

* the Explorer's result menu offers the entries whose subject is an ``Evaluation``
  (disabled when ``can_show`` says no: a confusion matrix of a numeric class);
* the flow editor opens, for each output of a viewer node, the first entry that can show
  it (``ThresholdChart``, ``LearningChart``, ``ConfusionMatrixData``, ``RbmComparison``,
  ``WeightImages``, ``OverlayChart``, then the plain ``Chart``, text and table views);
* the weights window (the Explorer's "Watch weights", "Visualize learned weights", a
  flow's WeightViewer) has one tab per entry whose subject is a model protocol of
  ``workbench.classifiers.inspection`` the model implements (``ConvFilters`` gives
  "Filters" and "Feature maps", ``RbmUnits`` "RBM units", ...).

API (stable; other modules and plugins rely on it)
--------------------------------------------------
``ViewerEntry(title, subject, build, accepts=..., needs_dataset=False, live=False)``
    ``title``: menu text or tab title, in the user's words. ``subject``: the type (a result
    kind such as ``Evaluation`` or ``WeightImages``) or ``runtime_checkable`` protocol
    (``inspection.ConvFilters``) an object must be an instance of. ``build(obj, context)``
    returns the widget; it may raise ``WorkbenchError`` with a readable reason.
    ``accepts(obj)`` refines the subject ("a nominal class"); it must not raise.
    ``needs_dataset``: only offered when ``context.dataset`` is given (pages that pick
    an instance). ``live``: a model page drawn from the weights alone, redrawn while the
    model trains.
``ViewContext(dataset=None, training=None)``
    What the place opening the viewer knows besides the object: the evaluated data and,
    for k-NN, the training data when it differs.
``register_viewer(title, subject, build, *, accepts=None, needs_dataset=False,
live=False, registry=None) -> ViewerEntry``
    Adds an entry (to the default registry unless ``registry`` is given); a second entry
    with the same title and subject is refused with ``WorkbenchError``.
``viewers_for(obj, context=None, registry=None) -> list[ViewerEntry]``
    The entries that can show ``obj``, in registration order (the menu and tab order).
``offered_for(obj, registry=None) -> list[ViewerEntry]``
    The entries whose subject ``obj`` is, whether or not they can show it now.
``best_viewer(obj, context=None, registry=None) -> ViewerEntry | None``
    The one viewer for ``obj`` (the flow editor's choice): of those that can show it, the
    one whose subject is the most specific class of ``obj`` (a ``DynamicsChart`` entry
    before the ``Chart`` one, wherever it was registered), then the first registered.
``LiveViewer(kind, make, finish)``, ``register_live_viewer(...)``, ``live_viewer(kind)``
    The views that follow training in a flow: a viewer node type declaring ``live =
    kind`` gets ``make()`` (an empty widget with ``on_progress(event)`` and
    ``stop_live()``) while a model upstream trains; when the run ends ``finish(widget,
    output)`` shows the node's final output in it (False: not its kind, rebuild).

Adding a viewer: write one widget module in ``workbench/gui/plots/`` and add one line to
``BUILT_IN`` below (docs/EXTENDING.md, "Add a viewer"). The built-ins are a plain tuple,
not registrations scattered over import side effects, so the order of menus and tabs is
read here in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtWidgets import QWidget

from workbench.classifiers import inspection
from workbench.classifiers.tree_structure import has_tree
from workbench.core.errors import WorkbenchError
from workbench.data.dataset import Dataset
from workbench.evaluation import Evaluation
from workbench.flow.nodes.dynamics import DynamicsChart, OverlayChart
from workbench.flow.nodes.rbm import RbmComparison
from workbench.flow.nodes.viewers import (
    Chart,
    ConfusionMatrixData,
    LearningChart,
    ThresholdChart,
    WeightImages,
)
from workbench.gui.plots import basic, dynamics, model_pages, rbm_pages, weights
from workbench.gui.plots.confusion import ConfusionMatrixView
from workbench.gui.plots.curves import ThresholdCurveView
from workbench.gui.plots.diagrams import diagram_fits
from workbench.gui.plots.errors import ClassifierErrorsView
from workbench.gui.plots.learning import LearningCurveView
from workbench.gui.plots.margins import MarginHistogramView
from workbench.gui.plots.overlay import OverlayCurvesView
from workbench.gui.plots.rbm_compare import RbmComparisonView
from workbench.gui.plots.tree_view import TreeView


@dataclass(frozen=True)
class ViewContext:
    """What the place opening a viewer knows besides the object shown."""

    dataset: Dataset | None = field(default=None, repr=False)
    training: Dataset | None = field(default=None, repr=False)

    def data(self) -> Dataset:
        """The dataset, for the viewers registered with ``needs_dataset``."""
        if self.dataset is None:
            raise WorkbenchError("this viewer needs the evaluated dataset")
        return self.dataset


def _anything(_obj: Any) -> bool:
    return True


@dataclass(frozen=True)
class ViewerEntry:
    """One viewer: its title, what it shows, when it can, and how to build it."""

    title: str
    subject: type
    build: Callable[[Any, ViewContext], QWidget] = field(repr=False)
    accepts: Callable[[Any], bool] = field(default=_anything, repr=False)
    needs_dataset: bool = False
    live: bool = False

    def is_subject(self, obj: Any) -> bool:
        return isinstance(obj, self.subject)

    def can_show(self, obj: Any, context: ViewContext | None = None) -> bool:
        """True when this viewer shows ``obj`` now (its subject, accepted, data at hand)."""
        context = context or ViewContext()
        if not self.is_subject(obj) or (self.needs_dataset and context.dataset is None):
            return False
        try:
            return bool(self.accepts(obj))
        except WorkbenchError:  # a predicate asking a half-trained model: not yet
            return False

    def open(self, obj: Any, context: ViewContext | None = None) -> QWidget:
        """The viewer's widget for ``obj``; a ``WorkbenchError`` says why it cannot."""
        return self.build(obj, context or ViewContext())


class ViewerRegistry:
    """Viewer entries in order; a plain object, so tests build their own."""

    def __init__(self, entries: Iterable[ViewerEntry] = ()) -> None:
        self._entries: list[ViewerEntry] = []
        for entry in entries:
            self.register(entry)

    def register(self, entry: ViewerEntry) -> ViewerEntry:
        for known in self._entries:
            if known.title == entry.title and known.subject is entry.subject:
                raise WorkbenchError(f"a viewer '{entry.title}' for "
                                     f"{entry.subject.__name__} is already registered")
        self._entries.append(entry)
        return entry

    def offered_for(self, obj: Any) -> list[ViewerEntry]:
        return [e for e in self._entries if e.is_subject(obj)]

    def viewers_for(self, obj: Any, context: ViewContext | None = None) -> list[ViewerEntry]:
        return [e for e in self._entries if e.can_show(obj, context)]

    def best_viewer(self, obj: Any, context: ViewContext | None = None) -> ViewerEntry | None:
        mro = type(obj).__mro__

        def specificity(entry: ViewerEntry) -> int:
            # A class of obj's own ranks by its place in the MRO; a protocol after them.
            return mro.index(entry.subject) if entry.subject in mro else len(mro)

        found = self.viewers_for(obj, context)
        return min(found, key=specificity) if found else None  # min keeps the first of ties

    def __iter__(self) -> Iterator[ViewerEntry]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


# Predicates -------------------------------------------------------------------------------
def _nominal(evaluation: Evaluation) -> bool:
    return bool(evaluation.results.nominal)


def _has_history(evaluation: Evaluation) -> bool:
    model = evaluation.model
    return isinstance(model, inspection.TrainingHistory) and model.history_ is not None


def _has_model_pages(evaluation: Evaluation) -> bool:
    return evaluation.model is not None and bool(
        viewers_for(evaluation.model, ViewContext(evaluation.dataset)))


def _dense_layers_now(model: Any) -> list[inspection.DenseLayer]:
    """The dense layers, or none while the network is not built yet."""
    try:
        return inspection.dense_layers(model)
    except WorkbenchError:
        return []


def _plain_dense(model: Any) -> bool:
    return bool(_dense_layers_now(model))


def _diagram_fits(model: Any) -> bool:
    layers = _dense_layers_now(model)
    return bool(layers) and diagram_fits(layers)


# The built-in viewers, in menu and tab order -----------------------------------------------
E = ViewerEntry
BUILT_IN: tuple[ViewerEntry, ...] = (
    # The Explorer's result menu: one evaluation.
    E("Visualize confusion matrix", Evaluation, lambda e, c: ConfusionMatrixView(e), _nominal),
    E("Visualize ROC curves", Evaluation, lambda e, c: ThresholdCurveView(e, "roc"), _nominal),
    E("Visualize precision-recall curves", Evaluation,
      lambda e, c: ThresholdCurveView(e, "prc"), _nominal),
    E("Visualize learning curves", Evaluation, lambda e, c: LearningCurveView(e.model),
      _has_history),
    E("Visualize training dynamics", Evaluation,
      lambda e, c: dynamics.DynamicsView(e.model), lambda e: dynamics.has_dynamics(e.model)),
    E("Visualize classifier errors", Evaluation, lambda e, c: ClassifierErrorsView(e)),
    # WEKA's place for it: after the errors, before the margin curve.
    E("Visualize tree", Evaluation, lambda e, c: TreeView.of(e.model, e.results.classifier),
      lambda e: has_tree(e.model)),
    E("Visualize margin histogram", Evaluation, lambda e, c: MarginHistogramView(e),
      _nominal),
    E("Visualize learned weights", Evaluation,
      lambda e, c: weights.WeightsView(e.model, e.dataset), _has_model_pages),
    # A flow viewer node's outputs: the richer views first, the plain ones last.
    E("ROC / precision-recall curves", ThresholdChart,
      lambda v, c: ThresholdCurveView(list(v.evaluations), v.curve, v.class_label or None),
      lambda v: bool(v.evaluations)),
    E("Learning curves", LearningChart, lambda v, c: _learning_view(v),
      lambda v: v.classifier is not None),
    E("Confusion matrix", ConfusionMatrixData, lambda v, c: ConfusionMatrixView(v.evaluation),
      lambda v: v.evaluation is not None),
    E("DBNs compared", RbmComparison, lambda v, c: RbmComparisonView(v),
      lambda v: bool(v.models)),
    E("Learned weights", WeightImages, lambda v, c: weights.WeightsView(v.model, v.dataset),
      lambda v: v.model is not None),
    E("Training dynamics", DynamicsChart, lambda v, c: dynamics.DynamicsView(v.dynamics),
      lambda v: v.dynamics is not None),
    E("Learning curves of several runs", OverlayChart, lambda v, c: OverlayCurvesView(v),
      lambda v: bool(v.series)),
    E("Chart", Chart, lambda v, c: basic.chart_view(v)),
    E("Text", str, lambda v, c: basic.text_view(v)),
    E("Table", tuple, lambda v, c: basic.table_view(v), basic.is_row_table),
    # The pages of the weights window: one model, what it implements.
    E("RBM units", inspection.RbmUnits, lambda m, c: rbm_pages.RbmPage(m), live=True),
    E("Reconstructions", inspection.RbmReconstructions,
      lambda m, c: rbm_pages.ReconstructionPage(m, c.data()), needs_dataset=True),
    E("Samples", inspection.RbmSamples, lambda m, c: rbm_pages.SamplePage(m)),
    E("Filters", inspection.ConvFilters, lambda m, c: model_pages.FilterPage(m), live=True),
    E("Feature maps", inspection.ConvFilters,
      lambda m, c: model_pages.FeatureMapPage(m, c.data()), needs_dataset=True),
    E("Hidden units", inspection.DenseNetwork, lambda m, c: weights.UnitsPage(m),
      _plain_dense, live=True),
    E("Network", inspection.DenseNetwork, lambda m, c: weights.DiagramPage(m),
      _diagram_fits, live=True),
    E("Hidden state", inspection.HiddenStates,
      lambda m, c: model_pages.HiddenStatePage(m, c.data()), needs_dataset=True),
    E("Neighbours", inspection.NearestNeighbours,
      lambda m, c: model_pages.NeighboursPage(m, c.data(), c.training or c.data()),
      needs_dataset=True),
    E("Perceptron", inspection.LinearScores,
      lambda m, c: model_pages.PerceptronPage(m, c.dataset)),
    E("Dynamics", dynamics.RecordsDynamics,
      lambda m, c: dynamics.DynamicsView(m, export_bar=False, staged=True),
      dynamics.dynamics_page_fits,
      live=True),
)
del E

_DEFAULT = ViewerRegistry(BUILT_IN)


# Live views of a flow's training -----------------------------------------------------------
@dataclass(frozen=True)
class LiveViewer:
    """The view a ``live`` viewer node shows while a model upstream trains."""

    kind: str
    make: Callable[[], QWidget] = field(repr=False)
    finish: Callable[[Any, Any], bool] = field(repr=False)


def _learning_view(chart: LearningChart) -> LearningCurveView:
    view = LearningCurveView()
    _show_learning(view, chart)
    return view


def _show_learning(view: LearningCurveView, chart: LearningChart) -> None:
    """The chart's curve, or after a cross-validation each fold's to choose from."""
    if len(chart.folds) > 1:
        view.show_folds(chart.folds, chart.fold_labels)
    else:
        view.set_history(chart.classifier)


def _finish_learning(view: LearningCurveView, value: Any) -> bool:
    if not isinstance(value, LearningChart) or value.classifier is None:
        return False
    view.stop_live()
    _show_learning(view, value)
    return True


def _finish_weights(view: weights.WeightsView, value: Any) -> bool:
    if not isinstance(value, WeightImages) or value.model is None:
        return False
    view.stop_live(value.model, value.dataset)
    return True


def _finish_dynamics(view: dynamics.DynamicsView, value: Any) -> bool:
    if not isinstance(value, DynamicsChart) or value.dynamics is None:
        return False
    view.stop_live(value.dynamics)
    return True


_LIVE: dict[str, LiveViewer] = {
    "learning": LiveViewer("learning", LearningCurveView, _finish_learning),
    "weights": LiveViewer("weights", weights.WeightsView, _finish_weights),
    "dynamics": LiveViewer("dynamics", dynamics.DynamicsView, _finish_dynamics),
}


def register_live_viewer(kind: str, make: Callable[[], QWidget],
                         finish: Callable[[Any, Any], bool]) -> LiveViewer:
    """Add the live view of viewer nodes declaring ``live = kind``; a kind is taken once."""
    if kind in _LIVE:
        raise WorkbenchError(f"a live viewer for '{kind}' is already registered")
    _LIVE[kind] = LiveViewer(kind, make, finish)
    return _LIVE[kind]


def live_viewer(kind: str) -> LiveViewer | None:
    """The live view of viewer nodes declaring ``live = kind``, None for an unknown kind."""
    return _LIVE.get(kind)


def default_registry() -> ViewerRegistry:
    """The registry the Explorer, the flow editor and the weights window read."""
    return _DEFAULT


def register_viewer(title: str, subject: type, build: Callable[[Any, ViewContext], QWidget],
                    *, accepts: Callable[[Any], bool] | None = None,
                    needs_dataset: bool = False, live: bool = False,
                    registry: ViewerRegistry | None = None) -> ViewerEntry:
    """Add a viewer (to the default registry unless ``registry`` is given)."""
    entry = ViewerEntry(title, subject, build, accepts or _anything, needs_dataset, live)
    return (_DEFAULT if registry is None else registry).register(entry)


def viewers_for(obj: Any, context: ViewContext | None = None,
                registry: ViewerRegistry | None = None) -> list[ViewerEntry]:
    """The viewers that can show ``obj`` now, in menu and tab order."""
    return (_DEFAULT if registry is None else registry).viewers_for(obj, context)


def best_viewer(obj: Any, context: ViewContext | None = None,
                registry: ViewerRegistry | None = None) -> ViewerEntry | None:
    """The one viewer to open for ``obj``: the most specific subject, then the first."""
    return (_DEFAULT if registry is None else registry).best_viewer(obj, context)


def offered_for(obj: Any, registry: ViewerRegistry | None = None) -> list[ViewerEntry]:
    """The viewers whose subject ``obj`` is, able to show it now or not (a menu shows the
    others disabled)."""
    return (_DEFAULT if registry is None else registry).offered_for(obj)
