"""Where a flow may write: its own folder (or the folder the user chose), nothing else.

A flow file is data from anywhere, and its saver nodes name files to write. Opening and
running a stranger's flow must not destroy anything, so every file a node writes is
checked here, once, before it is written:

- A relative name is taken from the run's output folder (``workbench run --out DIR``,
  the folder chosen in the editor) or else from the flow file's folder. A bundled
  template lives inside the installed package, which is no place for results: its
  files go to a per-user output folder (``default_output_dir``).
- Writing outside those folders (an absolute path, ``~``, ``..``, a folder linked to
  elsewhere) needs the user's consent, given one of two ways:
  ``workbench run --allow-outside-writes`` (``allow_outside``: the user's explicit
  blanket flag, for scripts), or the editor's question before a run, which lists every
  target and whose "yes" covers exactly those files (``consented``). A saver that
  writes one file per fold or per weight array (``numbered_outputs``), when its inputs
  bring folds (``writes_numbered``), is listed with the
  numbered names it makes beside its file (``fold_trainingSet_3.csv`` beside
  ``fold.csv``), and the "yes" covers those too, as new files only: an existing file of
  that shape is still not overwritten unless a run of this user wrote it. Any other file
  the user was not shown (a file a plugin node writes, a name in another folder) is
  refused like any other, even when the user agreed to others. Without consent the
  node fails and writes nothing; parent folders are never created outside the allowed
  folders.
- Overwriting an existing file needs the same consent, unless a flow run of this user
  wrote that very file and it is unchanged since (same size and modification time):
  re-running a flow replaces its own results without asking. A file that is itself a
  symbolic link needs it too, and the question says so: where the link points, whether
  that exists or lies outside, and that the write replaces the link, not its target.
- A target that is not a regular file (a device such as ``/dev/full``, a FIFO, a
  folder) is never written, not even with consent (``core.atomic`` refuses it too).

A path is compared in one form at plan time and at write time (``WriteGuard.resolve``
then ``resolved``): ``~`` expanded, relative names under the run's folder, absolute,
``..`` removed, every folder's link followed, the last part kept as named. So a
consented file is the file the user saw: a folder swapped for a link after the question
resolves elsewhere and is refused, and a name differing only in case is a different
file (on a case-insensitive disk that refuses, never allows, too much).

``planned_writes`` lists what a flow will write before it runs, so the editor can ask
first; ``WriteGuard`` enforces the same rules while it runs.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.atomic import write_text_atomic
from workbench.core.errors import DataFormatError, WorkbenchError, printable
from workbench.core.jsonfile import read_json
from workbench.core.resources import user_output_root

if TYPE_CHECKING:
    from workbench.flow.graph import Flow

# Node parameters that name a file a node writes (the savers' ``file``).
WRITE_PARAM = "file"
# How many files we remember having written (oldest forgotten first). Rewriting a record
# this size takes milliseconds, and a run saves it once per SAVE_EVERY files.
MAX_RECORDED = 20_000
# How many of them one run may add: a run that writes more has only its first ones
# remembered, so a single huge run cannot push every other run's files out of the record
# (the user would be asked again about all of those). Half leaves the other half to the
# runs before it, and a run may still remember the 10 000 files one run could before
# the record was shared out (a flow that wrote them re-runs without asking).
MAX_PER_RUN = MAX_RECORDED // 2
# A batched run saves what it wrote to the record every so many files, and at its end:
# saving rewrites the whole record, so once per file made a run quadratic.
SAVE_EVERY = 1_000


class WriteRefused(WorkbenchError):
    """A node asked to write where the flow may not write without consent."""


@dataclass(frozen=True)
class PlannedWrite:
    """One file a node will write: ``reason`` says why the user must agree first, or is
    None when the write needs no consent; ``refused`` marks targets never written."""

    node_id: str
    title: str
    path: Path
    reason: str | None = None
    refused: bool = False
    # How the node names the numbered files it also writes beside this one (one per
    # fold or array): the name's part before the number and the part after it.
    numbered: tuple[str, str] | None = None
    # The file consent is given for: ``path`` resolved when planned (``resolved``), so
    # a folder swapped for a link after the user was shown the plan is not covered.
    real: Path = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "real", resolved(self.path))

    @property
    def needs_consent(self) -> bool:
        return self.reason is not None and not self.refused

    def describe(self) -> str:
        notes = ([f"that is, {self.real}"] if self.real != self.path else []) + \
            ([self.reason] if self.reason else [])
        why = f" ({'; '.join(notes)})" if notes else ""
        family = (f", and new numbered files beside it ({self.numbered[0]}_*"
                  f"{self.numbered[1]})" if self.numbered else "")
        return f"{self.title} ({self.node_id}): {self.path}{family}{why}"


def is_bundled(flow_path: Path | None) -> bool:
    """True for a flow file inside the installed package's templates folder."""
    if flow_path is None:
        return False
    from workbench.core.resources import resource_dir

    try:
        return resolved(flow_path).is_relative_to(resolved(resource_dir("flows")))
    except (OSError, ValueError):
        return False


