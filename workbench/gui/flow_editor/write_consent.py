"""Asking before a run writes where a flow may not write on its own.

A flow's savers write into the flow's folder (or the folder chosen for the run, or for a
bundled template a folder of the user's: ``workbench.flow.writes``). When one names a
file outside it, or an existing file no earlier run wrote, the editor lists every such
target and asks once, before anything runs. Declining runs nothing.

"Write them" is consent to the files listed and to nothing else: the run may write those
very files (as resolved when listed, folders' links followed) and no other file outside
the folder, except the numbered files a saver writes beside a listed one (one per fold
or weight array: the list says so), which it covers as new files only. Any other file
the list could not show (a name a plugin node makes up while it runs) is refused: that
node fails with the reason in the log and writes nothing, as ``workbench run`` without
``--allow-outside-writes`` does.
The command line's flag stays the one blanket consent, for scripts.

Within one open flow the editor remembers what the user agreed to, as WEKA's and
Orange's users expect a re-run to go without a question: a later run asks again only
about targets of its plan not agreed to before (a changed file name, another output
folder, another node writing a file agreed to for one node), and each run's consent
still covers only its own plan's targets. Opening
another flow forgets it all. A device, FIFO or folder as a target is never written,
consent or not: that node fails with the reason in the log.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from workbench.core.counts import counted
from workbench.flow import Flow
from workbench.flow.writes import PlannedWrite, WriteGuard, planned_writes
from workbench.gui.widgets.literal import message_box

Confirm = Callable[[QWidget | None, list[PlannedWrite]], bool]
# What the user agreed to: a node writing a target (its numbered files too, for a saver
# that numbers them). Keyed by node as well as file, because agreeing that one node
# writes ``x.csv`` says nothing about another node numbering files beside it.
Agreement = tuple[str, Path]


@dataclass(frozen=True)
class Consent:
    """The outcome of asking: ``run`` is False when the user declined; ``agreed`` is
    the (node id, resolved target) pairs of the plan that needed consent and got it, now
    or earlier, what the editor remembers; ``folder`` is where relative names go (for
    the log)."""

    run: bool
    folder: Path
    writes: tuple[PlannedWrite, ...] = ()
    agreed: frozenset[Agreement] = frozenset()

    @property
    def consented(self) -> frozenset[Path]:
        """The run's allow-list beyond its folder: the agreed targets."""
        return allow_list(self.agreed)


def allow_list(agreed: Collection[Agreement]) -> frozenset[Path]:
    """The files that (node, file) agreements let a run write beyond its folder."""
    return frozenset(real for _, real in agreed)


def _count(targets: list[PlannedWrite]) -> str:
    """"3 files", or "1 file (and numbered files beside it)" when a saver numbers its."""
    files = counted(len(targets), "file")
    if not any(t.numbered for t in targets):
        return files
    return f"{files} (and numbered files beside {'it' if len(targets) == 1 else 'them'})"


def confirm_dialog(parent: QWidget | None, targets: list[PlannedWrite]) -> bool:
    """A modal question listing every target that needs consent; True to write them."""
    # The paths are the flow's, from whoever wrote it: shown as written, never as HTML.
    box = message_box(
        QMessageBox.Icon.Warning, "Write outside the flow's folder?",
        f"This flow would write {_count(targets)} outside its folder or over existing "
        f"files it did not write. A flow from someone else could overwrite your files "
        f"this way. Only the files listed are written; any other such file is refused.",
        QMessageBox.StandardButton.NoButton, parent,
        informative="\n".join(f"\u2022 {t.describe()}" for t in targets[:12])
        + (f"\n\u2026 and {len(targets) - 12} more" if len(targets) > 12 else ""))
    box.setDetailedText("\n".join(t.describe() for t in targets))
    write = box.addButton("Write them", QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton("Don't run", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is write


def ask_before_run(parent: QWidget | None, flow: Flow, output_dir: Path | None,
                   nodes: Iterable[str] | None = None,
                   confirm: Confirm = confirm_dialog,
                   agreed: Collection[Agreement] = frozenset()) -> Consent:
    """Plan the run's writes (of ``nodes`` and the nodes they need, when given) and ask
    about the targets needing consent that are not in ``agreed`` (node ids and resolved
    paths the user agreed to earlier) or that would overwrite a file no run of this user
    wrote; no question when there are none."""
    guard = WriteGuard.for_run(flow, output_dir)
    plan = planned_writes(flow, output_dir, guard=guard)
    if nodes is not None:
        running = set(nodes)
        running = running.union(*(flow.upstream(n) for n in list(running)))
        plan = [p for p in plan if p.node_id in running]
    needing = [p for p in plan if p.needs_consent]
    pairs = frozenset((p.node_id, p.real) for p in needing)
    # Agreeing once covers re-runs, not a file changed since by someone else: a target
    # that now exists and is not what a run of this user wrote is asked about again.
    new = [p for p in needing if (p.node_id, p.real) not in agreed
           or (os.path.lexists(p.real) and not guard.record.wrote(p.real))]
    if new and not confirm(parent, new):
        return Consent(False, guard.base, tuple(plan))
    return Consent(True, guard.base, tuple(plan), pairs)
