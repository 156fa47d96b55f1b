"""The node dialog: a node's title and the parameter sheet generated from its type's
declaration (viewer windows are in ``viewers.py``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.flow import Node
from workbench.gui.widgets.param_sheet import ParamSheet


class NodeDialog(QDialog):
    """Edit a node's title and parameters; ``values()`` and ``title()`` give the result."""

    def __init__(self, node: Node, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{node.title}: parameters")
        self.title_edit = QLineEdit(node.title)
        form = QFormLayout()
        form.addRow("Title", self.title_edit)
        layout = QVBoxLayout(self)
        doc = (node.node_type.__doc__ or "").strip().split("\n\n")[0] if node.node_type \
            else node.missing
        about = QLabel(" ".join(doc.split()))
        about.setWordWrap(True)
        layout.addWidget(about)
        layout.addLayout(form)
        params = node.node_type.params if node.node_type is not None else ()
        self.sheet = ParamSheet(params, node.params)
        layout.addWidget(self.sheet)
        if not params:
            layout.addWidget(QLabel("This node has no parameters."))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.sheet.changed.connect(self._validity)
        self._validity()

    def _validity(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.sheet.is_valid())

    def values(self) -> dict[str, Any]:
        return self.sheet.values()

    def title(self) -> str:
        return self.title_edit.text().strip()
