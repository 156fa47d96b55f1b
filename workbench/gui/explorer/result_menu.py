"""The result list's right-click menu: every way to look at or reuse one evaluation.

The viewers are the registry's entries for an ``Evaluation`` (``workbench.gui.viewers``):
one that cannot show this result (a curve for a numeric class) is a disabled entry, and
one that refuses while opening says why in the status line, never as a crash.

Entries about several results at once (such as "Compare selected") come from other
modules through ``add_menu_section``: each section is asked for its entries every time
the menu is built, after the menu's own, so the menu stays one menu with one builder.
The same builder fills the popup (right-click; Shift+F10 or the Menu key, at the
selected entry) and the window's Result menu, so a keyboard without a Menu key reaches
every viewer too; every entry gets an underlined access key.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt
from PySide6.QtGui import (
    QContextMenuEvent,
    QFontDatabase,
    QGuiApplication,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import QFileDialog, QMenu, QPlainTextEdit, QWidget

from workbench.classifiers.tree_structure import has_tree
from workbench.core.errors import WorkbenchError
from workbench.data.dataset import Dataset
from workbench.evaluation import Evaluation
from workbench.gui.explorer.loaded_model import LoadedModel
from workbench.gui.plots.curves import ThresholdCurveView
from workbench.gui.viewers import (
    ViewContext,
    ViewerEntry,
    default_registry,
    offered_for,
    viewers_for,
)
from workbench.gui.widgets.access_keys import add_access_keys
from workbench.gui.widgets.file_names import free_name
from workbench.gui.widgets.placement import place_window, viewer_window_size
from workbench.gui.widgets.popup_place import popup_position
from workbench.gui.widgets.window_list import close_with_keys, keep_while_open
from workbench.gui.workers import Job, Work

# The registry's entries for a run's weights and tree; a loaded model's entry opens
# them itself (it has a model but no evaluation).
WEIGHTS_TITLE = "Visualize learned weights"
TREE_TITLE = "Visualize tree"
# A section of the menu added from outside: called with the menu being built and the
# row clicked (-1: none), it adds its entries there.
MenuSection = Callable[[QMenu, int], None]


def viewer_size(widget: QWidget, near: QWidget | None = None) -> QSize:
    """The size a viewer window opens at: the rule the Knowledge Flow's viewer windows
    follow too (``placement.viewer_window_size``: ``VIEWER_SIZE``, grown to the widget's
    size hint or the size it was given, within the free area of the screen ``near`` is
    on). At the old 640x480 a 10-class confusion matrix hid its last rows and cut its
    column headers, even on a 1920x1080 screen."""
    hint = widget.sizeHint()
    if widget.testAttribute(Qt.WidgetAttribute.WA_Resized):
        hint = hint.expandedTo(widget.size())
    return viewer_window_size(hint, near)


def overlay_text(count: int) -> str:
    """The overlay entry's words: "ROC curves of 3 results overlaid"; with one result
    (or none) there is nothing to overlay, and the disabled entry says what it needs."""
    if count < 2:
        return ("ROC curves overlaid (needs two or more results with predictions for "
                "the same class attribute)")
    return f"ROC curves of {count} results overlaid"


def suggested_model_path(entry: Any) -> Path:
    """Where Save model... proposes to write: the output folder the Preprocess tab's
    Save uses for bundled data (``~/workbench-output``), under a name saying what was
    trained on what ("diabetes-mlp.model"), numbered so the suggestion replaces nothing
    (the dialog opened in whatever folder the program was started from)."""
    from workbench.core.resources import user_output_root

    header = getattr(entry.model, "header_", None)
    relation = header.relation if header is not None else "data"
    # WEKA's filters append their options to the relation: names past a file system's
    # 255 bytes are common, so the stem keeps the learner and the relation's start.
    name = entry.model.name
    relation = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_"
                       for c in relation)[:80]
    stem = f"{relation}-{name}" if relation.strip("._") else name
    return free_name(user_output_root(), stem, ".model")


class ResultActions(QObject):
    """Opens windows for the results of a ``ClassifyTab`` and keeps them while they are
    open (``windows``; a closed one is deleted and leaves the list). A QObject of the GUI
    thread, so what a worker reports to it arrives there."""

    def __init__(self, tab: Any, report: Callable[[str], None]) -> None:
        super().__init__(tab)
        self.tab = tab
        self.report = report  # status line and log
        self.windows: list[QWidget] = []
        self.sections: list[MenuSection] = []
        self.loading: Job | None = None   # the model being loaded, if any
        self.saving: Job | None = None    # the model being saved, if any
        results_list = tab.results_list
        results_list.customContextMenuRequested.connect(self.show_menu)
        # Shift+F10 is the context-menu key of Windows, GNOME and KDE; Qt only maps the
        # Menu key itself, which most laptops lack.
        popup_key = QShortcut(QKeySequence("Shift+F10"), results_list)
        popup_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        popup_key.activated.connect(self.show_menu_at_current)
        results_list.installEventFilter(self)   # the Menu key: at the entry, too

    def add_menu_section(self, section: MenuSection) -> None:
        """Have every menu built from now on end with ``section``'s entries, after a
        separator (in the order sections were added)."""
        self.sections.append(section)

    def build_menu(self, row: int) -> QMenu:
        """A new popup menu for entry ``row`` (-1: none)."""
        menu = QMenu(self.tab)
        self.fill_menu(menu, row)
        return menu

    def fill_menu(self, menu: QMenu, row: int) -> None:
        """Put the entries for result ``row`` (-1: none) in ``menu``, replacing what it
        held: the popup and the window's Result menu are both filled here."""
        tab = self.tab
        menu.clear()
        picked: Evaluation | LoadedModel | None = \
            tab.evaluations[row] if 0 <= row < len(tab.evaluations) else None
        # A loaded model has a model and a text, but no predictions for the viewers.
        evaluation = picked if isinstance(picked, Evaluation) else None
        have = picked is not None
        has_model = picked is not None and picked.model is not None
        nominal = evaluation is not None and evaluation.results.nominal

        def add(text: str, slot: Callable[[], Any], enabled: bool = True) -> None:
            action = menu.addAction(text)
            action.setEnabled(enabled)
            action.triggered.connect(lambda _=False: self._guard(text, slot))

        add("View in separate window", lambda: self.view_text(picked), have)
        add("Save result buffer...", lambda: self.save_report(picked), have)
        add("Delete result", lambda: tab.remove_result(row), have)
        menu.addSeparator()
        add("Save model...", lambda: self.save_model(picked),
            has_model and self.saving is None)
        if self.loading is None:
            add("Load model...", self.load_model)
        else:   # a scikit-learn model refits on load, for as long as its file asks
            add("Stop loading the model", self.stop_loading)
        add("Re-evaluate model on current test set", lambda: self.reevaluate(picked),
            has_model and tab.test_set is not None)
        menu.addSeparator()
        # Without a result the viewers are listed disabled, so the menu keeps its shape.
        context = ViewContext(evaluation.dataset) if evaluation is not None else ViewContext()
        entries = offered_for(evaluation) if evaluation is not None else \
            [e for e in default_registry() if e.subject is Evaluation]

        def opener(entry: ViewerEntry) -> Callable[[], QWidget]:
            """The entry's slot as a plain callable, typed for ``add``."""
            return lambda: self.open_viewer(entry.open(evaluation, context))

        for entry in entries:
            if isinstance(picked, LoadedModel) and entry.title == WEIGHTS_TITLE:
                add(entry.title, lambda: self.view_loaded_weights(picked),
                    self._loaded_weights_fit(picked))
                continue
            if isinstance(picked, LoadedModel) and entry.title == TREE_TITLE:
                add(entry.title, lambda: self.view_loaded_tree(picked),
                    has_tree(picked.model))
                continue
            add(entry.title, opener(entry), have and entry.can_show(evaluation, context))
        overlay = self.comparable(evaluation) if nominal else []
        add(overlay_text(len(overlay)),
            lambda: self.open_viewer(ThresholdCurveView(overlay, "roc")), len(overlay) > 1)
        for section in self.sections:
            menu.addSeparator()
            section(menu, row)
        add_access_keys(menu)

    def _loaded_data(self, loaded: LoadedModel) -> Dataset | None:
        """The Explorer's data when it fits the loaded model's header (pages that run
        the network on data show it), else None (those pages are left out)."""
        data, header = self.tab.dataset, loaded.header
        if data is None or data.num_attributes != header.num_attributes:
            return None
        data = data.with_class(header.class_index)
        return data if loaded.header.header_matches(data) is None else None

    def _loaded_weights_fit(self, loaded: LoadedModel) -> bool:
        return bool(viewers_for(loaded.model, ViewContext(self._loaded_data(loaded))))

    def view_loaded_weights(self, loaded: LoadedModel) -> QWidget:
        """The weights window of a model loaded from a file, as for a run's model."""
        from workbench.gui.plots.weights import WeightsView

        return self.open_viewer(WeightsView(loaded.model, self._loaded_data(loaded)))

    def view_loaded_tree(self, loaded: LoadedModel) -> QWidget:
        """The tree window of a model loaded from a file, as for a run's model."""
        from workbench.gui.plots.tree_view import TreeView

        return self.open_viewer(TreeView.of(loaded.model, loaded.name))

    def comparable(self, evaluation: Any) -> list[Any]:
        """Results with the same class attribute as ``evaluation``, to overlay curves."""
        target = evaluation.results.header.class_attribute
        return [e for e in self.tab.evaluations if isinstance(e, Evaluation)
                and e.results.nominal and e.results.header.class_attribute == target]

    def show_menu(self, point: QPoint) -> None:
        """The popup for the entry at ``point`` (the list's viewport coordinates, where
        a right-click reports it), at the pointer and never over that entry."""
        view = self.tab.results_list
        index = view.indexAt(point)
        entry = view.visualRect(index) if index.isValid() else QRect(point, QSize(1, 1))
        self._exec_beside(self.build_menu(index.row()), entry, point.x())

    def show_menu_at_current(self) -> None:
        """The popup for the selected entry (Shift+F10, the Menu key): placed at the
        entry the keys act on, not wherever the mouse pointer was left; under it, or
        above or beside it where the room below is too short, never over it."""
        view = self.tab.results_list
        row = view.currentRow()
        item = view.item(row) if row >= 0 else None
        if item is not None:
            view.scrollToItem(item)
            entry = view.visualItemRect(item)
            x = entry.left() + entry.height()
        else:
            entry, x = QRect(0, 0, 1, 1), 0
        self._exec_beside(self.build_menu(row), entry, x)

    def _exec_beside(self, menu: QMenu, entry: QRect, x: int) -> None:
        """Open ``menu`` about ``entry`` (the list viewport's coordinates), ``x`` its
        left edge where it goes below or above, whole on the screen (Qt would push a
        menu taller than the room below up over the entry)."""
        viewport = self.tab.results_list.viewport()
        corner = viewport.mapToGlobal(entry.topLeft())
        on_screen = QRect(corner, entry.size())
        screen = QGuiApplication.screenAt(corner) or viewport.screen()
        menu.ensurePolished()
        where = popup_position(on_screen, corner.x() + x - entry.left(), menu.sizeHint(),
                               screen.availableGeometry())
        menu.exec(where)
        # A popup is built for one showing; left as the tab's child, every right-click
        # kept one, and its entries' slots kept the results they act on alive for good,
        # a deleted one (and its model) included. The chosen entry has run by now.
        menu.deleteLater()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The Menu key's context-menu event reaches the list itself (a right-click's
        reaches its viewport and goes on to ``show_menu``)."""
        if (event.type() == QEvent.Type.ContextMenu and watched is self.tab.results_list
                and isinstance(event, QContextMenuEvent)
                and event.reason() == QContextMenuEvent.Reason.Keyboard):
            self.show_menu_at_current()
            return True
        return super().eventFilter(watched, event)

    def _guard(self, what: str, slot: Callable[[], Any]) -> None:
        try:
            slot()
        except WorkbenchError as error:
            self.report(f"Error: {what}: {error}")

    # Actions ----------------------------------------------------------------------------
    def open_viewer(self, widget: QWidget) -> QWidget:
        """Show ``widget`` as a window of the size ``viewer_size`` gives it: the
        Flow's viewer size, more where its content asks for more, within the screen,
        and placed whole on it (left to the window manager, a 720 px tall viewer ran
        off the bottom of a 1280x800 screen)."""
        size = viewer_size(widget, self.tab)
        place_window(widget, self.tab, size.width(), size.height())
        close_with_keys(widget)
        widget.show()
        # Opened from the keyboard (Shift+F10, an access key), the viewer takes the keys:
        # Escape then closes it instead of reaching the Explorer (where it is Stop).
        widget.activateWindow()
        return keep_while_open(self.windows, widget)

    def view_text(self, evaluation: Any) -> QWidget:
        view = QPlainTextEdit(self.tab.report_text(evaluation))
        view.setReadOnly(True)
        view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        view.setWindowTitle(f"Model: {evaluation.label}" if isinstance(evaluation, LoadedModel)
                            else f"Report: {evaluation.results.classifier}")
        return self.open_viewer(view)

    def save_report(self, evaluation: Any, path: str | None = None) -> None:
        from workbench.gui.explorer.files import write_text_atomic

        if path is None:
            path, _ = QFileDialog.getSaveFileName(self.tab, "Save result buffer", "",
                                                  "Text (*.txt);;All files (*)")
        if path:
            write_text_atomic(path, self.tab.report_text(evaluation))
            self.report(f"Saved the report to {path}")

    def save_model(self, evaluation: Any, path: str | None = None) -> Job | None:
        """Save the evaluation's model in a worker, as ``load_model`` loads one: writing a
        large model (a k-NN's training rows, a big network's weights) takes a second or
        more, and the window must not freeze meanwhile. One save at a time, so two saves
        never race for one file. Returns the job (None when no file was chosen)."""
        if self.saving is not None:
            raise WorkbenchError("a model is being saved already: wait for it first")
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self.tab, "Save model",
                                                  str(suggested_model_path(evaluation)),
                                                  "Workbench model (*.model);;All files (*)")
        if not path:
            return None
        model, chosen = evaluation.model, path

        def work(progress: Any, cancel: Any) -> str:
            model.save(chosen)  # a refused file raises ModelFileError: reported, not raised
            return chosen

        job = self.saving = self._model_job(work, "save-model", self._model_saved,
                                            self._model_not_saved, self._saving_done)
        self.report(f"Saving the model to {chosen}...")
        job.start()
        return job

    def _model_saved(self, path: str) -> None:
        self.report(f"Saved the model to {path}")

    def _model_not_saved(self, message: str, details: str) -> None:
        self.report(f"Error: Save model...: {message}" + (f"\n{details}" if details else ""))

    def _saving_done(self) -> None:
        self.saving = None

    def load_model(self, path: str | None = None) -> Job | None:
        """Load a saved model in a worker; once loaded, its description is shown and it
        joins the loaded models. A worker, because reading a large model (a k-NN's
        training rows) or refitting a scikit-learn one takes seconds, and the window
        must not freeze meanwhile. Returns the job (None when nothing was chosen)."""
        if self.loading is not None:
            raise WorkbenchError("a model is loading already: wait for it first")
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self.tab, "Load model", "",
                                                  "Workbench model (*.model);;All files (*)")
        if not path:
            return None
        chosen = path

        def work(progress: Any, cancel: Any) -> tuple[str, Any]:
            from workbench.classifiers import load_model

            # a scikit-learn model's refit says what it fits ("rebuilding the model:
            # fitting 100 trees on 150 rows x 4 columns") while Stop can end it
            return chosen, load_model(chosen, progress=progress)

        job = self.loading = self._model_job(work, "load-model", self._model_loaded,
                                             self._model_refused, self._loading_done)
        job.cancelled.connect(lambda: self.report(f"Stopped loading the model from "
                                                  f"{chosen}"))
        job.progress.connect(lambda event: self.report(f"Loading the model from {chosen}: "
                                                       f"{event.message}...")
                             if event.message else None)
        self.report(f"Loading the model from {chosen}... (to stop: right-click the "
                    f"result list, Stop loading the model)")
        job.start()
        return job

    def stop_loading(self) -> None:
        """Stop the model being loaded: a scikit-learn model is fitted again on load
        (its file holds the training rows), for as long as the file's parameters ask,
        and a stranger's file may ask for hours; the refit ends at Stop
        (``core/stoppable.py``)."""
        if self.loading is not None:
            self.loading.stop()
            self.report("Stopping the model load...")

    def _model_job(self, work: Work, name: str, finished: Callable[[Any], None],
                   failed: Callable[[str, str], None], done: Callable[[], None]) -> Job:
        """A job reading or writing a model file, its outcome and any warning a library
        raised on the way (a refit on load) reported by the given slots and here."""
        job = Job(work, name, self)
        job.warned.connect(lambda text: self.report(f"Warning: {text}"))
        job.finished.connect(finished)
        job.failed.connect(failed)
        job.done.connect(done)
        return job

    def _model_loaded(self, loaded: tuple[str, Any]) -> None:
        """Put the model in the result list, as WEKA does: its entry shows the model and
        can be re-evaluated on the current test set or saved again."""
        path, model = loaded
        text = f"=== Model loaded from {path} ===\n\n{model.describe()}"
        name = self.tab.scheme_label(model)
        self.tab.add_result(LoadedModel(path, model, text, name))
        self.report(f"Loaded the model {name} from {path}; to test it, set a "
                    f"supplied test set and choose Re-evaluate model on current test set "
                    f"in its menu")

    def _model_refused(self, message: str, details: str) -> None:
        self.report(f"Error: Load model...: {message}")

    def _loading_done(self) -> None:
        self.loading = None

    def reevaluate(self, entry: Any) -> None:
        """Test the entry's model (a run's or a loaded one) on the current supplied test
        set, in a worker."""
        from workbench.classifiers.input_mapped import InputMappedClassifier
        from workbench.data.header_mapping import class_as_in, incompatibility
        from workbench.evaluation import TestOption
        from workbench.gui.explorer.classifier_output import REEVALUATE_AGAIN
        from workbench.gui.explorer.classify import WEKA_EXPLORER_MAPPING

        test = self.tab.test_set
        if test is None:
            raise WorkbenchError("set a supplied test set first")
        header = entry.header if isinstance(entry, LoadedModel) else entry.dataset.header()
        test = class_as_in(test, header)
        model = entry.model
        why = None if isinstance(model, InputMappedClassifier) else incompatibility(header,
                                                                                    test)
        if why is not None:
            # As for Start: offer WEKA's mapping, never a new training run.
            if not self.tab.ask_map_test_set(why):
                self.tab.refuse(f"the test set does not match the model's training data: "
                                f"{why}", REEVALUATE_AGAIN)
                return
            model = InputMappedClassifier.wrapping(model, **WEKA_EXPLORER_MAPPING)
        self.tab.evaluate_model(model, TestOption.supplied_test_set(test), header)
