"""Data sources: WEKA's ArffLoader and CSVLoader.

A loader's ``file`` is a path (absolute, or relative to the flow file's folder, so a flow
and its data move together) or the name of a bundled dataset (``iris``, ``iris.arff``), as
every command takes one: the bundled templates name their data that way, so a copy of a
template runs from any folder. A file of that name beside the flow shadows the bundled
one, as a file in the current folder does on the command line.

A loader's result depends on its file as well as its parameters, so its cache
fingerprint includes the file's size and modification time: editing the data file and
re-running reloads it, and nothing else does.

Both loaders take the file's text encoding, and the CSVLoader the options of WEKA's
CSVLoader that ``workbench info`` and the Explorer's *Open with options...* offer too
(delimiter, header row, skipped title lines, nominal, string, numeric and date columns,
date format, missing markers, decimal and thousands separators), under the same names
as ``read_csv``'s, so a file that opens one way opens every way.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path, PurePath
from typing import Any

from workbench.core.errors import WorkbenchError
from workbench.core.params import Param
from workbench.data.catalog import BUNDLED, bundled_names, bundled_path
from workbench.data.csv_options import csv_reader_options
from workbench.data.io import load_dataset
from workbench.data.text_encoding import TextEncodingError, codec_name
from workbench.flow.nodes.base import NodeContext, NodeError, NodeType, file_fingerprint
from workbench.flow.ports import DATA_SET, PortSpec

_FILE_HELP = ("the data file: absolute, relative to the folder of the flow file, or the "
              "name of a bundled dataset (iris, diabetes, ...)")


def bundled_name(value: str) -> str | None:
    """The bundled dataset ``value`` names (``iris`` or ``iris.arff``), else None."""
    for entry in BUNDLED:
        if value in (entry.name, entry.filename):
            return entry.name
    return None


def _legacy_bundled(value: str) -> str | None:
    """The bundled dataset an earlier version's template named by its place in the
    package (``../datasets/iris.arff``): a flow saved from such a template elsewhere still
    finds its data when no such file sits beside it."""
    parts = PurePath(value).parts
    if len(parts) == 3 and parts[:2] == ("..", "datasets"):
        return bundled_name(parts[2])
    return None


class DataLoader(NodeType):
    """What the loaders share: find the data file (``locate``), refuse before a run what
    cannot be read (``check_ready``), then read it."""

    category = "DataSources"
    outputs = (PortSpec(DATA_SET, DATA_SET, "the loaded dataset (no class set: use a "
                        "ClassAssigner)"),)
    file = Param.text("", _FILE_HELP)
    encoding = Param.text("", "the file's text encoding: empty for UTF-8 (or what a "
                          "byte-order mark says), else e.g. latin-1, cp1252, utf-16",
                          group="advanced", check=codec_name)
    extensions: tuple[str, ...] = ()

    def read_options(self) -> dict[str, Any]:
        """The reader's keyword options this node's parameters give (none by default)."""
        return {"encoding": self.encoding} if self.encoding else {}

    def locate(self, context: NodeContext) -> Path:
        """The file to read: the path the flow names when it exists, else the bundled
        dataset of that name. Raises ``NodeError`` (one line naming the node, the file and
        what was expected) when there is neither, or it is not the loader's format."""
        if not self.file:
            raise NodeError(f"{context.title}: no file chosen (set its 'file' parameter "
                            f"to a data file or a bundled dataset's name)")
        path = context.resolve(self.file)
        if not path.exists():
            name = bundled_name(self.file) or _legacy_bundled(self.file)
            if name is None:
                raise NodeError(f"{context.title}: {path}: no such file, nor a bundled "
                                f"dataset of that name (bundled: "
                                f"{', '.join(bundled_names())})")
            try:
                path = bundled_path(name)
            except WorkbenchError as error:  # the package lost its data: say where
                raise NodeError(f"{context.title}: {error}") from None
        elif path.is_dir():
            raise NodeError(f"{context.title}: {path} is a folder, not a data file")
        if not path.name.lower().endswith(self.extensions):
            raise NodeError(f"{context.title}: '{self.file}' is not a "
                            f"{' or '.join(self.extensions)} file")
        return path

    def check_ready(self, context: NodeContext) -> None:
        self.locate(context)   # (the encoding was checked when set: ``Param.check``)

    def fingerprint(self, context: NodeContext) -> str:
        if not self.file:
            return ""
        try:
            return file_fingerprint(self.locate(context))
        except NodeError:
            return file_fingerprint(context.resolve(self.file))  # process says why

    def process(self, inputs: Mapping[str, Any], context: NodeContext) -> dict[str, Any]:
        path = self.locate(context)
        context.report(0.0, f"reading {path.name}")
        try:
            dataset = load_dataset(path, **self.read_options())
        except TextEncodingError as error:   # advice in this place's words
            raise error.advised(f"{context.title}'s encoding parameter "
                                f"(Parameters..., Advanced)") from None
        context.log(f"loaded {path}: {dataset.num_instances} instances, "
                    f"{dataset.num_attributes} attributes")
        return {DATA_SET: dataset}


