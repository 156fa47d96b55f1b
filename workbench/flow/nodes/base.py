"""The node-type contract: declared parameters, typed ports and one ``process`` step.

A node type is a ``Configurable`` like a classifier or a filter, so its property sheet,
its flow-file parameters and ``workbench run --set`` all come from one declaration. The
executor makes one instance per run of a node, with the node's parameters, and calls
``process`` with the values arriving on its input ports; ``process`` returns the values
for its output ports. Node types never touch the graph, the GUI or other nodes.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from workbench.core import atomic
from workbench.core.errors import WorkbenchError
from workbench.core.params import Configurable
from workbench.core.progress import CancelToken, ProgressCallback, ProgressEvent, check
from workbench.flow.ports import PortSpec
from workbench.flow.writes import ANY_NUMBER_PART, WriteGuard

# Palette groups, in WEKA's order.
CATEGORIES = ("DataSources", "DataSinks", "Filters", "Classifiers", "Evaluation",
              "Visualization", "Plugins")


class NodeError(WorkbenchError):
    """A node cannot do its work with what it was given; the message says why."""


@dataclass
class NodeContext:
    """What a node may know about its run: who it is, where the flow lives, and the
    progress / cancellation hooks it must honour during long work."""

    node_id: str
    title: str
    base_dir: Path | None = None
    output_dir: Path | None = None
    progress: ProgressCallback | None = None
    cancel: CancelToken | None = None
    messages: list[str] = field(default_factory=list)
    writes: WriteGuard | None = None
    # The titles of the nodes feeding each input port, in the order of the values (a
    # port taking several links gets several): a node that shows several inputs together
    # (TextViewer, ModelPerformanceChart) says which is which in the user's words.
    sources: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Someone watches this node's training (the flow editor's Watch window is open): a
    # learner able to record its training dynamics records them, as in the Explorer.
    watched: bool = False

    def report(self, fraction: float | None, message: str = "") -> None:
        if self.progress is not None:
            self.progress(ProgressEvent(fraction, message))

    def check(self) -> None:
        check(self.cancel)

    def log(self, message: str) -> None:
        """A line for the run log (the GUI's log pane, ``workbench run --verbose``)."""
        self.messages.append(message)

    def resolve(self, path: str) -> Path:
        """A file named in a parameter: absolute, ``~``-expanded, or relative to the flow
        file's folder (so a flow and its data can move together), normalised."""
        if "\x00" in path:
            raise NodeError(f"{self.title}: the file name {path!r} contains a NUL character")
        candidate = Path(os.path.expanduser(path))
        if not candidate.is_absolute() and self.base_dir is not None:
            candidate = self.base_dir / candidate
        # Normalised, so the log and messages read ".../datasets/x.arff", not
        # "flows/../datasets/x.arff"; links are not followed: data kept as links to
        # blobs named by hash (git-annex, DVC) keeps the name the user gave it.
        return Path(os.path.abspath(candidate))

    @property
    def guard(self) -> WriteGuard:
        """The run's write rules (``flow.writes``); a context made without a run gets
        the default ones: its output folder, else the flow's folder, no consent."""
        if self.writes is None:
            root = self.output_dir or self.base_dir or Path.cwd()
            self.writes = WriteGuard((Path(os.path.abspath(root)),))
        return self.writes

    def resolve_output(self, path: str) -> Path:
        """A file to write: relative names go to the run's output folder when it has one
        (``workbench run --out DIR``), else next to the flow file. Where it may be
        written is ``claim_output``'s decision."""
        return self.guard.resolve(path)

    def claim_output(self, path: Path) -> Path:
        """``path`` if this node may write it now (missing folders made inside the run's
        folder); otherwise ``WriteRefused`` says what consent is needed
        (``workbench.flow.writes``). Call ``wrote`` once it is written."""
        return self.guard.check(path, self.title, self.node_id)

    def wrote(self, path: Path) -> None:
        self.guard.done(path)

    def sub_progress(self, start: float, stop: float, part: str = "") -> ProgressCallback:
        """A progress callback for a part of this node's work, mapped into [start, stop];
        ``part`` names it in each message ("fold 2 of 10: epoch 3/30, ..."), so that a
        node that trains several times in one run (once per fold) says which fit an
        epoch counter that starts again belongs to."""

        def forward(event: ProgressEvent) -> None:
            if self.progress is not None:  # values (epoch, loss, model) travel along
                fraction = None if event.fraction is None else \
                    start + (stop - start) * event.fraction
                message = f"{part}: {event.message}" if part and event.message \
                    else event.message
                self.progress(ProgressEvent(fraction, message, event.values))

        return forward


class NodeType(Configurable):
    """Base of every node type. Subclasses set the class attributes and ``process``.

    ``side_effects`` marks nodes that write files: they run every time, since a cached
    result cannot prove the file still exists; ``numbered_outputs`` marks savers that
    also write numbered files beside their ``file`` (one per fold or array), which the
    write consent covers with it (``flow.writes``). ``viewer`` marks nodes whose outputs are
    for people (text, chart points, arrays); ``export`` writes them to files. ``live``
    names what a viewer can show while a classifier upstream is still training
    ("learning" curves, "weights"), from the run's end-of-epoch progress reports; the
    flow editor's open viewer windows follow those reports.
    """

    kind: ClassVar[str] = "flow"
    name: ClassVar[str] = ""
    display_name: ClassVar[str] = ""
    category: ClassVar[str] = "Plugins"
    aliases: ClassVar[tuple[str, ...]] = ()
    inputs: ClassVar[tuple[PortSpec, ...]] = ()
    outputs: ClassVar[tuple[PortSpec, ...]] = ()
    side_effects: ClassVar[bool] = False
    numbered_outputs: ClassVar[bool] = False
    # The regular expression the part between ``stem_`` and the extension of a numbered
    # file matches (``numbered_parts``); the write consent allows no other shape.
    numbered_middle: ClassVar[str] = ANY_NUMBER_PART
    # The inputs through which the folds a ``numbered_outputs`` saver numbers its files
    # by arrive: it writes numbered files only when one of them is fed several folds
    # (from a ``makes_folds`` node upstream), or beside another linked input. None: it
    # may number whatever it is fed (ImageSaver, one file per weight array).
    numbered_inputs: ClassVar[tuple[str, ...] | None] = None
    # Cuts its data into several folds (a cross-validation): savers downstream of it
    # write one numbered file per fold.
    makes_folds: ClassVar[bool] = False
    viewer: ClassVar[bool] = False
    live: ClassVar[str] = ""

    @classmethod
    def input(cls, name: str) -> PortSpec | None:
        return next((p for p in cls.inputs if p.name == name), None)

    @classmethod
    def output(cls, name: str) -> PortSpec | None:
        return next((p for p in cls.outputs if p.name == name), None)

    @classmethod
    def numbered_parts(cls, path: Path) -> tuple[str, str]:
        """Where a ``numbered_outputs`` node puts the number in the files it writes
        beside ``path``: the name's part before it and the part after (``weights`` and
        ``.png`` for ``weights_3.png``). The write consent shows and allows exactly
        that shape."""
        return path.stem, path.suffix

    def process(self, inputs: Mapping[str, Any], context: NodeContext) -> dict[str, Any]:
        """Turn input values (by port name; a tuple for a ``multiple`` port) into output
        values by port name."""
        raise NotImplementedError

    def check_ready(self, context: NodeContext) -> None:
        """Raise ``NodeError`` for what makes this node fail whatever its inputs (a
        loader's missing file), so ``workbench run`` refuses the flow in one line before
        anything runs instead of reporting the node and every node after it."""

    def fingerprint(self, context: NodeContext) -> str:
        """Anything besides parameters and inputs that changes the result (a file's size
        and modification time for a loader); part of the cache key."""
        return ""

    def export(self, outputs: Mapping[str, Any], folder: Path, stem: str) -> list[Path]:
        """Write a viewer's outputs to files under ``folder`` named from ``stem``; returns
        the paths written. Only viewers export."""
        return []


def file_fingerprint(path: Path) -> str:
    """A file's identity for cache keys: its path, size and modification time."""
    try:
        info = path.stat()
    except OSError:
        return f"{path}:missing"
    return f"{path.resolve()}:{info.st_size}:{info.st_mtime_ns}"


def digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]


def write_text_atomic(path: Path, text: str) -> None:
    """Write a text file through a temporary file and a rename, so a crash never leaves
    half a file behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_text_atomic(path, text)

