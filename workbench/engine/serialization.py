"""Saving and loading models as data: a JSON description plus an ``.npz`` of arrays.

A saved model is two files side by side, ``name.json`` and ``name.npz``. The JSON says
what the model is (format version, kind, layer types and their settings, the name, shape
and dtype of every array, free metadata); the ``.npz`` holds the numbers. Neither file
can run code when opened: the JSON is parsed as JSON, layer types are looked up in the
engine's registry of known layers, and the arrays are read with ``allow_pickle=False``,
so an object array in a crafted file is refused rather than unpickled.

Both files are written to a temporary name and renamed into place, arrays first and JSON
last, so a crash never leaves a JSON that describes arrays that are not there; the JSON
lists every array's shape and dtype, so a ``.npz`` from another save is detected.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np

from workbench.core import atomic
from workbench.core.errors import DataFormatError, ParameterError, WorkbenchError
from workbench.engine.layers.base import Module, build_module, module_spec
from workbench.engine.rbm import RBM

FORMAT = "workbench-model"
VERSION = 1
_ALLOWED_KINDS = "biufc"  # bool, signed/unsigned int, float, complex: never object


@dataclass
class SavedState:
    """What ``load_state`` returns: the JSON fields and the arrays, on the host."""

    kind: str
    config: dict[str, Any]
    arrays: dict[str, np.ndarray]
    metadata: dict[str, Any] = field(default_factory=dict)


def model_paths(path: str | os.PathLike[str]) -> tuple[Path, Path]:
    """``(json_path, npz_path)`` for a model path given with or without its suffix."""
    path = Path(path)
    if path.suffix in (".json", ".npz"):
        path = path.with_suffix("")
    return path.with_name(path.name + ".json"), path.with_name(path.name + ".npz")


def atomic_write(path: str | os.PathLike[str], write: Callable[[IO[bytes]], None]) -> None:
    """Call ``write(file)`` on a temporary file beside ``path``, then rename it into place."""
    with atomic.atomic_write(path, "wb") as handle:
        write(handle)
        handle.flush()
        os.fsync(handle.fileno())


def save_state(path: str | os.PathLike[str], kind: str, config: Mapping[str, Any],
               arrays: Mapping[str, Any], metadata: Mapping[str, Any] | None = None) -> Path:
    """Write any engine object as JSON + ``.npz``; returns the JSON path.

    ``config`` and ``metadata`` must be JSON values; ``arrays`` maps names to host
    arrays of numbers. Classifiers use this directly for what is not a layer tree.
    """
    json_path, npz_path = model_paths(path)
    host = {}
    for name, value in arrays.items():
        array = np.asarray(value)
        if array.dtype.kind not in _ALLOWED_KINDS:
            raise ParameterError(f"array {name!r} has dtype {array.dtype}, which cannot be saved")
        host[str(name)] = array
    document = {
        "format": FORMAT,
        "version": VERSION,
        "kind": kind,
        "config": dict(config),
        "metadata": dict(metadata or {}),
        "weights": npz_path.name,
        "arrays": {name: {"shape": list(a.shape), "dtype": a.dtype.str}
                   for name, a in host.items()},
    }
    try:
        text = json.dumps(document, indent=2, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"the model description is not plain JSON: {exc}") from None
    atomic_write(npz_path, lambda handle: _write_npz(handle, host))
    atomic_write(json_path, lambda handle: handle.write(text.encode("utf-8")))
    return json_path


def load_state(path: str | os.PathLike[str]) -> SavedState:
    """Read what ``save_state`` wrote, checking the two files belong together."""
    json_path, _ = model_paths(path)
    document = _read_json(json_path)
    weights = _field(document, "weights", str, json_path)
    if "/" in weights or "\\" in weights or weights.startswith(".") or not weights:
        raise DataFormatError(f"the weights file {weights!r} must sit beside the description",
                              json_path, expected="a plain file name")
    npz_path = json_path.with_name(weights)
    listed = _field(document, "arrays", dict, json_path)
    arrays = _read_npz(npz_path)
    if set(listed) != set(arrays):
        raise DataFormatError(
            f"the weights file holds {sorted(arrays)} but the description lists "
            f"{sorted(listed)}", npz_path)
    for name, array in arrays.items():
        info = listed[name]
        if not isinstance(info, dict) or list(array.shape) != info.get("shape") \
                or array.dtype.str != info.get("dtype"):
            raise DataFormatError(
                f"array {name!r} is {array.dtype.str}{list(array.shape)} but the description "
                f"says {info!r}: the two files come from different saves", npz_path)
    return SavedState(
        kind=_field(document, "kind", str, json_path),
        config=_field(document, "config", dict, json_path),
        arrays=arrays,
        metadata=_field(document, "metadata", dict, json_path),
    )


def save_model(path: str | os.PathLike[str], model: Module | RBM,
               metadata: Mapping[str, Any] | None = None) -> Path:
    """Save a layer tree (``Module``) or an ``RBM``; returns the JSON path."""
    if isinstance(model, RBM):
        return save_state(path, "rbm", model.config(), model.state_dict(), metadata)
    if isinstance(model, Module):
        return save_state(path, "module", module_spec(model), model.state_dict(), metadata)
    raise ParameterError(f"cannot save a {type(model).__name__}: not an engine model")


def load_model(path: str | os.PathLike[str], device: str = "cpu") -> Module | RBM:
    """Rebuild a model saved by ``save_model`` on ``device``, weights included."""
    state = load_state(path)
    json_path, _ = model_paths(path)
    try:
        if state.kind == "rbm":
            model: Module | RBM = RBM(**state.config, device=device)
        elif state.kind == "module":
            model = build_module(state.config, device=device)
        else:
            raise DataFormatError(f"unknown model kind {state.kind!r}", json_path,
                                  expected="'module' or 'rbm'")
        model.load_state_dict(state.arrays)
    except DataFormatError:
        raise
    except (WorkbenchError, TypeError, ValueError) as exc:
        raise DataFormatError(f"the model cannot be rebuilt: {exc}", json_path) from None
    return model


def _read_json(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFormatError("no such model file", path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFormatError(f"cannot read the model description: {exc}", path) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFormatError(exc.msg, path, exc.lineno, exc.colno) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise DataFormatError("not a Workbench model description", path,
                              expected=f'"format": "{FORMAT}"')
    version = document.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise DataFormatError(f"unsupported model file version {version!r}", path,
                              expected=f"version {VERSION} or older")
    return document


def _write_npz(handle: IO[bytes], arrays: Mapping[str, np.ndarray]) -> None:
    """``np.savez`` by hand: any array name works (savez reserves "file", "allow_pickle")."""
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, array in arrays.items():
            with archive.open(name + ".npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.ascontiguousarray(array),
                                          allow_pickle=False)


def _read_npz(path: Path) -> dict[str, np.ndarray]:
    try:
        loaded = np.load(path, allow_pickle=False)
        if not isinstance(loaded, np.lib.npyio.NpzFile):
            raise DataFormatError("the weights file is a single array, not an archive", path,
                                  expected="a .npz archive")
        with loaded as archive:
            arrays = {name: archive[name] for name in archive.files}
    except FileNotFoundError:
        raise DataFormatError("the weights file is missing", path) from None
    except ValueError as exc:  # object arrays need pickle, which we refuse
        raise DataFormatError(f"the weights file holds something other than numbers: {exc}",
                              path) from None
    except (OSError, zipfile.BadZipFile, EOFError, KeyError) as exc:
        raise DataFormatError(f"the weights file is damaged: {exc}", path) from None
    for name, array in arrays.items():
        if array.dtype.kind not in _ALLOWED_KINDS:
            raise DataFormatError(f"array {name!r} has dtype {array.dtype}", path,
                                  expected="numbers")
    return arrays


def _field(document: dict[str, Any], name: str, kind: type, path: Path) -> Any:
    value = document.get(name)
    if not isinstance(value, kind):
        raise DataFormatError(f"field {name!r} is missing or not a {kind.__name__}", path)
    return value
