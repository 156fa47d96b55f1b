"""The Classify tab's Test options: WEKA's four radio buttons over the declared options.

A WEKA user expects the panel WEKA draws (a radio button per option, each with its own
field: "Cross-validation  Folds [10]", "Percentage split  % [66]"), so that is what it
looks like; but every field is a ``ParamSheet`` editor over a ``TestOptions`` parameter,
so the bounds, the parsing and the words of a refusal are the command line's, the
flow's and the Experimenter's. A refused field turns red while typing and Start says
which field to fix. Its reason floats, as wide as the panel, over the rows under the
fields (Preserve order, Output predictions, the cost matrix) until the value is allowed
or the reason dismissed: under its field, in the narrow column beside the radio buttons,
it wrapped onto four lines and the panel grew, pushing *Start* 53 px down under the
pointer; a line kept free for it would take room the panel does not have at 1280x800,
where an MLP's parameters and four result rows already fill the window.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import DataFormatError, WorkbenchError
from workbench.data.dataset import Dataset
from workbench.data.header_mapping import class_as_in, incompatibility
from workbench.evaluation.evaluate import TestOption
from workbench.evaluation.test_options import MODE_LABELS, TestOptions, TooFewInstancesError
from workbench.gui.widgets.floating_message import FloatingMessage
from workbench.gui.widgets.form_names import name_by_label
from workbench.gui.widgets.literal import plain_label
from workbench.gui.widgets.param_sheet import ParamSheet

# The fields each option reads: a refused value elsewhere does not stop a run.
_FIELDS_OF = {"training": (), "test_set": (), "cross_validation": ("folds", "seed"),
              "split": ("percent", "seed")}
# A field's name in its reason, as the panel words it ("%" alone would say little).
_FIELD_NAMES = {"folds": "Folds", "percent": "Percentage", "seed": "Random seed"}


def parse_cost_matrix(text: str, classes: int, class_name: str | None = None
                      ) -> np.ndarray | None:
    """A cost matrix typed as ``[0 1; 1 0]`` (rows actual, columns predicted; the brackets
    optional), or None when the field is empty. The reader of ``classify -m`` checks it
    (finite numbers, square, one row and column per class value)."""
    from workbench.evaluation.cost_file import parse_cost_matrix as parse

    try:
        return parse(text, None, classes, class_name, one_line=True)
    except DataFormatError as error:
        at = f" at character {error.column}" if error.column else ""
        expected = f" (expected {error.expected})" if error.expected else ""
        raise WorkbenchError(f"cost matrix: {error.reason}{at}{expected}") from None


class IncompatibleTestSet(WorkbenchError):
    """The supplied test set's header differs from the training data's; ``why`` names
    the first difference, so the Explorer can offer to map it, as WEKA's does."""

    def __init__(self, why: str) -> None:
        super().__init__(f"the test set does not match the training data: {why}")
        self.why = why


class TestSetStillRead(WorkbenchError):
    """Start on a supplied test set that Set... is still reading: the run waits for it
    (``ClassifyPanel.start``) rather than use the previous test set or none."""

    def __init__(self, name: str) -> None:
        super().__init__(f"the test set {name} is still being read")
        self.name = name


