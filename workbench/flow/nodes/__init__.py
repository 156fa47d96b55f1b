"""Node types of the Knowledge Flow: WEKA's vocabulary plus one per classifier and filter.

``register(registry)`` adds them all (kind ``flow``) exactly as a plugin would; a plugin
adds its own node types with ``registry.add(MyNode)``, a ``NodeType`` subclass.
"""

from __future__ import annotations

from workbench.core.registry import Registry
from workbench.flow.nodes import dynamics, evaluation, preprocess, rbm, sinks, sources, viewers
from workbench.flow.nodes.base import NodeContext, NodeError, NodeType
from workbench.flow.nodes.catalog import all_node_types, lookup_node_type, node_type_for

__all__ = ["NodeContext", "NodeError", "NodeType", "all_node_types", "lookup_node_type",
           "node_type_for", "register"]

BUILTIN_NODE_TYPES: tuple[type[NodeType], ...] = (
    *sources.NODE_TYPES, *sinks.NODE_TYPES, *preprocess.NODE_TYPES, *evaluation.NODE_TYPES,
    *viewers.NODE_TYPES, *dynamics.NODE_TYPES, *rbm.NODE_TYPES,
)


def register(registry: Registry) -> None:
    """Add the built-in node types, and one node type per classifier and filter already
    registered. Called again after the plugins, it adds only the nodes of their
    components: a name already taken (by a built-in) is never replaced."""
    for node_type in BUILTIN_NODE_TYPES:
        registry.add(node_type)
    for kind in ("classifier", "filter"):
        for info in registry.list(kind):
            try:
                node_type = node_type_for(info)
                if registry.find("flow", node_type.name) is None:
                    registry.add(node_type, category=node_type.category, origin=info.origin)
            except Exception as error:
                if info.origin == "built-in":
                    raise
                # A plugin's component that cannot become a node is the plugin's problem:
                # reported by ``workbench plugins``, never a traceback at start-up.
                registry.record(info.origin, info.name, f"{info.origin}: {kind} "
                                f"'{info.name}' cannot be a flow node: {error!r}")
