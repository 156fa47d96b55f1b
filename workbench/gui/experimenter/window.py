"""The Experimenter window: Setup, Run and Analyse tabs, as in WEKA's Experimenter."""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QTabWidget, QWidget

from workbench.core.counts import counted
from workbench.core.errors import WorkbenchError
from workbench.core.registry import Registry, default_registry
from workbench.evaluation.experiment import ExperimentSpec, RunSummary
from workbench.gui.experimenter.analyse import AnalysePanel
from workbench.gui.experimenter.bundled import bundled_menu
from workbench.gui.experimenter.run import RunPanel
from workbench.gui.experimenter.setup import SetupPanel
from workbench.gui.widgets.placement import first_size
from workbench.gui.widgets.status import WorkbenchStatusBar
from workbench.gui.widgets.tab_keys import switch_tabs_with_keys

# The first window: its layout was checked at this size, which fits a 1280x800 screen.
FIRST_SIZE = (1000, 720)
ROOMIEST_SIZE = (1400, 900)   # as the Explorer's: its lists show more, not spread thin


class Experimenter(QMainWindow):
    """``setup`` edits the experiment, ``run`` computes it, ``analyse`` compares; a
    finished run loads its results into Analyse and performs the test."""

    def __init__(self, registry: Registry | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Workbench Experimenter")
        self.registry = registry or default_registry()
        self.tabs = QTabWidget()
        self.setup = SetupPanel(self.registry)
        self.run = RunPanel(self.setup)
        self.analyse = AnalysePanel()
        self.tabs.addTab(self.setup, "Setup")
        self.tabs.addTab(self.run, "Run")
        self.tabs.addTab(self.analyse, "Analyse")
        self.setCentralWidget(self.tabs)
        switch_tabs_with_keys(self, self.tabs)  # Ctrl+Tab, even from the Analyse table
        self.status = WorkbenchStatusBar()
        self.setStatusBar(self.status)
        self.setup.opened.connect(self._opened)
        self.setup.status.connect(self.status.set_activity)
        self.run.run_started.connect(lambda: self.status.set_activity("Running…"))
        self.run.run_finished.connect(self._run_finished)
        self.run.run_ended.connect(self._run_ended)
        self.run.refused.connect(lambda why: self.status.set_activity(f"Not started: {why}"))
        self.status.set_activity("Set up an experiment, or open one.")
        self._build_menu()
        # Bigger on a big screen (85 % of it, up to ROOMIEST_SIZE), smaller only on a
        # screen too small for FIRST_SIZE.
        self.resize(*first_size(FIRST_SIZE, ROOMIEST_SIZE))

    def _build_menu(self) -> None:
        """File: New, Open..., Open bundled, Save, Save as..., Quit, as the Explorer and
        the Knowledge Flow have; the Setup tab's buttons stay (WEKA's Experimenter has
        them). Quit closes the window, so it asks about an unsaved setup first."""
        file_menu = self.menuBar().addMenu("&File")

        def action(text: str, slot: Callable[[], object],
                   keys: QKeySequence.StandardKey | str | None = None) -> QAction:
            item = QAction(text, self)
            if keys is not None:
                item.setShortcut(QKeySequence(keys))
                item.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            item.triggered.connect(lambda _=False: slot())
            file_menu.addAction(item)
            self.addAction(item)
            return item

        action("&New", self.setup.new, QKeySequence.StandardKey.New)
        action("&Open...", self.setup.open_file, QKeySequence.StandardKey.Open)
        bundled = bundled_menu(self, self.setup.open_bundled)
        bundled.setTitle("Open &bundled")
        file_menu.addMenu(bundled)
        action("&Save", self.setup.save_current, QKeySequence.StandardKey.Save)
        action("Save &as...", self.setup.save_as, "Ctrl+Shift+S")
        file_menu.addSeparator()
        # Ctrl+Q always, beside the platform's Quit key (Windows has none).
        self.quit_action = action("&Quit", self.close)
        self.quit_action.setShortcuts(list(dict.fromkeys(
            [*QKeySequence.keyBindings(QKeySequence.StandardKey.Quit),
             QKeySequence("Ctrl+Q")])))
        self.file_menu = file_menu

    # Convenience API (CLI and tests) ----------------------------------------------------
    def open_spec(self, path: str | os.PathLike[str]) -> ExperimentSpec | None:
        try:
            spec = self.setup.load(path)
        except WorkbenchError as exc:
            self.setup.show_error(str(exc))
            self.status.set_activity(str(exc))
            return None
        return spec

    def start(self) -> bool:
        started = self.run.start()
        if started:
            self.tabs.setCurrentWidget(self.run)
            self.status.set_activity("Running…")
        elif not self.run.last_error:   # a refusal is already in the bar (``refused``)
            self.status.set_activity("Already running.")
        return started

    def stop(self) -> None:
        self.run.stop()

    @property
    def running(self) -> bool:
        return self.run.running

    # Slots ------------------------------------------------------------------------------
    def _run_finished(self, summary: RunSummary) -> None:
        """A run that finished (not one stopped or failed) opens the Analyse tab on its
        results, as the guide says; a problem reading them is shown there."""
        self.tabs.setCurrentWidget(self.analyse)
        try:
            self.analyse.load(summary.path)
        except WorkbenchError as exc:
            self.analyse.show_message(str(exc), error=True)
            return
        self.analyse.analyse()

    def _opened(self, path: str) -> None:
        """Whichever way an experiment was opened (Open..., Open bundled, the command
        line), the status bar says what and where its results will go."""
        what = (f"the bundled experiment {self.setup.opened_bundled}"
                if self.setup.opened_bundled else path)
        self.status.set_activity(f"Opened {what}: {counted(self.setup.total_runs(), 'run')};"
                                 f" results go to {self.setup.results.text()}.")

    def _run_ended(self) -> None:
        self.status.set_activity(self.run.status.text())

    def closeEvent(self, event: QCloseEvent) -> None:
        # An unsaved setup: Save, Discard or Cancel (a window never shown was never
        # edited by a person, so a script closing it is not asked).
        if self.isVisible() and not self.setup.maybe_save():
            event.ignore()
            return
        for ref in self.setup.checker.pending:
            self.setup.checker.forget(ref)
        job = self.run.job
        if job is not None:
            job.stop()
            job.wait(5.0)   # a run stops at its next check; finished rows are kept
        super().closeEvent(event)


ExperimenterWindow = Experimenter