def default_output_dir(flow: Flow) -> Path:
    """The folder a run writes relative names into when the user chose none: the flow
    file's folder, or for bundled templates and unsaved flows a folder of the user's."""
    if flow.path is not None and not is_bundled(flow.path):
        return flow.path.parent if str(flow.path.parent) else Path(".")
    stem = flow.path.name.removesuffix(".kflow.json") if flow.path else "untitled"
    return user_output_root() / (stem or "untitled")


def resolved(path: Path) -> Path:
    """The one form a target is compared in, at plan and at write time: absolute, with
    every folder's links followed; the last part is kept as it is (a link there is
    replaced by the write, its target left alone)."""
    path = Path(os.path.abspath(path))
    return Path(os.path.realpath(path.parent)) / path.name


# What a numbered file may have between ``stem_`` and the extension unless the saver
# says more exactly (``NodeType.numbered_middle``).
ANY_NUMBER_PART = r"[A-Za-z0-9_-]+"


@dataclass(frozen=True)
class NumberedFiles:
    """The numbered files one saver writes beside a file the user consented to: in
    ``folder``, named ``stem`` + ``_`` + a part matching ``middle`` + ``ext``
    (``fold_trainingSet_3.csv`` beside ``fold.csv``); only that node may write them."""

    node_id: str
    folder: Path
    stem: str
    ext: str
    middle: str = ANY_NUMBER_PART

    def include(self, path: Path, node_id: str | None) -> bool:
        name = path.name
        if node_id != self.node_id or path.parent != self.folder:
            return False
        if not (name.startswith(self.stem + "_") and name.endswith(self.ext)):
            return False
        middle = name[len(self.stem) + 1:len(name) - len(self.ext)]
        return bool(middle) and re.fullmatch(self.middle, middle) is not None


class WriteRecord:
    """The files flow runs of this user wrote, with their size and modification time, so
    a re-run may replace its own results without asking. Kept in the user's state folder
    (``WORKBENCH_HOME`` or ``~/.workbench``); losing it only means being asked again.

    The file is read again only when it changed on disk (another run saved), so checking
    many files costs one read, not one each. ``save`` merges what it is given into the
    file as it is then (entries other runs saved meanwhile are kept), under a lock across
    threads and, where the system has ``fcntl``, across processes, and replaces it
    atomically; the oldest entries beyond ``MAX_RECORDED`` are forgotten."""

    _lock = threading.Lock()

    def __init__(self, path: Path | None = None) -> None:
        home = os.environ.get("WORKBENCH_HOME")
        base = Path(home) if home else Path.home() / ".workbench"
        self.path = path or base / "flow-writes.json"
        self._cache: tuple[tuple[int, int, int], dict[str, list[int]]] | None = None

    def _signature(self) -> tuple[int, int, int] | None:
        try:
            info = os.stat(self.path)
        except OSError:
            return None
        return info.st_ino, info.st_size, info.st_mtime_ns

    def _load(self, fresh: bool = False) -> dict[str, list[int]]:
        """The record, from the cache while the file's (inode, size, mtime) is unchanged;
        ``fresh`` reads the file whatever: a filesystem with coarse timestamps can show
        another process's save under the same signature, and a save must merge into
        what is really there."""
        signature = self._signature()
        if signature is None:
            return {}
        if not fresh and self._cache is not None and self._cache[0] == signature:
            return self._cache[1]
        try:
            data = read_json(self.path, what="the record of written files")
        except DataFormatError:
            return {}  # lost or damaged: the user is asked again, nothing worse
        if not isinstance(data, dict):
            return {}
        entries = {k: v for k, v in data.items() if isinstance(k, str)
                   and isinstance(v, list) and len(v) == 2
                   and all(isinstance(x, int) for x in v)}
        self._cache = (signature, entries)
        return entries

    def wrote(self, path: Path) -> bool:
        """True when a flow run wrote ``path`` and nobody changed it since."""
        stamp = file_stamp(path)
        return stamp is not None and self._load().get(str(resolved(path))) == stamp

    def add(self, paths: Iterable[Path]) -> None:
        """Remember ``paths`` as they are now, in one update of the file."""
        stamps = {}
        for path in paths:
            stamp = file_stamp(path)
            if stamp is not None:
                stamps[str(resolved(path))] = stamp
        self.save(stamps)

    def save(self, stamps: dict[str, list[int]]) -> None:
        """Merge ``stamps`` (``resolved`` path: ``file_stamp``) into the file, newest last."""
        if not stamps:
            return
        with self._lock, contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with _process_lock(self.path):
                data = dict(self._load(fresh=True))
                for key in stamps:
                    data.pop(key, None)
                data.update(stamps)
                kept = dict(list(data.items())[-MAX_RECORDED:])
                write_text_atomic(self.path, json.dumps(kept))
                signature = self._signature()
                self._cache = (signature, kept) if signature is not None else None


