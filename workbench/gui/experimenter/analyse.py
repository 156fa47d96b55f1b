"""The Analyse tab: WEKA's comparison table of a results file.

Choose the metric, the baseline and the significance level; the table shows each
dataset's mean (standard deviation) per classifier with ``v`` (significantly better than
the baseline, in the measure's better direction) or ``*`` (significantly worse), and the
``(v/ /*)`` tally underneath; the line above the table says so and which way is better.
The test output below it and the exports are ``export``'s text, CSV and LaTeX. Once a
test has been performed, changing the measure, the base or the level performs it again,
so the table never shows another choice's numbers under the combo's new one; a level
typed into its field counts once it is left or Enter is pressed, not at each keystroke
(a test over hundreds of classifiers takes a second), and new decimals only re-format.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.atomic import atomic_write
from workbench.core.errors import WorkbenchError
from workbench.evaluation.experiment import FORMATS, Comparison, compare, export, read_results
from workbench.evaluation.experiment.analysis import metric_columns
from workbench.evaluation.experiment.runs import TIME_COLUMNS
from workbench.gui.experimenter.wording import shown_names
from workbench.gui.widgets.colours import error_style
from workbench.gui.widgets.focus_frame import frame_focus
from workbench.gui.widgets.form_names import name_by_label, name_form_fields
from workbench.gui.widgets.literal import plain_label, tooltip_text
from workbench.gui.widgets.palette_follow import keep_style
from workbench.gui.widgets.screen_reader import announce

TALLY = "(v/ /*)"


def cell_text(mean: float, std: float, marker: str, precision: int = 2) -> str:
    """One table cell as WEKA prints it: ``mean (std)`` and the marker."""
    def num(value: float) -> str:
        return "-" if math.isnan(value) else f"{value:.{precision}f}"

    text = f"{num(mean)} ({num(std)})"
    return f"{text} {marker}" if marker else text


class AnalysePanel(QWidget):
    """``load(path)`` reads a results table; ``analyse()`` fills the table and returns
    the ``Comparison`` (None, with the reason shown, when it cannot)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names: dict[str, str] = {}   # results-file label -> name to show
        self.table_data: pd.DataFrame | None = None
        self.comparison: Comparison | None = None
        self.path: str | None = None
        layout = QVBoxLayout(self)

        source = QHBoxLayout()
        self.results = QLineEdit()
        self.results.setPlaceholderText("results table (CSV or ARFF)")
        self.results.returnPressed.connect(lambda: self._try_load(self.results.text()))
        self.open_button = QPushButton("Open results…")
        self.open_button.clicked.connect(self._open_clicked)
        self.reload_button = QPushButton("Reload")
        self.reload_button.clicked.connect(lambda: self._try_load(self.results.text()))
        results_label = QLabel("Results")
        source.addWidget(results_label)
        source.addWidget(self.results, 1)
        source.addWidget(self.open_button)
        source.addWidget(self.reload_button)
        name_by_label(results_label, self.results)
        layout.addLayout(source)

        options = QHBoxLayout()
        form = QFormLayout()
        self.metric_box = QComboBox()
        self.baseline = QComboBox()
        form.addRow("Comparison field", self.metric_box)
        form.addRow("Test base", self.baseline)
        name_form_fields(form)
        options.addLayout(form, 2)
        form = QFormLayout()
        self.significance = QDoubleSpinBox()
        self.significance.setDecimals(3)
        self.significance.setRange(0.001, 0.5)
        self.significance.setSingleStep(0.01)
        self.significance.setValue(0.05)
        self.precision = QSpinBox()
        self.precision.setRange(0, 8)
        self.precision.setValue(2)
        form.addRow("Significance", self.significance)
        form.addRow("Decimals", self.precision)
        name_form_fields(form)
        options.addLayout(form, 1)
        buttons = QVBoxLayout()
        self.perform_button = QPushButton("Perform test")
        self.perform_button.clicked.connect(self.analyse)
        buttons.addWidget(self.perform_button)
        buttons.addStretch(1)
        options.addLayout(buttons)
        layout.addLayout(options)

        # What v and * mean for the measure compared (a WEKA user expects higher/lower).
        self.legend = plain_label()
        self.legend.setWordWrap(True)
        layout.addWidget(self.legend)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves it; the arrows move the cell
        self.table.verticalHeader().setVisible(False)
        self.table.setAccessibleName("Comparison table")
        splitter.addWidget(self.table)
        self.output = QPlainTextEdit()
        self.output.setReadOnly(True)
        self.output.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        fixed.setStyleHint(QFont.StyleHint.Monospace)
        self.output.setFont(fixed)
        frame_focus(self.output)  # read-only: Fusion shows no focus on it otherwise
        self.output.setAccessibleName("Comparison as text")
        splitter.addWidget(self.output)
        splitter.setSizes([300, 200])
        layout.addWidget(splitter, 1)

        exports = QHBoxLayout()
        self.format = QComboBox()
        for fmt in FORMATS:
            self.format.addItem({"text": "Text", "csv": "CSV", "latex": "LaTeX"}.get(
                fmt, fmt), fmt)
        self.save_button = QPushButton("Save…")
        self.save_button.clicked.connect(self._save_clicked)
        self.copy_button = QPushButton("Copy")
        self.copy_button.clicked.connect(self.copy)
        export_label = QLabel("Export as")
        exports.addWidget(export_label)
        exports.addWidget(self.format)
        name_by_label(export_label, self.format)
        exports.addWidget(self.save_button)
        exports.addWidget(self.copy_button)
        exports.addStretch(1)
        layout.addLayout(exports)
        self.message = plain_label()
        self.message.setWordWrap(True)
        self._message_is_error = False
        keep_style(self.message,
                   lambda: error_style() if self._message_is_error else "")
        layout.addWidget(self.message)
        self._set_export_enabled(False)
        self._loading = False
        self.significance.setKeyboardTracking(False)
        self.precision.setKeyboardTracking(False)
        for signal in (self.metric_box.currentIndexChanged,
                       self.baseline.currentIndexChanged,
                       self.significance.valueChanged):
            signal.connect(self._choice_changed)
        self.precision.valueChanged.connect(self._reformat)

    def _choice_changed(self) -> None:
        """A new measure, base, level or precision after a test: test again at once, so
        the table always shows what the controls say (not while ``load`` refills them)."""
        if not self._loading and self.comparison is not None and \
                self.table_data is not None:
            self.analyse()

    def _reformat(self) -> None:
        """New decimals: the same comparison, written again (no test to perform)."""
        if self.comparison is not None:
            self._fill(self.comparison)
            self.output.setPlainText(export(self.comparison.renamed(self.names), "text",
                                            self.precision.value()))

    # Names ------------------------------------------------------------------------------
    def shown(self, label: str) -> str:
        """A classifier as the user chose it ("IBk -K 3"), not as the table keys it."""
        return self.names.get(label, label)

    def baseline_label(self) -> str:
        """The chosen base classifier's label in the results file."""
        data = self.baseline.currentData()
        return str(data) if data is not None else self.baseline.currentText()

    # Loading ----------------------------------------------------------------------------
    def load(self, path: str | os.PathLike[str]) -> pd.DataFrame:
        notes: list[str] = []   # measures that are not finite numbers, read as missing
        table = read_results(path, notes)
        if table.empty:
            raise WorkbenchError(f"{path}: the results table has no runs yet")
        self.table_data = table
        self.path = str(path)
        self.results.setText(str(path))
        metric, baseline = self.metric_box.currentText(), self.baseline_label()
        self.names = shown_names(path)
        self._loading = True
        try:
            self._fill_choices(table, metric, baseline)
        finally:
            self._loading = False
        runs = len(table)
        self.show_message("\n".join([
            f"{runs} runs of {table['classifier'].nunique()} classifiers on "
            f"{table['dataset'].nunique()} datasets loaded from {path}.", *notes]))
        return table

    def _fill_choices(self, table: pd.DataFrame, metric: str, baseline: str) -> None:
        """The measure and base combos for ``table``, keeping the choices still there."""
        self.metric_box.clear()
        self.metric_box.addItems([*metric_columns(table), *TIME_COLUMNS])
        if self.metric_box.findText(metric) >= 0:
            self.metric_box.setCurrentText(metric)
        self.baseline.clear()
        for label in dict.fromkeys(table["classifier"]):
            self.baseline.addItem(self.shown(label), label)
        if self.baseline.findData(baseline) >= 0:
            self.baseline.setCurrentIndex(self.baseline.findData(baseline))

    # Analysis ---------------------------------------------------------------------------
    def analyse(self) -> Comparison | None:
        try:
            if self.table_data is None:
                if not self.results.text().strip():
                    raise WorkbenchError("Open a results file first.")
                self.load(self.results.text().strip())
            comparison = compare(self.table_data, self.metric_box.currentText(),
                                 self.baseline_label() or None,
                                 self.significance.value())
        except WorkbenchError as exc:
            # No table of an earlier choice left under the controls' new one, nor a
            # comparison that new decimals would draw again.
            self.comparison = None
            self._set_export_enabled(False)
            self.table.clear()
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            self.output.clear()
            self.legend.clear()
            self.show_message(str(exc), error=True)
            return None
        self.comparison = comparison
        self.legend.setText(f"{comparison.renamed(self.names).legend}.")
        self._fill(comparison)
        self.output.setPlainText(export(comparison.renamed(self.names), "text",
                                        self.precision.value()))
        self._set_export_enabled(True)
        self.show_message(f"Compared {comparison.metric} against "
                          f"{self.shown(comparison.baseline)} "
                          f"at significance {comparison.significance:g}.")
        return comparison

    def _fill(self, c: Comparison) -> None:
        precision = self.precision.value()
        self.table.clear()
        self.table.setRowCount(len(c.datasets) + 1)
        self.table.setColumnCount(2 + len(c.classifiers))
        self.table.setHorizontalHeaderLabels(
            ["Dataset", "Runs", *[f"({i + 1}) {self.shown(clf)}"
                                  for i, clf in enumerate(c.classifiers)]])
        for col, clf in enumerate(c.classifiers, start=2):
            header_item = self.table.horizontalHeaderItem(col)
            assert header_item is not None  # setHorizontalHeaderLabels just made it
            header_item.setToolTip(tooltip_text(f"in the results file: {clf}"))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for row, dataset in enumerate(c.datasets):
            self.table.setItem(row, 0, QTableWidgetItem(dataset))
            runs = max(c.cells[(dataset, clf)].count for clf in c.classifiers)
            item = QTableWidgetItem(str(runs))
            item.setTextAlignment(right)
            self.table.setItem(row, 1, item)
            for col, clf in enumerate(c.classifiers, start=2):
                cell = c.cells[(dataset, clf)]
                item = QTableWidgetItem(cell_text(cell.mean, cell.std, cell.marker,
                                                  precision))
                item.setTextAlignment(right)
                test = c.tests.get((dataset, clf))
                if test is not None:
                    item.setToolTip(f"p = {test.p_value:.4g}, t = {test.t:.4g} "
                                    f"({test.count} paired runs)")
                if cell.marker:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, col, item)
        tally_row = len(c.datasets)
        self.table.setItem(tally_row, 0, QTableWidgetItem(TALLY))
        self.table.setItem(tally_row, 1, QTableWidgetItem(""))
        self.table.setItem(tally_row, 2, QTableWidgetItem(""))
        for col, clf in enumerate(c.classifiers[1:], start=3):
            item = QTableWidgetItem("({}/{}/{})".format(*c.counts(clf)))
            item.setTextAlignment(right)
            self.table.setItem(tally_row, col, item)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for col in range(self.table.columnCount()):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents
                                        if col < 2 else QHeaderView.ResizeMode.Stretch)

    def cell_texts(self) -> list[list[str]]:
        """The table as shown, row by row (tests and copy)."""
        return [[self._cell_text(r, c) for c in range(self.table.columnCount())]
                for r in range(self.table.rowCount())]

    def _cell_text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    # Export -----------------------------------------------------------------------------
    def exported(self, fmt: str | None = None) -> str:
        if self.comparison is None:
            raise WorkbenchError("Perform the test first.")
        return export(self.comparison.renamed(self.names),
                      fmt or str(self.format.currentData()), self.precision.value())

    def save(self, path: str | os.PathLike[str], fmt: str | None = None) -> None:
        text = self.exported(fmt)
        try:
            with atomic_write(Path(path)) as fh:
                fh.write(text)
        except OSError as exc:
            raise WorkbenchError(f"{path}: cannot save: {exc}") from exc
        self.show_message(f"Saved {path}.")

    def copy(self) -> None:
        try:
            QGuiApplication.clipboard().setText(self.exported())
        except WorkbenchError as exc:
            self.show_message(str(exc), error=True)
            return
        self.show_message(f"Copied the table as {self.format.currentText()}.")

    # Helpers ----------------------------------------------------------------------------
    def show_message(self, text: str, error: bool = False) -> None:
        self._message_is_error = error
        self.message.setStyleSheet(error_style() if error else "")
        self.message.setText(text)
        if error:   # under the table, where nobody without sight would look
            announce(self.message, text, assertive=True)

    def _set_export_enabled(self, enabled: bool) -> None:
        for w in (self.save_button, self.copy_button):
            w.setEnabled(enabled)

    def _try_load(self, path: str) -> None:
        self.table_data = None
        try:
            if not path.strip():
                raise WorkbenchError("Type or choose a results file.")
            self.load(path.strip())
        except WorkbenchError as exc:
            self.show_message(str(exc), error=True)

    def _open_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open results", self.path or "",
                                              "Results (*.csv *.arff *.arff.gz);;All files (*)")
        if path:
            self._try_load(path)
            if self.table_data is not None:
                self.analyse()

    def _save_clicked(self) -> None:
        fmt = str(self.format.currentData())
        suffix = {"text": ".txt", "csv": ".csv", "latex": ".tex"}[fmt]
        default = str(Path(self.path or "comparison").with_suffix("")) + "-comparison" + suffix
        path, _ = QFileDialog.getSaveFileName(self, "Save comparison", default)
        if path:
            try:
                self.save(path, fmt)
            except WorkbenchError as exc:
                self.show_message(str(exc), error=True)
