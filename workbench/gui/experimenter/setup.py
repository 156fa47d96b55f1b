"""The Setup tab: datasets, classifiers, resampling, backend and results file.

The panel edits plain values and turns them into an ``ExperimentSpec`` through
``spec_from_dict``, so the window refuses exactly what the CLI refuses, with the same
messages. The lists and the two boxes are widgets of their own (``datasets.py``,
``classifier_list.py``, ``experiment_type_box.py``, ``execution_box.py``); this panel
lays them out, keeps the experiment's file (open, save, unsaved changes) and reaches
their controls under the names the Run tab uses.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core import resources
from workbench.core.counts import counted
from workbench.core.errors import WorkbenchError
from workbench.core.registry import Registry
from workbench.data.catalog import bundled_names
from workbench.data.io import dialog_filter
from workbench.evaluation.experiment.names import made_up_label
from workbench.evaluation.experiment.relocate import relocated
from workbench.evaluation.experiment.spec import ExperimentSpec, load_spec, spec_from_dict
from workbench.evaluation.experiment.store import carry_results, check_carry_target
from workbench.gui.experimenter.bundled import bundled_menu, bundled_name
from workbench.gui.experimenter.classifier_dialog import ClassifierDialog
from workbench.gui.experimenter.classifier_list import ClassifierList
from workbench.gui.experimenter.datasets import DatasetChecker, DatasetList
from workbench.gui.experimenter.execution_box import ExecutionBox
from workbench.gui.experimenter.experiment_type_box import ExperimentTypeBox
from workbench.gui.experimenter.save_commit import clear_torn_copy, committed_last
from workbench.gui.experimenter.wording import SPEC_SUFFIX, results_reason
from workbench.gui.widgets.colours import error_style
from workbench.gui.widgets.file_names import (
    ask_replace,
    ask_save_name,
    free_name,
    name_to_save,
)
from workbench.gui.widgets.literal import plain_label
from workbench.gui.widgets.palette_follow import keep_style
from workbench.gui.widgets.short_screen import scrolling_body
from workbench.gui.widgets.status import ElidedLabel


def default_results_path(spec_path: str | os.PathLike[str]) -> str:
    """The CLI's default (``core.resources.default_results_path``) as the field's text."""
    return str(resources.default_results_path(spec_path))


class SetupPanel(QWidget):
    """Edit an experiment. ``spec()`` validates and returns it (``WorkbenchError``
    otherwise); ``message`` shows the last problem in words."""

    changed = Signal()
    opened = Signal(str)  # an experiment file was opened (its path)
    status = Signal(str)  # what New or Save did, for the window's status bar

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.base_dir = os.getcwd()
        self.spec_path: str | None = None
        # The bundled experiment last opened, while the setup came from it: it is opened
        # as untitled (Save... asks for a name of the user's own), as a flow template is.
        self.opened_bundled: str | None = None
        # How Save... copies the runs to the saved file's results (old, new, spec): the
        # Run tab puts its own ``carry`` here, which moves a run's table as it goes on.
        # The fourth value is the experiment as saved when its dataset paths were
        # rewritten for another folder (``relocate``), else None.
        self.carrier: Callable[[str, str, ExperimentSpec, ExperimentSpec | None], int] = \
            carry_results
        outer = QVBoxLayout(scrolling_body(self))  # scrolls on a short screen

        files = QHBoxLayout()
        self.open_button = QPushButton("Open…")
        self.save_button = QPushButton("Save…")
        self.new_button = QPushButton("New")
        self.open_button.clicked.connect(self._open_clicked)
        self.open_bundled_button = QPushButton("Open bundled")
        self.open_bundled_button.setToolTip("The experiments shipped with Workbench, "
                                            "those the lessons use")
        self.open_bundled_button.setMenu(bundled_menu(self, self.open_bundled))
        self.save_button.clicked.connect(self._save_clicked)
        self.new_button.clicked.connect(self.new)
        # Elided, whole in its tooltip: a long path or the bundled note must not widen
        # the window past a small screen.
        self.spec_label = ElidedLabel("Experiment: (not saved)")
        for w in (self.open_button, self.open_bundled_button, self.save_button,
                  self.new_button):
            files.addWidget(w)
        files.addWidget(self.spec_label, 1)
        outer.addLayout(files)

        grid = QGridLayout()
        outer.addLayout(grid, 1)

        # Datasets ----------------------------------------------------------------------
        data_box = QGroupBox("Datasets")
        data_layout = QVBoxLayout(data_box)
        self.datasets = DatasetList()
        self.datasets.changed.connect(self._update_summary)
        self.datasets.refused.connect(self.show_error)
        data_layout.addWidget(self.datasets, 1)
        row = QHBoxLayout()
        self.bundled = QComboBox()
        self.bundled.addItems(bundled_names())
        # A drop-down list under the box, not a popup centred on the current entry: that
        # one puts a neighbouring dataset under the pointer, and the next click at the
        # same place (on Add bundled) chose it.
        self.bundled.setStyleSheet("QComboBox { combobox-popup: 0; }")
        self.bundled.setMaxVisibleItems(15)
        self.add_bundled_button = QPushButton("Add bundled")
        self.add_bundled_button.clicked.connect(
            lambda: self._try(lambda: self.add_dataset(self.bundled.currentText())))
        row.addWidget(self.bundled, 1)
        row.addWidget(self.add_bundled_button)
        data_layout.addLayout(row)
        row = QHBoxLayout()
        self.add_files_button = QPushButton("Add files…")
        self.add_files_button.clicked.connect(self._add_files_clicked)
        self.remove_dataset_button = QPushButton("Remove")
        self.remove_dataset_button.clicked.connect(self.remove_selected_datasets)
        row.addWidget(self.add_files_button)
        row.addWidget(self.remove_dataset_button)
        data_layout.addLayout(row)
        grid.addWidget(data_box, 0, 0)

        # Classifiers -------------------------------------------------------------------
        clf_box = QGroupBox("Classifiers")
        clf_layout = QVBoxLayout(clf_box)
        self.classifiers = ClassifierList(registry)
        self.classifiers.changed.connect(self._update_summary)
        self.classifiers.itemDoubleClicked.connect(lambda _i: self.edit_selected_classifier())
        clf_layout.addWidget(self.classifiers, 1)
        row = QHBoxLayout()
        self.add_classifier_button = QPushButton("Add…")
        self.add_classifier_button.clicked.connect(self._add_classifier_clicked)
        self.edit_classifier_button = QPushButton("Edit…")
        self.edit_classifier_button.clicked.connect(self.edit_selected_classifier)
        self.remove_classifier_button = QPushButton("Remove")
        self.remove_classifier_button.clicked.connect(self.remove_selected_classifiers)
        for w in (self.add_classifier_button, self.edit_classifier_button,
                  self.remove_classifier_button):
            row.addWidget(w)
        clf_layout.addLayout(row)
        grid.addWidget(clf_box, 0, 1)

        # Resampling, repetitions and measures -------------------------------------------
        self.experiment_type = ExperimentTypeBox()
        self.experiment_type.changed.connect(self._update_summary)
        # The box's controls are the panel's, as the Execution box's are below.
        self.method = self.experiment_type.method
        self.method_options = self.experiment_type.method_options
        self.folds = self.experiment_type.folds
        self.percent = self.experiment_type.percent
        self.repetitions = self.experiment_type.repetitions
        self.seed = self.experiment_type.seed
        self.metrics = self.experiment_type.metrics
        grid.addWidget(self.experiment_type, 1, 0)

        # Where to run and where to write ---------------------------------------------
        self.execution = ExecutionBox()
        # The box's controls are the panel's: the Run tab, tests and the tour reach them.
        self.backend = self.execution.backend
        self.scheduler = self.execution.scheduler
        self.workers = self.execution.workers
        self.results = self.execution.results
        self.browse_results = self.execution.browse_results
        self.summary = self.execution.summary
        grid.addWidget(self.execution, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(0, 1)

        self.message = plain_label()
        self.message.setWordWrap(True)
        keep_style(self.message, error_style)
        # Room for two lines at all times: a message coming or going must not move the
        # lists and buttons above it (a click aimed at one then hit its neighbour).
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.message.setMinimumHeight(2 * self.message.fontMetrics().lineSpacing() + 4)
        outer.addWidget(self.message)
        self.use_default_results()
        self._update_summary()
        self._saved = self.spec_dict()

    # Datasets ---------------------------------------------------------------------------
    @property
    def checker(self) -> DatasetChecker:
        return self.datasets.checker

    def dataset_refs(self) -> list[str]:
        return self.datasets.refs()

    def add_dataset(self, ref: str) -> None:
        """Add a bundled name or a file path (kept absolute unless bundled). A file is
        then loaded on a worker thread; one that no run could use is taken out of the
        list again with the reader's message (``checking_datasets`` lists those still
        being read)."""
        if ref not in bundled_names():
            if not Path(ref).is_file():
                raise WorkbenchError(f"'{ref}' is neither a bundled dataset nor a file")
            ref = str(Path(ref).resolve())
        if ref in self.dataset_refs():
            raise WorkbenchError(f"'{ref}' is already in the list")
        self.datasets.add(ref, ref, added=True)

    def checking_datasets(self) -> list[str]:
        return self.datasets.checking()

    def broken_datasets(self) -> dict[str, str]:
        """Datasets of an opened experiment that failed their check, with the reason."""
        return self.datasets.broken()

    def remove_selected_datasets(self) -> None:
        """Remove the selected datasets; a message about the list ("already in the
        list") goes with them, its cause gone."""
        self.datasets.remove_selected()
        self.message.clear()

    # Classifiers ------------------------------------------------------------------------
    def classifier_entries(self) -> list[dict[str, Any]]:
        return self.classifiers.entries()

    def add_classifier(self, name: str, params: dict[str, Any] | None = None,
                       label: str = "") -> None:
        """Add a classifier; the registry checks the name and parameters at once."""
        self.classifiers.add(name, params, label)

    def edit_classifier(self, row: int, name: str, params: dict[str, Any],
                        label: str = "") -> None:
        self.classifiers.edit_entry(row, name, params, label)

    def remove_selected_classifiers(self) -> None:
        self.classifiers.remove_selected()
        self.message.clear()

    def edit_selected_classifier(self) -> None:
        row = self.classifiers.currentRow()
        if row < 0:
            self.show_error("Select a classifier to edit.")
            return
        entry = self.classifiers.entry(row)
        dialog = ClassifierDialog(self.registry, entry["name"], entry["params"],
                                  entry["label"], self)
        if dialog.exec():
            self._try(lambda: self.edit_classifier(row, dialog.name(), dialog.params(),
                                                   dialog.label()))

    def _add_classifier_clicked(self) -> None:
        dialog = ClassifierDialog(self.registry, parent=self)
        if dialog.exec():
            self._try(lambda: self.add_classifier(dialog.name(), dialog.params(),
                                                  dialog.label()))

    # The spec ---------------------------------------------------------------------------
    def spec_dict(self) -> dict[str, Any]:
        classifiers = []
        for entry in self.classifier_entries():
            out: dict[str, Any] = {"name": entry["name"]}
            if entry["params"]:
                out["params"] = entry["params"]
            if entry["label"]:
                out["label"] = entry["label"]
            classifiers.append(out)
        return {"version": 1, "datasets": self.dataset_refs(), "classifiers": classifiers,
                "resampling": self.experiment_type.resampling(),
                "repetitions": self.repetitions.value(), "seed": self.seed.value(),
                "metrics": self.checked_metrics()}

    def spec(self) -> ExperimentSpec:
        """The validated experiment (``WorkbenchError`` in the user's words otherwise)."""
        return spec_from_dict(self.spec_dict(), source="experiment", base_dir=self.base_dir)

    def runnable_spec(self) -> ExperimentSpec:
        """The experiment, once every dataset has passed its check: a run must not
        discover a broken file after hours of other runs."""
        spec = self.spec()
        checking = self.checking_datasets()
        if checking:
            raise WorkbenchError(f"Still reading {', '.join(checking)} to check it; "
                                 f"Start again in a moment.")
        broken = self.broken_datasets()
        if broken:
            ref, reason = next(iter(broken.items()))
            raise WorkbenchError(f"Dataset '{ref}' cannot be used: {reason} (select it and "
                                 f"press Remove under Datasets)")
        return spec

    def total_runs(self) -> int:
        """Datasets x classifiers x repetitions x folds: what the summary line says and
        what the Run tab counts towards."""
        return (self.datasets.count() * self.classifiers.count()
                * self.experiment_type.runs_per_pair())

    @property
    def modified(self) -> bool:
        """True when the setup differs from what was last opened, saved or started anew."""
        return self.spec_dict() != self._saved

    def ask_save_changes(self) -> QMessageBox.StandardButton:
        """Ask whether to save the setup (tests replace this)."""
        return QMessageBox.question(
            self, "Unsaved experiment", "The experiment setup has unsaved changes. Save "
            "them?", QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel)

    def maybe_save(self) -> bool:
        """True when the setup may be dropped: unchanged, saved now, or discarded."""
        if not self.modified:
            return True
        answer = self.ask_save_changes()
        if answer == QMessageBox.StandardButton.Discard:
            return True
        if answer != QMessageBox.StandardButton.Save:
            return False
        return self.save_current()

    def new(self) -> bool:
        """File > New: an empty setup with a new window's defaults (resampling,
        repetitions, seed, measures), after asking about unsaved changes."""
        if not self.maybe_save():
            return False
        self.clear()
        self.status.emit(f"New experiment: add datasets and classifiers; results go to "
                         f"{self.results.text().strip()}.")
        return True

    def checked_metrics(self) -> list[str]:
        """Checked metrics (``ExperimentTypeBox.checked_metrics``)."""
        return self.experiment_type.checked_metrics()

    def set_spec(self, spec: ExperimentSpec) -> None:
        self.clear_lists()
        self.base_dir = spec.base_dir
        for ref in spec.datasets:
            self.datasets.add(ref, spec.dataset_location(ref), added=False)
        for clf in spec.classifiers:
            # A label the experiment made up ("knn --k 3") is no label the user gave:
            # the list shows the classifier by its menu name again ("IBk -K 3"), and
            # saving writes the entry as it was (``evaluation.experiment.names``).
            made_up = made_up_label(self.registry.create("classifier", clf.name,
                                                         **clf.params))
            self.classifiers.append({"name": clf.name, "params": dict(clf.params),
                                     "label": "" if clf.label == made_up else clf.label})
        self.experiment_type.set_spec(spec)
        self._update_summary()

    def load(self, path: str | os.PathLike[str]) -> ExperimentSpec:
        """Open an experiment file. A bundled one (from *Open bundled*, the command line
        or *Open...*) opens untitled, as a flow template does: it lives inside the
        installed program, which may be read-only, so neither Save... nor its results
        write there."""
        spec = load_spec(path)
        self.set_spec(spec)
        if resources.is_bundled(path, "experiments"):
            self.opened_bundled = bundled_name(path)
            self.spec_path = None
            self.spec_label.setText(f"Experiment: {self.opened_bundled} (bundled; "
                                    f"Save... keeps a copy of your own)")
        else:
            self.opened_bundled = None
            self.spec_path = str(path)
            self.spec_label.setText(f"Experiment: {path}")
        self.execution.suggest_results(default_results_path(path), results_reason(path))
        self.message.clear()
        self._saved = self.spec_dict()
        self.opened.emit(str(path))
        return spec

    def open_bundled(self, path: str | os.PathLike[str]) -> bool:
        """*Open bundled* > NAME: open a bundled experiment, after asking about unsaved
        changes; False when the user kept the setup or the file could not be read."""
        if not self.maybe_save():
            return False
        return self._try(lambda: self.load(path))

    def save(self, path: str | os.PathLike[str]) -> str:
        """Validate, then write the spec as the user gave it; returns what happened, in a
        line for the status bar. Saved into another folder, its relative dataset paths
        are rewritten to name the same files from there (``relocate``), and the list
        shows them so: written unchanged they named files that are not there, and the
        saved experiment could not be opened.

        Whatever the experiment was (new, bundled, opened from another file), the
        saved file then writes its results beside itself, where reopening it (and
        ``workbench experiment run``) looks for them, unless the user chose a results
        file. Runs already in the results file it had are copied there
        (``store.carry_results``): copied, not moved, so nothing is lost if the copy
        fails. A file already beside it is never overwritten: the save is refused
        before anything is written, naming that file (``store.check_carry_target``).
        The file and its runs are saved as one step (``save_commit``): the file is
        renamed into place only once the runs are copied, so a copy that fails (a
        ``WorkbenchError`` saying nothing was saved) or a crash leaves the file there
        as it was, and the setup, its results file and its runs as they were. During a
        run, ``carrier`` (the Run tab's) also sends the runs still to come there."""
        spec = self.spec()
        data = self.spec_dict()
        moved = relocated(spec, Path(path).absolute().parent)
        data["datasets"] = list(moved.datasets)
        # Only an experiment whose datasets are written otherwise has a new record.
        saved = moved if moved.datasets != spec.datasets else None
        old = self.results.text().strip()
        carries = bool(old) and self.execution.results_is_suggested
        beside = default_results_path(path)
        if carries:
            clear_torn_copy(beside, spec)   # a save that died there left it
            check_carry_target(old, beside, spec)
        carried = 0
        try:
            with committed_last(path, data):
                if carries:
                    carried = self.carrier(old, beside, spec, saved)
                elif old and saved is not None:
                    # a run writing to the file the user chose follows the saved record
                    self.carrier(old, old, spec, saved)
        except WorkbenchError as exc:
            raise WorkbenchError(f"{exc}; the experiment was not saved ({path} is as it "
                                 f"was){self._results_left(old, beside, carries)}") \
                from exc
        self.base_dir = moved.base_dir
        for ref, new_ref in zip(spec.datasets, moved.datasets, strict=True):
            if new_ref != ref:
                self.datasets.rename(ref, new_ref)
        self.spec_path = str(path)
        self.spec_label.setText(f"Experiment: {path}")
        self.opened_bundled = None
        note = f"Saved {path}"
        if carries or not old:
            self.execution.suggest_results(beside, results_reason(path))
            note += (f"; its {counted(carried, 'finished run')} were copied to "
                     f"{beside}, where its results go from now on" if carried
                     else f"; its results go to {beside}")
        else:
            note += f"; its results go to {old}, the file you chose"
        self.message.clear()
        self._saved = self.spec_dict()
        if saved is not None:   # the Run tab counts against the record carried (or kept)
            self._update_summary()
        self.status.emit(f"{note}.")
        return note

    @staticmethod
    def _results_left(old: str, beside: str, carries: bool) -> str:
        """Where the runs are after a save that failed: still in ``old``; and, when the
        copy was complete before the file could not be renamed into place, in
        ``beside`` too (a copy the next save there names, for the user to move away)."""
        if not carries:
            return ""
        copied = Path(beside).exists() and Path(beside).resolve() != Path(old).resolve()
        return (f"; the runs are in {old}" + (f", and a copy of them in {beside}"
                                                if copied else ""))

    def clear_lists(self) -> None:
        self.datasets.forget_all()
        self.classifiers.clear()

    def clear(self) -> None:
        """An empty setup with a new window's defaults (File > New); where runs are
        computed (the Execution box) is no part of an experiment file and stays."""
        self.clear_lists()
        self.experiment_type.reset()
        self.spec_path = None
        self.opened_bundled = None
        self.base_dir = os.getcwd()
        self.spec_label.setText("Experiment: (not saved)")
        self.use_default_results()
        self.message.clear()
        self._update_summary()
        self._saved = self.spec_dict()

    def backend_name(self) -> str:
        return self.execution.backend_name()

    def set_backend(self, name: str, scheduler: str = "") -> None:
        self.execution.set_backend(name, scheduler)

    def use_default_results(self) -> None:
        """Fill the Results file field with a fresh file in the user's data folder."""
        self.execution.use_default_results()

    def results_path(self, spec: ExperimentSpec | None = None) -> str:
        """Where the run writes (see ``ExecutionBox.results_path``)."""
        return self.execution.results_path(spec)

    @property
    def results_is_default(self) -> bool:
        """True while the Results file field holds the file we chose, not one typed."""
        return self.execution.results_is_default

    # Helpers ----------------------------------------------------------------------------
    def show_error(self, text: str) -> None:
        self.message.setText(text)

    def _try(self, action) -> bool:
        try:
            action()
        except WorkbenchError as exc:
            self.show_error(str(exc))
            return False
        self.message.clear()
        return True

    def _update_summary(self) -> None:
        factors = [counted(self.datasets.count(), "dataset"),
                   counted(self.classifiers.count(), "classifier"),
                   counted(self.repetitions.value(), "repetition")]
        if self.experiment_type.cross_validation:
            factors.append(counted(self.folds.value(), "fold"))
        self.summary.setText(f"{' × '.join(factors)} = {counted(self.total_runs(), 'run')}")
        self.changed.emit()

    def _open_clicked(self) -> None:
        if not self.maybe_save():
            return
        path, _ = QFileDialog.getOpenFileName(self, "Open experiment", self._dialog_dir(),
                                              "Experiments (*.json);;All files (*)")
        if path:
            self._try(lambda: self.load(path))

    def save_current(self) -> bool:
        """File > Save: an experiment that has a file of its own is saved there; an
        untitled one (new or bundled) asks for a name, as *Save...* does."""
        if self.spec_path is None:
            return self._save_clicked()
        path = self.spec_path
        return self._try(lambda: self.save(path))

    def open_file(self) -> None:
        """*Open...* (button and File menu): ask about unsaved changes, then a file."""
        self._open_clicked()

    def save_as(self) -> bool:
        """*Save...* (button) and File > Save as...: always asks for a name."""
        return self._save_clicked()

    def _save_clicked(self) -> bool:
        """Save under a name asked for; ``.experiment.json`` is added to a name typed
        without ``.json``, and replacing a file of that name is asked about here (the
        dialog asked about the name typed)."""
        path = name_to_save(self.ask_spec_path(), SPEC_SUFFIX, self.confirm_replace)
        return path is not None and self._try(lambda: self.save(path))

    def ask_spec_path(self) -> str:
        """Where to save the experiment (tests replace this); "" when cancelled."""
        return ask_save_name(self, "Save experiment", "Experiments (*.json)", SPEC_SUFFIX,
                             str(self.spec_path or self.suggested_spec_path()))

    def suggested_spec_path(self) -> Path:
        """A new or bundled experiment's first save: in the output folder where the
        other tools' Save... propose to write (``~/workbench-output``), named after the
        bundled experiment or "experiment", numbered so the suggestion replaces nothing
        (the dialog opened in whatever folder the program was started from)."""
        return free_name(resources.user_output_root(), self.opened_bundled or "experiment",
                         SPEC_SUFFIX)

    def confirm_replace(self, path: Path) -> bool:
        """Ask before replacing ``path`` (tests replace this)."""
        return ask_replace(self, path)

    def _dialog_dir(self) -> str:
        """Where file dialogs start: the experiment's folder, but not the installed
        program's folder of a bundled experiment (*Open bundled* lists those)."""
        return os.getcwd() if self.opened_bundled else self.base_dir

    def _add_files_clicked(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Add datasets", self._dialog_dir(),
                                                dialog_filter("loader"))
        for path in paths:
            if not self._try(lambda p=path: self.add_dataset(p)):
                break

