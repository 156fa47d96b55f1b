"""The flow graph: nodes with typed ports, links between them, and observers.

This is the model the canvas draws and the executor runs (DESIGN.md, Flow). Every edit —
from the canvas, undo, paste, a script or a test — goes through the methods here, which
check the edit first and then tell the observers. Refused connections raise typed errors
(``CycleError``, ``IncompatiblePortsError``, ``InputAlreadyConnectedError``,
``DuplicateLinkError``) whose messages the canvas shows as they are.

Nothing here imports Qt. Observers are plain callables; they are called on the thread
that made the change (node states arrive from the executor's worker thread), so a GUI
observer must forward events to its own thread through a queued signal.
"""

from __future__ import annotations

import heapq
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.core.errors import ParameterError, WorkbenchError
from workbench.core.registry import Registry, default_registry
from workbench.flow.nodes.base import NodeType
from workbench.flow.nodes.catalog import lookup_node_type, origin_plugin
from workbench.flow.notes import Notes, insert_at
from workbench.flow.ports import ANY, PortSpec, compatible
from workbench.flow.state import IDLE, NodeState

# Nodes and links a flow may hold: far above any flow a person draws (the bundled
# templates have at most 12 nodes; a lesson comparing every learner, a few dozen). A
# file of 20 000 idle nodes kept ``workbench run`` busy 56 s and 200 000 over two
# minutes: a flow file beyond these is refused when read, before any node is built
# (``fileformat.flow_from_dict``), and a flow cannot grow beyond them, so every flow
# saved reads back.
MAX_NODES = 5_000
MAX_LINKS = 20_000


class FlowError(WorkbenchError):
    """An edit of the flow graph was refused; the message says why."""


class UnknownNodeError(FlowError):
    """No node of the flow has that id (or title)."""


class UnknownPortError(FlowError):
    """The node has no port of that name in that direction."""


class CycleError(FlowError):
    """The link would make data flow in a circle."""


class IncompatiblePortsError(FlowError):
    """The two ports carry different kinds of data."""


class InputAlreadyConnectedError(FlowError):
    """The input accepts one link and already has it."""


class DuplicateLinkError(FlowError):
    """Exactly this link exists already."""


@dataclass(frozen=True)
class Port:
    """A port of one node in the flow: where a link starts (``out``) or ends (``in``)."""

    node_id: str
    name: str
    direction: str  # "in" or "out"
    type: str
    multiple: bool = False
    optional: bool = False

    def __str__(self) -> str:
        return f"{self.node_id}.{self.name}"


@dataclass(frozen=True)
class Link:
    """Data flowing from one node's output port to another node's input port."""

    source: str
    source_port: str
    target: str
    target_port: str

    @property
    def id(self) -> str:
        return f"{self.source}.{self.source_port}->{self.target}.{self.target_port}"

    def __str__(self) -> str:
        return self.id


@dataclass(eq=False)
class Node:
    """One node: stable id, type, parameters, title, position and current state.

    ``node_type`` is None for a placeholder: the flow file names a type no installed
    plugin provides. A placeholder keeps its parameters and links as they were stored,
    says which plugin it needs (``missing``), and never runs.
    """

    id: str
    type_name: str
    node_type: type[NodeType] | None
    params: dict[str, Any]
    title: str
    position: tuple[float, float] = (0.0, 0.0)
    state: NodeState = IDLE
    plugin: str | None = None
    missing: str = ""
    ui: dict[str, Any] = field(default_factory=dict)
    _placeholder_ports: dict[tuple[str, str], PortSpec] = field(default_factory=dict)

    @property
    def is_placeholder(self) -> bool:
        return self.node_type is None

    @property
    def inputs(self) -> tuple[PortSpec, ...]:
        if self.node_type is None:
            return tuple(p for (d, _), p in self._placeholder_ports.items() if d == "in")
        return self.node_type.inputs

    @property
    def outputs(self) -> tuple[PortSpec, ...]:
        if self.node_type is None:
            return tuple(p for (d, _), p in self._placeholder_ports.items() if d == "out")
        return self.node_type.outputs

    def port(self, name: str, direction: str) -> Port:
        specs = self.inputs if direction == "in" else self.outputs
        spec = next((p for p in specs if p.name == name), None)
        if spec is None and self.node_type is None:
            # A placeholder learns its ports from the links stored with it.
            spec = PortSpec(name, ANY, multiple=True, optional=True)
            self._placeholder_ports[(direction, name)] = spec
        if spec is None:
            kind = "input" if direction == "in" else "output"
            known = ", ".join(p.name for p in specs) or "none"
            raise UnknownPortError(f"node '{self.title}' ({self.type_name}) has no {kind} "
                                   f"port '{name}' (its {kind}s: {known})")
        return Port(self.id, spec.name, direction, spec.type, spec.multiple, spec.optional)

    def create(self) -> NodeType:
        """A fresh node-type instance with this node's parameters, for one run."""
        if self.node_type is None:
            raise FlowError(self.missing)
        return self.node_type(**self.params)


