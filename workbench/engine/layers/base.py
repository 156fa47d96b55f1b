"""``Module``: a layer is a bag of parameters and sub-layers with a ``forward``.

Attributes that are ``Parameter``s or ``Module``s are registered as they are assigned, in
assignment order, so ``parameters()`` and ``state_dict()`` walk a model the same way
every time and saved weights line up with the layers that load them. A module never
updates its own weights (optimizers do) and never keeps data between calls, except in
*buffers* (``register_buffer``): arrays a layer itself updates while training, such as
batch normalisation's running statistics, which are saved and loaded with the weights
but never handed to an optimizer.

Each concrete layer can describe itself as JSON: ``config()`` returns its constructor
arguments, and ``module_spec`` / ``build_module`` turn a whole model into
``{"type": name, "config": {...}}`` and back. ``build_module`` only instantiates classes
that registered themselves here (every ``Module`` subclass does unless declared with
``register=False``), so a saved model file can name a layer but never an arbitrary
callable.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any, ClassVar

import numpy as np

from workbench.core.errors import ParameterError
from workbench.engine import init as initializers
from workbench.engine.backend import to_device, to_host
from workbench.engine.tensor import Parameter

LAYER_TYPES: dict[str, type[Module]] = {}


class Module:
    """Base of every layer and model; call it like a function to run ``forward``."""

    layer_name: ClassVar[str] = "Module"
    # Set by __init__ through object.__setattr__, before __setattr__ can register anything.
    _parameters: dict[str, Parameter]
    _modules: dict[str, Module]
    _buffers: dict[str, Any]
    training: bool

    def __init_subclass__(cls, register: bool = True, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.layer_name = cls.__name__
        if register:
            LAYER_TYPES[cls.__name__] = cls

    def __init__(self) -> None:
        initializers.charge_module()  # a placeholder build counts its layers
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_modules", {})
        object.__setattr__(self, "_buffers", {})
        object.__setattr__(self, "training", True)

    def __setattr__(self, name: str, value: Any) -> None:
        params: dict[str, Parameter] | None = self.__dict__.get("_parameters")
        if params is None:
            raise RuntimeError(f"{type(self).__name__}.__init__ must call super().__init__()")
        params.pop(name, None)
        self._modules.pop(name, None)
        if isinstance(value, Parameter):
            params[name] = value
        elif isinstance(value, Module):
            self._modules[name] = value
        if name in self._buffers:
            self._buffers[name] = value
        object.__setattr__(self, name, value)

    def register_buffer(self, name: str, array: Any) -> None:
        """Keep ``array`` as attribute ``name`` and in ``state_dict``, not as a parameter."""
        self._buffers[name] = array
        object.__setattr__(self, name, array)

    def forward(self, *inputs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} does not define forward()")

    def __call__(self, *inputs: Any, **kwargs: Any) -> Any:
        return self.forward(*inputs, **kwargs)

    # -- walking the tree -----------------------------------------------------------

    def named_children(self) -> Iterator[tuple[str, Module]]:
        yield from self._modules.items()

    def children(self) -> Iterator[Module]:
        yield from self._modules.values()

    def modules(self) -> Iterator[Module]:
        """This module and every module below it, depth first."""
        yield self
        for child in self._modules.values():
            yield from child.modules()

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Parameter]]:
        """``("layer.sub.weight", parameter)`` pairs in registration order."""
        for name, param in self._parameters.items():
            yield prefix + name, param
        for name, child in self._modules.items():
            yield from child.named_parameters(prefix + name + ".")

    def named_buffers(self, prefix: str = "") -> Iterator[tuple[str, Any]]:
        """``("layer.running_mean", array)`` pairs, in the same walk as the parameters."""
        for name, array in self._buffers.items():
            yield prefix + name, array
        for name, child in self._modules.items():
            yield from child.named_buffers(prefix + name + ".")

    def parameters(self) -> list[Parameter]:
        """Every trainable parameter, what an optimizer is given."""
        return [p for _, p in self.named_parameters()]

    # -- modes and gradients ----------------------------------------------------------

    def train(self, mode: bool = True) -> Module:
        """Training mode (dropout active); returns self so calls can be chained."""
        for module in self.modules():
            object.__setattr__(module, "training", bool(mode))
        return self

    def eval(self) -> Module:
        """Evaluation mode: dropout passes everything through."""
        return self.train(False)

    def zero_grad(self) -> None:
        for param in self.parameters():
            param.grad = None

    # -- state ------------------------------------------------------------------------

    def state_dict(self) -> dict[str, np.ndarray]:
        """Host copies of every parameter and buffer, keyed by dotted name: the ``.npz``
        half."""
        state = {name: np.array(to_host(p.data)) for name, p in self.named_parameters()}
        state.update((name, np.array(to_host(a))) for name, a in self.named_buffers())
        return state

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Copy arrays into the existing parameters (optimizers keep their references).

        Names and shapes must match exactly; a mismatch names the offending entry.
        """
        own: dict[str, Any] = {name: p.data for name, p in self.named_parameters()}
        own.update(self.named_buffers())
        self._check_state(own, state)
        for name, target in own.items():
            target[...] = to_device(np.asarray(to_host(state[name]), dtype=target.dtype),
                                    self.device)

    def adopt_state_dict(self, state: dict[str, Any], device: str = "cpu") -> None:
        """Make ``state``'s arrays (copied to ``device`` in each target's dtype) this
        module's parameters and buffers, in place of the ones it has.

        For a module built under ``init.placeholders`` (a model file's network): its
        arrays are zero-stride stand-ins that ``load_state_dict`` cannot copy into.
        Names and shapes must match exactly, as for ``load_state_dict``.
        """
        slots: dict[str, tuple[Module, str, bool]] = {}
        targets: dict[str, Any] = {}
        for prefix, module in self._named_modules():
            for attr, param in module._parameters.items():
                slots[prefix + attr], targets[prefix + attr] = (module, attr, True), param.data
            for attr, array in module._buffers.items():
                slots[prefix + attr], targets[prefix + attr] = (module, attr, False), array
        self._check_state(targets, state)
        for name, (module, attr, is_parameter) in slots.items():
            value = to_device(np.asarray(to_host(state[name]), dtype=targets[name].dtype,
                                         order="C"), device)
            if is_parameter:
                module._parameters[attr].data = value
            else:
                module.register_buffer(attr, value)

    def _named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """``("layer.sub.", module)`` for this module and every one below it."""
        yield prefix, self
        for name, child in self._modules.items():
            yield from child._named_modules(prefix + name + ".")

    def _check_state(self, own: dict[str, Any], state: dict[str, Any]) -> None:
        """Refuse ``state`` unless it has exactly the arrays ``own`` names, shaped alike."""
        missing = sorted(set(own) - set(state))
        extra = sorted(set(state) - set(own))
        if missing or extra:
            raise ParameterError(
                f"the weights do not fit this {type(self).__name__}: "
                f"missing {missing or 'nothing'}, unexpected {extra or 'nothing'}")
        for name, target in own.items():
            values = state[name]
            if tuple(values.shape) != tuple(target.shape):
                raise ParameterError(
                    f"weight {name!r} has shape {tuple(values.shape)}, "
                    f"the layer expects {tuple(target.shape)}")

    @property
    def device(self) -> str:
        """The device of the first parameter or buffer ("cpu" for a module without any)."""
        for param in self.parameters():
            return _device_of(param.data)
        for _, array in self.named_buffers():
            return _device_of(array)
        return "cpu"

    def config(self) -> dict[str, Any]:
        """Constructor arguments as JSON values: enough to rebuild the layer's shape."""
        return {}

    @classmethod
    def from_config(cls, config: dict[str, Any], device: str = "cpu") -> Module:
        """Build an untrained layer from ``config()`` output (weights are loaded after)."""
        arguments = dict(config)
        if "device" in inspect.signature(cls).parameters:
            arguments["device"] = device
        return cls(**arguments)

    def extra_repr(self) -> str:
        return ", ".join(f"{k}={v!r}" for k, v in self.config().items()
                         if not isinstance(v, list | dict))

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__}({self.extra_repr()}"]
        for name, child in self._modules.items():
            child_text = repr(child).replace("\n", "\n  ")
            lines.append(f"  ({name}): {child_text}")
        return lines[0] + ")" if len(lines) == 1 else "\n".join(lines) + "\n)"


def module_spec(module: Module) -> dict[str, Any]:
    """``{"type": ..., "config": ...}`` for a module tree, ready for ``json.dump``."""
    name = type(module).layer_name
    if LAYER_TYPES.get(name) is not type(module):
        raise ParameterError(f"layer type {name!r} is not registered and cannot be saved")
    return {"type": name, "config": module.config()}


def build_module(spec: Any, device: str = "cpu") -> Module:
    """Rebuild a module tree from ``module_spec`` output; unknown types are refused."""
    if not isinstance(spec, dict) or not isinstance(spec.get("type"), str):
        raise ParameterError(f"a layer description needs a 'type' string, got {spec!r:.80}")
    cls = LAYER_TYPES.get(spec["type"])
    if cls is None:
        known = ", ".join(sorted(LAYER_TYPES))
        raise ParameterError(f"unknown layer type {spec['type']!r} (known: {known})")
    config = spec.get("config", {})
    if not isinstance(config, dict):
        raise ParameterError(f"the config of layer {spec['type']!r} must be an object")
    try:
        return cls.from_config(config, device=device)
    except TypeError as exc:
        raise ParameterError(f"bad settings for layer {spec['type']!r}: {exc}") from None


def _device_of(array: Any) -> str:
    return "cpu" if isinstance(array, np.ndarray) else "gpu"
