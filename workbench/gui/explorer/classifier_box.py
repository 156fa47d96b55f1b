"""The Classify tab's Classifier box: the chooser, its one-line configuration, its sheet.

The sheet is generated from the chosen classifier's declaration and sits above a
splitter handle; ``fit_into`` sizes that splitter to the sheet each time a classifier is
chosen (an MLP's thirteen parameters need more room than ZeroR's none) and each time
the window is resized (a sheet that scrolled in a small window shows whole once the
window grows), until the user drags the handle: then the handle stays where they put
it until another classifier is chosen. The sheet never takes the room the panes below
need (the result list's few entries, the live curves): where it does not fit, it scrolls.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.names import configured_name
from workbench.core.params import Param
from workbench.core.registry import Registry
from workbench.gui.widgets.chooser import ComponentChooser
from workbench.gui.widgets.param_sheet import ParamSheet
from workbench.gui.widgets.tab_order import follow_in_tab_order

SHEET_ROWS = 5  # parameter rows always shown, at any font size (the page scrolls)


def sheet_columns(params: Sequence[Param]) -> int:
    """Columns of the sheet: three, four for more than 15 unfolded parameters (the DBN's
    18, the RNN's), so that at 1280x800, where the sheet has about six rows, it shows
    whole with its line of section check boxes instead of scrolling."""
    unfolded = sum(1 for p in params if not p.group)
    return 4 if unfolded > 15 else 3


class ClassifierBox(QGroupBox):
    """Choose a classifier and edit its parameters; says the configuration in one line."""

    changed = Signal()  # another classifier, or one of its parameters edited

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__("Classifier", parent)
        self.registry = registry
        self.splitter: QSplitter | None = None  # the one fit_into sizes
        self._placed_by_user = False  # the handle was dragged since the last choice
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.chooser = ComponentChooser(registry, "classifier", "zeror")
        self.options_line = QLineEdit()
        self.options_line.setReadOnly(True)
        # Read-only, and drawn so: no white field inviting typing (the sheet below edits).
        self.options_line.setFrame(False)
        self.options_line.setStyleSheet("QLineEdit { background: transparent; }")
        self.options_line.setToolTip("The configuration as one line (read-only: edit the "
                                     "parameters below); copy it to use it with "
                                     "'workbench classify'")
        row.addWidget(QLabel("Choose:"))
        row.addWidget(self.chooser)
        row.addWidget(self.options_line, 1)
        layout.addLayout(row)
        self.sheet_scroll = QScrollArea()
        self.sheet_scroll.setWidgetResizable(True)
        self.sheet_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # As low as one line of text: a scroll area asks for 68 px by default, which
        # left ZeroR's "(no parameters)" above 50 px of empty grey.
        self.sheet_scroll.setMinimumHeight(self.fontMetrics().height() + 8)
        # No Tab stop of its own: Tab goes to the fields in it (and scrolls them into
        # view); ZeroR's "(no parameters)" is no place to stop.
        self.sheet_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(self.sheet_scroll, 1)
        self.sheet: ParamSheet | None = None
        self._reveal: QWidget | None = None   # a section to scroll into view once fitted
        self.chooser.chosen.connect(self._chosen)
        self._chosen(self.chooser.current_name() or "")

    def _chosen(self, _name: str) -> None:
        info = self.chooser.current()
        if info is None:
            return
        self.sheet = ParamSheet(info.params, {}, columns=sheet_columns(info.params),
                                registry=self.registry)
        self.sheet.changed.connect(self._edited)
        self.sheet.error_lines_changed.connect(self._error_lines_changed)
        self.sheet.refusal_shown.connect(self._show_refusal)
        self.sheet_scroll.setWidget(self.sheet)
        # Reading order: Choose, the line beside it, then the fields under them (after
        # the chooser, the fields came first and Tab then jumped back up to the line).
        follow_in_tab_order(self.options_line, self.sheet)
        for group, toggle in self.sheet.section_toggles.items():
            toggle.toggled.connect(lambda on, g=group: self._section_toggled(g, on))
        self._edited()
        self._placed_by_user = False
        self.fit()

    def _section_toggled(self, group: str, on: bool) -> None:
        """Re-fit the sheet; a section just unfolded is scrolled into view once the fit
        settles (at the sheet's tallest the rows would appear below the fold, and the
        tick would look as if it did nothing)."""
        self._reveal = self.sheet.sections.get(group) if on and self.sheet else None
        self.fit()

    def _reveal_section(self) -> None:
        section, self._reveal = self._reveal, None
        if section is not None:   # after the layout has taken the section's rows in
            QTimer.singleShot(0, self, lambda: self.sheet_scroll.ensureWidgetVisible(section))

    def _edited(self) -> None:
        try:
            self.options_line.setText(self.scheme_label(self.configured_classifier()))
        except WorkbenchError as error:
            self.options_line.setText(f"(invalid: {error})")
        # Its start: a line edit shows the end of a text too long for it, and the end of
        # a refusal is the list of known names ("...g, input-mapped, knn, lda, ...").
        self.options_line.setCursorPosition(0)
        self.changed.emit()

    def _error_lines_changed(self) -> None:
        """An error line came, went or wrapped differently. While a value is refused the
        sheet keeps its room (a one-line reason takes the line kept for it, a longer
        one scrolls within the sheet): growing pushed *Start* 53 px down under the
        pointer, and a click meant for it landed in the cost-matrix field. Once every
        value is allowed again the sheet is re-fitted to its rows (not on every
        keystroke: a fit re-lays the splitter out)."""
        if not self._placed_by_user and self.sheet is not None and self.sheet.is_valid():
            self.fit()

    def _show_refusal(self, name: str) -> None:
        """Scroll the refused field and its reason into view once the sheet has taken
        the line in (the scroll area sizes its sheet on Qt's next layout pass)."""
        sheet = self.sheet
        if sheet is not None:
            QTimer.singleShot(0, sheet, lambda: self._scroll_to(sheet, name))

    def _scroll_to(self, sheet: ParamSheet, name: str) -> None:
        if sheet is self.sheet:
            self.sheet_scroll.ensureWidgetVisible(sheet.editor(name), 0, 0)
            self.sheet_scroll.ensureWidgetVisible(sheet.error_line(name), 0, 0)

    # Configuration ----------------------------------------------------------------------
    def choose(self, name: str, values: dict[str, Any] | None = None) -> None:
        """Pick a classifier and set some of its parameters (scripts, tests, settings)."""
        self.chooser.set_current(name)
        if values and self.sheet is not None:
            self.sheet.set_values(values)
        self._edited()

    def configured_classifier(self) -> Any:
        """A new classifier as configured, or a ``WorkbenchError`` naming what to fix."""
        info = self.chooser.current()
        assert info is not None and self.sheet is not None
        if not self.sheet.is_valid():
            bad = "; ".join(self.sheet.errors().values())
            raise WorkbenchError(f"fix the classifier's parameters first: {bad}")
        return info.create(**self.sheet.values())

    def scheme_label(self, classifier: Any) -> str:
        """The name the user chose from, with WEKA-style options: "IBk -K 3"."""
        info = self.registry.find("classifier", classifier.name)
        if info is None:
            return classifier.name
        return configured_name(classifier, info, self.registry)

    # Size -------------------------------------------------------------------------------
    def fit_into(self, splitter: QSplitter) -> None:
        """Size ``splitter`` (this box above, the rest below) to the sheet from now on."""
        if splitter is not self.splitter:   # once per splitter: a second call only fits
            self.splitter = splitter
            splitter.installEventFilter(self)
            splitter.splitterMoved.connect(self._dragged)  # only a user's drag emits it
        self.fit()

    def _dragged(self, _position: int, _index: int) -> None:
        self._placed_by_user = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.splitter and event.type() == QEvent.Type.Resize
                and not self._placed_by_user):
            self.fit()
        return False

    def fit(self) -> None:
        """Give the parameter sheet the height it asks for and one error line's room,
        up to half of the splitter and
        never more than leaves the panes below their minimum (then it scrolls).

        Measured once Qt has laid the new sheet out (zero-delay timers): the sheet grows
        by what its scroll bar still scrolls, a few times over, since the layout settles
        in steps (the Advanced box, the scroll bar itself).
        """
        QTimer.singleShot(0, self, lambda: self._fit_now(3))   # dropped with the box

    def row_height(self) -> int:
        """One row of the parameter sheet, in the font's units: a field and the form's
        spacing under it (about 32 px at an 18 pt desktop font, 26 at 9 pt)."""
        field = QLineEdit()
        field.setFont(self.font())
        spacing = self.style().pixelMetric(QStyle.PixelMetric.PM_LayoutVerticalSpacing)
        return field.sizeHint().height() + max(spacing, 0)

    def _fit_now(self, tries: int) -> None:
        if self.splitter is None or not shiboken6.isValid(self.splitter):
            return   # (a window closed while a fit was queued: --screenshot closes at once)
        sizes = self.splitter.sizes()
        if self.sheet is None or len(sizes) != 2 or sum(sizes) <= 0:
            return
        total = sum(sizes)
        # One error line's room under the rows: a refused value's reason shows there
        # without moving Start and the panes below (see _error_lines_changed).
        needed = self.sheet.sizeHint().height() + self.sheet.error_line_room()
        # Never fewer than SHEET_ROWS rows (or the whole sheet, if shorter), counted in
        # the font's units: at an 18 pt desktop font the panes below took all but one
        # row (walkthrough a11y M5). The page scrolls rather than hide the parameters.
        row = self.row_height()
        self.sheet_scroll.setMinimumHeight(
            max(self.fontMetrics().height() + 8, min(needed, SHEET_ROWS * row)))
        shown = self.sheet_scroll.viewport().height()
        extra = needed - shown  # below 0: the sheet is shorter than its room, shrink
        scrolled = self.sheet_scroll.verticalScrollBar().maximum()
        if scrolled > 0:        # the layout is still settling: grow by what it scrolls
            extra = max(extra, scrolled)
        least = self.minimumSizeHint().height()
        top = max(sizes[0] + extra + 2, least)
        below = self.splitter.widget(1)
        floor = 0 if below is None else max(below.minimumSizeHint().height(),
                                            below.minimumHeight())
        # Up to half the height, or more where the panes below keep their minimum: the
        # spare room of the Result list and the output (they scroll) goes to the sheet.
        top = max(min(top, max(total // 2, total - floor)), least)
        if top < sizes[0] + extra + 2:
            # Cut between two rows, not through one (half a row of labels read as noise).
            chrome = sizes[0] - shown
            rows = max(1, (top - chrome) // row)
            top = max(least, chrome + rows * row)
        if top != sizes[0]:
            self.splitter.setSizes([top, total - top])
            if tries > 1:
                QTimer.singleShot(0, self, lambda: self._fit_now(tries - 1))
                return
        self._reveal_section()
