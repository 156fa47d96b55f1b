"""Load and save datasets by file extension, the one entry point the CLI, the Explorer's
Open button and the flow's loader node share, so all three accept the same files.

Known extensions: ``.arff``, ``.arff.gz``, ``.csv``, ``.csv.gz``, ``.tsv``, ``.tsv.gz``.
"""

from __future__ import annotations

import inspect
import os
from pathlib import Path
from typing import Any

from workbench.core.errors import DataFormatError, ParameterError, WorkbenchError
from workbench.data.dataset import Dataset

ARFF_EXTENSIONS = (".arff", ".arff.gz")
CSV_EXTENSIONS = (".csv", ".csv.gz", ".tsv", ".tsv.gz")
EXTENSIONS = ARFF_EXTENSIONS + CSV_EXTENSIONS


def file_format(path: str | os.PathLike[str]) -> str:
    """``"arff"`` or ``"csv"`` from the file name; raises naming the known extensions."""
    name = Path(path).name.lower()
    if name.endswith(ARFF_EXTENSIONS):
        return "arff"
    if name.endswith(CSV_EXTENSIONS):
        return "csv"
    suffix = "".join(Path(path).suffixes) or "(none)"
    raise DataFormatError(f"unknown data file extension '{suffix}'", path,
                          expected=f"one of {', '.join(EXTENSIONS)}")


def load_dataset(path: str | os.PathLike[str], *, class_index: int | str | None = None,
                 **options: Any) -> Dataset:
    """Read a data file chosen by its extension.

    ``class_index`` is an attribute name or index (negative from the end), or None for
    no class. Other ``options`` go to ``read_csv`` (delimiter, nominal, missing...) or
    ``read_arff``; one the reader does not take is a ``ParameterError``.
    """
    path = Path(path)
    kind = file_format(path)
    if not path.exists():
        raise DataFormatError("no such file", path)
    if path.is_dir():
        raise DataFormatError("is a folder, not a data file", path)
    if kind == "csv":
        from workbench.data.csv import read_csv

        reader: Any = read_csv
    else:
        from workbench.data.arff import read_arff

        reader = read_arff
    accepted = inspect.signature(reader).parameters
    for option in options:
        if option not in accepted or option == "class_index":
            known = ", ".join(p for p in accepted if p not in ("path", "source", "class_index"))
            raise ParameterError(f"{path}: {kind.upper()} files take no option '{option}' "
                                 f"(they take: {known})")
    dataset = reader(path, **options)
    if class_index is not None:
        try:
            dataset = dataset.with_class(class_index)
        except WorkbenchError as error:
            raise ParameterError(f"{path}: class: {error}") from None
    return dataset


def save_dataset(dataset: Dataset, path: str | os.PathLike[str], **options: Any) -> None:
    """Write ``dataset`` in the format its extension names (atomically, by the writer)."""
    path = Path(path)
    kind = file_format(path)
    if kind == "csv":
        from workbench.data.csv import write_csv

        write_csv(dataset, path, **options)
    else:
        from workbench.data.arff import write_arff

        write_arff(dataset, path, **options)
