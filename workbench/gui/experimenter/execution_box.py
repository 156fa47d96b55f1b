"""The Setup tab's "Execution and results" box: where runs go and where results land.

The backend, its scheduler and workers, and the results file, with the one rule that is
not plain editing: the default results file is ours, not the user's, so when it already
holds another experiment's results a fresh one is chosen instead of resuming into it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.jsonfile import read_json
from workbench.evaluation.experiment import BACKENDS
from workbench.evaluation.experiment.spec import ExperimentSpec
from workbench.evaluation.experiment.store import same_experiment, spec_sidecar
from workbench.gui.experimenter.wording import default_results_file
from workbench.gui.widgets.colours import hint_style
from workbench.gui.widgets.form_names import name_form_fields
from workbench.gui.widgets.literal import plain_label
from workbench.gui.widgets.palette_follow import keep_style


class ExecutionBox(QGroupBox):
    """Backend, scheduler, workers, results file and the summary line below them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Execution and results", parent)
        where = QFormLayout(self)
        self.backend = QComboBox()
        labels = {"local": "local (this process)", "processes": "processes (joblib)",
                  "dask": "dask (cluster)"}
        for name in BACKENDS:
            self.backend.addItem(labels.get(name, name), name)
        where.addRow("Backend", self.backend)
        self.scheduler = QLineEdit()
        self.scheduler.setPlaceholderText("tcp://host:8786 (empty: local Dask cluster)")
        where.addRow("Scheduler", self.scheduler)
        self.workers = QSpinBox()
        self.workers.setRange(0, 512)
        self.workers.setSpecialValueText("auto")
        where.addRow("Workers", self.workers)
        self.backend.currentIndexChanged.connect(self._backend_changed)
        results_row = QHBoxLayout()
        self.results = QLineEdit()
        self.results.setPlaceholderText("results table (CSV or ARFF)")
        self._default_results = ""
        self.browse_results = QPushButton("Browse…")
        self.browse_results.clicked.connect(self._browse_results_clicked)
        results_row.addWidget(self.results, 1)
        results_row.addWidget(self.browse_results)
        where.addRow("Results file", results_row)
        # Why the field holds the file it does (the data folder, beside the experiment,
        # or the output folder for a bundled one), while it still holds that file.
        self.results_note = plain_label()
        self.results_note.setWordWrap(True)
        keep_style(self.results_note, hint_style)
        self._suggested = ("", "")
        self.results.textChanged.connect(self._show_note)
        where.addRow("", self.results_note)
        self.summary = plain_label()
        where.addRow("", self.summary)
        name_form_fields(where)  # the results file is a path and its Browse button
        self.summary.setWordWrap(True)  # a long count must not widen a small screen's window
        self._backend_changed()

    def backend_name(self) -> str:
        return str(self.backend.currentData())

    def set_backend(self, name: str, scheduler: str = "") -> None:
        index = self.backend.findData(name)
        if index < 0:
            raise WorkbenchError(f"unknown backend '{name}'")
        self.backend.setCurrentIndex(index)
        self.scheduler.setText(scheduler)

    def use_default_results(self) -> None:
        """Fill the Results file field with a fresh file in the user's data folder."""
        self._default_results = str(default_results_file())
        self.suggest_results(self._default_results, "A new file in your Workbench data "
                             "folder.")

    def suggest_results(self, path: str, why: str) -> None:
        """Fill the Results file field with ``path``, and say ``why`` under it for as long
        as the field still holds that file (a file the user types needs no reason)."""
        self._suggested = (path, why)
        self.results.setText(path)
        self._show_note()

    @property
    def results_is_suggested(self) -> bool:
        """True while the field holds the file last suggested (by default, or for the
        experiment opened), not one the user typed or browsed to."""
        return self.results.text().strip() == self._suggested[0]

    def _show_note(self) -> None:
        self.results_note.setText(self._suggested[1] if self.results_is_suggested else "")

    @property
    def results_is_default(self) -> bool:
        """True while the field holds the file we chose, not one the user typed."""
        return self.results.text().strip() == self._default_results

    def results_path(self, spec: ExperimentSpec | None = None) -> str:
        """Where the run writes. An empty field gets the default again; the default file
        already holding another experiment's results is replaced by a fresh one (the
        user never chose it, so resuming into it cannot be what they meant)."""
        text = self.results.text().strip()
        if not text:
            self.use_default_results()
            text = self.results.text()
        if spec is not None and self.results_is_default and Path(text).exists():
            try:
                recorded = read_json(spec_sidecar(Path(text)), what="an experiment record")
            except WorkbenchError:
                recorded = None
            if not same_experiment(recorded, spec):
                self.use_default_results()
                text = self.results.text()
        return text

    def _backend_changed(self) -> None:
        dask = self.backend_name() == "dask"
        self.scheduler.setEnabled(dask)
        self.workers.setEnabled(self.backend_name() != "local")

    def _browse_results_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Results file", self.results.text() or "results.csv",
            "Results: CSV, or ARFF as WEKA's Experimenter writes it (*.csv *.arff)",
            options=QFileDialog.Option.DontConfirmOverwrite)
        if path:
            self.results.setText(path)
