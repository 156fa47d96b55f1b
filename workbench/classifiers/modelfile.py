"""Model files: JSON for what a person can read, ``.npy`` arrays for the numbers.

A model file is one zip archive (like ``.npz``) holding ``model.json`` (component name,
parameters, training header, learned scalars) and one ``arrays/NAME.npy`` per learned
array. Arrays are read with ``allow_pickle=False`` and the component is looked up by name
in the registry, never imported by a path taken from the file, so opening a model from a
stranger cannot run code (DESIGN.md rule 6). Writes go to a temporary file in the same
folder and are renamed into place, so a crash never leaves half a model.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Mapping
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from workbench.core.atomic import atomic_write
from workbench.core.errors import WorkbenchError
from workbench.data.dataset import Attribute, AttributeType, Dataset

if TYPE_CHECKING:
    from workbench.classifiers.base import Classifier
    from workbench.core.registry import Registry

FORMAT = "workbench-model"
FORMAT_VERSION = 1
JSON_MEMBER = "model.json"
ARRAY_PREFIX = "arrays/"
# A model's JSON is small; refusing huge members keeps a crafted file from eating memory.
MAX_JSON_BYTES = 64 * 1024 * 1024


class ModelFileError(WorkbenchError):
    """A model file could not be read or written; the message names the file."""


# Headers ----------------------------------------------------------------------------------
def header_to_json(header: Dataset) -> dict[str, Any]:
    """The attributes and class of a dataset, without its rows."""
    return {"relation": header.relation,
            "class_index": header.class_index,
            "attributes": [_attribute_to_json(a) for a in header.attributes]}


def _attribute_to_json(attribute: Attribute) -> dict[str, Any]:
    out: dict[str, Any] = {"name": attribute.name, "type": str(attribute.type)}
    if attribute.type is AttributeType.NOMINAL:
        out["values"] = list(attribute.values)
    if attribute.type is AttributeType.DATE:
        out["date_format"] = attribute.date_format
    if attribute.type is AttributeType.RELATIONAL:
        out["relation"] = [_attribute_to_json(a) for a in attribute.relation]
    return out


def header_from_json(data: Mapping[str, Any]) -> Dataset:
    """Rebuild an empty dataset (a header) from ``header_to_json``'s output."""
    try:
        attributes = [_attribute_from_json(a) for a in data["attributes"]]
        return Dataset(str(data["relation"]), attributes, np.zeros((0, len(attributes))),
                       class_index=data.get("class_index"))
    except (KeyError, TypeError, ValueError) as error:
        raise WorkbenchError(f"the training header is malformed: {error!r}") from None


def _attribute_from_json(data: Mapping[str, Any]) -> Attribute:
    kind = AttributeType(data["type"])
    if kind is AttributeType.NOMINAL:
        return Attribute.nominal(str(data["name"]), [str(v) for v in data["values"]])
    if kind is AttributeType.DATE:
        return Attribute(str(data["name"]), kind, date_format=data.get("date_format"))
    if kind is AttributeType.RELATIONAL:
        return Attribute.relational(str(data["name"]),
                                    [_attribute_from_json(a) for a in data["relation"]])
    return Attribute(str(data["name"]), kind)


# Writing ----------------------------------------------------------------------------------
def save_model(model: Classifier, path: str | PathLike[str]) -> None:
    """Write a fitted classifier to ``path`` atomically."""
    header = model._require_fitted()
    meta, arrays = model._state()
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "kind": model.kind,
        "component": model.name,
        "state_version": model.state_version,
        "params": model.params_to_dict(),
        "header": header_to_json(header),
        "classes": list(model.classes_),
        "state": meta,
    }
    try:
        text = json.dumps(document, indent=1, allow_nan=True)
    except (TypeError, ValueError) as error:
        raise AssertionError(f"{type(model).__name__}._state() is not JSON-ready: "
                             f"{error}") from None
    write_archive(path, text, arrays)


