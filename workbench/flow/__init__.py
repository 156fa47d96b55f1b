"""The Knowledge Flow without a window: graph model, typed ports, executor, flow files.

Everything a flow is lives here and runs headless (``workbench run``, tests, a server);
the flow editor in ``workbench.gui`` observes a ``Flow`` and calls its methods.
"""

from workbench.flow.executor import Executor, RunHandle, RunResult
from workbench.flow.fileformat import (
    FORMAT,
    SCHEMA_VERSION,
    FlowFileError,
    flow_from_dict,
    flow_to_dict,
    load_flow,
    save_flow,
)
from workbench.flow.graph import (
    CycleError,
    DuplicateLinkError,
    Flow,
    FlowError,
    FlowEvent,
    IncompatiblePortsError,
    InputAlreadyConnectedError,
    Link,
    Node,
    Port,
    UnknownNodeError,
    UnknownPortError,
)
from workbench.flow.state import NodeState, Status

__all__ = [
    "FORMAT", "SCHEMA_VERSION", "CycleError", "DuplicateLinkError", "Executor", "Flow",
    "FlowError", "FlowEvent", "FlowFileError", "IncompatiblePortsError",
    "InputAlreadyConnectedError", "Link", "Node", "NodeState", "Port", "RunHandle",
    "RunResult", "Status", "UnknownNodeError", "UnknownPortError", "flow_from_dict",
    "flow_to_dict", "load_flow", "save_flow",
]