class ArffLoader(DataLoader):
    """Reads an ARFF file (dense or sparse, ``.arff.gz`` too)."""

    name = "ArffLoader"
    display_name = "ArffLoader"
    extensions = (".arff", ".arff.gz")


class CSVLoader(DataLoader):
    """Reads a CSV or TSV file (or delimited ``.txt``), guessing numeric and nominal
    columns as WEKA does."""

    name = "CSVLoader"
    display_name = "CSVLoader"
    extensions = (".csv", ".csv.gz", ".tsv", ".tsv.gz", ".txt", ".txt.gz")
    delimiter = Param.text("", "the field separator: empty to detect a comma, semicolon "
                           "or tab; \\t for a tab", group="advanced")
    header = Param.boolean(True, "the first row (after any skipped lines) names the "
                           "columns; off: the columns are att1, att2, ... as in WEKA",
                           group="advanced")
    skip_lines = Param.count(0, "title lines above the header row to skip", low=0,
                             group="advanced")
    nominal = Param.text("", "columns to read as nominal: names or numbers from 1, "
                         "comma-separated", group="advanced")
    string = Param.text("", "columns to read as strings: names or numbers from 1, "
                        "comma-separated", group="advanced")
    missing = Param.text("", "missing-value markers, comma-separated (\\, for a comma "
                         "in one), in place of ? (empty: ?); an empty field is always "
                         "missing", group="advanced")
    numeric = Param.text("", "columns to read as numbers (WEKA's -R): names, numbers "
                         "from 1 or ranges such as first-3, comma-separated",
                         group="advanced")
    date = Param.text("", "columns to read as dates (WEKA's -D): names, numbers from 1 "
                      "or ranges, comma-separated", group="advanced")
    date_format = Param.text("", "the Java date pattern of the date columns, e.g. "
                             "dd/MM/yyyy (empty: ISO 8601)", group="advanced")
    decimal = Param.text("", "the decimal separator of the numbers: empty for '.', ',' "
                         "for German or French Excel files", group="advanced")
    thousands = Param.text("", "the character between thousands in the numbers: empty "
                           "for none, '.', ',' or space", group="advanced")

    def read_options(self) -> dict[str, Any]:
        return {**super().read_options(), **csv_reader_options(
            delimiter=self.delimiter, header=self.header, skip_lines=self.skip_lines,
            nominal=self.nominal, string=self.string, numeric=self.numeric,
            date=self.date, date_format=self.date_format,
            missing=[self.missing] if self.missing.strip() else [],
            decimal=self.decimal, thousands=self.thousands)}

    def check_ready(self, context: NodeContext) -> None:
        super().check_ready(context)
        try:   # a separator or date format that cannot be used, before the run
            self.read_options()
        except WorkbenchError as error:
            raise NodeError(f"{context.title}: {error}") from None


NODE_TYPES = (ArffLoader, CSVLoader)
