"""The node dialog: a node's title and the parameter sheet generated from its type's
declaration (viewer windows are in ``viewers.py``).

A parameter naming a file (a loader's data file, a saver's target) gets a Browse button
beside its field and takes a file dropped from a file manager: nobody should have to type
a path into a bare field.

The dialog is never taller than its screen: the sheet scrolls between the title field and
a button row that stays put, so OK and Cancel are always in reach (an MLP's sheet with its
advanced section open is taller than a 1280x800 screen).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.params import Param
from workbench.data.catalog import datasets_dir
from workbench.flow import Node
from workbench.flow.chosen_file import stored_file_name
from workbench.flow.nodes.base import NodeContext
from workbench.flow.nodes.sources import DataLoader
from workbench.gui.flow_editor.text import plain_text, summary
from workbench.gui.widgets.param_sheet import ParamSheet
from workbench.gui.widgets.placement import FRAME

_SUFFIX = re.compile(r"\(an? (\.[\w.]+) file\)")


def is_file_param(param: Param) -> bool:
    """A text parameter that names a file (``file``, ``..._file``, ``..._path``)."""
    return param.kind == "str" and (param.name == "file"
                                    or param.name.endswith(("_file", "_path")))


def file_suffixes(node_type: Any, param: Param) -> tuple[str, ...]:
    """The extensions a file parameter expects: the node type's ``extensions``, else
    what its help or default names (ModelSaver's "(a .model file)", "weights.png")."""
    declared = tuple(getattr(node_type, "extensions", ()) or ())
    if declared:
        return declared
    match = _SUFFIX.search(param.help or "")
    if match:
        return (match.group(1),)
    suffix = "".join(Path(str(param.default or "")).suffixes)
    return (suffix,) if suffix else ()


def writes_file(node_type: Any) -> bool:
    """Savers choose where to write (a Save dialog); loaders choose what to read."""
    return bool(getattr(node_type, "side_effects", False)) or \
        getattr(node_type, "category", "") == "DataSinks"


class _FileDrop(QObject):
    """Lets a line edit take a file dragged from a file manager: the field gets the
    file named as Browse... names it (``stored_name``: a bundled dataset by its name);
    Qt's own drop would insert the ``file://`` URL as text."""

    def __init__(self, edit: QLineEdit, stored_name: Callable[[str], str]) -> None:
        super().__init__(edit)
        self.edit = edit
        self.stored_name = stored_name
        edit.setAcceptDrops(True)
        edit.installEventFilter(self)

    @staticmethod
    def _path(event: QDropEvent) -> str:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        local = [u.toLocalFile() for u in urls if u.isLocalFile()]
        return local[0] if local else ""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(event, QDropEvent):  # (drag enter and drag move are QDropEvents)
            return False
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and self._path(event):
            event.acceptProposedAction()
            return True
        if kind == QEvent.Type.Drop and self._path(event):
            self.edit.setText(self.stored_name(self._path(event)))
            event.acceptProposedAction()
            return True
        return False


class _SheetArea(QScrollArea):
    """A scroll area that asks for its whole sheet (plus a scroll bar's width), so the
    dialog's size hint is the sheet shown whole; only the screen makes it scroll."""

    def __init__(self, sheet: QWidget) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # The area itself is no Tab stop: it showed no focus, so the first Tab from
        # Title landed on nothing visible and the next keys typed were lost. Tabbing
        # into a field still scrolls it into view (QScrollArea does that for a child).
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWidget(sheet)

    def sizeHint(self) -> QSize:
        sheet = self.widget()
        if sheet is None:
            return super().sizeHint()
        hint = sheet.sizeHint()
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(hint.width() + bar, hint.height())


class NodeDialog(QDialog):
    """Edit a node's title and parameters; ``values()`` and ``title()`` give the result.

    ``base_dir`` is the folder of the flow file: a chosen file inside it is written
    relative to it, so the flow still works when its folder moves.
    """

    def __init__(self, node: Node, parent: QWidget | None = None, *,
                 base_dir: Path | None = None) -> None:
        super().__init__(parent)
        self.node = node
        self.base_dir = base_dir
        self.setWindowTitle(f"{node.title}: parameters")
        # Wide enough for the window title and a path: a cut title helps nobody.
        self.setMinimumWidth(max(520, self.fontMetrics().horizontalAdvance(
            self.windowTitle()) + 160))
        self.title_edit = QLineEdit(node.title)
        self.title_edit.setObjectName("node_title")
        form = QFormLayout()
        form.addRow("Title", self.title_edit)
        layout = QVBoxLayout(self)
        doc = summary(node.node_type.__doc__) if node.node_type else node.missing
        self.about = QLabel(doc)
        self.about.setWordWrap(True)
        layout.addWidget(self.about)
        layout.addLayout(form)
        node_type = node.node_type
        params = node_type.params if node_type is not None else ()
        self.sheet = ParamSheet(params, node.params)
        for param in params:
            editor = self.sheet.editor(param.name)
            help_text, _, allowed = editor.toolTip().partition("\n")
            editor.setToolTip(plain_text(help_text) + (f"\n{allowed}" if allowed else ""))
        self.browse_buttons: dict[str, QPushButton] = {}
        for param in params:
            if is_file_param(param):
                self._add_browse(param, node_type)
        self.sheet_area = _SheetArea(self.sheet)
        layout.addWidget(self.sheet_area, 1)
        if not params:
            layout.addWidget(QLabel("This node has no parameters."))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.sheet.changed.connect(self._validity)
        self._validity()
        for toggle in self.sheet.section_toggles.values():
            toggle.toggled.connect(lambda _on: self.fit_to_screen())
        # A refusal's line (two lines for an unknown encoding) makes room for itself: in
        # a short sheet it was cut off at the bottom of the scroll area.
        self.sheet.error_lines_changed.connect(lambda: self.fit_to_screen())
        self.fit_to_screen()

    # Size ---------------------------------------------------------------------------------
    def fit_to_screen(self, area: QRect | None = None) -> None:
        """Size the dialog to show its sheet whole where the screen allows, else as tall
        as the screen's free ``area`` (less room for a frame) with the sheet scrolling;
        a dialog already on screen moves up so its bottom edge (the buttons) stays on it.
        Called again when a section unfolds, which would otherwise push OK and Cancel off
        a laptop's screen."""
        if area is None:
            parent = self.parentWidget()
            screen = parent.screen() if parent is not None and not self.isVisible() \
                else self.screen()
            if screen is None:
                return
            area = screen.availableGeometry()
        # Layouts cache their items' size hints: a section unfolded before the dialog is
        # shown, and the scroll area (whose hint is its sheet's), would keep stale ones.
        for widget in (*self.sheet.findChildren(QWidget), self.sheet, self.sheet_area):
            widget.updateGeometry()
        layout = self.layout()
        if layout is not None:
            layout.activate()
        room = area.size() - FRAME
        want = self.sizeHint()
        width = max(self.width() if self.isVisible() else 0, min(want.width(), room.width()))
        height = min(want.height(), room.height())
        self.resize(width, height)
        if self.isVisible():  # pos() and move() are the frame's corner, title bar included
            frame = self.frameGeometry().size() - self.geometry().size()
            left = min(self.x(), area.x() + area.width() - self.width() - frame.width())
            top = min(self.y(), area.y() + area.height() - self.height() - frame.height())
            self.move(max(area.x(), left), max(area.y(), top))

    # File parameters ----------------------------------------------------------------------
    def _add_browse(self, param: Param, node_type: Any) -> None:
        edit = self.sheet.editor(param.name)
        if not isinstance(edit, QLineEdit):
            return
        suffixes = file_suffixes(node_type, param)
        kinds = ", ".join(suffixes) if suffixes else "any"
        edit.setPlaceholderText(f"a file ({kinds}): Browse... or drop one here")
        _FileDrop(edit, self.stored_name)
        button = QPushButton("Browse...")
        button.setObjectName(f"browse_{param.name}")
        button.setToolTip("Choose the file in a file dialog")
        # One per file parameter: "Browse..." alone does not say for which.
        button.setAccessibleName(f"Browse for {param.display_name}")
        button.clicked.connect(lambda _=False, name=param.name: self.browse(name))
        self.browse_buttons[param.name] = button
        holder = edit.parentWidget()
        column = _layout_holding(holder.layout() if holder is not None else None, edit)
        if not isinstance(column, QBoxLayout):  # only a row or column takes a row inside
            return
        index = column.indexOf(edit)
        column.removeWidget(edit)
        row = QHBoxLayout()
        row.addWidget(edit, 1)
        row.addWidget(button)
        column.insertLayout(index, row)

    def file_filter(self, name: str) -> str:
        param = next(p for p in self.sheet.params if p.name == name)
        suffixes = file_suffixes(self.node.node_type, param)
        if not suffixes:
            return "All files (*)"
        patterns = " ".join(f"*{s}" for s in suffixes)
        # Named by the format, not the node's title ("ArffLoader2 files"): ".arff.gz"
        # and ".arff" are ARFF files, ".csv" CSV files.
        kinds = sorted({s.lstrip(".").split(".")[0].upper() for s in suffixes})
        return f"{' and '.join(kinds)} files ({patterns});;All files (*)"

    def file_dialog(self, name: str, current: str) -> QFileDialog:
        """The Browse... dialog of parameter ``name``. It opens on the current file, in
        its folder; with none, a loader's opens in the bundled datasets (what the
        tutorials load) and a saver's in the flow's folder, never in the package's data.
        Its sidebar lists both folders, so either is one click away."""
        writes = writes_file(self.node.node_type)
        datasets = datasets_dir()
        if current:
            folder = str(Path(current).parent)
        elif self.base_dir is not None and (writes or not datasets.is_dir()):
            folder = str(self.base_dir)
        else:
            folder = "" if writes else str(datasets)
        dialog = QFileDialog(self, f"{self.node.title}: {name}", folder,
                             self.file_filter(name))
        if writes:
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        else:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        places = [place for place in (datasets, self.base_dir)
                  if place is not None and place.is_dir()]
        urls = dialog.sidebarUrls()
        urls += [url for url in (QUrl.fromLocalFile(str(f)) for f in places)
                 if url not in urls]
        dialog.setSidebarUrls(urls)
        if current:
            dialog.selectFile(Path(current).name)
        return dialog

    def ask_file(self, name: str, current: str) -> str:
        """Ask for the file in a file dialog (tests replace this); "" when cancelled."""
        dialog = self.file_dialog(name, current)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return ""
            chosen = dialog.selectedFiles()
            return chosen[0] if chosen else ""
        finally:
            dialog.deleteLater()

    def current_file(self, text: str) -> str:
        """The file a field's text names, found as the run will find it: relative to the
        flow's folder, or for a loader a bundled dataset by name (a template's "iris"
        opens Browse... on the bundled iris.arff, not on a missing file beside the
        template)."""
        node_type = self.node.node_type
        if text and node_type is not None and issubclass(node_type, DataLoader):
            context = NodeContext(self.node.id, self.node.title, self.base_dir)
            with contextlib.suppress(WorkbenchError):
                return str(node_type(file=text).locate(context))
        if text and self.base_dir is not None and not Path(text).is_absolute():
            return str(self.base_dir / text)
        return text

    def browse(self, name: str) -> str:
        """Browse for the file of parameter ``name``; the field shows the choice, named
        as the flow will store it (``chosen_file.stored_file_name``: a bundled dataset by
        its name, a file in the flow's folder relative to it)."""
        edit = self.sheet.editor(name)
        assert isinstance(edit, QLineEdit)
        path = self.ask_file(name, self.current_file(edit.text().strip()))
        if not path:
            return ""
        edit.setText(self.stored_name(path))
        return edit.text()

    def stored_name(self, path: str) -> str:
        """How the flow stores ``path`` picked for this node (Browse... or a drop)."""
        return stored_file_name(self.node, path, self.base_dir)

    # Result -------------------------------------------------------------------------------
    def _validity(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.sheet.is_valid())

    def values(self) -> dict[str, Any]:
        return self.sheet.values()

    def title(self) -> str:
        return self.title_edit.text().strip()


def _layout_holding(layout: QLayout | None, widget: QWidget) -> QLayout | None:
    """The (nested) layout that holds ``widget`` directly."""
    if layout is None:
        return None
    if layout.indexOf(widget) >= 0:
        return layout
    for i in range(layout.count()):
        item = layout.itemAt(i)
        found = _layout_holding(item.layout() if item is not None else None, widget)
        if found is not None:
            return found
    return None
