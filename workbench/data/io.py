"""Load and save datasets by file extension, the one entry point the CLI, the Explorer's
Open button and the flow's loader node share, so all three accept the same files.

The format of a file is the registered ``loader`` or ``saver`` (``data.formats``) that
claims the longest extension of its name, built-in and plugin formats alike (a built-in
wins a tie), so a plugin's ``.my.csv`` or ``.tsv`` reader is the one used, as ``workbench
plugins`` and the file dialogs promise. The built-in formats (ARFF, CSV/TSV, each also
gzipped) are looked up in a registry of their own, and the application registry (which
imports the learners) is consulted only when a plugin is installed or no built-in
claims the name, so reading a file with no plugin installed never imports the learners.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from workbench.core.errors import DataFormatError, ParameterError, WorkbenchError
from workbench.core.registry import Registry, default_registry
from workbench.data.dataset import Dataset
from workbench.data.formats import (
    BUILTIN_FORMATS,
    FileFormat,
    extensions,
    find_format,
    register,
)

T = TypeVar("T")
_builtin: Registry | None = None


def builtin_formats() -> Registry:
    """A registry of the built-in formats alone (cheap: no learner, no plugin)."""
    global _builtin
    if _builtin is None:
        _builtin = Registry()
        register(_builtin)
    return _builtin


def format_for(path: str | os.PathLike[str], kind: str = "loader",
               registry: Registry | None = None) -> type[FileFormat]:
    """The format that reads (``kind="loader"``) or writes (``"saver"``) ``path``, by
    its extension; raises naming the extensions that are known."""
    if registry is not None:
        chosen = find_format(registry, kind, path)
    else:
        chosen = find_format(builtin_formats(), kind, path)
        if chosen is None or _plugins_installed():
            # The default registry holds the built-ins first, so they win a tie there.
            chosen = find_format(default_registry(), kind, path) or chosen
    if chosen is None:
        if Path(path).is_dir():   # said plainly: "extension '(none)'" hid what it was
            raise DataFormatError("is a folder, not a data file", path,
                                  expected="the path of a data file")
        known = extensions(registry if registry is not None else default_registry(), kind)
        suffix = "".join(Path(path).suffixes) or "(none)"
        raise DataFormatError(f"unknown data file extension '{suffix}'", path,
                              expected=f"one of {', '.join(known)}")
    return chosen


def _plugins_installed() -> bool:
    """Whether any plugin could add a format: a module in a plugin folder or a package
    with a ``workbench.plugins`` entry point (found without importing either)."""
    from importlib.metadata import entry_points

    from workbench.core.plugins import ENTRY_POINT_GROUP, plugin_folders

    if any(not path.name.startswith("_") for folder in plugin_folders()
           for path in folder.glob("*.py")):
        return True
    return bool(list(entry_points(group=ENTRY_POINT_GROUP)))


def file_format(path: str | os.PathLike[str], registry: Registry | None = None) -> str:
    """The name of the format that reads ``path`` (``"arff"``, ``"csv"``, a plugin's)."""
    return format_for(path, "loader", registry).name


def load_dataset(path: str | os.PathLike[str], *, class_index: int | str | None = None,
                 registry: Registry | None = None, **options: Any) -> Dataset:
    """Read a data file chosen by its extension.

    ``class_index`` is an attribute name or index (negative from the end), or None for
    no class. Other ``options`` go to the format's reader (``read_csv``: delimiter,
    nominal, missing...); one the reader does not take is a ``ParameterError``.
    ``registry`` replaces the registries formats are looked up in (tests).
    """
    path = Path(path)
    chosen = format_for(path, "loader", registry)
    if not path.exists():
        raise DataFormatError("no such file", path)
    if path.is_dir():
        raise DataFormatError("is a folder, not a data file", path)
    reader = _guarded(chosen, path, "loader", chosen.reader)
    accepted = inspect.signature(reader).parameters
    takes_any = any(p.kind is p.VAR_KEYWORD for p in accepted.values())
    for option in options:
        if option == "class_index" or (option not in accepted and not takes_any):
            known = ", ".join(p for p in accepted if p not in ("path", "source", "class_index"))
            raise ParameterError(f"{path}: {chosen.display_name or chosen.name} files take "
                                 f"no option '{option}' (they take: {known or 'none'})")
    dataset = _guarded(chosen, path, "loader", lambda: reader(path, **options))
    if not isinstance(dataset, Dataset):
        raise WorkbenchError(f"{path}: the {chosen.name} loader returned "
                             f"{type(dataset).__name__}, not a dataset")
    if class_index is not None:
        try:
            dataset = dataset.with_class(class_index)
        except WorkbenchError as error:
            raise ParameterError(f"{path}: class: {error}") from None
    return dataset


def save_dataset(dataset: Dataset, path: str | os.PathLike[str], *,
                 registry: Registry | None = None, **options: Any) -> None:
    """Write ``dataset`` in the format its extension names (atomically, by the writer)."""
    chosen = format_for(path, "saver", registry)
    _guarded(chosen, path, "saver",
             lambda: chosen.writer()(dataset, Path(path), **options))


def _guarded(chosen: type[FileFormat], path: str | os.PathLike[str], role: str,
             call: Callable[[], T]) -> T:
    """Run a format's reader or writer. Ours raise ``DataFormatError`` themselves (the
    fuzz tests count anything else as a crash, so it is not hidden here); a plugin's
    other exceptions become one naming the format, as a plugin that fails to register
    is reported instead of stopping the application."""
    if chosen in BUILTIN_FORMATS:
        return call()
    try:
        return call()
    except WorkbenchError:
        raise
    except Exception as error:
        raise DataFormatError(f"the {chosen.name} {role} ({chosen.__module__}) failed: "
                              f"{error!r}", path) from None


def dialog_filter(kind: str = "loader", registry: Registry | None = None) -> str:
    """The filter of a file dialog (Qt's ``Name (*.a *.b);;...`` text) offering every
    format that reads (``"loader"``) or writes (``"saver"``): all of them together
    first, then each, then all files; a plugin's format appears in the Explorer's Open
    and Save dialogs with no GUI change."""
    infos = (registry if registry is not None else default_registry()).list(kind)
    each = [(info.display_name,
             " ".join(f"*{e}" for e in getattr(info.factory, "extensions", ())))
            for info in infos]
    every = " ".join(patterns for _, patterns in each)
    return ";;".join([f"Data files ({every})", *(f"{name} ({patterns})"
                                                  for name, patterns in each),
                      "All files (*)"])
