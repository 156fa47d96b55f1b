"""Data sources: WEKA's ArffLoader and CSVLoader.

A loader's result depends on its file as well as its parameters, so its cache
fingerprint includes the file's size and modification time: editing the data file and
re-running reloads it, and nothing else does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbench.core.params import Param
from workbench.data.io import load_dataset
from workbench.flow.nodes.base import NodeContext, NodeError, NodeType, file_fingerprint
from workbench.flow.ports import DATA_SET, PortSpec

_FILE_HELP = ("the data file: absolute, or relative to the folder of the flow file")


class _Loader(NodeType):
    category = "DataSources"
    outputs = (PortSpec(DATA_SET, DATA_SET, "the loaded dataset (no class set: use a "
                        "ClassAssigner)"),)
    file = Param.text("", _FILE_HELP)
    extensions: tuple[str, ...] = ()

    def fingerprint(self, context: NodeContext) -> str:
        return file_fingerprint(context.resolve(self.file)) if self.file else ""

    def process(self, inputs: Mapping[str, Any], context: NodeContext) -> dict[str, Any]:
        if not self.file:
            raise NodeError(f"{context.title}: no file chosen (set its 'file' parameter)")
        path = context.resolve(self.file)
        if not path.name.lower().endswith(self.extensions):
            raise NodeError(f"{context.title}: '{self.file}' is not a "
                            f"{' or '.join(self.extensions)} file")
        context.report(0.0, f"reading {path.name}")
        dataset = load_dataset(path)
        context.log(f"loaded {path}: {dataset.num_instances} instances, "
                    f"{dataset.num_attributes} attributes")
        return {DATA_SET: dataset}


class ArffLoader(_Loader):
    """Reads an ARFF file (dense or sparse, ``.arff.gz`` too)."""

    name = "ArffLoader"
    display_name = "ArffLoader"
    extensions = (".arff", ".arff.gz")


class CSVLoader(_Loader):
    """Reads a CSV or TSV file, guessing numeric and nominal columns as WEKA does."""

    name = "CSVLoader"
    display_name = "CSVLoader"
    extensions = (".csv", ".csv.gz", ".tsv", ".tsv.gz")


NODE_TYPES = (ArffLoader, CSVLoader)
