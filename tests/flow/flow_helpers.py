"""Helpers for the flow tests: a classifier that counts its fits, one that always fails,
bundled datasets, and the classic cross-validation flow built through the model."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from workbench.classifiers.zeror import ZeroR
from workbench.core.errors import WorkbenchError
from workbench.core.params import Param
from workbench.core.registry import Registry
from workbench.data.dataset import Attribute, Dataset
from workbench.flow import Flow


def decode_png(data: bytes) -> np.ndarray:
    """The pixels of an 8-bit greyscale (h, w) or RGB (h, w, 3) PNG written with filter
    type 0 on every line, as ours are; checks the signature and every chunk's CRC."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, {}
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert crc == zlib.crc32(kind + body)
        chunks[kind] = chunks.get(kind, b"") + body
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert depth == 8 and colour in (0, 2)
    rows = np.frombuffer(zlib.decompress(chunks[b"IDAT"]), np.uint8).reshape(height, -1)
    assert not rows[:, 0].any()  # filter type 0 on every scanline
    pixels = rows[:, 1:]
    return pixels.reshape(height, width, 3) if colour == 2 else pixels


ROOT = Path(__file__).resolve().parents[2]
DATASETS = ROOT / "workbench" / "resources" / "datasets"
FLOWS = ROOT / "workbench" / "resources" / "flows"


class CountingZeroR(ZeroR):
    """ZeroR that records every fit (by its ``tag``), to prove what the cache skips."""

    name = "counting"
    display_name = "Counting ZeroR"
    aliases = ()
    tag = Param.integer(0, "a label recorded with each fit")
    fits: ClassVar[list[int]] = []

    def _fit(self, data: Dataset, progress: Any, cancel: Any) -> None:
        type(self).fits.append(self.tag)
        super()._fit(data, progress, cancel)


class Failing(ZeroR):
    """A classifier that always refuses to learn, as a user-caused failure would."""

    name = "failing"
    display_name = "Failing"
    aliases = ()

    def _fit(self, data: Dataset, progress: Any, cancel: Any) -> None:
        raise WorkbenchError("this learner refuses every dataset")


def iris_path() -> Path:
    return DATASETS / "iris.arff"


def small_dataset(n: int = 30, seed: int = 0) -> Dataset:
    rng = np.random.default_rng(seed)
    X = np.column_stack([rng.normal(size=n), rng.normal(size=n), np.arange(n) % 2])
    attributes = [Attribute.numeric("a"), Attribute.numeric("b"),
                  Attribute.nominal("class", ["no", "yes"])]
    return Dataset("small", attributes, X, class_index=2)


def cv_flow(registry: Registry, classifiers: dict[str, dict[str, Any]], *,
            data: Path | None = None, folds: int = 10) -> Flow:
    """loader -> ClassAssigner -> CrossValidationFoldMaker -> each classifier ->
    its evaluator -> one TextViewer; classifiers maps node id -> {type, params}."""
    flow = Flow(registry)
    flow.add_node("ArffLoader", node_id="loader",
                  params={"file": str(data or iris_path())})
    flow.add_node("ClassAssigner", node_id="class")
    flow.add_node("CrossValidationFoldMaker", node_id="cv", params={"folds": folds})
    flow.add_node("TextViewer", node_id="text")
    flow.connect("loader", "dataSet", "class", "dataSet")
    flow.connect("class", "dataSet", "cv", "dataSet")
    for node_id, spec in classifiers.items():
        flow.add_node(spec["type"], node_id=node_id, params=spec.get("params", {}))
        flow.add_node("ClassifierPerformanceEvaluator", node_id=f"eval_{node_id}")
        flow.connect("cv", "trainingSet", node_id, "trainingSet")
        flow.connect("cv", "testSet", node_id, "testSet")
        flow.connect(node_id, "batchClassifier", f"eval_{node_id}", "batchClassifier")
        flow.connect(f"eval_{node_id}", "text", "text", "text")
    return flow


def make_registry() -> Registry:
    """A registry of the flow nodes and three small classifiers, counts reset."""
    from workbench.flow import nodes as flow_nodes

    reg = Registry()
    reg.add(CountingZeroR)
    reg.add(Failing)
    reg.add(ZeroR)
    flow_nodes.register(reg)
    CountingZeroR.fits.clear()
    return reg
