"""Running a flow: topological order, cached results, progress per node, cancellation.

``Executor.run(flow, progress, cancel)`` is an ordinary blocking call that may be made
from any thread: the GUI calls it in its worker, the command line and tests call it
directly, and ``Executor.start`` runs it in a new thread for scripts. The flow is
snapshotted first, so edits made while a run goes on affect the next run, not this one.

Each node's result is cached under a key made of its type, its parameters, anything
else it depends on (a loader's file size and time) and the keys of its inputs, so a key
changes exactly when something upstream changed. Re-running after an edit recomputes
only the changed node and what depends on it; a result whose key no longer matches is
dropped. A failing node is marked with its message, nodes depending on it are
"blocked", and independent branches run to the end. Without caching (``cache=False``,
for one-shot runs) each intermediate result is freed as soon as its last consumer has
run; viewer and sink results are kept, since they are what the caller wants.

Each node runs under a memory ceiling (``core.memory_ceiling.limited_memory``, with
what is free of RAM and swap): a flow from a stranger can ask, with parameters each in
range, for more memory than the machine has, and the OOM killer would end the whole
program, the flow editor with unsaved work included. Past the ceiling the node's
allocation raises ``MemoryError``, which ends as that node's error in our words: what
ran out, how much data it was given, what to make smaller. What is free is measured once
per run; each node's ceiling is that less what the run has taken since.
"""

from __future__ import annotations

import json
import threading
import traceback
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.core.counts import counted
from workbench.core.errors import Cancelled, WorkbenchError
from workbench.core.memory_ceiling import limited_memory, measured_once
from workbench.core.progress import CancelToken, ProgressCallback, ProgressEvent, report
from workbench.core.stoppable import working_under
from workbench.flow.graph import Flow, FlowError, Link, Node
from workbench.flow.nodes.base import NodeContext, digest
from workbench.flow.state import NodeState, Status
from workbench.flow.writes import WriteGuard


@dataclass
class RunResult:
    """What one run did: each node's final state, the outputs of the nodes that ran or
    were reused (by node id, then port), their log lines, and which nodes computed."""

    states: dict[str, NodeState] = field(default_factory=dict)
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    computed: list[str] = field(default_factory=list)
    cancelled: bool = False
    written: list[Path] = field(default_factory=list)
    # How many of ``written`` the record of written files does not keep (one run may
    # add at most ``flow.writes.MAX_PER_RUN``): a re-run asks before replacing them.
    unrecorded: int = 0

    @property
    def messages(self) -> dict[str, list[str]]:
        """Each node's log lines, read from its final state (where the GUI reads them)."""
        return {node_id: list(state.log) for node_id, state in self.states.items()
                if state.log}

    @property
    def failed(self) -> list[str]:
        return [n for n, s in self.states.items() if s.status is Status.ERROR]

    @property
    def blocked(self) -> list[str]:
        return [n for n, s in self.states.items() if s.status is Status.BLOCKED]

    @property
    def ok(self) -> bool:
        return not self.cancelled and all(s.status is Status.DONE for s in self.states.values())

    def counts(self, nodes: int | None = None) -> dict[str, int]:
        """How many nodes ended each way, each node counted once: computed, reused (its
        cached result), failed, blocked, stopped, and (given the flow's ``nodes``) not
        run because the run did not include them. Ways no node ended are left out."""
        reused = sum(1 for n, s in self.states.items()
                     if s.status is Status.DONE and n not in self.computed)
        stopped = sum(1 for s in self.states.values() if s.status is Status.CANCELLED)
        counts = {"computed": len(self.computed), "reused": reused,
                  "failed": len(self.failed), "blocked": len(self.blocked),
                  "stopped": stopped}
        if nodes is not None:
            counts["not run"] = max(nodes - len(self.states), 0)
        return {way: count for way, count in counts.items() if count}

    def summary(self, nodes: int | None = None) -> str:
        """The run in one line whose parts add up to the nodes: "5 nodes: 2 computed,
        1 failed, 2 blocked" (``nodes``: the flow's size; else the nodes of the run)."""
        total = nodes if nodes is not None else len(self.states)
        parts = ", ".join(f"{count} {way}" for way, count in self.counts(nodes).items())
        return f"{counted(total, 'node')}: {parts or 'nothing to run'}"


@dataclass
class _Cached:
    key: str
    outputs: dict[str, Any]


