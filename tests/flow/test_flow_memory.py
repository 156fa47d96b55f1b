"""A flow cannot take all memory: each node runs under the memory ceiling, a node that
runs out fails in our words, and ImageSaver refuses a picture too large to draw.

Nothing here allocates more than a few MB: the ceiling is observed from inside a node,
and the large picture is refused from its shape (run under a small ceiling as well, so
that code without the check fails at once instead of drawing 3.3 gigapixels).
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
import pytest
from flow_helpers import iris_path, make_registry

from workbench.core import memory_ceiling
from workbench.core.memory_ceiling import limited_memory
from workbench.flow import Executor, Flow, Status
from workbench.flow.nodes.base import NodeType
from workbench.flow.nodes.viewers import WeightImages
from workbench.flow.ports import DATA_SET, IMAGE, TEXT, PortSpec

MB = 2**20
linux_only = pytest.mark.skipif(sys.platform != "linux", reason="the ceiling is Linux-only")


class DataLimit(NodeType):
    """Reports the process's data limit while it runs."""

    name = "DataLimit"
    outputs = (PortSpec(TEXT, TEXT),)

    def process(self, inputs: Any, context: Any) -> dict[str, Any]:
        import resource

        return {TEXT: str(resource.getrlimit(resource.RLIMIT_DATA)[0])}


class Exhausted(NodeType):
    """Runs out of memory the way pure Python does: a MemoryError with no message."""

    name = "Exhausted"
    display_name = "Exhausted"
    inputs = (PortSpec(DATA_SET, DATA_SET),)
    outputs = (PortSpec(TEXT, TEXT),)

    def process(self, inputs: Any, context: Any) -> dict[str, Any]:
        raise MemoryError()


class ManyUnits(NodeType):
    """The weights of 10 000 hidden units over 8x8 digits (5 MB): the probe's flow."""

    name = "ManyUnits"
    outputs = (PortSpec(IMAGE, IMAGE),)

    def process(self, inputs: Any, context: Any) -> dict[str, Any]:
        weights = np.random.default_rng(0).normal(size=(10_000, 64))
        return {IMAGE: WeightImages({"0.weight": weights}, 64)}


@pytest.fixture
def reg():
    registry = make_registry()
    for node_type in (DataLimit, Exhausted, ManyUnits):
        registry.add(node_type)
    return registry


@linux_only
def test_a_node_runs_under_the_ceiling_and_it_is_lifted_after(reg, monkeypatch):
    import resource

    monkeypatch.setattr(memory_ceiling, "BUDGET", 500 * MB)
    before = resource.getrlimit(resource.RLIMIT_DATA)
    flow = Flow(reg)
    flow.add_node("DataLimit", node_id="limit")
    result = Executor(cache=False).run(flow)
    assert result.ok, result.states
    during = int(result.outputs["limit"][TEXT])
    used = memory_ceiling.data_in_use()
    assert used is not None and during != resource.RLIM_INFINITY
    assert during < used + 600 * MB
    assert resource.getrlimit(resource.RLIMIT_DATA) == before


def test_a_node_out_of_memory_fails_in_words_naming_it_and_its_data(reg):
    flow = Flow(reg)
    flow.add_node("ArffLoader", node_id="loader", params={"file": str(iris_path())})
    flow.add_node("Exhausted", node_id="big")
    flow.add_node("TextViewer", node_id="after")
    flow.connect("loader", DATA_SET, "big", DATA_SET)
    flow.connect("big", TEXT, "after", TEXT)
    result = Executor().run(flow)
    state = result.states["big"]
    assert state.status is Status.ERROR
    assert state.message == (
        "Exhausted ran out of memory (the memory this program may use is used up); it "
        "was given 150 instances x 5 attributes from 'ArffLoader': give it less data (a "
        "smaller sample or fewer attributes upstream) or lower the settings that set its "
        "size")
    assert result.states["after"].status is Status.BLOCKED


@linux_only
def test_image_saver_refuses_a_picture_past_the_limit_before_drawing_it(reg, tmp_path):
    flow = Flow(reg)
    flow.add_node("ManyUnits", node_id="units")
    flow.add_node("ImageSaver", node_id="pictures", params={"file": "big.png",
                                                            "scale": 64})
    flow.connect("units", IMAGE, "pictures", IMAGE)
    with limited_memory(300 * MB):   # 3.3 gigapixels would fail here, not be drawn
        result = Executor().run(flow, output_dir=tmp_path)
    state = result.states["pictures"]
    assert state.status is Status.ERROR
    assert state.message == (
        "ImageSaver: the picture of '0.weight' (10,000 units) at scale 64 would be "
        "57,664 x 57,664 pixels (3,325 megapixels), more than the 64-megapixel limit; "
        "lower ImageSaver.scale to 8 or less")
    assert not (tmp_path / "big.png").exists()

    flow.set_params("pictures", scale=8)   # the largest that fits: 7208 x 7208
    result = Executor().run(flow, output_dir=tmp_path)
    assert result.ok, result.states
    assert "(7208x7208 pixels)" in result.outputs["pictures"][TEXT]
