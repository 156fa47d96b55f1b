"""The Preprocess tab: what is in the data, which attributes to keep, which filter to apply.

It holds no dataset of its own: the window owns the current dataset and its undo stack,
and this tab asks the window to replace it (``replace_requested``) after a filter or a
removal, so Undo, Save and the other tabs all see one history.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.bounded_regex import bounded
from workbench.core.errors import WorkbenchError
from workbench.core.names import configured_name, short_name
from workbench.core.registry import Registry
from workbench.data.dataset import Dataset
from workbench.data.stats import AttributeSummaries, AttributeSummary, spread_text, value_text
from workbench.filters.ranges import format_range
from workbench.filters.relation_name import filtered_relation
from workbench.filters.remove import Remove
from workbench.gui.explorer.attribute_list import AttributeTable, typed_names
from workbench.gui.explorer.histogram import ClassHistogram
from workbench.gui.explorer.histogram_grid import AllHistograms
from workbench.gui.widgets.chooser import ComponentChooser
from workbench.gui.widgets.combo_fill import fill_combo
from workbench.gui.widgets.floating_message import FloatingMessage
from workbench.gui.widgets.form_names import name_by_label
from workbench.gui.widgets.literal import plain_label
from workbench.gui.widgets.param_sheet import ParamSheet
from workbench.gui.widgets.placement import place_window
from workbench.gui.widgets.short_screen import scrolling_body
from workbench.gui.widgets.status import ElidedLabel
from workbench.gui.widgets.tab_order import follow_in_tab_order
from workbench.gui.widgets.window_list import close_with_keys, keep_while_open
from workbench.gui.workers import Job

# The filter sheet is as tall as its rows, up to about five (more scroll); a sheet of
# more than four parameters is laid out in two columns, so none of ours scrolls.
SHEET_MAX_HEIGHT = 190
SHEET_COLUMNS_FROM = 5
# The statistics table keeps room for this many rows whatever else takes height (a
# small window); more rows scroll.
STATS_MIN_ROWS = 5
# Decimals of a numeric attribute's statistics, as WEKA's AttributeSummaryPanel gives.
STAT_DECIMALS = 3


class PreprocessTab(QWidget):
    """Relation summary, attribute list, selected attribute, filter chooser."""

    open_requested = Signal()
    save_requested = Signal()
    undo_requested = Signal()
    replace_requested = Signal(object, str)  # new Dataset, what was done (for the log)
    filter_requested = Signal(object)  # a configured Filter, to run in a worker
    # Attributes to remove (0-based) and what was done, for the worker that removes them
    remove_requested = Signal(list, str)

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dataset: Dataset | None = None
        # Each attribute's summary, made when it is first shown (AttributeSummaries).
        self.summaries: Sequence[AttributeSummary] = []
        self.registry = registry
        # Whether the red message is about the filter sheet's values, which an edit that
        # makes them valid again takes back.
        self._sheet_message = False
        self._pattern_message = False   # the message shown is a Pattern refusal
        # Made first (choosing the first filter clears it); it floats over the top of the
        # panels, placed once they exist, so a message never moves them.
        self.message_box = FloatingMessage()
        self.message = self.message_box.label

        buttons = QHBoxLayout()
        self.open_button = QPushButton("Open file...")
        self.undo_button = QPushButton("Undo")
        self.undo_button.setEnabled(False)
        self.save_button = QPushButton("Save...")
        self.edit_button = QPushButton("Edit...")
        for button in (self.open_button, self.undo_button, self.edit_button, self.save_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.open_button.clicked.connect(self.open_requested)
        self.undo_button.clicked.connect(self.undo_requested)
        self.save_button.clicked.connect(self.save_requested)
        self.edit_button.clicked.connect(self._edit)

        # Filter: chooser, generated sheet, Apply.
        filter_box = QGroupBox("Filter")
        filter_layout = QVBoxLayout(filter_box)
        row = QHBoxLayout()
        self.filter_chooser = ComponentChooser(registry, "filter", "normalize")
        self.apply_button = QPushButton("Apply")
        row.addWidget(QLabel("Choose:"))
        row.addWidget(self.filter_chooser, 1)
        row.addWidget(self.apply_button)
        filter_layout.addLayout(row)
        self.filter_scroll = QScrollArea()
        self.filter_scroll.setWidgetResizable(True)
        self.filter_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its fields are stops
        filter_layout.addWidget(self.filter_scroll)
        self.filter_sheet: ParamSheet | None = None
        self.filter_chooser.chosen.connect(self._filter_chosen)
        self._filter_chosen(self.filter_chooser.current_name() or "")
        self.apply_button.clicked.connect(self._apply_filter)

        # Left: relation and attributes.
        relation_box = QGroupBox("Current relation")
        relation_form = QFormLayout(relation_box)
        # A filtered relation's name grows with each filter, WEKA's way
        # (mnist-test-weka.filters.unsupervised.instance.Resample-S1-Z2.4-no-replacement):
        # elided, it never widens the left panel and squeezes the histogram.
        self.relation_label = ElidedLabel("None")
        self.instances_label = QLabel("None")
        self.attributes_label = QLabel("None")
        self.weights_label = QLabel("None")
        relation_form.addRow("Relation:", self.relation_label)
        relation_form.addRow("Instances:", self.instances_label)
        relation_form.addRow("Attributes:", self.attributes_label)
        relation_form.addRow("Sum of weights:", self.weights_label)

        attributes_box = QGroupBox("Attributes")
        attributes_layout = QVBoxLayout(attributes_box)
        pick = QHBoxLayout()
        self.all_button = QPushButton("All")
        self.none_button = QPushButton("None")
        self.invert_button = QPushButton("Invert")
        self.pattern_button = QPushButton("Pattern")
        # As wide as its busy text, so the row does not shift while a match runs.
        self.pattern_button.setMinimumWidth(
            QPushButton("Matching...").sizeHint().width())
        self.pattern_job: Job | None = None   # the Pattern match running, if any
        for button in (self.all_button, self.none_button, self.invert_button,
                       self.pattern_button):
            pick.addWidget(button)
        self.all_button.clicked.connect(lambda: self._check(lambda i, c: True))
        self.none_button.clicked.connect(lambda: self._check(lambda i, c: False))
        self.invert_button.clicked.connect(lambda: self._check(lambda i, c: not c))
        self.pattern_button.clicked.connect(self._ask_pattern)
        self.table = AttributeTable()
        self.table.row_changed.connect(self.show_attribute)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_checked)
        attributes_layout.addLayout(pick)
        attributes_layout.addWidget(self.table, 1)
        attributes_layout.addWidget(self.remove_button)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(relation_box)
        left_layout.addWidget(attributes_box, 1)

        # Right: the selected attribute.
        selected_box = QGroupBox("Selected attribute")
        selected_layout = QVBoxLayout(selected_box)
        grid = QGridLayout()
        self.name_label, self.type_label = plain_label(), QLabel()
        self.missing_label, self.distinct_label, self.unique_label = QLabel(), QLabel(), QLabel()
        grid.addWidget(QLabel("Name:"), 0, 0)
        grid.addWidget(self.name_label, 0, 1)
        grid.addWidget(QLabel("Type:"), 0, 2)
        grid.addWidget(self.type_label, 0, 3)
        grid.addWidget(QLabel("Missing:"), 1, 0)
        grid.addWidget(self.missing_label, 1, 1)
        grid.addWidget(QLabel("Distinct:"), 1, 2)
        grid.addWidget(self.distinct_label, 1, 3)
        grid.addWidget(QLabel("Unique:"), 1, 4)
        grid.addWidget(self.unique_label, 1, 5)
        # Two columns for a numeric attribute, three (with Weight) for a nominal one:
        # a hidden third column was still read out, an empty cell after every value.
        self.stats = QTableWidget(0, 2)
        self.stats.setAccessibleName("Statistics of the selected attribute")
        self.stats.verticalHeader().hide()
        self.stats.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.stats.setTabKeyNavigation(False)
        self.stats.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for table in (self.stats, self.table):
            table.verticalHeader().setDefaultSectionSize(22)
        self.stats.setMinimumHeight(self._stats_height(STATS_MIN_ROWS))
        colour_row = QHBoxLayout()
        self.colour_box = QComboBox()
        self.colour_box.currentIndexChanged.connect(lambda *_: self.show_attribute(
            self.table.currentRow()))
        self.visualize_all_button = QPushButton("Visualize All")
        self.visualize_all_button.clicked.connect(self.visualize_all)
        class_label = QLabel("Class:")
        colour_row.addWidget(class_label)
        colour_row.addWidget(self.colour_box, 1)
        name_by_label(class_label, self.colour_box)
        colour_row.addWidget(self.visualize_all_button)
        self.histogram = ClassHistogram()
        selected_layout.addLayout(grid)
        selected_layout.addWidget(self.stats, 1)
        selected_layout.addLayout(colour_row)
        selected_layout.addWidget(self.histogram, 2)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(selected_box)
        splitter.setSizes([380, 520])

        layout = QVBoxLayout(scrolling_body(self))  # scrolls on a short screen
        layout.addLayout(buttons)
        layout.addWidget(filter_box)
        layout.addWidget(splitter, 1)
        self.message_box.follow(splitter)
        self._windows: list[QWidget] = []
        self.set_dataset(None)

    # Dataset ----------------------------------------------------------------------------
    def set_dataset(self, dataset: Dataset | None, change: str = "") -> None:
        """Show a dataset (None: nothing loaded); ``change`` says how it came
        ("applied Normalize"), for the Edit... windows open on the data before."""
        from workbench.gui.explorer.table_view import DataEditor

        self.dataset = dataset
        for window in list(self._windows):
            if isinstance(window, DataEditor) and window.isVisible():
                window.data_changed(dataset, change)
        self._cancel_pattern()   # its ticks were for the rows of the previous dataset
        self.show_message("")
        has = dataset is not None
        # Undo is the window's to enable: it knows whether there is anything to undo.
        for widget in (self.save_button, self.edit_button, self.apply_button,
                       self.remove_button, self.all_button, self.none_button,
                       self.invert_button, self.pattern_button, self.visualize_all_button):
            widget.setEnabled(has)
        if dataset is None:
            self.table.set_names([])
            fill_combo(self.colour_box, [], -1)
            self.summaries = []
            # An empty table under its real headings, not Qt's "1 2 3".
            self.stats.setRowCount(0)
            self.stats.setColumnCount(2)
            self.stats.setHorizontalHeaderLabels(["Statistic", "Value"])
            return
        self.summaries = AttributeSummaries(dataset)
        self.relation_label.setText(dataset.relation)
        self.instances_label.setText(str(dataset.num_instances))
        self.attributes_label.setText(str(dataset.num_attributes))
        self.weights_label.setText(f"{float(dataset.weights.sum()):g}")
        # One model reset each (attribute_list.py, combo_fill.py): a row or an item
        # at a time, MNIST's 785 attributes held the window still after every change.
        self.table.set_names([a.name for a in dataset.attributes])
        default = dataset.class_index if dataset.class_index is not None \
            else dataset.num_attributes - 1
        fill_combo(self.colour_box, ["No class", *typed_names(dataset.attributes)], default + 1)
        if dataset.num_attributes:
            # Drawn once: the row change would draw the first histogram a second time.
            self.table.blockSignals(True)
            self.table.setCurrentCell(0, 1)
            self.table.blockSignals(False)
            self.show_attribute(0)

    def show_message(self, text: str,
                     action: tuple[str, Callable[[], None]] | None = None) -> None:
        """A readable error over the top of the panels, with a button doing ``action``
        (its text, its callable) when given; "" takes it away, as its close button does.

        Nothing stays on screen once it no longer holds: any new dataset (a load, a
        filter applied, a removal, an undo) and a new filter choice clear it, and so does
        an edit that makes the sheet's values valid again when it was about them.
        """
        self._sheet_message = False
        self._pattern_message = False
        self.message_box.show_text(text, action)

    def _stats_height(self, rows: int) -> int:
        """Pixels the statistics table needs to show ``rows`` rows whole."""
        return (self.stats.horizontalHeader().sizeHint().height()
                + rows * self.stats.verticalHeader().defaultSectionSize()
                + 2 * self.stats.frameWidth())

    def show_attribute(self, j: int) -> None:
        ds = self.dataset
        if ds is None or not 0 <= j < len(self.summaries):
            return
        s = self.summaries[j]
        self.name_label.setText(s.name)
        self.type_label.setText(s.type.value.capitalize())
        self.missing_label.setText(f"{s.missing} ({s.missing_percent:.0f}%)")
        self.distinct_label.setText(str(s.distinct))
        self.unique_label.setText(f"{s.unique} ({s.unique_percent:.0f}%)")
        rows: list[tuple[str, ...]]
        if s.labels:
            self.stats.setColumnCount(3)
            self.stats.setHorizontalHeaderLabels(["Label", "Count", "Weight"])
            rows = [(label, str(c), f"{w:g}")
                    for label, c, w in zip(s.labels, s.counts, s.weights, strict=True)]
        else:
            self.stats.setColumnCount(2)
            self.stats.setHorizontalHeaderLabels(["Statistic", "Value"])
            # three decimals, as WEKA's panel: 15232.79, not 15232.8; 0, not 5.6e-17
            rows = [(name, value_text(ds, j, v, STAT_DECIMALS)) for name, v in
                    (("Minimum", s.minimum), ("Maximum", s.maximum), ("Mean", s.mean))]
            rows = [*rows, ("StdDev", spread_text(ds, j, s.std, STAT_DECIMALS))] \
                if s.minimum is not None else []
        self.stats.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.stats.setItem(r, c, QTableWidgetItem(text))
        self.histogram.show_attribute(ds, j, self.colour_index())

    def colour_index(self) -> int | None:
        index = self.colour_box.currentIndex() - 1
        return index if index >= 0 else None

    # Attribute selection ----------------------------------------------------------------
    def checked(self) -> list[int]:
        return self.table.attributes.checked()

    def _check(self, rule: Callable[[int, bool], bool]) -> None:
        now = self.table.attributes.ticks
        self.table.attributes.set_ticks([rule(j, bool(c)) for j, c in enumerate(now)])

    def check_pattern(self, pattern: str) -> Job | None:
        """Tick the attributes whose name matches a regular expression (WEKA's Pattern);
        the job doing it (None without a dataset).

        The same check as every regex parameter, then matching under a time limit
        (core/bounded_regex.py), on a worker: a pattern that backtracks used to hold
        the window still for the whole limit (1 s) before its message. Meanwhile the
        Pattern button says it is matching; a new pattern (or a new dataset) cancels the
        match still running, whose result is then dropped. A refusal is the red message
        above the attribute list, as before."""
        self._cancel_pattern()
        if self.dataset is None:
            return None
        names = [a.name for a in self.dataset.attributes]

        def work(_progress: Any, cancel: Any) -> list[bool]:
            return bounded(pattern, "Pattern").matching(names, "attribute name",
                                                        cancel=cancel)
        job = Job(work, "pattern", self)
        job.finished.connect(lambda hits: self._pattern_matched(job, hits))
        job.failed.connect(lambda message, _details: self._pattern_refused(job, message))
        job.done.connect(lambda: self._pattern_done(job))
        self.pattern_job = job
        self._show_matching(True)
        job.start()
        return job

    def _cancel_pattern(self) -> None:
        """Stop the match still running, if any; what it finds is no longer wanted."""
        job, self.pattern_job = self.pattern_job, None
        if job is not None:
            job.stop()
        self._show_matching(False)

    def _pattern_matched(self, job: Job, hits: list[bool]) -> None:
        if job is not self.pattern_job:
            return   # a pattern since replaced
        if self._pattern_message:   # an earlier pattern's refusal no longer holds
            self.show_message("")
        self._check(lambda j, c: hits[j])

    def _pattern_refused(self, job: Job, message: str) -> None:
        if job is not self.pattern_job:
            return
        # the Pattern button is no parameter: its refusal reads "Pattern: ..."
        self.show_message(message.replace("parameter 'Pattern': ", "Pattern: ", 1))
        self._pattern_message = True

    def _pattern_done(self, job: Job) -> None:
        if job is self.pattern_job:
            self.pattern_job = None
            self._show_matching(False)

    def _show_matching(self, busy: bool) -> None:
        """The Pattern button while a match runs: "Matching..." and a busy pointer; it
        stays clickable, since a new pattern replaces the one running."""
        button = self.pattern_button
        button.setText("Matching..." if busy else "Pattern")
        if busy:
            button.setCursor(Qt.CursorShape.BusyCursor)
        else:
            button.unsetCursor()

    def _ask_pattern(self) -> None:
        text, ok = QInputDialog.getText(self, "Pattern", "Regular expression for names:")
        if ok:
            self.check_pattern(text)

    def remove_checked(self) -> None:
        if self.dataset is None:
            return
        chosen = self.checked()
        if not chosen:
            self.show_message("check the attributes to remove first")
            return
        if len(chosen) == self.dataset.num_attributes:
            self.show_message("cannot remove every attribute")
            return
        # The window removes them in a worker, as it applies a filter: on MNIST the
        # copy of the matrix held the window still for half a second.
        names = ", ".join(self.dataset.attributes[j].name for j in chosen)
        self.remove_requested.emit(chosen, f"removed attributes: {names}")

    @staticmethod
    def without_attributes(dataset: Dataset, chosen: Sequence[int]) -> Dataset:
        """``dataset`` less the ``chosen`` attributes, named as WEKA's Remove button
        names it: the button applies WEKA's Remove filter, which names the result
        (iris-weka.filters.unsupervised.attribute.Remove-R1,3) as Apply does, with runs
        written as ranges as WEKA's Range does (Remove-R1-700, not 700 numbers)."""
        reduced = dataset.remove_attributes(list(chosen))
        indices = format_range(list(chosen))
        return reduced.with_relation(filtered_relation(
            dataset.relation, Remove(attribute_indices=indices)))

    # Filters ----------------------------------------------------------------------------
    def _filter_chosen(self, name: str) -> None:
        info = self.filter_chooser.current()
        if info is None:
            return
        columns = 2 if len(info.params) >= SHEET_COLUMNS_FROM else 1
        self.filter_sheet = ParamSheet(info.params, {}, columns=columns)
        self.filter_sheet.changed.connect(self._sheet_edited)
        # Its height changes only when an error line comes, goes or wraps differently.
        self.filter_sheet.error_lines_changed.connect(self._error_lines_changed)
        self.filter_sheet.refusal_shown.connect(self._show_refusal)
        for toggle in self.filter_sheet.section_toggles.values():
            toggle.toggled.connect(lambda _on: self._fit_sheet())
        self.filter_scroll.setWidget(self.filter_sheet)
        # Chooser, then its fields, then Apply: a sheet built later came last in Tab order.
        follow_in_tab_order(self.filter_chooser, self.filter_sheet)
        self._fit_sheet()
        self.show_message("")  # whatever it said was about the previous filter

    def _fit_sheet(self) -> None:
        """Give the sheet the height of its rows and one error line's room under them,
        up to ``SHEET_MAX_HEIGHT``: the layout would otherwise squeeze it to a line or
        two, cutting Discretize's third field in half."""
        if self.filter_sheet is None:
            return
        needed = (self.filter_sheet.sizeHint().height()
                  + self.filter_sheet.error_line_room()
                  + 2 * self.filter_scroll.frameWidth())
        self.filter_scroll.setFixedHeight(min(needed, SHEET_MAX_HEIGHT))

    def _error_lines_changed(self) -> None:
        """A refused value's reason takes the room kept for it under the rows, and a
        longer one scrolls within the sheet: the sheet's room stays as it is, so the
        panels below (the histogram, the attribute list under the pointer) never move
        when a value is refused. Once every value is allowed again the sheet is re-fitted
        to its rows, which also takes back room a resize gave to an error line."""
        if self.filter_sheet is not None and self.filter_sheet.is_valid():
            self._fit_sheet()

    def _show_refusal(self, name: str) -> None:
        """Scroll the refused field and its reason into view, once the sheet has taken
        the line in (the scroll area sizes its sheet on Qt's next layout pass)."""
        sheet = self.filter_sheet
        if sheet is None:
            return
        QTimer.singleShot(0, sheet, lambda: self._scroll_to(sheet, name))

    def _scroll_to(self, sheet: ParamSheet, name: str) -> None:
        if sheet is self.filter_sheet:
            self.filter_scroll.ensureWidgetVisible(sheet.editor(name), 0, 0)
            self.filter_scroll.ensureWidgetVisible(sheet.error_line(name), 0, 0)

    def _sheet_edited(self) -> None:
        if self._sheet_message and self.filter_sheet is not None \
                and self.filter_sheet.is_valid():
            self.show_message("")

    def filter_title(self, component: Any) -> str:
        """A configured filter as the status bar, the log and Undo name it: its name in
        the chooser and the options that differ from their defaults ("RemovePercentage
        -P 30.0"), not the command-line id ("remove-percentage")."""
        kind, name = getattr(component, "kind", None), getattr(component, "name", None)
        info = self.registry.find(kind, name) if kind and name else None
        if info is None:
            return str(getattr(component, "title", None) or name or type(component).__name__)
        options = configured_name(component, info, self.registry)
        options = options[len(short_name(info, self.registry)):].strip()
        return f"{info.display_name} {options}".strip()

    def configured_filter(self):
        """The chosen filter with the sheet's values (raises ``WorkbenchError``)."""
        info = self.filter_chooser.current()
        assert info is not None and self.filter_sheet is not None
        if not self.filter_sheet.is_valid():
            bad = "; ".join(self.filter_sheet.errors().values())
            raise WorkbenchError(f"fix the filter's parameters first: {bad}")
        return info.create(**self.filter_sheet.values())

    def _apply_filter(self) -> None:
        try:
            component = self.configured_filter()
        except WorkbenchError as error:
            self.show_message(str(error))
            self._sheet_message = True
            return
        self.show_message("")
        self.filter_requested.emit(component)

    # Views ------------------------------------------------------------------------------
    @property
    def windows(self) -> list[QWidget]:
        """The windows this tab opened and that are open now (Visualize All, Edit...)."""
        return self._windows

    def visualize_all(self) -> AllHistograms | None:
        """A window with every attribute's histogram (WEKA's "Visualize All"), drawn as
        it scrolls into view (histogram_grid.py)."""
        if self.dataset is None:
            return None
        window = AllHistograms(self.dataset, self.colour_index())
        place_window(window, self, 900, 600)
        close_with_keys(window)
        window.show()
        keep_while_open(self._windows, window)
        return window

    def _edit(self) -> None:
        from workbench.gui.explorer.table_view import DataEditor

        if self.dataset is None:
            return
        try:
            editor = DataEditor(self.dataset, self)
        except WorkbenchError as error:
            self.show_message(str(error))
            return
        editor.accepted_dataset.connect(
            lambda ds: self.replace_requested.emit(ds, "edited in the data table"))
        editor.show()
        keep_while_open(self._windows, editor)