class Executor:
    """Runs flows and remembers their results between runs (one executor per open flow).

    ``cache=False`` keeps nothing between runs and frees intermediate results during
    a run; use it for one-shot command-line runs of big data.
    """

    def __init__(self, *, cache: bool = True) -> None:
        self.cache_enabled = cache
        self._cache: dict[str, _Cached] = {}
        self._running = threading.Lock()

    def clear(self, node_id: str | None = None) -> None:
        """Forget cached results (of one node, or all), so the next run recomputes them."""
        if node_id is None:
            self._cache.clear()
        else:
            self._cache.pop(node_id, None)

    def cached_nodes(self) -> list[str]:
        return list(self._cache)

    def start(self, flow: Flow, progress: ProgressCallback | None = None,
              cancel: CancelToken | None = None, **options: Any) -> RunHandle:
        """Run in a new thread; the handle waits for, cancels and returns the result."""
        handle = RunHandle(cancel or CancelToken())

        def work() -> None:
            try:
                handle.result = self.run(flow, progress, handle.cancel, **options)
            except BaseException as error:  # handed to whoever waits
                handle.error = error

        handle.thread = threading.Thread(target=work, name="workbench-flow-run", daemon=True)
        handle.thread.start()
        return handle

    def run(self, flow: Flow, progress: ProgressCallback | None = None,
            cancel: CancelToken | None = None, *, nodes: Iterable[str] | None = None,
            output_dir: str | Path | None = None, keep: Iterable[str] = (),
            allow_outside_writes: bool = False,
            consented: frozenset[Path] = frozenset(),
            watched: Collection[str] = ()) -> RunResult:
        """Run the flow (or only ``nodes`` and what they need) and return what happened.

        Node states go to the flow's observers as they change; ``progress`` receives the
        whole run's progress (fraction of nodes done, with the running node's fraction).
        Savers write relative file names under ``output_dir`` when given (else beside
        the flow file, ``flow.writes.default_output_dir``); writing anywhere else, or
        over an existing file, needs the user's consent: to those very files
        (``consented``, as ``planned_writes`` resolved them: the editor's question) or
        to every file (``allow_outside_writes``: ``workbench run``'s flag).
        Without a cache, ``keep`` names nodes whose outputs the caller wants besides the
        viewers' and the last nodes'. ``watched`` names nodes whose training someone
        watches (the editor's Watch windows): their learners record their training
        dynamics (``NodeContext.watched``), which is part of their cache key; a
        collection of node ids, never one id as a string (whose letters would be taken
        for ids, and nothing watched).
        """
        if isinstance(watched, str):
            raise TypeError(f"watched is a collection of node ids, not a string: pass "
                            f"{{{watched!r}}} to watch the node {watched!r}")
        if not self._running.acquire(blocking=False):
            raise FlowError("this flow is already running; stop it or wait for it to end")
        try:
            out = Path(output_dir) if output_dir is not None else None
            guard = WriteGuard.for_run(flow, out, allow_outside_writes,
                                       consented=consented)
            # The record of written files is saved a few times a run; the token
            # reaches work that takes none (a model's refit on load).
            # What is free is measured once for the run, not once per node
            # (``memory_ceiling.measured_once``: ~3 ms a node of reading /proc).
            with guard.batch(), working_under(cancel), measured_once():
                result = _Run(self, flow, progress, cancel, nodes, out, set(keep),
                              guard, frozenset(watched)).execute()
            result.unrecorded = guard.unrecorded
            return result
        finally:
            self._running.release()


