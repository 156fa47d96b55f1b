"""docs/EXTENDING.md's nearest-centroid plugin, run as a user would copy it: the output
lines the page shows are the ones the program prints."""

from __future__ import annotations

import re
from pathlib import Path

from workbench.cli import main
from workbench.core.registry import reset_default_registry

ROOT = Path(__file__).resolve().parents[1]
PAGE = (ROOT / "docs" / "EXTENDING.md").read_text(encoding="utf-8")


def _after(marker: str, fence: str) -> str:
    start = PAGE.index(marker)
    body = PAGE.index(f"```{fence}\n", start) + len(fence) + 4
    return PAGE[body:PAGE.index("```", body)]


def test_the_classifier_example_prints_what_the_page_shows(tmp_path, monkeypatch, capsys):
    (tmp_path / "nearest_centroid.py").write_text(_after("<!-- example: classifier -->",
                                                         "python"))
    session = _after("With that file in `$WORKBENCH_PLUGIN_PATH`:", "console")
    command, *shown = session.split("\n$ ")[0].splitlines()
    args = command.removeprefix("$ workbench ").replace("-d nc.model ", "").split()
    monkeypatch.setenv("WORKBENCH_PLUGIN_PATH", str(tmp_path))
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    reset_default_registry()
    try:
        assert main(args) == 0
    finally:
        reset_default_registry()
    printed = capsys.readouterr().out.splitlines()
    expected = [line for line in shown if line != "..."]
    assert expected and all(line in printed for line in expected), (expected, printed)
    assert re.match(r"Scheme:\s+NearestCentroid --temperature 0\.5$", expected[0])
