"""Checking a dataset when it is added, not after every other run.

A file is loaded exactly as a run will load it (class last), on a worker thread so a
large file never freezes the window; a file that cannot be read, or has no class, is
refused with the reader's own message (file, line, what was expected). Bundled datasets
ship with Workbench and are known to load.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from workbench.core.errors import WorkbenchError
from workbench.data.catalog import bundled_names
from workbench.gui.experimenter.setup_list import SetupList
from workbench.gui.widgets.colours import error_colour, hint_colour
from workbench.gui.widgets.literal import tooltip_text
from workbench.gui.widgets.palette_follow import follow_palette
from workbench.gui.workers import Job

REF = Qt.ItemDataRole.UserRole        # the bundled name or absolute path
STATE = Qt.ItemDataRole.UserRole + 1    # "checking", "ok" or the reason it is broken
ADDED = Qt.ItemDataRole.UserRole + 2    # added by hand (refused when broken), not opened
LOCATION = Qt.ItemDataRole.UserRole + 3  # where it is read from, the tooltip's first line


def _tip(item: QListWidgetItem, text: str) -> None:
    """The tooltip names a file and quotes its reader: shown as written, never HTML."""
    item.setToolTip(tooltip_text(text))


def check_dataset(location: str) -> str:
    """Load ``location`` as a run would; returns a one-line description, or raises
    ``WorkbenchError`` saying why no run could use it."""
    from workbench.data.io import load_dataset

    data = load_dataset(location, class_index=-1)
    if data.class_attribute is None:
        raise WorkbenchError(f"{location}: has no class attribute")
    if data.num_instances == 0:
        raise WorkbenchError(f"{location}: has no instances")
    kind = "nominal" if data.class_attribute.is_nominal else "numeric"
    return (f"{data.num_instances} instances, {data.num_attributes} attributes, class "
            f"'{data.class_attribute.name}' ({kind})")


class DatasetChecker(QObject):
    """Checks datasets one job each; ``checked(ref, description)`` or
    ``broken(ref, message)`` arrive on the GUI thread.

    A file being read cannot be interrupted, so a job may outlive the window that asked
    for it: a started job is held until its thread ends (``workers.Job``), and reports
    to the checker through its own slots, which Qt disconnects when the checker goes away.
    """

    checked = Signal(str, str)
    broken = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.jobs: dict[str, Job] = {}

    @property
    def pending(self) -> list[str]:
        return list(self.jobs)

    def check(self, ref: str, location: str) -> None:
        if ref in bundled_names():
            self.checked.emit(ref, "bundled with Workbench")
            return
        if ref in self.jobs:
            return

        def work(_progress: Any, _cancel: Any) -> str:
            return check_dataset(location)

        job = Job(work, "dataset-check")
        job.setObjectName(ref)
        job.finished.connect(self._job_finished)
        job.failed.connect(self._job_failed)
        self.jobs[ref] = job
        job.start()

    def _take(self) -> str | None:
        job = self.sender()
        ref = job.objectName() if job is not None else ""
        if self.jobs.get(ref) is not job:
            return None  # forgotten, or replaced by a newer check of the same file
        del self.jobs[ref]
        return ref

    def _job_finished(self, description: str) -> None:
        ref = self._take()
        if ref is not None:
            self.checked.emit(ref, description)

    def _job_failed(self, message: str, _details: str) -> None:
        ref = self._take()
        if ref is not None:
            self.broken.emit(ref, message)

    def rename(self, ref: str, new_ref: str) -> None:
        """``ref`` goes by ``new_ref`` now (the same file, its path written otherwise):
        a check still running reports under the new name."""
        job = self.jobs.pop(ref, None)
        if job is not None:
            job.setObjectName(new_ref)
            self.jobs[new_ref] = job

    def forget(self, ref: str) -> None:
        """Stop caring about ``ref`` (removed from the list): its result is dropped."""
        job = self.jobs.pop(ref, None)
        if job is not None:
            job.stop()

    def wait(self, timeout: float | None = None) -> None:
        """Block until every check ended (tests and shutdown only)."""
        for job in list(self.jobs.values()):
            job.wait(timeout)


def _colour(item: QListWidgetItem) -> None:
    """Grey while a dataset is being checked, red when it is broken, the list's own text
    colour when it is fine; worked out from the palette of the moment."""
    state = item.data(STATE)
    if state == "checking":
        item.setForeground(QBrush(hint_colour(background=QPalette.ColorRole.Base)))
    elif state == "ok":
        item.setForeground(QBrush())
    else:
        item.setForeground(QBrush(error_colour(background=QPalette.ColorRole.Base)))


class DatasetList(SetupList):
    """The Setup tab's datasets, each checked as it arrives.

    A file added by hand that no run could use leaves the list again (``refused`` says
    why); a dataset of an opened experiment stays, in red, and ``broken()`` names it, so
    Start can refuse. ``changed`` fires when the list's length changes.
    """

    changed = Signal()
    refused = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.checker = DatasetChecker(self)
        self.checker.checked.connect(self._checked)
        self.checker.broken.connect(self._broken)
        follow_palette(self, self._recolour)

    def _recolour(self) -> None:
        """Every item's colour again, for a palette that changed (a dark theme)."""
        for i in range(self.count()):
            _colour(self.item(i))

    def refs(self) -> list[str]:
        return [self.item(i).data(REF) for i in range(self.count())]

    def add(self, ref: str, location: str, *, added: bool) -> None:
        """Show ``ref`` (grey while it is being read) and start its check."""
        item = QListWidgetItem(ref if ref in bundled_names() or not added
                               else Path(ref).name)
        _tip(item, location)
        item.setData(LOCATION, location)
        item.setData(REF, ref)
        item.setData(ADDED, added)
        item.setData(STATE, "checking")
        _colour(item)
        self.addItem(item)
        self.checker.check(ref, location)
        self.changed.emit()

    def item_for(self, ref: str) -> QListWidgetItem | None:
        """The row showing ``ref``, or None once it has been removed."""
        for i in range(self.count()):
            if self.item(i).data(REF) == ref:
                return self.item(i)
        return None

    def rename(self, ref: str, new_ref: str) -> None:
        """Show and list ``ref`` as ``new_ref``: the same file, its path written for the
        folder the experiment was saved into. Its check (done or running) stays."""
        item = self.item_for(ref)
        if item is None:
            return
        item.setData(REF, new_ref)
        if not item.data(ADDED):   # an opened experiment's entry shows its path as written
            item.setText(new_ref)
        self.checker.rename(ref, new_ref)

    def checking(self) -> list[str]:
        return [self.item(i).data(REF) for i in range(self.count())
                if self.item(i).data(STATE) == "checking"]

    def broken(self) -> dict[str, str]:
        """Datasets of an opened experiment that failed their check, with the reason."""
        return {self.item(i).data(REF): self.item(i).data(STATE) for i in range(self.count())
                if self.item(i).data(STATE) not in ("checking", "ok")}

    def remove_selected(self) -> None:
        for item in self.selectedItems():
            self.checker.forget(item.data(REF))
            self.takeItem(self.row(item))
        self.changed.emit()

    def forget_all(self) -> None:
        """Empty the list; checks still running are dropped."""
        for ref in self.refs():
            self.checker.forget(ref)
        self.clear()
        self.changed.emit()

    def _checked(self, ref: str, description: str) -> None:
        item = self.item_for(ref)
        if item is None:
            return
        item.setData(STATE, "ok")
        _colour(item)
        _tip(item, f"{item.data(LOCATION)}\n{description}")

    def _broken(self, ref: str, message: str) -> None:
        item = self.item_for(ref)
        if item is None:
            return
        if item.data(ADDED):
            self.takeItem(self.row(item))
            self.refused.emit(f"Not added: {message}")
            self.changed.emit()
            return
        item.setData(STATE, message)
        _colour(item)
        _tip(item, message)
        self.refused.emit(f"Dataset '{ref}' cannot be used: {message}")
