"""Which node types exist: WEKA's vocabulary plus one node type per classifier and filter.

Node types for classifiers and filters are generated from the registry, one per
component, with the component's declared parameters, so a learner added by a plugin is
in the palette without anyone writing a node for it. Generation happens on lookup as well
as at registration, because plugins register after the built-in packages: a plugin's
classifier still resolves as ``classifier:<name>`` in a flow.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workbench.core.registry import ComponentInfo, Registry, UnknownComponentError
from workbench.flow.nodes.base import NodeType
from workbench.flow.nodes.components import make_classifier_node, make_filter_node

# Prefixes of generated node type names: ``classifier:knn``, ``filter:normalize``.
GENERATED = {"classifier": make_classifier_node, "filter": make_filter_node}

# One generated class per (kind, name, component class), so that a flow and the palette
# see the same class; bounded by the component classes ever loaded.
_generated: dict[tuple[str, str, Any], type[NodeType]] = {}


def node_type_for(info: ComponentInfo) -> type[NodeType]:
    """The node type of a registered classifier or filter (made once per component)."""
    key = (info.kind, info.name, info.factory)
    cached = _generated.get(key)
    if cached is None:
        cached = _generated[key] = GENERATED[info.kind](info)
    return cached


def lookup_node_type(registry: Registry, name: str) -> type[NodeType] | None:
    """The node type called ``name``, or None when nothing installed provides it.

    ``name`` is a registered flow node type (``ArffLoader``), a generated one
    (``classifier:knn``), or, for flows written by hand, a classifier's or filter's
    name or WEKA alias (``IBk``).
    """
    try:
        factory = registry.get("flow", name).factory
        if isinstance(factory, type) and issubclass(factory, NodeType):
            return factory
    except UnknownComponentError:
        pass
    kind, _, rest = name.partition(":")
    if rest and kind in GENERATED:
        try:
            return node_type_for(registry.get(kind, rest))
        except UnknownComponentError:
            return None
    for kind in GENERATED:
        try:
            return node_type_for(registry.get(kind, name))
        except UnknownComponentError:
            continue
    return None


def all_node_types(registry: Registry) -> list[type[NodeType]]:
    """Every node type for the palette: registered ones and one per classifier and filter
    (including those that plugins added after the flow nodes were registered)."""
    found: dict[str, type[NodeType]] = {}
    for info in registry.list("flow"):
        if isinstance(info.factory, type) and issubclass(info.factory, NodeType):
            found[info.factory.name] = info.factory
    for kind in GENERATED:
        for info in registry.list(kind):
            node_type = node_type_for(info)
            found.setdefault(node_type.name, node_type)
    return list(found.values())


def origin_plugin(registry: Registry, node_type: type[NodeType]) -> str | None:
    """The plugin that provides a node type (None for a built-in), saved with the node so a
    flow opened without it can say what to install."""
    component = getattr(node_type, "component", None)
    factory = component.factory if component is not None else node_type
    return plugin_of(registry, factory)


def plugin_of(registry: Registry, factory: Any) -> str | None:
    """The plugin a component class came from, by the module that defines it; the
    registry's ``origin`` is set only when the caller of ``add`` passes it, so the module
    recorded in ``registry.sources`` is the reliable witness."""
    module = getattr(factory, "__module__", "") or ""
    for source in registry.sources:
        if source.origin != "built-in" and source.ok and (
                module == source.module or module.startswith(source.module + ".")):
            return plugin_name(source.origin)
    return None


def plugin_name(origin: str) -> str | None:
    """``plugin /x/plugins/extra.py`` -> ``extra``; ``plugin name`` -> ``name``."""
    if not origin.startswith("plugin "):
        return None
    what = origin[len("plugin "):].strip()
    return Path(what).stem if what.endswith(".py") else what
