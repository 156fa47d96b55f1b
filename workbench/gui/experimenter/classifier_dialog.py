"""Choose one compared classifier: the registry chooser, its parameter sheet, a label."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workbench.core.registry import Registry
from workbench.gui.widgets.chooser import ComponentChooser
from workbench.gui.widgets.form_names import name_form_fields
from workbench.gui.widgets.literal import plain_label
from workbench.gui.widgets.param_sheet import ParamSheet


class ClassifierDialog(QDialog):
    """``name()``, ``params()`` and ``label()`` once accepted; the label may stay empty
    (the spec then derives one from the classifier and its options)."""

    def __init__(self, registry: Registry, name: str = "zeror",
                 params: dict[str, Any] | None = None, label: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Classifier")
        self.registry = registry
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.chooser = ComponentChooser(registry, "classifier", name)
        form.addRow("Classifier", self.chooser)
        self.label_edit = QLineEdit(label)
        self.label_edit.setPlaceholderText("(default: name and options)")
        form.addRow("Label", self.label_edit)
        name_form_fields(form)
        layout.addLayout(form)
        self.description = plain_label()
        self.description.setWordWrap(True)
        layout.addWidget(self.description)
        self.sheet_area = QScrollArea()
        self.sheet_area.setWidgetResizable(True)
        # Not a Tab stop of its own (it showed nothing, and a screen reader read an
        # unnamed pane), as in the flow's node dialog: Tab goes on to the first field,
        # which the area scrolls into view.
        self.sheet_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(self.sheet_area, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.sheet: ParamSheet | None = None
        self.chooser.chosen.connect(lambda _n: self._show_sheet({}))
        self._show_sheet(params or {})
        self.resize(460, 520)
        # The dialog starts on the chooser, where Space and Return open its menu. Left
        # to Qt, a dialog whose first Tab stop is a push button gives the focus to OK,
        # and the Space meant for the chooser added ZeroR and closed the dialog.
        self.chooser.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_sheet(self, values: dict[str, Any]) -> None:
        info = self.chooser.current()
        if info is None:
            return
        self.description.setText(info.description)
        self.sheet = ParamSheet(info.params, values)
        self.sheet_area.setWidget(self.sheet)

    def name(self) -> str:
        return self.chooser.current_name() or "zeror"

    def params(self) -> dict[str, Any]:
        """Only the values that differ from the defaults, so saved specs stay short."""
        if self.sheet is None:
            return {}
        defaults = {p.name: p.default for p in self.sheet.params}
        return {k: v for k, v in self.sheet.values().items() if defaults.get(k) != v}

    def label(self) -> str:
        return self.label_edit.text().strip()

    def accept(self) -> None:
        if self.sheet is not None and not self.sheet.is_valid():
            self.description.setText("Fix the marked parameters first: "
                                     + "; ".join(self.sheet.errors().values()))
            return
        super().accept()
