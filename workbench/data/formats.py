"""Data file formats as registered components: loaders and savers found by extension.

A ``FileFormat`` names its extensions and hands out its reader and writer functions; it
is registered as a ``loader`` (it reads), a ``saver`` (it writes), or both, exactly as a
classifier or a filter is (DESIGN.md rule 4). ``data.io`` picks the format of a file by
its extension through the registry, so the CLI, the Explorer, flows and experiments
read whatever a plugin adds: a plugin on ``WORKBENCH_PLUGIN_PATH`` with a ``.psv`` loader
makes ``workbench info file.psv`` work (docs/EXTENDING.md, "A file format").

The readers are imported only when a file of theirs is read: ``workbench info iris.arff``
must not pay for the CSV reader's pandas (tests/test_cli_startup.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from workbench.core.registry import ComponentInfo, Registry
from workbench.data.dataset import Dataset

Reader = Callable[..., Dataset]
# CSV files written with tabs: TSV, and .txt as Excel's "Text (Tab delimited)" is.
TAB_SEPARATED = (".tsv", ".tsv.gz", ".txt", ".txt.gz")
Writer = Callable[..., None]


class FileFormat:
    """A data file format: its name, its extensions, and the functions that read and
    write it. Subclasses set the class attributes and override ``reader`` (to be
    registered as a loader), ``writer`` (as a saver), or both.

    ``reader()(path, **options) -> Dataset`` and ``writer()(dataset, path, **options)``;
    the options a user may pass (``--delimiter`` and the like) are the keyword
    parameters of those functions. Errors in a file are ``DataFormatError`` naming the
    file, line and what was expected; writes are atomic (``core.atomic``).
    """

    name = ""
    display_name = ""
    category = "file formats"
    # With the dot; matched ignoring case, the longest that fits wins (".arff.gz").
    extensions: tuple[str, ...] = ()

    @classmethod
    def reader(cls) -> Reader:
        raise NotImplementedError(f"{cls.__name__} cannot read files")

    @classmethod
    def writer(cls) -> Writer:
        raise NotImplementedError(f"{cls.__name__} cannot write files")


class ArffFormat(FileFormat):
    """ARFF, WEKA's own format: dense or sparse rows, weights, dates; ``.gz`` too."""

    name = "arff"
    display_name = "ARFF"
    extensions = (".arff", ".arff.gz")

    @classmethod
    def reader(cls) -> Reader:
        from workbench.data.arff import read_arff

        return read_arff

    @classmethod
    def writer(cls) -> Writer:
        from workbench.data.arff import write_arff

        return write_arff


class CsvFormat(FileFormat):
    """Comma- or tab-separated values (``.tsv``), the delimiter detected, types guessed
    as WEKA's CSVLoader does; ``.gz`` too. ``.txt`` is delimited text as Excel saves
    it ("Text (Tab delimited)", "Unicode Text": UTF-16, tabs), read with the delimiter
    detected, as WEKA's CSVLoader reads it given ``-F``; written tab-separated."""

    name = "csv"
    display_name = "CSV"
    extensions = (".csv", ".csv.gz", ".tsv", ".tsv.gz", ".txt", ".txt.gz")

    @classmethod
    def reader(cls) -> Reader:
        from workbench.data.csv import read_csv

        return read_csv

    @classmethod
    def writer(cls) -> Writer:
        from workbench.data.csv import write_csv

        return write_csv


BUILTIN_FORMATS: tuple[type[FileFormat], ...] = (ArffFormat, CsvFormat)


def register(registry: Registry) -> None:
    """Add the built-in formats, each as a loader and a saver."""
    for file_format in BUILTIN_FORMATS:
        registry.add(file_format, kind="loader")
        registry.add(file_format, kind="saver")


def find_format(registry: Registry, kind: str, path: str | os.PathLike[str]
                ) -> type[FileFormat] | None:
    """The ``loader`` or ``saver`` of ``registry`` claiming the longest extension of
    ``path``, or None."""
    best: tuple[int, ComponentInfo] | None = None
    for info in registry.list(kind):
        claimed = _claimed(info.factory, path)
        if claimed and (best is None or len(claimed) > best[0]):
            best = (len(claimed), info)
    # A plugin's format may only look like one (``extensions``, ``reader``...).
    return cast(type[FileFormat], best[1].factory) if best is not None else None


def extensions(registry: Registry, kind: str) -> list[str]:
    """Every extension a loader (or saver) of ``registry`` claims, in registry order."""
    found: list[str] = []
    for info in registry.list(kind):
        for extension in getattr(info.factory, "extensions", ()):
            if extension not in found:
                found.append(extension)
    return found


def _claimed(factory: Any, path: str | os.PathLike[str]) -> str:
    """What ``factory`` claims of ``path``: a plugin's format need not subclass
    ``FileFormat``, only name its ``extensions``."""
    name = Path(path).name.lower()
    return max((e for e in getattr(factory, "extensions", ()) if name.endswith(e.lower())),
               key=len, default="")