def file_stamp(path: Path) -> list[int] | None:
    """What the record keeps of a file: its size and modification time (None if gone)."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]


@contextlib.contextmanager
def _process_lock(record: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``record``'s lock file, so two processes saving at
    once do not each drop the other's entries (no lock where ``fcntl`` is missing:
    then the later save wins, which only means being asked again)."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    try:
        handle = open(record.with_name(record.name + ".lock"), "a")  # noqa: SIM115
    except OSError:
        yield
        return
    with handle:
        with contextlib.suppress(OSError):
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


@dataclass
class WriteGuard:
    """The write rules of one run: ``roots`` are the folders the flow may write in;
    beyond them (outside, or over a file no run wrote) it writes only what the user
    agreed to: the files in ``consented`` (``resolved`` forms, as the plan showed them),
    or anything with ``allow_outside`` (``workbench run --allow-outside-writes``).
    Neither ever lets a device, FIFO or folder be written."""

    roots: tuple[Path, ...]
    allow_outside: bool = False
    record: WriteRecord = field(default_factory=WriteRecord)
    written: list[Path] = field(default_factory=list)
    consented: frozenset[Path] = frozenset()
    # The numbered files consented savers write beside their consented files.
    numbered: frozenset[NumberedFiles] = frozenset()
    # How many files this guard may add to the record (None: ``MAX_PER_RUN``; less for
    # a second guard of the same run).
    max_recorded: int | None = None
    # What this guard wrote (``resolved`` path: ``file_stamp``), so the run may replace
    # its own files before (or without) their being saved to the record.
    _stamps: dict[str, list[int]] = field(default_factory=dict, repr=False)
    _pending: dict[str, list[int]] = field(default_factory=dict, repr=False)
    _saved: set[str] = field(default_factory=set, repr=False)
    _unsaved: set[str] = field(default_factory=set, repr=False)
    _batching: int = field(default=0, repr=False)

    @classmethod
    def for_run(cls, flow: Flow, output_dir: Path | None = None,
                allow_outside: bool = False, record: WriteRecord | None = None, *,
                consented: frozenset[Path] = frozenset()) -> WriteGuard:
        root = output_dir if output_dir is not None else default_output_dir(flow)
        guard = cls((Path(os.path.abspath(root)),), allow_outside, record or WriteRecord(),
                    consented=frozenset(consented))
        if guard.consented:
            middles = {node.id: node.node_type.numbered_middle for node in flow
                       if node.node_type is not None}
            guard.numbered = frozenset(
                NumberedFiles(p.node_id, p.real.parent, *p.numbered, middles[p.node_id])
                for p in planned_writes(flow, guard=guard)
                if p.numbered and p.real in guard.consented)
        return guard

    def agreed(self, path: Path, node_id: str | None = None) -> bool:
        """True when the user consented to writing ``path`` (in its ``resolved`` form)
        beyond the run's folders: all of them by the flag, this very file, or a new
        numbered file that node ``node_id`` writes beside the file consented to for it
        (never over an existing file no run of this user wrote: a re-run replaces its
        own numbered files, in the shape only that saver writes)."""
        real = resolved(path)
        if self.allow_outside or real in self.consented:
            return True
        fresh = not os.path.lexists(real) or self.wrote(real)
        return fresh and any(family.include(real, node_id) for family in self.numbered)

    @property
    def base(self) -> Path:
        """Where relative names go."""
        return self.roots[0]

    def resolve(self, name: str) -> Path:
        """The file a parameter names: relative names under ``base``; ``~`` expanded."""
        if "\x00" in name:
            raise WriteRefused(f"the file name {name!r} contains a NUL character")
        candidate = Path(os.path.expanduser(name))
        if not candidate.is_absolute():
            candidate = self.base / candidate
        path = Path(os.path.abspath(candidate))
        if not path.name:
            raise WriteRefused(f"the file name {name!r} names a folder, not a file")
        return path

    def problem(self, path: Path) -> tuple[str | None, bool]:
        """Why writing ``path`` needs consent (None if it does not), and whether it is
        refused outright (not a regular file)."""
        real = resolved(path)
        try:
            mode: int | None = os.lstat(real).st_mode
        except OSError:
            mode = None
        if mode is not None and not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
            return "it exists and is not a regular file; it is never written", True
        # A root is a folder: every link in it is followed, its last part too (an --out
        # that is a link to a folder, or a home behind one), existing or not.
        roots = [Path(os.path.realpath(r)) for r in self.roots]
        where = " or ".join(str(r) for r in roots)
        if mode is not None and stat.S_ISLNK(mode) and not self.wrote(real):
            return _link_problem(real, roots, where), False
        if not any(real.is_relative_to(root) and real != root for root in roots):
            if mode is not None and not self.wrote(real):
                return f"outside {where}; it exists and would be overwritten", False
            return f"outside {where}", False
        if mode is not None and not self.wrote(real):
            return "it exists and would be overwritten", False
        return None, False

    def check(self, path: Path, who: str, node_id: str | None = None) -> Path:
        """The file to write for ``path`` if the node may write it now (its ``resolved``
        form, so the write goes where the check looked), its missing folders made
        (inside the allowed folders only); else ``WriteRefused`` saying why."""
        path = Path(os.path.abspath(path))
        reason, refused = self.problem(path)
        if refused:
            raise WriteRefused(f"{who}: will not write {path}: {reason}")
        if reason is not None and not self.agreed(path, node_id):
            raise WriteRefused(
                f"{who}: will not write {path} without your consent: {reason} (consent "
                f"covers each file the editor lists before a run, or every file with "
                f"workbench run --allow-outside-writes)")
        parent = path.parent
        if not parent.is_dir():
            real_parent = Path(os.path.realpath(parent))
            if not any(real_parent.is_relative_to(Path(os.path.realpath(r)))
                       for r in self.roots):
                raise WriteRefused(f"{who}: the folder {parent} does not exist (folders "
                                   f"are only made inside {self.base})")
            try:
                parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise WriteRefused(f"{who}: cannot make the folder {parent}: "
                                   f"{error.strerror or error} (choose a folder you can "
                                   f"write: the node's file, 'workbench run --out DIR' "
                                   f"or WORKBENCH_OUTPUT)") from None
        return resolved(path)

    def wrote(self, path: Path) -> bool:
        """True when this run or an earlier one wrote ``path`` and nobody changed it since."""
        mine = self._stamps.get(str(resolved(path)))
        if mine is not None:
            return file_stamp(path) == mine
        return self.record.wrote(path)

    def done(self, path: Path) -> None:
        """Remember a written file, so the next run may replace it without asking: at
        once, or inside ``batch`` every ``SAVE_EVERY`` files and at the batch's end."""
        path = Path(path)
        self.written.append(path)
        stamp = file_stamp(path)
        if stamp is None:
            return
        key = str(resolved(path))
        self._stamps[key] = stamp
        self._pending[key] = stamp
        if not self._batching or len(self._pending) >= SAVE_EVERY:
            self.save()

    @property
    def unrecorded(self) -> int:
        """How many files this run wrote that the record does not keep (beyond
        ``max_recorded``): a re-run asks before replacing them."""
        return len(self._unsaved)

    def save(self) -> None:
        """Add the files written since the last save to the record: the first
        ``max_recorded`` files over the guard's life (rewrites of those included)."""
        pending, self._pending = self._pending, {}
        limit = MAX_PER_RUN if self.max_recorded is None else self.max_recorded
        kept = {}
        for key, stamp in pending.items():
            if key in self._saved or len(self._saved) < limit:
                self._saved.add(key)
                kept[key] = stamp
            else:
                self._unsaved.add(key)
        self.record.save(kept)

    @contextlib.contextmanager
    def batch(self) -> Iterator[WriteGuard]:
        """Within it, written files reach the record in a few saves rather than one per
        file; whatever is left is saved when it ends, even on an error."""
        self._batching += 1
        try:
            yield self
        finally:
            self._batching -= 1
            if not self._batching:
                self.save()


