"""The bar above the canvas that offers a crashed session's unsaved flow back.

A modal question did this before: it came a few seconds after the window (over a template
just opened from the command line) and took the key the user had already pressed (F5,
Run all). The bar is in the window from its first paint, asks nothing until clicked and
takes no keys: the canvas keeps the focus, and the window's shortcuts work while it
shows. Left unanswered, the recovery file stays for the next start.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QWidget

from workbench.gui.flow_editor import files
from workbench.gui.widgets.colours import notice_colours
from workbench.gui.widgets.literal import plain_label
from workbench.gui.widgets.palette_follow import keep_style


def _style() -> str:
    """The bar's yellow, and a text colour that reads on it under a dark palette too
    (the palette's light text on the light yellow did not)."""
    text, back, border = notice_colours()
    return (f"RecoveryBar {{ background: {back.name()}; border: 1px solid {border.name()}; "
            f"border-radius: 3px; }} RecoveryBar QLabel {{ color: {text.name()}; }}")


def recovery_text(path: Path) -> str:
    """What the bar says of one recovery file: whose work it is and when it was saved, so
    a user can tell one left over from last week from the flow they just lost."""
    origin = files.recovered_origin(path)
    what = (f"Unsaved changes to {origin.name} were" if origin
            else "An unsaved new flow was")
    try:
        saved = time.strftime("%d %b %H:%M", time.localtime(path.stat().st_mtime))
    except OSError:
        saved = "?"
    return (f"{what} left when Workbench last stopped (autosaved {saved}, "
            f"{path.name}).")


class RecoveryBar(QFrame):
    """One recovery file at a time, with Recover and Discard; hidden when none is left.

    ``recover_requested(path)`` asks the window to open it (the window asks about its
    own unsaved changes first); Discard deletes the file. Either way the next one left
    behind, if any, is offered.
    """

    recover_requested = Signal(Path)
    discarded = Signal(Path, str)   # the file, and why it could not be deleted ("" if it was)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        keep_style(self, _style)
        self.pending: list[Path] = []
        self.text = plain_label()
        self.text.setWordWrap(True)
        self.text.setStyleSheet("background: transparent; border: none;")
        self.recover_button = QPushButton("Recover")
        self.discard_button = QPushButton("Discard")
        self.recover_button.setToolTip("Open this flow in the window, as unsaved work")
        self.discard_button.setToolTip("Delete the recovery file")
        for button in (self.recover_button, self.discard_button):
            # Reached by a click or Tab, never given the focus by showing: a key meant
            # for the canvas or a shortcut must not press them.
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus | Qt.FocusPolicy.ClickFocus)
            button.setAutoDefault(False)
        self.recover_button.clicked.connect(self._recover)
        self.discard_button.clicked.connect(self.discard)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.recover_button)
        layout.addWidget(self.discard_button)
        self.hide()

    @property
    def current(self) -> Path | None:
        """The recovery file offered now."""
        return self.pending[0] if self.pending else None

    def offer(self, paths: list[Path]) -> None:
        """Offer these recovery files, one after the other."""
        self.pending = list(paths)
        self._show_current()

    def done_with_current(self) -> None:
        """The file offered was recovered (or is gone): offer the next one."""
        if self.pending:
            self.pending.pop(0)
        self._show_current()

    def discard(self) -> None:
        """Delete the recovery file offered now, then offer the next."""
        path = self.current
        if path is not None:
            try:
                path.unlink(missing_ok=True)
            except OSError as error:   # (a read-only folder): said, and offered no more
                self.discarded.emit(path, error.strerror or str(error))
            else:
                self.discarded.emit(path, "")
        self.done_with_current()

    def _recover(self) -> None:
        # Looked at again first: another Workbench may have recovered (or discarded) the
        # file since it was offered; then the next one is offered, not a failure.
        self._show_current()
        if self.current is not None:
            self.recover_requested.emit(self.current)

    def _show_current(self) -> None:
        while self.pending and not self.pending[0].is_file():
            self.pending.pop(0)  # recovered or discarded by another window meanwhile
        if not self.pending:
            self.hide()
            return
        self.text.setText(recovery_text(self.pending[0]))
        self.show()