@dataclass(frozen=True)
class FlowEvent:
    """What changed: ``kind`` is node_added, node_removed, node_changed (title, position),
    params_changed, link_added, link_removed, state_changed, or note_added, note_removed,
    note_changed (``note_id`` says which note; ``notes.py``)."""

    kind: str
    node_id: str | None = None
    link: Link | None = None
    state: NodeState | None = None
    note_id: str | None = None


Observer = Callable[[FlowEvent], None]


class Flow:
    """A graph of nodes and links, checked on every edit and observed by views.

    ``registry`` resolves node type names (default: the application registry with its
    plugins). ``path`` is the file the flow was loaded from or saved to; relative file
    names in loader and saver parameters are resolved against its folder.
    """

    def __init__(self, registry: Registry | None = None, *, title: str = "",
                 path: str | os.PathLike[str] | None = None) -> None:
        self.registry = registry if registry is not None else default_registry()
        self.title = title
        self.path = Path(path) if path is not None else None
        self.nodes: dict[str, Node] = {}
        self.links: list[Link] = []
        # Indexes of ``links`` by end, so edits and queries cost the links of one node,
        # not of the whole flow (a flow of 20 000 nodes loads in seconds, not minutes).
        self._link_set: set[Link] = set()
        self._not_idle: set[str] = set()  # nodes showing a state: what an edit may reset
        self._links_out: dict[str, list[Link]] = {}
        self._links_in: dict[str, list[Link]] = {}
        self._observers: list[Observer] = []
        self.notes = Notes(lambda kind, note_id: self._emit(FlowEvent(kind, note_id=note_id)))
        self._lock = threading.RLock()

    # Observers ------------------------------------------------------------------------
    def subscribe(self, observer: Observer) -> Callable[[], None]:
        """Call ``observer(event)`` after every change; returns the unsubscribe function."""
        self._observers.append(observer)
        return lambda: self._observers.remove(observer) if observer in self._observers else None

    def _emit(self, event: FlowEvent) -> None:
        for observer in list(self._observers):
            observer(event)

    # Queries ---------------------------------------------------------------------------
    @property
    def base_dir(self) -> Path | None:
        return self.path.parent if self.path is not None else None

    def node(self, node_id: str) -> Node:
        try:
            return self.nodes[node_id]
        except KeyError:
            raise UnknownNodeError(f"the flow has no node '{node_id}' (its nodes: "
                                   f"{', '.join(self.nodes) or 'none'})") from None

    def find(self, key: str) -> Node:
        """A node by id, else by title (case-insensitive), as ``--set NODE.PARAM`` names it."""
        if key in self.nodes:
            return self.nodes[key]
        matches = [n for n in self.nodes.values() if n.title.lower() == key.lower()]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise UnknownNodeError(f"{len(matches)} nodes are titled '{key}': name one by id "
                                   f"({', '.join(n.id for n in matches)})")
        return self.node(key)

    def links_into(self, node_id: str) -> list[Link]:
        return list(self._links_in.get(node_id, ()))

    def links_from(self, node_id: str) -> list[Link]:
        return list(self._links_out.get(node_id, ()))

    def placeholders(self) -> list[Node]:
        return [n for n in self.nodes.values() if n.is_placeholder]

    def __iter__(self) -> Iterator[Node]:
        return iter(list(self.nodes.values()))

    def __len__(self) -> int:
        return len(self.nodes)

    # Nodes -----------------------------------------------------------------------------
    def new_id(self, type_name: str) -> str:
        """A short id unique in this flow, stable once given: ``arffloader1``, ``knn2``."""
        stem = re.sub(r"[^a-z0-9]+", "", type_name.split(":")[-1].lower()) or "node"
        number = 1
        while f"{stem}{number}" in self.nodes:
            number += 1
        return f"{stem}{number}"

    def add_node(self, type_name: str, *, params: Mapping[str, Any] | None = None,
                 node_id: str | None = None, title: str | None = None,
                 position: Iterable[float] = (0.0, 0.0), plugin: str | None = None,
                 index: int | None = None) -> Node:
        """Add a node of a registered type; an unknown type becomes a placeholder that
        keeps ``params`` as given and says which plugin it needs. ``index`` puts it at
        that place in the node order (undo of a removal: the file keeps its order)."""
        with self._lock:
            if len(self.nodes) >= MAX_NODES:
                raise FlowError(f"a flow holds at most {MAX_NODES:,} nodes")
            if node_id is not None and node_id in self.nodes:
                raise FlowError(f"the flow already has a node '{node_id}'")
            node_id = node_id or self.new_id(type_name)
            if not re.fullmatch(r"[A-Za-z0-9_\-]+", node_id):
                raise FlowError(f"node id '{node_id}' may use only letters, digits, '_' and "
                                f"'-'")
            node_type = lookup_node_type(self.registry, type_name)
            x, y = (float(v) for v in position)
            if node_type is None:
                need = f"plugin '{plugin}'" if plugin else "a plugin that is not installed"
                node = Node(node_id, type_name, None, dict(params or {}),
                            title or type_name, (x, y), plugin=plugin,
                            missing=f"node type '{type_name}' is unknown: it needs {need}")
            else:
                values = _validated(node_type, params or {}, title or node_id)
                node = Node(node_id, node_type.name, node_type, values,
                            title or node_type.display_name or node_type.name, (x, y),
                            plugin=plugin or origin_plugin(self.registry, node_type))
            insert_at(self.nodes, node_id, node, index)
        self._emit(FlowEvent("node_added", node_id))
        return node

    def remove_node(self, node_id: str) -> None:
        """Remove a node and, first, every link touching it."""
        self.node(node_id)
        for link in [*self._links_in.get(node_id, ()), *self._links_out.get(node_id, ())]:
            if link in self._link_set:  # a link from a node to itself is listed twice
                self.remove_link(link)
        with self._lock:
            del self.nodes[node_id]
            self._not_idle.discard(node_id)
        self._emit(FlowEvent("node_removed", node_id))

    def set_params(self, node_id: str, **values: Any) -> None:
        """Change some parameters of a node, each checked against its declaration."""
        node = self.node(node_id)
        if node.node_type is None:
            raise FlowError(f"cannot change parameters of '{node.title}': {node.missing}")
        checked = {}
        for name, value in values.items():
            try:
                param = node.node_type.param(name.replace("-", "_"))
                checked[param.name] = param.to_json(param.validate(value))
            except ParameterError as error:
                raise ParameterError(f"node '{node.title}': {error}") from None
        with self._lock:
            node.params.update(checked)
        self._emit(FlowEvent("params_changed", node_id))
        self._mark_stale(node_id)

    def set_title(self, node_id: str, title: str) -> None:
        self.node(node_id).title = title
        self._emit(FlowEvent("node_changed", node_id))

    def move_node(self, node_id: str, position: Iterable[float]) -> None:
        x, y = (float(v) for v in position)
        self.node(node_id).position = (x, y)
        self._emit(FlowEvent("node_changed", node_id))

    def set_state(self, node_id: str, state: NodeState) -> None:
        """Record a node's state and tell observers (called by the executor's thread)."""
        node = self.nodes.get(node_id)
        if node is None:
            return  # removed while the run went on: nobody shows it any more
        with self._lock:  # the state and the set together: runs and edits interleave
            node.state = state
            if state == IDLE:
                self._not_idle.discard(node_id)
            else:
                self._not_idle.add(node_id)
        self._emit(FlowEvent("state_changed", node_id, state=state))

    # Links -----------------------------------------------------------------------------
    def check_link(self, source: str, source_port: str, target: str, target_port: str
                   ) -> tuple[Port, Port]:
        """The two ports if the link is allowed; otherwise the typed error saying why."""
        out = self.node(source).port(source_port, "out")
        into = self.node(target).port(target_port, "in")
        src_title, dst_title = self.nodes[source].title, self.nodes[target].title
        if not compatible(out.type, into.type):
            raise IncompatiblePortsError(
                f"cannot connect '{src_title}'.{source_port} ({out.type}) to "
                f"'{dst_title}'.{target_port}: it takes {into.type}")
        link = Link(source, source_port, target, target_port)
        if link in self._link_set:
            raise DuplicateLinkError(f"'{src_title}'.{source_port} is already connected to "
                                     f"'{dst_title}'.{target_port}")
        if not into.multiple and any(lk.target_port == target_port
                                     for lk in self._links_in.get(target, ())):
            raise InputAlreadyConnectedError(
                f"'{dst_title}'.{target_port} takes one connection and already has one")
        if source == target or _leads_to(target, source, self._links_out, self._links_in):
            raise CycleError(f"connecting '{src_title}' to '{dst_title}' would make a cycle: "
                             f"'{dst_title}' already feeds '{src_title}'")
        return out, into

    def connect(self, source: str, source_port: str, target: str, target_port: str, *,
                index: int | None = None) -> Link:
        """Link an output port to an input port, after ``check_link``; ``index`` puts
        the link at that place in the link order (undo of a removal)."""
        with self._lock:
            if len(self.links) >= MAX_LINKS:
                raise FlowError(f"a flow holds at most {MAX_LINKS:,} links")
            self.check_link(source, source_port, target, target_port)
            link = Link(source, source_port, target, target_port)
            self.links.insert(len(self.links) if index is None else index, link)
            self._link_set.add(link)
            for bucket in (self._links_out.setdefault(source, []),
                           self._links_in.setdefault(target, [])):
                # A node's links keep the flow's order, as after reopening the file.
                bucket.insert(len(bucket) if index is None else sum(
                    1 for lk in bucket if self.links.index(lk) < index), link)
        self._emit(FlowEvent("link_added", target, link=link))
        self._mark_stale(target)
        return link

    def remove_link(self, link: Link) -> None:
        with self._lock:
            if link not in self._link_set:
                raise FlowError(f"the flow has no link {link}")
            self.links.remove(link)
            self._link_set.discard(link)
            self._links_out[link.source].remove(link)
            self._links_in[link.target].remove(link)
        self._emit(FlowEvent("link_removed", link.target, link=link))
        self._mark_stale(link.target)

    def upstream(self, node_id: str) -> set[str]:
        """Every node whose outputs reach ``node_id``, directly or through others: what
        a run of ``node_id`` needs, and whose training a viewer of it may follow."""
        with self._lock:
            return _reachable(node_id, lambda n: (lk.source for lk in self._links_in.get(n, ())))

    def downstream(self, node_id: str) -> set[str]:
        """Every node that ``node_id``'s outputs reach, directly or through others: what
        an edit of ``node_id`` makes stale, and where a new link must not lead back."""
        with self._lock:
            return _reachable(node_id, lambda n: (lk.target for lk in self._links_out.get(n, ())))

    def _mark_stale(self, node_id: str) -> None:
        """After an edit, the node and everything downstream show "idle" again: their
        shown results no longer match the flow (the next run recomputes them)."""
        if node_id not in self.nodes or not self._not_idle:
            return  # nothing shows a state (a flow being built or loaded): nothing to reset
        shown = self.downstream(node_id) & self._not_idle
        # the node, then those below in the flow's order (looked up only if any show one)
        below = [n for n in self.nodes if n in shown] if shown else []
        for current in [node_id, *below]:
            if self.nodes[current].state != IDLE:
                self.set_state(current, IDLE)

    def compatible_ports(self, node_id: str, port_name: str,
                         direction: str | None = None) -> list[Port]:
        """Every port that the given port could be linked to now (the canvas highlights
        them while the user drags from it): inputs for an output, outputs for an input.
        ``direction`` ("in" or "out") settles a name that is both (TextViewer's text);
        without it such a name is taken as the output."""
        node = self.node(node_id)
        if direction is None:
            is_output = any(p.name == port_name for p in node.outputs)
        else:
            is_output = direction == "out"
        found = []
        for other in self.nodes.values():
            if other.id == node_id:
                continue
            specs = other.inputs if is_output else other.outputs
            for spec in specs:
                try:
                    if is_output:
                        self.check_link(node_id, port_name, other.id, spec.name)
                    else:
                        self.check_link(other.id, spec.name, node_id, port_name)
                except FlowError:
                    continue
                found.append(other.port(spec.name, "in" if is_output else "out"))
        return found

    def topological_order(self) -> list[str]:
        """Node ids so that every node comes after all nodes feeding it; ties keep the
        order nodes were added in, so runs and logs are reproducible."""
        indegree = {node_id: 0 for node_id in self.nodes}
        for link in self.links:
            indegree[link.target] += 1
        position = {n: i for i, n in enumerate(self.nodes)}
        ready = [position[n] for n in self.nodes if indegree[n] == 0]
        heapq.heapify(ready)
        names = list(self.nodes)
        order: list[str] = []
        while ready:
            current = names[heapq.heappop(ready)]
            order.append(current)
            for link in self._links_out.get(current, ()):
                indegree[link.target] -= 1
                if indegree[link.target] == 0:
                    heapq.heappush(ready, position[link.target])
        if len(order) != len(self.nodes):
            raise CycleError("the flow has a cycle")
        return order


