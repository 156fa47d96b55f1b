"""Viewer windows of viewer nodes, live while the flow trains what they show.

Viewer nodes produce data (``workbench.flow.nodes.viewers``); each output is shown by the
registry's best viewer for it (``workbench.gui.viewers.best_viewer``): the shared
viewers the Explorer's result list opens, on the objects the output carries (ROC /
precision-recall curves of every evaluation feeding a ModelPerformanceChart, the confusion
matrix of an evaluation, the learning curves and the learned weights of the trained
classifier), then the plain views (text, a DataVisualizer's scatter, a table of attribute
summaries). A viewer window is rebuilt from the node's latest outputs whenever the flow
re-runs.

A viewer node whose type declares ``live`` (learning curves, weights) follows training
upstream: while a node it depends on trains a classifier, the run's end-of-epoch reports
(which carry the model) reach its open window through ``route_live``, which shows the
same live view the Explorer does; when the run ends the window shows the final outputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from workbench.core.errors import WorkbenchError
from workbench.core.progress import ProgressEvent
from workbench.flow import Flow
from workbench.gui.plots.basic import text_view
from workbench.gui.viewers import best_viewer, live_viewer
from workbench.gui.widgets.placement import VIEWER_SIZE, screen_room


def viewer_widget(outputs: Mapping[str, Any]) -> QWidget:
    """A widget showing a viewer node's outputs, whatever their kind."""
    parts: list[tuple[str, QWidget]] = []
    for port, value in outputs.items():
        entry = best_viewer(value)
        try:
            widget = entry.open(value) if entry is not None else text_view(repr(value))
        except WorkbenchError as error:  # e.g. curves of evaluations with other classes
            widget = text_view(f"Cannot show {port}: {error}")
        if not widget.objectName():  # the plain views name themselves
            widget.setObjectName(f"viewer_{port}")
        parts.append((port, widget))
    if len(parts) == 1:
        return parts[0][1]
    tabs = QTabWidget()
    for port, widget in parts:
        tabs.addTab(widget, port)
    return tabs


WINDOW_SIZE = VIEWER_SIZE  # the Explorer's viewers open at it too (widgets/placement.py)


def available_size(widget: QWidget) -> QSize:
    """The part of ``widget``'s screen (else the primary screen) a window may fill."""
    room = screen_room(widget)
    return WINDOW_SIZE if room is None else room


class ViewerWindow(QWidget):
    """A viewer node's window; ``show_outputs`` replaces its content after a re-run, and
    ``follow_training`` shows training as it happens (``live`` viewer nodes only).

    It opens at ``WINDOW_SIZE`` and, when its first content asks for more, grows to the
    content's size hint: both within the screen. Later contents (re-runs) keep the size
    the user gave it."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(WINDOW_SIZE.boundedTo(available_size(self)))
        self.sized_to_content = False
        self.layout_ = QVBoxLayout(self)
        self.content: QWidget | None = None
        self.live: Any = None  # the live view (on_progress, stop_live) while training
        self.live_kind = ""
        self.placeholder = QLabel("Run the flow to see this viewer's output.")
        self.layout_.addWidget(self.placeholder)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc closes the window, as it closes a dialog, and so does the Close key
        (Ctrl+W), as in the Explorer's viewers (``window_list.close_with_keys``); a
        part that uses Esc itself (an open drop-down list) takes it first."""
        if (event.key() == Qt.Key.Key_Escape and event.modifiers() in (
                Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)) \
                or event.matches(QKeySequence.StandardKey.Close):
            self.close()
            return
        super().keyPressEvent(event)

    def _set_content(self, widget: QWidget | None) -> None:
        if self.content is not None:
            self.layout_.removeWidget(self.content)
            self.content.deleteLater()
        self.content = widget
        self.placeholder.setVisible(widget is None)
        if widget is not None:
            self.layout_.addWidget(widget)
            if not self.sized_to_content:
                self.sized_to_content = True
                self._grow_to(widget)

    def _grow_to(self, widget: QWidget) -> None:
        """Make room for ``widget``'s size hint (and the layout's margins), within the
        screen; never shrink."""
        margins = self.layout_.contentsMargins()
        hint = widget.sizeHint() + QSize(margins.left() + margins.right(),
                                         margins.top() + margins.bottom())
        self.resize(self.size().expandedTo(hint).boundedTo(available_size(self)))

    def show_outputs(self, outputs: Mapping[str, Any] | None) -> None:
        live, self.live = self.live, None
        if live is not None and outputs and len(outputs) == 1:
            viewer = live_viewer(self.live_kind)
            if viewer is not None and viewer.finish(live, next(iter(outputs.values()))):
                return  # the live view now shows the final model: keep its tab and zoom
        self._set_content(viewer_widget(outputs) if outputs else None)

    def follow_training(self, kind: str, event: ProgressEvent) -> None:
        """Show one end-of-epoch report of a model training upstream (``kind`` is the
        node type's ``live``: "learning", "weights" or any kind registered with
        ``register_live_viewer``)."""
        if self.live is None:
            viewer = live_viewer(kind)
            if viewer is None:
                return
            self.live, self.live_kind = viewer.make(), kind
            self.live.setObjectName(f"viewer_live_{kind}")
            self._set_content(self.live)
        self.live.on_progress(event)

    def end_live(self) -> None:
        """The run ended without outputs for this viewer (stopped, failed): draw what
        arrived and stop the redraw timer."""
        if self.live is not None:
            self.live.stop_live()


def route_live(flow: Flow, windows: Mapping[str, ViewerWindow], event: ProgressEvent) -> int:
    """Hand a run's training report to the open windows of live viewer nodes downstream
    of the node that sent it; returns how many windows took it."""
    source = event.values.get("node")
    if source is None or "epoch" not in event.values:
        return 0
    taken = 0
    for node_id, window in windows.items():
        node = flow.nodes.get(node_id)
        kind = getattr(node.node_type, "live", "") if node is not None else ""
        if kind and window.isVisible() and source in flow.upstream(node_id):
            window.follow_training(kind, event)
            taken += 1
    return taken
