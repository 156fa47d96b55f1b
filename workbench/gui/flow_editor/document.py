"""The flow editor's file side: new, open, save, save as, templates, autosave, recovery.

A mixin of ``FlowEditor``, kept apart so the window module wires parts together while
this one owns what happens to the file: when to ask about unsaved changes, where a flow
is remembered, and how a crashed session's work comes back (and the window title, which
names the file and whether it has unsaved changes). It uses the window's ``flow``,
``registry``, ``settings``, ``undo_stack``, ``is_template``, ``log`` and ``status``, and
its ``set_flow``.
"""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from workbench.core.errors import DataFormatError, WorkbenchError, WorkbenchWarning
from workbench.core.jsonfile import read_json
from workbench.core.registry import Registry
from workbench.core.resources import is_bundled, user_output_root
from workbench.flow import Flow, flow_from_dict, load_flow, save_flow
from workbench.gui.flow_editor import files
from workbench.gui.flow_editor.recovery_bar import RecoveryBar
from workbench.gui.widgets.busy import busy
from workbench.gui.widgets.file_names import (
    ask_replace,
    ask_save_name,
    free_name,
    name_to_save,
)
from workbench.gui.widgets.log_pane import LogPane
from workbench.gui.widgets.status import WorkbenchStatusBar

NEW_FLOW_TEXT = "New flow: drag components from the palette onto the canvas"


def open_error_reason(error: BaseException, path: str | Path) -> str:
    """Why ``path`` could not be opened, without ``path`` itself: the caller names the
    file once ("cannot open X: X: link 7: ..." said it twice and pushed the reason off
    the status bar). Another file the error names (one it included) stays named."""
    if isinstance(error, DataFormatError):
        if error.path is None or _same_file(error.path, path):
            return error.without_path()
        return str(error)
    if isinstance(error, OSError) and error.strerror:
        other = error.filename is not None and not _same_file(error.filename, path)
        return f"{error.strerror}: {error.filename}" if other else error.strerror
    return str(error)


# A bracketed list after a label: "(its nodes: arffloader1, classassigner1, ...)".
_LISTED = re.compile(r"\(([^():]+): ([^()]+)\)")
LISTED_IN_STATUS = 3   # names a status-bar reason keeps of such a list


def status_reason(reason: str, keep: int = LISTED_IN_STATUS) -> str:
    """``reason`` short enough for the status bar: a bracketed list that names every
    node of the flow keeps its first ``keep`` names and says how many more ("(its nodes:
    arffloader1, classassigner1, crossvalidationfoldmaker1 and 5 more)"). The whole
    list made the reason alone wider than the bar, which then cut the reason and dropped
    "Cannot open PATH"; the log keeps it whole."""
    def shorten(listed: re.Match[str]) -> str:
        label, names = listed.group(1), listed.group(2).split(", ")
        if len(names) <= keep + 1:
            return listed.group(0)
        return f"({label}: {', '.join(names[:keep])} and {len(names) - keep} more)"
    return _LISTED.sub(shorten, reason)


def _same_file(a: str | Path, b: str | Path) -> bool:
    return Path(os.path.abspath(a)) == Path(os.path.abspath(b))


def _about_file(text: str, path: str | Path) -> str:
    """A reader's warning about ``path`` without the path it starts with."""
    for prefix in (f"{path}: ", f"{os.path.abspath(path)}: "):
        if text.startswith(prefix):
            return text[len(prefix):]
    return text


