"""The Explorer's main window: the tabs, the current dataset and its undo stack, menus,
drag and drop, settings and the status bar.

The window owns the one current dataset; the tabs show it and ask for changes through
signals, so Preprocess, Classify and Visualize never disagree about what is loaded.
Loading a file and applying a filter run in ``Job`` workers like training does, so a
large file never freezes the window, and a broken file ends as a readable message with
its line number in the Preprocess tab, the status bar and the log.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTabWidget,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.memory_ceiling import describe_bytes
from workbench.core.progress import reporting_to
from workbench.core.registry import Registry, default_registry
from workbench.data.catalog import bundled_path
from workbench.data.dataset import Dataset
from workbench.data.io import dialog_filter, file_format
from workbench.data.missing_tokens import NumbersWithTokens
from workbench.data.number_separators import SeparatedNumbers
from workbench.gui.explorer import dataset_jobs, load_offers
from workbench.gui.explorer.classify import ClassifyTab
from workbench.gui.explorer.compare_action import CompareAction
from workbench.gui.explorer.files import (
    bundled_entry,
    recent_files,
    remember_file,
    suggested_save_path,
)
from workbench.gui.explorer.load_options import (
    FileSignature,
    LoadOptions,
    gui_advice,
    numbers_read_as_words,
    outdated_options,
    remember_options,
    remembered_options,
    separators_read_as_words,
    suggested_options,
)
from workbench.gui.explorer.load_progress import LoadProgress
from workbench.gui.explorer.menus import build_menus
from workbench.gui.explorer.preprocess import PreprocessTab
from workbench.gui.explorer.result_menu import ResultActions
from workbench.gui.explorer.unapplied_edits import ask_apply_edits, edits_settled
from workbench.gui.explorer.undo_budget import MAX_UNDO, trim, undo_budget
from workbench.gui.explorer.visualize import VisualizeTab
from workbench.gui.settings_file import (
    SET_ASIDE_STATUS,
    opened_with_notes,
    window_settings,
)
from workbench.gui.settings_values import folder_setting
from workbench.gui.widgets.log_pane import LogPane
from workbench.gui.widgets.placement import restore_main_geometry
from workbench.gui.widgets.status import WorkbenchStatusBar
from workbench.gui.widgets.tab_keys import switch_tabs_with_keys
from workbench.gui.widgets.window_list import close_all
from workbench.gui.workers import Job

# The first window: 1100 x 760 fits a 1280 x 800 screen with every sheet but the RNN's
# whole; a 1920 x 1080 screen gets 1400 x 900, where the RNN's fits too.
FIRST_SIZE = (1100, 760)
ROOMIEST_SIZE = (1400, 900)


def explorer_settings() -> QSettings:
    return window_settings("Explorer", "the Explorer's settings")


class ExplorerWindow(QMainWindow):
    """Preprocess, Classify, Visualize and Log tabs over one current dataset."""

    # Made by ``menus.build_menus``; their state follows the window's.
    undo_action: QAction
    start_action: QAction
    stop_action: QAction
    recent_menu: QMenu
    bundled_menu: QMenu
    result_menu: QMenu

    def __init__(self, registry: Registry | None = None, settings: QSettings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Workbench Explorer")
        self.setAcceptDrops(True)
        self.registry = registry or default_registry()
        # A settings file set aside at start (too large, not a file) is said once the
        # log and the status bar are there to say it (settings_file.py).
        notes: list[str] = []
        if settings is None:
            settings, notes = opened_with_notes(explorer_settings)
        self.settings = settings
        self.dataset: Dataset | None = None
        self.path: str | None = None
        self.undo_stack: list[tuple[Dataset, str]] = []
        self.undo_budget = undo_budget()   # bytes the undo steps may hold (undo_budget.py)
        self.load_job: Job | None = None
        self.filter_job: Job | None = None
        self.test_set_job: Job | None = None   # a supplied test set being read
        self._test_set_read = False   # whether the last Set... job delivered its file
        self.options_dialog: QDialog | None = None   # the options dialog open now

        self.log = LogPane()
        self.preprocess = PreprocessTab(self.registry)
        self.classify = ClassifyTab(self.registry)
        self.visualize = VisualizeTab()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.preprocess, "Preprocess")
        self.tabs.addTab(self.classify, "Classify")
        self.tabs.addTab(self.visualize, "Visualize")
        self.tabs.addTab(self.log, "Log")
        self.setCentralWidget(self.tabs)
        switch_tabs_with_keys(self, self.tabs)  # Ctrl+Tab, even from inside a table
        self.status = WorkbenchStatusBar()
        self.setStatusBar(self.status)
        self.load_progress = LoadProgress()   # a file being read: its bar and Cancel
        self.status.insertPermanentWidget(1, self.load_progress)
        self.results = ResultActions(self.classify, self.note)
        self.compare = CompareAction(self.classify, self.results)  # "Compare selected"

        self.preprocess.open_requested.connect(self.choose_file)
        self.preprocess.save_requested.connect(self.choose_save)
        self.preprocess.undo_requested.connect(self.undo)
        self.preprocess.replace_requested.connect(self.replace_dataset)
        self.preprocess.filter_requested.connect(self.apply_filter)
        self.preprocess.remove_requested.connect(self.remove_attributes)
        self.classify.status.connect(self.note)
        self.classify.refusal_withdrawn.connect(self._refusal_withdrawn)
        self.classify.test_button.clicked.connect(self.choose_test_set)
        # The Classify tab has its own bar: the status bar's shows a run's progress on
        # the other tabs only, so that one run never shows two bars at once.
        self._run_fraction: float | None = None
        self.classify.progress_changed.connect(self._run_progress)
        self.tabs.currentChanged.connect(lambda _index: self._show_run_progress())
        build_menus(self)
        self._restore_settings()
        self.note(f"Workbench Explorer ready; device {self.status.device.text()}")
        for note in notes:
            self.log.log(f"Warning: {note}")
            self.status.set_activity(SET_ASIDE_STATUS, "see the Log tab")

    def _run_progress(self, fraction: float | None) -> None:
        self._run_fraction = fraction
        self._show_run_progress()

    def _show_run_progress(self) -> None:
        on_classify = self.tabs.currentWidget() is self.classify
        self.status.set_fraction(None if on_classify else self._run_fraction)

    # Menus ------------------------------------------------------------------------------
    def update_actions(self) -> None:
        """Enable what can be done now: Undo with something to undo, Start with data and
        no run, Stop during a run (the menu agrees with the buttons)."""
        running = self.classify.running
        can_undo = bool(self.undo_stack) and self.filter_job is None
        self.undo_action.setEnabled(can_undo)
        self.preprocess.undo_button.setEnabled(can_undo)
        self.start_action.setEnabled(self.dataset is not None and not running)
        self.stop_action.setEnabled(running)
        # What is undone may name an attribute: its "&" is no access key.
        text = f"&Undo {self.undo_stack[-1][1].replace('&', '&&')}" if can_undo else "&Undo"
        self.undo_action.setText(text)

    def update_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = recent_files(self.settings)
        for path in files:
            name = bundled_entry(path)
            if name is None:
                action = self.recent_menu.addAction(path)
                action.triggered.connect(lambda _=False, p=path: self.open_file(p))
            else:   # wherever this installation keeps it
                action = self.recent_menu.addAction(f"{name}  (bundled dataset)")
                action.triggered.connect(lambda _=False, n=name: self.open_bundled(n))
        self.recent_menu.setEnabled(bool(files))

    # Log and status ---------------------------------------------------------------------
    def note(self, message: str) -> None:
        """A line for the status bar (first line) and the log (all of it)."""
        self.status.set_activity(message.splitlines()[0] if message else "")
        self.log.log(message)

    def _refusal_withdrawn(self) -> None:
        """A Start refusal's "Error: ..." leaves the status bar once the settings it
        was about are changed, as it leaves the Classify line (the log keeps it)."""
        if self.status.activity.text().startswith("Error:"):
            self.status.set_activity("Ready")

    # Files ------------------------------------------------------------------------------
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open data file",
                                              folder_setting(self.settings, "last_dir"),
                                              dialog_filter("loader"))
        if path:
            self.open_file(path)

    def open_bundled(self, name: str) -> bool:
        """Open a dataset shipped with Workbench (File > Open bundled dataset)."""
        try:
            path = bundled_path(name)
        except WorkbenchError as error:  # its file was removed from the installation
            self.note(f"Error: {error}")
            return False
        return self.open_file(str(path))

    def choose_file_with_options(self) -> None:
        """File > Open with options...: WEKA's "Invoke options dialog" (csv_options)."""
        path, _ = QFileDialog.getOpenFileName(self, "Open data file with options",
                                              folder_setting(self.settings, "last_dir"),
                                              dialog_filter("loader"))
        if path:
            outdated = outdated_options(self.settings, path)   # shown here, not applied
            self.offer_options(path, outdated if outdated is not None
                               else remembered_options(self.settings, path))

    def offer_options(self, path: str, options: LoadOptions, reason: str = "") -> None:
        """Show the options dialog for ``path`` (not blocking: it opens the file when
        accepted); ``reason``: why it opened by itself."""
        from workbench.gui.explorer.csv_options import CsvOptionsDialog

        try:
            csv = file_format(path) == "csv"
        except WorkbenchError as error:
            self.note(f"Error: {error}")
            return
        dialog = CsvOptionsDialog(path, options, reason, csv, self)
        dialog.accepted.connect(lambda: self.open_file(path, dialog.options()))
        dialog.finished.connect(lambda _result: self._options_closed(dialog))
        self.options_dialog = dialog
        dialog.open()

    def _options_closed(self, dialog: QDialog) -> None:
        # deleted once closed: no reference to it may outlive it (closeEvent asks it)
        if self.options_dialog is dialog:
            self.options_dialog = None
        dialog.deleteLater()

    def open_file(self, path: str, options: LoadOptions | None = None) -> bool:
        """Load a data file in a worker; the dataset appears when it is read. Without
        ``options``, those this file was last read with (Open recent reads it again the
        way that worked); when they were kept for a file that has since been replaced,
        the options dialog offers them instead of reading with them (False: nothing is
        loading, the dialog opens the file when accepted)."""
        from workbench.data.io import load_dataset

        if self.load_job is not None:
            self.note("Still loading the previous file (Cancel in the status bar stops it)")
            return False
        if options is None and load_offers.offer_outdated(self, path):
            return False
        chosen = options if options is not None else remembered_options(self.settings, path)
        typed = chosen.summary()
        self.note(f"Loading {path}{f' ({typed})' if typed else ''}...")
        failure: list[WorkbenchError] = []
        signed: list[FileSignature | None] = []
        words: list[NumbersWithTokens] = []
        told: list[str] = []   # the reader's notes (a trailing empty column left out)
        separated: list[SeparatedNumbers] = []

        def work(progress, cancel):
            signed.append(FileSignature.of(path))   # the file as it was when read
            try:
                with reporting_to(progress):   # the CSV reader's bytes and columns
                    dataset = load_dataset(path, **chosen.reader_options(path))
            except WorkbenchError as error:
                failure.append(error)   # for the options it suggests, read on failure
                raise gui_advice(error) from None
            words.extend(numbers_read_as_words(dataset, path, chosen))
            found = separators_read_as_words(dataset, path, chosen)
            separated.extend([found] if found is not None else [])
            return dataset

        job = Job(work, "load", self)
        job.warned.connect(told.append)
        job.finished.connect(lambda ds: self._loaded(path, ds, chosen,
                                                     signed[0] if signed else None, words,
                                                     separated, told))
        job.failed.connect(lambda message, details: self._load_failed(
            message, details, path, chosen, failure))
        job.cancelled.connect(lambda: self.note(f"Loading {path} cancelled"))
        job.done.connect(self._load_done)
        self.load_job = job
        self.load_progress.follow(job, lambda text: self.status.set_activity(
            f"Loading {text}"))
        job.start()
        return True

    def _loaded(self, path: str, dataset: Dataset, options: LoadOptions | None = None,
                signature: FileSignature | None = None,
                words: list[NumbersWithTokens] | None = None,
                separated: list[SeparatedNumbers] | None = None,
                told: list[str] | None = None) -> None:
        self.path = path
        self.undo_stack.clear()
        self.preprocess.show_message("")
        self.settings.setValue("last_dir", str(Path(path).resolve().parent))
        remember_file(self.settings, path)
        if options is not None:
            remember_options(self.settings, path, options, signature)
        self.update_recent_menu()
        self.setWindowTitle(f"Workbench Explorer - {Path(path).name}")
        self.set_dataset(dataset, f"opened {Path(path).name}")
        self.note(f"Loaded {path}: {dataset.num_instances} instances, "
                  f"{dataset.num_attributes} attributes")
        load_offers.offer_after_load(self, path, dataset, options, words, separated, told)

    def _load_failed(self, message: str, details: str, path: str | None = None,
                     options: LoadOptions | None = None,
                     failure: list[WorkbenchError] | None = None) -> None:
        self.tabs.setCurrentWidget(self.preprocess)
        self.note(f"Error: {message}" + (f"\n{details}" if details else ""))
        suggested = suggested_options(failure[0], options) \
            if path is not None and options is not None and failure else None
        if path is None or suggested is None:
            self.preprocess.show_message(message)
            return
        # An option may read it: offer them, filled in, now and (after Cancel) from the
        # message's button.
        reason = f"{message}\n\nThe options below may read it; they are filled in with a guess."
        self.preprocess.show_message(message, ("Open with options...", lambda: (
            self.offer_options(path, suggested, reason))))
        self.offer_options(path, suggested, reason)

    def _load_done(self) -> None:
        self.load_job = None

    def choose_test_set(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open test set",
                                              folder_setting(self.settings, "last_dir"),
                                              dialog_filter("loader"))
        if path:
            self.open_test_set(path)

    def open_test_set(self, path: str) -> bool:
        """Read a supplied test set in a worker, as Open reads the data: MNIST's test
        file held the window still for a second when it was read here. The Classify tab
        gets it once it is read; False when one is still being read."""
        from workbench.data.io import load_dataset

        if self.test_set_job is not None:
            self.note("Still loading the previous test set")
            return False
        options = remembered_options(self.settings, path)   # as Open read it
        if outdated_options(self.settings, path) is not None:
            self.note(f"{path} has changed since it was opened with options; it is "
                      f"read without them (File > Open with options... sets them)")

        def work(_progress: Any, _cancel: Any) -> Dataset:
            try:
                return load_dataset(path, **options.reader_options(path))
            except WorkbenchError as error:
                raise gui_advice(error) from None

        job = Job(work, "load test set", self)
        job.finished.connect(lambda ds: self._test_set_loaded(path, ds))
        job.failed.connect(lambda message, details: self.note(
            f"Error: {message}" + (f"\n{details}" if details else "")))
        job.done.connect(self._test_set_done)
        self.test_set_job = job
        self._test_set_read = False   # until this job's file arrives
        self.classify.testing.reading = Path(path).name
        self.note(f"Loading test set {path}...")
        job.start()
        return True

    def _test_set_loaded(self, path: str, dataset: Dataset) -> None:
        self._test_set_read = True
        self.classify.set_test_set(dataset, Path(path).name)
        self.note(f"Test set {path}: {dataset.num_instances} instances, "
                  f"{dataset.num_attributes} attributes")

    def _test_set_done(self) -> None:
        if self.test_set_job is not None:   # its work holds the dataset it read
            self.test_set_job.deleteLater()
        self.test_set_job = None
        self.classify.testing.reading = None
        self.classify.start_if_waiting(self.classify.testing.test_set is not None
                                       and self._test_set_read)

    def choose_save(self) -> bool:
        """Ask where to save the current dataset, suggesting a file that is never the
        one it was loaded from (``suggested_save_path``); True once it is saved."""
        if self.dataset is None:
            return False
        suggested = suggested_save_path(self.path, bool(self.undo_stack),
                                        self.dataset.relation)
        with contextlib.suppress(OSError):  # the dialog would open in cwd without it
            suggested.parent.mkdir(parents=True, exist_ok=True)
        path, _ = QFileDialog.getSaveFileName(self, "Save data", str(suggested),
                                              dialog_filter("saver"))
        return bool(path) and self.save_file(path)

    def save_file(self, path: str) -> bool:
        from workbench.data.io import save_dataset

        if self.dataset is None:
            return False
        try:
            save_dataset(self.dataset, path)
        except (WorkbenchError, OSError) as error:
            self.note(f"Error: cannot save {path}: {error}")
            return False
        self.note(f"Saved {self.dataset.relation} to {path}")
        return True

    # Drag and drop ----------------------------------------------------------------------
    def dragEnterEvent(self, event: Any) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        urls = [u for u in event.mimeData().urls() if u.isLocalFile()]
        if urls:
            self.open_file(urls[0].toLocalFile())
            event.acceptProposedAction()

    # Dataset and undo -------------------------------------------------------------------
    def set_dataset(self, dataset: Dataset | None, change: str = "") -> None:
        """Show ``dataset`` on every tab; ``change`` says how it came ("applied
        Normalize"), for an Edit... window with edits made on the data before."""
        self.dataset = dataset
        self.preprocess.set_dataset(dataset, change)
        self.classify.set_dataset(dataset)
        self.visualize.set_dataset(dataset)
        self.update_actions()

    def replace_dataset(self, dataset: Dataset, what: str) -> None:
        """A change from Preprocess (filter, removal, edit): undoable."""
        dropped = []
        if self.dataset is not None:
            self.undo_stack.append((self.dataset, what))
            dropped = trim(self.undo_stack, dataset, self.undo_budget, MAX_UNDO)
        self.set_dataset(dataset, what)
        line = (f"{what}: now {dataset.num_instances} instances, "
                f"{dataset.num_attributes} attributes")
        if dropped:
            # The status line says so, as a step that silently vanished would surprise
            # the user at Undo; the limit named is the one that dropped it.
            limit = (f"{MAX_UNDO} steps" if len(self.undo_stack) == MAX_UNDO
                     else f"{describe_bytes(self.undo_budget)} for undo")
            gone = f"'{dropped[0][1]}'" if len(dropped) == 1 else \
                f"the {len(dropped)} oldest steps"
            line += f"; {gone} can no longer be undone ({limit})"
        self.note(line)

    def undo(self) -> None:
        if not self.undo_stack:
            self.note("Nothing to undo")
            return
        dataset, what = self.undo_stack.pop()
        self.set_dataset(dataset, f"undone: {what}")
        self.note(f"Undone: {what}")

    def apply_filter(self, component: Any) -> None:
        """Fit and apply a filter to the current dataset in a worker (dataset_jobs.py:
        its result is dropped if the data was replaced meanwhile)."""
        dataset_jobs.apply_filter(self, component)

    def remove_attributes(self, chosen: list[int], what: str) -> None:
        """The Remove button's work, in a worker in the filter's slot, as Apply's."""
        dataset_jobs.remove_attributes(self, chosen, what)

    # Running ----------------------------------------------------------------------------
    def start(self) -> None:
        self.tabs.setCurrentWidget(self.classify)
        self.classify.start()

    def stop(self) -> None:
        self.classify.stop()

    def copy_report(self) -> None:
        QApplication.clipboard().setText(self.classify.report.toPlainText())
        self.note("Copied the report to the clipboard")

    @property
    def busy(self) -> bool:
        """True while any worker (load, filter, classification) runs."""
        return (self.load_job is not None or self.filter_job is not None
                or self.test_set_job is not None or self.classify.running)

    # Settings ---------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        # Where it suits the screen it opens on now, else the first size (placement.py).
        restore_main_geometry(self, self.settings.value("geometry"), FIRST_SIZE, ROOMIEST_SIZE)
        # The classifier is not restored: the Classify tab starts on ZeroR, as WEKA's
        # does, the baseline every other learner is read against (a CNN left from a
        # lesson greeted a WEKA user opening glass).
        folds = self.settings.value("folds")
        if folds is not None:  # a refused value shows under its field, never raises
            self.classify.set_test_options(folds=folds)

    def save_settings(self) -> None:
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("folds", self.classify.testing.values()["folds"])
        self.settings.sync()

    def close_opened_windows(self) -> None:
        """Close every window this Explorer opened (plots, viewers, the data editor, the
        Watch window): they go with it, as WEKA's do, and one left open kept the process
        running after File > Quit."""
        for windows in (self.preprocess.windows, self.visualize.windows,
                        self.results.windows):
            close_all(windows)
        self.classify.watch.close()

    def ask_apply_edits(self) -> QMessageBox.StandardButton:
        """Apply, Discard or Cancel for edits not yet applied (the tests answer here)."""
        return ask_apply_edits(self)

    def closeEvent(self, event: Any) -> None:
        if not edits_settled(self.preprocess.windows, self.ask_apply_edits,
                             self.choose_save, self.note):
            event.ignore()
            return
        self.save_settings()
        self.classify.stop()
        if self.options_dialog is not None:
            # its question is about this window's data: it goes with the window (left
            # open, a window-modal dialog outlived a closed Explorer)
            self.options_dialog.reject()
        saving = self.results.saving
        if saving is not None:
            # Closing the last window ends the process, and the model file with it,
            # half written: the window closes itself once the file is complete.
            self.note("Closing once the model is saved...")
            saving.done.connect(self.close, Qt.ConnectionType.UniqueConnection)
            event.ignore()
            return
        self.close_opened_windows()
        running = [job for job in (self.classify.job, self.load_job, self.filter_job,
                                   self.test_set_job, self.results.loading)
                   if job is not None and job.running]
        if running and self.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose):
            # Opened from the launcher, a closed window is deleted, and its jobs (Qt
            # children) with it, while their workers would still report to them: the
            # window is hidden now and deleted once their threads have ended (the run
            # was asked to stop; a load or a filter cannot be, and is not waited for).
            # Polled, not on ``done``: a job may have sent it just before this.
            self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
            poll = QTimer(self)

            def delete_when_idle() -> None:
                if not any(job.running for job in running):
                    poll.stop()
                    self.deleteLater()

            poll.timeout.connect(delete_when_idle)
            poll.start(100)
        super().closeEvent(event)
