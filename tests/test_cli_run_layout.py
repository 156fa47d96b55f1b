"""``workbench run`` ignores layout: a node whose position is off the canvas (walkthrough
10, item 6) is named in one warning line, and the flow runs as it would anywhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.cli import main

FLOWS = Path(__file__).resolve().parents[1] / "workbench" / "resources" / "flows"


@pytest.mark.parametrize("far", [[1e9, 0], [1e300, -1e300]])
def test_a_node_off_the_canvas_is_warned_about_and_the_flow_runs(far, tmp_path,
                                                                 monkeypatch, capsys):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    data = json.loads((FLOWS / "cross-validation.kflow.json").read_text())
    first = data["nodes"][0]["id"]
    data["ui"]["positions"][first] = far
    flow = tmp_path / "far.kflow.json"
    flow.write_text(json.dumps(data))
    assert main(["run", str(flow), "--out", str(tmp_path / "out")]) == 0
    captured = capsys.readouterr()
    warned = [line for line in captured.err.splitlines() if "off the canvas" in line]
    assert warned == [f"workbench: warning: {flow}: node '{first}': its position "
                      f"[{far[0]:g}, {far[1]:g}] is off the canvas (expected numbers from "
                      f"-1,000,000 to 1,000,000); placed below the other nodes instead"]
    assert "Correctly Classified Instances" in captured.out
