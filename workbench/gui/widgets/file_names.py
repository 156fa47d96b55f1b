"""The name a Save dialog writes: its file type's suffix added when the user typed none,
and the question before that name replaces a file.

Qt's default suffix and WEKA both add the suffix, and without it a flow saved as
``myflow`` is missing from the *Open...* dialog's ``*.kflow.json`` filter. The dialog
asks about replacing the name as typed; a suffix added after it means asking again.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from workbench.gui.widgets.literal import ask


def with_type_suffix(path: str | os.PathLike[str], suffix: str) -> Path:
    """``path`` ending in ``suffix`` (a two-part one such as ``.kflow.json``): added when
    the name has no ``.json`` ending (``myflow`` → ``myflow.kflow.json``), completed when
    it has the first part only (``myflow.kflow`` → ``myflow.kflow.json``), and left as
    typed when it ends in ``.json`` already."""
    path = Path(path)
    name = path.name
    last = Path(suffix).suffix
    if name.lower().endswith(last):
        return path
    head = suffix.removesuffix(last)
    return path.with_name(name + (last if head and name.lower().endswith(head) else suffix))


def free_name(folder: Path, stem: str, suffix: str) -> Path:
    """``folder/stem+suffix``, numbered (``stem-2``, ``stem-3`` ...) past the files already
    there, so that accepting a Save dialog's suggestion never replaces one; ``folder`` is
    made when it can be (a dialog opened on a missing folder starts elsewhere)."""
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
    candidate, number = folder / f"{stem}{suffix}", 2
    with contextlib.suppress(OSError):   # an unreadable folder: the dialog still opens
        while candidate.exists():
            candidate, number = folder / f"{stem}-{number}{suffix}", number + 1
    return candidate


def ask_replace(parent: QWidget, path: Path) -> bool:
    """Whether the user agrees to replace the existing ``path`` (No is the default)."""
    answer = ask(
        parent, "Replace file?", f"{path.name} already exists in {path.parent}. "
        f"Replace it?", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def save_dialog(parent: QWidget, title: str, file_filter: str, suffix: str,
                suggested: str | os.PathLike[str]) -> QFileDialog:
    """The Save dialog ``ask_save_name`` shows, open in the folder of ``suggested``
    with its name filled in. The folder is given, never left to Qt: an empty one makes
    Qt reuse the last folder any dialog visited, which after a loader's *Browse...* is
    the installed program's datasets folder. A relative suggestion is taken from the
    current folder, as the file it names would be."""
    path = Path(os.path.abspath(suggested))
    dialog = QFileDialog(parent, title, str(path.parent), file_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix(suffix.lstrip("."))
    dialog.selectFile(path.name)
    return dialog


def ask_save_name(parent: QWidget, title: str, file_filter: str, suffix: str,
                  suggested: str | os.PathLike[str]) -> str:
    """The name typed in a Save dialog for a file of type ``suffix``; "" when cancelled.
    Qt adds the suffix's last part to a name typed without any "." before it asks about
    replacing."""
    dialog = save_dialog(parent, title, file_filter, suffix, suggested)
    try:
        return dialog.selectedFiles()[0] if dialog.exec() else ""
    finally:
        dialog.deleteLater()


def name_to_save(typed: str, suffix: str,
                 confirm_replace: Callable[[Path], bool]) -> Path | None:
    """Where to save what was typed: ``typed`` with its type's ``suffix``, or None when
    nothing was typed, or when the name with the suffix added is a file the user keeps
    (the dialog asked only about the name as typed)."""
    if not typed:
        return None
    path = with_type_suffix(typed, suffix)
    if path != Path(typed) and path.exists() and not confirm_replace(path):
        return None
    return path
