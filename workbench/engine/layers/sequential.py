"""``Sequential``: layers applied one after the other, the shape of most classic networks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from workbench.core.errors import ParameterError
from workbench.engine.layers.base import Module, build_module, module_spec


class Sequential(Module):
    """Runs its layers in order; layer i is also ``model[i]`` and named "i" in weights."""

    def __init__(self, *layers: Module) -> None:
        super().__init__()
        for index, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise ParameterError(f"item {index} of a Sequential is not a layer: {layer!r}")
            setattr(self, str(index), layer)

    def append(self, layer: Module) -> Sequential:
        setattr(self, str(len(self._modules)), layer)
        return self

    def forward(self, x: Any) -> Any:
        for layer in self._modules.values():
            x = layer(x)
        return x

    def __getitem__(self, index: int) -> Module:
        return list(self._modules.values())[index]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(list(self._modules.values()))

    def config(self) -> dict[str, Any]:
        return {"layers": [module_spec(layer) for layer in self]}

    @classmethod
    def from_config(cls, config: dict[str, Any], device: str = "cpu") -> Module:
        layers = config.get("layers")
        if not isinstance(layers, list) or set(config) != {"layers"}:
            raise ParameterError("a Sequential config must be {'layers': [...]}")
        return cls(*(build_module(spec, device=device) for spec in layers))

    def extra_repr(self) -> str:
        return ""