class RunHandle:
    """A run in its own thread: ``cancel()`` asks it to stop, ``wait()`` returns the
    ``RunResult`` (or raises what the run raised)."""

    def __init__(self, cancel: CancelToken) -> None:
        self.cancel = cancel
        self.thread: threading.Thread | None = None
        self.result: RunResult | None = None
        self.error: BaseException | None = None

    def stop(self) -> None:
        self.cancel.cancel()

    @property
    def running(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def wait(self, timeout: float | None = None) -> RunResult:
        assert self.thread is not None
        self.thread.join(timeout)
        if self.thread.is_alive():
            raise TimeoutError("the flow run has not finished yet")
        if self.error is not None:
            raise self.error
        assert self.result is not None
        return self.result


@dataclass(frozen=True)
class _NodeSnapshot:
    id: str
    node: Node
    params: dict[str, Any]
    title: str


class _Run:
    """One run over a snapshot of the flow."""

    def __init__(self, executor: Executor, flow: Flow, progress: ProgressCallback | None,
                 cancel: CancelToken | None, only: Iterable[str] | None,
                 output_dir: Path | None, keep: set[str], guard: WriteGuard,
                 watched: frozenset[str] = frozenset()) -> None:
        self.executor = executor
        self.watched = watched
        self.guard = guard
        self.output_dir = output_dir
        self.keep = keep
        self.flow = flow
        self.progress = progress
        self.cancel = cancel
        with flow._lock:
            order = flow.topological_order()
            self.links: list[Link] = list(flow.links)
            self.snap = {n: _NodeSnapshot(n, flow.nodes[n], json.loads(json.dumps(
                flow.nodes[n].params)), flow.nodes[n].title) for n in order}
            if only is not None:
                targets = {flow.node(n).id for n in only}
                wanted = targets.union(*(flow.upstream(n) for n in targets))
                order = [n for n in order if n in wanted]
        self.links_into: dict[str, list[Link]] = {}
        for link in self.links:
            self.links_into.setdefault(link.target, []).append(link)
        self.order = order
        self.result = RunResult()
        self.keys: dict[str, str] = {}
        self.values: dict[str, dict[str, Any]] = {}
        running = set(order)
        self.consumers = dict.fromkeys(order, 0)
        for link in self.links:
            if link.source in self.consumers and link.target in running:
                self.consumers[link.source] += 1

    # State changes ------------------------------------------------------------------------
    def _state(self, node_id: str, state: NodeState) -> None:
        self.result.states[node_id] = state
        self.flow.set_state(node_id, state)

    def execute(self) -> RunResult:
        cache = self.executor._cache
        for stale in [n for n in cache if n not in self.snap]:
            del cache[stale]  # the node was removed from the flow
        for node_id in self.order:
            self._state(node_id, NodeState(Status.QUEUED))
        total = max(len(self.order), 1)
        for index, node_id in enumerate(self.order):
            if self.cancel is not None and self.cancel.cancelled:
                self._cancel_rest(index)
                break
            report(self.progress, index / total, f"{self.snap[node_id].title}",
                   node=node_id)
            if not self._run_node(node_id, index, total):
                self._cancel_rest(index + 1)
                break
            self._free_inputs(node_id)
        report(self.progress, 1.0, "cancelled" if self.result.cancelled else "finished")
        self.result.written = list(self.guard.written)
        return self.result

    def _cancel_rest(self, start: int) -> None:
        self.result.cancelled = True
        for node_id in self.order[start:]:
            if self.result.states[node_id].status is Status.QUEUED:
                self._state(node_id, NodeState(Status.CANCELLED, message="run stopped"))

    # One node ------------------------------------------------------------------------------
    def _run_node(self, node_id: str, index: int, total: int) -> bool:
        """Run or reuse one node; False when the run was cancelled during it."""
        snap = self.snap[node_id]
        node = snap.node
        if node.node_type is None:
            self._state(node_id, NodeState(Status.ERROR, message=node.missing))
            return True
        inputs, problem, blocked = self._gather(node_id)
        if blocked:
            self._state(node_id, NodeState(Status.BLOCKED, message=problem))
            return True
        if problem:
            self._state(node_id, NodeState(Status.ERROR, message=problem))
            return True
        context = NodeContext(node_id, snap.title, self.flow.base_dir, self.output_dir,
                              cancel=self.cancel, writes=self.guard,
                              sources=self._source_titles(node_id),
                              watched=node_id in self.watched)
        try:
            instance = node.node_type(**snap.params)
            extra = instance.fingerprint(context)
        except WorkbenchError as error:
            self._state(node_id, NodeState(Status.ERROR, message=str(error)))
            return True
        key = digest(node.node_type.name, json.dumps(snap.params, sort_keys=True), extra,
                     *sorted(f"{lk.target_port}<{self.keys[lk.source]}.{lk.source_port}"
                             for lk in self.links_into.get(node_id, ())))
        self.keys[node_id] = key
        cached = self.executor._cache.get(node_id)
        if cached is not None and cached.key == key and not node.node_type.side_effects:
            self.values[node_id] = cached.outputs
            self.result.outputs[node_id] = cached.outputs
            self._state(node_id, NodeState(Status.DONE, 1.0, cached=True))
            return True
        self.executor._cache.pop(node_id, None)  # stale: its inputs or parameters changed
        context.progress = self._node_progress(node_id, index, total)
        self._state(node_id, NodeState(Status.RUNNING, 0.0))
        try:
            with limited_memory(swap=True):
                outputs = instance.process(inputs, context)
            declared = {p.name for p in node.outputs}
            unknown = set(outputs) - declared
            if unknown:
                raise AssertionError(f"{node.type_name} produced undeclared outputs "
                                     f"{sorted(unknown)}")
        except Cancelled:
            self._state(node_id, NodeState(Status.CANCELLED, message="stopped by the user"))
            return False
        except WorkbenchError as error:
            self._fail(node_id, context, str(error))
            return True
        except MemoryError as error:   # before its traceback: it holds the node's work
            self._fail(node_id, context, self._out_of_memory(node_id, inputs, error))
            return True
        except Exception as error:  # a bug in a node type: show it, keep the others going
            context.log(traceback.format_exc())
            self._fail(node_id, context, f"{type(error).__name__}: {error}")
            return True
        self.values[node_id] = outputs
        self.result.outputs[node_id] = outputs
        self.result.computed.append(node_id)
        if self.executor.cache_enabled:
            self.executor._cache[node_id] = _Cached(key, outputs)
        self._state(node_id, NodeState(Status.DONE, 1.0, log=tuple(context.messages)))
        return True

    def _out_of_memory(self, node_id: str, inputs: dict[str, Any],
                       error: MemoryError) -> str:
        """A node's ``MemoryError`` in words: the node, what it could not have (NumPy
        says how much; pure Python says nothing), the data it was given and what to
        make smaller."""
        detail = str(error).strip()
        if detail.startswith("Unable to allocate"):
            detail = "could not allocate" + detail[len("Unable to allocate"):]
        given = []
        for link in self.links_into.get(node_id, ()):
            value = inputs.get(link.target_port)
            for item in value if isinstance(value, tuple) else (value,):
                rows = getattr(item, "num_instances", None)
                columns = getattr(item, "num_attributes", None)
                if isinstance(rows, int) and isinstance(columns, int):
                    given.append(f"{rows:,} instances x {columns:,} attributes from "
                                 f"'{self.snap[link.source].title}'")
        data = f"; it was given {', '.join(dict.fromkeys(given))}" if given else ""
        return (f"{self.snap[node_id].title} ran out of memory "
                f"({detail or 'the memory this program may use is used up'}){data}: "
                f"give it less data (a smaller sample or fewer attributes upstream) or "
                f"lower the settings that set its size")

    def _fail(self, node_id: str, context: NodeContext, message: str) -> None:
        self._state(node_id, NodeState(Status.ERROR, message=message,
                                       log=tuple(context.messages)))

    def _source_titles(self, node_id: str) -> dict[str, tuple[str, ...]]:
        """The titles of the nodes feeding each input port, in ``_gather``'s order."""
        titles: dict[str, tuple[str, ...]] = {}
        for link in self.links_into.get(node_id, ()):
            port = link.target_port
            titles[port] = (*titles.get(port, ()), self.snap[link.source].title)
        return titles

    def _gather(self, node_id: str) -> tuple[dict[str, Any], str, bool]:
        """Input values by port; or a problem, and whether it is an upstream failure."""
        node = self.snap[node_id].node
        specs = {p.name: p for p in node.inputs}
        inputs: dict[str, Any] = {}
        for link in self.links_into.get(node_id, ()):
            source = self.snap[link.source]
            status = self.result.states.get(link.source, NodeState()).status
            if status in (Status.ERROR, Status.BLOCKED, Status.CANCELLED) or \
                    link.source not in self.values:
                return {}, f"waiting on '{source.title}', which did not finish", True
            outputs = self.values[link.source]
            if link.source_port not in outputs:
                return {}, (f"'{source.title}' produced no {link.source_port} for input "
                            f"'{link.target_port}'"), False
            value = outputs[link.source_port]
            spec = specs.get(link.target_port)
            if spec is not None and spec.multiple:
                inputs[link.target_port] = (*inputs.get(link.target_port, ()), value)
            else:
                inputs[link.target_port] = value
        for spec in node.inputs:
            if not spec.optional and spec.name not in inputs and not spec.multiple:
                return {}, f"input '{spec.name}' ({spec.type}) is not connected", False
        return inputs, "", False

    def _node_progress(self, node_id: str, index: int, total: int) -> ProgressCallback:
        title = self.snap[node_id].title
        shown = [-1]

        def forward(event: ProgressEvent) -> None:
            fraction = event.fraction
            if fraction is not None:
                fraction = min(max(fraction, 0.0), 1.0)
                percent = int(fraction * 100)
                if percent != shown[0]:  # only when the rounded value changes
                    shown[0] = percent
                    self._state(node_id, NodeState(Status.RUNNING, fraction, event.message))
            if self.progress is not None:
                overall = (index + (fraction or 0.0)) / total
                self.progress(ProgressEvent(overall, f"{title}: {event.message}".rstrip(": "),
                                            {**event.values, "node": node_id}))

        return forward

    def _free_inputs(self, node_id: str) -> None:
        """Without a cache, drop each input's values once its last consumer has run."""
        if self.executor.cache_enabled:
            return
        for link in self.links_into.get(node_id, ()):
            if link.source not in self.consumers:
                continue
            self.consumers[link.source] -= 1
            if self.consumers[link.source] == 0:
                self.values.pop(link.source, None)
                node_type = self.snap[link.source].node.node_type
                if link.source not in self.keep and not (node_type and node_type.viewer):
                    self.result.outputs.pop(link.source, None)