def write_archive(path: str | PathLike[str], text: str,
                  arrays: Mapping[str, np.ndarray]) -> None:
    """A zip of ``model.json`` and ``arrays/NAME.npy``, renamed into place when complete."""
    target = Path(path)
    opened = False
    try:
        with atomic_write(target, "wb") as raw, zipfile.ZipFile(
                raw, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            opened = True
            archive.writestr(JSON_MEMBER, text)
            for name, array in arrays.items():
                array = np.asarray(array)
                if array.dtype == object:
                    raise AssertionError(f"array '{name}' has object dtype; "
                                         f"model files hold plain numbers only")
                buffer = io.BytesIO()
                np.save(buffer, array, allow_pickle=False)
                archive.writestr(ARRAY_PREFIX + name + ".npy", buffer.getvalue())
            raw.flush()
            os.fsync(raw.fileno())
    except OSError as error:
        if not opened:
            raise ModelFileError(f"{target}: cannot write a model here: "
                                 f"{error.strerror}") from None
        raise ModelFileError(f"{target}: cannot write the model: {error}") from None


# Reading ----------------------------------------------------------------------------------
def read_archive(path: str | PathLike[str]) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The JSON document and the arrays of a model file, with nothing executed."""
    target = Path(path)
    try:
        archive = zipfile.ZipFile(target)
    except FileNotFoundError:
        raise ModelFileError(f"{target}: no such model file") from None
    except (zipfile.BadZipFile, OSError) as error:
        raise ModelFileError(f"{target}: not a workbench model file ({error}); model files "
                             f"are zip archives of model.json and .npy arrays") from None
    with archive:
        names = archive.namelist()
        if JSON_MEMBER not in names:
            raise ModelFileError(f"{target}: not a workbench model file (no {JSON_MEMBER})")
        info = archive.getinfo(JSON_MEMBER)
        if info.file_size > MAX_JSON_BYTES:
            raise ModelFileError(f"{target}: {JSON_MEMBER} is implausibly large "
                                 f"({info.file_size} bytes)")
        try:
            document = json.loads(archive.read(JSON_MEMBER).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ModelFileError(f"{target}: {JSON_MEMBER} is not valid JSON: {error}") from None
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            found = document.get("format") if isinstance(document, dict) else None
            raise ModelFileError(f"{target}: not a workbench model file "
                                 f"(format is {found!r})")
        arrays: dict[str, np.ndarray] = {}
        for name in names:
            if name == JSON_MEMBER:
                continue
            if not (name.startswith(ARRAY_PREFIX) and name.endswith(".npy")):
                raise ModelFileError(f"{target}: unexpected member '{name}' in a model file")
            key = name[len(ARRAY_PREFIX):-len(".npy")]
            try:
                with archive.open(name) as member:
                    arrays[key] = np.lib.format.read_array(member, allow_pickle=False)
            except ValueError as error:
                raise ModelFileError(f"{target}: array '{key}' refused: {error} "
                                     f"(model files hold plain numbers, never objects)") from None
            except (OSError, zipfile.BadZipFile, EOFError) as error:
                raise ModelFileError(f"{target}: array '{key}' is damaged: {error}") from None
    return document, arrays


def load_model(path: str | PathLike[str], registry: Registry | None = None) -> Classifier:
    """Read a classifier saved by ``Classifier.save``; it predicts exactly as when saved.

    The component is found by its registered name (so plugins' classifiers load too),
    never by importing a module named in the file.
    """
    from workbench.classifiers.base import Classifier
    from workbench.core.registry import default_registry

    document, arrays = read_archive(path)
    version = document.get("format_version")
    if version != FORMAT_VERSION:
        raise ModelFileError(f"{path}: model format version {version!r} is not supported "
                             f"(this Workbench reads version {FORMAT_VERSION})")
    kind, name = document.get("kind"), document.get("component")
    if kind != "classifier" or not isinstance(name, str):
        raise ModelFileError(f"{path}: holds a {kind!r} called {name!r}, not a classifier")
    info = (registry or default_registry()).get("classifier", name)
    factory = info.factory
    if not (isinstance(factory, type) and issubclass(factory, Classifier)):
        raise ModelFileError(f"{path}: component '{name}' is not a classifier class")
    if document.get("state_version") != factory.state_version:
        raise ModelFileError(
            f"{path}: saved by a different version of {factory.display_name or name} "
            f"(state version {document.get('state_version')!r}, this one reads "
            f"{factory.state_version}); retrain and save again")
    params = document.get("params")
    if not isinstance(params, dict):
        raise ModelFileError(f"{path}: the parameters are missing")
    try:
        model = factory.from_params_dict(params)
        header = header_from_json(document.get("header") or {})
        model.header_ = header
        cls = header.class_attribute
        model.classes_ = tuple(cls.values) if cls is not None and cls.is_nominal else ()
        if list(model.classes_) != document.get("classes", []):
            raise WorkbenchError("the class labels do not match the training header")
        model._set_state(document.get("state") or {}, arrays)
    except WorkbenchError as error:
        raise ModelFileError(f"{path}: {error}") from None
    except (KeyError, TypeError, ValueError, IndexError) as error:
        raise ModelFileError(f"{path}: the model state is malformed: {error!r}") from None
    return model  # type: ignore[no-any-return]


def stored_array(arrays: Mapping[str, np.ndarray], name: str, ndim: int | None = None
                 ) -> np.ndarray:
    """A learned array from a model file, checked for presence, kind and rank."""
    if name not in arrays:
        raise WorkbenchError(f"the model file lacks the array '{name}'")
    array = arrays[name]
    if array.dtype.kind not in "fiub":
        raise WorkbenchError(f"array '{name}' has dtype {array.dtype}, expected numbers")
    if ndim is not None and array.ndim != ndim:
        raise WorkbenchError(f"array '{name}' has {array.ndim} dimensions, expected {ndim}")
    return array
