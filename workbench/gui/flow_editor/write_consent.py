"""Asking before a run writes where a flow may not write on its own.

A flow's savers write into the flow's folder (or the folder chosen for the run, or for a
bundled template a folder of the user's: ``workbench.flow.writes``). When one names a
file outside it, or an existing file no earlier run wrote, the editor lists every such
target and asks once, before anything runs, as ``workbench run --allow-outside-writes``
does on the command line. Declining runs nothing. A device, FIFO or folder as a target
is never written, consent or not: that node fails with the reason in the log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from workbench.flow import Flow
from workbench.flow.writes import PlannedWrite, WriteGuard, planned_writes

Confirm = Callable[[QWidget | None, list[PlannedWrite]], bool]


@dataclass(frozen=True)
class Consent:
    """The outcome of asking: ``run`` is False when the user declined; ``allow_outside``
    is what the run may do; ``folder`` is where relative names go (for the log)."""

    run: bool
    allow_outside: bool
    folder: Path
    writes: tuple[PlannedWrite, ...] = ()


def confirm_dialog(parent: QWidget | None, targets: list[PlannedWrite]) -> bool:
    """A modal question listing every target that needs consent; True to write them."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Write outside the flow's folder?")
    box.setText(f"This flow would write {len(targets)} file(s) outside its folder or over "
                f"existing files it did not write. A flow from someone else could "
                f"overwrite your files this way.")
    box.setInformativeText("\n".join(f"\u2022 {t.describe()}" for t in targets[:12])
                           + (f"\n\u2026 and {len(targets) - 12} more" if len(targets) > 12
                              else ""))
    box.setDetailedText("\n".join(t.describe() for t in targets))
    write = box.addButton("Write them", QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton("Don't run", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is write


def ask_before_run(parent: QWidget | None, flow: Flow, output_dir: Path | None,
                   nodes: Iterable[str] | None = None,
                   confirm: Confirm = confirm_dialog) -> Consent:
    """Plan the run's writes (of ``nodes`` only when given) and ask when any needs the
    user's consent; no question when none does."""
    guard = WriteGuard.for_run(flow, output_dir)
    plan = planned_writes(flow, output_dir, guard=guard)
    if nodes is not None:
        chosen = set(nodes)
        plan = [p for p in plan if p.node_id in chosen]
    needing = [p for p in plan if p.needs_consent]
    if not needing:
        return Consent(True, False, guard.base, tuple(plan))
    agreed = confirm(parent, needing)
    return Consent(agreed, agreed, guard.base, tuple(plan))
