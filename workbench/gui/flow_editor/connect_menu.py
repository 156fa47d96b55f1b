"""Linking nodes without a mouse: the links one node could make or has, as menu entries.

Ports are dots a pointer drags between, which a keyboard cannot reach (walkthrough 13c,
K2). As WEKA's Knowledge Flow lists a node's connections in its popup, the node's menu
and Edit > Connect node list every link it could make now, each naming both ends as the
undo history does ("dataSet → ClassAssigner.dataSet"), and Disconnect the links it has.
The choices are the model's ``compatible_ports``, the rule that rings ports green during a
drag, so the keyboard is never offered a link the mouse would be refused. Links running
left to right, the way a flow reads, come first, and of those the nearest: the step
before or after a node usually stands beside it.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtWidgets import QMenu, QWidget

from workbench.flow import Flow, Link

# Entries one menu lists at most: a menu of thousands is no use to anyone, and the
# nearest nodes are the likely ones.
MENU_LIMIT = 40


def _menu_text(text: str) -> str:
    """``text`` as a menu shows it: an "&" in a title is a letter, not an access key."""
    return text.replace("&", "&&")


def link_text(flow: Flow, link: Link, node_id: str) -> str:
    """An entry for ``link`` seen from ``node_id``: its own port bare, the other end as
    "title.port", the arrow the way the data goes."""
    if link.source == node_id:
        return f"{link.source_port} → {flow.node(link.target).title}.{link.target_port}"
    return f"{flow.node(link.source).title}.{link.source_port} → {link.target_port}"


def _order(flow: Flow, node_id: str, links: list[Link]) -> list[Link]:
    """Links that run the way a flow reads, left to right, before those that would run
    back; each group nearest first (ties in reading order)."""
    x, y = flow.node(node_id).position

    def key(link: Link) -> tuple[bool, float, float, float, str, str]:
        other = flow.node(link.target if link.source == node_id else link.source)
        ox, oy = other.position
        back = ox > x if link.target == node_id else ox < x
        return (back, math.hypot(ox - x, oy - y), ox, oy, other.id,
                link.source_port + "." + link.target_port)

    return sorted(links, key=key)


def links_out(flow: Flow, node_id: str) -> list[Link]:
    """The links from ``node_id``'s outputs that the flow would take now (``_order``)."""
    node = flow.node(node_id)
    found = [Link(node_id, port.name, other.node_id, other.name)
             for port in node.outputs
             for other in flow.compatible_ports(node_id, port.name, "out")]
    return _order(flow, node_id, found)


def links_in(flow: Flow, node_id: str) -> list[Link]:
    """The links into ``node_id``'s inputs that the flow would take now (``_order``)."""
    node = flow.node(node_id)
    found = [Link(other.node_id, other.name, node_id, port.name)
             for port in node.inputs
             for other in flow.compatible_ports(node_id, port.name, "in")]
    return _order(flow, node_id, found)


def links_of(flow: Flow, node_id: str) -> list[Link]:
    """The node's links, out of it first, then into it (each in ``_order``)."""
    return (_order(flow, node_id, flow.links_from(node_id))
            + _order(flow, node_id, flow.links_into(node_id)))


def fill(menu: QMenu, flow: Flow, node_id: str, links: list[Link],
         chosen: Callable[[Link], object]) -> None:
    """An entry in ``menu`` for each of ``links`` (up to ``MENU_LIMIT``) that calls
    ``chosen`` with it; past the limit, a greyed line says how many are left out."""
    for link in links[:MENU_LIMIT]:
        action = menu.addAction(_menu_text(link_text(flow, link, node_id)))
        action.triggered.connect(lambda _=False, lk=link: chosen(lk))
    if len(links) > MENU_LIMIT:
        more = menu.addAction(f"{len(links) - MENU_LIMIT:,} more, farther away (drag "
                              "between the ports to link them)")
        more.setEnabled(False)


def connect_menu(flow: Flow, node_id: str, chosen: Callable[[Link], object],
                 parent: QWidget | None = None) -> QMenu:
    """A menu of the links ``node_id`` could make, out of it and into it together in
    ``_order``: a node just added right of the last one has that node's link first;
    empty when there are none."""
    menu = QMenu(parent)
    fill(menu, flow, node_id, _order(flow, node_id, links_out(flow, node_id)
                                     + links_in(flow, node_id)), chosen)
    return menu