def read_flow(path: str | Path, registry: Registry | None = None) -> tuple[Flow, list[str]]:
    """``load_flow``, with what the reader warns of (a node placed anew because its
    position was off the canvas) kept as notes for the window, each without the path
    it starts with, rather than printed on the terminal that started the window: the
    window says it once, in its log and status bar (``show_read_flow``). Any other
    warning goes on as usual. The errors are ``load_flow``'s."""
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always", WorkbenchWarning)
        flow = load_flow(path, registry)
    for w in said:
        if not issubclass(w.category, WorkbenchWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return flow, [_about_file(str(w.message), path) for w in said
                  if issubclass(w.category, WorkbenchWarning)]


class FlowDocument(QMainWindow):
    """Open, save and recover the editor's flow (a mixin of ``FlowEditor``: a part of
    that window, never made on its own)."""

    # The window's, set in FlowEditor.__init__.
    flow: Flow
    registry: Registry
    settings: QSettings
    undo_stack: QUndoStack
    is_template: bool
    log: LogPane
    status: WorkbenchStatusBar
    recovery_bar: RecoveryBar

    if TYPE_CHECKING:
        def set_flow(self, flow: Flow, *, template: bool = False) -> None:
            """The window's: shows ``flow`` in place of the open one."""

    @property
    def modified(self) -> bool:
        """Whether there are unsaved changes: the undo stack's clean point is the state
        last saved or opened, so undoing back to it counts as no change."""
        return not self.undo_stack.isClean()

    def _update_title(self, *_: Any) -> None:
        """The title names the flow and starts with ``*`` while changes are unsaved, as
        editors do, so a user sees before closing that there is something to save."""
        name = self.flow.path.name if self.flow.path and not self.is_template else "Untitled"
        title = self.flow.title or name
        self.setWindowTitle(f"{'*' if self.modified else ''}{title} - Knowledge Flow")

    def ask_save_changes(self) -> QMessageBox.StandardButton:
        """Ask whether to save unsaved changes (tests replace this)."""
        return QMessageBox.question(
            self, "Unsaved changes", "The flow has unsaved changes. Save them?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel)

    def maybe_save(self) -> bool:
        """True when it is fine to drop the open flow (saved, discarded, or unchanged)."""
        if not self.modified:
            return True
        answer = self.ask_save_changes()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new_flow(self) -> bool:
        if not self.maybe_save():
            return False
        self.set_flow(Flow(self.registry))   # says "New flow: ..." (opened_text)
        return True

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open flow", "",
                                              "Flows (*.kflow.json *.json);;All files (*)")
        if path:
            self.open_file(path, ask=True)

    def open_file(self, path: str | Path, *, ask: bool = False, template: bool = False
                  ) -> bool:
        """Open a flow file; errors go to the status bar and log (False), and so do the
        reader's warnings (a node placed anew because its position was off the canvas).

        A big flow takes seconds to read and draw (the 5 000 nodes a flow file may hold:
        about 10 s): the busy cursor and an "Opening..." line come first, painted before
        the work starts, and drawing the nodes shows its progress (``set_flow``)."""
        if ask and not self.maybe_save():
            return False
        self.status.set_activity(f"Opening {path}...")
        with busy():
            try:
                flow, notes = read_flow(path, self.registry)
            except (WorkbenchError, OSError) as error:
                reason = open_error_reason(error, path)
                self.log.log(f"cannot open {path}: {reason}")
                self.status.set_activity(f"Cannot open {path}", status_reason(reason))
                return False
            self.show_read_flow(flow, notes, template=template)
        return True   # set_flow put it in File > Open recent

    def show_read_flow(self, flow: Flow, notes: list[str], *, template: bool = False
                       ) -> None:
        """Show a flow ``read_flow`` read, with its notes in the log and the first in
        the status bar, and the plugins its placeholders need: File > Open and
        ``workbench flow FILE`` (which reads the file before the window opens, so a bad
        one ends the command) say the same, once, in the window."""
        self.set_flow(flow, template=template)
        for note in notes:
            self.log.log(f"warning: {note}")
        if notes:
            self.status.set_activity(self.opened_text(), notes[0] + " (see the log)")
        for node in flow.placeholders():
            self.log.log(f"{node.title}: {node.missing}")

    def opened_text(self) -> str:
        """What the status bar says of the flow just shown: "Opened PATH", a template
        "as a new flow", and for a flow read from no file (an empty one at start, File >
        New) what to do first."""
        path = self.flow.path
        if path is None:
            return NEW_FLOW_TEXT
        if self.is_template:  # the installed file's path means nothing to a user
            name = path.name.removesuffix(files.FLOW_SUFFIX)
            return f"Opened the template '{name}' as a new flow: Save asks for a name"
        return f"Opened {path}"

    def open_template(self, path: str | Path) -> bool:
        """Open a template as an untitled flow (saving asks for a new name); its relative
        file names still resolve against the templates folder."""
        return self.open_file(path, ask=True, template=True)

    def save(self) -> bool:
        if self.flow.path is None or self.is_template:
            return self.save_as()
        return self.save_to(self.flow.path)

    def ask_save_path(self) -> str:
        """Where to save the flow, as typed in the dialog (tests replace this); "" when
        cancelled."""
        return ask_save_name(self, "Save flow as", "Flows (*.kflow.json)",
                             files.FLOW_SUFFIX, self.suggested_save_path())

    def suggested_save_path(self) -> Path:
        """What *Save as...* offers: a saved flow its own file; a new flow or a template
        (whose file is inside the installed program, read-only in a system install and
        replaced on upgrade) a name in the output folder where the Explorer's and the
        Experimenter's Save... offer to write (``~/workbench-output``), named after the
        template or "untitled", numbered so accepting it replaces nothing."""
        path = self.flow.path
        if path is not None and not self.is_template and not is_bundled(path, "flows"):
            return Path(os.path.abspath(path))
        stem = path.name.removesuffix(files.FLOW_SUFFIX) if path is not None else ""
        return free_name(user_output_root(), stem or "untitled", files.FLOW_SUFFIX)

    def confirm_replace(self, path: Path) -> bool:
        """Ask before replacing ``path`` (tests replace this)."""
        return ask_replace(self, path)

    def save_as(self) -> bool:
        """Save under a name asked for; ``.kflow.json`` is added to a name typed without
        it, and replacing a file of that name is asked about here."""
        path = name_to_save(self.ask_save_path(), files.FLOW_SUFFIX, self.confirm_replace)
        return path is not None and self.save_to(path)

    def save_to(self, path: str | Path) -> bool:
        try:
            save_flow(self.flow, path)
        except (WorkbenchError, OSError) as error:
            self.status.set_activity(f"Cannot save {path}: {error}")
            self.log.log(f"cannot save {path}: {error}")
            return False
        self.flow.path = Path(path)
        self.is_template = False
        files.remember_flow(self.settings, path)
        self.undo_stack.setClean()
        self._update_title()
        self.status.set_activity(f"Saved {path}")
        return True

    def autosave(self) -> Path | None:
        """Write the recovery file when there are unsaved changes."""
        if not self.modified:
            return None
        try:
            return files.write_autosave(self.flow, self.flow.path)
        except OSError as error:
            self.log.log(f"autosave failed: {error}")
            return None

    def recover(self, path: Path) -> bool:
        """Open a recovery file left by a crashed session as the unsaved flow."""
        try:
            data = read_json(path, what="recovery file")
            origin = files.recovered_origin(path)
            flow = flow_from_dict(data, self.registry, path=origin)
        except (OSError, ValueError, WorkbenchError) as error:
            self.log.log(f"cannot recover {path}: {error}")
            return False
        self.set_flow(flow)
        # Recovered work is unsaved work, but no step to undo (an empty one read "Undo
        # recover 0 nodes" and did nothing): the stack has no clean state until saved,
        # so the title has its "*", closing asks, and undoing later edits keeps it.
        self.undo_stack.resetClean()
        path.unlink(missing_ok=True)
        self.log.log(f"recovered unsaved work from {path}")
        self.status.set_activity(f"Recovered unsaved work of {origin or 'an untitled flow'}")
        return True

    def offer_recovery(self) -> None:
        """At start: offer the recovery files left by sessions that ended abruptly, in
        the bar above the canvas (``recovery_bar``), not in a modal question: the window
        stays in the user's hands, and its keys reach it."""
        self.recovery_bar.offer(files.orphaned_autosaves())

    def recover_offered(self, path: Path) -> bool:
        """The bar's Recover: the open flow's unsaved changes are asked about first
        (recovering replaces the flow shown), then the next file left over is offered."""
        if not self.maybe_save():
            return False
        if not self.recover(path):
            self.status.set_activity(f"Cannot recover {path.name}: see the log; Discard "
                                     f"deletes it")
            return False
        self.recovery_bar.done_with_current()
        return True
