"""The Knowledge Flow editor window: palette, canvas, log pane, menus and the run controls.

The window wires parts together and runs the flow; the rest is in mixins with one job
each: the file side (open, save, autosave, recovery, the title that marks unsaved
changes) in ``document.py``, the undoable
edits in ``editing.py``, copy and paste in ``clipboard.py``. The flow itself lives in the
headless ``Flow``, drawn by ``FlowScene``, edited through the undo commands of
``commands.py`` and run by ``FlowRunner``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QMainWindow,
    QMenu,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from workbench.core.progress import ProgressEvent
from workbench.core.registry import Registry, default_registry
from workbench.flow import Flow, Link, NodeState, RunResult, Status
from workbench.gui.flow_editor import connect_menu, files, write_consent
from workbench.gui.flow_editor.canvas_reader import CanvasReader
from workbench.gui.flow_editor.clipboard import FlowClipboard
from workbench.gui.flow_editor.document import FlowDocument
from workbench.gui.flow_editor.editing import FlowEditing
from workbench.gui.flow_editor.history import History
from workbench.gui.flow_editor.menus import build_menus, fill_recent
from workbench.gui.flow_editor.palette import Palette
from workbench.gui.flow_editor.recovery_bar import RecoveryBar
from workbench.gui.flow_editor.run import FlowRunner
from workbench.gui.flow_editor.scene import FlowScene
from workbench.gui.flow_editor.view import FlowView
from workbench.gui.flow_editor.viewers import ViewerWindow, route_live
from workbench.gui.flow_editor.watches import WATCH_ENTRY, FlowWatches
from workbench.gui.settings_file import SET_ASIDE_STATUS, opened_with_notes
from workbench.gui.widgets.busy import repaint_now
from workbench.gui.widgets.literal import message_box, tooltip_text
from workbench.gui.widgets.log_pane import LogPane
from workbench.gui.widgets.placement import first_size, place_window
from workbench.gui.widgets.status import WorkbenchStatusBar

if TYPE_CHECKING:
    from workbench.gui.plots.weights import WeightsView

AUTOSAVE_MS = 60_000
FIRST_SIZE = (1200, 760)
ROOMIEST_SIZE = (1920, 1200)


class FlowEditor(FlowDocument, FlowEditing, FlowClipboard, QMainWindow):
    """The Knowledge Flow editor. ``flow`` (a path or a ``Flow``) opens at start."""

    # Asks before a run writes outside the flow's folder; tests replace it.
    confirm_writes = staticmethod(write_consent.confirm_dialog)

    # The open flow's canvas and runner, made anew for each flow by ``_show``.
    scene: FlowScene
    runner: FlowRunner
    # Built by ``menus.build_menus``; kept for the entries whose state changes.
    recent_menu: QMenu
    templates_menu: QMenu
    history: History
    delete_action: QAction
    snap_action: QAction
    run_action: QAction
    run_selected_action: QAction
    stop_action: QAction
    exit_action: QAction

    def __init__(self, flow: Flow | str | Path | None = None, *,
                 registry: Registry | None = None, settings: QSettings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry if registry is not None else default_registry()
        # A settings file set aside at start (too large, not a file) is said once the
        # log and the status bar are there to say it (settings_file.py).
        notes: list[str] = []
        if settings is None:
            settings, notes = opened_with_notes(files.editor_settings)
        self.settings = settings
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._update_title)
        self.viewers: dict[str, ViewerWindow] = {}
        self.is_template = False
        # Where savers write relative file names; None: next to the flow file. A
        # template is never written beside (it lives in the installed resources): its
        # files go to the current folder, as ``workbench run`` does.
        self.output_dir: Path | None = None
        self.view = FlowView()
        self.reader = CanvasReader(self.view)   # what a screen reader hears of it
        # Above the canvas, shown only while a crashed session's flow is offered back.
        self.recovery_bar = RecoveryBar()
        self.recovery_bar.recover_requested.connect(self.recover_offered)
        self.recovery_bar.discarded.connect(self._recovery_discarded)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        # The canvas first, then the bar put above it: the focus chain follows the order
        # widgets join the window, so the canvas keeps the focus the window starts
        # with, and a Space or Return meant for it never presses Recover.
        column.addWidget(self.view, 1)
        column.insertWidget(0, self.recovery_bar)
        self.setCentralWidget(central)
        # Not ``palette``: that would hide QWidget.palette().
        self.node_palette = Palette(self.registry)
        self.log = LogPane()
        self.log.setAccessibleName("Log")
        self.status = WorkbenchStatusBar()
        self.setStatusBar(self.status)
        self._dock(self.node_palette, "Components", Qt.DockWidgetArea.LeftDockWidgetArea)
        self._dock(self.log, "Log", Qt.DockWidgetArea.BottomDockWidgetArea)
        # Tab reads the window as it is laid out: the palette's search and list, the
        # canvas they add to, then the log below (the docks joined after the canvas, so
        # Tab went search, list, Log, canvas).
        QWidget.setTabOrder(self.node_palette.search, self.node_palette.tree)
        QWidget.setTabOrder(self.node_palette.tree, self.view)
        QWidget.setTabOrder(self.view, self.log)
        # Reordered, the chain no longer starts at the canvas: give it the focus the
        # window starts with (a Space or Return meant for it must never press Recover).
        self.view.setFocus()
        self.node_palette.add_requested.connect(self.add_from_palette)
        self.view.dropped.connect(self.drop_node)
        self.view.files_dropped.connect(self.drop_files)
        self.flow = Flow(self.registry)
        self.watches = FlowWatches(self, self.flow)  # classifier nodes' Watch windows
        self.undo_stack.indexChanged.connect(self._retitle_watches)
        build_menus(self)
        self._autosave = QTimer(self)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.autosave)
        self._autosave.start()
        # Its layout was checked at 1200x760 (a 1280x800 screen); a larger screen gives
        # the canvas most of its room, as the Explorer's first window does.
        self.resize(*first_size(FIRST_SIZE, ROOMIEST_SIZE))
        # The first flow shown has no scene or runner before it to take down.
        self._show(flow if isinstance(flow, Flow) else self.flow)
        if flow is not None and not isinstance(flow, Flow):
            self.open_file(flow)
        for note in notes:
            self.log.log(f"warning: {note}")
            self.status.set_activity(SET_ASIDE_STATUS, "see the log")

    def _dock(self, widget: QWidget, title: str, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{title}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    # The open flow ------------------------------------------------------------------------
    def set_flow(self, flow: Flow, *, template: bool = False) -> None:
        """Show ``flow`` in place of the open one: a new scene and runner, an empty undo
        history."""
        # A run still stopping (its worker between two checks) must not report over the
        # flow shown next: its "run stopped" landed in the new flow's log and status.
        # Muted, it needs no waiting for (a join here froze the window up to 10 s while
        # a node was in a step that does not check for Stop).
        old_runner, old_scene = self.runner, self.scene
        old_runner.blockSignals(True)
        old_runner.stop()
        old_scene.detach()
        for viewer in self.viewers.values():
            viewer.close()
        self.viewers = {}
        self.watches.close_all()
        self._show(flow, template=template)
        # Both were children of the window, living (with the runner's cache of datasets
        # and trained models) as long as it: let Qt delete them once nothing uses them.
        old_scene.deleteLater()   # the view shows the new scene now
        old_runner.retire()

    def _show(self, flow: Flow, *, template: bool = False) -> None:
        """Draw ``flow`` on a new scene, with a new runner (``set_flow`` took down the
        previous ones)."""
        self.flow = flow
        self.watches.flow = flow
        self.is_template = template or (flow.path is not None and
                                        flow.path.resolve().parent == files.templates_dir())
        # Cleared first: the open flow's history means nothing for the new one, and the
        # autosave timer may fire while a big flow is drawn (``_drawing``).
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self.scene = FlowScene(flow, self.undo_stack, self, progress=self._drawing)
        self.status.set_fraction(None)
        self.scene.snap_to_grid = self.snap_action.isChecked()
        self.scene.refused.connect(self._refused)
        self.scene.message.connect(self._scene_message)
        self.scene.node_activated.connect(self.activate_node)
        self.scene.node_menu.connect(self._node_menu)
        self.scene.note_activated.connect(self.edit_note)
        self.scene.state_changed.connect(self._state_changed)
        self.scene.selectionChanged.connect(self._selection_changed)
        self.view.setScene(self.scene)
        self.reader.attach(self.scene)
        self.runner = FlowRunner(flow, self)
        # None: next to the flow file; a bundled template's into ~/workbench-output/NAME
        self.runner.output_dir = self.output_dir
        self.runner.started.connect(self._run_started)
        self.runner.progress.connect(self._run_progress)
        self.runner.finished.connect(self._run_finished)
        self.runner.failed.connect(self._run_failed)
        self.runner.warned.connect(lambda text: self.log.log(f"warning: {text}"))
        self.runner.stopped.connect(self._run_stopped)
        self.runner.done.connect(self._run_done)
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self._update_title()
        self._update_actions()
        # Nothing said about the previous flow (its run, its save) may stay in view: the
        # status names the flow now shown, however it came (Open, the command line).
        self.status.set_fraction(None)
        self.status.set_activity(self.opened_text())
        if flow.path is not None:
            self.log.log(f"opened {flow.path}")
            # However it came (File > Open, `workbench flow FILE`), a flow shown from its
            # file is one to find again under File > Open recent; a template is not.
            if not self.is_template:
                files.remember_flow(self.settings, flow.path)
        fill_recent(self)
        self.view.setToolTip("")
        QTimer.singleShot(0, self.view.fit_on_open)

    def _drawing(self, done: int, total: int) -> None:
        """A big flow's drawing so far, in the status bar, painted at once (drawing
        20 000 nodes takes seconds on the GUI thread, where Qt items must be made)."""
        self.status.set_activity(f"Drawing {total:,} nodes: {done:,} so far...")
        self.status.set_fraction(done / total)
        repaint_now()

    def _snap(self, on: bool) -> None:
        self.scene.snap_to_grid = on

    def _update_actions(self) -> None:
        running = self.runner.running
        self.run_action.setEnabled(not running)
        self.run_selected_action.setEnabled(not running and bool(self.scene.selected_nodes()))
        self.stop_action.setEnabled(running)

    def _selection_changed(self) -> None:
        self._update_actions()

    # What the canvas says -----------------------------------------------------------------
    last_refusal = ""
    _run_outcome = ""

    def _scene_message(self, text: str) -> None:
        # Tab's "Selected X: Ctrl+E parameters, ..." is not spoken: the canvas's own
        # description of the node (canvas_reader) is, and a screen reader would say both
        self.status.set_activity(text, spoken=not text.startswith("Selected "))
        if text.startswith("Connected"):
            self.view.setToolTip("")  # an earlier refusal no longer applies

    def _refused(self, reason: str) -> None:
        self.last_refusal = reason
        self.status.set_activity(f"Refused: {reason}")
        self.view.setToolTip(tooltip_text(reason))   # may quote a file's name
        self.log.log(f"refused: {reason}")

    # Node dialogs and viewers -----------------------------------------------------------------
    def activate_node(self, node_id: str) -> None:
        """Double-click: a viewer node opens its viewer, any other its parameters."""
        node = self.flow.nodes.get(node_id)
        if node is None:
            return
        if node.node_type is not None and node.node_type.viewer:
            self.open_viewer(node_id)
        else:
            self.edit_parameters(node_id)

    def node_menu(self, node_id: str) -> QMenu:
        """The right-click menu of a node: parameters, viewer, watching a classifier
        train, run from here, delete."""
        node = self.flow.node(node_id)
        menu = QMenu(self)
        menu.addAction("Parameters...", lambda: self.edit_parameters(node_id))
        menu.addAction("Rename...", lambda: self.rename_node(node_id))
        if node.state.status in (Status.ERROR, Status.BLOCKED) and node.state.message:
            menu.addAction("Show error...", lambda: self.show_node_error(node_id))
        if node.node_type is not None and node.node_type.viewer:
            menu.addAction("Show viewer", lambda: self.open_viewer(node_id))
        offer = self.watches.offer(node_id)
        if offer is not None:  # a classifier node: offered as the Explorer offers Watch
            watch = menu.addAction(WATCH_ENTRY, lambda: self.watch_training(node_id))
            watch.setEnabled(offer[0])
            watch.setToolTip(offer[1])
            menu.setToolTipsVisible(True)  # a disabled entry says why
        self._add_link_menus(menu, node_id)
        run = menu.addAction("Run from here", self.run_selected)
        run.setEnabled(not self.runner.running)
        menu.addSeparator()
        menu.addAction("Delete", self.delete_selection)
        return menu

    def _add_link_menus(self, menu: QMenu, node_id: str) -> None:
        """Connect to, Connect from and Disconnect, listing links to choose from (a
        keyboard cannot drag between ports); the first two are filled as they open,
        finding what fits taking a moment in a large flow."""
        node = self.flow.node(node_id)
        for title, has_ports, links in (
                ("Connect to", bool(node.outputs), connect_menu.links_out),
                ("Connect from", bool(node.inputs), connect_menu.links_in)):
            sub = menu.addMenu(title)
            sub.setEnabled(has_ports)
            sub.aboutToShow.connect(lambda s=sub, find=links: self._fill_links(s, node_id, find))
        unlink = menu.addMenu("Disconnect")
        connect_menu.fill(unlink, self.flow, node_id, connect_menu.links_of(self.flow, node_id),
                          self.disconnect_link)
        unlink.setEnabled(not unlink.isEmpty())

    def _fill_links(self, menu: QMenu, node_id: str,
                    find: Callable[[Flow, str], list[Link]]) -> None:
        if not menu.isEmpty() or node_id not in self.flow.nodes:
            return
        connect_menu.fill(menu, self.flow, node_id, find(self.flow, node_id), self.connect_link)
        if menu.isEmpty():
            menu.addAction("Nothing in this flow fits its ports now").setEnabled(False)

    def node_error(self, node_id: str) -> str:
        """The node's error (or why it was blocked) in full, or "" when it has none."""
        item = self.scene.nodes.get(node_id)
        return item.state_text() if item is not None else ""

    def show_node_error(self, node_id: str) -> QMessageBox:
        """The node's whole error in a window whose text can be read and copied."""
        node = self.flow.node(node_id)
        box = message_box(QMessageBox.Icon.Warning, f"{node.title}: error",
                          self.node_error(node_id), QMessageBox.StandardButton.Close, self)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setModal(False)
        box.show()
        return box

    def _node_menu(self, node_id: str, where: Any) -> None:
        """Show the node's menu, then have Qt delete it: parented to the editor,
        every right-click's menu would otherwise live as long as the window."""
        menu = self.node_menu(node_id)
        menu.exec(where)
        menu.deleteLater()

    def _retitle_watches(self, _index: int) -> None:
        self.watches.retitle()   # a rename (or its undo) may have changed a node's title

    def watch_training(self, node_id: str) -> WeightsView:
        """The classifier node's Watch window (the Explorer's): opened before a run it
        waits for the run and records its training dynamics; during a run it follows
        the model in training; after it, it shows the model the node kept."""
        return self.watches.open(node_id, None if self.runner.running
                                 else self.runner.outputs)

    def viewer_title(self, node_id: str) -> str:
        """A viewer window's title: the node, and what it shows from where ("TextViewer:
        text from ClassifierPerformanceEvaluator")."""
        node = self.flow.node(node_id)
        sources = [f"{link.source_port} from {self.flow.nodes[link.source].title}"
                   for link in self.flow.links_into(node_id) if link.source in self.flow.nodes]
        shows = ", ".join(dict.fromkeys(sources)) or "nothing connected"
        return f"{node.title}: {shows}"

    def open_viewer(self, node_id: str) -> ViewerWindow:
        """The node's viewer window, showing its latest outputs (refreshed on re-run)."""
        viewer = self.viewers.get(node_id)
        new = viewer is None
        if viewer is None:
            viewer = ViewerWindow(self.viewer_title(node_id))
            viewer.setObjectName(f"viewer_{node_id}")
            self.viewers[node_id] = viewer
        viewer.setWindowTitle(self.viewer_title(node_id))
        viewer.show_outputs(self.runner.outputs.get(node_id))
        if new:   # at the size its first content asked for, whole on the screen
            place_window(viewer, self, viewer.width(), viewer.height())
        viewer.show()
        viewer.raise_()
        return viewer

    # Running ----------------------------------------------------------------------------------
    def run_all(self) -> bool:
        return self._start_run(None)

    def _start_run(self, nodes: list[str] | None) -> bool:
        """Ask first when the run would write outside its folder (write_consent.py)."""
        if self.runner.running:
            return False
        consent = write_consent.ask_before_run(self, self.flow, self.runner.output_dir,
                                               nodes, self.confirm_writes,
                                               agreed=self.runner.agreed)
        if not consent.run:
            self.log.log("run not started: writing outside the flow's folder was declined")
            return False
        if consent.writes:
            self.log.log(f"savers write into {consent.folder}")
        if consent.consented:
            self.log.log("as you agreed, the run may also write these files (and no others "
                         "outside that folder or over existing files): "
                         + ", ".join(sorted(map(str, consent.consented))))
        return self.runner.start(nodes, agreed=consent.agreed,
                                 watched=self.watches.watched())

    def run_selected(self) -> bool:
        """Run from the selected nodes: they and everything downstream of them run; what
        they need upstream comes from the cache, or runs first when it has no result."""
        chosen = {i.node_id for i in self.scene.selected_nodes()}
        if not chosen:
            return False
        for node_id in list(chosen):
            chosen |= self.flow.downstream(node_id)
        return self._start_run([n for n in self.flow.nodes if n in chosen])

    def stop(self) -> None:
        if self.runner.running:
            self.status.set_activity("Stopping...")
        self.runner.stop()

    def _run_started(self) -> None:
        self._run_outcome = ""
        self.log.log(f"run started: {self.flow.title or 'flow'} ({len(self.flow)} nodes)")
        self.status.set_activity("Running...")
        self.status.set_fraction(0.0)
        self.watches.run_started()
        self._update_actions()

    def _run_progress(self, event: ProgressEvent) -> None:
        self.status.set_fraction(event.fraction)
        if event.message:
            self.status.set_activity(event.message)
        route_live(self.flow, self.viewers, event)
        self.watches.on_progress(event)

    def _state_changed(self, node_id: str, state: NodeState) -> None:
        node = self.flow.nodes.get(node_id)
        if node is None or state is None:
            return
        # What the node said while it worked comes as it ends, before what follows it.
        for line in state.log:
            self.log.log(f"{node.title}: {line}")
        if state.status in (Status.ERROR, Status.BLOCKED, Status.CANCELLED):
            self.log.log(f"{node.title}: {state}")
        elif state.status is Status.DONE:
            self.log.log(f"{node.title}: done" + (" (cached)" if state.cached else ""))

    def _run_finished(self, result: RunResult) -> None:
        # Each node's own lines were logged as it ended (_state_changed).
        summary = f"run finished: {result.summary(len(self.flow))}"
        self.log.log(summary)
        self._run_outcome = summary
        self.status.set_activity(summary)
        for node_id, viewer in list(self.viewers.items()):
            if node_id in self.flow.nodes:
                viewer.setWindowTitle(self.viewer_title(node_id))
                viewer.show_outputs(self.runner.outputs.get(node_id))
        self.watches.finished(self.runner.outputs)

    def _run_failed(self, message: str) -> None:
        self.log.log(f"run failed: {message}")
        self._run_outcome = f"Run failed: {message}"
        self.status.set_activity(self._run_outcome)

    def _recovery_discarded(self, path: Path, problem: str) -> None:
        if problem:
            self.log.log(f"could not delete the recovery file {path}: {problem}")
            self.status.set_activity(f"Could not delete {path.name}: {problem}")
        else:
            self.log.log(f"discarded the recovery file {path}")

    def _run_stopped(self) -> None:
        self.log.log("run stopped")
        self._run_outcome = "Run stopped; nodes that finished keep their results"

    def _run_done(self) -> None:
        for viewer in self.viewers.values():
            viewer.end_live()
        self.watches.run_ended()
        self.status.set_fraction(None)
        # The last word of the run replaces whatever a node said while it worked
        # ("RNN: training on fold 3 of 10" must not outlive a stop).
        if self._run_outcome:
            self.status.set_activity(self._run_outcome)
        self._update_actions()

    def dispose(self) -> None:
        """Delete the window and its run results while Qt is still up (command-line
        use): left to the interpreter's final garbage collection, PySide objects holding
        run results can crash it at exit. Not closed first: that would ask to save."""
        from workbench.gui.screenshot import dispose

        dispose(self, close=False)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        self.runner.stop()
        self.runner.wait(10)
        files.clear_autosave()
        for viewer in self.viewers.values():
            viewer.close()
        self.watches.close_all()
        event.accept()