def _reachable(start: str, step: Callable[[str], Iterable[str]]) -> set[str]:
    """The nodes ``step`` leads to from ``start``, repeatedly (each once, even where
    paths join); ``start`` itself only on a cycle."""
    found: set[str] = set()
    stack = [start]
    while stack:
        for other in step(stack.pop()):
            if other not in found:
                found.add(other)
                stack.append(other)
    return found


def _leads_to(start: str, goal: str, links_out: Mapping[str, list[Link]],
              links_in: Mapping[str, list[Link]]) -> bool:
    """Whether links lead from ``start`` to ``goal``: searched from both ends at once,
    a step of each in turn, so the cost is that of the smaller side. Searching one way
    only made building a chain in one order, or loading it from a file in the other,
    quadratic in its length."""
    ahead, behind = {start}, {goal}
    forward, backward = [start], [goal]
    while forward and backward:
        for frontier, seen, other, links, end in (
                (forward, ahead, behind, links_out, "target"),
                (backward, behind, ahead, links_in, "source")):
            if not frontier:
                return False
            for link in links.get(frontier.pop(), ()):
                node = getattr(link, end)
                if node in other:
                    return True
                if node not in seen:
                    seen.add(node)
                    frontier.append(node)
    return False


def _validated(node_type: type[NodeType], values: Mapping[str, Any], who: str
               ) -> dict[str, Any]:
    """All declared parameters in JSON form: given ones checked, the rest defaulted."""
    try:
        instance = node_type(**{k.replace("-", "_"): v for k, v in values.items()})
    except ParameterError as error:
        raise ParameterError(f"node '{who}': {error}") from None
    return instance.params_to_dict()