def _link_problem(link: Path, roots: list[Path], where: str) -> str:
    """Why a target that is itself a symbolic link needs consent, said as it is: where
    the link points (missing, or outside the run's folders), and that the write would
    replace the link. "It exists and would be overwritten" misled for a dangling link,
    whose target does not exist and is never touched (``core.atomic`` renames over the
    link)."""
    try:
        shown = os.readlink(link)
    except OSError:
        shown = "?"
    target = Path(os.path.realpath(link))
    notes = []
    if not target.exists():
        notes.append("does not exist")
    if not any(target.is_relative_to(root) and target != root for root in roots):
        notes.append(f"is outside {where}")
    about = f", which {' and '.join(notes)}" if notes else ""
    return (f"it is a link to {printable(shown)}{about}; writing would replace the link "
            f"with a file, never what it points to")


def planned_writes(flow: Flow, output_dir: Path | None = None, *,
                   guard: WriteGuard | None = None) -> list[PlannedWrite]:
    """Every file the flow's saver nodes name, resolved as a run would, each with the
    reason the user must agree first (or None). A saver that writes one file per fold or
    per array, fed as the flow links it (``writes_numbered``), writes numbered names
    beside the one listed: the plan marks it ``numbered``, and consent to it covers
    those names as new files; fed one dataset, it is listed with its one file."""
    guard = guard or WriteGuard.for_run(flow, output_dir)
    planned = []
    for node in flow:
        node_type = node.node_type
        if node_type is None or not node_type.side_effects:
            continue
        name = node.params.get(WRITE_PARAM)
        if not isinstance(name, str) or not name:
            default = _default_name(node_type)
            if not default:
                continue
            name = default
        try:
            path = guard.resolve(name)
        except WriteRefused as error:
            planned.append(PlannedWrite(node.id, node.title, Path(name.replace("\x00", "")),
                                        str(error), True))
            continue
        numbered = writes_numbered(flow, node.id)
        for i, target in enumerate(_targets(node_type, path)):
            reason, refused = guard.problem(target)
            parts = node_type.numbered_parts(target) if numbered and i == 0 else None
            planned.append(PlannedWrite(node.id, node.title, target, reason, refused,
                                        numbered=parts))
    return planned


