"""The status bar's part for a file being read: how far the read has come and a Cancel
that stops it. A 62 MB CSV file took seconds under a bare "Loading..." and could not be
given up; the CSV reader now reports its bytes and columns and stops at its next block
(``data/csv_progress.py``), and this shows that and asks for it.

Apart from the run's bar, which shows a classifier's progress on the other tabs: a file
may be read while a run goes on, and one bar must not show two things.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QWidget

from workbench.gui.workers import Job


class LoadProgress(QWidget):
    """A bar and a Cancel button, shown while a ``Job`` reads a file (``follow``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setMaximumWidth(160)
        self.bar.setFormat("Loading %p%")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop reading the file (the data shown now stays)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.job: Job | None = None
        self.cancel_button.clicked.connect(self.cancel)
        self.hide()

    def follow(self, job: Job, said: Any = None) -> None:
        """Show ``job``'s progress until it is done; ``said(text)`` gets each report's
        words ("big.csv: 30 of 60 MB read") for the status line."""
        self.job = job
        self.bar.setValue(0)
        self.cancel_button.setEnabled(True)
        self.show()
        job.progress.connect(lambda event: self._show(event, said))
        job.done.connect(lambda: self._done(job))

    def cancel(self) -> None:
        """Ask the read to stop at its next block; the button says it has been asked."""
        if self.job is not None:
            self.job.stop()
            self.cancel_button.setEnabled(False)

    def _show(self, event: Any, said: Any) -> None:
        if event.fraction is not None:
            self.bar.setValue(round(100 * min(max(event.fraction, 0.0), 1.0)))
        if said is not None and event.message:
            said(event.message)

    def _done(self, job: Job) -> None:
        if self.job is job:
            self.job = None
            self.hide()


__all__ = ["LoadProgress"]
