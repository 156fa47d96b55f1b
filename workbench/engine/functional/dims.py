"""Which axes an op works along, under torch's names or NumPy's.

``torch.nn.functional`` says ``dim``/``keepdim``; NumPy (and this engine's first callers)
say ``axis``/``keepdims``. Every reduction and the softmax family accept both, so code
ported from either side runs unchanged; giving both with different values is an error
rather than a silent choice.
"""

from __future__ import annotations

from typing import Any

from workbench.core.errors import ParameterError


def resolve_dim(dim: Any, axis: Any, default: Any = None) -> Any:
    """The axis (or axes) asked for: ``dim`` or its alias ``axis``, else ``default``."""
    if axis is None:
        return default if dim is None else dim
    if dim is not None and dim != axis:
        raise ParameterError(f"dim={dim!r} and axis={axis!r} disagree: give one of them")
    return axis


def resolve_keepdim(keepdim: bool, keepdims: bool | None) -> bool:
    """Whether reduced axes stay as size 1: ``keepdim`` or its alias ``keepdims``."""
    if keepdims is None:
        return bool(keepdim)
    if keepdim and not keepdims:
        raise ParameterError("keepdim=True and keepdims=False disagree: give one of them")
    return bool(keepdims)