def writes_numbered(flow: Flow, node_id: str) -> bool:
    """Whether node ``node_id`` may write numbered files beside its file, fed as the
    flow links it: a saver declaring ``numbered_outputs`` does when an input of its
    ``numbered_inputs`` is fed by a cross-validation (a ``makes_folds`` node upstream),
    or is linked beside another input (both go under one name: the second set is
    numbered, as a split's test set beside its training set); a saver that numbers
    whatever it is fed (``numbered_inputs`` None) always may. A data saver fed one
    dataset writes one file, and the consent asked for covers that file alone."""
    node_type = flow.node(node_id).node_type
    if node_type is None or not node_type.numbered_outputs:
        return False
    ports = node_type.numbered_inputs
    if ports is None:
        return True
    links = flow.links_into(node_id)
    fed = [link for link in links if link.target_port in ports]
    if not fed:
        return False
    if len({link.target_port for link in links}) > 1:
        return True
    return any(_after_folds(flow, link.source) for link in fed)


def _after_folds(flow: Flow, node_id: str) -> bool:
    """Whether ``node_id`` is, or is downstream of, a node that cuts several folds."""
    for name in (node_id, *flow.upstream(node_id)):
        node_type = flow.node(name).node_type
        if node_type is not None and node_type.makes_folds:
            return True
    return False


def _default_name(node_type: Any) -> str:
    try:
        default = node_type.param(WRITE_PARAM).default
    except WorkbenchError:
        return ""
    return default if isinstance(default, str) else ""


def _targets(node_type: Any, path: Path) -> list[Path]:
    """The file a node writes for its ``file`` (``target_path``, where the node fixes
    the extension) and the files it writes beside it (``companion_paths``: a viewer's
    CSVs beside its PNG), each needing the same consent."""
    fix = getattr(node_type, "target_path", None)
    main = fix(path) if callable(fix) else path
    more = getattr(node_type, "companion_paths", None)
    return [main, *(more(main) if callable(more) else ())]