class TestOptionsPanel(QGroupBox):
    """Radio buttons for the mode, declared fields for folds, percentage and seed, the
    supplied test set, and the two output choices (predictions, cost matrix)."""

    __test__ = False  # not a pytest test class, despite its name

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Test options", parent)
        self.test_set: Dataset | None = None
        # The name of a test set file being read in a worker: until it arrives, a run
        # on the supplied test set would use the previous one (or none).
        self._reading: str | None = None
        self._mode_chosen_while_reading = False
        self.use_training = QRadioButton(MODE_LABELS["training"])
        self.use_test = QRadioButton(MODE_LABELS["test_set"])
        self.use_cv = QRadioButton(f"{MODE_LABELS['cross_validation']}  Folds")
        self.use_split = QRadioButton(f"{MODE_LABELS['split']}  %")
        self.mode_group = QButtonGroup(self)
        self._mode_buttons = {"training": self.use_training, "test_set": self.use_test,
                              "cross_validation": self.use_cv, "split": self.use_split}
        for button in self._mode_buttons.values():
            self.mode_group.addButton(button)
            button.toggled.connect(self._mode_toggled)
        self.test_button = QPushButton("Set...")
        self.test_label = plain_label("(none)")
        # One sheet per field, without its label: the radio button beside it names it.
        # Its reason floats across the panel (``reason``), not under the field.
        self.sheets = {name: ParamSheet([TestOptions.param(name)], labels=False,
                                        inline_reasons=False)
                       for name in _FIELD_NAMES}
        # Refused fields, the one edited or entered last first: its reason is the one
        # shown (one at a time, so a second refusal does not make the panel taller).
        self._refused: list[str] = []
        for name, sheet in self.sheets.items():
            sheet.changed.connect(lambda n=name: self._edited(n))
            sheet.changed.connect(self.changed)
            sheet.editor(name).installEventFilter(self)
            # Named as the panel names them: "%" beside its radio button says little
            # to a screen reader's user.
            sheet.editor(name).setAccessibleName(_FIELD_NAMES[name])
        order = TestOptions.param("preserve_order")
        self.preserve_order = QCheckBox(order.display_name)
        self.preserve_order.setToolTip(order.help)
        self.preserve_order.toggled.connect(self.changed)
        self.output_predictions = QCheckBox("Output predictions")
        self.cost_matrix = QLineEdit()
        self.cost_matrix.setPlaceholderText("cost matrix, e.g. [0 1; 5 0]")
        self.cost_matrix.setAccessibleName("Cost matrix")
        self.cost_matrix.setAccessibleDescription(
            "Rows actual, columns predicted, e.g. [0 1; 5 0]; empty for none")
        # The rows under the fields, in one widget for the reason to lie over.
        self.below_fields = QWidget()
        below = QVBoxLayout(self.below_fields)
        below.setContentsMargins(0, 0, 0, 0)
        below.setSpacing(2)
        for widget in (self.preserve_order, self.output_predictions, self.cost_matrix):
            below.addWidget(widget)

        grid = QGridLayout(self)
        # Tight rows: the panel shares its column with the result list, which must keep
        # several entries in view on a laptop screen.
        grid.setContentsMargins(6, 2, 6, 4)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.use_training, 0, 0, 1, 2)
        grid.addWidget(self.use_test, 1, 0)
        grid.addWidget(self.test_button, 1, 1)
        grid.addWidget(self.test_label, 2, 0, 1, 2)
        grid.addWidget(self.use_cv, 3, 0)
        grid.addWidget(self.sheets["folds"], 3, 1)
        grid.addWidget(self.use_split, 4, 0)
        grid.addWidget(self.sheets["percent"], 4, 1)
        seed_label = QLabel(TestOptions.param("seed").display_name)
        name_by_label(seed_label, self.sheets["seed"])
        grid.addWidget(seed_label, 5, 0)
        grid.addWidget(self.sheets["seed"], 5, 1)
        grid.addWidget(self.below_fields, 6, 0, 1, 2)
        self.reason_message = FloatingMessage(urgent=False)   # said while typing
        self.reason_message.follow(self.below_fields)
        self.set_values(TestOptions().get_params())

    # Values ----------------------------------------------------------------------------
    def mode(self) -> str:
        return next(mode for mode, button in self._mode_buttons.items()
                    if button.isChecked())

    def values(self) -> dict[str, Any]:
        """The options as shown (a refused field keeps its last accepted value)."""
        values: dict[str, Any] = {"mode": self.mode(),
                                  "preserve_order": self.preserve_order.isChecked()}
        for sheet in self.sheets.values():
            values.update(sheet.values())
        return values

    def set_values(self, values: Mapping[str, Any]) -> None:
        """Show these options (settings, scripts, tests); unknown names are ignored.

        A refused value is shown as typed, with its refusal under the field, never
        raised: a stale settings file must not stop the Explorer from opening.
        """
        if "mode" in values and values["mode"] in self._mode_buttons:
            self._mode_buttons[values["mode"]].setChecked(True)
        if "preserve_order" in values:
            self.preserve_order.setChecked(bool(values["preserve_order"]))
        for sheet in self.sheets.values():
            sheet.set_values(values)

    def reason(self) -> str:
        """What the floating reason says: why a refused field the chosen option reads is
        refused, named as the panel names it ("Folds: 1 is not allowed ..."), the field
        edited or entered last first; "" when none is. One at a time, as tall as one;
        another refused field stays red, its reason shows once it is entered or this one
        is fixed, and Start names them all. A field the chosen option does not read
        blocks nothing: its reason would only cover the rows below."""
        name = next((n for n in self._refused if n in _FIELDS_OF[self.mode()]), None)
        if name is None:
            return ""
        return f"{_FIELD_NAMES[name]}: {self.sheets[name].error_line(name).text()}"

    def _edited(self, name: str) -> None:
        if name in self._refused:
            self._refused.remove(name)
        if self.sheets[name].errors():
            self._refused.insert(0, name)
        self._show_reason()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A refused field entered (Tab, a click) shows its reason again, even one
        dismissed."""
        if event.type() == QEvent.Type.FocusIn:
            name = next((n for n in self._refused if self.sheets[n].editor(n) is watched),
                        None)
            if name is not None:
                self._refused.remove(name)
                self._refused.insert(0, name)
                self._show_reason(again=True)
        return False

    def _show_reason(self, *, again: bool = False) -> None:
        text = self.reason()
        if text != self.reason_message.text() or (again and text):
            self.reason_message.show_text(text)

    def errors(self) -> dict[str, str]:
        """Refusals of the fields the chosen option reads, by parameter name."""
        errors: dict[str, str] = {}
        for name in _FIELDS_OF[self.mode()]:
            errors.update(self.sheets[name].errors())
        return errors

    def options(self) -> TestOptions:
        """The declared options shown, or a ``WorkbenchError`` naming the field to fix."""
        bad = self.errors()
        if bad:
            raise WorkbenchError(f"fix the test options first: {'; '.join(bad.values())}")
        return TestOptions(**self.values())

    def test_option(self, data: Dataset, *, mapped: bool = False) -> TestOption:
        """What a run on ``data`` takes: the options, with the supplied test set made to
        match the training data's class; what the data cannot do (11 folds of 10 rows)
        is refused here, before a worker starts. A test set with another header is
        refused with ``IncompatibleTestSet`` unless the run maps it (``mapped``: the
        classifier is an InputMappedClassifier)."""
        options = self.options()
        test = None
        if options.mode == "test_set":
            if self.reading is not None:
                raise TestSetStillRead(self.reading)
            if self.test_set is None:
                raise WorkbenchError("choose a test set first (Supplied test set: Set...)")
            test = class_as_in(self.test_set, data)
            why = None if mapped else incompatibility(data, test)
            if why is not None:
                raise IncompatibleTestSet(why)
        try:
            options.check(data, test)
        except TooFewInstancesError as error:
            raise error.way_out(f"set Folds to {error.instances} or fewer, or choose "
                                f"Use training set") from None
        return options.option(test)

    @property
    def reading(self) -> str | None:
        """The test set file being read (Set...), or None."""
        return self._reading

    @reading.setter
    def reading(self, name: str | None) -> None:
        if name is not None:
            self._mode_chosen_while_reading = False
            self.test_label.setText(f"reading {name}...")   # not "(none)" meanwhile
        elif self._reading is not None and self.test_set is None:
            self.test_label.setText("(none)")   # the read failed
        self._reading = name

    def set_test_set(self, dataset: Dataset | None, label: str = "") -> None:
        """Take the test set Set... read, and choose "Supplied test set" as WEKA does,
        unless the user chose an option while it was read (a large file takes a while,
        and the choice made meanwhile is the one they want now)."""
        self.test_set = dataset
        self.test_label.setText(label or ("(none)" if dataset is None else dataset.relation))
        if dataset is not None and not (self._reading is not None
                                        and self._mode_chosen_while_reading):
            self.use_test.setChecked(True)

    def _mode_toggled(self, on: bool) -> None:
        if not on:
            return  # the button switched off; its partner's signal follows
        if self._reading is not None:
            self._mode_chosen_while_reading = True
        # As in WEKA, a field is editable while the option that reads it is chosen.
        mode = self.mode()
        self.sheets["folds"].setEnabled(mode == "cross_validation")
        self.sheets["percent"].setEnabled(mode == "split")
        self.preserve_order.setEnabled(mode == "split")
        self._show_reason()
        self.changed.emit()
